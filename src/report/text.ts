import type { ChalkInstance } from 'chalk';
import type { AnomalyEvent, ConnectionEvent, EndEvent, Side, TrackerEvent, TransitionEvent } from '../events.js';
import { explainAnomaly } from '../explain/anomalies.js';
import { glossTransition, noSightings, teachingNotes, type Sightings } from '../explain/teaching.js';
import type { InputReport } from '../pipeline.js';
import { ConnectionCollector, type ConnectionRecord } from './collect.js';
import { formatEndpoint } from './endpoint-text.js';
import { describeInput } from './format.js';
import type { Output, Reporter } from './reporter.js';
import { formatCount, humanBytes } from './units.js';
import { wrapText, wrapUnits } from './wrap.js';

export interface TextOptions {
  chalk: ChalkInstance;
  /** Print each line as soon as it is known (live input) instead of one block per connection. */
  live: boolean;
  /** Only anomalies (one line each) and final states. */
  quiet: boolean;
  /** Add the longer teaching notes once, at the end of the report. */
  explain?: boolean;
  /** Columns to wrap to. */
  width?: number;
  /** The MSL the tracker used, for the TIME_WAIT note. */
  mslSeconds?: number;
}

/** Anomalies of one kind shown per connection before the rest are folded into one line. */
const SHOWN_PER_KIND = 10;
/** Lines under an event start under its side column. */
const INDENT = 19;
const MIN_WIDTH = 60;

/**
 * The default human report, a teacher's account of each connection: a heading with the
 * endpoints, roles, duration, traffic and final states; then the timeline, each side's
 * transitions with what they mean, and the anomalies where they happen with their likely
 * causes and what to check (once per kind; repeats are folded).
 */
export class TextReporter implements Reporter {
  private readonly out: Output;
  private readonly opts: TextOptions;
  private readonly width: number;
  private collector: ConnectionCollector | undefined;
  /** Live mode: start time and the kinds already explained, per open connection. */
  private readonly live = new Map<number, { start: number; explained: Set<string> }>();
  private connectionsInInput = 0;
  private inputsBegun = 0;
  private readonly seen: Sightings = noSightings();
  private readonly kindsSeen = new Set<string>();
  /** Frame of each open connection's side's FIN_WAIT_1 → FIN_WAIT_2. */
  private readonly finWait2At = new Map<string, number>();

  constructor(out: Output, opts: TextOptions) {
    this.out = out;
    this.opts = opts;
    this.width = Math.max(MIN_WIDTH, opts.width ?? 80);
  }

  beginInput(_name: string): void {
    if (this.inputsBegun++ > 0) this.out('\n');
    this.connectionsInInput = 0;
    this.collector = new ConnectionCollector((rec) => this.printConnection(rec));
  }

  event(e: TrackerEvent): void {
    if (e.type === 'connection') this.connectionsInInput++;
    this.notice(e);
    if (!this.opts.live) {
      this.collector?.event(e);
      return;
    }
    switch (e.type) {
      case 'connection':
        this.live.set(e.conn, { start: e.time, explained: new Set() });
        if (!this.opts.quiet) this.out(`${this.heading(e)}\n`);
        break;
      case 'transition': {
        const conn = this.live.get(e.conn);
        if (!this.opts.quiet) this.out(this.tagged(e.conn, this.transitionLines(e, conn?.start ?? e.time)));
        break;
      }
      case 'anomaly': {
        const conn = this.live.get(e.conn);
        if (this.opts.quiet) {
          this.out(`${this.quietAnomaly(e)}\n`);
          break;
        }
        const first = conn !== undefined && !conn.explained.has(e.kind);
        conn?.explained.add(e.kind);
        this.out(this.tagged(e.conn, this.anomalyLines(e, conn?.start ?? e.time, first)));
        break;
      }
      case 'end':
        this.live.delete(e.conn);
        this.out(`${this.opts.quiet ? '' : this.opts.chalk.dim(`[${e.conn}] `)}${this.quietFinal(e)}\n`);
        break;
    }
  }

  endInput(report: InputReport): void {
    const line = describeInput(report, this.connectionsInInput);
    if (line !== undefined) this.out(`${this.paragraph(line, 0, 2).map((l) => this.opts.chalk.dim(l)).join('\n')}\n`);
  }

