// The default text report, as a user runs it: the command line with a clean environment (not a
// terminal, NO_COLOR) against golden files, read by hand against each fixture's
// .expected.json. `npm run update-goldens` rewrites them; the comparison runs either way.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { ANSI_CODE, toCodePoints } from '../helpers/terminal.js';

/** The command (in-process) run from the checkout with relative paths, so the output names no path of this machine. */
const cli = (args: string[]) => runCli(args);

const CASES: { golden: string; args: string[] }[] = [
  { golden: 'http-client-close.txt', args: ['fixtures/http-client-close.pcap'] },
  { golden: 'http-three-way-close.txt', args: ['fixtures/http-three-way-close.pcap'] },
  { golden: 'refused.txt', args: ['fixtures/refused.pcap'] },
  { golden: 'rst-abort.txt', args: ['fixtures/rst-abort.pcap'] },
  { golden: 'half-close.txt', args: ['fixtures/half-close.pcap'] },
  { golden: 'loss-switch.txt', args: ['fixtures/anomalies/loss-switch.pcap'] },
  { golden: 'zero-window.txt', args: ['fixtures/anomalies/zero-window.pcap'] },
  { golden: 'http-client-close.explain.txt', args: ['--explain', 'fixtures/http-client-close.pcap'] },
  { golden: 'refused.explain.txt', args: ['--explain', 'fixtures/refused.pcap'] },
  { golden: 'loss-switch.quiet.txt', args: ['-q', 'fixtures/anomalies/loss-switch.pcap'] },
  { golden: 'half-close.quiet.txt', args: ['-q', 'fixtures/half-close.pcap'] },
];

describe('text report golden files', () => {
  it.each(CASES)('$golden', async ({ golden, args }) => {
    const r = await cli(args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(ANSI_CODE);
    expectGolden(`text/${golden}`, r.stdout);
  });
});

describe('text report options on the command line', () => {
  it('--explain is for the text report only: with JSON or NDJSON it is a usage error, one line, exit 2', async () => {
    for (const format of ['json', 'ndjson']) {
      const r = await cli(['--explain', '--format', format, 'fixtures/refused.pcap']);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--explain');
    }
  });

  it('--width wraps to the given columns and refuses a width too narrow to read', async () => {
    const wide = (await cli(['--explain', '--width', '120', 'fixtures/http-client-close.pcap'])).stdout.split('\n');
    expect(Math.max(...wide.map((l) => toCodePoints(l).length))).toBeGreaterThan(80);
    expect(Math.max(...wide.map((l) => toCodePoints(l).length))).toBeLessThanOrEqual(120);
    const bad = await cli(['--width', '10', 'fixtures/refused.pcap']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help describes --explain, -q and --width', async () => {
    const h = (await cli(['--help'])).stdout;
    expect(h).toMatch(/--explain +end the text report with notes/);
    expect(h).toMatch(/-q, --quiet +only anomalies/);
    expect(h).toContain('--width <columns>');
  });

  it('colour only through the chosen level: escapes with --color, none with NO_COLOR', async () => {
    expect((await cli(['--color', '--explain', 'fixtures/half-close.pcap'])).stdout).toMatch(ANSI_CODE);
    expect((await cli(['--explain', 'fixtures/half-close.pcap'])).stdout).not.toMatch(ANSI_CODE);
  });
});
