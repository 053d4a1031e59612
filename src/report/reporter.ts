import type { SegmentEvent, TrackerEvent } from '../events.js';
import type { InputReport } from '../pipeline.js';

/** A renderer over the event stream. Reporters never decide anything about TCP. */
export interface Reporter {
  beginInput(name: string): void;
  event(e: TrackerEvent): void;
  /** Present only on reporters that draw every segment (the ladder); costs a call per packet. */
  segment?(e: SegmentEvent): void;
  endInput(report: InputReport): void;
  /** After the last input: write whatever is written at the end (JSON document, summary). */
  finish(): void;
}

/** Where reporters write; `write` returns false once the reader has gone (EPIPE). */
export type Output = (text: string) => void;
