import { describe, expect, it } from 'vitest';
import { createCaptureSource } from '../../src/capture/index.js';
import { InputError } from '../../src/errors.js';
import { ACK, PSH, SYN } from '../../src/segment.js';
import { chunked, decode, decodeUntilError, randomSizes, readRecords } from '../helpers/capture.js';
import { BASE_SECONDS, ethernet, pcapFile, tcpPacket } from '../helpers/packets.js';

/** A few distinct frames: a handshake and some data. */
function frames(count = 5): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    ethernet(
      tcpPacket({
        seq: 1000 + i * 100,
        ack: 5000,
        flags: i === 0 ? SYN : ACK | PSH,
        payloadLen: i === 0 ? 0 : 100 + i,
      }),
    ),
  );
}

describe('classic pcap reader', () => {
  it('reads little-endian microsecond files', () => {
    const packets = frames(3);
    const file = pcapFile(packets.map((data, i) => ({ data, sec: BASE_SECONDS + i, frac: 123456 + i })));
    const { records } = readRecords(file);
    expect(records.map((r) => [r.frame, r.sec, r.nsec, r.linkType])).toEqual([
      [1, BASE_SECONDS, 123456000, 1],
      [2, BASE_SECONDS + 1, 123457000, 1],
      [3, BASE_SECONDS + 2, 123458000, 1],
    ]);
    expect(records[1]!.data).toEqual(packets[1]);
  });

  it('reads big-endian files and the nanosecond magic in both byte orders', () => {
    for (const bigEndian of [false, true]) {
      for (const nano of [false, true]) {
        const file = pcapFile([{ data: frames(1)[0]!, sec: BASE_SECONDS, frac: nano ? 987654321 : 987654 }], {
          bigEndian,
          nano,
          linkType: 1,
        });
        const { segments } = decode(file);
        expect(segments).toHaveLength(1);
        expect([segments[0]!.sec, segments[0]!.nsec]).toEqual([BASE_SECONDS, nano ? 987654321 : 987654000]);
        expect(segments[0]!.timeIsEpoch).toBe(true);
      }
    }
  });

  it('takes the link type from the header, ignoring the FCS bits above it', () => {
    const { records } = readRecords(pcapFile([Buffer.alloc(20)], { linkType: 0x1000_0000 | 101 }));
    expect(records[0]!.linkType).toBe(101);
  });

  it('carries an out-of-range fraction into the seconds', () => {
    const { records } = readRecords(pcapFile([{ data: Buffer.alloc(4), sec: 10, frac: 2_500_000 }]));
    expect([records[0]!.sec, records[0]!.nsec]).toEqual([12, 500_000_000]);
  });

  it('counts every record as a frame, TCP or not', () => {
    const notIp = ethernet(Buffer.alloc(28), { type: 0x0806 });
    const { segments, stats } = decode(pcapFile([notIp, ...frames(2), notIp]));
    expect(segments.map((s) => s.frame)).toEqual([2, 3]);
    expect(stats).toMatchObject({ packets: 4, tcpSegments: 2, skipped: 2 });
  });

  it('gives the same output for any chunking, down to one byte at a time', () => {
    const file = pcapFile(frames(8), { snaplen: 120 });
    const whole = decode(file);
    expect(whole.segments).toHaveLength(8);
    expect(decode(file, 'pcap', [1])).toEqual(whole);
    for (let seed = 1; seed <= 20; seed++) {
      const sizes = randomSizes(seed, 40);
      expect(decode(file, 'pcap', sizes)).toEqual(whole);
    }
  });

  it('keeps a record that is larger than the chunks it arrives in', () => {
    const big = ethernet(tcpPacket({ payloadLen: 60000 }));
    const { segments } = decode(pcapFile([big, big]), 'pcap', [1000]);
    expect(segments.map((s) => [s.len, s.checksum])).toEqual([
      [60000, 'ok'],
      [60000, 'ok'],
    ]);
  });

  it('delivers each segment as soon as its bytes have arrived', () => {
    const file = pcapFile(frames(2));
    const seen: number[] = [];
    const source = createCaptureSource('pcap', 'x', { segment: (s) => seen.push(s.frame), warning: () => undefined });
    const firstEnd = 24 + 16 + frames(2)[0]!.length;
    source.push(file.subarray(0, firstEnd - 1));
    expect(seen).toEqual([]);
    source.push(file.subarray(firstEnd - 1, firstEnd));
    expect(seen).toEqual([1]);
    source.push(file.subarray(firstEnd));
    expect(seen).toEqual([1, 2]);
    source.end();
  });

  describe('damaged files', () => {
    it('rejects a record length that cannot be, naming its byte offset, after delivering the records before it', () => {
      const good = frames(3);
      const file = pcapFile(good);
      const third = 24 + (16 + good[0]!.length) + (16 + good[1]!.length);
      file.writeUInt32LE(0x7fffffff, third + 8);
      for (const sizes of [undefined, [1], [7, 3, 100]]) {
        const { segments, error } = decodeUntilError(file, 'pcap', sizes);
        expect(segments.map((s) => s.frame)).toEqual([1, 2]);
        expect(error).toBeInstanceOf(InputError);
        const e = error as InputError;
        expect(e.where).toBe(`byte ${third}`);
        expect(e.line()).toMatch(/^test\.cap: byte \d+: record length 2147483647 exceeds/);
      }
    });

    it('warns about a last record cut short and still ends normally', () => {
      const file = pcapFile(frames(3));
      const cut = file.subarray(0, file.length - 10);
      const { segments, warnings } = decode(cut, 'pcap', [64]);
      expect(segments).toHaveLength(2);
      const lastStart = file.length - (16 + frames(3)[2]!.length);
      expect(warnings).toEqual([
        expect.stringContaining(
          `byte ${lastStart}: the last record is cut short (10 of its ${16 + frames(3)[2]!.length} bytes missing)`,
        ),
      ]);
    });

    it('warns about a file that ends inside a record header', () => {
      const file = pcapFile(frames(1));
      const { segments, warnings } = decode(Buffer.concat([file, Buffer.alloc(5)]));
      expect(segments).toHaveLength(1);
      expect(warnings).toEqual([
        expect.stringContaining(`byte ${file.length}: the file ends inside a record header (5 of 16 bytes)`),
      ]);
    });

    it('rejects an empty file and one shorter than the file header', () => {
      for (const bytes of [Buffer.alloc(0), pcapFile([]).subarray(0, 23)]) {
        const { error } = decodeUntilError(bytes);
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).message).toMatch(/shorter than the 24-byte pcap file header/);
      }
    });

    it('accepts a file with a header and no records', () => {
      expect(decode(pcapFile([]))).toMatchObject({ segments: [], warnings: [] });
    });

    it('rejects a wrong magic number and an unknown version', () => {
      const wrongMagic = pcapFile([]);
      wrongMagic.writeUInt32BE(0x12345678, 0);
      expect(decodeUntilError(wrongMagic).error).toBeInstanceOf(InputError);
      const wrongVersion = pcapFile([]);
      wrongVersion.writeUInt16LE(3, 4);
      expect((decodeUntilError(wrongVersion).error as InputError).message).toMatch(/unsupported pcap version 3\.4/);
    });
  });

  it('splits input into the requested chunks (test helper)', () => {
    expect(chunked(Buffer.from('abcdefg'), [2, 3]).map(String)).toEqual(['ab', 'cde', 'fg']);
  });
});
