// Damaged and retyped text never crashes the reader: every line that is not binary data
// ends as a segment, a skipped packet, a warning or nothing. Deterministic mutations of
// real lines (characters deleted, repeated, replaced by printable ones, lines cut short).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomSizes } from '../helpers/capture.js';
import { readText } from './read.js';

const dir = new URL('../../fixtures/text/', import.meta.url).pathname;
const PRINTABLE = ' .:,[]{}()<>-0123456789SFRP.ackseqwinlengthoptionsTSvalecr';

function mutate(line: string, seed: number): string {
  let x = seed;
  const next = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  let out = line;
  for (let k = 1 + next(3); k > 0; k--) {
    const at = next(out.length + 1);
    switch (next(4)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + next(4));
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at, at + 1 + next(6)) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + PRINTABLE[next(PRINTABLE.length)]! + out.slice(at + 1);
        break;
      default:
        out = out.slice(0, at);
        break;
    }
  }
  return out;
}

describe('robustness', () => {
  it('reads mutated fixture lines without throwing', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .sort();
    let seed = 1;
    let segments = 0;
    let warnings = 0;
    for (const file of files) {
      const lines = readFileSync(join(dir, file), 'utf8').split('\n');
      const mutated = lines.map((line) => mutate(line, seed++)).join('\n');
      const result = readText(mutated, randomSizes(seed, 50));
      expect(result.error, file).toBeUndefined();
      expect(result.stats.tcpSegments + result.stats.skipped, file).toBe(result.stats.packets);
      segments += result.segments.length;
      warnings += result.warnings.length;
    }
    expect(segments).toBeGreaterThan(100);
    expect(warnings).toBeGreaterThan(0);
  });
});
