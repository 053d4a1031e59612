// The fast path: the TCP line exactly as tcpdump ≥ 4 prints it, read straight from the
// line's bytes in one pass (spec §2, §3):
//
//   [anything] HOST.PORT > HOST.PORT: Flags [P.], [cksum 0x1c46 (correct), ]seq 1:43,
//   ack 1, win 63, [urg 1, ]options [nop,nop,TS val 1 ecr 2], length 42[: anything]
//
// Nearly every line of a real text is like this, and reading bytes is several times faster
// than reading a decoded string. Anything else (pasted or retyped lines, the old format,
// service names, options it does not keep, lines that are not TCP) makes it give up, and
// the general parser (tcp-line.ts) reads the line instead: so this one only needs to be
// right when it accepts a line, which a test checks against the general parser on every
// line of the fixture and corpus texts.

import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG, type SackBlock, type TcpOptions } from '../segment.js';
import type { HostNames } from './address.js';
import { asciiBytes, ByteCursor, isDigitByte } from './byte-cursor.js';
import { outOfRange, type PrintedSegment } from './printed-segment.js';

const SPACE = 0x20;
const GREATER_THAN = 0x3e;
const COLON = 0x3a;
const DOT = 0x2e;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const PIPE = 0x7c;

/** The fixed texts of the line. */
const TEXT = {
  flags: asciiBytes('Flags ['),
  none: asciiBytes('none]'),
  separator: asciiBytes(', '),
  checksum: asciiBytes('cksum 0x'),
  correct: asciiBytes(' (correct)'),
  incorrect: asciiBytes(' (incorrect -> 0x'),
  seq: asciiBytes('seq '),
  ack: asciiBytes('ack '),
  win: asciiBytes('win '),
  urg: asciiBytes('urg '),
  options: asciiBytes('options ['),
  length: asciiBytes('length '),
  nop: asciiBytes('nop'),
  eol: asciiBytes('eol'),
  timestamps: asciiBytes('TS val '),
  ecr: asciiBytes(' ecr '),
  mss: asciiBytes('mss '),
  wscale: asciiBytes('wscale '),
  sackOk: asciiBytes('sackOK'),
  sack: asciiBytes('sack '),
};

/** Reads canonical TCP lines from bytes. One per source; it reuses its cursor. */
export class CanonicalLineReader {
  private readonly c = new ByteCursor();
  private readonly hosts: HostNames;

  constructor(hosts: HostNames) {
    this.hosts = hosts;
  }

  /**
   * Reads the line bytes[from, end) into `out` when it is a canonical TCP line; returns
   * false, with `out` in any state, for every other line.
   */
  read(bytes: Buffer, from: number, end: number, out: PrintedSegment): boolean {
    // The arrow of "SRC > DST: Flags [": link-layer prefixes (-e) have arrows of their own.
    for (let at = from + 1; at < end - 1; at++) {
      if (bytes[at] !== GREATER_THAN || bytes[at - 1] !== SPACE || bytes[at + 1] !== SPACE) continue;
      const colon = this.endpoints(bytes, from, at, end, out);
      if (colon === 0) continue;
      if (colon < 0) return false;
      this.c.reset(bytes, colon + 2, end);
      return this.c.eat(TEXT.flags) && this.tcpPart(out);
    }
    return false;
  }

  /**
   * "HOST.PORT > HOST.PORT:" around the arrow at `arrow`, into out: the position of the
   * colon; 0 when these are not the TCP endpoints (keep looking); -1 to give up.
   */
  private endpoints(bytes: Buffer, from: number, arrow: number, end: number, out: PrintedSegment): number {
    const dstStart = arrow + 2;
    let colon = dstStart;
    while (colon < end && bytes[colon] !== SPACE) colon++;
    colon--;
    if (bytes[colon] !== COLON || bytes[colon + 1] !== SPACE) return 0;
    const dstDot = portDot(bytes, dstStart, colon);
    if (dstDot < 0) return 0;
    let srcStart = arrow - 1;
    while (srcStart > from && bytes[srcStart - 1] !== SPACE) srcStart--;
    const srcDot = portDot(bytes, srcStart, arrow - 1);
    if (srcDot < 0) return -1;
    const sport = digits(bytes, srcDot + 1, arrow - 1);
    const dport = digits(bytes, dstDot + 1, colon);
    if (sport > 65535 || dport > 65535) return -1;
    const src = this.hosts.fromBytes(bytes, srcStart, srcDot);
    const dst = this.hosts.fromBytes(bytes, dstStart, dstDot);
    if (src === undefined || dst === undefined) return -1;
    out.src = src;
    out.dst = dst;
    out.sport = sport;
    out.dport = dport;
    return colon;
  }