  finish(): void {
    if (this.opts.explain !== true || this.opts.quiet) return;
    const c = this.opts.chalk;
    const blocks: string[] = [];
    for (const note of teachingNotes(this.seen, this.opts.mslSeconds ?? 30)) {
      blocks.push([...this.paragraph(note.title, 0, 2).map((l) => c.bold(l)), ...this.paragraph(note.text, 2)].join('\n'));
    }
    for (const kind of this.kindsSeen) {
      const x = explainAnomaly(kind);
      if (x === undefined) continue;
      const lines = [...this.paragraph(`${kind}: ${x.title}`, 0, 2).map((l) => c.bold(l)), ...this.paragraph(x.meaning, 2)];
      lines.push('  Likely causes, most likely first:');
      x.causes.forEach((cause, i) => lines.push(...this.paragraph(`${i + 1}. ${cause}`, 4, 5)));
      lines.push('  What to check:');
      for (const check of x.check) lines.push(...this.paragraph(`- ${check}`, 4, 6));
      lines.push(...this.paragraph(`References: ${x.refs.join('; ')}.`, 2));
      blocks.push(lines.join('\n'));
    }
    if (blocks.length === 0) return;
    this.out(`\n${c.bold.underline('Notes on what this capture shows')}\n\n${blocks.join('\n\n')}\n`);
  }

  /** What --explain needs to know about the whole report. */
  private notice(e: TrackerEvent): void {
    if (e.type === 'anomaly') {
      this.kindsSeen.add(e.kind);
      if (e.kind === 'connection-refused') this.seen.refused = true;
      if (e.kind === 'midstream-pickup') this.seen.midstream = true;
      return;
    }
    if (e.type === 'end') {
      this.finWait2At.delete(`${e.conn} client`);
      this.finWait2At.delete(`${e.conn} server`);
    }
    if (e.type !== 'transition') return;
    const s = this.seen;
    // The three-segment close: the peer's FIN acknowledged this side's FIN in one segment.
    const key = `${e.conn} ${e.side}`;
    if (e.to === 'FIN_WAIT_2') this.finWait2At.set(key, e.frame);
    if (e.from === 'FIN_WAIT_2' && e.to === 'TIME_WAIT' && this.finWait2At.get(key) === e.frame) s.threeSegmentClose = true;
    if (e.to === 'SYN_SENT' || e.to === 'SYN_RCVD') s.handshake = true;
    if (e.to === 'FIN_WAIT_1' || e.to === 'LAST_ACK') s.fin = true;
    if (e.to === 'TIME_WAIT') s.timeWait = true;
    if (e.to === 'CLOSING') s.closing = true;
    if (e.to === 'CLOSED' && /\bRST\b/.test(e.reason) && !/refused/.test(e.reason)) s.reset = true;
    if (e.from === 'FIN_WAIT_1' && e.to === 'TIME_WAIT') s.threeSegmentClose = true;
  }

  private printConnection(rec: ConnectionRecord): void {
    const e = rec.ended;
    if (this.opts.quiet) {
      const lines = [...rec.anomalies].sort((x, y) => x.frame - y.frame).map((a) => this.quietAnomaly(a));
      lines.push(this.quietFinal(e));
      this.out(`${lines.join('\n')}\n`);
      return;
    }
    const start = rec.opened.time;
    const items = [
      ...rec.transitions.map((t) => ({ frame: t.frame, order: 0, transition: t, anomaly: undefined })),
      ...rec.anomalies.map((a) => ({ frame: a.frame, order: 1, transition: undefined, anomaly: a })),
    ];
    items.sort((x, y) => x.frame - y.frame || x.order - y.order);
    const shownOfKind = new Map<string, number>();
    const folded = new Map<string, { count: number; first: number; last: number }>();
    const body: string[] = [];
    for (const item of items) {
      if (item.transition !== undefined) {
        body.push(this.transitionLines(item.transition, start));
        continue;
      }
      const a = item.anomaly!;
      const shown = shownOfKind.get(a.kind) ?? 0;
      if (shown < SHOWN_PER_KIND) {
        shownOfKind.set(a.kind, shown + 1);
        body.push(this.anomalyLines(a, start, shown === 0));
        continue;
      }
      const f = folded.get(a.kind);
      if (f === undefined) folded.set(a.kind, { count: 1, first: a.frame, last: a.frame });
      else {
        f.count++;
        f.last = a.frame;
      }
    }
    for (const [kind, f] of folded) {
      const frames = f.first === f.last ? `frame ${f.first}` : `frames ${f.first}–${f.last}`;
      const text = `… ${formatCount(f.count)} more ${kind} (${frames}), like the ones above; --format json lists them all`;
      body.push(`${this.paragraph(text, INDENT).map((l) => this.opts.chalk.dim(l)).join('\n')}\n`);
    }
    this.out(`${this.headingBlock(rec)}\n${body.join('')}\n`);
  }

