import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { ROOT, spawnCli } from '../helpers/cli.js';
import { anyNumber, anyString } from '../helpers/matchers.js';
import { ANSI_CODE } from '../helpers/terminal.js';

const fixture = (name: string): string => join(ROOT, 'fixtures', name);

/** The built binary with a scrubbed environment, as a user's shell would run it. */
function cli(args: string[], input?: Buffer | string, env: Record<string, string> = {}) {
  return spawnCli(args, { ...(input === undefined ? {} : { input }), env });
}

const tmp = mkdtempSync(join(tmpdir(), 'tte-cli-'));

/** An NDJSON line, as far as these tests read it. */
interface NdjsonLine {
  type: string;
  kind?: string;
  final?: { client: string; server: string };
}

describe('command line', () => {
  it('explains a capture in text: heading, transitions with frames, final states', () => {
    const r = cli([fixture('http-client-close.pcap')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Connection 1 {2}client 10\.99\.0\.1:\d+ → server 10\.99\.0\.2:\d+$/m);
    expect(r.stdout).toMatch(
      /#1 +client +CLOSED +→ SYN_SENT\n +first handshake: the client asks to connect \(SYN\), ISN \d+/,
    );
    expect(r.stdout).toMatch(/server +LISTEN +→ SYN_RCVD/);
    expect(r.stdout).toMatch(/^ {2}final states +client TIME_WAIT, server CLOSED$/m);
    expect(r.stdout).not.toMatch(ANSI_CODE); // NO_COLOR and not a TTY
  });

  it('writes the JSON document of design.md', () => {
    const r = cli(['--format', 'json', fixture('http-client-close.pcap')]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc).toMatchObject({ tool: 'tcptrace-explain', version: '0.1.0', schemaVersion: 1 });
    expect(doc.inputs[0]).toMatchObject({ format: 'pcap', skipped: 0 });
    expect(doc.inputs[0]!.packets).toBe(doc.inputs[0]!.tcpSegments);
    const c = doc.connections[0]!;
    expect(Object.keys(c)).toEqual(
      expect.arrayContaining([
        'id',
        'client',
        'server',
        'rolesGuessed',
        'start',
        'end',
        'packets',
        'bytes',
        'transitions',
        'final',
        'anomalies',
      ]),
    );
    expect(c.client).toEqual({ addr: '10.99.0.1', port: anyNumber });
    expect(c.transitions[0]).toEqual({
      side: 'client',
      from: 'CLOSED',
      to: 'SYN_SENT',
      frame: 1,
      time: anyNumber,
      reason: anyString,
    });
    expect(c.final).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
    expect(doc.summary).toEqual({ connections: doc.connections.length, anomalies: {} });
    expect(c.anomalies).toEqual([]);
  });

  it('writes NDJSON events with a type, ending with a summary', () => {
    const r = cli(['--format', 'ndjson', fixture('refused.pcap')]);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as NdjsonLine);
    expect(lines.map((l) => l.type)).toEqual([
      'connection',
      'transition',
      'transition',
      'anomaly',
      'end',
      'input',
      'summary',
    ]);
    expect(lines[3]!.kind).toBe('connection-refused');
    expect(lines[4]!.final).toEqual({ client: 'CLOSED', server: 'CLOSED' });
  });

  it('reads a capture from standard input', () => {
    const r = cli(['-'], readFileSync(fixture('http-client-close.pcapng')));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('final: client TIME_WAIT, server CLOSED');
    expect(r.stdout).toContain('<stdin>: pcapng');
  });

  it('--help and --version exit 0', () => {
    const h = cli(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Examples:');
    const v = cli(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe('0.1.0');
  });

  it('usage errors exit 2 with one line', () => {
    const r = cli(['--format', 'xml', fixture('refused.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing file exits 2 with one line naming it, no stack trace', () => {
    const r = cli([join(tmp, 'nope.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`tcptrace-explain: ${join(tmp, 'nope.pcap')}: no such file\n`);
  });

  it('an unrecognised format exits 2 naming byte 0', () => {
    const f = join(tmp, 'garbage.bin');
    writeFileSync(f, Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe, 0x00, 0x00]));
    const r = cli([f]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^tcptrace-explain: .*garbage\.bin: byte 0: unrecognised format.*\n$/);
  });

  it('a corrupt record in the middle: what came before is reported, then exit 2 with the byte offset', () => {
    const good = readFileSync(fixture('http-client-close.pcap'));
    // Corrupt the 6th record's caplen: walk the records to find its offset.
    let off = 24;
    for (let i = 0; i < 5; i++) off += 16 + good.readUInt32LE(off + 8);
    const bad = Buffer.from(good);
    bad.writeUInt32LE(0x7fffffff, off + 8);
    bad.writeUInt32LE(0x7fffffff, off + 12);
    const f = join(tmp, 'corrupt.pcap');
    writeFileSync(f, bad);
    const r = cli(['--format', 'json', f]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`corrupt.pcap: byte ${off}:`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc.inputs[0]!.packets).toBe(5);
    expect(doc.connections[0]!.transitions.length).toBeGreaterThanOrEqual(4);
  });

  it('a capture cut inside its last packet is a warning, exit 0', () => {
    const good = readFileSync(fixture('http-client-close.pcap'));
    const f = join(tmp, 'cut.pcap');
    writeFileSync(f, good.subarray(0, good.length - 10));
    const r = cli(['--format', 'json', f]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: .*cut\.pcap.*/);
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc.inputs[0]!.packets).toBeGreaterThan(5);
  });

  it('colour only when asked for or on a terminal', () => {
    expect(cli(['--color', fixture('refused.pcap')]).stdout).toMatch(ANSI_CODE);
    expect(cli([fixture('refused.pcap')], undefined, { FORCE_COLOR: '1', NO_COLOR: '' }).stdout).toMatch(ANSI_CODE);
    expect(cli([fixture('refused.pcap')], undefined, { FORCE_COLOR: '1' }).stdout).not.toMatch(ANSI_CODE);
  });
});
