import { ACK as ACK_FLAG, FIN, RST, SYN, type Segment } from '../segment.js';
import { seqGe, seqGt } from './seq.js';

/** A mirror, a second interface or a relay records its copy this soon; the same ID later is crafted or replayed. */
const SAME_ID_SECONDS = 0.2;
/** Without an IP ID to go by, a copy this close to the original can only be the capture's own. */
const NO_ID_SECONDS = 0.001;
/**
 * A SYN or SYN-ACK without data is sent again on the initial RTO (1 s, RFC 6298 §2.1; Linux's
 * TCP_TIMEOUT_INIT) or after the peer's SYN: with nothing from the peer in between, the same
 * one this soon, checksum field included, is the capture's, ID or not (Linux sends DF
 * SYN-ACKs with ID 0). Text input has no checksum field: there the 1 ms rule holds.
 */
const NO_ID_HANDSHAKE_SECONDS = 0.2;
/** Headers a new ring holds (per direction), and the most it grows to; powers of two. */
const FIRST_ENTRIES = 8;
const MAX_ENTRIES = 1024;
/**
 * Index slots per ring entry (a power of two). Each header's stamp is written at three slots
 * chosen by its hash, without reading them first: a header is lost only when later ones
 * overwrite all three, with a chance of about (3k / 16 / entries)³ after k more headers
 * (1 in 6,000,000 for 100 more in a ring of 1024 entries).
 */
const INDEX_PER_ENTRY = 16;

/** Hash of the header fields (unsigned 32 bits). */
const KEY = 0;
const SEQ = 1;
/** IPv4 ID × 2^17 + the TCP checksum field (2^16 for none): compared exactly, not only through the hash. */
const ID_SUM = 2;
const TIME = 3;
const FRAME = 4;
/**
 * What the peer had sent: its packets × 2^21 + its answers (RSTs × 2, + 1 if it had
 * acknowledged all of this segment's sequence space), each mod its width (exact in a double).
 */
const PEER = 5;
const FIELDS = 6;
const ANSWERS = 2 ** 21;
const SYN_OR_FIN = SYN | FIN;

/** The original of a capture duplicate. */
export interface DuplicateOf {
  frame: number;
  ipId: number | undefined;
}

/**
 * Hash of what a copy repeats: IPv4 ID, length, seq, ack, flags, window, TCP checksum field
 * and TSval, in two multiply steps (seq and the ID and checksum are compared exactly besides).
 * The Segment has no IP length field: `len` (the payload length, taken from the IP length)
 * stands for it, the header length being covered by the checksum field and TSval.
 */
