// Runs text through the tcpdump-text source and collects what it reports.
import type { Segment } from '../../src/segment.js';
import type { SourceStats } from '../../src/source.js';
import { createTextSource } from '../../src/text/index.js';
import { chunked } from '../helpers/capture.js';

export interface TextRead {
  segments: Segment[];
  warnings: string[];
  stats: SourceStats;
  /** What push() or end() threw, if anything. */
  error: unknown;
}

/** Feeds `text` in chunks of the given sizes (cycled; default: one chunk). */
export function readText(text: string | Buffer, sizes?: number[]): TextRead {
  const segments: Segment[] = [];
  const warnings: string[] = [];
  const source = createTextSource('test.txt', { segment: (s) => segments.push(s), warning: (w) => warnings.push(w) });
  let error: unknown;
  try {
    for (const chunk of chunked(Buffer.from(text), sizes)) source.push(chunk);
    source.end();
  } catch (e) {
    error = e;
  }
  return { segments, warnings, stats: source.stats, error };
}

/** The one segment of a text (fails the test otherwise). */
export function onlySegment(text: string): Segment {
  const { segments, warnings, error } = readText(text);
  if (error instanceof Error) throw error;
  if (error !== undefined) throw new Error('the text source threw something other than an Error', { cause: error });
  if (segments.length !== 1)
    throw new Error(`expected one segment, got ${segments.length}; warnings: ${warnings.join(' | ')}`);
  return segments[0]!;
}

/** Skip reasons as a plain object, for toEqual. */
export function skips(stats: SourceStats): Record<string, number> {
  return Object.fromEntries(stats.skipReasons);
}
