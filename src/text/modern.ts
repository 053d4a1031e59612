// The TCP part of tcpdump ≥ 4.0 (print-tcp.c tcp_print(); spec §3), after "SRC > DST: ":
//
//   Flags [S.], cksum 0x6d45 (correct), seq 1108096280, ack 1446066275, win 65160,
//   urg 1, options [mss 1460,...], length 0[: trailer]
//
// Fields come in that order, ", "-separated; every one but Flags, win and length is
// optional. Pastes from articles also get through: lower-case or spelled-out flags, no
// space after a comma, "win:65535", thousands separators, stray text after the last field.

import { ACK, FIN, RST, SYN } from '../segment.js';
import { BAD_FLAGS, parseModernFlags } from './flags.js';
import { parseOptionList } from './options.js';
import { outOfRange, TCP_TRUNCATED, type PrintedSegment } from './printed-segment.js';
import { TextCursor } from './text-cursor.js';

const COMMA = 0x2c;
const SPACE = 0x20;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;

/** A window for pasted lines that leave it out: open, so it raises no window anomaly. */
const WINDOW_NOT_PRINTED = 65535;

const FLAGS_FIELD = 'Flags [';
/** "flags [s.]", "Flags:[S.]", or the bracket alone (sticky: matched at lastIndex). */
const LENIENT_FLAGS_FIELD = /(?:flags\s*:?\s*)?\[/iy;
/**
 * Pasted forms: the word in any case, or a bracket of flag letters or words followed by a
 * field ("[S.], seq 1"). Other protocols print brackets there too ("[no cksum] Geneve").
 */
const LENIENT_START = /(?:flags\s*:?\s*\[|\[[a-z., |+]*\]\s*,\s*(?:seq|ack|win)\b)/iy;

// The fields after the flags.
const FIELD_OTHER = 0;
const FIELD_SEQ = 1;
const FIELD_ACK = 2;
const FIELD_WIN = 3;
const FIELD_URG = 4;
const FIELD_CKSUM = 5;
const FIELD_OPTIONS = 6;
const FIELD_LENGTH = 7;

/**
 * The field keyword at the cursor, stepped over (with the spellings seen in pastes:
 * "window", "len"), dispatched on the first letter.
 */
function fieldAt(c: TextCursor): number {
  switch (c.peek()) {
    case 0x73: // s
      return c.eatWord('seq') ? FIELD_SEQ : FIELD_OTHER;
    case 0x61: // a
      return c.eatWord('ack') ? FIELD_ACK : FIELD_OTHER;
    case 0x77: // w
      return c.eatWord('win') || c.eatWord('window') ? FIELD_WIN : FIELD_OTHER;
    case 0x75: // u
      return c.eatWord('urg') ? FIELD_URG : FIELD_OTHER;
    case 0x63: // c
      return c.eatWord('cksum') ? FIELD_CKSUM : FIELD_OTHER;
    case 0x6f: // o
      return c.eatWord('options') ? FIELD_OPTIONS : FIELD_OTHER;
    case 0x6c: // l
      return c.eatWord('length') || c.eatWord('len') ? FIELD_LENGTH : FIELD_OTHER;
    default:
      return FIELD_OTHER;
  }
}
/** Whether the TCP part at `at` starts like a modern one. */
export function startsModern(text: string, at: number): boolean {
  if (text.startsWith(FLAGS_FIELD, at)) return true;
  LENIENT_START.lastIndex = at;
  return LENIENT_START.test(text);
}

/**
 * Reads the TCP part at the cursor into `out` (endpoints already set). Returns '' when the
 * line is a usable segment, else what is wrong with it, in words.
 */
export function parseModern(c: TextCursor, out: PrintedSegment): string {
  const text = c.text;
  if (!c.eat(FLAGS_FIELD)) {
    LENIENT_FLAGS_FIELD.lastIndex = c.pos;
    if (!LENIENT_FLAGS_FIELD.test(text)) return 'no "Flags [...]" field';
    c.pos = LENIENT_FLAGS_FIELD.lastIndex;
  }
  const flagsEnd = text.indexOf(']', c.pos);
  if (flagsEnd < 0) return 'the flags have no closing "]"';
  let flags = parseModernFlags(text, c.pos, flagsEnd);
  if (flags === BAD_FLAGS) return `unknown TCP flags [${text.slice(c.pos, flagsEnd)}]`;
  c.pos = flagsEnd + 1;

  let seq = -1;
  let seqEnd = -1;
  let ack = -1;
  let win = -1;
  let len = -1;
  out.urp = 0;
  out.options = undefined;
  out.checksum = 'unknown';
  out.truncated = false;
  while (!c.atEnd) {
    const ch = c.peek();
    if (ch === COMMA || ch === SPACE) {
      c.pos++;
      continue;
    }
    if (ch === OPEN_BRACKET) {
      // A note: "[|tcp]" (truncated), "[bad opt]", tcpdump 5's "[ack N != 0 while ACK flag not set]".
      if (c.startsWith(TCP_TRUNCATED)) out.truncated = true;
      c.pos++;
      c.skipPast(OPEN_BRACKET, CLOSE_BRACKET);
      continue;
    }
    const field = fieldAt(c);
    if (field === FIELD_OTHER) break; // stray text
    c.eatChar(COLON);
    c.skipSpaces();
    if (field === FIELD_LENGTH) {
      len = c.uint();
      if (len < 0) return 'length has no number';
      // What follows is the application's summary (": HTTP: GET /", " 17177+ A? ...").
      if (text.includes(TCP_TRUNCATED, c.pos)) out.truncated = true;
      break;
    }
    switch (field) {
      case FIELD_SEQ:
        seq = c.uint();
        if (seq < 0) return 'seq has no number';
        if (c.eatChar(COLON)) {
          seqEnd = c.uint();
          if (seqEnd < 0) return `seq ${seq}: has no end number`;
        }
        break;
      case FIELD_ACK:
        ack = c.uint();
        if (ack < 0) return 'ack has no number';
        break;
      case FIELD_WIN:
        win = c.uint();
        if (win < 0) return 'win has no number';
        break;
      case FIELD_URG:
        out.urp = Math.max(0, c.uint());
        break;
      case FIELD_CKSUM:
        readChecksum(c, out);
        break;
      case FIELD_OPTIONS:
        if (!c.eatChar(OPEN_BRACKET)) return 'options without "["';
        parseOptionList(c, CLOSE_BRACKET, out);
        break;
    }
  }

  // Lenient: an "ack N" field implies the ACK flag, as it does in the old format.
  if (ack >= 0) flags |= ACK;
  else if (flags & ACK) return 'the ACK flag is set but there is no ack number';
  if (len < 0) len = seqEnd >= 0 ? (seqEnd - seq) >>> 0 : 0;
  const range = outOfRange(seq, seqEnd, ack, win, out.urp, len);
  if (range !== '') return range;
  if (seq < 0 && (len > 0 || flags & (SYN | FIN | RST)))
    return 'no seq number, although the segment has SYN, FIN, RST or data';
  out.flags = flags;
  out.hasSeq = seq >= 0;
  out.seq = seq >= 0 ? seq : 0;
  out.ack = ack >= 0 ? ack : 0;
  out.win = win >= 0 ? win : WINDOW_NOT_PRINTED;
  out.len = len;
  return '';
}

/** "cksum 0x6c5b (correct)" or "cksum 0x1234 (incorrect -> 0xabcd)" (only with -v). */
function readChecksum(c: TextCursor, out: PrintedSegment): void {
  c.hex();
  c.skipSpaces();
  if (c.eat('(correct)')) {
    out.checksum = 'ok';
  } else if (c.eat('(incorrect')) {
    out.checksum = 'bad';
    c.skipPast(OPEN_PAREN, CLOSE_PAREN);
  }
}
