import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressWanted, ProgressLine } from '../../src/report/progress.js';

const BIG = 100 * 1024 * 1024;

describe('progress line', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is drawn only on a terminal, outside CI, for a big file', () => {
    expect(progressWanted(true, {}, BIG)).toBe(true);
    expect(progressWanted(false, {}, BIG)).toBe(false);
    expect(progressWanted(true, { CI: 'true' }, BIG)).toBe(false);
    expect(progressWanted(true, { CI: '1' }, BIG)).toBe(false);
    expect(progressWanted(true, { CI: 'false' }, BIG)).toBe(true);
    expect(progressWanted(true, { TERM: 'dumb' }, BIG)).toBe(false);
    expect(progressWanted(true, {}, 1000)).toBe(false);
    expect(progressWanted(true, {}, undefined)).toBe(false);
  });

  it('redraws in place about ten times a second, and clears itself completely', () => {
    vi.useFakeTimers();
    let written = '';
    let read = 0;
    const line = new ProgressLine(
      (t) => (written += t),
      'big.pcap',
      200e6,
      () => read,
    );
    line.start();
    read = 50e6;
    vi.advanceTimersByTime(100);
    expect(written).toBe('\rbig.pcap: 25% (50 of 200 MB)');
    read = 150e6;
    vi.advanceTimersByTime(100);
    expect(written.endsWith('\rbig.pcap: 75% (150 of 200 MB)')).toBe(true);
    written = '';
    line.stop();
    expect(written).toBe(`\r${' '.repeat('big.pcap: 75% (150 of 200 MB)'.length)}\r`);
    written = '';
    vi.advanceTimersByTime(1000);
    expect(written).toBe(''); // stopped for good
  });
});
