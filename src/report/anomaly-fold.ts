import type { AnomalyEvent } from '../events.js';

/** Lines given to one anomaly kind in one connection before the rest is folded into a count. */
export const LINES_PER_KIND = 10;

/** The anomalies of a kind beyond the first LINES_PER_KIND, counted instead of listed. */
export interface FoldedRun {
  kind: string;
  count: number;
  firstFrame: number;
  lastFrame: number;
}

/**
 * How one anomaly is shown: the first of its kind in a connection with its causes and what
 * to check, the next ones as one line each, and past LINES_PER_KIND only counted (`opens`
 * on the first of those, where the count is printed).
 */
export type AnomalyPlacement =
  { as: 'explained' } | { as: 'repeat' } | { as: 'folded'; run: FoldedRun; opens: boolean };

/** Places the anomalies of one connection, in the order they are shown. */
export class AnomalyFolder {
  private readonly shown = new Map<string, number>();
  private readonly runs = new Map<string, FoldedRun>();

  place(a: AnomalyEvent): AnomalyPlacement {
    const count = this.shown.get(a.kind) ?? 0;
    if (count < LINES_PER_KIND) {
      this.shown.set(a.kind, count + 1);
      return count === 0 ? { as: 'explained' } : { as: 'repeat' };
    }
    const run = this.runs.get(a.kind);
    if (run === undefined) {
      const opened: FoldedRun = { kind: a.kind, count: 1, firstFrame: a.frame, lastFrame: a.frame };
      this.runs.set(a.kind, opened);
      return { as: 'folded', run: opened, opens: true };
    }
    run.count++;
    run.firstFrame = Math.min(run.firstFrame, a.frame);
    run.lastFrame = Math.max(run.lastFrame, a.frame);
    return { as: 'folded', run, opens: false };
  }

  /** Every kind folded so far, in the order its folding began. */
  folded(): FoldedRun[] {
    return [...this.runs.values()];
  }
}
