import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { AnomalyEvent, TrackerEvent } from '../../src/events.js';
import { TextReporter } from '../../src/report/text.js';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin', 'tcptrace-explain.js');
const golden = (name: string): string => join(root, 'test', 'report', 'golden', 'text', name);

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Written with UPDATE_GOLDEN=1, then read by a person against the fixture's expected file before committing. */
const CASES: [string, string[]][] = [
  ['http-client-close.txt', ['fixtures/http-client-close.pcap']],
  ['http-three-way-close.txt', ['fixtures/http-three-way-close.pcap']],
  ['refused.txt', ['fixtures/refused.pcap']],
  ['rst-abort.txt', ['fixtures/rst-abort.pcap']],
  ['half-close.txt', ['fixtures/half-close.pcap']],
  ['loss-switch.txt', ['fixtures/anomalies/loss-switch.pcap']],
  ['zero-window.txt', ['fixtures/anomalies/zero-window.pcap']],
  ['http-client-close.explain.txt', ['--explain', 'fixtures/http-client-close.pcap']],
  ['refused.explain.txt', ['--explain', 'fixtures/refused.pcap']],
  ['loss-switch.quiet.txt', ['-q', 'fixtures/anomalies/loss-switch.pcap']],
  ['multi.quiet.txt', ['-q', 'fixtures/multi.pcap']],
  ['two-inputs.txt', ['fixtures/anomalies/midstream.pcap', 'fixtures/anomalies/synack-retransmission.pcap']],
];

describe('the text report, golden outputs', () => {
  for (const [name, args] of CASES) {
    it(`${args.join(' ')}`, () => {
      const r = cli(args);
      expect([r.status, r.stderr]).toEqual([0, '']);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden(name))) {
        if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`missing golden file ${name}`);
        writeFileSync(golden(name), r.stdout);
      }
      expect(r.stdout).toBe(readFileSync(golden(name), 'utf8'));
    });
  }

  it('fits 80 columns on every fixture, but for words that cannot be broken', () => {
    for (const file of ['fixtures/anomalies/loss-switch.pcap', 'fixtures/anomalies/zero-window.pcap', 'fixtures/multi.pcap', 'fixtures/ipv6.pcap']) {
      for (const line of cli(['--explain', file]).stdout.split('\n')) {
        if ([...line].length > 80) expect(line.trim().split(' ').length, `${file}: ${line}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it('--explain is refused with the other views', () => {
    for (const args of [['--explain', '--format', 'json'], ['--explain', '--summary'], ['--explain', '--ladder'], ['--explain', '-q']]) {
      const r = cli([...args, 'fixtures/refused.pcap']);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--explain');
    }
  });
});

function report(events: TrackerEvent[], opts: { explain?: boolean; quiet?: boolean } = {}): string {
  let out = '';
  const r = new TextReporter((t) => (out += t), { chalk: new Chalk({ level: 0 }), live: false, quiet: opts.quiet ?? false, explain: opts.explain ?? false, width: 80 });
  r.beginInput('x');
  for (const e of events) r.event(e);
  r.finish();
  return out;
}

const client = { addr: '10.0.0.1', port: 40000 };
const server = { addr: '10.0.0.2', port: 80 };
function connection(anomalies: AnomalyEvent[]): TrackerEvent[] {
  return [
    { type: 'connection', conn: 1, client, server, rolesGuessed: false, rolesReason: 'the client sent the first SYN', frame: 1, time: 0 },
    ...anomalies,
    { type: 'end', conn: 1, final: { client: 'ESTABLISHED', server: 'ESTABLISHED' }, assumed: false, start: 0, end: 1, packets: { client: 50, server: 50 }, bytes: { client: 0, server: 1000 } },
  ];
}
const dupAck = (frame: number): AnomalyEvent => ({
  type: 'anomaly', conn: 1, side: 'client', kind: 'duplicate-ack', severity: 'info', frame, time: frame / 100,
  message: `duplicate ACK at frame ${frame}`, evidence: {},
});

describe('the text report, folding and explanations', () => {
  it('shows the causes once per kind, ten of a kind, then one line for the rest that adds up', () => {
    const out = report(connection(Array.from({ length: 66 }, (_, i) => dupAck(10 + i))));
    expect(out.match(/INFO duplicate-ack/g)).toHaveLength(10);
    expect(out.match(/likely:/g)).toHaveLength(1);
    expect(out.match(/check:/g)).toHaveLength(1);
    expect(out).toContain('… 56 more duplicate-ack (frames 20–75)');
  });

  it('-q: one line per anomaly and one final line per connection, no causes', () => {
    const out = report(connection([dupAck(10), dupAck(11)]), { quiet: true });
    expect(out.split('\n').filter((l) => l !== '' && !l.startsWith('x:'))).toEqual([
      'connection 1 frame 10 client info duplicate-ack: duplicate ACK at frame 10',
      'connection 1 frame 11 client info duplicate-ack: duplicate ACK at frame 11',
      'connection 1 final: client ESTABLISHED, server ESTABLISHED',
    ]);
  });

  it('--explain: notes only for what the capture shows', () => {
    const refused = cli(['--explain', 'fixtures/refused.pcap']).stdout;
    expect(refused).toContain('Connection refused');
    expect(refused).not.toContain('TIME_WAIT lasts');
    expect(refused).not.toContain('Why closing takes four segments');
    const closed = cli(['--explain', 'fixtures/http-client-close.pcap']).stdout.replace(/\s+/g, ' ');
    expect(closed).toContain('Why TIME_WAIT lasts 2×MSL (60 s here)');
    expect(closed).toContain('Why closing takes four segments');
    expect(closed).not.toContain('Connection refused');
    expect(cli(['--explain', '--msl', '120', 'fixtures/http-client-close.pcap']).stdout).toContain('(240 s here)');
    expect(closed).not.toContain('as in this capture');
    const threeWay = cli(['--explain', 'fixtures/http-three-way-close.pcap']).stdout.replace(/\s+/g, ' ');
    expect(threeWay).toContain('the close takes three segments, as in this capture');
    const lossy = report(connection([dupAck(10)]), { explain: true });
    expect(lossy).toContain('duplicate-ack: ');
    expect(lossy).toContain('Likely causes, most likely first:');
  });
});
