// Runs capture bytes through the capture source (or the raw record reader) and collects
// everything it reports.
import { createCaptureSource, createRecordReader } from '../../src/capture/index.js';
import type { CaptureFormat } from '../../src/capture/index.js';
import type { Segment } from '../../src/segment.js';
import type { SourceStats } from '../../src/source.js';

export interface Decoded {
  segments: Segment[];
  warnings: string[];
  stats: SourceStats;
}

/** Splits `bytes` into chunks of the given sizes (cycled), or one chunk. */
export function chunked(bytes: Buffer, sizes: number[] = [bytes.length]): Buffer[] {
  const chunks: Buffer[] = [];
  let i = 0;
  for (let at = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    // Copies, so that a reader keeping a reference to a chunk would be caught out.
    chunks.push(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
  }
  return chunks;
}

/** Deterministic pseudo-random chunk sizes from 1 to max. */
export function randomSizes(seed: number, count: number, max = 97): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return 1 + (x % max);
  });
}

export function decode(bytes: Buffer, format: CaptureFormat = 'pcap', sizes?: number[]): Decoded {
  const segments: Segment[] = [];
  const warnings: string[] = [];
  const source = createCaptureSource(format, 'test.cap', {
    segment: (s) => segments.push(s),
    warning: (w) => warnings.push(w),
  });
  for (const chunk of chunked(bytes, sizes)) source.push(chunk);
  source.end();
  return { segments, warnings, stats: source.stats };
}

/** Like decode(), but also returns what was delivered before an error, and the error. */
export function decodeUntilError(
  bytes: Buffer,
  format: CaptureFormat = 'pcap',
  sizes?: number[],
): Decoded & { error: unknown } {
  const segments: Segment[] = [];
  const warnings: string[] = [];
  const source = createCaptureSource(format, 'test.cap', {
    segment: (s) => segments.push(s),
    warning: (w) => warnings.push(w),
  });
  let error: unknown;
  try {
    for (const chunk of chunked(bytes, sizes)) source.push(chunk);
    source.end();
  } catch (e) {
    error = e;
  }
  return { segments, warnings, stats: source.stats, error };
}

/** The one segment of a one-packet capture (fails the test otherwise). */
export function onlySegment(bytes: Buffer, format: CaptureFormat = 'pcap'): Segment {
  const { segments, stats } = decode(bytes, format);
  if (segments.length !== 1)
    throw new Error(
      `expected one segment, got ${segments.length} (skipped: ${JSON.stringify([...stats.skipReasons])})`,
    );
  return segments[0]!;
}

export interface RawRecord {
  frame: number;
  sec: number;
  nsec: number;
  caplen: number;
  origLen: number;
  linkType: number;
  data: Buffer;
}

export function readRecords(
  bytes: Buffer,
  format: CaptureFormat = 'pcap',
  sizes?: number[],
): { records: RawRecord[]; warnings: string[] } {
  const records: RawRecord[] = [];
  const warnings: string[] = [];
  const reader = createRecordReader(format, 'test.cap', {
    record(frame, sec, nsec, caplen, origLen, linkType, buf, offset) {
      records.push({
        frame,
        sec,
        nsec,
        caplen,
        origLen,
        linkType,
        data: Buffer.from(buf.subarray(offset, offset + caplen)),
      });
    },
    warning: (w) => warnings.push(w),
  });
  for (const chunk of chunked(bytes, sizes)) reader.push(chunk);
  reader.end();
  return { records, warnings };
}

/** Skip reasons as a plain object, for toEqual. */
export function skips(stats: SourceStats): Record<string, number> {
  return Object.fromEntries(stats.skipReasons);
}
