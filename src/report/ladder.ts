import type { ChalkInstance } from 'chalk';
import type { SegmentEvent, TrackerEvent } from '../events.js';
import type { InputReport } from '../pipeline.js';
import { describeInput } from './format.js';
import { ASCII_GLYPHS, toAscii, UNICODE_GLYPHS, type Glyphs } from './glyphs.js';
import { LadderConnection } from './ladder-connection.js';
import { drawConnection, MIN_WIDTH } from './ladder-draw.js';
import type { Output, Reporter } from './reporter.js';
import { wrapClauses } from './text-fit.js';

export interface LadderOptions {
  chalk: ChalkInstance;
  /** Draw every segment instead of folding long runs. */
  full: boolean;
  /** Terminal columns (80 when stdout is not a terminal). */
  width: number;
  /** Plain ASCII instead of box drawing (TERM=dumb, a locale without UTF-8). */
  ascii?: boolean;
}

/**
 * `--ladder`: one sequence diagram per connection, client on the left, server on the right,
 * an arrow per segment and each side's state beside its line. Connections interleave in a
 * capture, so each is drawn when it ends.
 */
export class LadderReporter implements Reporter {
  private readonly out: Output;
  private readonly opts: LadderOptions;
  private readonly open = new Map<number, LadderConnection>();
  private connectionsInInput = 0;

  constructor(out: Output, opts: LadderOptions) {
    this.out = out;
    this.opts = opts;
  }

  beginInput(_name: string): void {
    this.connectionsInInput = 0;
  }

  segment(e: SegmentEvent): void {
    this.open.get(e.conn)?.segment(e);
  }

  event(e: TrackerEvent): void {
    switch (e.type) {
      case 'connection':
        this.connectionsInInput++;
        this.open.set(e.conn, new LadderConnection(e, this.opts.full));
        break;
      case 'transition':
      case 'anomaly':
        this.open.get(e.conn)?.event(e);
        break;
      case 'end': {
        const conn = this.open.get(e.conn);
        if (conn === undefined) return;
        this.open.delete(e.conn);
        const lines = drawConnection(conn.end(e), {
          chalk: this.opts.chalk,
          glyphs: this.glyphs(),
          width: this.opts.width,
        });
        this.out(`${lines.join('\n')}\n\n`);
        break;
      }
    }
  }

  endInput(report: InputReport): void {
    const line = describeInput(report, this.connectionsInInput);
    if (line === undefined) return;
    const text = this.opts.ascii === true ? toAscii(line) : line;
    for (const l of wrapClauses(text, '; ', Math.max(this.opts.width, MIN_WIDTH), this.glyphs().ellipsis))
      this.out(`${this.opts.chalk.dim(l)}\n`);
  }

  finish(): void {
    // Nothing to flush: each connection is drawn when it ends, each input's line at its end.
  }

  private glyphs(): Glyphs {
    return this.opts.ascii === true ? ASCII_GLYPHS : UNICODE_GLYPHS;
  }
}
