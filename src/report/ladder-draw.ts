import type { ChalkInstance } from 'chalk';
import type { AnomalyEvent, Severity, Side, TransitionEvent } from '../events.js';
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../segment.js';
import { formatEndpoint } from './endpoint-text.js';
import { formatRelativeTime } from './words.js';
import { toAscii, type Glyphs } from './glyphs.js';
import type { LadderConnectionRecord } from './ladder-connection.js';
import type { Arrow, ArrowRow, EventRow, FoldRow, LadderRow } from './ladder-rows.js';
import { columns, fit, StyledLine, wrap } from './text-fit.js';
import { formatCount, humanBytes } from './units.js';

export interface LadderStyle {
  chalk: ChalkInstance;
  glyphs: Glyphs;
  /** Columns available; the drawing never goes wider. */
  width: number;
}

/** Narrower than this, not even a SYN's label fits between the columns. */
export const MIN_WIDTH = 60;
/** Wider than this the arrows only get longer, not clearer. */
const MAX_WIDTH = 100;
/** Room an arrow needs for a typical label ("PSH,ACK seq=1 ack=43 len=1448") before the time column is given up. */
const MIN_ARROW = 34;
/** The longest state name, ESTABLISHED. */
const STATE_WIDTH = 11;

const FLAG_NAMES: [number, string][] = [
  [SYN, 'SYN'],
  [FIN, 'FIN'],
  [RST, 'RST'],
  [PSH, 'PSH'],
  [ACK, 'ACK'],
  [URG, 'URG'],
  [ECE, 'ECE'],
  [CWR, 'CWR'],
  [AE, 'AE'],
];

/** Flags in the order Wireshark lists them: SYN,ACK / FIN,ACK / PSH,ACK. */
function flagNames(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  return names.length === 0 ? 'none' : names.join(',');
}

interface Layout {
  width: number;
  frameWidth: number;
  /** 0 when the terminal is too narrow for the time column. */
  timeWidth: number;
  /** Column of the client's vertical line; its state is written left of it. */
  clientX: number;
  /** Column of the server's vertical line; its state is written right of it. */
  serverX: number;
}

/** The lines of one connection's sequence diagram: heading, columns, one arrow per drawn segment, footer. */
export function drawConnection(rec: LadderConnectionRecord, style: LadderStyle): string[] {
  return new LadderDrawing(rec, style).lines();
}

class LadderDrawing {
  private readonly rec: LadderConnectionRecord;
  private readonly c: ChalkInstance;
  private readonly g: Glyphs;
  private readonly layout: Layout;
  private readonly out: string[] = [];

  constructor(rec: LadderConnectionRecord, style: LadderStyle) {
    this.rec = rec;
    this.c = style.chalk;
    this.g = style.glyphs;
    this.layout = layoutFor(rec.rows, Math.min(Math.max(style.width, MIN_WIDTH), MAX_WIDTH));
  }

  lines(): string[] {
    this.heading();
    this.columnHeads();
    for (const row of this.rec.rows) this.row(row);
    this.footer();
    return this.out;
  }

  private heading(): void {
    const { opened } = this.rec;
    const c = this.c;
    const width = this.layout.width;
    const client = this.text(formatEndpoint(opened.client));
    const server = this.text(formatEndpoint(opened.server));
    const title = `Connection ${opened.conn}`;
    if (columns(`${title}: client ${client} ${this.g.to} server ${server}`) <= width) {
      this.out.push(
        `${c.bold(title)}: ${this.sideName('client')} ${client} ${this.g.to} ${this.sideName('server')} ${server}`,
      );
    } else {
      this.out.push(`${c.bold(title)}:`);
      this.out.push(`  ${this.sideName('client')} ${fit(client, width - 9, this.g.ellipsis)}`);
      this.out.push(`  ${this.sideName('server')} ${fit(server, width - 9, this.g.ellipsis)}`);
    }
    if (opened.rolesGuessed) this.paragraph(`roles guessed: ${opened.rolesReason}`, c.yellow);
    const bases = (['client', 'server'] as const).flatMap((side) => {
      const b = this.rec.bases[side];
      if (b === undefined) return [];
      return [b.fromSyn ? `${side} ${b.base}` : `${side} sent no SYN: ${(b.base + 1) >>> 0} shown as 1`];
    });
    const allSyn = this.rec.bases.client?.fromSyn !== false && this.rec.bases.server?.fromSyn !== false;
    if (bases.length > 0)
      this.paragraph(`seq and ack relative to each side's ISN: ${bases.join(allSyn ? ', ' : '; ')}`, c.dim);
  }

