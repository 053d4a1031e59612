// tcpdump's packet timestamps (util-print.c ts_print(); spec §1.3) and the clock that turns
// them into Segment times.
//
//   19:40:16.396524                time of day (default): no date, local time of the printer
//   1700000000.396524              -tt: seconds since the epoch
//   2023-11-14 22:13:20.396524     -tttt: date and time; read as UTC (see PacketClock)
//    00:00:00.000088               -ttt / -ttttt: a sign (space or '-') and a delta
//
// Fractions have 6 digits, 9 with --nano; out-of-range values are printed as they are,
// with " (invalid us)" / " (invalid ns)" after them in tcpdump 5.

import { DIGIT_0, isDigitByte } from './byte-cursor.js';

export type StampKind = 'time-of-day' | 'epoch' | 'date-time' | 'delta';

/** One parsed timestamp (reused from line to line). */
export interface Stamp {
  kind: StampKind;
  /** date-time: days since 1970-01-01. */
  day: number;
  /** Whole seconds: of the day, since the epoch, or of the delta. */
  sec: number;
  nsec: number;
  /** A delta printed with '-'. */
  negative: boolean;
}

export function newStamp(): Stamp {
  return { kind: 'epoch', day: 0, sec: 0, nsec: 0, negative: false };
}

const SPACE = 0x20;
const MINUS = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;

/** The digit at b[i], or -1. */
function digitAt(b: Buffer, i: number): number {
  const c = b[i];
  return isDigitByte(c) ? c - DIGIT_0 : -1;
}

/** Two digits at i (e.g. minutes), or -1. */
function twoDigits(b: Buffer, i: number): number {
  const hi = digitAt(b, i);
  const lo = digitAt(b, i + 1);
  return hi < 0 || lo < 0 ? -1 : hi * 10 + lo;
}

/** The last date read, as its packed digits and its day number (dates rarely change). */
let lastDateKey = -1;
let lastDateDay = 0;

/** Days since the epoch of "YYYY-MM-DD" at i, or -1. */
function dateAt(b: Buffer, i: number): number {
  if (b[i + 4] !== MINUS || b[i + 7] !== MINUS) return -1;
  const year = twoDigits(b, i) * 100 + twoDigits(b, i + 2);
  const month = twoDigits(b, i + 5);
  const dayOfMonth = twoDigits(b, i + 8);
  if (year < 0 || month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31) return -1;
  const key = (year * 100 + month) * 100 + dayOfMonth;
  if (key !== lastDateKey) {
    lastDateKey = key;
    lastDateDay = Date.UTC(year, month - 1, dayOfMonth) / 86_400_000;
  }
  return lastDateDay;
}

