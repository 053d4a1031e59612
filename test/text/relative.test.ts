// Relative sequence numbers back to numbers the tracker can use (spec §4, R1–R4).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACK, PSH, SYN } from '../../src/segment.js';
import { newPrintedSegment } from '../../src/text/printed-segment.js';
import { GENERATION_SIZE, RelativeNumbers } from '../../src/text/relative.js';
import { readText } from './read.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/text/${name}`, import.meta.url), 'utf8');

/** [seq, ack, seqRelative] of every segment of a text. */
function numbers(text: string): [number, number, boolean][] {
  const { segments, warnings, error } = readText(text);
  expect(error).toBeUndefined();
  expect(warnings).toEqual([]);
  return segments.map((s) => [s.seq, s.ack, s.seqRelative]);
}

const lines = (...l: string[]): string =>
  l.map((x, i) => `    ${i + 1}  10:00:00.${String(i).padStart(6, '0')} ${x}`).join('\n');

describe('relative numbers with the handshake in the text', () => {
  it('gives the numbers tcpdump -S prints, for every fixture capture', () => {
    for (const capture of [
      'http-client-close.pcap',
      'half-close.pcap',
      'multi.pcap',
      'ipv6.pcap',
      'rst-abort.pcap',
      'refused.pcap',
    ]) {
      const relative = numbers(fixture(`${capture}.n.txt`));
      const absolute = numbers(fixture(`${capture}.S.txt`));
      expect(
        relative.map(([seq, ack]) => [seq, ack]),
        capture,
      ).toEqual(absolute.map(([seq, ack]) => [seq, ack]));
      expect(
        absolute.every(([, , rel]) => !rel),
        capture,
      ).toBe(true);
    }
  });

  it('prints the SYN and SYN-ACK absolute (R1, R2) and the rest relative (R3)', () => {
    const n = numbers(fixture('http-client-close.pcap.n.txt'));
    expect(n.map(([, , rel]) => rel)).toEqual([false, false, true, true, true, true, true, true, true, true, true]);
  });

  it("fills in a pure ACK's hidden seq as its sender's next sequence number", () => {
    const n = numbers(
      lines(
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:11, ack 1, win 1, length 10',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 11, win 1, length 0',
      ),
    );
    expect(n).toEqual([
      [1000, 0, false],
      [5000, 1001, false],
      [1001, 5001, true],
      [1001, 5001, true],
      [5001, 1011, true],
    ]);
  });

  it('wraps around 2^32 as tcpdump does', () => {
    const n = numbers(
      lines(
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 4294967040, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 7, ack 4294967041, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:401, ack 1, win 1, length 400',
      ),
    );
    expect(n[2]).toEqual([4294967041, 8, true]);
  });

  it('reads an ACK-less RST inside a relative conversation as absolute (R1)', () => {
    const n = numbers(
      lines(
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:11, ack 1, win 1, length 10',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [R], seq 1011, win 0, length 0',
      ),
    );
    expect(n[3]).toEqual([1011, 0, false]);
  });

  it('starts afresh on a new SYN-ACK: port reuse', () => {
    const n = numbers(
      lines(
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 1, ack 1, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 900000, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 77000, ack 900001, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 1, length 0',
      ),
    );
    expect(n.slice(3)).toEqual([
      [900000, 0, false],
      [77000, 900001, false],
      [900001, 77001, true],
    ]);
  });

  it("adds the receiver's base to SACK edges (R4), and leaves them absolute without ACK", () => {
    const { segments } = readText(
      lines(
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1, win 1, options [nop,nop,sack 1 {101:201}], length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [R], seq 5001, win 1, options [sack 1 {1101:1201}], length 0',
      ),
    );
    expect(segments[2]!.options?.sack).toEqual([{ left: 1101, right: 1201 }]);
    expect(segments[3]!.options?.sack).toEqual([{ left: 1101, right: 1201 }]);
  });
});

