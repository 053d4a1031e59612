// The acceptance test of the text input: every fixtures/text/<capture>.<variant>.txt,
// rendered from fixtures/<capture> by scripts/make-text-fixtures.sh, gives the same report
// as the capture itself.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../helpers/analyse.js';
import { expectSameReport, textFormOf } from './same-report.js';

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;
const textDir = join(fixtures, 'text');

/** The tcpdump options of each variant (as in scripts/make-text-fixtures.sh). */
const VARIANTS: Record<string, string> = {
  n: '-n',
  S: '-n -S',
  v: '-n -v',
  tttt: '-n -tttt',
  e: '-n -e',
  'num-tt': '-# -n -tt',
  nano: '-n --nano',
};

const RENDERED = /^(.+\.pcap(?:ng)?)\.([\w-]+)\.txt$/;

const rendered = readdirSync(textDir)
  .sort()
  .flatMap((file) => {
    const m = RENDERED.exec(file);
    return m === null ? [] : [{ file, capture: m[1]!, variant: m[2]! }];
  });

describe('each text rendered from a capture reports what the capture does', () => {
  it('has a text of every variant for every capture', () => {
    const captures = readdirSync(fixtures).filter((f) => /\.pcap(ng)?$/.test(f));
    expect(captures.length).toBeGreaterThanOrEqual(10);
    for (const capture of captures) {
      for (const variant of ['n', 'S', 'v', 'tttt', 'e', 'num-tt']) {
        expect(existsSync(join(textDir, `${capture}.${variant}.txt`)), `${capture}.${variant}.txt`).toBe(true);
      }
    }
    expect(rendered.some((r) => r.variant === 'nano')).toBe(true);
  });

  for (const { file, capture, variant } of rendered) {
    it(`${file} (tcpdump ${VARIANTS[variant] ?? '?'})`, async () => {
      const options = VARIANTS[variant];
      expect(options, `unknown variant ${variant}`).toBeDefined();
      const [fromText, fromCapture] = await Promise.all([
        analyse(join(textDir, file)),
        analyse(join(fixtures, capture)),
      ]);
      expect(fromText.report.format).toBe('tcpdump-text');
      expect(fromText.warnings).toEqual([]);
      expect(fromText.connections.length).toBeGreaterThan(0);
      expectSameReport(fromText, fromCapture, textFormOf(options!));
      // Every printed packet is one packet of the capture.
      expect(fromText.report.stats?.packets).toBe(fromCapture.report.stats?.packets);
    });
  }
});
