import { describe, expect, it } from 'vitest';
import { ticksToTime, timestampScale } from '../../src/capture/timestamp.js';

function exact(ticks: bigint, tsresol: number): [number, number] {
  const perSecond = tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
  return [Number(ticks / perSecond), Number(((ticks % perSecond) * 1_000_000_000n) / perSecond)];
}

function convert(ticks: bigint, tsresol: number): [number, number] {
  const out = { sec: 0, nsec: 0 };
  ticksToTime(Number(ticks >> 32n), Number(ticks & 0xffffffffn), timestampScale(tsresol), out);
  return [out.sec, out.nsec];
}

describe('pcapng timestamps', () => {
  it('converts exactly, for decimal and binary resolutions, fast and slow paths alike', () => {
    const samples = [
      0n,
      1n,
      999_999n,
      1_000_000n,
      0xffffffffn,
      0x100000000n,
      1_700_000_000_999_999n,
      1_700_000_000_123_456_789n,
      0xffffffffffffffffn,
    ];
    let x = 12345n;
    for (let i = 0; i < 300; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      samples.push(x, x >> 7n, x >> 20n);
    }
    for (const tsresol of [0, 3, 6, 9, 10, 12, 0x80 | 10, 0x80 | 20, 0x80 | 30, 0x80 | 32, 0x80 | 40]) {
      for (const ticks of samples) {
        const [sec, nsec] = exact(ticks, tsresol);
        // Beyond 2^53 seconds a double cannot hold the exact value anyway.
        if (sec > Number.MAX_SAFE_INTEGER) continue;
        expect(convert(ticks, tsresol), `${ticks} ticks at tsresol ${tsresol}`).toEqual([sec, nsec]);
      }
    }
  });

  it('adds if_tsoffset seconds', () => {
    const out = { sec: 0, nsec: 0 };
    ticksToTime(0, 1_500_000, timestampScale(6, -10), out);
    expect(out).toEqual({ sec: -9, nsec: 500_000_000 });
  });
});
