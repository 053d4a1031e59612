import { FIN as FIN_FLAG, SYN as SYN_FLAG } from '../segment.js';

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): a < b iff the signed 32-bit
 * difference a − b is negative. Differences of 2^31 or more cannot be ordered.
 */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** Signed distance b − a in (−2^31, 2^31]. */
export function seqDiff(b: number, a: number): number {
  return (b - a) | 0;
}

export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

export function seqGe(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** The later of two sequence numbers. */
export function seqMax(a: number, b: number): number {
  return seqGe(a, b) ? a : b;
}

/** left ≤ x < right, modulo 2^32. */
export function seqInWindow(x: number, left: number, size: number): boolean {
  const d = (x - left) >>> 0;
  return d < size;
}

/**
 * The segment-length rule (RFC 9293 §3.4; smoltcp Control::len, Zeek get_segment_len): a SYN
 * and a FIN take one sequence number each, after the SYN comes the payload, after the payload
 * the FIN; a RST takes none.
 */
export function segEnd(seg: { seq: number; len: number; flags: number }): number {
  return (seg.seq + seg.len + (seg.flags & SYN_FLAG ? 1 : 0) + (seg.flags & FIN_FLAG ? 1 : 0)) >>> 0;
}

/** The sequence number a FIN in this segment occupies: after the SYN (if any) and the payload. */
export function finSeqOf(seg: { seq: number; len: number; flags: number }): number {
  return (seg.seq + seg.len + (seg.flags & SYN_FLAG ? 1 : 0)) >>> 0;
}
