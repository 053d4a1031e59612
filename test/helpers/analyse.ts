import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { SegmentEvent, TrackerEvent } from '../../src/events.js';
import { analyseInput, type InputReport } from '../../src/pipeline.js';
import { ConnectionCollector } from '../../src/report/collect.js';
import { connectionToJson, type JsonConnection } from '../../src/report/json.js';

export interface Analysis {
  report: InputReport;
  events: TrackerEvent[];
  connections: JsonConnection[];
  warnings: string[];
  /** Every segment with its connection and side; only filled when asked for (`segments: true`). */
  segments: SegmentEvent[];
}

/** Runs a file (or bytes) through the whole pipeline in-process, as the CLI does. */
export async function analyse(
  input: string | Buffer,
  opts: { mslSeconds?: number; chunk?: number; segments?: boolean } = {},
): Promise<Analysis> {
  const events: TrackerEvent[] = [];
  const segments: SegmentEvent[] = [];
  const connections: JsonConnection[] = [];
  const warnings: string[] = [];
  const name = typeof input === 'string' ? input : '<bytes>';
  const collector = new ConnectionCollector((rec) => connections.push(connectionToJson(rec, name)));
  const stream =
    typeof input === 'string' ? createReadStream(input) : Readable.from(chunks(input, opts.chunk ?? 65536));
  const report = await analyseInput(
    name,
    stream,
    { mslSeconds: opts.mslSeconds ?? 30, inputFormat: 'auto' },
    {
      event: (e) => {
        events.push(e);
        collector.event(e);
      },
      warning: (m) => warnings.push(m),
      ...(opts.segments ? { segment: (e: SegmentEvent) => segments.push(e) } : {}),
    },
  );
  connections.sort((a, b) => a.id - b.id);
  return { report, events, connections, warnings, segments };
}

function* chunks(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
