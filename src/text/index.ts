import type { InputFormat, SegmentSource, SourceSink, SourceStats } from '../source.js';
import { LineSplitter } from './lines.js';
import { TextPackets } from './packets.js';

/**
 * The TCP segments of tcpdump's printed output (docs: tcpdump-text.md): a saved
 * `tcpdump -n -r x.pcap > x.txt`, lines pasted from a ticket or a book, or a live
 * `tcpdump -l ... | tcptrace-explain -`. Each segment is handed over as soon as the line
 * that completes it arrives.
 */
export function createTextSource(name: string, sink: SourceSink): SegmentSource {
  return new TextSource(name, sink);
}

class TextSource implements SegmentSource {
  readonly format: InputFormat = 'tcpdump-text';
  readonly stats: SourceStats;
  private readonly packets: TextPackets;
  private readonly lines: LineSplitter;

  constructor(name: string, sink: SourceSink) {
    this.packets = new TextPackets(name, sink);
    this.stats = this.packets.stats;
    this.lines = new LineSplitter(name, (bytes, start, end, lineNumber) => {
      this.packets.line(bytes, start, end, lineNumber);
    });
  }

  push(chunk: Buffer): void {
    this.lines.push(chunk);
  }

  end(): void {
    this.lines.end();
    this.packets.finish();
  }
}
