import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from './helpers/analyse.js';
import { asExpected, wantedConnections, type ExpectedReport } from './helpers/expected.js';

const dir = new URL('../fixtures/', import.meta.url).pathname;
/** Clean captures at the top (every anomaly compared: none allowed), lossy ones in anomalies/, hard ones in cases/. */
const expectedFiles = [
  ...readdirSync(dir).filter((f) => f.endsWith('.expected.json')),
  ...['anomalies', 'cases'].flatMap((sub) =>
    readdirSync(join(dir, sub))
      .filter((f) => f.endsWith('.expected.json'))
      .map((f) => join(sub, f)),
  ),
].sort();
/**
 * In anomalies/ and cases/ the expected files state the handshake and port-reuse anomalies
 * only; the sequence anomalies of those captures are checked frame by frame against tshark
 * instead (test/tcp/tshark-agreement.test.ts), or against their own `sequence` claims.
 */
const STATED_KINDS = new Set([
  'synack-wrong-ack',
  'handshake-ack-wrong',
  'synack-isn-changed',
  'port-reuse',
  'time-wait-reuse',
]);

describe('real captures in fixtures/ match their expected transitions', () => {
  it('has fixtures to check', () => {
    expect(expectedFiles.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of expectedFiles) {
    it(file.replace('.expected.json', ''), async () => {
      const expected = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ExpectedReport;
      const { connections, report } = await analyse(join(dir, dirname(file), expected.capture));
      const compared = file.includes('/') ? (kind: string) => STATED_KINDS.has(kind) : () => true;
      expect(report.error).toBeUndefined();
      const actual = asExpected(connections, compared);
      const wanted = wantedConnections(expected);
      expect(actual).toEqual(wanted);
    });
  }
});

describe('cases/port-reuse-after-rst', () => {
  it('remembers the connection reset 20 s before (retired after 10 s) and says how and when it ended', async () => {
    const { connections } = await analyse(join(dir, 'cases', 'port-reuse-after-rst.pcap'));
    const reuse = connections.flatMap((c) => c.anomalies.map((a) => ({ conn: c.id, ...a })));
    expect(reuse.map((a) => [a.conn, a.kind, a.frame])).toEqual([
      [2, 'port-reuse', 9],
      [4, 'time-wait-reuse', 30],
      [6, 'time-wait-reuse', 50],
    ]);
    expect(reuse[0]!.message).toBe(
      'a new connection on the port pair of connection 1, which ended 20.000 s before ' +
        '(reset by the client, RST in frame 8)',
    );
    expect(reuse[1]!.message).toContain('server was still in TIME_WAIT (2.500 s after the last packet): accepted');
    expect(reuse[2]!.message).toContain(
      'client was still in TIME_WAIT, opened by that side itself (its port reused, ' +
        '2.701 s after the last packet): accepted',
    );
  });
});
