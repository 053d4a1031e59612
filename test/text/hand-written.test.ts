// Texts no capture can give (the old 3.x format, an article paste, -q output, relative
// numbers from mid-connection), written by hand, each with its expected report worked out
// by hand beside it: fixtures/text/<name>.txt.expected.json, in the format of
// fixtures/*.expected.json, plus an optional "warnings" list (texts the warnings must contain).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../helpers/analyse.js';
import { asExpected, wantedConnections, type ExpectedReport } from '../helpers/expected.js';

const dir = new URL('../../fixtures/text/', import.meta.url).pathname;

/** The anomalies expected files list, as in fixtures/README.md (the rest are checked against captures). */
const LISTED_ANOMALIES = new Set(['synack-wrong-ack', 'handshake-ack-wrong']);
const expectedFiles = readdirSync(dir)
  .filter((f) => f.endsWith('.expected.json'))
  .sort();

describe('hand-written texts give the reports worked out by hand', () => {
  it('has the four kinds of text', () => {
    expect(expectedFiles).toEqual(
      expect.arrayContaining([
        'legacy-3x.txt.expected.json',
        'article-paste.txt.expected.json',
        'quiet-q.txt.expected.json',
        'midstream-relative.txt.expected.json',
      ]),
    );
  });

  for (const file of expectedFiles) {
    it(file.replace('.expected.json', ''), async () => {
      const expected = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ExpectedReport;
      const { connections, report, warnings } = await analyse(join(dir, expected.capture));
      expect(report.error).toBeUndefined();
      expect(report.format).toBe('tcpdump-text');
      const actual = asExpected(connections, (kind) => LISTED_ANOMALIES.has(kind));
      const wanted = wantedConnections(expected);
      expect(actual).toEqual(wanted);
      const wantedWarnings = expected.warnings ?? [];
      expect(warnings).toHaveLength(wantedWarnings.length);
      wantedWarnings.forEach((w, i) => {
        expect(warnings[i]).toContain(w);
      });
    });
  }
});
