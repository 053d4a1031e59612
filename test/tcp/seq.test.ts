import { describe, expect, it } from 'vitest';
import { ACK, FIN, SYN } from '../../src/segment.js';
import {
  finSeqOf,
  segEnd,
  seqAdd,
  seqDiff,
  seqGe,
  seqGt,
  seqInWindow,
  seqLe,
  seqLt,
  seqMax,
} from '../../src/tcp/seq.js';

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

describe('the segment-length rule', () => {
  it('a SYN and a FIN take one number each; the FIN sits after the SYN and the payload', () => {
    expect(segEnd({ seq: 100, len: 0, flags: SYN })).toBe(101);
    expect(segEnd({ seq: 100, len: 10, flags: ACK })).toBe(110);
    expect(segEnd({ seq: 100, len: 10, flags: FIN | ACK })).toBe(111);
    expect(segEnd({ seq: 100, len: 10, flags: SYN | FIN })).toBe(112);
    expect(finSeqOf({ seq: 100, len: 10, flags: FIN })).toBe(110);
    expect(finSeqOf({ seq: 100, len: 10, flags: SYN | FIN })).toBe(111);
    expect(segEnd({ seq: 0xffffffff, len: 1, flags: FIN })).toBe(1);
  });
});
