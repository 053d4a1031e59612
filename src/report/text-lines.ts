import type { ChalkInstance } from 'chalk';
import {
  peerOf,
  type AnomalyEvent,
  type ConnectionEvent,
  type EndEvent,
  type HalfCloseData,
  type Severity,
  type Side,
  type TransitionEvent,
} from '../events.js';
import { explainAnomaly, likelyCauses } from '../explain/anomalies.js';
import type { FoldedRun } from './anomaly-fold.js';
import { describeEvidence } from './evidence.js';
import { describeTransition } from './transition-words.js';
import { formatEndpoint } from './endpoint-text.js';
import { humanBytes } from './units.js';
import { durationInWords, formatRelativeTime, plural } from './words.js';
import { keepPhrasesTogether, together, wrapParagraph, wrapWords } from './wrap.js';

/** Columns of a timeline line: "  +0.000048  #2      server  LISTEN      → SYN_RCVD". */
const TIME_WIDTH = 10;
const FRAME_WIDTH = 7;
const STATE_WIDTH = 11;
/** Where the words under a timeline line start: under the frame number. */
const BODY_INDENT = 2 + TIME_WIDTH + 2;
/** The heading's labels ("client → server") and where their values start. */
const LABEL_WIDTH = 17;
/** "likely: ", "    or: ", " check: " */
const CAUSE_LABEL_WIDTH = 8;
/** Causes shown under the first anomaly of a kind (the rest are in --explain). */
const CAUSES_SHOWN = 2;

/**
 * The lines of the text report, each already wrapped to the width and coloured through
 * the chalk instance it is given (level 0 gives plain text). One method per kind of line.
 */
export class TextLines {
  private readonly c: ChalkInstance;
  readonly width: number;

  constructor(chalk: ChalkInstance, width: number) {
    this.c = chalk;
    this.width = width;
  }

  /** The same lines for a narrower space (live mode tags every line). */
  narrower(by: number): TextLines {
    return new TextLines(this.c, this.width - by);
  }

  /** "Connection 1  client 10.0.0.1:40000 → server 10.0.0.2:80" */
  title(opened: ConnectionEvent): string {
    return (
      `${this.c.bold(`Connection ${opened.conn}`)}  ${this.side('client')} ` +
      `${formatEndpoint(opened.client)} → ${this.side('server')} ${formatEndpoint(opened.server)}`
    );
  }

  /** How the roles were decided; a guess is flagged. */
  roles(opened: ConnectionEvent): string[] {
    return opened.rolesGuessed
      ? this.labelled('roles', `guessed: ${opened.rolesReason}`, (l) => this.c.yellow(l))
      : this.labelled('roles', opened.rolesReason);
  }

  /** The heading's facts from the end of the connection: duration, each direction, final states. */
  totals(ended: EndEvent): string[] {
    return [
      ...this.labelled('duration', durationInWords(ended.end - ended.start)),
      ...this.labelled('client → server', this.direction(ended, 'client')),
      ...this.labelled('server → client', this.direction(ended, 'server')),
      ...this.labelled('final states', this.finalStatesPlain(ended), (l) => this.colourStates(l)),
    ];
  }

  /** Live mode's closing lines of a connection: what it carried, then its final states. */
  liveEnd(ended: EndEvent): string[] {
    const text =
      `end after ${durationInWords(ended.end - ended.start)}: ` +
      `${together(`client → server ${this.direction(ended, 'client')}`)}; ` +
      together(`server → client ${this.direction(ended, 'server')}`);
    return [...wrapParagraph(text, this.width, 2, 2).map((l) => this.c.dim(l)), `  ${this.finalLine(ended)}`];
  }

  transition(t: TransitionEvent, start: number): string[] {
    const c = this.c;
    const states = `${t.from.padEnd(STATE_WIDTH)} → ${c.bold(t.to)}${t.inferred ? c.dim('  (inferred)') : ''}`;
    const words = wrapParagraph(describeTransition(t), this.width, BODY_INDENT);
    return [
      `${this.columns(t.time - start, t.frame, t.side)}${states}`,
      ...(t.inferred ? words.map((l) => c.dim(l)) : words),
    ];
  }

