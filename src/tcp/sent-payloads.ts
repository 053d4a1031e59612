import { seqLe } from './seq.js';

/** Segments kept per direction, at most; the oldest give way first. */
export const MAX_KEPT_SEGMENTS = 32;

const SEQ = 0;
/** Payload length on the wire. */
const LENGTH = 1;
/** Payload bytes captured (fewer than LENGTH when the snap length cut them). */
const CAPTURED = 2;
/** Ones'-complement sum of the captured payload bytes. */
const SUM = 3;
const FRAME = 4;
const FIELDS = 5;

/** The payload of one segment as the analyzer sees it. */
export interface Payload {
  seq: number;
  /** Length on the wire. */
  len: number;
  /** Bytes captured. */
  captured: number;
  /** Ones'-complement sum of the captured bytes (RFC 1071), as the decoder computed it. */
  sum: number;
  frame: number;
}

/**
 * What one side sent and the peer has not acknowledged yet, as fingerprints, so that a
 * resend can be compared with what was sent first (Suricata reassembly_overlap_different_data,
 * Zeek rexmit_inconsistency, Wireshark tcp.segment.overlap.conflict). The fingerprint is the
 * payload's ones'-complement sum, which the decoder computes with the checksum anyway: no
 * byte is copied. A resend is compared when it covers the same bytes (same seq, length and
 * captured length), the way stacks resend; one cut at other boundaries is not compared. At
 * most 32 segments are kept per direction; acknowledged ones are dropped.
 */
export class SentPayloads {
  private readonly records = new Float64Array(MAX_KEPT_SEGMENTS * FIELDS);
  private first = 0;
  private count = 0;

  remember(p: Payload): void {
    if (p.len === 0 || p.captured === 0) return;
    if (this.count === MAX_KEPT_SEGMENTS) this.dropOldest();
    const r = ((this.first + this.count) % MAX_KEPT_SEGMENTS) * FIELDS;
    this.records[r + SEQ] = p.seq;
    this.records[r + LENGTH] = p.len;
    this.records[r + CAPTURED] = p.captured;
    this.records[r + SUM] = p.sum;
    this.records[r + FRAME] = p.frame;
    this.count++;
  }

  /** The peer acknowledged everything before `ack`: segments wholly below it are no longer needed. */
  acknowledged(ack: number): void {
    while (this.count > 0) {
      const r = this.first * FIELDS;
      if (!seqLe((this.records[r + SEQ]! + this.records[r + LENGTH]!) >>> 0, ack)) break;
      this.dropOldest();
    }
  }

  /** The frame of a kept copy of the same bytes whose payload differs from this one, if any. */
  conflict(p: Payload): number | undefined {
    for (let i = 0; i < this.count; i++) {
      const r = ((this.first + i) % MAX_KEPT_SEGMENTS) * FIELDS;
      if (
        this.records[r + SEQ] === p.seq &&
        this.records[r + LENGTH] === p.len &&
        this.records[r + CAPTURED] === p.captured &&
        this.records[r + SUM] !== p.sum
      ) {
        return this.records[r + FRAME]!;
      }
    }
    return undefined;
  }

  private dropOldest(): void {
    this.first = (this.first + 1) % MAX_KEPT_SEGMENTS;
    this.count--;
  }
}
