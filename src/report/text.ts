import type { ChalkInstance } from 'chalk';
import type { AnomalyEvent, ConnectionEvent, TrackerEvent, AnomalyKind } from '../events.js';
import { teachingNotes, type TeachingTopic } from '../explain/teaching.js';
import { topicsOfAnomaly, topicsOfTransition } from '../explain/topics.js';
import type { InputReport } from '../pipeline.js';
import { AnomalyFolder, type AnomalyPlacement } from './anomaly-fold.js';
import { ConnectionCollector, type ConnectionRecord } from './collect.js';
import { renderTeaching } from './notes-text.js';
import { connectionCount } from './format.js';
import type { Output, Reporter } from './reporter.js';
import { TextLines } from './text-lines.js';
import { together, unbroken, wrapParagraph } from './wrap.js';
import { escapeControls } from './terminal/escape.js';

export interface TextOptions {
  chalk: ChalkInstance;
  /** Print each line as soon as it is known (live input) instead of one block per connection. */
  live: boolean;
  /** Only anomalies and final states. */
  quiet: boolean;
  /** End the report with the teaching notes relevant to what it showed. */
  explain: boolean;
  /** Columns to wrap to. */
  width: number;
  /** Maximum segment lifetime the tracker used, for the TIME_WAIT note. */
  mslSeconds: number;
}

/** What a live connection needs until its end. */
interface LiveConnection {
  opened: ConnectionEvent;
  start: number;
  folder: AnomalyFolder;
}

/** One line group of a connection's timeline, before it is rendered. */
type TimelineItem =
  { frame: number; rank: 0 | 1; render: () => string[] } | { frame: number; rank: 2; anomaly: AnomalyEvent };

/**
 * The default human report, a teacher's account of each connection: a heading (endpoints,
 * roles, duration, packets and bytes each way, final states), then the timeline of both
 * sides' transitions in words with the anomalies where they happen. `-q` keeps only the
 * anomalies and final states, one line each; `--explain` ends the report with the notes
 * that explain what it showed.
 */
export class TextReporter implements Reporter {
  private readonly out: Output;
  private readonly opts: TextOptions;
  private readonly lines: TextLines;
  private collector: ConnectionCollector | undefined;
  private readonly live = new Map<number, LiveConnection>();
  private connectionsInInput = 0;
  private inputsDone = 0;
  /** For --explain: what the whole report showed, and the anomaly kinds in order of appearance. */
  private readonly topics = new Set<TeachingTopic>();
  private readonly kinds = new Set<AnomalyKind>();

  constructor(out: Output, opts: TextOptions) {
    this.out = out;
    this.opts = opts;
    this.lines = new TextLines(opts.chalk, opts.width);
  }

  beginInput(_name: string): void {
    if (this.inputsDone > 0 && !this.opts.quiet) this.write(['']);
    this.connectionsInInput = 0;
    this.collector = new ConnectionCollector((rec) => {
      this.printConnection(rec);
    });
  }

  event(e: TrackerEvent): void {
    this.learn(e);
    if (e.type === 'connection') this.connectionsInInput++;
    if (this.opts.live) this.printLive(e);
    else this.collector?.event(e);
  }

  endInput(report: InputReport): void {
    this.inputsDone++;
    const s = report.stats;
    if (s === undefined) return;
    const skipped =
      s.skipped === 0
        ? ''
        : `, ${together(`${s.skipped} skipped`)} (${[...s.skipReasons].map(([r, n]) => `${n} ${r}`).join(', ')})`;
    const conns = together(connectionCount(report.connections, this.connectionsInInput));
    const line =
      `${escapeControls(report.name)}: ${report.format ?? '?'}, ${together(`${s.packets} packets`)}, ` +
      `${together(`${s.tcpSegments} TCP segments`)}${skipped}; ${conns}`;
    // -q keeps every line whole for grep.
    const lines = this.opts.quiet ? [unbroken(line)] : wrapParagraph(line, this.opts.width, 0, 2);
    this.write(lines.map((l) => this.opts.chalk.dim(l)));
  }

  finish(): void {
    if (!this.opts.explain) return;
    const notes = teachingNotes({ mslSeconds: this.opts.mslSeconds, topics: this.topics });
    const lines = renderTeaching(notes, [...this.kinds], this.opts.chalk, this.opts.width);
    if (lines.length > 0) this.write(['', ...lines]);
  }

  /** Notes what the report showed, for --explain. */
  private learn(e: TrackerEvent): void {
    if (e.type === 'transition') for (const t of topicsOfTransition(e.step, e.to)) this.topics.add(t);
    if (e.type === 'anomaly') {
      this.kinds.add(e.kind);
      for (const t of topicsOfAnomaly(e.kind)) this.topics.add(t);
    }
    if (e.type === 'end' && e.assumed) this.topics.add('midstream');
    if (e.type === 'end' && e.halfClose !== undefined) this.topics.add('half-close');
  }

