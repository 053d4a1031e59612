// What starts a packet's first line (print.c pretty_print_packet(); spec §1):
//   [-# number, right-aligned in 5 columns, 2 spaces] [timestamp, 1 space] body
// The number and the timestamp are the only safe anchors: link-layer prefixes, the IP
// keyword and the -v header vary, and the TCP part is found by its own pattern.

import { DIGIT_0, isDigitByte } from './byte-cursor.js';
import { newStamp, parseStamp, type Stamp } from './timestamp.js';

export interface Prefix {
  /** The -# packet number, or 0 when not printed. */
  number: number;
  /** A timestamp was printed (it is in `stamp`). */
  stamped: boolean;
  stamp: Stamp;
  /** Where the rest of the line (link prefix, addresses, ...) starts. */
  bodyStart: number;
}

export function newPrefix(): Prefix {
  return { number: 0, stamped: false, stamp: newStamp(), bodyStart: 0 };
}

const SPACE = 0x20;
const TAB = 0x09;
const NUMBER_WIDTH = 5;
/** tcpdump 5's --lengths adds "caplen C len L " after the number. */
const LENGTHS = /^caplen \d+ len \d+ /;

/**
 * Parses the number and timestamp at the start of the line bytes[start, end). Returns
 * false when it has neither, i.e. it is not recognisably the first line of a packet.
 */
export function parsePrefix(bytes: Buffer, start: number, end: number, out: Prefix): boolean {
  out.number = 0;
  out.stamped = false;
  let at = start;
  while (at < end && (bytes[at] === SPACE || bytes[at] === TAB)) at++;
  const digitsStart = at;
  let number = 0;
  for (let c = bytes[at]; at < end && isDigitByte(c); c = bytes[++at]) number = number * 10 + (c - DIGIT_0);
  const digits = at - digitsStart;
  if (digits > 0 && number > 0 && bytes[at] === SPACE && bytes[at + 1] === SPACE && at + 1 < end) {
    let body = at + 2;
    if (bytes[body] === 0x63) body += lengthsField(bytes, body, end); // 'c'
    const afterStamp = parseStamp(bytes, body, end, out.stamp);
    if (afterStamp >= 0) {
      out.number = number;
      out.stamped = true;
      out.bodyStart = afterStamp;
      return true;
    }
    // -# with -t: no stamp, so insist on tcpdump's exact layout, "%5u  " then text.
    const column = digitsStart - start;
    const aligned = digits >= NUMBER_WIDTH ? column === 0 : column + digits === NUMBER_WIDTH;
    if (aligned && body < end && bytes[body] !== SPACE) {
      out.number = number;
      out.bodyStart = body;
      return true;
    }
    return false;
  }
  let afterStamp = parseStamp(bytes, start, end, out.stamp);
  if (afterStamp < 0 && digitsStart > start) {
    // A paste indented as a whole (a Markdown code block): the stamp after the indentation.
    // Not a delta: their sign is a space, so an indented one cannot be told from the rest.
    afterStamp = parseStamp(bytes, digitsStart, end, out.stamp);
    if (out.stamp.kind === 'delta') afterStamp = -1;
  }
  if (afterStamp < 0) return false;
  out.stamped = true;
  out.bodyStart = afterStamp;
  return true;
}

/** The length of "caplen C len L " at `at`, or 0. */
function lengthsField(bytes: Buffer, at: number, end: number): number {
  const m = LENGTHS.exec(bytes.toString('latin1', at, Math.min(end, at + 40)));
  return m === null ? 0 : m[0].length;
}

/**
 * Without numbers and timestamps (-t), a packet's first line is recognised by how it
 * begins: the IP keyword, ARP, an -e MAC address pair, or a Linux SLL2 (-i any)
 * interface and direction. Only used when the text has no stamps at all.
 */
const BARE_PACKET_START =
  /^(?:IP6? |ARP, |[0-9a-f]{2}(?::[0-9a-f]{2}){5} > |\S+ +(?:In|Out|B|M|P) +(?:IP6? |ARP, |ifindex ))/;

export function startsLikePacket(line: string): boolean {
  return BARE_PACKET_START.test(line);
}
