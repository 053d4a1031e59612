// The TCP part of tcpdump 3.x (3.9.8 print-tcp.c tcp_print(); spec §5), after "SRC > DST: ":
//
//   S 928549246:928549246(0) win 32767 <mss 16396,sackOK,timestamp 1306300950 0,nop,wscale 2>
//   P 1:203(202) ack 1 win 8192 <nop,nop,timestamp 1306300951 1306300950>
//   . ack 203 win 8192
//   P, cksum 0xcf18 (correct), 3293077573:3293077694(121) ack 3348108582 win 16384 <...>: BGP
//
// Space-separated, no length field (the payload length is the "(N)"), and ACK is not a
// letter: it is set when an "ack N" field is printed.

import { ACK, FIN, RST, SYN, URG } from '../segment.js';
import { BAD_FLAGS, parseLegacyFlags } from './flags.js';
import { parseOptionList } from './options.js';
import { outOfRange, TCP_TRUNCATED, type PrintedSegment } from './printed-segment.js';
import { TextCursor, isDigit } from './text-cursor.js';

const COLON = 0x3a;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;

/**
 * The flags and the checksum note, then the first field. The note is 3.9's ", cksum 0x..
 * (correct)," or ≤ 3.8's " [tcp sum ok]" / " [bad tcp cksum 1234!]". Letters may be lower
 * case and numbers have thousands separators in pastes.
 */
const LEGACY_START =
  /([SFRPWE]+|\.)( \[[^\]]*\]|, cksum 0x[0-9a-f]+ \((?:correct|incorrect \(?-> 0x[0-9a-f]+)\),)? (?=[\d,]+:[\d,]+\([\d,]+\)|ack |win )/iy;

/** The match of LEGACY_START at `at`, or null. */
export function matchLegacy(text: string, at: number): RegExpExecArray | null {
  LEGACY_START.lastIndex = at;
  return LEGACY_START.exec(text);
}

/** Like parseModern(): '' when `out` holds a usable segment, else the problem. */
export function parseLegacy(c: TextCursor, start: RegExpExecArray, out: PrintedSegment): string {
  let flags = parseLegacyFlags(start[1]!);
  if (flags === BAD_FLAGS) return `unknown TCP flags ${start[1]}`;
  const note = start[2] ?? '';
  out.checksum = /\(correct\)|tcp sum ok/.test(note) ? 'ok' : /incorrect|bad tcp cksum/.test(note) ? 'bad' : 'unknown';
  out.urp = 0;
  out.options = undefined;
  out.truncated = c.text.includes(TCP_TRUNCATED, c.pos);
  c.pos += start[0].length;

  let seq = -1;
  let len = 0;
  let ack = -1;
  let win = -1;
  for (;;) {
    c.skipSpaces();
    if (isDigit(c.peek())) {
      seq = c.uint();
      if (!c.eatChar(COLON)) return 'the sequence range has no ":"';
      const end = c.uint();
      if (end < 0 || !c.eatChar(OPEN_PAREN)) return 'the sequence range has no "(length)"';
      len = c.uint();
      if (len < 0 || !c.eatChar(CLOSE_PAREN)) return 'the sequence range has no "(length)"';
    } else if (c.eat('ack ')) {
      ack = c.uint();
      if (ack < 0) return 'ack has no number';
    } else if (c.eat('win ')) {
      win = c.uint();
      if (win < 0) return 'win has no number';
    } else if (c.eat('urg ')) {
      out.urp = Math.max(0, c.uint());
      flags |= URG;
    } else if (c.eatChar(LESS_THAN)) {
      parseOptionList(c, GREATER_THAN, out);
    } else {
      break; // the application's summary, or 3.7's " (DF)" and " [tos 0x10]"
    }
  }
  if (ack >= 0) flags |= ACK;
  const range = outOfRange(seq, -1, ack, win, out.urp, len);
  if (range !== '') return range;
  if (seq < 0 && flags & (SYN | FIN | RST)) return 'no sequence range, although the segment has SYN, FIN or RST';
  out.flags = flags;
  out.hasSeq = seq >= 0;
  out.seq = seq >= 0 ? seq : 0;
  out.ack = ack >= 0 ? ack : 0;
  out.win = win >= 0 ? win : 65535;
  out.len = len;
  return '';
}
