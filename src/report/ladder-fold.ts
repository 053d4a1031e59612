import { FIN, RST, SYN } from '../segment.js';
import { addToFold, emptyFold, type ArrowRow, type EventRow, type FoldRow, type LadderRow } from './ladder-rows.js';

/**
 * How much a segment matters to the drawing: `key` segments (a state change, SYN, FIN or
 * RST) are always drawn, `noisy` ones (with an anomaly) are drawn unless they come in a
 * long run, `plain` ones are folded in long runs.
 */
export type Weight = 'key' | 'noisy' | 'plain';

function weigh(row: ArrowRow): Weight {
  if (row.transitions.length > 0 || row.late.some((e) => e.type === 'transition')) return 'key';
  if ((row.arrow.flags & (SYN | FIN | RST)) !== 0) return 'key';
  return row.anomalies.length > 0 || row.late.length > 0 ? 'noisy' : 'plain';
}

/** Segments drawn at the start of a folded run; the run's last one is drawn too. */
const HEAD = 2;
/** Runs up to this long are drawn whole: a fold line would hide hardly anything. */
const KEEP_WHOLE: Record<'plain' | 'noisy', number> = { plain: 4, noisy: 6 };
/** Plain segments between two noisy ones that still belong to the same noisy run (acks interleaved with dup-acks). */
const NOISY_GAP = 3;
/**
 * Beyond this many drawn arrows only state changes are drawn: keeps a connection with
 * scattered anomalies all along (one every few segments) from being drawn whole.
 */
const MAX_DRAWN = 400;

/** A run being folded: the segments held while it is short, then its fold and its last segment. */
class Run {
  readonly kind: 'plain' | 'noisy' | 'capped';
  private held: ArrowRow[] = [];
  private fold: FoldRow | undefined;
  private last: ArrowRow | undefined;
  private readonly emit: (row: LadderRow) => void;

  constructor(kind: 'plain' | 'noisy' | 'capped', emit: (row: LadderRow) => void) {
    this.kind = kind;
    this.emit = emit;
    if (kind === 'capped') this.fold = emptyFold();
  }

  add(row: ArrowRow): void {
    if (this.kind === 'capped') {
      addToFold(this.fold!, row);
      return;
    }
    if (this.fold === undefined) {
      this.held.push(row);
      if (this.held.length <= KEEP_WHOLE[this.kind]) return;
      for (const head of this.held.slice(0, HEAD)) this.emit(head);
      this.fold = emptyFold();
      for (const middle of this.held.slice(HEAD, -1)) addToFold(this.fold, middle);
      this.last = this.held[this.held.length - 1];
      this.held = [];
      return;
    }
    addToFold(this.fold, this.last!);
    this.last = row;
  }

  /** A segment of this run not yet drawn nor folded. */
  undecided(frame: number): ArrowRow | undefined {
    return this.held.find((r) => r.arrow.frame === frame) ?? (this.last?.arrow.frame === frame ? this.last : undefined);
  }

  close(): void {
    for (const row of this.held) this.emit(row);
    if (this.fold !== undefined && this.fold.segments > 0) this.emit(this.fold);
    if (this.last !== undefined) this.emit(this.last);
  }
}

/**
 * Decides online which segments are drawn and which are folded into a counted line, so a
 * connection holds only its drawn rows, a few undecided segments and counters. Rows come
 * out in capture order through `emit`.
 */
export class Folder {
  private run: Run | undefined;
  /** Plain segments after a noisy run, not yet known to be a gap inside it or the start of a plain run. */
  private gap: ArrowRow[] = [];
  private drawn = 0;
  private readonly full: boolean;
  private readonly out: (row: LadderRow) => void;

  /** `full`: draw every segment. */
  constructor(full: boolean, emit: (row: LadderRow) => void) {
    this.full = full;
    this.out = emit;
  }

  segment(row: ArrowRow): void {
    if (this.full) {
      this.emit(row);
      return;
    }
    const weight = weigh(row);
    if (weight === 'key') {
      this.closeAll();
      this.emit(row);
      return;
    }
    if (this.drawn >= MAX_DRAWN) {
      if (this.run?.kind !== 'capped') {
        this.closeAll();
        this.run = new Run('capped', (r) => {
          this.emit(r);
        });
      }
      this.run.add(row);
      return;
    }
    if (weight === 'noisy') {
      if (this.run?.kind === 'noisy') {
        for (const g of this.gap) this.run.add(g);
        this.gap = [];
      } else {
        this.closeAll();
        this.run = new Run('noisy', (r) => {
          this.emit(r);
        });
      }
      this.run.add(row);
      return;
    }
    if (this.run?.kind === 'noisy') {
      this.gap.push(row);
      if (this.gap.length > NOISY_GAP) this.startPlainFromGap();
      return;
    }
    if (this.run?.kind !== 'plain') {
      this.closeAll();
      this.run = new Run('plain', (r) => {
        this.emit(r);
      });
    }
    this.run.add(row);
  }

  /**
   * A segment handed over but not yet drawn nor folded: an event of its frame that turns
   * up late can still go with it.
   */
  undecided(frame: number): ArrowRow | undefined {
    return this.gap.find((r) => r.arrow.frame === frame) ?? this.run?.undecided(frame);
  }

  /** Events without a segment of their own: drawn where they fall, so every run before them ends. */
  event(row: EventRow): void {
    this.closeAll();
    this.emit(row);
  }

  finish(): void {
    this.closeAll();
  }

  private startPlainFromGap(): void {
    this.run?.close();
    this.run = new Run('plain', (r) => {
      this.emit(r);
    });
    for (const g of this.gap) this.run.add(g);
    this.gap = [];
  }

  private closeAll(): void {
    if (this.gap.length > 0) this.startPlainFromGap();
    this.run?.close();
    this.run = undefined;
  }

  private emit(row: LadderRow): void {
    if (row.type === 'arrow') this.drawn++;
    this.out(row);
  }
}
