// The tcpdump-text source as a whole: packets and frames, multi-line packets, what is
// skipped and counted, warnings, damaged input, and chunking.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { ACK, SYN } from '../../src/segment.js';
import { createTextSource } from '../../src/text/index.js';
import {
  SKIP_BAD_TCP,
  SKIP_NOT_TCP,
  SKIP_QUIET,
  SKIP_TRUNCATED,
  SKIP_UNKNOWN_SERVICE,
  SKIP_UNPARSABLE,
} from '../../src/text/skip.js';
import { PRINTED_LINE_WARNINGS } from '../../src/text/warnings.js';
import { onlySegment, readText, skips } from './read.js';

const SYN_LINE = 'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, length 0';
const SYNACK_LINE = 'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65535, length 0';

describe('segments', () => {
  it('fills every Segment field from one line', () => {
    expect(onlySegment(`1700000000.123456 ${SYN_LINE}\n`)).toEqual({
      frame: 1,
      sec: 1700000000,
      nsec: 123456000,
      timeIsEpoch: true,
      src: '10.0.0.1',
      dst: '10.0.0.2',
      sport: 40000,
      dport: 80,
      flags: SYN,
      seq: 1000,
      ack: 0,
      len: 0,
      win: 65535,
      urp: 0,
      options: undefined,
      truncated: false,
      checksum: 'unknown',
      seqRelative: false,
    });
  });

  it('gives time-of-day and delta stamps as non-epoch seconds, and no stamp as 0', () => {
    expect(onlySegment(`19:40:16.396524 ${SYN_LINE}`)).toMatchObject({
      sec: 70816,
      nsec: 396524000,
      timeIsEpoch: false,
    });
    expect(onlySegment(` 00:00:00.000000 ${SYN_LINE}`)).toMatchObject({ sec: 0, nsec: 0, timeIsEpoch: false });
    expect(onlySegment(SYN_LINE)).toMatchObject({ sec: 0, nsec: 0, timeIsEpoch: false, frame: 1 });
    expect(onlySegment(`2023-11-14 22:13:20.000000001 ${SYN_LINE}`)).toMatchObject({
      sec: 1700000000,
      nsec: 1,
      timeIsEpoch: true,
    });
  });

  it('reads -v packets from their second line, with the checksum verdict', () => {
    const seg = onlySegment(
      [
        '19:40:16.396524 IP (tos 0x0, ttl 64, id 27293, offset 0, flags [DF], proto TCP (6), length 60)',
        '    10.99.0.1.40001 > 10.99.0.2.8080: Flags [S], cksum 0x6c5b (incorrect -> 0x6c5c), seq 1446066274, ' +
          'win 64240, length 0',
      ].join('\n'),
    );
    expect(seg).toMatchObject({ frame: 1, sec: 70816, src: '10.99.0.1', flags: SYN, checksum: 'bad' });
  });

  it('marks truncated segments', () => {
    expect(onlySegment(SYN_LINE.replace('length 0', 'length 58 [|tcp]')).truncated).toBe(true);
  });

  it('numbers frames by -# when printed, else by counting packets, TCP or not', () => {
    const counted = readText(
      [
        `10:00:00.000000 ${SYN_LINE}`,
        '10:00:00.000001 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28',
        `10:00:00.000002 ${SYNACK_LINE}`,
      ].join('\n'),
    );
    expect(counted.segments.map((s) => s.frame)).toEqual([1, 3]);
    const numbered = readText(
      [`    3  10:00:00.000000 ${SYN_LINE}`, `    6  10:00:00.000002 ${SYNACK_LINE}`].join('\n'),
    );
    expect(numbered.segments.map((s) => s.frame)).toEqual([3, 6]);
  });

  it('finds packets without number or stamp (-t) at column 0', () => {
    const { segments, stats } = readText(
      [SYN_LINE, 'ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28', SYNACK_LINE, '    a continuation line'].join(
        '\n',
      ),
    );
    expect(segments.map((s) => s.frame)).toEqual([1, 3]);
    expect(stats.packets).toBe(3);
  });

  it('makes one segment of a packet, and none of a TCP header quoted in an ICMP error', () => {
    const { segments, stats } = readText(
      [
        '22:13:20.006000 IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto ICMP (1), length 56)',
        '    10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 tcp port 80 unreachable, length 36',
        '\tIP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 48)',
        '    10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 1, length 0',
        `22:13:20.007000 ${SYN_LINE}`,
        `    ${SYNACK_LINE.slice(3)}`,
      ].join('\n'),
    );
    expect(segments.map((s) => [s.frame, s.flags])).toEqual([[2, SYN]]);
    expect(skips(stats)).toEqual({ [SKIP_NOT_TCP]: 1 });
  });

  it('reads the inner segment of a tunnel on a later line', () => {
    const seg = onlySegment(
      [
        '    3  2015-02-01 22:04:33.999279 IP (tos 0x0, ttl 64, id 34822, offset 0, flags [DF], ' +
          'proto UDP (17), length 110)',
        '    20.0.0.2.43443 > 20.0.0.1.6081: [no cksum] Geneve, Flags [none], vni 0xb',
        '\tIP (tos 0x0, ttl 64, id 23057, offset 0, flags [DF], proto TCP (6), length 60)',
        '    30.0.0.2.51225 > 30.0.0.1.22: Flags [S], cksum 0xe437 (correct), seq 397610159, win 14600, length 0',
      ].join('\n'),
    );
    expect(seg).toMatchObject({ frame: 3, src: '30.0.0.2', dport: 22, flags: SYN, checksum: 'ok' });
  });

  it("skips hex dumps, -A payload, application lines and tcpdump's own messages", () => {
    const { segments, stats, warnings } = readText(
      [
        'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
        'listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
        `10:00:00.000000 ${SYN_LINE}`,
        '\t0x0000:  4500 003c 1b68 4000 4006 2152 7f00 0001  E..<.h@.@.!R....',
        'E..<.h@.@.!R.........p.P7X.~........!.........@.....',
        `10:00:00.000100 ${SYNACK_LINE.replace('length 0', 'length 5: HTTP')}`,
        'HTTP/1.1 200 OK',
        '\tServer: x',
        '^C',
        '2 packets captured',
        '2 packets received by filter',
        '0 packets dropped by kernel',
      ].join('\n'),
    );
    expect(segments).toHaveLength(2);
    expect(stats).toMatchObject({ packets: 2, tcpSegments: 2, skipped: 0 });
    expect(warnings).toEqual([]);
  });
});

