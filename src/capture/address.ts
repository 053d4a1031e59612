// Address text for Segment.src/dst: IPv4 dotted quad, IPv6 in RFC 5952 form. Consecutive
// packets mostly repeat a few addresses, so a small direct-mapped cache returns the same
// string object again (no allocation, and its hash is already computed for Map keys).

const CACHE_BITS = 10;
const CACHE_SIZE = 1 << CACHE_BITS;
const HASH_MULTIPLIER = 0x9e3779b1;

export class AddressCache {
  private readonly v4Keys = new Float64Array(CACHE_SIZE).fill(-1);
  private readonly v4Text: string[] = new Array<string>(CACHE_SIZE).fill('');
  private readonly v6Keys = new Int32Array(CACHE_SIZE * 4);
  private readonly v6Used = new Uint8Array(CACHE_SIZE);
  private readonly v6Text: string[] = new Array<string>(CACHE_SIZE).fill('');

  /** The IPv4 address in buf[at, at + 4). */
  ipv4(buf: Buffer, at: number): string {
    const key = ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
    const slot = Math.imul(key, HASH_MULTIPLIER) >>> (32 - CACHE_BITS);
    if (this.v4Keys[slot] === key) return this.v4Text[slot]!;
    const text = formatIPv4(buf, at);
    this.v4Keys[slot] = key;
    this.v4Text[slot] = text;
    return text;
  }

  /** The IPv6 address in buf[at, at + 16). */
  ipv6(buf: Buffer, at: number): string {
    const w0 = buf.readInt32BE(at);
    const w1 = buf.readInt32BE(at + 4);
    const w2 = buf.readInt32BE(at + 8);
    const w3 = buf.readInt32BE(at + 12);
    const slot =
      Math.imul(
        w0 ^ Math.imul(w1 ^ Math.imul(w2 ^ Math.imul(w3, HASH_MULTIPLIER), HASH_MULTIPLIER), HASH_MULTIPLIER),
        HASH_MULTIPLIER,
      ) >>>
      (32 - CACHE_BITS);
    const keys = this.v6Keys;
    const k = slot * 4;
    if (this.v6Used[slot] === 1 && keys[k] === w0 && keys[k + 1] === w1 && keys[k + 2] === w2 && keys[k + 3] === w3)
      return this.v6Text[slot]!;
    const text = formatIPv6(buf, at);
    keys[k] = w0;
    keys[k + 1] = w1;
    keys[k + 2] = w2;
    keys[k + 3] = w3;
    this.v6Used[slot] = 1;
    this.v6Text[slot] = text;
    return text;
  }
}

export function formatIPv4(buf: Buffer, at: number): string {
  return `${buf[at]!}.${buf[at + 1]!}.${buf[at + 2]!}.${buf[at + 3]!}`;
}

/**
 * RFC 5952 §4: lower-case hex without leading zeros; the longest run of two or more zero
 * groups becomes "::" (the first one on a tie); IPv4-mapped addresses end in dotted quad (§5).
 */
export function formatIPv6(buf: Buffer, at: number): string {
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (buf[at + 2 * i] === 0 && buf[at + 2 * i + 1] === 0) {
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 > bestLength) {
        bestStart = runStart;
        bestLength = i - runStart + 1;
      }
    } else {
      runStart = -1;
    }
  }
  if (bestStart === 0 && bestLength === 5 && buf[at + 10] === 0xff && buf[at + 11] === 0xff) {
    return `::ffff:${formatIPv4(buf, at + 12)}`;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLength - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += ((buf[at + 2 * i]! << 8) | buf[at + 2 * i + 1]!).toString(16);
  }
  return text;
}
