// Byte chunks → lines. Lines are handed out as byte ranges of the chunk, not as strings:
// the common TCP line is read byte by byte (canonical-line.ts), several times faster in V8
// than reading a decoded string, and only the other lines are decoded (lineText()). Only
// the unfinished last line is kept between chunks, so memory does not grow with the input;
// a "line" that never ends, or bytes no text has, mean the input is not tcpdump's text.

import { InputError } from '../errors.js';

/** Longer than any line tcpdump prints for a packet; -A of a jumbo segment can come close. */
export const MAX_LINE_BYTES = 1024 * 1024;

export const BINARY_MESSAGE = 'binary data, not tcpdump text';
const UTF16_MESSAGE =
  'UTF-16 text (as Windows PowerShell saves it): convert it to UTF-8 first, e.g. `iconv -f UTF-16 -t UTF-8 FILE`';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** One line: bytes[start, end), without its line end (LF or CRLF). */
export type LineHandler = (bytes: Buffer, start: number, end: number, lineNumber: number) => void;

/** Splits the input into lines (LF or CRLF; a last line without a newline counts). */
export class LineSplitter {
  private readonly name: string;
  private readonly onLine: LineHandler;
  /** Bytes of the unfinished line, in pieces (joined once its newline arrives). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineNumber = 0;

  constructor(name: string, onLine: LineHandler) {
    this.name = name;
    this.onLine = onLine;
  }

  push(chunk: Buffer): void {
    if (this.lineNumber === 0 && this.pendingBytes === 0 && isUtf16(chunk)) {
      throw new InputError(this.name, UTF16_MESSAGE, 'line 1');
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      // The lines before the one with the NUL are still text: hand them out first.
      const lineStart = chunk.lastIndexOf(NEWLINE, nul);
      if (lineStart >= 0) this.split(chunk.subarray(0, lineStart + 1));
      this.fail(this.lineNumber + 1);
    }
    this.split(chunk);
  }

  /** End of input: the last line, if it had no newline. */
  end(): void {
    if (this.pendingBytes === 0) return;
    const rest = this.takePending();
    this.emit(rest, 0, rest.length);
  }

  private split(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (nl < 0) {
      this.keep(chunk, 0);
      return;
    }
    if (this.pendingBytes > 0) {
      this.pending.push(chunk.subarray(0, nl));
      this.pendingBytes += nl;
      const joined = this.takePending();
      this.emit(joined, 0, joined.length);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    while (nl >= 0) {
      this.emit(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    this.keep(chunk, start);
  }

  private emit(bytes: Buffer, start: number, end: number): void {
    this.lineNumber++;
    if (this.lineNumber === 1 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf)
      start += 3; // UTF-8 BOM
    this.onLine(bytes, start, end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end, this.lineNumber);
  }

  private takePending(): Buffer {
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return joined;
  }

  private keep(chunk: Buffer, from: number): void {
    if (from >= chunk.length) return;
    // A copy: the caller may reuse its chunk, and a small piece should not pin a big one.
    this.pending.push(Buffer.from(chunk.subarray(from)));
    this.pendingBytes += chunk.length - from;
    if (this.pendingBytes > MAX_LINE_BYTES) this.fail(this.lineNumber + 1);
  }

  private fail(lineNumber: number): never {
    throw new InputError(this.name, BINARY_MESSAGE, `line ${lineNumber}`);
  }
}

/** A UTF-16 byte order mark: FF FE or FE FF. */
function isUtf16(chunk: Buffer): boolean {
  return chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff));
}

/** The line as text (UTF-8). */
export function lineText(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start, end);
}

/**
 * A line no text file has: control characters other than tab, form feed and escape (colour
 * codes in pasted terminal output), or bytes that are not UTF-8 (decoded as U+FFFD). A few
 * are tolerated; tcpdump itself prints unprintable payload bytes as '.'.
 */
export function looksBinary(line: string): boolean {
  let odd = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x20 ? c !== 0x09 && c !== 0x0c && c !== 0x1b : c === 0x7f || c === 0xfffd) odd++;
  }
  return odd >= 4 && odd * 16 >= line.length;
}