  /** The first anomaly of its kind in a connection: the evidence, the likely causes, what to check. */
  anomalyExplained(a: AnomalyEvent, start: number): string[] {
    const lines = [`${this.columns(a.time - start, a.frame, a.side)}${this.severity(a.severity, a.kind)}`];
    lines.push(...wrapParagraph(keepPhrasesTogether(a.message, this.bodyWidth()), this.width, BODY_INDENT));
    likelyCauses(a.kind, a.evidence)
      .slice(0, CAUSES_SHOWN)
      .forEach((cause, i) => {
        lines.push(...this.causeLine(i === 0 ? 'likely:' : 'or:', cause));
      });
    const check = explainAnomaly(a.kind).check[0];
    if (check !== undefined) lines.push(...this.causeLine('check:', check));
    return lines;
  }

  /** A later anomaly of a kind already explained: one line with its numbers. */
  anomalyRepeat(a: AnomalyEvent, start: number): string[] {
    const evidence = describeEvidence(a.evidence);
    return this.headed(
      this.columns(a.time - start, a.frame, a.side),
      a.severity,
      a.kind,
      evidence === '' ? a.message : evidence,
    );
  }

  /** Where a kind starts being counted instead of listed. */
  folded(run: FoldedRun, at: AnomalyEvent, start: number): string[] {
    const frames =
      run.firstFrame === run.lastFrame ? `frame ${run.firstFrame}` : `frames ${run.firstFrame}–${run.lastFrame}`;
    const text = `… ${run.count} more ${run.kind}, ${frames}`;
    const head = this.columns(at.time - start, at.frame, undefined);
    return wrapWords(text, this.width - visibleLength(head), this.width - BODY_INDENT).map((l, i) =>
      i === 0 ? `${head}${this.c.dim(l)}` : `${' '.repeat(BODY_INDENT)}${this.c.dim(l)}`,
    );
  }

  /** A side sending data in CLOSE_WAIT; `complete` when the counts are final. */
  halfClose(d: HalfCloseData, start: number, complete: boolean): string[] {
    const peer = peerOf(d.sender);
    const frames = d.firstFrame === d.lastFrame ? `frame ${d.firstFrame}` : `frames ${d.firstFrame}–${d.lastFrame}`;
    const amount = complete
      ? `: ${together(plural(d.segments, 'segment'))}, ` +
        `${together(`${humanBytes(d.bytes)} of data`)} (${together(frames)})`
      : '';
    const words =
      `half-close: the ${d.sender} keeps sending after the ${peer}'s FIN${amount}. ` +
      `A FIN closes only its sender's direction, so the ${peer} still receives.`;
    return [
      `${this.columns(d.firstTime - start, d.firstFrame, d.sender)}${this.c.bold('data in CLOSE_WAIT')}`,
      ...wrapParagraph(words, this.width, BODY_INDENT),
    ];
  }

  /** -q: one self-contained line per anomaly, never wrapped (grep-friendly). */
  quietAnomaly(a: AnomalyEvent, start: number): string {
    return (
      `${this.tag(a.conn)}${formatRelativeTime(a.time - start)} #${a.frame} ` +
      `${this.side(a.side)} ${this.severity(a.severity, a.kind)}: ${a.message}`
    );
  }

  /** -q: one line per connection with its endpoints and final states. */
  quietFinal(opened: ConnectionEvent, ended: EndEvent): string {
    return (
      `${this.tag(opened.conn)}${this.side('client')} ${formatEndpoint(opened.client)} ` +
      `→ ${this.side('server')} ${formatEndpoint(opened.server)}  ` +
      this.finalLine(ended)
    );
  }

  /** "[3] ": which connection a line of live or -q output belongs to. */
  tag(conn: number): string {
    return this.c.dim(`[${conn}] `);
  }

  side(side: Side): string {
    return side === 'client' ? this.c.cyan('client') : this.c.magenta('server');
  }

