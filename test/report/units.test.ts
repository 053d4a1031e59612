import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration } from '../../src/report/units.js';

describe('table units', () => {
  it('counts with thousands separators, whatever the locale', () => {
    expect([0, 999, 1000, 1_234_567].map(formatCount)).toEqual(['0', '999', '1,000', '1,234,567']);
  });

  it('bytes in binary units, one decimal under 100, moving up rather than printing 1024', () => {
    expect([0, 138, 1023, 1024, 17_376, 304_080, 1_048_000, 1_048_570, 5 * 1024 ** 3].map(formatBytes))
      .toEqual(['0 B', '138 B', '1023 B', '1.0 KiB', '17.0 KiB', '297 KiB', '1023 KiB', '1.0 MiB', '5.0 GiB']);
  });

  it('durations: milliseconds under 10 s, then minutes, hours, days', () => {
    expect([0, 0.000056, 0.900029, 9.9994, 12.345, 65, 3599.4, 3600, 7380, 90_000].map(formatDuration))
      .toEqual(['0.000s', '0.000s', '0.900s', '9.999s', '12.35s', '1m05s', '59m59s', '1h00m', '2h03m', '1d01h']);
  });
});