  /** Everything after "Flags [". */
  private tcpPart(out: PrintedSegment): boolean {
    const c = this.c;
    const flags = this.flags();
    if (flags < 0) return false;
    let seq = -1;
    let seqEnd = -1;
    let ack = -1;
    let win = -1;
    out.urp = 0;
    out.options = undefined;
    out.checksum = 'unknown';
    out.truncated = false;
    for (;;) {
      if (!c.eat(TEXT.separator)) return false;
      switch (c.peek()) {
        case 0x63: // c
          if (!this.checksum(out)) return false;
          break;
        case 0x73: // s
          if (!c.eat(TEXT.seq) || (seq = c.uint()) < 0) return false;
          if (c.eatByte(COLON) && (seqEnd = c.uint()) < 0) return false;
          break;
        case 0x61: // a
          if (!c.eat(TEXT.ack) || (ack = c.uint()) < 0) return false;
          break;
        case 0x77: // w
          if (!c.eat(TEXT.win) || (win = c.uint()) < 0) return false;
          break;
        case 0x75: // u
          if (!c.eat(TEXT.urg) || (out.urp = c.uint()) < 0) return false;
          break;
        case 0x6f: // o
          if (!c.eat(TEXT.options) || !this.options(out)) return false;
          break;
        case 0x6c: {
          // l
          const len = c.eat(TEXT.length) ? c.uint() : -1;
          if (len < 0 || win < 0) return false;
          if (ack >= 0 !== ((flags & ACK) !== 0)) return false;
          if (seq < 0 && (len > 0 || (flags & (SYN | FIN | RST)) !== 0)) return false;
          if (outOfRange(seq, seqEnd, ack, win, out.urp, len) !== '') return false;
          out.flags = flags;
          out.hasSeq = seq >= 0;
          out.seq = seq >= 0 ? seq : 0;
          out.ack = ack >= 0 ? ack : 0;
          out.win = win;
          out.len = len;
          // What follows is the application's summary; "[|tcp]" there is a truncated segment.
          out.truncated = this.truncationMark();
          return true;
        }
        default:
          return false;
      }
    }
  }

  /** The letters up to "]" (print-tcp.c tcp_flag_values), or -1. */
  private flags(): number {
    const c = this.c;
    let flags = 0;
    if (c.eat(TEXT.none)) return 0;
    for (;;) {
      const b = c.peek();
      c.pos++;
      switch (b) {
        case CLOSE_BRACKET:
          return flags === 0 ? -1 : flags;
        case 0x46:
          flags |= FIN;
          break; // F
        case 0x53:
          flags |= SYN;
          break; // S
        case 0x52:
          flags |= RST;
          break; // R
        case 0x50:
          flags |= PSH;
          break; // P
        case DOT:
          flags |= ACK;
          break;
        case 0x55:
          flags |= URG;
          break; // U
        case 0x45:
          flags |= ECE;
          break; // E
        case 0x57:
          flags |= CWR;
          break; // W
        case 0x65:
          flags |= AE;
          break; // e
        default:
          return -1;
      }
    }
  }

  /** "cksum 0x1c46 (correct)" or "cksum 0x1c46 (incorrect -> 0x6c5c)". */
  private checksum(out: PrintedSegment): boolean {
    const c = this.c;
    if (!c.eat(TEXT.checksum)) return false;
    while (isHexByte(c.peek())) c.pos++;
    if (c.eat(TEXT.correct)) {
      out.checksum = 'ok';
      return true;
    }
    if (!c.eat(TEXT.incorrect)) return false;
    while (isHexByte(c.peek())) c.pos++;
    out.checksum = 'bad';
    return c.eatByte(0x29);
  }