  private columnHeads(): void {
    const { clientX, serverX, frameWidth, timeWidth } = this.layout;
    const c = this.c;
    const head = new StyledLine()
      .put(
        timeWidth === 0
          ? 'frame'.padStart(frameWidth)
          : `${'frame'.padStart(frameWidth)} ${'time'.padStart(timeWidth)}`,
        c.dim,
      )
      .padTo(clientX - 1 - 'client'.length)
      .put('client', c.cyan)
      .padTo(serverX + 2)
      .put('server', c.magenta);
    this.out.push(head.toString());
    this.out.push(this.stateLine(undefined, this.rec.initial.client, this.rec.initial.server).toString());
  }

  private row(row: LadderRow): void {
    switch (row.type) {
      case 'arrow':
        this.arrowRow(row);
        break;
      case 'fold':
        this.foldRow(row);
        break;
      case 'event':
        this.eventRow(row);
        break;
    }
  }

  private arrowRow(row: ArrowRow): void {
    const a = row.arrow;
    const client = row.transitions.filter((t) => t.side === 'client');
    const server = row.transitions.filter((t) => t.side === 'server');
    const line = this.stateLine(this.gutter(a.frame, a.time), client[0], server[0], this.arrowBody(a));
    this.out.push(line.toString());
    for (let i = 1; i < Math.max(client.length, server.length); i++) {
      this.out.push(this.stateLine(undefined, client[i], server[i]).toString());
    }
    for (const an of row.anomalies) this.note(an, '');
    for (const e of row.late) {
      const where = `(frame ${e.frame}, ${e.side})`;
      if (e.type === 'anomaly') this.note(e, `${where} `);
      else
        this.out.push(
          this.stateLine(
            undefined,
            e.side === 'client' ? e : undefined,
            e.side === 'server' ? e : undefined,
            this.inside(`${where} ${e.reason}`),
          ).toString(),
        );
    }
  }

  private eventRow(row: EventRow): void {
    let gutter: string | undefined = this.gutter(row.frame, row.time);
    for (const t of row.transitions) {
      const what = `${t.reason}${t.inferred ? ' (inferred)' : ''}`;
      this.out.push(
        this.stateLine(
          gutter,
          t.side === 'client' ? t : undefined,
          t.side === 'server' ? t : undefined,
          this.inside(what),
        ).toString(),
      );
      gutter = undefined;
    }
    for (const an of row.anomalies) this.note(an, gutter === undefined ? '' : `(frame ${row.frame}) `);
  }

  private foldRow(fold: FoldRow): void {
    const { clientX, serverX, width } = this.layout;
    const text = foldText(fold, this.g, width);
    const w = columns(text);
    const start = Math.max(0, Math.min(width - w, Math.round((clientX + serverX + 1 - w) / 2)));
    this.out.push(new StyledLine().padTo(start).put(text, this.c.dim).toString());
  }

  /**
   * A row with each side's vertical line, the states written beside them and `middle` (text
   * and style) between them.
   */
  private stateLine(
    gutter: string | undefined,
    client: TransitionEvent | string | undefined,
    server: TransitionEvent | string | undefined,
    middle?: [string, (s: string) => string],
  ): StyledLine {
    const { clientX, serverX } = this.layout;
    const line = new StyledLine();
    if (gutter !== undefined) line.put(gutter, this.c.dim);
    if (client !== undefined) {
      const label = typeof client === 'string' ? client : client.to;
      line.padTo(clientX - 1 - label.length).put(label, this.stateStyle(client));
    }
    line.padTo(clientX).put(this.g.line);
    if (middle !== undefined) line.put(middle[0], middle[1]);
    line.padTo(serverX).put(this.g.line);
    if (server !== undefined) {
      const label = typeof server === 'string' ? server : server.to;
      line.put(' ').put(label, this.stateStyle(server));
    }
    return line;
  }

  private stateStyle(state: TransitionEvent | string): (s: string) => string {
    return typeof state !== 'string' && state.inferred === true ? this.c.dim : this.c.bold;
  }

  /** The arrow between the two lines, its label centred on it, pointing away from the sender. */
  private arrowBody(a: Arrow): [string, (s: string) => string] {
    const g = this.g;
    const area = this.layout.serverX - this.layout.clientX - 1;
    let label = `${flagNames(a.flags)} seq=${a.seq}${a.ack === undefined ? '' : ` ack=${a.ack}`} len=${a.len}`;
    const room = area - 3;
    if (columns(label) > room && a.len === 0) label = label.slice(0, -' len=0'.length);
    label = fit(label, room, g.ellipsis);
    const free = area - columns(g.headRight) - columns(label);
    const before = Math.floor(free / 2);
    const body = `${g.dash.repeat(before)}${label}${g.dash.repeat(free - before)}`;
    const text = a.side === 'client' ? `${body}${g.headRight}` : `${g.headLeft}${body}`;
    return [text, a.side === 'client' ? this.c.cyan : this.c.magenta];
  }

  /** A short remark between the two lines. */
  private inside(text: string): [string, (s: string) => string] {
    const area = this.layout.serverX - this.layout.clientX - 1;
    return [` ${fit(this.text(text), area - 2, this.g.ellipsis)}`, this.c.dim];
  }

