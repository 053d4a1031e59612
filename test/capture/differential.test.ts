// Our classic-pcap reader against the pcap-parser package: the very same records (time,
// lengths, bytes) on every microsecond pcap fixture, and on files built here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pcapParser from 'pcap-parser';
import { describe, expect, it } from 'vitest';
import { FIN, PSH, SYN } from '../../src/segment.js';
import { randomSizes, readRecords } from '../helpers/capture.js';
import { bsdNull, ethernet, linuxSll2, pcapFile, tcpPacket, timestamps } from '../helpers/packets.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const MICROSECOND_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1]);

interface Comparable {
  micros: number;
  caplen: number;
  origLen: number;
  data: string;
}

/** Classic pcap files with the microsecond magic (pcap-parser reads no other kind). */
function microsecondPcapFixtures(): string[] {
  let names: string[];
  try {
    names = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.pcap'))
    .filter((name) => {
      const head = readFileSync(join(FIXTURES, name)).subarray(0, 4);
      return head.length === 4 && MICROSECOND_MAGICS.has(head.readUInt32BE(0));
    })
    .sort();
}

function withPcapParser(bytes: Buffer): Promise<Comparable[]> {
  return new Promise((resolve, reject) => {
    const packets: Comparable[] = [];
    const parser = pcapParser.parse(Readable.from([bytes]));
    parser.on('packet', ({ header, data }) =>
      packets.push({
        micros: header.timestampSeconds * 1e6 + header.timestampMicroseconds,
        caplen: header.capturedLength,
        origLen: header.originalLength,
        data: data.toString('hex'),
      }),
    );
    parser.on('error', reject);
    parser.on('end', () => {
      resolve(packets);
    });
  });
}

function withOurReader(bytes: Buffer, sizes?: number[]): Comparable[] {
  return readRecords(bytes, 'pcap', sizes).records.map((r) => ({
    micros: r.sec * 1e6 + r.nsec / 1000,
    caplen: r.caplen,
    origLen: r.origLen,
    data: r.data.toString('hex'),
  }));
}

async function expectSameRecords(bytes: Buffer): Promise<void> {
  const theirs = await withPcapParser(bytes);
  expect(withOurReader(bytes)).toEqual(theirs);
  expect(withOurReader(bytes, randomSizes(bytes.length, 50, 300))).toEqual(theirs);
}

describe('classic pcap records are the same as pcap-parser reads them', () => {
  const fixtures = microsecondPcapFixtures();

  it('has microsecond pcap fixtures to compare', () => {
    expect(fixtures.length, `no classic microsecond .pcap files under fixtures/`).toBeGreaterThan(0);
  });

  for (const name of fixtures) {
    it(`fixtures/${name}`, async () => {
      await expectSameRecords(readFileSync(join(FIXTURES, name)));
    });
  }

  it('on built files: both byte orders, several link types, snap-length cuts', async () => {
    const frames = Array.from({ length: 40 }, (_, i) =>
      ethernet(
        tcpPacket({
          seq: i * 1000,
          flags: i === 0 ? SYN : i === 39 ? FIN : PSH,
          payloadLen: (i * 37) % 1500,
          options: [timestamps(i, i + 1)],
        }),
      ),
    );
    const records = frames.map((data, i) => ({ data, sec: 1_700_000_000 + (i >> 3), frac: (i * 123_457) % 1_000_000 }));
    await expectSameRecords(pcapFile(records));
    await expectSameRecords(pcapFile(records, { bigEndian: true }));
    await expectSameRecords(pcapFile(records, { snaplen: 68 }));
    await expectSameRecords(
      pcapFile([linuxSll2(tcpPacket({ dst: '2001:db8::2' })), Buffer.alloc(0)], { linkType: 276 }),
    );
    await expectSameRecords(pcapFile([bsdNull(tcpPacket(), 2)], { linkType: 0, bigEndian: true }));
  });
});
