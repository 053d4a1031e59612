import { columns } from './text-fit.js';

// Widths here are counted in code points: everything the summary prints (ASCII, box
// drawing, arrows, "…") is one terminal column per code point.

// eslint-disable-next-line no-control-regex -- an SGR colour code starts with ESC (U+001B): matching it is the point
const SGR = /\u001b\[[0-9;]*m/g;

/** Terminal columns taken by a line, colour codes not counted. */
export function displayWidth(line: string): number {
  return columns(line.replace(SGR, ''));
}

// eslint-disable-next-line no-control-regex -- an SGR colour code starts with ESC (U+001B): matching it is the point
const SGR_HERE = /\u001b\[[0-9;]*m/y;

/**
 * The line cut to `width` columns, ending in "…" when cut. Colour codes are kept, and a
 * cut line that had any ends with a reset so the colour does not leak.
 */
export function clipLine(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  let out = '';
  let used = 0;
  let coloured = false;
  for (let i = 0; i < line.length && used < width - 1;) {
    SGR_HERE.lastIndex = i;
    const code = SGR_HERE.exec(line);
    if (code !== null) {
      out += code[0];
      coloured = true;
      i += code[0].length;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i) ?? 0);
    out += ch;
    used++;
    i += ch.length;
  }
  return `${out}…${coloured ? '\u001b[0m' : ''}`;
}

/** Joins words that `wrapWords` must keep on one line. */
export const KEEP_TOGETHER = '\u00a0';

/**
 * Prose wrapped at spaces into lines of at most `width` columns, later lines indented;
 * a word longer than a line is clipped.
 */
export function wrapWords(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && displayWidth(candidate) > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => clipLine(l.replaceAll(KEEP_TOGETHER, ' '), width));
}

/** The text cut to `width` columns from the left ("…anomalies/zero-window.pcap"): the end of a path says most. */
export function clipStart(text: string, width: number): string {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- widths here are counted in code points (see above)
  const chars = [...text];
  if (chars.length <= width) return text;
  return `…${chars.slice(chars.length - Math.max(0, width - 1)).join('')}`;
}
