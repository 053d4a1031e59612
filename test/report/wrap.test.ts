import { describe, expect, it } from 'vitest';
import { wrapText, wrapUnits } from '../../src/report/wrap.js';

describe('wrapping', () => {
  it('cuts at spaces within the width, with a hanging indent, and never breaks a word', () => {
    expect(wrapText('aaa bbb ccc ddd', 10, 2)).toEqual(['aaa bbb', 'ccc ddd']);
    expect(wrapText('aaa bbb', 10, 2, 4)).toEqual(['aaa', 'bbb']); // 4 columns already used on the first line
    expect(wrapText('x 123456789012345 y', 10, 0)).toEqual(['x', '123456789012345', 'y']);
  });

  it('keeps units whole where it can, and breaks one longer than a line at its spaces', () => {
    expect(wrapUnits(['one two', 'three four', 'five'], '; ', 20, 2)).toEqual(['one two;', 'three four; five']);
    const lines = wrapUnits(['a very long unit that cannot fit on one line', 'short'], '; ', 20, 0);
    expect(lines.every((l) => l.length <= 20)).toBe(true);
    expect(lines.join(' ')).toBe('a very long unit that cannot fit on one line; short');
  });
});