function headerKey(seg: Segment, id: number, sum: number, tsval: number): number {
  const h =
    Math.imul(seg.seq ^ ((id << 16) | (sum & 0xffff)) ^ ((seg.ack << 13) | (seg.ack >>> 19)), 0x9e3779b1) ^
    Math.imul(((seg.win << 16) | (seg.len & 0xffff)) ^ tsval ^ (seg.flags << 20) ^ (sum >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}

/** A header's second index slot (its first is key & mask): from the hash's high half. */
function second(key: number, first: number, mask: number): number {
  const s = (key >>> 16) & mask;
  return s === first ? first ^ 1 : s;
}

/** Its third: from the hash mixed once more. */
function third(key: number, mask: number): number {
  return (Math.imul(key ^ (key >>> 15), 0x2c1b3c6d) >>> 9) & mask;
}

/**
 * Spots the same packet recorded twice (a SPAN port copying both directions, `-i any` on a
 * bridge, both ports of a relay). tcptrace's check_hw_dups matches the IPv4 ID and seq among
 * the last 8 segments of a direction; here the headers of a direction from the last 200 ms are
 * kept, with nothing allocated per packet: a ring of entries (hash of the IPv4 ID, length,
 * seq, ack, flags, window, TCP checksum field and TSval; seq, ID and checksum exactly; frame,
 * time, the peer's count) written in order, and a sparse index (16 slots per entry) where
 * each entry's stamp is written at three slots chosen by the hash; a lookup reads those and
 * checks their entries. The ring starts at 8 entries and doubles, up to 1024, when the entry
 * it would overwrite is younger than 200 ms; at 1024 the oldest goes.
 *
 * A non-zero IPv4 ID with the same header (the checksum field covers the options and the
 * payload) within 200 ms is a copy, whatever came in between: a real resend gets a new ID.
 * Packets of the peer between the copies were sent before the original reached it, so they
 * cannot answer it: once the peer has reset, or acknowledged the original's sequence space
 * (it had not before), the same packet again was sent again (replayed), not recorded twice.
 * The ID counts only while the IDs of the direction vary: once two packets in a row carried
 * the same ID (crafted traffic: scapy uses 1 on every packet), it proves nothing. An ID of 0
 * (RFC 6864 lets stacks use it on every DF packet; Linux does on SYN-ACKs and TIME_WAIT ACKs)
 * and IPv6 prove nothing either: then a segment with data, SYN or FIN is a duplicate only
 * when its whole header repeats within 1 ms with nothing from the peer in between (Linux's
 * shortest resend timer, the tail-loss probe, is longer, and every real resend answers a
 * timer or the peer); a SYN or SYN-ACK without data within 200 ms (its timer starts at 1 s),
 * if the capture has its checksum field.
 * Pure ACKs without an ID are left alone: a burst of real duplicate ACKs looks just like that.
 */
export class CaptureDuplicates {
  /** The ring: entry n (n-th remembered, from 0) is at n mod its size. */
  private ring = new Float64Array(FIRST_ENTRIES * FIELDS);
  private entries = FIRST_ENTRIES;
  /** Entries remembered so far. */
  private count = 0;
  /** Stamps (entry number + 1, mod 2^32; 0 for none). */
  private index = new Uint32Array(FIRST_ENTRIES * INDEX_PER_ENTRY);
  /** Index slots − 1 (their number is a power of two). */
  private indexMask = FIRST_ENTRIES * INDEX_PER_ENTRY - 1;
  /** The other direction of the connection, once paired. */
  private peer: CaptureDuplicates | undefined;
  /** End of the highest data seen: data starting there or later is new, never a copy. */
  private dataEnd = 0;
  private dataSeen = false;
  /** Highest ack seen: a segment acknowledging more than any before is new, never a copy. */
  private highestAck = 0;
  private ackSeen = false;
  /** RSTs remembered. */
  private resets = 0;
  /** IPv4 ID of the last segment remembered (0 for none). */
  private lastId = 0;
  /** Two segments in a row had the same non-zero ID: this direction's IDs are constant. */
  private idsRepeat = false;

  /** Pass the other direction's checker to pair the two: then the peer's answers count. */
  constructor(peer?: CaptureDuplicates) {
    if (peer !== undefined) {
      this.peer = peer;
      peer.peer = this;
    }
  }

  /** The earlier copy of this segment, or undefined (then the segment is remembered). */
  check(seg: Segment, time: number, peerPackets: number): DuplicateOf | undefined {
    const id = seg.ipId ?? 0;
    const sum = seg.checksumField ?? 65536;
    const tsval = seg.options?.tsval ?? -1;
    const idSum = id * 131072 + sum;
    const key = headerKey(seg, id, sum, tsval);
    let fresh = seg.len > 0 && (!this.dataSeen || seqGe(seg.seq, this.dataEnd));
    if (fresh) {
      this.dataSeen = true;
      this.dataEnd = (seg.seq + seg.len) >>> 0;
    }
    if ((seg.flags & ACK_FLAG) !== 0 && (!this.ackSeen || seqGt(seg.ack, this.highestAck))) {
      fresh = this.ackSeen || fresh;
      this.ackSeen = true;
      this.highestAck = seg.ack;
    }
    if (!fresh) {
      const known = seg.timeUnknown !== true;
      const byId = id !== 0 && !this.idsRepeat;
      const byHeader = known && (seg.len > 0 || (seg.flags & SYN_OR_FIN) !== 0);
      // Only a captured checksum field makes the whole header known (text input has none).
      const handshake = seg.len === 0 && (seg.flags & SYN_OR_FIN) === SYN && seg.checksumField !== undefined;
      if (byId || byHeader) {
        const t = this.ring;
        const mask = this.indexMask;
        const first = key & mask;
        for (let i = 0; i < 3; i++) {
          const stamp = this.index[i === 0 ? first : i === 1 ? second(key, first, mask) : third(key, mask)]!;
          // Empty, or its entry overwritten in the ring since.
          if (stamp === 0 || (this.count - stamp) >>> 0 >= this.entries) continue;
          const at = ((stamp - 1) & (this.entries - 1)) * FIELDS;
          if (t[at + KEY] !== key || t[at + SEQ] !== seg.seq || t[at + ID_SUM] !== idSum) continue;
          const gap = time - t[at + TIME]!;
          const peer = t[at + PEER]!;
          const quiet = Math.floor(peer / ANSWERS) === peerPackets % 2 ** 32;
          const noIdSeconds = handshake ? NO_ID_HANDSHAKE_SECONDS : NO_ID_SECONDS;
          if (
            (byId && (!known || gap <= SAME_ID_SECONDS) && (quiet || this.peerAnswers(seg) === peer % ANSWERS)) ||
            (byHeader && gap <= noIdSeconds && quiet)
          )
            return { frame: t[at + FRAME]!, ipId: seg.ipId };
        }
      }
    }
    if (id !== 0) {
      if (id === this.lastId) this.idsRepeat = true;
      this.lastId = id;
    }
    if ((seg.flags & RST) !== 0) this.resets++;
    // Only what a copy could be matched with is remembered: pure ACKs need an ID that counts.
    if ((id !== 0 && !this.idsRepeat) || seg.len > 0 || (seg.flags & SYN_OR_FIN) !== 0)
      this.remember(key, seg.seq, idSum, time, seg.frame, (peerPackets % 2 ** 32) * ANSWERS + this.peerAnswers(seg));
    return undefined;
  }

  /** What the peer has answered: its RSTs × 2, + 1 if it acknowledges all of the segment's sequence space. */
  private peerAnswers(seg: Segment): number {
    const peer = this.peer;
    if (peer === undefined) return 0;
    const space = seg.len + ((seg.flags & SYN) !== 0 ? 1 : 0) + ((seg.flags & FIN) !== 0 ? 1 : 0);
    const acked = space > 0 && peer.ackSeen && seqGe(peer.highestAck, (seg.seq + space) >>> 0);
    return ((peer.resets * 2) % ANSWERS) + (acked ? 1 : 0);
  }

  /**
   * Into the ring, over its oldest entry: first the ring doubles when that one is younger than
   * SAME_ID_SECONDS (up to MAX_ENTRIES). Then its stamp into the index.
   */
  private remember(key: number, seq: number, idSum: number, time: number, frame: number, peer: number): void {
    let at = (this.count & (this.entries - 1)) * FIELDS;
    if (this.count >= this.entries && this.entries < MAX_ENTRIES && time - this.ring[at + TIME]! <= SAME_ID_SECONDS) {
      this.grow();
      at = (this.count & (this.entries - 1)) * FIELDS;
    }
    const t = this.ring;
    t[at + KEY] = key;
    t[at + SEQ] = seq;
    t[at + ID_SUM] = idSum;
    t[at + TIME] = time;
    t[at + FRAME] = frame;
    t[at + PEER] = peer;
    this.count++;
    this.stamp(key, this.count);
  }

  /** Its stamp at the header's three index slots. */
  private stamp(key: number, stamp: number): void {
    const mask = this.indexMask;
    const first = key & mask;
    this.index[first] = stamp;
    this.index[second(key, first, mask)] = stamp;
    this.index[third(key, mask)] = stamp;
  }

  /** Twice the entries: entry n moves from n mod the old size to n mod the new one; the index is made again. */
  private grow(): void {
    const old = this.ring;
    const oldEntries = this.entries;
    this.entries *= 2;
    this.ring = new Float64Array(this.entries * FIELDS);
    this.index = new Uint32Array(this.entries * INDEX_PER_ENTRY);
    this.indexMask = this.entries * INDEX_PER_ENTRY - 1;
    for (let n = Math.max(0, this.count - oldEntries); n < this.count; n++) {
      const from = (n & (oldEntries - 1)) * FIELDS;
      this.ring.set(old.subarray(from, from + FIELDS), (n & (this.entries - 1)) * FIELDS);
      this.stamp(old[from + KEY]!, n + 1);
    }
  }
}