  /** Columns left for the words under a timeline line. */
  private bodyWidth(): number {
    return this.width - BODY_INDENT;
  }

  private columns(relative: number, frame: number, side: Side | undefined): string {
    const time = formatRelativeTime(relative).padStart(TIME_WIDTH);
    const frameText = `#${frame}`.padEnd(FRAME_WIDTH);
    const sideText = side === undefined ? ' '.repeat(6) : this.side(side);
    return `  ${this.c.dim(time)}  ${this.c.dim(frameText)} ${sideText}  `;
  }

  /** "WARNING kind: text" after the columns, wrapped under the frame column. */
  private headed(head: string, severity: Severity, kind: string, text: string): string[] {
    const label = `${severity.toUpperCase()} ${kind}`;
    const lines = wrapWords(
      `${label}: ${keepPhrasesTogether(text, this.bodyWidth())}`,
      this.width - visibleLength(head),
      this.bodyWidth(),
    );
    return lines.map((l, i) => {
      if (i > 0) return `${' '.repeat(BODY_INDENT)}${l}`;
      return l.startsWith(label) ? `${head}${this.severity(severity, kind)}${l.slice(label.length)}` : `${head}${l}`;
    });
  }

  private severity(severity: Severity, kind: string): string {
    const c = this.c;
    const colour = severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.blue;
    return colour(`${severity.toUpperCase()} ${kind}`);
  }

  /** "  likely: text", the text wrapped under itself. */
  private causeLine(label: string, text: string): string[] {
    const indent = ' '.repeat(BODY_INDENT);
    const padded = label.padStart(CAUSE_LABEL_WIDTH - 1);
    const width = this.width - BODY_INDENT - CAUSE_LABEL_WIDTH;
    return wrapWords(keepPhrasesTogether(text, width), width).map((l, i) =>
      i === 0 ? `${indent}${this.c.dim(padded)} ${l}` : `${indent}${' '.repeat(CAUSE_LABEL_WIDTH)}${l}`,
    );
  }

  /** "  roles            the client sent the first SYN", the value wrapped under itself, then coloured. */
  private labelled(label: string, value: string, colour?: (line: string) => string): string[] {
    const indent = 2 + LABEL_WIDTH;
    return wrapWords(value, this.width - indent).map((l, i) => {
      const lead = i === 0 ? `  ${this.c.dim(label.padEnd(LABEL_WIDTH))}` : ' '.repeat(indent);
      return `${lead}${colour === undefined ? l : colour(l)}`;
    });
  }

  private direction(ended: EndEvent, sender: Side): string {
    const bytes = ended.bytes[sender];
    return `${plural(ended.packets[sender], 'packet')}, ${bytes === 0 ? 'no data' : `${humanBytes(bytes)} of data`}`;
  }

  /** "client TIME_WAIT, server CLOSED", marked when assumed at pickup (plain: it is wrapped before colouring). */
  private finalStatesPlain(ended: EndEvent, forWrapping = true): string {
    const states = `client ${ended.final.client}, server ${ended.final.server}`;
    return ended.assumed ? `${states} ${forWrapping ? together(ASSUMED) : ASSUMED}` : states;
  }

  /** Colours the sides, states and assumption mark in (part of) a plain final-states text. */
  private colourStates(text: string): string {
    const c = this.c;
    return text
      .replace(
        /\b(client|server) ([A-Z_0-9]+)\b/g,
        (_m, side: Side, state: string) => `${this.side(side)} ${c.bold(state)}`,
      )
      .replace(ASSUMED, c.yellow(ASSUMED));
  }

  /** "final: client TIME_WAIT, server CLOSED" */
  private finalLine(ended: EndEvent): string {
    return this.colourStates(`final: ${this.finalStatesPlain(ended, false)}`);
  }
}

const ASSUMED = '(from states assumed at pickup)';

/** Length on screen: without colour escape codes. */
function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex -- an SGR colour code starts with ESC (U+001B): matching it is the point
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}
