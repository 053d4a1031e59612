// pcapng timestamps: a 64-bit count of ticks since 1970 (split in two 32-bit halves), at a
// per-interface resolution (if_tsresol: 10^-n, or 2^-n with the high bit set; default
// 10^-6) plus an offset in seconds (if_tsoffset). pcapng spec §4.2.

const TWO_POW_32 = 4294967296;

export interface TimestampScale {
  /** Ticks per second, when the fast path applies (at most 2^32), else 0. */
  ticksPerSecond: number;
  /** 1e9 / ticksPerSecond, exact as a double for 10^-n (n ≤ 9) and 2^-n (n ≤ 32). */
  nsPerTick: number;
  /** Ticks per second for the exact BigInt path. */
  ticksPerSecondBig: bigint;
  offsetSeconds: number;
}

/** Where `ticksToTime` writes its result: no allocation per packet. */
export interface TimeOut {
  sec: number;
  nsec: number;
}

export const DEFAULT_TSRESOL = 6;

/** The scale of an if_tsresol byte. */
export function timestampScale(tsresol: number, offsetSeconds = 0): TimestampScale {
  const binary = (tsresol & 0x80) !== 0;
  const exponent = tsresol & 0x7f;
  const ticksPerSecondBig = binary ? 1n << BigInt(exponent) : 10n ** BigInt(exponent);
  const fast = binary ? exponent <= 32 : exponent <= 9;
  const ticksPerSecond = fast ? Number(ticksPerSecondBig) : 0;
  return { ticksPerSecond, nsPerTick: fast ? 1e9 / ticksPerSecond : 0, ticksPerSecondBig, offsetSeconds };
}

/**
 * Converts hi·2^32 + lo ticks to whole seconds and nanoseconds (truncated), exactly.
 * Fast path: long division by a divisor ≤ 2^32 in 16-bit steps, so every intermediate
 * value stays below 2^53.
 */
export function ticksToTime(hi: number, lo: number, scale: TimestampScale, out: TimeOut): void {
  const d = scale.ticksPerSecond;
  if (d === 0) {
    slowTicksToTime(hi, lo, scale, out);
    return;
  }
  let qh = Math.floor(hi / d);
  let r = hi - qh * d;
  // A correctly rounded quotient can still round up to the next integer: correct it.
  if (r < 0) {
    qh--;
    r += d;
  }
  let cur = r * 65536 + (lo >>> 16);
  let q1 = Math.floor(cur / d);
  r = cur - q1 * d;
  if (r < 0) {
    q1--;
    r += d;
  }
  cur = r * 65536 + (lo & 0xffff);
  let q0 = Math.floor(cur / d);
  r = cur - q0 * d;
  if (r < 0) {
    q0--;
    r += d;
  }
  out.sec = qh * TWO_POW_32 + q1 * 65536 + q0 + scale.offsetSeconds;
  out.nsec = Math.floor(r * scale.nsPerTick);
}

function slowTicksToTime(hi: number, lo: number, scale: TimestampScale, out: TimeOut): void {
  const ticks = (BigInt(hi) << 32n) | BigInt(lo);
  const d = scale.ticksPerSecondBig;
  out.sec = Number(ticks / d) + scale.offsetSeconds;
  out.nsec = Number(((ticks % d) * 1_000_000_000n) / d);
}
