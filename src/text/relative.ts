// Relative sequence numbers (tcpdump's default) back to numbers the tracker can use as if
// they were absolute. tcpdump's rules (print-tcp.c tcp_print(); spec §4), per conversation
// (the unordered pair of endpoints), s = sender, r = receiver:
//
//   R1  no ACK: printed absolute; the table is not touched.
//   R2  ACK, and no entry yet or SYN set: printed absolute; base[s] = seq, base[r] = ack − 1.
//   R3  any other ACK: printed seq − base[s] and ack − base[r] (mod 2^32).
//   R4  with ACK, SACK edges are printed minus base[r]; without ACK they are absolute.
//
// Replaying the rules on the text gives every base, so relative + base is the true number.
// One base is unknowable: when the R2 segment is a pure ACK, its seq is not printed (without
// -vv), and tcpdump's base[s] is that hidden number. The side then gets a stand-in numbering
// starting at 0 (its relative numbers as they are); absolute numbers of that side, from
// `tcpdump -S` or from R1 segments, are moved onto it by the shift found at the first one.
// The tracker only needs each side numbered consistently, not the true values.
//
// `tcpdump -S` prints everything absolute, so an R3 segment is read both ways, and the
// reading that lands closer to where both sides are known to be wins (spec §4 step 6,
// generalised): each conversation decides for itself, so mixed texts work too.

import { ACK, SYN } from '../segment.js';
import { segEnd, seqDiff, seqGt } from '../tcp/seq.js';
import type { PrintedSegment } from './printed-segment.js';

/** One side of a conversation, in the numbering handed to the tracker. */
interface Side {
  /** tcpdump's base for this side's numbers (R2), in our numbering. */
  base: number;
  /** The next sequence number this side sends (highest end sent or acknowledged), or -1. */
  nxt: number;
  /** Absolute numbers of this side minus `shift` are ours; unknown while not `anchored`. */
  shift: number;
  anchored: boolean;
}

/** How a conversation's R3 numbers are printed. */
type Numbering = 'undecided' | 'relative' | 'absolute';

interface Conversation {
  /** tcpdump has a table entry for it (an ACK segment was seen). */
  hasEntry: boolean;
  numbering: Numbering;
  /** The side whose endpoint text sorts first, and the other. */
  first: Side;
  second: Side;
}

/**
 * tcpdump never forgets a conversation; we keep the ones seen recently: a conversation
 * not seen for one whole generation of this many others is dropped, so memory stays
 * bounded (two generations at most) without a per-packet LRU update.
 */
export const GENERATION_SIZE = 50_000;

/** A reading that beats the other by this much decides the conversation for good. */
const CLEAR_MARGIN = 65_536;

function newSide(): Side {
  return { base: 0, nxt: -1, shift: 0, anchored: true };
}

/** Conversations by their endpoints: host of the first, host of the second, both ports. */
type ConversationTable = Map<string, Map<string, Map<number, Conversation>>>;

export class RelativeNumbers {
  private current: ConversationTable = new Map();
  private previous: ConversationTable = new Map();
  private currentSize = 0;
  private previousSize = 0;
  /** The numbering of the last conversation decided: the guess for undecided ones. */
  private textNumbering: Numbering = 'relative';
  /** The last conversation looked up: consecutive lines are mostly of one conversation. */
  private lastFirst = '';
  private lastSecond = '';
  private lastPorts = 0;
  private last: Conversation | undefined;

  /** Conversations remembered, at most (for tests of the memory bound). */
  get size(): number {
    return this.currentSize + this.previousSize;
  }

  /**
   * Rewrites t.seq and t.ack (and SACK edges) into the tracker's numbering; a hidden seq
   * (pure ACK) becomes the sender's next sequence number. Returns whether the printed
   * numbers were relative.
   */
  resolve(t: PrintedSegment): boolean {
    // Either fixed order of the two endpoints will do (tcpdump's is by port).
    const senderFirst = t.src === t.dst ? t.sport <= t.dport : t.src < t.dst;
    // Both ports in one int32, a small integer for the Map (bit 31 may make it negative).
    const conv = senderFirst
      ? this.conversation(t.src, t.dst, (t.sport << 16) | t.dport)
      : this.conversation(t.dst, t.src, (t.dport << 16) | t.sport);
    const s = senderFirst ? conv.first : conv.second;
    const r = senderFirst ? conv.second : conv.first;
    const flags = t.flags;
    let relative = false;
    if (flags & SYN) {
      // A new connection (maybe on a reused port pair): its numbers start afresh.
      s.anchored = true;
      s.shift = 0;
    }
    if ((flags & ACK) === 0) {
      // R1: absolute, and no ack number.
      t.seq = t.hasSeq ? fromAbsolute(s, t.seq) : nextOf(s);
      t.ack = 0;
    } else if (!conv.hasEntry || flags & SYN) {
      // R2: absolute; the bases are set from this very segment.
      conv.hasEntry = true;
      if (flags & SYN) {
        r.anchored = true;
        r.shift = 0;
      }
      if (t.hasSeq) {
        t.seq = fromAbsolute(s, t.seq);
      } else if (s.nxt >= 0) {
        t.seq = s.nxt;
      } else {
        t.seq = 0; // stand-in: tcpdump's base is this hidden number
        s.nxt = 0;
        s.anchored = false;
      }
      t.ack = fromAbsolute(r, t.ack);
      s.base = t.seq;
      r.base = (t.ack - 1) >>> 0;
      this.mapSack(t, r, this.numberingOf(conv) === 'relative');
    } else {
      // R3.
      const numbering = conv.numbering === 'undecided' ? this.decide(conv, t, s, r) : conv.numbering;
      if (numbering === 'relative') {
        relative = true;
        t.seq = t.hasSeq ? (t.seq + s.base) >>> 0 : nextOf(s);
        t.ack = (t.ack + r.base) >>> 0;
      } else {
        t.seq = t.hasSeq ? fromAbsolute(s, t.seq) : nextOf(s);
        t.ack = fromAbsolute(r, t.ack);
      }
      this.mapSack(t, r, relative);
    }
    advance(t, s, r);
    return relative;
  }