/** Nanoseconds per unit of a fraction with this many digits. */
const NS_SCALE = [0, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

const INVALID_US = ' (invalid us)';
const INVALID_NS = ' (invalid ns)';

function matches(b: Buffer, at: number, end: number, s: string): boolean {
  if (at + s.length > end) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * Reads the fraction after the '.' at i into out.nsec (carrying whole seconds into out.sec)
 * and returns the position after it and any " (invalid …)" mark, or -1.
 */
function fractionAt(b: Buffer, i: number, end: number, out: Stamp): number {
  let value = 0;
  let digits = 0;
  let d: number;
  while (digits < 10 && (d = digitAt(b, i + digits)) >= 0) {
    value = value * 10 + d;
    digits++;
  }
  if (digits === 0) return -1;
  let at = i + digits;
  let nsec = digits <= 9 ? value * NS_SCALE[digits]! : value;
  if (b[at + 1] === 0x28) {
    if (matches(b, at, end, INVALID_US)) {
      nsec = value * 1000;
      at += INVALID_US.length;
    } else if (matches(b, at, end, INVALID_NS)) {
      nsec = value;
      at += INVALID_NS.length;
    }
  }
  if (nsec >= 1e9) {
    const carry = Math.floor(nsec / 1e9);
    out.sec += carry;
    nsec -= carry * 1e9;
  }
  out.nsec = nsec;
  return at;
}

/** "HH:MM:SS" at i into out.sec; the position after it, or -1. Hours may have 1 or more digits. */
function clockAt(b: Buffer, i: number, out: Stamp): number {
  let hours = 0;
  let at = i;
  let d: number;
  while ((d = digitAt(b, at)) >= 0) {
    hours = hours * 10 + d;
    at++;
  }
  if (at === i || b[at] !== COLON || b[at + 3] !== COLON) return -1;
  const minutes = twoDigits(b, at + 1);
  const seconds = twoDigits(b, at + 4);
  if (minutes < 0 || seconds < 0 || minutes > 59 || seconds > 60) return -1;
  out.sec = hours * 3600 + minutes * 60 + seconds;
  return at + 6;
}

/**
 * The timestamp at b[i] followed by a space (or the end of the line at `end`): fills `out`
 * and returns the position after the space, or -1 when there is no timestamp there.
 */
export function parseStamp(b: Buffer, i: number, end: number, out: Stamp): number {
  const c = b[i];
  let at: number;
  if (c === SPACE || c === MINUS) {
    // -ttt / -ttttt: the sign character, then HH:MM:SS.frac.
    if (digitAt(b, i + 1) < 0) return -1;
    at = clockAt(b, i + 1, out);
    if (at < 0) return -1;
    out.kind = 'delta';
    out.negative = c === MINUS;
  } else if (isDigitByte(c)) {
    let j = i + 1;
    while (isDigitByte(b[j])) j++;
    const next = b[j];
    if (next === COLON) {
      at = clockAt(b, i, out);
      if (at < 0) return -1;
      out.kind = 'time-of-day';
    } else if (next === DOT) {
      if (j - i > 15) return -1;
      let sec = 0;
      for (let k = i; k < j; k++) sec = sec * 10 + (b[k]! - DIGIT_0);
      out.sec = sec;
      out.kind = 'epoch';
      at = j;
    } else if (next === MINUS && j - i === 4) {
      const day = dateAt(b, i);
      if (day < 0 || b[i + 10] !== SPACE) return -1;
      at = clockAt(b, i + 11, out);
      if (at < 0) return -1;
      out.kind = 'date-time';
      out.day = day;
    } else {
      return -1;
    }
  } else {
    return -1;
  }
  if (b[at] !== DOT) return -1;
  at = fractionAt(b, at + 1, end, out);
  if (at < 0 || at > end) return -1;
  if (at === end) return at;
  return b[at] === SPACE ? at + 1 : -1;
}

/** Gaps in time-of-day stamps larger than this backwards are taken as midnight passing. */
const HALF_DAY = 43_200;
const DAY = 86_400;
const NS_PER_S = 1e9;

/**
 * Packet times from stamps, as Segment wants them (sec, nsec, timeIsEpoch):
 * - -tt and -tttt give epoch times. -tttt prints the local time of the machine that ran
 *   tcpdump, which the text does not name: it is read as UTC (right for TZ=UTC or GMT0 output).
 * - Time of day gives seconds since the midnight before the first packet (a jump back by
 *   more than 12 hours is the next day).
 * - Deltas give seconds since the first packet. -ttt (since the previous packet) and
 *   -ttttt (since the first) look the same: the values are read as -ttttt until one is
 *   smaller than the one before, which only -ttt does; from then on they are summed. Times
 *   stay monotonic across the switch, as the sum is at least every single delta.
 * - No stamp (-t) gives 0.
 */
export class PacketClock {
  sec = 0;
  nsec = 0;
  timeIsEpoch = false;
  /** False for a packet printed without a stamp. */
  known = true;
  private dayOffset = 0;
  private lastTimeOfDay = -1;
  /** Delta stamps: undecided (read as since-first), or known to be since the previous packet. */
  private deltasArePerPacket = false;
  private deltaSumNs = 0;
  private lastDeltaNs = Number.NEGATIVE_INFINITY;

  /** The time of a packet with this stamp. */
  set(stamp: Stamp): void {
    switch (stamp.kind) {
      case 'epoch':
        this.put(stamp.sec, stamp.nsec, true);
        break;
      case 'date-time':
        this.put(stamp.day * DAY + stamp.sec, stamp.nsec, true);
        break;
      case 'time-of-day': {
        if (this.lastTimeOfDay >= 0 && stamp.sec + HALF_DAY < this.lastTimeOfDay) this.dayOffset += DAY;
        this.lastTimeOfDay = stamp.sec;
        this.put(this.dayOffset + stamp.sec, stamp.nsec, false);
        break;
      }
      case 'delta': {
        const ns = (stamp.sec * NS_PER_S + stamp.nsec) * (stamp.negative ? -1 : 1);
        this.deltaSumNs += ns;
        if (!this.deltasArePerPacket && ns < this.lastDeltaNs) this.deltasArePerPacket = true;
        this.lastDeltaNs = ns;
        const total = this.deltasArePerPacket ? this.deltaSumNs : ns;
        const sec = Math.floor(total / NS_PER_S);
        this.put(sec, Math.round(total - sec * NS_PER_S), false);
        break;
      }
    }
  }

  /** A packet printed without a stamp. */
  none(): void {
    this.put(0, 0, false);
    this.known = false;
  }

  private put(sec: number, nsec: number, epoch: boolean): void {
    this.sec = sec;
    this.nsec = nsec;
    this.timeIsEpoch = epoch;
    this.known = true;
  }
}