describe('relative numbers in a text that starts mid-connection', () => {
  it('takes the bases from the first ACK segment, printed absolute', () => {
    const n = numbers(fixture('midstream-relative.txt')).slice(0, 8);
    expect(n.slice(0, 4)).toEqual([
      [3305197767, 3938018648, false],
      [3938018648, 3305197951, true],
      [3305197951, 3938018648, true],
      [3938018648, 3305197959, true],
    ]);
  });

  it('numbers a side from 0 when its first segment is a pure ACK with a hidden seq', () => {
    const n = numbers(fixture('midstream-relative.txt')).slice(8);
    expect(n).toEqual([
      [0, 2043824404, false],
      [0, 2043824404, true],
      [2043824404, 58, true],
      [2043824404, 58, true],
      [58, 2043824630, true],
    ]);
  });

  it('keeps that side consistent when its numbers are absolute (tcpdump -S)', () => {
    const n = numbers(
      lines(
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 2043824404, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 603899917:603899975, ack 2043824404, win 1, length 58',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 603899975, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [R], seq 603899975, win 0, length 0',
      ),
    );
    expect(n).toEqual([
      [0, 2043824404, false],
      [0, 2043824404, false],
      [2043824404, 58, false],
      [58, 0, false],
    ]);
  });
});

describe('absolute numbers (tcpdump -S)', () => {
  it('are taken as they are, even with small ISNs', () => {
    const n = numbers(
      lines(
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5001, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1011, ack 5001, win 1, length 10',
      ),
    );
    expect(n).toEqual([
      [1000, 0, false],
      [5000, 1001, false],
      [1001, 5001, false],
      [1001, 5001, false],
    ]);
  });

  it('are told apart from relative ones per conversation, in one mixed text', () => {
    const n = numbers(
      lines(
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 3000000000, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 2000000000, ack 3000000001, win 1, length 0',
        'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 3000000001:3000000011, ack 2000000001, win 1, length 10',
        'IP 10.0.0.1.40001 > 10.0.0.2.80: Flags [S], seq 123456789, win 1, length 0',
        'IP 10.0.0.2.80 > 10.0.0.1.40001: Flags [S.], seq 987654321, ack 123456790, win 1, length 0',
        'IP 10.0.0.1.40001 > 10.0.0.2.80: Flags [P.], seq 1:11, ack 1, win 1, length 10',
      ),
    );
    expect(n[2]).toEqual([3000000001, 2000000001, false]);
    expect(n[5]).toEqual([123456790, 987654322, true]);
  });
});

describe('memory', () => {
  it('forgets conversations not seen for a while, so the table stays bounded', () => {
    const rel = new RelativeNumbers();
    const t = newPrintedSegment();
    for (let i = 0; i < 3 * GENERATION_SIZE; i++) {
      t.src = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      t.sport = 40000;
      t.dst = '10.255.255.255';
      t.dport = 80;
      t.flags = PSH | ACK;
      t.hasSeq = true;
      t.seq = 1;
      t.ack = 1;
      t.len = 10;
      rel.resolve(t);
      if (i % 1000 === 0 && rel.size > 2 * GENERATION_SIZE)
        throw new Error(`${rel.size} conversations remembered after ${i}`);
    }
    expect(rel.size).toBeGreaterThanOrEqual(GENERATION_SIZE);
  });

  it('keeps a conversation that stays active through a generation change', () => {
    const rel = new RelativeNumbers();
    const t = newPrintedSegment();
    const send = (src: string, flags: number, seq: number, ack: number): [number, number] => {
      Object.assign(t, { src, sport: 40000, dst: '10.255.255.255', dport: 80, flags, hasSeq: true, seq, ack, len: 0 });
      rel.resolve(t);
      return [t.seq, t.ack];
    };
    send('10.0.0.1', SYN | ACK, 5000, 1001);
    for (let i = 0; i < 2 * GENERATION_SIZE; i++) {
      send(`10.1.${(i >> 8) & 255}.${i & 255}`, ACK, 1, 1);
      if (i % 1000 === 0) send('10.0.0.1', ACK, 1, 1);
    }
    expect(send('10.0.0.1', ACK, 2, 3)).toEqual([5002, 1003]);
  });
});
