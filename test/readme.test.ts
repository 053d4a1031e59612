import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain JS script (run with node); its exports are checked here
import { withReference } from '../scripts/readme-reference.js';
import { ANOMALY_KINDS } from '../src/events.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README reference', () => {
  it(
    'is what the option definitions and the explanation catalogue generate ' +
      '(run scripts/readme-reference.js after a change)',
    () => {
      expect((withReference as (text: string) => string)(readme)).toBe(readme);
    },
  );

  it('documents every anomaly kind and every option', () => {
    for (const kind of Object.keys(ANOMALY_KINDS)) expect(readme, kind).toContain(`#### \`${kind}\``);
    for (const flag of ['--fail-on', '--max-findings', '--ladder', '--summary', '--conn', '--only', '--min-severity'])
      expect(readme).toContain(`\`${flag}`);
  });
});
