import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { ANSI_CODE } from '../helpers/terminal.js';

/** Read against the fixture's expected file before committing; `npm run update-goldens` rewrites them. */
const CASES: [string, string[]][] = [
  ['refused.json', ['--format', 'json', 'fixtures/refused.pcap']],
  ['http-client-close.ndjson', ['--format', 'ndjson', 'fixtures/http-client-close.pcap']],
  ['rst-in-window.ndjson', ['--format', 'ndjson', 'fixtures/anomalies/rst-in-window.pcap']],
];

describe('JSON and NDJSON, golden outputs (public contract: a change here is a schema change)', () => {
  for (const [name, args] of CASES) {
    it(args.join(' '), async () => {
      const r = await runCli(args, { env: { NO_COLOR: '', FORCE_COLOR: '3' } });
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(r.stdout).not.toMatch(ANSI_CODE); // no colour in machine output, even when forced
      expectGolden(`json/${name}`, r.stdout);
      const lines = name.endsWith('.ndjson') ? r.stdout.trimEnd().split('\n') : [r.stdout];
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    });
  }
});
