import type { InputFormat, SegmentSource, SourceSink, SourceStats } from '../source.js';
import { PacketDecoder } from './decoder.js';
import { PcapReader } from './pcap.js';
import { PcapngReader } from './pcapng.js';
import type { RecordReader, RecordSink } from './records.js';

export type CaptureFormat = 'pcap' | 'pcapng';
export type { RecordReader, RecordSink } from './records.js';

/** The packet records of a pcap or pcapng file, without decoding them. */
export function createRecordReader(format: CaptureFormat, name: string, sink: RecordSink): RecordReader {
  return format === 'pcap' ? new PcapReader(name, sink) : new PcapngReader(name, sink);
}

/** The TCP segments of a pcap or pcapng file. */
export function createCaptureSource(format: CaptureFormat, name: string, sink: SourceSink): SegmentSource {
  return new CaptureSource(format, name, sink);
}

class CaptureSource implements SegmentSource {
  readonly format: InputFormat;
  readonly stats: SourceStats;
  private readonly decoder: PacketDecoder;
  private readonly reader: RecordReader;

  constructor(format: CaptureFormat, name: string, sink: SourceSink) {
    this.format = format;
    this.decoder = new PacketDecoder(sink);
    this.stats = this.decoder.stats;
    this.reader = createRecordReader(format, name, this.decoder);
  }

  push(chunk: Buffer): void {
    this.reader.push(chunk);
  }

  end(): void {
    this.reader.end();
    this.decoder.finish();
  }
}
