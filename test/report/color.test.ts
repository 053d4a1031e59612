import { describe, expect, it } from 'vitest';
import { decideColorLevel } from '../../src/report/color.js';

describe('our colour decision (chalk and cli-table3 ignore NO_COLOR on their own)', () => {
  it('an explicit flag wins over everything', () => {
    expect(decideColorLevel(false, { FORCE_COLOR: '3' }, true)).toBe(0);
    expect(decideColorLevel(true, { NO_COLOR: '1' }, false)).toBe(1);
    expect(decideColorLevel(true, { COLORTERM: 'truecolor' }, false)).toBe(3);
  });

  it('NO_COLOR, when present and not empty, turns colour off, even with FORCE_COLOR (no-color.org)', () => {
    expect(decideColorLevel(undefined, { NO_COLOR: '1' }, true)).toBe(0);
    expect(decideColorLevel(undefined, { NO_COLOR: '1', FORCE_COLOR: '2' }, true)).toBe(0);
    expect(decideColorLevel(undefined, { NO_COLOR: '' }, true)).toBe(1);
  });

  it('FORCE_COLOR brings colour to a pipe, at its level; 0 or false turns it off', () => {
    expect(decideColorLevel(undefined, { FORCE_COLOR: '1' }, false)).toBe(1);
    expect(decideColorLevel(undefined, { FORCE_COLOR: '2' }, false)).toBe(2);
    expect(decideColorLevel(undefined, { FORCE_COLOR: '3' }, false)).toBe(3);
    expect(decideColorLevel(undefined, { FORCE_COLOR: '' }, false)).toBe(1);
    expect(decideColorLevel(undefined, { FORCE_COLOR: '0' }, true)).toBe(0);
    expect(decideColorLevel(undefined, { FORCE_COLOR: 'false' }, true)).toBe(0);
  });

  it('otherwise colour only on a terminal that is not dumb, at the depth the terminal names', () => {
    expect(decideColorLevel(undefined, {}, false)).toBe(0);
    expect(decideColorLevel(undefined, { TERM: 'dumb' }, true)).toBe(0);
    expect(decideColorLevel(undefined, { TERM: 'xterm' }, true)).toBe(1);
    expect(decideColorLevel(undefined, { TERM: 'xterm-256color' }, true)).toBe(2);
    expect(decideColorLevel(undefined, { COLORTERM: 'truecolor' }, true)).toBe(3);
  });
});
