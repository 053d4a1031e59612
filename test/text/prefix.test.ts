import { describe, expect, it } from 'vitest';
import { newPrefix, parsePrefix, startsLikePacket } from '../../src/text/prefix.js';

describe('first-line prefix (print.c pretty_print_packet())', () => {
  function prefix(line: string): { number: number; stamped: boolean; body: string } | undefined {
    const p = newPrefix();
    const bytes = Buffer.from(line);
    return parsePrefix(bytes, 0, bytes.length, p)
      ? { number: p.number, stamped: p.stamped, body: bytes.toString('utf8', p.bodyStart) }
      : undefined;
  }

  it('reads the -# number, right-aligned in five columns, before the stamp', () => {
    expect(prefix('    1  2005-07-06 03:57:35.938066 IP 127.0.0.1.55920 > x')).toEqual({
      number: 1,
      stamped: true,
      body: 'IP 127.0.0.1.55920 > x',
    });
    expect(prefix('  174  2013-10-19 15:52:49.322823 IP a')).toMatchObject({ number: 174, body: 'IP a' });
    expect(prefix('123456  1700000000.000000 IP a')).toMatchObject({ number: 123456, body: 'IP a' });
  });

  it('reads -# with a delta stamp, whose sign is a space', () => {
    expect(prefix('    3   00:00:00.000088 IP a')).toMatchObject({ number: 3, stamped: true, body: 'IP a' });
  });

  it("reads -# without a stamp (-t) only in tcpdump's exact layout", () => {
    expect(prefix('    1  IP 10.0.0.1.1 > 10.0.0.2.2: tcp 0')).toEqual({
      number: 1,
      stamped: false,
      body: 'IP 10.0.0.1.1 > 10.0.0.2.2: tcp 0',
    });
    expect(prefix('1  IP a')).toBeUndefined();
    expect(prefix('  12  some -A payload')).toBeUndefined();
  });

  it("reads a stamp alone, and tcpdump 5's --lengths", () => {
    expect(prefix('19:40:16.396524 ifb0  Out IP a')).toEqual({ number: 0, stamped: true, body: 'ifb0  Out IP a' });
    expect(prefix('    1  caplen 74 len 74 19:40:16.396524 IP a')).toMatchObject({ number: 1, body: 'IP a' });
  });

  it('reads a stamp after the indentation of an indented paste (a Markdown code block)', () => {
    expect(prefix('    19:40:16.396524 IP a')).toEqual({ number: 0, stamped: true, body: 'IP a' });
    expect(prefix('\t1700000000.000001 IP a')).toMatchObject({ stamped: true, body: 'IP a' });
  });

  it('does not take continuation lines, hex dumps or stderr messages for first lines', () => {
    for (const line of [
      '    10.99.0.1.40001 > 10.99.0.2.8080: Flags [S], seq 1, win 1, length 0',
      '\t0x0000:  4500 003c 1b68 4000 4006 2152 7f00 0001',
      'listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
      '11 packets captured',
    ])
      expect(prefix(line), line).toBeUndefined();
  });

  it('recognises packet starts without number or stamp (-t) by their first words', () => {
    expect(startsLikePacket('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S]')).toBe(true);
    expect(startsLikePacket('IP6 fd00::1.1 > fd00::2.2: Flags [S]')).toBe(true);
    expect(startsLikePacket('ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28')).toBe(true);
    expect(startsLikePacket('86:f3:74:e2:8b:b5 > ca:09:8d:82:19:fe, ethertype IPv4 (0x0800), length 74: x')).toBe(true);
    expect(startsLikePacket('eth0  Out IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S]')).toBe(true);
    expect(startsLikePacket('GET / HTTP/1.1')).toBe(false);
    expect(startsLikePacket('11 packets captured')).toBe(false);
  });
});
