// TCP option lists as printed (print-tcp.c tcp_print(); spec §3 and §5):
//   modern  options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7,sack 1 {5:10},tfo cookie 0a0b]
//   3.x     <mss 1460,sackOK,timestamp 1 0,nop,wscale 7,sack 1 {5:10} >
// Items are split at commas outside brackets and braces (MPTCP items nest both). Only the
// options the tracker uses are kept; the rest are skipped whole.

import type { SackBlock, TcpOptions } from '../segment.js';
import type { PrintedSegment } from './printed-segment.js';
import { TextCursor, isDigit } from './text-cursor.js';

const COMMA = 0x2c;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;

const TRUNCATION = '[|';
const BAD_OPTION = '[bad opt]';

/**
 * Reads the items after the opening '[' or '<' up to the matching `close` (consumed) or the
 * end of the line (a list cut by truncation, or a wrapped paste). Sets out.options, and
 * out.truncated on a "[|tcp]" mark.
 */
export function parseOptionList(c: TextCursor, close: number, out: PrintedSegment): void {
  let options: TcpOptions | undefined;
  while (!c.atEnd) {
    const ch = c.peek();
    if (ch === close) {
      c.pos++;
      break;
    }
    switch (ch) {
      case COMMA:
      case SPACE:
        c.pos++;
        continue;
      case OPEN_BRACKET:
        if (c.eat(BAD_OPTION)) continue;
        if (c.eat(TRUNCATION)) {
          out.truncated = true;
          c.skipPast(OPEN_BRACKET, CLOSE_BRACKET);
          continue;
        }
        break;
      case 0x6e: // n
        if (c.eatWord('nop')) continue;
        break;
      case 0x54: // T
        if (c.eatWord('TS') && c.eat(' val ')) {
          const tsval = c.uint();
          const tsecr = c.eat(' ecr ') ? c.uint() : -1;
          if (tsval >= 0 && tsecr >= 0) {
            options ??= {};
            options.tsval = tsval;
            options.tsecr = tsecr;
          }
        }
        break;
      case 0x74: // t
        if (c.eatWord('timestamp')) {
          const tsval = number(c);
          const tsecr = number(c);
          if (tsval >= 0 && tsecr >= 0) {
            options ??= {};
            options.tsval = tsval;
            options.tsecr = tsecr;
          }
        } else if (c.eatWord('tfo')) {
          readFastOpen(c, (options ??= {}));
        }
        break;
      case 0x6d: // m
        if (c.eatWord('mss')) {
          const mss = number(c);
          if (mss >= 0) (options ??= {}).mss = mss;
        }
        break;
      case 0x77: // w
        if (c.eatWord('wscale')) {
          const wscale = number(c);
          if (wscale >= 0) (options ??= {}).wscale = wscale;
        }
        break;
      case 0x73: // s
        if (c.eatWord('sackOK')) (options ??= {}).sackOk = true;
        else if (c.eatWord('sack')) (options ??= {}).sack = sackBlocks(c);
        break;
      case 0x65: // e
        if (c.eatWord('eol')) continue;
        if (c.eatWord('exp-tfo')) readFastOpen(c, (options ??= {}));
        break;
    }
    skipItem(c, close);
  }
  out.options = options;
}

/** The number after spaces, or -1. */
function number(c: TextCursor): number {
  c.skipSpaces();
  return c.uint();
}

/** TCP Fast Open (kind 34, or experimental "exp-tfo"): "cookiereq", or "cookie HEX". */
function readFastOpen(c: TextCursor, options: TcpOptions): void {
  c.skipSpaces();
  if (c.eatWord('cookiereq')) options.tfo = '';
  else if (c.eatWord('cookie')) options.tfo = hexRun(c);
}

/** "1 {a:b}{c:d}" (3.x: "sack 1 {a:b} " after a second "sack"). */
function sackBlocks(c: TextCursor): SackBlock[] {
  const blocks: SackBlock[] = [];
  c.skipSpaces();
  if (c.eatWord('sack')) c.skipSpaces();
  c.uint();
  c.skipSpaces();
  while (c.eatChar(OPEN_BRACE)) {
    const left = c.uint();
    if (!c.eatChar(0x3a)) break;
    const right = c.uint();
    if (left < 0 || right < 0 || !c.eatChar(CLOSE_BRACE)) break;
    blocks.push({ left, right });
  }
  return blocks;
}

/** Bare hex digits (a cookie), in lower case. */
function hexRun(c: TextCursor): string {
  c.skipSpaces();
  const s = c.text;
  const start = c.pos;
  let at = start;
  for (
    let ch = s.charCodeAt(at);
    isDigit(ch) || (ch >= 0x61 && ch <= 0x66) || (ch >= 0x41 && ch <= 0x46);
    ch = s.charCodeAt(++at)
  );
  c.pos = at;
  return s.slice(start, at).toLowerCase();
}

/** To the comma ending the current item or the list's close, outside nested brackets. */
function skipItem(c: TextCursor, close: number): void {
  const s = c.text;
  let depth = 0;
  for (let at = c.pos; at < s.length; at++) {
    const ch = s.charCodeAt(at);
    if (depth === 0 && (ch === COMMA || ch === close)) {
      c.pos = at;
      return;
    }
    if (ch === OPEN_BRACKET && s.startsWith(TRUNCATION, at)) {
      c.pos = at;
      return;
    }
    if (ch === OPEN_BRACKET || ch === OPEN_BRACE || ch === OPEN_PAREN) depth++;
    else if ((ch === CLOSE_BRACKET || ch === CLOSE_BRACE || ch === CLOSE_PAREN) && depth > 0) depth--;
  }
  c.pos = s.length;
}