  private conversation(first: string, second: string, ports: number): Conversation {
    if (ports === this.lastPorts && first === this.lastFirst && second === this.lastSecond && this.last !== undefined)
      return this.last;
    let conv = this.current.get(first)?.get(second)?.get(ports);
    if (conv === undefined) {
      conv = this.previous.get(first)?.get(second)?.get(ports) ?? {
        hasEntry: false,
        numbering: 'undecided',
        first: newSide(),
        second: newSide(),
      };
      this.remember(first, second, ports, conv);
    }
    this.lastFirst = first;
    this.lastSecond = second;
    this.lastPorts = ports;
    this.last = conv;
    return conv;
  }

  /** Puts a conversation in the current generation, starting a new one when it is full. */
  private remember(first: string, second: string, ports: number, conv: Conversation): void {
    if (this.currentSize >= GENERATION_SIZE) {
      this.previous = this.current;
      this.previousSize = this.currentSize;
      this.current = new Map();
      this.currentSize = 0;
    }
    let byHost = this.current.get(first);
    if (byHost === undefined) this.current.set(first, (byHost = new Map<string, Map<number, Conversation>>()));
    let byPorts = byHost.get(second);
    if (byPorts === undefined) byHost.set(second, (byPorts = new Map<number, Conversation>()));
    byPorts.set(ports, conv);
    this.currentSize++;
  }

  private numberingOf(conv: Conversation): Numbering {
    return conv.numbering === 'undecided' ? this.textNumbering : conv.numbering;
  }

  /**
   * An R3 segment of a conversation not yet decided: are its numbers relative (tcpdump's
   * default) or absolute (-S)? Each reading is compared with where the sides are known to
   * be; a clear win decides the conversation for good.
   */
  private decide(conv: Conversation, t: PrintedSegment, s: Side, r: Side): Numbering {
    let relativeMiss = 0;
    let absoluteMiss = 0;
    let evidence = false;
    if (t.hasSeq && s.nxt >= 0 && s.anchored) {
      relativeMiss += distance((t.seq + s.base) >>> 0, s.nxt);
      absoluteMiss += distance((t.seq - s.shift) >>> 0, s.nxt);
      evidence = true;
    }
    if (r.nxt >= 0 && r.anchored) {
      relativeMiss += distance((t.ack + r.base) >>> 0, r.nxt);
      absoluteMiss += distance((t.ack - r.shift) >>> 0, r.nxt);
      evidence = true;
    }
    if (!evidence || relativeMiss === absoluteMiss) return this.textNumbering;
    const numbering = relativeMiss < absoluteMiss ? 'relative' : 'absolute';
    if (Math.abs(relativeMiss - absoluteMiss) >= CLEAR_MARGIN) {
      conv.numbering = numbering;
      this.textNumbering = numbering;
    }
    return numbering;
  }

  /** SACK edges into our numbering: relative to the receiver's base (R4), or absolute. */
  private mapSack(t: PrintedSegment, r: Side, relative: boolean): void {
    const blocks = t.options?.sack;
    if (blocks === undefined) return;
    for (const b of blocks) {
      b.left = relative ? (b.left + r.base) >>> 0 : fromAbsolute(r, b.left);
      b.right = relative ? (b.right + r.base) >>> 0 : fromAbsolute(r, b.right);
    }
  }
}

/**
 * An absolute number of this side in our numbering. A side on a stand-in numbering is
 * anchored by the first one: it is taken to be the side's next sequence number.
 */
function fromAbsolute(side: Side, value: number): number {
  if (!side.anchored) {
    side.shift = (value - side.nxt) >>> 0;
    side.anchored = true;
  }
  return (value - side.shift) >>> 0;
}

/** The seq of a segment that does not print it (a pure ACK without -vv): the sender's next. */
function nextOf(side: Side): number {
  return side.nxt >= 0 ? side.nxt : side.base;
}

/** What each side has now sent: the sender up to this segment's end, the receiver up to its ack. */
function advance(t: PrintedSegment, s: Side, r: Side): void {
  const flags = t.flags;
  const end = segEnd(t);
  if (flags & SYN || s.nxt < 0 || seqGt(end, s.nxt)) s.nxt = end;
  if (flags & ACK && (r.nxt < 0 || (flags & SYN) !== 0 || seqGt(t.ack, r.nxt))) r.nxt = t.ack;
}

/** |a − b| in sequence space (mod 2^32, the shorter way round). */
function distance(a: number, b: number): number {
  return Math.abs(seqDiff(a, b));
}
