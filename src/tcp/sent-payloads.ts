import { seqDiff, seqGt, seqLe } from './seq.js';

/** Captured payload bytes kept per direction, at most (a retransmission of older bytes is not compared). */
export const MAX_KEPT_BYTES = 64 * 1024;
/** Segments kept per direction, at most. */
export const MAX_KEPT_SEGMENTS = 32;
const FIRST_ARENA_BYTES = 4096;

const SEQ = 0;
const OFFSET = 1;
const LENGTH = 2;
const FRAME = 3;
const FIELDS = 4;

/** Where a resent segment's bytes differ from an earlier copy. */
export interface Conflict {
  /** Frame of the earlier copy. */
  frame: number;
  /** Sequence number of the first byte that differs. */
  seq: number;
}

/**
 * The captured payload of the segments one side sent and the peer has not acknowledged yet,
 * copied into one ring of bytes, so that a retransmission can be compared byte for byte with
 * what was sent first (Suricata reassembly_overlap_different_data, Zeek rexmit_inconsistency,
 * Wireshark tcp.segment.overlap.conflict). Memory is bounded: the ring starts at 4 KiB and
 * grows only as far as unacknowledged data needs, up to 64 KiB and 32 segments; the oldest
 * copies give way first, and acknowledged ones are dropped.
 */
export class SentPayloads {
  private arena = new Uint8Array(0);
  /** Ring of segment records: seq, arena offset, length, frame. */
  private readonly records = new Float64Array(MAX_KEPT_SEGMENTS * FIELDS);
  private first = 0;
  private count = 0;
  /** Next free byte of the arena. */
  private head = 0;

  /** Keeps a copy of bytes[from, from + length), which carry seq… of the stream. */
  remember(seq: number, bytes: Uint8Array, from: number, length: number, frame: number): void {
    if (length === 0 || length > MAX_KEPT_BYTES) return;
    if (this.count === MAX_KEPT_SEGMENTS) this.dropOldest();
    const at = this.reserve(length);
    const arena = this.arena;
    // A loop beats subarray() (an object per call) for the short payloads of snaplen-limited captures.
    if (length <= 256) for (let i = 0; i < length; i++) arena[at + i] = bytes[from + i]!;
    else arena.set(bytes.subarray(from, from + length), at);
    const r = ((this.first + this.count) % MAX_KEPT_SEGMENTS) * FIELDS;
    this.records[r + SEQ] = seq;
    this.records[r + OFFSET] = at;
    this.records[r + LENGTH] = length;
    this.records[r + FRAME] = frame;
    this.count++;
    this.head = at + length;
  }

  /** The peer acknowledged everything before `ack`: copies wholly below it are no longer needed. */
  acknowledged(ack: number): void {
    while (this.count > 0) {
      const r = this.first * FIELDS;
      if (!seqLe((this.records[r + SEQ]! + this.records[r + LENGTH]!) >>> 0, ack)) break;
      this.dropOldest();
    }
  }

  /** The first byte where bytes[from, from + length) (carrying seq…) differ from a kept copy. */
  conflict(seq: number, bytes: Uint8Array, from: number, length: number): Conflict | undefined {
    const arena = this.arena;
    for (let i = 0; i < this.count; i++) {
      const r = ((this.first + i) % MAX_KEPT_SEGMENTS) * FIELDS;
      const keptSeq = this.records[r + SEQ]!;
      const keptLength = this.records[r + LENGTH]!;
      // Overlap of [seq, seq+length) and [keptSeq, keptSeq+keptLength), mod 2^32.
      const start = seqGt(seq, keptSeq) ? seq : keptSeq;
      const endNew = (seq + length) >>> 0;
      const endKept = (keptSeq + keptLength) >>> 0;
      const end = seqGt(endNew, endKept) ? endKept : endNew;
      if (!seqGt(end, start)) continue;
      const n = seqDiff(end, start);
      const a = from + seqDiff(start, seq);
      const b = this.records[r + OFFSET]! + seqDiff(start, keptSeq);
      for (let k = 0; k < n; k++) {
        if (bytes[a + k] !== arena[b + k]) return { frame: this.records[r + FRAME]!, seq: (start + k) >>> 0 };
      }
    }
    return undefined;
  }

  private dropOldest(): void {
    this.first = (this.first + 1) % MAX_KEPT_SEGMENTS;
    this.count--;
    if (this.count === 0) this.head = 0;
  }

  /** Arena offset for `length` contiguous bytes: grows the arena or gives up the oldest copies. */
  private reserve(length: number): number {
    for (;;) {
      if (this.count === 0) {
        if (this.arena.length < length) this.grow(length);
        return 0;
      }
      const oldest = this.records[this.first * FIELDS + OFFSET]!;
      if (this.head > oldest) {
        // Live bytes are [oldest, head): free space is after head, then before oldest.
        if (this.arena.length - this.head >= length) return this.head;
        if (oldest >= length) return 0;
      } else if (oldest - this.head >= length) {
        // Wrapped: live bytes are [oldest, end) and [0, head).
        return this.head;
      }
      if (this.arena.length < MAX_KEPT_BYTES) this.grow(length);
      else this.dropOldest();
    }
  }

  /** A larger arena, with the kept copies moved to its start in order. */
  private grow(length: number): void {
    let size = Math.max(FIRST_ARENA_BYTES, this.arena.length * 2);
    while (size < length) size *= 2;
    const arena = new Uint8Array(Math.min(size, MAX_KEPT_BYTES));
    let at = 0;
    for (let i = 0; i < this.count; i++) {
      const r = ((this.first + i) % MAX_KEPT_SEGMENTS) * FIELDS;
      const offset = this.records[r + OFFSET]!;
      const n = this.records[r + LENGTH]!;
      arena.set(this.arena.subarray(offset, offset + n), at);
      this.records[r + OFFSET] = at;
      at += n;
    }
    this.arena = arena;
    this.head = at;
  }
}
