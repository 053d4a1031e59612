import type { ChalkInstance } from 'chalk';
import type { AnomalyEvent, ConnectionEvent, Side, TrackerEvent, TransitionEvent } from '../events.js';
import type { InputReport } from '../pipeline.js';
import { ConnectionCollector, type ConnectionRecord } from './collect.js';
import { formatEndpoint } from './endpoint-text.js';
import { describeInput } from './format.js';
import type { Output, Reporter } from './reporter.js';

export interface TextOptions {
  chalk: ChalkInstance;
  /** Print each line as soon as it is known (live input) instead of one block per connection. */
  live: boolean;
  /** Only anomalies and final states. */
  quiet: boolean;
}

/** The default human report: per connection, each side's transitions with frame, time and reason. */
export class TextReporter implements Reporter {
  private readonly out: Output;
  private readonly opts: TextOptions;
  private collector: ConnectionCollector | undefined;
  /** Live mode: start time of each open connection, for relative times. */
  private readonly liveStarts = new Map<number, number>();
  private connectionsInInput = 0;

  constructor(out: Output, opts: TextOptions) {
    this.out = out;
    this.opts = opts;
  }

  beginInput(_name: string): void {
    this.connectionsInInput = 0;
    this.collector = new ConnectionCollector((rec) => this.printConnection(rec));
  }

  event(e: TrackerEvent): void {
    if (e.type === 'connection') this.connectionsInInput++;
    if (!this.opts.live) {
      this.collector?.event(e);
      return;
    }
    switch (e.type) {
      case 'connection':
        this.liveStarts.set(e.conn, e.time);
        this.out(`${this.heading(e)}\n`);
        break;
      case 'transition':
        if (!this.opts.quiet) this.out(`${this.tag(e.conn)}${this.transitionLine(e, this.liveStarts.get(e.conn) ?? e.time)}\n`);
        break;
      case 'anomaly':
        this.out(`${this.tag(e.conn)}${this.anomalyLine(e, this.liveStarts.get(e.conn) ?? e.time)}\n`);
        break;
      case 'end':
        this.liveStarts.delete(e.conn);
        this.out(`${this.tag(e.conn)}${this.finalLine(e.final, e.assumed)}\n`);
        break;
    }
  }

  endInput(report: InputReport): void {
    const line = describeInput(report, this.connectionsInInput);
    if (line !== undefined) this.out(`${this.opts.chalk.dim(line)}\n`);
  }

  finish(): void {}

  private printConnection(rec: ConnectionRecord): void {
    const start = rec.opened.time;
    const lines: string[] = [this.heading(rec.opened)];
    const byFrame = [...rec.transitions.map((t) => ({ frame: t.frame, line: this.transitionLine(t, start), quietOk: false })),
      ...rec.anomalies.map((a) => ({ frame: a.frame, line: this.anomalyLine(a, start), quietOk: true }))];
    byFrame.sort((x, y) => x.frame - y.frame); // stable: transitions before anomalies of the same frame
    for (const item of byFrame) if (!this.opts.quiet || item.quietOk) lines.push(`  ${item.line}`);
    const e = rec.ended;
    const dur = (e.end - e.start).toFixed(6);
    lines.push(`  ${this.finalLine(e.final, e.assumed)}`);
    lines.push(this.opts.chalk.dim(`  ${e.packets.client + e.packets.server} packets (client ${e.packets.client}, server ${e.packets.server}), ` +
      `payload bytes client→server ${e.bytes.client}, server→client ${e.bytes.server}, ${dur} s`));
    this.out(`${lines.join('\n')}\n\n`);
  }

  private heading(e: ConnectionEvent): string {
    const c = this.opts.chalk;
    const roles = e.rolesGuessed ? c.yellow(` (roles guessed: ${e.rolesReason})`) : '';
    return `${c.bold(`Connection ${e.conn}`)}: ${this.side('client')} ${formatEndpoint(e.client)} → ${this.side('server')} ${formatEndpoint(e.server)}${roles}`;
  }

  private tag(conn: number): string {
    return this.opts.chalk.dim(`[${conn}] `);
  }

  private transitionLine(t: TransitionEvent, start: number): string {
    const c = this.opts.chalk;
    const head = `${fmtRel(t.time - start)}  ${c.dim(`#${String(t.frame).padEnd(5)}`)} ${this.side(t.side)}  `;
    const states = `${t.from.padEnd(11)} → ${c.bold(t.to.padEnd(11))}`;
    const reason = t.inferred ? c.dim(`${t.reason} (inferred)`) : t.reason;
    return `${head}${states} ${reason}`;
  }

  private anomalyLine(a: AnomalyEvent, start: number): string {
    const c = this.opts.chalk;
    const colour = a.severity === 'error' ? c.red : a.severity === 'warning' ? c.yellow : c.blue;
    const head = `${fmtRel(a.time - start)}  ${c.dim(`#${String(a.frame).padEnd(5)}`)} ${this.side(a.side)}  `;
    return `${head}${colour(`${a.severity.toUpperCase()} ${a.kind}`)}: ${a.message}`;
  }

  private finalLine(final: Record<Side, string>, assumed: boolean): string {
    const note = assumed ? this.opts.chalk.dim(' (from states assumed at pickup)') : '';
    return `final: ${this.side('client')} ${this.opts.chalk.bold(final.client)}, ${this.side('server')} ${this.opts.chalk.bold(final.server)}${note}`;
  }

  private side(side: Side): string {
    const c = this.opts.chalk;
    return side === 'client' ? c.cyan('client') : c.magenta('server');
  }
}

function fmtRel(seconds: number): string {
  return `+${seconds.toFixed(6)}`.padStart(12);
}
