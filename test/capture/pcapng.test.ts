import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { ACK, SYN } from '../../src/segment.js';
import { decode, decodeUntilError, randomSizes, readRecords } from '../helpers/capture.js';
import {
  BASE_MICROS,
  BASE_SECONDS,
  bsdNull,
  ethernet,
  pcapngFile,
  pcapngPackets,
  tcpPacket,
} from '../helpers/packets.js';
import type { PcapngBlock } from '../helpers/packets.js';

const syn = ethernet(tcpPacket({ flags: SYN, seq: 100 }));
const ack = ethernet(tcpPacket({ flags: ACK, seq: 101, ack: 1 }));

describe('pcapng reader', () => {
  it('reads enhanced packet blocks with the default 10^-6 resolution', () => {
    const { records } = readRecords(pcapngPackets([syn, ack]), 'pcapng');
    expect(records.map((r) => [r.frame, r.sec, r.nsec, r.caplen, r.linkType])).toEqual([
      [1, BASE_SECONDS, 0, syn.length, 1],
      [2, BASE_SECONDS, 1_000_000, ack.length, 1],
    ]);
    expect(records[0]!.data).toEqual(syn);
  });

  it('reads sections in either byte order', () => {
    for (const bigEndian of [false, true]) {
      const file = pcapngFile([
        { bigEndian, blocks: [{ type: 'idb' }, { type: 'epb', data: syn, ticks: BASE_MICROS + 42n, origLen: 1500 }] },
      ]);
      const { records } = readRecords(file, 'pcapng');
      expect(records.map((r) => [r.sec, r.nsec, r.caplen, r.origLen])).toEqual([
        [BASE_SECONDS, 42_000, syn.length, 1500],
      ]);
    }
  });

  it('starts a new interface list with each section and keeps counting frames', () => {
    const file = pcapngFile([
      {
        blocks: [
          { type: 'idb', linkType: 1 },
          { type: 'epb', data: syn },
        ],
      },
      {
        bigEndian: true,
        blocks: [
          { type: 'idb', linkType: 0 },
          { type: 'epb', data: bsdNull(tcpPacket({ flags: ACK }), 2) },
        ],
      },
    ]);
    const { records } = readRecords(file, 'pcapng');
    expect(records.map((r) => [r.frame, r.linkType])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    expect(decode(file, 'pcapng').segments.map((s) => s.frame)).toEqual([1, 2]);
  });

  it('rejects a packet of an interface the section does not describe', () => {
    const file = pcapngFile([{ blocks: [{ type: 'idb' }] }, { blocks: [{ type: 'epb', data: syn }] }]);
    const { error } = decodeUntilError(file, 'pcapng');
    expect((error as InputError).message).toMatch(/interface 0, but the section describes only 0 interfaces/);
  });

  it('applies if_tsresol: 10^-9, 2^-20, and an if_tsoffset', () => {
    const ns = 1_700_000_000_123_456_789n;
    const file = pcapngFile([
      {
        blocks: [
          { type: 'idb', tsresol: 9 },
          { type: 'idb', tsresol: 0x80 | 20 },
          { type: 'idb', tsresol: 3, tsoffset: 1_000_000n },
          { type: 'epb', interfaceId: 0, data: syn, ticks: ns },
          // 1.75 s + 3 ticks of 2^-20 s (2861.02... ns each, truncated).
          { type: 'epb', interfaceId: 1, data: syn, ticks: (1n << 20n) + (3n << 18n) + 3n },
          { type: 'epb', interfaceId: 2, data: syn, ticks: 5_001n },
        ],
      },
    ]);
    const { records } = readRecords(file, 'pcapng');
    expect(records.map((r) => [r.sec, r.nsec])).toEqual([
      [1_700_000_000, 123_456_789],
      [1, 750_002_861],
      [1_000_005, 1_000_000],
    ]);
  });

  it('reads simple packet blocks on interface 0 (time of the packet before, length from the block and snaplen)', () => {
    const file = pcapngFile([
      {
        blocks: [
          { type: 'idb', snaplen: 40 },
          { type: 'epb', data: syn.subarray(0, 40), origLen: syn.length, ticks: BASE_MICROS + 5n },
          { type: 'spb', data: ack.subarray(0, 40), origLen: ack.length },
        ],
      },
    ]);
    const { records } = readRecords(file, 'pcapng');
    expect(records.map((r) => [r.frame, r.sec, r.nsec, r.caplen, r.origLen])).toEqual([
      [1, BASE_SECONDS, 5000, 40, syn.length],
      [2, BASE_SECONDS, 5000, 40, ack.length],
    ]);
    expect(records[1]!.data).toEqual(ack.subarray(0, 40));
  });

  it('reads obsolete packet blocks (type 2)', () => {
    const file = pcapngFile([
      {
        blocks: [
          { type: 'idb' },
          { type: 'idb', linkType: 101 },
          { type: 'opb', interfaceId: 1, data: tcpPacket(), ticks: BASE_MICROS + 7n },
        ],
      },
    ]);
    const { records } = readRecords(file, 'pcapng');
    expect(records.map((r) => [r.sec, r.nsec, r.linkType])).toEqual([[BASE_SECONDS, 7000, 101]]);
    expect(decode(file, 'pcapng').segments).toHaveLength(1);
  });

  it('skips unknown blocks by their length', () => {
    const blocks: PcapngBlock[] = [
      { type: 'idb' },
      { type: 'raw', blockType: 4, body: Buffer.from('name resolution block') },
      { type: 'epb', data: syn },
      { type: 'raw', blockType: 0x00000bad, body: Buffer.alloc(20, 7) },
      { type: 'raw', blockType: 0x0000000a, body: Buffer.alloc(0) },
      { type: 'epb', data: ack },
    ];
    const { segments, warnings } = decode(pcapngFile([{ blocks }]), 'pcapng');
    expect(segments.map((s) => s.frame)).toEqual([1, 2]);
    expect(warnings).toEqual([]);
  });

  it('warns once when interface statistics report drops, using the latest counters', () => {
    const file = pcapngFile([
      {
        blocks: [
          { type: 'idb' },
          { type: 'isb', ifDrop: 3n },
          { type: 'epb', data: syn },
          { type: 'isb', ifDrop: 5n, osDrop: 2n },
        ],
      },
      { blocks: [{ type: 'idb' }, { type: 'isb', ifDrop: 4n }] },
    ]);
    const { warnings } = decode(file, 'pcapng');
    expect(warnings).toEqual([
      'the capture itself lost 11 packets (interface statistics report drops): ' +
        'gaps in this file may be capture losses, not network losses',
    ]);
    const none = pcapngFile([{ blocks: [{ type: 'idb' }, { type: 'isb', ifDrop: 0n }] }]);
    expect(decode(none, 'pcapng').warnings).toEqual([]);
  });

  it('gives the same output for any chunking, down to one byte at a time', () => {
    const file = pcapngFile([
      {
        blocks: [
          { type: 'idb', tsresol: 9 },
          { type: 'epb', data: syn },
          { type: 'raw', blockType: 4, body: Buffer.alloc(9) },
          { type: 'epb', data: ack },
        ],
      },
      { bigEndian: true, blocks: [{ type: 'idb' }, { type: 'spb', data: syn }, { type: 'isb', ifDrop: 1n }] },
    ]);
    const whole = decode(file, 'pcapng');
    expect(whole.segments).toHaveLength(3);
    expect(decode(file, 'pcapng', [1])).toEqual(whole);
    for (let seed = 1; seed <= 20; seed++) expect(decode(file, 'pcapng', randomSizes(seed, 30))).toEqual(whole);
  });

  describe('damaged files', () => {
    const file = pcapngPackets([syn, ack, syn, ack]);
    // SHB 28 bytes, IDB 20, then EPBs of 32 + padded frame.
    const epbLength = 32 + Math.ceil(syn.length / 4) * 4;
    const third = 28 + 20 + 2 * epbLength;

    it.each([
      ['not a multiple of 4', 0x1003, /block length 4099 is not a multiple of 4/],
      ['less than 12', 8, /block length 8 is less than 12/],
      ['over 256 MiB', 0x20000000, /block length 536870912 exceeds 256 MiB/],
      ['different from its trailing copy', epbLength + 4, /does not match its trailing copy/],
    ])('rejects a block length %s, naming its offset, after the packets before it', (_what, length, message) => {
      const bad = Buffer.from(file);
      bad.writeUInt32LE(length, third + 4);
      for (const sizes of [undefined, [1], [13]]) {
        const { segments, error } = decodeUntilError(bad, 'pcapng', sizes);
        expect(segments.map((s) => s.frame)).toEqual([1, 2]);
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).where).toBe(`byte ${third}`);
        expect((error as InputError).message).toMatch(message);
      }
    });

    it('rejects a captured length larger than its block', () => {
      const bad = Buffer.from(file);
      bad.writeUInt32LE(epbLength, third + 20);
      expect((decodeUntilError(bad, 'pcapng').error as InputError).message).toMatch(/captured length \d+ does not fit/);
    });

    it('warns about a truncated last block and ends normally', () => {
      const { segments, warnings } = decode(file.subarray(0, file.length - 7), 'pcapng', [50]);
      expect(segments).toHaveLength(3);
      expect(warnings).toEqual([
        expect.stringContaining(`byte ${third + epbLength}: the last block is cut short (7 bytes missing)`),
      ]);
    });

    it('rejects a file that does not start with a section header, and a bad byte-order magic', () => {
      expect((decodeUntilError(file.subarray(28), 'pcapng').error as InputError).message).toMatch(
        /does not start with a section header block/,
      );
      const bad = Buffer.from(file);
      bad.writeUInt32LE(0x11223344, 8);
      expect((decodeUntilError(bad, 'pcapng').error as InputError).message).toMatch(/bad byte-order magic/);
    });

    it('rejects empty and too short files', () => {
      for (const bytes of [Buffer.alloc(0), file.subarray(0, 11)]) {
        expect((decodeUntilError(bytes, 'pcapng').error as InputError).message).toMatch(
          /too short for a pcapng section header block/,
        );
      }
    });
  });
});
