/** Columns a string takes: one per code point (the text we draw has no wide or combining characters). */
export function columns(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += text.codePointAt(i)! > 0xffff ? 2 : 1) n++;
  return n;
}

/** The text cut to at most `max` columns, ending in `ellipsis` when something was cut. */
export function fit(text: string, max: number, ellipsis: string): string {
  if (columns(text) <= max) return text;
  const keep = Math.max(0, max - columns(ellipsis));
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- cut by code point, as `columns` counts
  return [...text].slice(0, keep).join('').trimEnd() + ellipsis;
}

/** Words wrapped into lines of at most `max` columns; a word longer than a line is cut. */
export function wrap(text: string, max: number, ellipsis: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (columns(candidate) <= max) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = fit(word, max, ellipsis);
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * Clauses joined by `separator` (e.g. "; "), wrapped at the clauses when the whole does not
 * fit; continuation lines are indented by two spaces, and a clause too long is word-wrapped.
 */
export function wrapClauses(text: string, separator: string, max: number, ellipsis: string): string[] {
  if (columns(text) <= max) return [text];
  const lines: string[] = [];
  let line = '';
  const clauses = text.split(separator);
  clauses.forEach((clause, i) => {
    const piece = i < clauses.length - 1 ? `${clause}${separator.trimEnd()}` : clause;
    const indent = lines.length === 0 && line === '' ? '' : '  ';
    const candidate = line === '' ? `${indent}${piece}` : `${line} ${piece}`;
    if (columns(candidate) <= max) {
      line = candidate;
      return;
    }
    if (line !== '') lines.push(line);
    const [first = '', ...rest] = wrap(piece, max - 2, ellipsis);
    line = `${lines.length === 0 ? '' : '  '}${first}`;
    for (const r of rest) {
      lines.push(line);
      line = `  ${r}`;
    }
  });
  if (line !== '') lines.push(line);
  return lines;
}

/** A line of styled pieces, padded on the plain text so colour codes never shift a column. */
export class StyledLine {
  private readonly parts: string[] = [];
  private used = 0;

  /** Columns taken so far. */
  get length(): number {
    return this.used;
  }

  put(text: string, style?: (s: string) => string): this {
    if (text === '') return this;
    this.parts.push(style === undefined ? text : style(text));
    this.used += columns(text);
    return this;
  }

  /** Spaces up to column `col` (0-based); nothing when already there. */
  padTo(col: number): this {
    return col > this.used ? this.put(' '.repeat(col - this.used)) : this;
  }

  toString(): string {
    return this.parts.join('');
  }
}
