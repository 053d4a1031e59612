import { describe, expect, it } from 'vitest';
import { newStamp, PacketClock, parseStamp, type Stamp } from '../../src/text/timestamp.js';

function stamp(text: string): (Stamp & { end: number }) | undefined {
  const out = newStamp();
  const bytes = Buffer.from(text);
  const end = parseStamp(bytes, 0, bytes.length, out);
  return end < 0 ? undefined : { ...out, end };
}

/** Times (as sec, nsec, epoch) the clock gives for these stamps, one per packet. */
function clock(...stamps: string[]): [number, number, boolean][] {
  const c = new PacketClock();
  return stamps.map((s) => {
    const st = newStamp();
    if (parseStamp(Buffer.from(s), 0, s.length, st) < 0) throw new Error(`no stamp in "${s}"`);
    c.set(st);
    return [c.sec, c.nsec, c.timeIsEpoch];
  });
}

describe('timestamps (util-print.c ts_print())', () => {
  it('reads the default time of day, with microseconds or (--nano) nanoseconds', () => {
    expect(stamp('19:40:16.396524 IP')).toMatchObject({ kind: 'time-of-day', sec: 70816, nsec: 396524000, end: 16 });
    expect(stamp('19:40:16.396524123 IP')).toMatchObject({ kind: 'time-of-day', sec: 70816, nsec: 396524123 });
  });

  it('reads -tt epoch seconds', () => {
    expect(stamp('1795462834.416311 ifb0')).toMatchObject({ kind: 'epoch', sec: 1795462834, nsec: 416311000 });
    expect(stamp('1795462834.416311000 IP')).toMatchObject({ kind: 'epoch', sec: 1795462834, nsec: 416311000 });
  });

  it('reads -tttt date and time', () => {
    const s = stamp('2005-07-06 03:57:35.938066 IP');
    expect(s).toMatchObject({ kind: 'date-time', sec: 3 * 3600 + 57 * 60 + 35, nsec: 938066000 });
    expect(s!.day).toBe(Date.UTC(2005, 6, 6) / 86400000);
  });

  it('reads -ttt and -ttttt deltas with their sign character', () => {
    expect(stamp(' 00:00:00.127522 IP')).toMatchObject({ kind: 'delta', negative: false, sec: 0, nsec: 127522000 });
    expect(stamp('-00:00:01.000100 IP')).toMatchObject({ kind: 'delta', negative: true, sec: 1, nsec: 100000 });
  });

  it('reads fractions tcpdump printed out of range, with tcpdump 5\'s "(invalid us)" mark', () => {
    expect(stamp('17:16:10.1000000 (invalid us) IP')).toMatchObject({ sec: 17 * 3600 + 16 * 60 + 11, nsec: 0 });
    expect(stamp('17:16:10.2147483648 (invalid ns) IP')).toMatchObject({
      sec: 17 * 3600 + 16 * 60 + 12,
      nsec: 147483648,
    });
  });

  it('rejects what is not a timestamp', () => {
    for (const text of [
      '10.99.0.1.40001 > 10.99.0.2.8080:',
      '    10.0.0.1.1 >',
      'IP 1.2.3.4',
      '12:34 foo',
      '2005-13-06 03:57:35.1 IP',
      '1234  IP',
    ]) {
      expect(stamp(text), text).toBeUndefined();
    }
  });
});

describe('PacketClock', () => {
  it('gives epoch times for -tt and -tttt (read as UTC)', () => {
    expect(clock('1700000000.000001 ', '2023-11-14 22:13:20.500000 ')).toEqual([
      [1700000000, 1000, true],
      [1700000000, 500000000, true],
    ]);
  });

  it('gives seconds since midnight for times of day, and passes midnight', () => {
    expect(clock('23:59:59.900000 ', '00:00:00.100000 ', '00:00:01.000000 ')).toEqual([
      [86399, 900000000, false],
      [86400, 100000000, false],
      [86401, 0, false],
    ]);
  });

  it('keeps a small step back in time of day as it is (out-of-order stamps)', () => {
    expect(clock('10:00:01.000000 ', '10:00:00.500000 ')).toEqual([
      [36001, 0, false],
      [36000, 500000000, false],
    ]);
  });

  it('reads deltas as -ttttt (since the first packet) while they grow', () => {
    expect(clock(' 00:00:00.000000 ', ' 00:00:00.127521 ', ' 00:00:00.127609 ')).toEqual([
      [0, 0, false],
      [0, 127521000, false],
      [0, 127609000, false],
    ]);
  });

  it('switches to -ttt (since the previous packet) at the first delta smaller than the one before', () => {
    expect(clock(' 00:00:00.000000 ', ' 00:00:00.127522 ', ' 00:00:00.000088 ', ' 00:00:01.000000 ')).toEqual([
      [0, 0, false],
      [0, 127522000, false],
      [0, 127610000, false],
      [1, 127610000, false],
    ]);
  });

  it('gives 0 without a stamp (-t)', () => {
    const c = new PacketClock();
    c.none();
    expect([c.sec, c.nsec, c.timeIsEpoch]).toEqual([0, 0, false]);
  });
});
