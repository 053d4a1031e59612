// A position in a decoded line and the reads the general TCP grammars need (modern.ts,
// legacy.ts, options.ts): left to right, no substring except for the values kept.

const DIGIT_0 = 0x30;
const SPACE = 0x20;
const COMMA = 0x2c;

export function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_0 + 9;
}

export function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

export class TextCursor {
  text = '';
  pos = 0;

  reset(text: string, pos: number): void {
    this.text = text;
    this.pos = pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** The character code at the position (NaN at the end). */
  peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Steps over `s` if the text goes on with it. */
  eat(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }

  eatChar(c: number): boolean {
    if (this.text.charCodeAt(this.pos) !== c) return false;
    this.pos++;
    return true;
  }

  skipSpaces(): void {
    while (this.text.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /**
   * An unsigned decimal number, or -1. Thousands separators, as pasted from articles, are
   * read too ("65,535", "1,234,567": groups of exactly three digits after a first group of
   * one to three); a comma followed by anything else ends the number, as tcpdump's field
   * separator ", " does.
   */
  uint(): number {
    const s = this.text;
    let at = this.pos;
    let value = 0;
    let c = s.charCodeAt(at);
    while (isDigit(c)) {
      value = value * 10 + (c - DIGIT_0);
      c = s.charCodeAt(++at);
    }
    const digits = at - this.pos;
    if (digits === 0) return -1;
    if (digits <= 3) {
      while (
        c === COMMA &&
        isDigit(s.charCodeAt(at + 1)) &&
        isDigit(s.charCodeAt(at + 2)) &&
        isDigit(s.charCodeAt(at + 3)) &&
        !isDigit(s.charCodeAt(at + 4))
      ) {
        value = value * 1000 + Number(s.slice(at + 1, at + 4));
        at += 4;
        c = s.charCodeAt(at);
      }
    }
    this.pos = at;
    return value;
  }

  /** Hex digits after "0x" (the "0x" included), as text; '' if none. */
  hex(): string {
    const s = this.text;
    const start = this.pos;
    if (!s.startsWith('0x', start)) return '';
    let at = start + 2;
    let c = s.charCodeAt(at);
    while (isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)) c = s.charCodeAt(++at);
    this.pos = at;
    return s.slice(start, at);
  }

  /** Steps over `word` if the text goes on with it as a whole word (no letter after it). */
  eatWord(word: string): boolean {
    const at = this.pos;
    if (!this.text.startsWith(word, at) || isLetter(this.text.charCodeAt(at + word.length))) return false;
    this.pos = at + word.length;
    return true;
  }

  /**
   * Moves past the `close` that matches the `open` just before the position, counting
   * nested pairs of the same kind. Returns false, at the end of the line, when it is
   * never closed.
   */
  skipPast(open: number, close: number): boolean {
    const s = this.text;
    let depth = 1;
    for (let at = this.pos; at < s.length; at++) {
      const c = s.charCodeAt(at);
      if (c === open) depth++;
      else if (c === close && --depth === 0) {
        this.pos = at + 1;
        return true;
      }
    }
    this.pos = s.length;
    return false;
  }
}
