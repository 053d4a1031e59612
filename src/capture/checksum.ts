/**
 * Internet checksum (RFC 1071): the ones'-complement sum of buf[start, end) as 16-bit
 * big-endian words (an odd last byte is padded with zero) plus `initial`, folded to 16 bits.
 * A packet whose checksum field is included checks out when the result is 0xffff.
 */
export function onesComplementSum(buf: Buffer, start: number, end: number, initial: number): number {
  // Summing high and low bytes apart keeps both sums small integers; they are recombined
  // once, and folding at the end gives the same result as folding word by word (§2(B)).
  let high = 0;
  let low = 0;
  let i = start;
  const pairsEnd = start + ((end - start) & ~3);
  for (; i < pairsEnd; i += 4) {
    high += buf[i]! + buf[i + 2]!;
    low += buf[i + 1]! + buf[i + 3]!;
  }
  for (; i + 1 < end; i += 2) {
    high += buf[i]!;
    low += buf[i + 1]!;
  }
  if (i < end) high += buf[i]!;
  let sum = initial + high * 256 + low;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return sum;
}
