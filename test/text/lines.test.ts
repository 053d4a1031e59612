import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { lineText, LineSplitter, looksBinary, MAX_LINE_BYTES } from '../../src/text/lines.js';
import { chunked } from '../helpers/capture.js';

function split(input: string | Buffer, sizes?: number[]): { lines: [number, string][]; error: unknown } {
  const lines: [number, string][] = [];
  const splitter = new LineSplitter('in.txt', (bytes, start, end, n) => lines.push([n, lineText(bytes, start, end)]));
  let error: unknown;
  try {
    for (const chunk of chunked(Buffer.from(input), sizes)) splitter.push(chunk);
    splitter.end();
  } catch (e) {
    error = e;
  }
  return { lines, error };
}

describe('LineSplitter', () => {
  it('splits LF and CRLF lines, numbering them from 1, and keeps a last line without newline', () => {
    expect(split('a\nb\r\n\nc').lines).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, ''],
      [4, 'c'],
    ]);
  });

  it('gives the same lines however the bytes are chunked, 1 byte at a time included', () => {
    const text = 'first line\r\nsecond → line with UTF-8\n\nthird';
    const whole = split(text).lines;
    expect(split(text, [1]).lines).toEqual(whole);
    expect(split(text, [2, 3, 5, 7]).lines).toEqual(whole);
  });

  it('joins a line split between chunks, even inside a multi-byte character', () => {
    const text = 'x → y\n';
    const bytes = Buffer.from(text);
    const arrow = bytes.indexOf(0xe2);
    expect(split(bytes, [arrow + 1, 1, 100]).lines).toEqual([[1, 'x → y']]);
  });

  it('keeps no more than the unfinished line between chunks', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter('in.txt', (bytes, start, end) => lines.push(lineText(bytes, start, end)));
    splitter.push(Buffer.from('one\ntwo\nthr'));
    expect(lines).toEqual(['one', 'two']);
    splitter.push(Buffer.from('ee\n'));
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('stops at a NUL byte with an InputError naming the line, after handing out the lines before it', () => {
    const { lines, error } = split('good line\nanother\nbad \u0000 line\n');
    expect(lines.map(([, l]) => l)).toEqual(['good line', 'another']);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line()).toBe('in.txt: line 3: binary data, not tcpdump text');
  });

  it('finds the NUL line number across chunks', () => {
    const { error } = split('a\nb\nc\u0000\n', [1]);
    expect((error as InputError).where).toBe('line 3');
  });

  it('stops at a line that never ends', () => {
    const { error } = split(Buffer.alloc(MAX_LINE_BYTES + 10, 0x41), [65536]);
    expect((error as InputError).line()).toBe('in.txt: line 1: binary data, not tcpdump text');
  });
});

describe('text encodings', () => {
  it('drops a UTF-8 byte order mark before the first line', () => {
    expect(
      split(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('10:00:00.000000 IP\nnext')]), [1]).lines,
    ).toEqual([
      [1, '10:00:00.000000 IP'],
      [2, 'next'],
    ]);
  });

  it("names UTF-16 text (PowerShell's redirection) and how to convert it", () => {
    const { error } = split(Buffer.from('\ufeff10:00:00.000000 IP\n', 'utf16le'));
    expect((error as InputError).line()).toMatch(/^in\.txt: line 1: UTF-16 text .*iconv -f UTF-16 -t UTF-8/);
  });
});

describe('looksBinary', () => {
  it('accepts text, tabs, colour escapes and the odd control character', () => {
    expect(looksBinary('\t0x0000:  4500 003c 1b68 4000 4006 2152 7f00 0001  E..<.h@.@.!R....')).toBe(false);
    expect(looksBinary('\u001b[32mgreen\u001b[0m')).toBe(false);
    expect(looksBinary('a stray \u0007 bell in a long enough line')).toBe(false);
  });

  it('rejects lines made of control characters or bytes that are not UTF-8', () => {
    expect(looksBinary('\u0001\u0002\u0003\u0004\u0005abc')).toBe(true);
    expect(looksBinary(Buffer.from([0xff, 0xfe, 0x80, 0x81, 0x41, 0x42]).toString('utf8'))).toBe(true);
  });
});
