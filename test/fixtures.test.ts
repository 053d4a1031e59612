import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from './helpers/analyse.js';

/** fixtures/<capture>.expected.json: the per-side transitions and final states, checked by hand. */
interface Expected {
  capture: string;
  connections: {
    client: string;
    server: string;
    transitions: [string, string, string, number][];
    final: { client: string; server: string };
    anomalies: { kind: string; frame: number }[];
  }[];
}

const dir = new URL('../fixtures/', import.meta.url).pathname;
/** Clean captures at the top (every anomaly compared: there must be none), lossy ones in anomalies/. */
const expectedFiles = [
  ...readdirSync(dir).filter((f) => f.endsWith('.expected.json')),
  ...readdirSync(join(dir, 'anomalies')).filter((f) => f.endsWith('.expected.json')).map((f) => join('anomalies', f)),
].sort();
/**
 * In anomalies/ the expected files state the handshake anomalies only; the sequence
 * anomalies of those captures are checked frame by frame against tshark instead
 * (test/tcp/tshark-agreement.test.ts).
 */
const HANDSHAKE_KINDS = new Set(['synack-wrong-ack', 'handshake-ack-wrong']);

function endpoint(e: { addr: string; port: number }): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

describe('real captures in fixtures/ match their expected transitions', () => {
  it('has fixtures to check', () => {
    expect(expectedFiles.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of expectedFiles) {
    it(file.replace('.expected.json', ''), async () => {
      const expected = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Expected;
      const { connections, report } = await analyse(join(dir, dirname(file), expected.capture));
      const compared = file.startsWith('anomalies') ? (kind: string) => HANDSHAKE_KINDS.has(kind) : () => true;
      expect(report.error).toBeUndefined();
      const actual = connections.map((c) => ({
        client: endpoint(c.client),
        server: endpoint(c.server),
        transitions: c.transitions.map((t) => [t.side, t.from, t.to, t.frame]),
        final: c.final,
        anomalies: c.anomalies.filter((a) => compared(a.kind)).map((a) => ({ kind: a.kind, frame: a.frame })),
      }));
      const wanted = expected.connections.map((c) => ({
        client: c.client,
        server: c.server,
        transitions: c.transitions,
        final: c.final,
        anomalies: c.anomalies,
      }));
      expect(actual).toEqual(wanted);
    });
  }
});
