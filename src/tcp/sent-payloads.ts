import { seqDiff, seqGt, seqLe } from './seq.js';

/** Captured payload bytes kept per direction, at most (a retransmission of older bytes is not compared). */
export const MAX_KEPT_BYTES = 64 * 1024;
/** Segments kept per direction, at most. */
export const MAX_KEPT_SEGMENTS = 32;
const FIRST_ARENA_BYTES = 4096;

const SEQ = 0;
/** Arena offset of the captured bytes kept, or -1 when only the sum is kept. */
const OFFSET = 1;
/** Bytes kept in the arena (the captured part). */
const LENGTH = 2;
const FRAME = 3;
/** Payload length on the wire. */
const WIRE_LENGTH = 4;
/** Ones'-complement sum of the whole payload, or -1. */
const SUM = 5;
const FIELDS = 6;

/** Where a resent segment's bytes differ from an earlier copy. */
export interface Conflict {
  /** Frame of the earlier copy. */
  frame: number;
  /** Sequence number of the first byte that differs; undefined when only the payload sums told. */
  seq: number | undefined;
}

/** The payload of one segment as the analyzer sees it. */
export interface Payload {
  seq: number;
  /** Length on the wire. */
  len: number;
  bytes: Uint8Array;
  /** Captured bytes at bytes[offset, offset + captured). */
  offset: number;
  captured: number;
  /** Sum of the whole payload when all of it was captured. */
  sum: number | undefined;
  frame: number;
}

/**
 * What one side sent and the peer has not acknowledged yet, so that a retransmission can be
 * compared with what was sent first (Suricata reassembly_overlap_different_data, Zeek
 * rexmit_inconsistency, Wireshark tcp.segment.overlap.conflict).
 *
 * A segment captured whole is kept as its payload sum only (the decoder computes it with the
 * checksum), which compares a resend with the same boundaries at no copying cost. A segment
 * cut by the snap length keeps its captured bytes, compared byte for byte, in one ring that
 * starts at 4 KiB and grows only as far as needed, up to 64 KiB. At most 32 segments are
 * kept; the oldest give way first, and acknowledged ones are dropped.
 */
export class SentPayloads {
  private arena = new Uint8Array(0);
  /** Ring of segment records: seq, arena offset, length, frame. */
  private readonly records = new Float64Array(MAX_KEPT_SEGMENTS * FIELDS);
  private first = 0;
  private count = 0;
  /** Next free byte of the arena. */
  private head = 0;

  /** Keeps what is needed to compare this payload with a later resend. */
  remember(p: Payload): void {
    const keepBytes = p.sum === undefined;
    if (p.len === 0 || (keepBytes && (p.captured === 0 || p.captured > MAX_KEPT_BYTES))) return;
    if (this.count === MAX_KEPT_SEGMENTS) this.dropOldest();
    let at = -1;
    if (keepBytes) {
      at = this.reserve(p.captured);
      const arena = this.arena;
      // A loop beats subarray() (an object per call) for the short payloads of snaplen-limited captures.
      if (p.captured <= 256) for (let i = 0; i < p.captured; i++) arena[at + i] = p.bytes[p.offset + i]!;
      else arena.set(p.bytes.subarray(p.offset, p.offset + p.captured), at);
      this.head = at + p.captured;
    }
    const r = ((this.first + this.count) % MAX_KEPT_SEGMENTS) * FIELDS;
    this.records[r + SEQ] = p.seq;
    this.records[r + OFFSET] = at;
    this.records[r + LENGTH] = keepBytes ? p.captured : 0;
    this.records[r + FRAME] = p.frame;
    this.records[r + WIRE_LENGTH] = p.len;
    this.records[r + SUM] = p.sum ?? -1;
    this.count++;
  }

  /** The peer acknowledged everything before `ack`: copies wholly below it are no longer needed. */
  acknowledged(ack: number): void {
    while (this.count > 0) {
      const r = this.first * FIELDS;
      if (!seqLe((this.records[r + SEQ]! + this.records[r + WIRE_LENGTH]!) >>> 0, ack)) break;
      this.dropOldest();
    }
  }

  /** Where this payload differs from a kept copy of the same bytes, if it does. */
  conflict(p: Payload): Conflict | undefined {
    const arena = this.arena;
    const seq = p.seq;
    const bytes = p.bytes;
    const from = p.offset;
    const length = p.captured;
    for (let i = 0; i < this.count; i++) {
      const r = ((this.first + i) % MAX_KEPT_SEGMENTS) * FIELDS;
      const keptSeq = this.records[r + SEQ]!;
      if (this.records[r + OFFSET]! < 0) {
        // Only the sum was kept: comparable when the resend has the same boundaries.
        const keptSum = this.records[r + SUM]!;
        if (keptSeq === seq && this.records[r + WIRE_LENGTH] === p.len && p.sum !== undefined && keptSum !== p.sum) {
          return { frame: this.records[r + FRAME]!, seq: undefined };
        }
        continue;
      }
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

  /** Arena offset of the oldest kept bytes, or -1 when no kept segment has bytes. */
  private oldestBytes(): number {
    for (let i = 0; i < this.count; i++) {
      const offset = this.records[((this.first + i) % MAX_KEPT_SEGMENTS) * FIELDS + OFFSET]!;
      if (offset >= 0) return offset;
    }
    return -1;
  }

  /** Arena offset for `length` contiguous bytes: grows the arena or gives up the oldest copies. */
  private reserve(length: number): number {
    for (;;) {
      const oldest = this.oldestBytes();
      if (oldest < 0) {
        if (this.arena.length < length) this.grow(length);
        return 0;
      }
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
      if (offset < 0) continue;
      const n = this.records[r + LENGTH]!;
      arena.set(this.arena.subarray(offset, offset + n), at);
      this.records[r + OFFSET] = at;
      at += n;
    }
    this.arena = arena;
    this.head = at;
  }
}
