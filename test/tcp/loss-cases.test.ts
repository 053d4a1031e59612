// Loss after and before the capture point, against what the captures' other sides prove
// (fixtures/cases/README.md): every resend of captured bytes is a retransmission, never
// reordering; every hole filled by a copy sent later is a loss before the capture point.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonAnomaly, JsonConnection } from '../../src/report/json.js';
import { analyse } from '../helpers/analyse.js';

const cases = new URL('../../fixtures/cases/', import.meta.url).pathname;
const RESEND_KINDS = ['retransmission', 'fast-retransmission'];

interface LossAfter {
  resends: { frame: number; first_copy: number }[];
  out_of_order: number[];
  spurious_retransmissions: number[];
}

interface LossBefore {
  holes: { first_after: number; filled_by: { frame: number }[] }[];
  out_of_order: number[];
}

async function run(name: string): Promise<{ claims: unknown; conn: JsonConnection }> {
  const expected = JSON.parse(readFileSync(`${cases}${name}.expected.json`, 'utf8')) as {
    connections: { sequence: unknown }[];
  };
  const { connections } = await analyse(`${cases}${name}`);
  expect(connections).toHaveLength(1);
  return { claims: expected.connections[0]!.sequence, conn: connections[0]! };
}

const at = (conn: JsonConnection, frame: number): JsonAnomaly[] => conn.anomalies.filter((a) => a.frame === frame);
const kinds = (conn: JsonConnection, kind: string): number[] =>
  conn.anomalies.filter((a) => a.kind === kind).map((a) => a.frame);

describe('loss after the capture point (captured at the sender)', () => {
  it('every resend is a retransmission of the captured copy, none out of order or spurious', async () => {
    const { claims: raw, conn } = await run('loss-after-capture.pcap');
    const claims = raw as LossAfter;
    expect(claims.resends).toHaveLength(50);
    for (const r of claims.resends) {
      const found = at(conn, r.frame).filter((a) => RESEND_KINDS.includes(a.kind));
      expect(found, `frame ${r.frame}`).toHaveLength(1);
    }
    expect(kinds(conn, 'out-of-order')).toEqual(claims.out_of_order);
    expect(kinds(conn, 'spurious-retransmission')).toEqual(claims.spurious_retransmissions);
    expect(kinds(conn, 'retransmission').length + kinds(conn, 'fast-retransmission').length).toBe(50);
  });

  it('says the first copy passed the capture point, citing the receiver where it asked', async () => {
    const { conn } = await run('loss-after-capture.pcap');
    const resends = conn.anomalies.filter((a) => RESEND_KINDS.includes(a.kind));
    for (const a of resends) expect(a.message, `frame ${a.frame}`).toMatch(/after the capture point|lost after it/);
    expect(resends.filter((a) => a.evidence.cause === 'lost-after-capture').length).toBeGreaterThan(0);
  });
});

describe('loss before the capture point (captured at the receiver)', () => {
  it('every hole is a loss before the capture point, filled by a resend, none reordered', async () => {
    const { claims: raw, conn } = await run('loss-before-capture.pcap');
    const claims = raw as LossBefore;
    expect(claims.holes).toHaveLength(37);
    for (const hole of claims.holes) {
      const gap = at(conn, hole.first_after).find((a) => a.kind === 'previous-segment-not-captured');
      expect(gap?.evidence.cause, `hole at frame ${hole.first_after}`).toBe('lost-before-capture');
      for (const fill of hole.filled_by) {
        const found = at(conn, fill.frame).filter((a) => RESEND_KINDS.includes(a.kind));
        expect(found, `fill at frame ${fill.frame}`).toHaveLength(1);
      }
    }
    expect(kinds(conn, 'out-of-order')).toEqual(claims.out_of_order);
  });
});

describe('a capture that missed a run of data (derived from loss-switch by cutting ten segments)', () => {
  it('says ack-unseen-segment once for the run, not on every ACK of it', async () => {
    const { claims: raw, conn } = await run('capture-missed-data.pcap');
    const claims = raw as { ack_unseen_segment: number[] };
    expect(kinds(conn, 'ack-unseen-segment')).toEqual(claims.ack_unseen_segment);
  });
});
