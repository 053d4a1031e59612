import type { AnomalyEvent, Side, SideCounters, TransitionEvent } from '../events.js';

/** One segment as the ladder draws it, numbers already relative to each side's ISN. */
export interface Arrow {
  frame: number;
  /** Seconds since the connection began. */
  time: number;
  side: Side;
  flags: number;
  seq: number;
  /** Undefined without the ACK flag. */
  ack: number | undefined;
  len: number;
}

/** A drawn segment with the events of its own frame, and those of earlier frames that became known with it. */
export interface ArrowRow {
  type: 'arrow';
  arrow: Arrow;
  transitions: TransitionEvent[];
  anomalies: AnomalyEvent[];
  /** Events dated at an earlier frame that has no drawn arrow: noted here, where they became known. */
  late: (TransitionEvent | AnomalyEvent)[];
}

/** Segments left out of the drawing, counted. */
export interface FoldRow {
  type: 'fold';
  segments: number;
  /** Payload bytes each side sent in the folded segments. */
  bytes: SideCounters;
  /** Anomalies of the folded segments by kind, in the order first seen. */
  kinds: Map<string, number>;
}

/** Events at a frame that is not a segment of this connection (a timer, another connection's SYN). */
export interface EventRow {
  type: 'event';
  frame: number;
  time: number;
  transitions: TransitionEvent[];
  anomalies: AnomalyEvent[];
}

export type LadderRow = ArrowRow | FoldRow | EventRow;

export function emptyFold(): FoldRow {
  return { type: 'fold', segments: 0, bytes: { client: 0, server: 0 }, kinds: new Map() };
}

export function addToFold(fold: FoldRow, row: ArrowRow): void {
  fold.segments++;
  fold.bytes[row.arrow.side] += row.arrow.len;
  for (const e of row.anomalies) fold.kinds.set(e.kind, (fold.kinds.get(e.kind) ?? 0) + 1);
  for (const e of row.late) if (e.type === 'anomaly') fold.kinds.set(e.kind, (fold.kinds.get(e.kind) ?? 0) + 1);
}