  /** The items after "options [" up to "]", if all are ones kept or skipped here. */
  private options(out: PrintedSegment): boolean {
    const c = this.c;
    let mss = -1;
    let wscale = -1;
    let sackOk = false;
    let sack: SackBlock[] | undefined;
    let tsval = -1;
    let tsecr = -1;
    for (;;) {
      switch (c.peek()) {
        case 0x6e: // n
          if (!c.eat(TEXT.nop)) return false;
          break;
        case 0x54: // T
          if (!c.eat(TEXT.timestamps) || (tsval = c.uint()) < 0 || !c.eat(TEXT.ecr) || (tsecr = c.uint()) < 0)
            return false;
          break;
        case 0x6d: // m
          if (!c.eat(TEXT.mss) || (mss = c.uint()) < 0) return false;
          break;
        case 0x77: // w
          if (!c.eat(TEXT.wscale) || (wscale = c.uint()) < 0) return false;
          break;
        case 0x73: // s
          if (c.eat(TEXT.sackOk)) sackOk = true;
          else if ((sack = this.sack()) === undefined) return false;
          break;
        case 0x65: // e
          if (!c.eat(TEXT.eol)) return false;
          break;
        default:
          return false;
      }
      if (c.eatByte(CLOSE_BRACKET)) break;
      if (!c.eatByte(COMMA)) return false;
    }
    if (mss < 0 && wscale < 0 && !sackOk && sack === undefined) {
      // Most segments carry timestamps and nothing else.
      out.options = tsval < 0 ? undefined : { tsval, tsecr };
      return true;
    }
    const options: TcpOptions = {};
    if (mss >= 0) options.mss = mss;
    if (wscale >= 0) options.wscale = wscale;
    if (sackOk) options.sackOk = true;
    if (sack !== undefined) options.sack = sack;
    if (tsval >= 0) {
      options.tsval = tsval;
      options.tsecr = tsecr;
    }
    out.options = options;
    return true;
  }

  /** "sack 2 {5:10}{20:30}", or undefined. */
  private sack(): SackBlock[] | undefined {
    const c = this.c;
    if (!c.eat(TEXT.sack) || c.uint() < 0 || !c.eatByte(SPACE)) return undefined;
    const blocks: SackBlock[] = [];
    while (c.eatByte(OPEN_BRACE)) {
      const left = c.uint();
      if (left < 0 || !c.eatByte(COLON)) return undefined;
      const right = c.uint();
      if (right < 0 || !c.eatByte(CLOSE_BRACE)) return undefined;
      blocks.push({ left, right });
    }
    return blocks;
  }

  /** Whether the rest of the line has tcpdump's "[|tcp]". */
  private truncationMark(): boolean {
    const c = this.c;
    const b = c.bytes;
    for (let at = c.pos; at < c.end - 5; at++) {
      if (
        b[at] === OPEN_BRACKET &&
        b[at + 1] === PIPE &&
        b[at + 2] === 0x74 &&
        b[at + 3] === 0x63 &&
        b[at + 4] === 0x70 &&
        b[at + 5] === CLOSE_BRACKET
      )
        return true;
    }
    return false;
  }
}

/** The '.' before the digits that end bytes[start, end) ("10.0.0.1.8080"), or -1. */
function portDot(bytes: Buffer, start: number, end: number): number {
  let at = end - 1;
  while (at > start && isDigitByte(bytes[at])) at--;
  return at > start && at < end - 1 && bytes[at] === DOT ? at : -1;
}

/** The decimal number bytes[start, end), all digits. */
function digits(bytes: Buffer, start: number, end: number): number {
  let n = 0;
  for (let at = start; at < end; at++) n = n * 10 + (bytes[at]! - 0x30);
  return n;
}

function isHexByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66);
}
