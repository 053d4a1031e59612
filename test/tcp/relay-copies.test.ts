// Both ports of a relay captured (fixtures/cases/relay-copies.pcap): every packet is in the
// capture twice, 20 ms apart, with many packets of both sides between the copies. Every second
// copy must be a capture duplicate, and nothing else may change: the report is that of the
// capture with each packet once.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonConnection } from '../../src/report/json.js';
import { analyse } from '../helpers/analyse.js';

const file = new URL('../../fixtures/cases/relay-copies.pcap', import.meta.url).pathname;

interface Claims {
  count: number;
  copies: [number, number][];
}

/** The records of a classic little-endian pcap (the fixture is one), header and bytes. */
function records(pcap: Buffer): { header: Buffer; bytes: Buffer }[] {
  expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
  const out: { header: Buffer; bytes: Buffer }[] = [];
  for (let at = 24; at < pcap.length;) {
    const captured = pcap.readUInt32LE(at + 8);
    out.push({ header: pcap.subarray(at, at + 16), bytes: pcap.subarray(at + 16, at + 16 + captured) });
    at += 16 + captured;
  }
  return out;
}

/**
 * The independent rule: a frame is a copy if an earlier frame has exactly the same bytes (the
 * relay forwards frames unchanged; a host sending a segment again gives it a new IPv4 ID).
 * Returns [copy, original] pairs (1-based frames) and the frames seen first.
 */
function sameBytes(recs: { bytes: Buffer }[]): { copies: [number, number][]; firsts: number[] } {
  const seen = new Map<string, number>();
  const copies: [number, number][] = [];
  const firsts: number[] = [];
  recs.forEach((r, i) => {
    const key = r.bytes.toString('latin1');
    const original = seen.get(key);
    if (original === undefined) {
      seen.set(key, i + 1);
      firsts.push(i + 1);
    } else copies.push([i + 1, original]);
  });
  return { copies, firsts };
}

/** A connection with its frame numbers mapped (transitions and anomalies), for comparing. */
function renumbered(c: JsonConnection, frame: (f: number) => number): unknown {
  return {
    client: c.client,
    server: c.server,
    final: c.final,
    transitions: c.transitions.map((t) => [t.side, t.from, t.to, frame(t.frame)]),
    anomalies: c.anomalies.map((a) => [a.kind, a.side, frame(a.frame), a.message]),
  };
}

describe('relay-copies: a capture on both ports of a 20 ms relay', () => {
  const pcap = readFileSync(file);
  const recs = records(pcap);
  const { copies, firsts } = sameBytes(recs);
  const claims = (
    JSON.parse(readFileSync(`${file}.expected.json`, 'utf8')) as { connections: { capture_duplicates: Claims }[] }
  ).connections[0]!.capture_duplicates;

  it('holds every packet exactly twice, as the expected file lists', () => {
    expect(recs).toHaveLength(814);
    expect(copies).toHaveLength(407);
    expect(firsts).toHaveLength(407);
    expect(claims.count).toBe(407);
    expect(copies).toEqual(claims.copies);
  });

  it('reports every second copy as a capture duplicate of the first, and nothing else', async () => {
    const { connections } = await analyse(file);
    expect(connections).toHaveLength(1);
    const found = connections[0]!.anomalies.map((a) => [a.kind, a.frame, a.evidence.original]);
    expect(found).toEqual(copies.map(([copy, original]) => ['capture-duplicate', copy, original]));
  });

  it('changes nothing else: the report is that of the capture with each packet once', async () => {
    const once = Buffer.concat([
      pcap.subarray(0, 24),
      ...firsts.flatMap((f) => [recs[f - 1]!.header, recs[f - 1]!.bytes]),
    ]);
    const merged = (await analyse(file)).connections;
    const single = (await analyse(once)).connections;
    expect(single).toHaveLength(1);
    expect(single[0]!.anomalies).toEqual([]);
    const withoutCopies: JsonConnection = {
      ...merged[0]!,
      anomalies: merged[0]!.anomalies.filter((a) => a.kind !== 'capture-duplicate'),
    };
    expect(renumbered(withoutCopies, (f) => f)).toEqual(renumbered(single[0]!, (f) => firsts[f - 1]!));
    // Every packet is counted, the copies' bytes once.
    expect(merged[0]!.packets).toEqual({
      client: 2 * single[0]!.packets.client,
      server: 2 * single[0]!.packets.server,
    });
    expect(merged[0]!.bytes).toEqual(single[0]!.bytes);
  });
});
