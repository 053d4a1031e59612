// A position in a line's bytes and the reads the fast-path grammars need (timestamps, the
// canonical TCP line). Every line ends with a byte that is no digit, letter or
// punctuation the grammars look for (its LF or CR, or the end of the buffer, read as
// undefined), so scans stop there without checking the end at each step.

export const DIGIT_0 = 0x30;

export function isDigitByte(b: number | undefined): b is number {
  return b !== undefined && b >= DIGIT_0 && b <= DIGIT_0 + 9;
}

/** The bytes of ASCII text, for ByteCursor.eat(): comparing bytes beats reading a string. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

export class ByteCursor {
  bytes: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;

  reset(bytes: Buffer, pos: number, end: number): void {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  /** Steps over `text` (see asciiBytes()) if the bytes go on with it. */
  eat(text: Uint8Array): boolean {
    const b = this.bytes;
    const at = this.pos;
    const n = text.length;
    if (at + n > this.end) return false;
    for (let i = 0; i < n; i++) if (b[at + i] !== text[i]) return false;
    this.pos = at + n;
    return true;
  }

  eatByte(c: number): boolean {
    if (this.pos >= this.end || this.bytes[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  /** An unsigned decimal number (plain digits), or -1. */
  uint(): number {
    const b = this.bytes;
    let at = this.pos;
    let value = 0;
    let c = b[at];
    while (isDigitByte(c)) {
      value = value * 10 + (c - DIGIT_0);
      c = b[++at];
    }
    if (at === this.pos || at > this.end) return -1;
    this.pos = at;
    return value;
  }
}
