// Golden outputs: compared on every run, written only by `npm run update-goldens` (which sets
// UPDATE_GOLDEN=1), never by an ordinary test run and never in CI. Their diff is reviewed like code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './cli.js';

const GOLDEN_DIR = join(ROOT, 'test', 'report', 'golden');

function updating(): boolean {
  if (process.env.UPDATE_GOLDEN !== '1') return false;
  if (process.env.CI) throw new Error('UPDATE_GOLDEN is set in CI: goldens are written by hand, never by CI');
  return true;
}

/** The output must equal the golden file `name` (relative to test/report/golden/). */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (updating()) writeFileSync(file, actual);
  expect(existsSync(file), `golden ${name} is missing: run \`npm run update-goldens\` and read the diff`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