  /** An anomaly under its arrow, from under the time to the right edge. */
  private note(an: AnomalyEvent, prefix: string): void {
    const { frameWidth, width } = this.layout;
    const start = frameWidth + 1;
    const words = an.kind.replace(/-/g, ' ');
    const said = an.message.toLowerCase().startsWith(words) || an.message.toLowerCase().startsWith(an.kind);
    const text = this.text(`${prefix}${said ? an.message : `${an.kind}: ${an.message}`}`);
    const room = width - start - columns(this.g.warn) - 1;
    this.out.push(
      new StyledLine()
        .padTo(start)
        .put(`${this.g.warn} ${fit(text, room, this.g.ellipsis)}`, this.severityStyle(an.severity))
        .toString(),
    );
  }

  private footer(): void {
    const e = this.rec.ended;
    const c = this.c;
    const assumed = e.assumed ? ' (from states assumed at pickup)' : '';
    this.out.push(
      `  final: ${this.sideName('client')} ${c.bold(e.final.client)}, ` +
        `${this.sideName('server')} ${c.bold(e.final.server)}${assumed}`,
    );
    const total = e.packets.client + e.packets.server;
    const sent = (side: Side): string => `${formatCount(e.packets[side])} (${humanBytes(e.bytes[side])})`;
    this.paragraph(
      `${formatCount(total)} segment${total === 1 ? '' : 's'} in ${(e.end - e.start).toFixed(6)} s; ` +
        `client sent ${sent('client')}, server ${sent('server')}`,
      c.dim,
    );
  }

  /** Indented text wrapped to the width. */
  private paragraph(text: string, style: (s: string) => string): void {
    for (const l of wrap(this.text(text), this.layout.width - 2, this.g.ellipsis)) this.out.push(`  ${style(l)}`);
  }

  private gutter(frame: number, time: number): string {
    const { frameWidth, timeWidth } = this.layout;
    const f = String(frame).padStart(frameWidth);
    return timeWidth === 0 ? f : `${f} ${formatRelativeTime(time).padStart(timeWidth)}`;
  }

  private sideName(side: Side): string {
    return side === 'client' ? this.c.cyan('client') : this.c.magenta('server');
  }

  private severityStyle(severity: Severity): (s: string) => string {
    return severity === 'error' ? this.c.red : severity === 'warning' ? this.c.yellow : this.c.blue;
  }

  private text(s: string): string {
    return this.g.ascii ? toAscii(s) : s;
  }
}

function layoutFor(rows: LadderRow[], width: number): Layout {
  let maxFrame = 0;
  let timeWidth = 'time'.length;
  for (const row of rows) {
    const dated = row.type === 'arrow' ? row.arrow : row.type === 'event' ? row : undefined;
    if (dated === undefined) continue;
    maxFrame = Math.max(maxFrame, dated.frame);
    timeWidth = Math.max(timeWidth, formatRelativeTime(dated.time).length);
  }
  const frameWidth = Math.max('frame'.length, String(maxFrame).length);
  const serverX = width - STATE_WIDTH - 2;
  const clientXFor = (time: number): number => frameWidth + (time === 0 ? 0 : 1 + time) + 2 + STATE_WIDTH + 1;
  // A narrow terminal gives the arrows the time column's room: the frame number still places each segment.
  if (serverX - clientXFor(timeWidth) - 1 < MIN_ARROW) timeWidth = 0;
  return { width, frameWidth, timeWidth, clientX: clientXFor(timeWidth), serverX };
}

/** "… 1,204 segments, 1.7 MB client→server: 120 duplicate-ack …", shortened to fit `width`. */
function foldText(fold: FoldRow, g: Glyphs, width: number): string {
  const count = `${formatCount(fold.segments)} segment${fold.segments === 1 ? '' : 's'}`;
  const bytes = (['client', 'server'] as const)
    .filter((side) => fold.bytes[side] > 0)
    .map(
      (side) => `${humanBytes(fold.bytes[side])} ${side === 'client' ? `client${g.to}server` : `server${g.to}client`}`,
    );
  const kinds = [...fold.kinds].sort((x, y) => y[1] - x[1]).map(([kind, n]) => `${formatCount(n)} ${kind}`);
  const frame = (inner: string): string => `${g.ellipsis} ${inner} ${g.ellipsis}`;
  const withKinds = (head: string, shown: string[]): string =>
    shown.length === 0
      ? head
      : `${head}: ${shown.join(', ')}${shown.length < kinds.length ? `, +${kinds.length - shown.length} more` : ''}`;
  const full = frame(withKinds([count, ...bytes].join(', '), kinds));
  if (columns(full) <= width) return full;
  for (let shown = kinds.length; shown >= 0; shown--) {
    const candidate = frame(withKinds(count, kinds.slice(0, shown)));
    if (columns(candidate) <= width) return candidate;
  }
  return fit(frame(count), width, g.ellipsis);
}
