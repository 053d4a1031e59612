// Internet checksum (RFC 1071). The sum is byte-order independent (§2(B)): the bulk of the
// data is summed as little-endian 32-bit words, four at a time (one load per 4 bytes and
// independent additions: about 3× faster than byte by byte), then folded and byte-swapped.

/** A DataView over the whole ArrayBuffer of the last buffer seen: packets of one chunk share it. */
let viewBuffer: ArrayBufferLike | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));
/** Fold at least this often, so the partial sums stay exact doubles (< 2^53). */
const FOLD_EVERY_BYTES = 1 << 20;

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return sum;
}

/**
 * The ones'-complement sum of buf[start, end) as 16-bit big-endian words (an odd last byte
 * padded with zero) plus `initial`, folded to 16 bits. Data whose checksum field is
 * included checks out when the result is 0xffff.
 */
export function onesComplementSum(buf: Buffer, start: number, end: number, initial: number): number {
  if (buf.buffer !== viewBuffer) {
    viewBuffer = buf.buffer;
    view = new DataView(buf.buffer);
  }
  const base = buf.byteOffset;
  let swapped = 0;
  let at = base + start;
  const wordsEnd = base + start + ((end - start) & ~3);
  while (at < wordsEnd) {
    const blockEnd = Math.min(wordsEnd, at + FOLD_EVERY_BYTES);
    const quadsEnd = at + ((blockEnd - at) & ~15);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (; at < quadsEnd; at += 16) {
      s0 += view.getUint32(at, true);
      s1 += view.getUint32(at + 4, true);
      s2 += view.getUint32(at + 8, true);
      s3 += view.getUint32(at + 12, true);
    }
    for (; at < blockEnd; at += 4) s0 += view.getUint32(at, true);
    swapped = fold(swapped + s0 + s1 + s2 + s3);
  }
  let sum = initial + (((swapped & 0xff) << 8) | (swapped >> 8));
  // The rest (0 to 3 bytes) starts at an even distance from `start`.
  let i = at - base;
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) sum += buf[i]! << 8;
  return fold(sum);
}
