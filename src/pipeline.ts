import type { Readable } from 'node:stream';
import { createCaptureSource } from './capture/index.js';
import { describeUnsupported, sniffFormat } from './capture/sniff.js';
import { InputError } from './errors.js';
import type { SegmentEvent, TrackerEvent } from './events.js';
import { FlowTable } from './flows/table.js';
import type { InputFormat, SegmentSource, SourceStats } from './source.js';
import { createTextSource } from './text/index.js';

export type InputFormatChoice = 'auto' | 'pcap' | 'pcapng' | 'text';

export interface PipelineOptions {
  mslSeconds: number;
  inputFormat: InputFormatChoice;
}

export interface InputReport {
  name: string;
  format: InputFormat | undefined;
  stats: SourceStats | undefined;
  /** Set when the input could not be read to its end; what came before it was still analysed. */
  error?: InputError;
  /** TCP connections found, whether or not a filter shows them. */
  connections: number;
}

export interface PipelineSink {
  event(e: TrackerEvent): void;
  warning(message: string): void;
  /**
   * Every segment with its connection and side, before the events it causes (only for
   * reporters that draw segments).
   */
  segment?(e: SegmentEvent): void;
}

/** Enough bytes to tell pcap, pcapng, text and the known unsupported formats apart. */
const SNIFF_BYTES = 64;

/**
 * Runs one input through source → flow table → tracker, handing every event to the sink
 * as soon as it is known. On damaged input the connections seen so far are still ended
 * and reported, and the InputError comes back in the report.
 */
export async function analyseInput(
  name: string,
  stream: Readable,
  opts: PipelineOptions,
  sink: PipelineSink,
): Promise<InputReport> {
  const report: InputReport = { name, format: undefined, stats: undefined, connections: 0 };
  const onSegment =
    sink.segment === undefined
      ? undefined
      : (e: SegmentEvent) => {
          sink.segment!(e);
        };
  const flows = new FlowTable(
    (e) => {
      sink.event(e);
    },
    { mslSeconds: opts.mslSeconds },
    onSegment,
  );
  const sourceSink = {
    segment: (seg: Parameters<FlowTable['segment']>[0]) => {
      flows.segment(seg);
    },
    warning: (message: string) => {
      sink.warning(`${name}: ${message}`);
    },
  };
  let source: SegmentSource | undefined;
  let head: Buffer[] = [];
  let headLength = 0;

  const start = (bytes: Buffer): void => {
    const format = chooseFormat(name, bytes, opts.inputFormat);
    source = createSource(name, format, sourceSink);
    report.format = source.format;
    report.stats = source.stats;
  };

  try {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (source === undefined) {
          head.push(chunk);
          headLength += chunk.length;
          // A live text line shorter than SNIFF_BYTES must not wait for the next one.
          if (headLength < SNIFF_BYTES && !(headLength >= 4 && chunk.includes(0x0a))) continue;
          const first = Buffer.concat(head);
          head = [];
          start(first);
          source!.push(first);
          continue;
        }
        source.push(chunk);
      }
    } catch (e) {
      throw e instanceof InputError ? e : new InputError(name, describeReadError(e));
    }
    if (source === undefined) {
      const first = Buffer.concat(head);
      if (first.length === 0) throw new InputError(name, 'the input is empty');
      start(first);
      source!.push(first);
    }
    source!.end();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    report.error = e;
  } finally {
    flows.finish();
    report.connections = flows.connectionsOpened;
  }
  return report;
}

function chooseFormat(name: string, head: Buffer, choice: InputFormatChoice): 'pcap' | 'pcapng' | 'text' {
  const sniffed = sniffFormat(head);
  if (choice !== 'auto') {
    if (choice !== 'text' && sniffed !== choice) {
      throw new InputError(
        name,
        `--input-format ${choice} was given, but the file does not ` +
          `start with a ${choice} magic number (it looks like ${sniffed})`,
        'byte 0',
      );
    }
    return choice;
  }
  if (sniffed === 'unknown') {
    const known = describeUnsupported(head);
    if (known !== undefined) throw new InputError(name, `not a pcap, pcapng or tcpdump text file: ${known}`, 'byte 0');
    throw new InputError(
      name,
      `unrecognised format: not pcap, pcapng or tcpdump text (first bytes ${head.subarray(0, 4).toString('hex')})`,
      'byte 0',
    );
  }
  return sniffed;
}

function createSource(
  name: string,
  format: 'pcap' | 'pcapng' | 'text',
  sink: Parameters<typeof createCaptureSource>[2],
): SegmentSource {
  if (format === 'text') {
    return createTextSource(name, sink);
  }
  return createCaptureSource(format, name, sink);
}

function describeReadError(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a capture file';
    default:
      return `cannot read: ${e instanceof Error ? e.message : String(e)}`;
  }
}
