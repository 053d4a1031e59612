// The shared conformance corpus (tcpdump, Zeek and Suricata test suites) lives beside the
// checkout, not in it: CI has it, a fresh clone does not. Every test that reads it goes
// through here, so that without it the tests are reported as skipped with the reason (never
// run against nothing, never a crash while vitest collects them), and in CI its absence is
// an error.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';

export type CorpusPart = 'tcpdump' | 'zeek' | 'suricata';

/** The corpus folder: `../shared/corpus/` beside the checkout. */
const CORPUS_DIR = new URL('../../../shared/corpus/', import.meta.url).pathname;

/** The folder of one part of the corpus. */
export function corpusPath(part: CorpusPart, ...rest: string[]): string {
  return join(CORPUS_DIR, part, ...rest);
}

/** Whether the part is there (its folder holds its manifest). */
function corpusPresent(part: CorpusPart): boolean {
  return existsSync(corpusPath(part, 'MANIFEST.tsv'));
}

function missing(part: CorpusPart): string {
  return `the shared corpus is not beside the checkout (${corpusPath(part)})`;
}

/**
 * A `describe` over a part of the corpus. Without it the body is not even run (it reads the
 * corpus to list its tests): one skipped test stands in, named with the reason; with `CI`
 * set, the missing corpus is an error.
 */
export function describeCorpus(part: CorpusPart, name: string, body: () => void): void {
  if (corpusPresent(part)) {
    describe(name, body);
    return;
  }
  if (process.env.CI) throw new Error(`${missing(part)}; CI must have it`);
  describe(name, () => {
    it.skip(`skipped: ${missing(part)}`, () => undefined);
  });
}
