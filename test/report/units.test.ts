import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration } from '../../src/report/units.js';

describe('table units', () => {
  it('counts with thousands separators, whatever the locale', () => {
    expect([0, 999, 1000, 1_234_567].map(formatCount)).toEqual(['0', '999', '1,000', '1,234,567']);
  });

  it('bytes in SI units, at most three digits, moving up rather than printing 1000', () => {
    expect(
      [0, 138, 999, 1000, 9_949, 9_950, 17_376, 304_080, 999_499, 999_500, 1_048_576, 5 * 1024 ** 3].map(formatBytes),
    ).toEqual([
      '0 B',
      '138 B',
      '999 B',
      '1.0 kB',
      '9.9 kB',
      '10 kB',
      '17 kB',
      '304 kB',
      '999 kB',
      '1.0 MB',
      '1.0 MB',
      '5.4 GB',
    ]);
  });

  it('durations: hundredths under 10 s, tenths under a minute, then minutes, hours, days; never wider than six', () => {
    const seconds = [
      0, 0.000056, 0.900029, 0.65, 9.9949, 9.995, 12.345, 59.94, 59.95, 65, 3599.4, 3600, 7380, 86_399, 90_000,
    ];
    expect(seconds.map(formatDuration)).toEqual([
      '0.00s',
      '0.00s',
      '0.90s',
      '0.65s',
      '9.99s',
      '10.0s',
      '12.3s',
      '59.9s',
      '1m00s',
      '1m05s',
      '59m59s',
      '1h00m',
      '2h03m',
      '23h59m',
      '1d01h',
    ]);
    for (const s of seconds) expect(formatDuration(s).length).toBeLessThanOrEqual(6);
  });
});
