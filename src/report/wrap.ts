/** Stands for a space that must not become a line break; printed as a plain space. */
const UNBREAKABLE = '\u00a0';

/** The text as one unit for wrapping: "ack 1001 = client ISN + 1" stays on one line. */
export function together(text: string): string {
  return text.replaceAll(' ', UNBREAKABLE);
}

/** Keeps "seq 1001", "ack 1001", "frame 12" on one line, and each `command` shorter than `max`. */
export function keepPhrasesTogether(text: string, max: number): string {
  return text
    .replace(/\b(seq|ack|ISN|window|frame|frames|win|bytes|byte|MSS|TSval) (?=\d)/g, `$1${UNBREAKABLE}`)
    .replace(/`[^`]+`/g, (code) => (code.length <= max ? together(code) : code));
}

/** The text printed without wrapping: its unbreakable spaces as plain ones. */
export function unbroken(text: string): string {
  return text.replaceAll(UNBREAKABLE, ' ');
}

/**
 * Word wrapping for plain text (colour is applied after wrapping, so lengths are visible
 * lengths). Breaks only at spaces; a word longer than the line keeps a line of its own.
 */
export function wrapWords(text: string, firstWidth: number, restWidth = firstWidth): string[] {
  return breakLines(text, firstWidth, restWidth).map(unbroken);
}

function breakLines(text: string, firstWidth: number, restWidth: number): string[] {
  const words = text.split(/[ \t\n\r]+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const width = Math.max(1, lines.length === 0 ? firstWidth : restWidth);
    if (line === '') {
      line = word;
    } else if (line.length + 1 + word.length <= width) {
      line += ` ${word}`;
    } else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * A paragraph as indented lines no wider than `width`: the first line starts at `indent`,
 * the following ones at `indent + hang` (a hanging indent).
 */
export function wrapParagraph(text: string, width: number, indent: number, hang = 0): string[] {
  const first = ' '.repeat(indent);
  const rest = ' '.repeat(indent + hang);
  return wrapWords(text, width - first.length, width - rest.length).map((l, i) => `${i === 0 ? first : rest}${l}`);
}
