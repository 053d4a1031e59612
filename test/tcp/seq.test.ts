import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff, seqGe, seqGt, seqInWindow, seqLe, seqLt, seqMax } from '../../src/tcp/seq.js';

describe('sequence arithmetic modulo 2^32', () => {
  it('adds with wrap-around', () => {
    expect(seqAdd(0xffffffff, 1)).toBe(0);
    expect(seqAdd(0xfffffff0, 0x20)).toBe(0x10);
    expect(seqAdd(5, 10)).toBe(15);
  });

  it('orders across the wrap point', () => {
    expect(seqLt(0xfffffff0, 0x10)).toBe(true);
    expect(seqGt(0x10, 0xfffffff0)).toBe(true);
    expect(seqLe(7, 7)).toBe(true);
    expect(seqGe(7, 7)).toBe(true);
    expect(seqLt(7, 7)).toBe(false);
    expect(seqGt(100, 99)).toBe(true);
    expect(seqLt(100, 99)).toBe(false);
  });

  it('differences are signed 32-bit', () => {
    expect(seqDiff(0x10, 0xfffffff0)).toBe(0x20);
    expect(seqDiff(0xfffffff0, 0x10)).toBe(-0x20);
  });

  it('max and window checks wrap', () => {
    expect(seqMax(0xffffffff, 3)).toBe(3);
    expect(seqInWindow(2, 0xfffffffe, 8)).toBe(true);
    expect(seqInWindow(6, 0xfffffffe, 8)).toBe(false);
    expect(seqInWindow(0xfffffffd, 0xfffffffe, 8)).toBe(false);
  });
});
