import {
  peerOf,
  type AnomalyEvent,
  type ConnectionEvent,
  type EndEvent,
  type SegmentEvent,
  type Side,
  type TcpState,
  type TransitionEvent,
} from '../events.js';
import { ACK, SYN } from '../segment.js';
import { Folder } from './ladder-fold.js';
import type { ArrowRow, EventRow, LadderRow } from './ladder-rows.js';

/** Where a side's relative sequence numbers start from, and how that was learnt. */
export interface SequenceBase {
  /** Absolute number shown as 0 (the ISN) or, without a SYN, the one before the first number seen. */
  base: number;
  /** The base is the side's ISN from its SYN; otherwise its first sequence number is shown as 1. */
  fromSyn: boolean;
}

/** What the drawing of one ended connection needs. */
export interface LadderConnectionRecord {
  opened: ConnectionEvent;
  ended: EndEvent;
  rows: LadderRow[];
  bases: Record<Side, SequenceBase | undefined>;
  /** Each side's state before its first transition (its final state when it never moved). */
  initial: Record<Side, TcpState>;
}

type TimedEvent = TransitionEvent | AnomalyEvent;

/**
 * Builds one connection's ladder online from its segments and events. A segment's own
 * events are complete once the connection's next segment (or its end) arrives; it is then
 * handed to the folder, which keeps only what will be drawn. Events dated at an earlier
 * frame go with that frame's segment when it is drawn (an anomaly also while it is still
 * undecided), else under the segment that revealed them; events dated after the latest
 * segment wait for their own.
 */
export class LadderConnection {
  private readonly opened: ConnectionEvent;
  private readonly rows: LadderRow[] = [];
  /** Drawn arrows by frame, for events that turn up later. Bounded by the folding. */
  private readonly drawn = new Map<number, ArrowRow>();
  private readonly folder: Folder;
  private current: ArrowRow | undefined;
  /** Events dated at a frame after the latest segment. */
  private early: TimedEvent[] = [];
  private readonly bases: Record<Side, SequenceBase | undefined> = { client: undefined, server: undefined };
  private readonly initial: Record<Side, TcpState | undefined> = { client: undefined, server: undefined };

  constructor(opened: ConnectionEvent, full: boolean) {
    this.opened = opened;
    this.folder = new Folder(full, (row) => {
      this.rows.push(row);
      if (row.type === 'arrow') this.drawn.set(row.arrow.frame, row);
    });
  }

  segment(e: SegmentEvent): void {
    this.completeCurrent();
    this.flushEarlyBefore(e.frame);
    const row: ArrowRow = { type: 'arrow', arrow: this.arrowOf(e), transitions: [], anomalies: [], late: [] };
    this.current = row;
    if (this.early.length === 0) return;
    const own = this.early.filter((x) => x.frame === e.frame);
    this.early = this.early.filter((x) => x.frame !== e.frame);
    for (const x of own) this.attach(row, x);
  }

  event(e: TimedEvent): void {
    if (e.type === 'transition' && this.initial[e.side] === undefined) this.initial[e.side] = e.from;
    const current = this.current;
    if (current === undefined || e.frame > current.arrow.frame) {
      this.early.push(e);
      return;
    }
    if (e.frame === current.arrow.frame) {
      this.attach(current, e);
      return;
    }
    // A transition must be drawn: an undecided segment may still be folded, whereas `late`
    // makes the segment carrying it a key segment.
    const earlier = this.drawn.get(e.frame) ?? (e.type === 'anomaly' ? this.folder.undecided(e.frame) : undefined);
    if (earlier !== undefined) this.attach(earlier, e);
    else current.late.push(e);
  }

  end(ended: EndEvent): LadderConnectionRecord {
    this.completeCurrent();
    this.flushEarlyBefore(Infinity);
    this.folder.finish();
    return {
      opened: this.opened,
      ended,
      rows: this.rows,
      bases: this.bases,
      initial: {
        client: this.initial.client ?? ended.final.client,
        server: this.initial.server ?? ended.final.server,
      },
    };
  }

  private completeCurrent(): void {
    if (this.current === undefined) return;
    this.folder.segment(this.current);
    this.current = undefined;
  }

  /** Events of frames that turned out to have no segment of this connection become rows of their own. */
  private flushEarlyBefore(frame: number): void {
    if (this.early.length === 0) return;
    const due = this.early.filter((x) => x.frame < frame);
    if (due.length === 0) return;
    this.early = this.early.filter((x) => x.frame >= frame);
    const byFrame = new Map<number, EventRow>();
    for (const x of due) {
      let row = byFrame.get(x.frame);
      if (row === undefined) {
        row = { type: 'event', frame: x.frame, time: x.time - this.opened.time, transitions: [], anomalies: [] };
        byFrame.set(x.frame, row);
      }
      this.attach(row, x);
    }
    for (const row of [...byFrame.values()].sort((a, b) => a.frame - b.frame)) this.folder.event(row);
  }

  private attach(row: ArrowRow | EventRow, e: TimedEvent): void {
    if (e.type === 'transition') row.transitions.push(e);
    else row.anomalies.push(e);
  }

  private arrowOf(e: SegmentEvent): ArrowRow['arrow'] {
    const own = this.baseOf(e.side, e.seq, (e.flags & SYN) !== 0);
    const peer = peerOf(e.side);
    const hasAck = (e.flags & ACK) !== 0;
    // An ack towards a side not yet heard from fixes that side's base as Wireshark does: the acked number is 1.
    const peerBase = hasAck ? this.baseOf(peer, (e.ack - 1) >>> 0, false, true) : undefined;
    return {
      frame: e.frame,
      time: e.time - this.opened.time,
      side: e.side,
      flags: e.flags,
      seq: (e.seq - own) >>> 0,
      ack: peerBase === undefined ? undefined : (e.ack - peerBase) >>> 0,
      len: e.len,
    };
  }

  /** The side's base, fixed by the first number seen: a SYN's seq is the ISN (0), any other first seq is 1. */
  private baseOf(side: Side, seq: number, syn: boolean, isBase = false): number {
    const known = this.bases[side];
    if (known !== undefined) return known.base;
    const base = syn || isBase ? seq : (seq - 1) >>> 0;
    this.bases[side] = { base, fromSyn: syn };
    return base;
  }
}
