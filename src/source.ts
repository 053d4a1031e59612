import type { Segment } from './segment.js';

export type InputFormat = 'pcap' | 'pcapng' | 'tcpdump-text';

/** Counters every source keeps; they become `inputs[]` in the JSON report. */
export interface SourceStats {
  /** Every packet record read (TCP or not): the last frame number. */
  packets: number;
  /** Packets decoded into a Segment. */
  tcpSegments: number;
  /** Packets that were not decoded into a Segment (not TCP, not decodable, ...). */
  skipped: number;
  /** Why packets were skipped: reason → count. skipped = sum of these. */
  skipReasons: Map<string, number>;
}

/** Where a source delivers its output. Called synchronously from `push`. */
export interface SourceSink {
  segment(seg: Segment): void;
  /** A condition worth one line on stderr (unknown link type, truncated last record...). */
  warning(message: string): void;
}

/**
 * A push parser: feed it the input's bytes in order, chunk by chunk; it calls the sink
 * for each segment as soon as the bytes that make it have arrived.
 * `push` and `end` throw InputError (with the byte offset or line) on damaged input.
 */
export interface SegmentSource {
  readonly format: InputFormat;
  readonly stats: SourceStats;
  push(chunk: Buffer): void;
  end(): void;
}

export function newSourceStats(): SourceStats {
  return { packets: 0, tcpSegments: 0, skipped: 0, skipReasons: new Map() };
}

export function countSkip(stats: SourceStats, reason: string): void {
  stats.skipped++;
  stats.skipReasons.set(reason, (stats.skipReasons.get(reason) ?? 0) + 1);
}
