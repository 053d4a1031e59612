// What a terminal sees of the output: colour codes, and columns counted in code points.

/** ESC (U+001B), the byte every ANSI colour code starts with. */
export const ESC = String.fromCharCode(0x1b);

/** An ANSI control sequence introducer (ESC `[`) anywhere: output with any colour or style code matches. */
export const ANSI_CODE = new RegExp(String.raw`${ESC}\[`);

/** Any ESC byte at all. */
export const ANY_ESCAPE = new RegExp(ESC);

/** An SGR (colour or style) code: ESC `[`, parameters, `m`. */
const SGR = new RegExp(String.raw`${ESC}\[[0-9;]*m`, 'g');

/** The text without its SGR colour and style codes. */
export function stripSgr(text: string): string {
  return text.replace(SGR, '');
}

/**
 * The text's code points. The tool counts columns in code points (everything it prints, ASCII, box
 * drawing, arrows, "…", takes one terminal column per code point), so the tests do too.
 */
export function toCodePoints(text: string): string[] {
  return Array.from(text);
}
