import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin', 'tcptrace-explain.js');
const golden = (name: string): string => join(root, 'test', 'report', 'golden', 'json', name);

/** Written with UPDATE_GOLDEN=1 and read against the fixture's expected file before committing. */
const CASES: [string, string[]][] = [
  ['refused.json', ['--format', 'json', 'fixtures/refused.pcap']],
  ['http-client-close.ndjson', ['--format', 'ndjson', 'fixtures/http-client-close.pcap']],
  ['rst-in-window.ndjson', ['--format', 'ndjson', 'fixtures/anomalies/rst-in-window.pcap']],
];

describe('JSON and NDJSON, golden outputs (public contract: a change here is a schema change)', () => {
  for (const [name, args] of CASES) {
    it(args.join(' '), () => {
      const r = spawnSync(process.execPath, [bin, ...args], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', FORCE_COLOR: '3' },
        encoding: 'utf8',
      });
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(r.stdout).not.toMatch(/\u001b\[/); // no colour in machine output, even when forced
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden(name))) {
        if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`missing golden file ${name}`);
        writeFileSync(golden(name), r.stdout);
      }
      expect(r.stdout).toBe(readFileSync(golden(name), 'utf8'));
      const lines = name.endsWith('.ndjson') ? r.stdout.trimEnd().split('\n') : [r.stdout];
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    });
  }
});
