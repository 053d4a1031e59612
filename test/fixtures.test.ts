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
 * In anomalies/ and cases/ the expected files state the handshake anomalies only; the
 * sequence anomalies of those captures are checked frame by frame against tshark instead
 * (test/tcp/tshark-agreement.test.ts), or against their own `sequence` claims.
 */
const HANDSHAKE_KINDS = new Set(['synack-wrong-ack', 'handshake-ack-wrong']);

describe('real captures in fixtures/ match their expected transitions', () => {
  it('has fixtures to check', () => {
    expect(expectedFiles.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of expectedFiles) {
    it(file.replace('.expected.json', ''), async () => {
      const expected = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ExpectedReport;
      const { connections, report } = await analyse(join(dir, dirname(file), expected.capture));
      const compared = file.includes('/') ? (kind: string) => HANDSHAKE_KINDS.has(kind) : () => true;
      expect(report.error).toBeUndefined();
      const actual = asExpected(connections, compared);
      const wanted = wantedConnections(expected);
      expect(actual).toEqual(wanted);
    });
  }
});