describe('counted, not made into segments', () => {
  it('counts every packet and why it was skipped', () => {
    const { stats } = readText(
      [
        `10:00:00.000000 ${SYN_LINE}`,
        '10:00:00.000001 IP 10.0.0.1.5353 > 224.0.0.251.5353: UDP, length 10',
        '10:00:00.000002 IP 10.0.0.1.1 > 10.0.0.2.2: tcp 0',
        '10:00:00.000003 IP 48.48.48.48.12336 > 48.48.48.48.12336:  [|tcp]',
        '10:00:00.000004 IP 1.1.1.1.1 > 2.2.2.2.2:  tcp 12 [bad hdr length 8 - too short, < 20]',
        '10:00:00.000005 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], win 1, length 0',
        '10:00:00.000006 IP a.b.c.1 > d.e.f.my-service: Flags [S], seq 1, win 1, length 0',
      ].join('\n'),
    );
    expect(stats).toMatchObject({ packets: 7, tcpSegments: 1, skipped: 6 });
    expect(skips(stats)).toEqual({
      [SKIP_NOT_TCP]: 1,
      [SKIP_QUIET]: 1,
      [SKIP_TRUNCATED]: 1,
      [SKIP_BAD_TCP]: 1,
      [SKIP_UNPARSABLE]: 1,
      [SKIP_UNKNOWN_SERVICE]: 1,
    });
  });

  it('says once, with the first line, that -q output has no states, and how to capture instead', () => {
    const { warnings, stats, segments } = readText(
      ['10:00:00.000000 IP 10.0.0.1.1 > 10.0.0.2.2: tcp 0', '10:00:00.000001 IP 10.0.0.2.2 > 10.0.0.1.1: tcp 0'].join(
        '\n',
      ),
    );
    expect(segments).toEqual([]);
    expect(stats).toMatchObject({ packets: 2, skipped: 2 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^line 1: printed by tcpdump -q: .*cannot be tracked.*without -q.*tcpdump -w/);
  });

  it('warns about unreadable TCP lines with their line numbers, prints the first few, then a count', () => {
    const bad = 'IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], win 1, length 0';
    const lines = [
      'header line',
      ...Array.from({ length: PRINTED_LINE_WARNINGS + 3 }, (_, i) => `10:00:00.00000${i} ${bad}`),
    ];
    const { warnings, stats } = readText(lines.join('\n'));
    expect(warnings).toHaveLength(PRINTED_LINE_WARNINGS + 1);
    expect(warnings[0]).toBe(
      'line 2: cannot read this TCP line: no seq number, although the segment has SYN, FIN, RST or data',
    );
    expect(warnings[PRINTED_LINE_WARNINGS - 1]).toMatch(new RegExp(`^line ${PRINTED_LINE_WARNINGS + 1}: `));
    expect(warnings[PRINTED_LINE_WARNINGS]).toBe(
      '3 more TCP lines could not be read and were skipped ' +
        `(${PRINTED_LINE_WARNINGS + 3} in all; only the first ${PRINTED_LINE_WARNINGS} are shown)`,
    );
    expect(stats.skipReasons.get(SKIP_UNPARSABLE)).toBe(PRINTED_LINE_WARNINGS + 3);
  });
});

describe('damaged input', () => {
  it('stops binary garbage with an InputError naming the line, after the segments before it', () => {
    const garbage = Buffer.from(
      Array.from({ length: 200 }, (_, i) => (i * 37 + 1) % 256).filter((b) => b !== 0 && b !== 10),
    );
    const { segments, error } = readText(
      Buffer.concat([Buffer.from(`10:00:00.000000 ${SYN_LINE}\nsome text\n`), garbage, Buffer.from('\n')]),
    );
    expect(segments).toHaveLength(1);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line()).toMatch(/^test\.txt: line 3: binary data, not tcpdump text$/);
  });

  it('never throws on text it cannot read', () => {
    const { error, segments } = readText(
      [
        'Flags [',
        ' > ',
        'a > b:',
        'a.1 > b.2: Flags [',
        'a.1 > b.2: S',
        '1.1.1.1.1 > 2.2.2.2.2: S 1:',
        '[S.], seq',
        ': tcp',
      ].join('\n'),
    );
    expect(error).toBeUndefined();
    expect(segments).toEqual([]);
  });
});

describe('chunking', () => {
  const dir = new URL('../../fixtures/text/', import.meta.url).pathname;
  const texts = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort();

  it('gives the same segments when fed one byte at a time, or in odd chunks, for every fixture text', () => {
    expect(texts.length).toBeGreaterThan(60);
    for (const file of texts) {
      const bytes = readFileSync(join(dir, file));
      const whole = readText(bytes);
      expect(whole.error, file).toBeUndefined();
      expect(readText(bytes, [1]), file).toEqual(whole);
      expect(readText(bytes, [7, 64, 3, 1000]), file).toEqual(whole);
    }
  });

  it('hands a segment over as soon as its line is complete, not before', () => {
    const segments: number[] = [];
    const source = createTextSource('live', { segment: (seg) => segments.push(seg.flags), warning: () => undefined });
    source.push(Buffer.from(`10:00:00.000000 ${SYN_LINE}\n10:00:00.000100 ${SYNACK_LINE.slice(0, 30)}`));
    expect(segments).toEqual([SYN]);
    source.push(Buffer.from(SYNACK_LINE.slice(30)));
    expect(segments).toEqual([SYN]);
    source.push(Buffer.from('\n'));
    expect(segments).toEqual([SYN, SYN | ACK]);
    source.end();
  });
});
