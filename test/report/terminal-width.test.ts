import { describe, expect, it } from 'vitest';
import { decideWidth } from '../../src/report/terminal-width.js';

describe('decideWidth', () => {
  it('COLUMNS first, then the terminal, then 80', () => {
    expect(decideWidth({ COLUMNS: '60' }, { isTTY: true, columns: 120 })).toBe(60);
    expect(decideWidth({}, { isTTY: true, columns: 120 })).toBe(120);
    expect(decideWidth({}, { isTTY: false })).toBe(80);
  });

  it('ignores a COLUMNS that is not a positive whole number', () => {
    for (const COLUMNS of ['', '0', '-5', 'wide', '80.5'])
      expect(decideWidth({ COLUMNS }, { isTTY: true, columns: 100 })).toBe(100);
  });
});
