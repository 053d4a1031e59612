import { describe, expect, it } from 'vitest';
import { describeUnsupported, sniffFormat } from '../../src/capture/sniff.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe('sniffFormat', () => {
  it.each([
    ['a1b2c3d4', 'pcap'],
    ['d4c3b2a1', 'pcap'],
    ['a1b23c4d', 'pcap'],
    ['4d3cb2a1', 'pcap'],
    ['0a0d0d0a', 'pcapng'],
  ])('%s → %s', (magic, format) => {
    expect(sniffFormat(Buffer.concat([hex(magic), Buffer.alloc(20)]))).toBe(format);
  });

  it('recognises tcpdump text, UTF-8 included', () => {
    expect(
      sniffFormat(Buffer.from('12:34:56.789012 IP 10.0.0.1.5 > 10.0.0.2.80: Flags [S], seq 1, win 65535, length 0\n')),
    ).toBe('text');
    expect(sniffFormat(Buffer.from('\tE..<..@.@.  0x0000:  4500 003c\r\n'))).toBe('text');
    expect(sniffFormat(Buffer.from('1 héllo — ok\n'))).toBe('text');
    expect(sniffFormat(Buffer.alloc(0))).toBe('text');
  });

  it('calls binary and known-but-unsupported formats unknown', () => {
    expect(sniffFormat(hex('00010203'))).toBe('unknown');
    expect(sniffFormat(Buffer.from('IP 1.2.3.4\0 oops'))).toBe('unknown');
    expect(sniffFormat(hex('1f8b0800000000000003'))).toBe('unknown');
    expect(sniffFormat(Buffer.from('BZh91AY&SY'))).toBe('unknown');
    expect(sniffFormat(Buffer.from('GMBU\x00\x02'))).toBe('unknown');
  });
});

describe('describeUnsupported', () => {
  it('names formats we know, with a remedy', () => {
    expect(describeUnsupported(hex('1f8b08'))).toMatch(
      /^gzip-compressed data: decompress it first \(e\.g\. `zcat FILE \| tcptrace-explain -`\)/,
    );
    expect(describeUnsupported(Buffer.concat([Buffer.from('snoop\0\0\0'), Buffer.alloc(8)]))).toMatch(/snoop/);
    expect(describeUnsupported(hex('34cdb2a1'))).toMatch(/modified \(Kuznetzov\) pcap/);
    expect(describeUnsupported(hex('28b52ffd'))).toMatch(/zstd/);
  });

  it('says nothing about supported or unknown input', () => {
    expect(describeUnsupported(hex('a1b2c3d4'))).toBeUndefined();
    expect(describeUnsupported(Buffer.from('12:00:00.000000 IP'))).toBeUndefined();
    expect(describeUnsupported(Buffer.alloc(0))).toBeUndefined();
  });
});
