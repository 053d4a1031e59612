// TCP flags as tcpdump prints them, and as people retype them.
//
// Modern (print-tcp.c tcp_flag_values): letters in the order F S R P . U E W e, '.' for
// ACK, 'e' for AE (tcpdump 5 only), "none" for no bits. Old 3.x: S F R P W E, or a single
// '.'; ACK is never a letter there, it is implied by an "ack N" field (spec §5).

import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../segment.js';

/** Not a flag set. */
export const BAD_FLAGS = -1;

function modernLetter(c: number): number {
  switch (c) {
    case 0x46:
      return FIN; // F
    case 0x53:
      return SYN; // S
    case 0x52:
      return RST; // R
    case 0x50:
      return PSH; // P
    case 0x2e:
      return ACK; // .
    case 0x55:
      return URG; // U
    case 0x45:
      return ECE; // E
    case 0x57:
      return CWR; // W
    case 0x65:
      return AE; // e
    default:
      return 0;
  }
}

const FLAG_WORDS: ReadonlyMap<string, number> = new Map([
  ['fin', FIN],
  ['syn', SYN],
  ['rst', RST],
  ['reset', RST],
  ['psh', PSH],
  ['push', PSH],
  ['ack', ACK],
  ['urg', URG],
  ['ece', ECE],
  ['cwr', CWR],
  ['ae', AE],
  ['none', 0],
]);

/** The flags between the brackets of "Flags [...]": text[start, end). */
export function parseModernFlags(text: string, start: number, end: number): number {
  let flags = 0;
  for (let i = start; i < end; i++) {
    const bit = modernLetter(text.charCodeAt(i));
    if (bit === 0)
      return end - start === 4 && text.startsWith('none', start) ? 0 : parseLenientFlags(text.slice(start, end));
    flags |= bit;
  }
  return start === end ? BAD_FLAGS : flags;
}

/**
 * Flags as found in pastes: lower case ("s."), words ("SYN, ACK", "ack"), 'A' for ACK,
 * any order. In an all-lower-case paste 'e' is ECE; next to capitals it is tcpdump 5's AE.
 */
export function parseLenientFlags(text: string): number {
  const tokens = text.trim().split(/[\s,|+]+/);
  let flags = 0;
  for (const token of tokens) {
    if (token === '') continue;
    const word = FLAG_WORDS.get(token.toLowerCase());
    if (word !== undefined) {
      flags |= word;
      continue;
    }
    const lowerCasePaste = token === token.toLowerCase() && /[sfrpuwa]/.test(token);
    // By code unit and index: for-of over a string goes by code point, through an iterator.
    // eslint-disable-next-line @typescript-eslint/prefer-for-of -- a string, not an array (see above)
    for (let i = 0; i < token.length; i++) {
      const ch = token[i]!;
      const letter = lowerCasePaste ? ch.toUpperCase() : ch;
      const bit = letter === 'A' ? ACK : modernLetter(letter.charCodeAt(0));
      if (bit === 0) return BAD_FLAGS;
      flags |= bit;
    }
  }
  return flags;
}

/** The old format's flag token ("S", "FP", "."), without ACK or URG; lower case accepted. */
export function parseLegacyFlags(token: string): number {
  if (token === '.') return 0;
  let flags = 0;
  // By code unit and index: for-of over a string goes by code point, through an iterator.
  // eslint-disable-next-line @typescript-eslint/prefer-for-of -- a string, not an array (see above)
  for (let i = 0; i < token.length; i++) {
    switch (token[i]!.toUpperCase()) {
      case 'S':
        flags |= SYN;
        break;
      case 'F':
        flags |= FIN;
        break;
      case 'R':
        flags |= RST;
        break;
      case 'P':
        flags |= PSH;
        break;
      case 'W':
        flags |= CWR;
        break;
      case 'E':
        flags |= ECE;
        break;
      default:
        return BAD_FLAGS;
    }
  }
  return flags;
}