  private printConnection(rec: ConnectionRecord): void {
    const halfClose = rec.ended.halfClose ?? [];
    const start = rec.opened.time;
    if (this.opts.quiet) {
      const anomalies = [...rec.anomalies].sort((x, y) => x.frame - y.frame);
      this.write([
        ...anomalies.map((a) => this.lines.quietAnomaly(a, start)),
        this.lines.quietFinal(rec.opened, rec.ended),
      ]);
      return;
    }
    const items: TimelineItem[] = [
      ...rec.transitions.map((t): TimelineItem => ({
        frame: t.frame,
        rank: 0,
        render: () => this.lines.transition(t, start),
      })),
      ...halfClose.map((d): TimelineItem => ({
        frame: d.firstFrame,
        rank: 1,
        render: () => this.lines.halfClose(d, start, true),
      })),
      ...rec.anomalies.map((a): TimelineItem => ({ frame: a.frame, rank: 2, anomaly: a })),
    ];
    items.sort((x, y) => x.frame - y.frame || x.rank - y.rank); // stable: capture order within a rank
    // Placed in the order shown, rendered after: a folded run's count is known only at the end.
    const folder = new AnomalyFolder();
    const placed = items.map((item) => ({ item, placement: item.rank === 2 ? folder.place(item.anomaly) : undefined }));
    const timeline = placed.flatMap(({ item, placement }) =>
      item.rank === 2 ? this.anomalyLines(item.anomaly, placement!, start) : item.render(),
    );
    const heading = [this.lines.title(rec.opened), ...this.lines.roles(rec.opened), ...this.lines.totals(rec.ended)];
    this.write([...heading, ...(timeline.length > 0 ? ['', ...timeline] : []), '']);
  }

  private anomalyLines(a: AnomalyEvent, placement: AnomalyPlacement, start: number, lines = this.lines): string[] {
    switch (placement.as) {
      case 'explained':
        return lines.anomalyExplained(a, start);
      case 'repeat':
        return lines.anomalyRepeat(a, start);
      case 'folded':
        return placement.opens ? lines.folded(placement.run, a, start) : [];
    }
  }

  private printLive(e: TrackerEvent): void {
    const quiet = this.opts.quiet;
    switch (e.type) {
      case 'connection':
        this.live.set(e.conn, { opened: e, start: e.time, folder: new AnomalyFolder() });
        if (!quiet) this.write(this.tagged(e.conn, [this.lines.title(e), ...this.liveLines(e.conn).roles(e)]));
        break;
      case 'transition': {
        const conn = this.live.get(e.conn);
        if (!quiet && conn !== undefined)
          this.write(this.tagged(e.conn, this.liveLines(e.conn).transition(e, conn.start)));
        break;
      }
      case 'anomaly': {
        const conn = this.live.get(e.conn);
        if (conn === undefined) break;
        if (quiet) this.write([this.lines.quietAnomaly(e, conn.start)]);
        else this.write(this.tagged(e.conn, this.liveFolded(e, conn)));
        break;
      }
      case 'end': {
        const conn = this.live.get(e.conn);
        this.live.delete(e.conn);
        if (conn === undefined) break;
        if (quiet) {
          this.write([this.lines.quietFinal(conn.opened, e)]);
        } else {
          const folded = conn.folder.folded();
          const counts = folded.map((r) => `${r.count} ${r.kind}`).join(', ');
          const note = folded.length === 0 ? [] : [`  ${this.opts.chalk.dim(`not listed one by one: ${counts}`)}`];
          const lines = this.liveLines(e.conn);
          const halfClose = (e.halfClose ?? []).flatMap((d) => lines.halfClose(d, conn.start, true));
          this.write(this.tagged(e.conn, [...halfClose, ...note, ...lines.liveEnd(e)]));
        }
        break;
      }
    }
  }

  /** Live: a folded kind is announced once, when folding starts; its count comes with the end. */
  private liveFolded(a: AnomalyEvent, conn: LiveConnection): string[] {
    const placement = conn.folder.place(a);
    const lines = this.liveLines(a.conn);
    if (placement.as !== 'folded') return this.anomalyLines(a, placement, conn.start, lines);
    if (!placement.opens) return [];
    const text =
      `… more ${a.kind} from frame ${a.frame} on are counted, ` + `not listed (see the end of connection ${a.conn})`;
    return [`${' '.repeat(2)}${this.opts.chalk.dim(text)}`];
  }

  /** Live lines carry a "[id] " tag, so they wrap that much narrower. */
  private liveLines(conn: number): TextLines {
    return this.lines.narrower(`[${conn}] `.length);
  }

  private tagged(conn: number, lines: string[]): string[] {
    const tag = this.lines.tag(conn);
    return lines.map((l) => `${tag}${l}`);
  }

  private write(lines: string[]): void {
    this.out(`${lines.join('\n')}\n`);
  }
}