  private headingBlock(rec: ConnectionRecord): string {
    const c = this.opts.chalk;
    const e = rec.ended;
    const o = rec.opened;
    const lines = [this.heading(o)];
    const roles = o.rolesGuessed ? c.yellow(`roles guessed: ${o.rolesReason}`) : `roles: ${o.rolesReason}`;
    const traffic = (side: Side): string =>
      `${side === 'client' ? 'client→server' : 'server→client'} ${formatCount(e.packets[side])} packet${e.packets[side] === 1 ? '' : 's'}, ${humanBytes(e.bytes[side])}`;
    const facts = [roles, formatSeconds(e.end - e.start), traffic('client'), traffic('server')];
    lines.push(...wrapUnits(facts, '; ', this.width, 2, 2).map((l) => `  ${l}`));
    lines.push(`  ${this.finalText(e)}`);
    return lines.join('\n');
  }

  private heading(e: ConnectionEvent): string {
    const c = this.opts.chalk;
    return `${c.bold(`Connection ${e.conn}`)}  ${this.side('client')} ${formatEndpoint(e.client)} → ${this.side('server')} ${formatEndpoint(e.server)}`;
  }

  private tagged(conn: number, text: string): string {
    const tag = this.opts.chalk.dim(`[${conn}] `);
    return text.split('\n').map((l, i, all) => (i === all.length - 1 && l === '' ? '' : `${tag}${l}`)).join('\n');
  }

  /** The transition, what the packet shows (the tracker's reason) and what it means (the gloss). */
  private transitionLines(t: TransitionEvent, start: number): string {
    const c = this.opts.chalk;
    const lines = [`${this.head(t.time - start, t.frame, t.side)}${t.from} → ${c.bold(t.to)}`];
    const reason = t.inferred ? `${t.reason} (inferred: no packet of this side shows it)` : t.reason;
    lines.push(...wrapText(reason, this.width, INDENT).map((l) => `${' '.repeat(INDENT)}${t.inferred ? c.dim(l) : l}`));
    const gloss = glossTransition(t.side, t.from, t.to);
    if (gloss !== undefined) lines.push(...wrapText(gloss, this.width, INDENT).map((l) => `${' '.repeat(INDENT)}${c.dim(l)}`));
    return `${lines.join('\n')}\n`;
  }

  /** The anomaly where it happened; the first of its kind also says why it happens and what to check. */
  private anomalyLines(a: AnomalyEvent, start: number, explain: boolean): string {
    const c = this.opts.chalk;
    const colour = a.severity === 'error' ? c.red : a.severity === 'warning' ? c.yellow : c.blue;
    const lines = [`${this.head(a.time - start, a.frame, a.side)}${colour(`${a.severity.toUpperCase()} ${a.kind}`)}`];
    lines.push(...wrapText(a.message, this.width, INDENT).map((l) => `${' '.repeat(INDENT)}${l}`));
    const x = explain ? explainAnomaly(a.kind) : undefined;
    if (x !== undefined) {
      const causes = x.causes.slice(0, 2);
      const why = causes.length > 1 ? `likely: ${causes[0]} Or: ${causes[1]}` : `likely: ${causes[0] ?? ''}`;
      lines.push(...this.paragraph(why, INDENT).map((l) => c.dim(l)));
      lines.push(...this.paragraph(`check: ${x.check[0] ?? ''}`, INDENT).map((l) => c.dim(l)));
    }
    return `${lines.join('\n')}\n`;
  }

  /** "  +0.000048 #2     server  ": time since the connection began, frame, side. */
  private head(relative: number, frame: number, side: Side): string {
    return `${fmtRel(relative)} ${this.opts.chalk.dim(`#${String(frame).padEnd(6)}`)}${this.side(side)}  `;
  }

  private paragraph(text: string, indent: number, hanging = indent): string[] {
    return wrapText(text, this.width, hanging, indent).map((l, i) => `${' '.repeat(i === 0 ? indent : hanging)}${l}`);
  }

  /** One grep-friendly line per anomaly (-q). */
  private quietAnomaly(a: AnomalyEvent): string {
    const c = this.opts.chalk;
    const colour = a.severity === 'error' ? c.red : a.severity === 'warning' ? c.yellow : c.blue;
    return `connection ${a.conn} frame ${a.frame} ${a.side} ${colour(`${a.severity} ${a.kind}`)}: ${a.message}`;
  }

  private quietFinal(e: EndEvent): string {
    return `connection ${e.conn} ${this.finalText(e)}`;
  }

  private finalText(e: EndEvent): string {
    const c = this.opts.chalk;
    const note = e.assumed ? c.dim(' (from states assumed at pickup)') : '';
    return `final: ${this.side('client')} ${c.bold(e.final.client)}, ${this.side('server')} ${c.bold(e.final.server)}${note}`;
  }

  private side(side: Side): string {
    const c = this.opts.chalk;
    return side === 'client' ? c.cyan('client') : c.magenta('server');
  }
}

function fmtRel(seconds: number): string {
  return `+${seconds.toFixed(6)}`.padStart(11);
}

function formatSeconds(s: number): string {
  return `${s < 10 ? s.toFixed(6) : s.toFixed(3)} s`;
}
