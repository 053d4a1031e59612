import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, spawnCli } from '../helpers/cli.js';
import { toCodePoints } from '../helpers/terminal.js';

const fixture = (name: string): string => join(ROOT, 'fixtures', name);
/** A lossy capture with warnings and infos, no errors. */
const LOSS_SWITCH = fixture('anomalies/loss-switch.pcap');
/** In-process: the status `run()` resolves to; the last tests check that a process ends with it. */
const cli = (args: string[]) => runCli(args);

describe('exit codes for CI', () => {
  it('0 when nothing matches --fail-on', async () => {
    const r = await cli(['--fail-on', 'error', fixture('http-client-close.pcap')]);
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  it('1 when an anomaly of a named severity or worse is found, saying what matched on stderr', async () => {
    const r = await cli(['--fail-on', 'warning', LOSS_SWITCH]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'tcptrace-explain: 7 findings matched --fail-on: previous-segment-not-captured ×3, ' +
        'fast-retransmission ×2, retransmission ×2\n',
    );
    expect(r.stdout).toContain('Connection 1');
  });

  it('1 for a named kind; --max-findings allows that many', async () => {
    expect((await cli(['--fail-on', 'fast-retransmission', LOSS_SWITCH])).status).toBe(1);
    expect((await cli(['--fail-on', 'fast-retransmission', '--max-findings', '2', LOSS_SWITCH])).status).toBe(0);
    expect((await cli(['--fail-on', 'fast-retransmission', '--max-findings', '1', LOSS_SWITCH])).status).toBe(1);
  });

  it('--max-findings alone counts warnings and errors', async () => {
    // connection-refused is a warning
    expect((await cli(['--max-findings', '0', fixture('refused.pcap')])).status).toBe(1);
    expect((await cli(['--max-findings', '0', fixture('http-client-close.pcap')])).status).toBe(0);
  });

  it('judges the selected connections, whatever --only or --min-severity hide from view', async () => {
    const hidden = await cli(['--fail-on', 'connection-refused', '--only', 'transitions', fixture('refused.pcap')]);
    expect(hidden.status).toBe(1);
    expect(hidden.stdout).not.toContain('connection-refused');
    expect((await cli(['--fail-on', 'warning', '--port', '9999', LOSS_SWITCH])).status).toBe(0);
  });

  it('2 for usage errors, with one line on stderr (commander alone would exit 1)', async () => {
    for (const args of [
      ['--fail-on', 'bogus'],
      ['--conn', 'x'],
      ['--port', '70000'],
      ['--only', 'nothing'],
      ['--max-findings', '-1'],
      ['--no-such-option'],
    ]) {
      const r = await cli([...args, fixture('refused.pcap')]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it('2 for an unreadable input, even when findings would fail the run', async () => {
    const r = await cli(['--fail-on', 'info', fixture('refused.pcap'), join(ROOT, 'no-such-file.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no-such-file.pcap: no such file');
  });

  it('0 for --help and --version', async () => {
    const help = await cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--fail-on');
    expect(help.stdout).toContain('Exit status');
    for (const line of help.stdout.split('\n')) expect(toCodePoints(line).length, line).toBeLessThanOrEqual(80);
    expect((await cli(['--version'])).status).toBe(0);
  });
});

describe('connection and event filters', () => {
  it('--conn keeps the named connections only', async () => {
    const r = await cli(['--conn', '2', fixture('multi.pcap')]);
    expect(r.stdout).toContain('Connection 2');
    expect(r.stdout).not.toMatch(/Connection [13]\b/);
  });

  it('--port and --host select by either endpoint', async () => {
    expect((await cli(['--port', '8080', fixture('multi.pcap')])).stdout.match(/^Connection \d+/gm)).toHaveLength(3);
    const none = (await cli(['--port', '1', fixture('multi.pcap')])).stdout;
    expect(none).not.toContain('Connection');
    expect(none.replace(/\s+/g, ' ')).toContain('3 TCP connections, 0 shown'); // the filter, not the capture, hid them
    expect((await cli(['--host', '10.99.0.1', fixture('refused.pcap')])).stdout).toContain('Connection 1');
    expect((await cli(['--host', '[fd00:99::2]', fixture('ipv6.pcap')])).stdout).toContain('Connection 1');
    expect((await cli(['--host', '192.0.2.1', fixture('refused.pcap')])).stdout).not.toContain('Connection');
  });

  it('--only and --min-severity choose the lines shown', async () => {
    const onlyAnomalies = (await cli(['--only', 'anomalies', fixture('refused.pcap')])).stdout;
    expect(onlyAnomalies).toContain('connection-refused');
    expect(onlyAnomalies).not.toContain('SYN_SENT');
    const onlyTransitions = (await cli(['--only', 'transitions', fixture('refused.pcap')])).stdout;
    expect(onlyTransitions).toContain('SYN_SENT');
    expect(onlyTransitions).not.toContain('connection-refused');
    const errorsOnly = (await cli(['--min-severity', 'error', LOSS_SWITCH])).stdout;
    expect(errorsOnly).not.toMatch(/WARNING|INFO/);
  });

  it('filters apply to JSON too', async () => {
    const doc = JSON.parse((await cli(['--format', 'json', '--conn', '1,3', fixture('multi.pcap')])).stdout) as {
      connections: { id: number }[];
    };
    expect(doc.connections.map((c) => c.id)).toEqual([1, 3]);
  });
});

describe('the process ends with the status run() gives', () => {
  it('1 for findings, 2 for a usage error and for a missing input, 0 for --help', () => {
    expect(spawnCli(['--fail-on', 'warning', LOSS_SWITCH]).status).toBe(1);
    expect(spawnCli(['--format', 'xml', fixture('refused.pcap')]).status).toBe(2);
    expect(spawnCli([fixture('no-such-file.pcap')]).status).toBe(2);
    expect(spawnCli(['--help']).status).toBe(0);
  });
});
