import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { Severity, TrackerEvent, AnomalyKind } from '../../src/events.js';
import type { JsonReport } from '../../src/report/json.js';
import { SummaryReporter } from '../../src/report/summary.js';
import { SummaryTally } from '../../src/report/summary-tally.js';
import { formatBytes, formatCount, formatDuration } from '../../src/report/units.js';
import { endpointText } from '../helpers/expected.js';
import { parseTable } from '../helpers/summary-table.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { ANY_ESCAPE, ESC, stripSgr, toCodePoints } from '../helpers/terminal.js';

const MULTI = 'fixtures/multi.pcap';
const IPV6 = 'fixtures/ipv6.pcap';
const ANOMALIES = readdirSync(join(ROOT, 'fixtures', 'anomalies'))
  .filter((f) => f.endsWith('.pcap'))
  .sort()
  .map((f) => `fixtures/anomalies/${f}`);
const ALL = [MULTI, ...ANOMALIES, IPV6];

/** The command (in-process) run from the repository root (relative names, as a user types them), no terminal. */
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: { COLUMNS: '80', ...env } });

async function summary(files: string[], columns: number, env: Record<string, string> = {}): Promise<string> {
  const r = await cli(['--summary', ...files], { COLUMNS: String(columns), ...env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

async function jsonReport(files: string[]): Promise<JsonReport> {
  const r = await cli(['--format', 'json', ...files]);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as JsonReport;
}

const codePoints = (line: string): number => toCodePoints(line).length;
/** The anomalies column's header in whichever form the width allowed. */
const anomaliesHeader = (headers: readonly string[]): string | undefined => headers.find((h) => h.endsWith('e/w/i'));

// Each golden file was read and its numbers checked against `--format json` of the same
// inputs before it was committed.
describe('--summary golden output (built CLI, NO_COLOR)', () => {
  it('multi.pcap at 80 columns', async () => {
    expectGolden('multi.80.txt', await summary([MULTI], 80));
  });

  it('multi.pcap at 200 columns: every column', async () => {
    expectGolden('multi.200.txt', await summary([MULTI], 200));
  });

  it('three anomaly captures as several inputs at 80 columns', async () => {
    const files = [
      'fixtures/anomalies/loss-switch.pcap',
      'fixtures/anomalies/midstream.pcap',
      'fixtures/anomalies/zero-window.pcap',
    ];
    expectGolden('anomalies.80.txt', await summary(files, 80));
  });

  it('ipv6.pcap at 52 columns: endpoints and final states wrap onto two lines', async () => {
    expectGolden('ipv6.52.txt', await summary([IPV6], 52));
  });
});

const allAt200 = await summary(ALL, 200);
const allJson = await jsonReport(ALL);

describe('--summary numbers equal the JSON report', () => {
  const lines = allAt200.split('\n');
  const doc = allJson;
  const connections = parseTable(lines);
  const kindsAt = lines.findIndex((l) => l.startsWith('anomaly kind'));
  const kinds = parseTable(lines, kindsAt);

  it('shows every column when there is room', () => {
    expect(connections.headers).toEqual([
      'id',
      'client',
      'server',
      'packets',
      'packets c→s / s→c',
      'bytes',
      'bytes c→s / s→c',
      'duration',
      'final client/server',
      'anomalies e/w/i',
    ]);
  });

  it(
    'one row per connection, under its input, with its counters, duration, ' + 'final states and anomalies by severity',
    () => {
      expect(connections.rows).toHaveLength(doc.connections.length);
      doc.connections.forEach((c, i) => {
        const row = connections.rows[i]!;
        const bySeverity = (s: Severity): string => String(c.anomalies.filter((a) => a.severity === s).length);
        const mark = c.finalAssumed ? '*' : '';
        expect(row.section).toBe(c.input);
        expect(row.cells).toMatchObject({
          id: String(c.id),
          client: endpointText(c.client),
          server: endpointText(c.server),
          packets: formatCount(c.packets.client + c.packets.server),
          bytes: formatBytes(c.bytes.client + c.bytes.server),
          duration: formatDuration(c.end - c.start),
          'final client/server': `${c.final.client}${mark}/${c.final.server}${mark}`,
          'anomalies e/w/i': `${bySeverity('error')}/${bySeverity('warning')}/${bySeverity('info')}`,
        });
        expect(row.cells['packets c→s / s→c']?.split(/\s*\/\s*/)).toEqual([
          formatCount(c.packets.client),
          formatCount(c.packets.server),
        ]);
        expect(row.cells['bytes c→s / s→c']?.split(/\s*\/\s*/)).toEqual([
          formatBytes(c.bytes.client),
          formatBytes(c.bytes.server),
        ]);
      });
    },
  );

  it('anomaly kinds: counts and connections affected, most severe then most frequent first', () => {
    const fromJson = new Map<string, { count: number; connections: Set<number> }>();
    doc.connections.forEach((c, i) => {
      for (const a of c.anomalies) {
        const key = `${a.kind} ${a.severity}`;
        const entry = fromJson.get(key) ?? { count: 0, connections: new Set<number>() };
        entry.count++;
        entry.connections.add(i);
        fromJson.set(key, entry);
      }
    });
    expect(kinds.rows).toHaveLength(fromJson.size);
    for (const { cells } of kinds.rows) {
      const entry = fromJson.get(`${cells['anomaly kind']} ${cells.severity}`);
      expect(entry, cells['anomaly kind']).toBeDefined();
      expect(cells.count).toBe(formatCount(entry!.count));
      expect(cells.connections).toBe(formatCount(entry!.connections.size));
    }
    const perKind = new Map<string, number>();
    for (const { cells } of kinds.rows)
      perKind.set(cells['anomaly kind']!, (perKind.get(cells['anomaly kind']!) ?? 0) + Number(cells.count));
    expect(Object.fromEntries(perKind)).toEqual(doc.summary.anomalies);

    const rank = { error: 0, warning: 1, info: 2 } as Record<string, number>;
    const order = kinds.rows.map(({ cells }) => [rank[cells.severity!]!, -Number(cells.count)] as const);
    const sorted = [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(order).toEqual(sorted);
  });

  it('the totals line', () => {
    const packets = doc.connections.reduce((n, c) => n + c.packets.client + c.packets.server, 0);
    const all = doc.connections.flatMap((c) => c.anomalies);
    const count = (s: Severity): number => all.filter((a) => a.severity === s).length;
    const totals = lines
      .slice(lines.findIndex((l) => l.startsWith('Total: ')))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    expect(totals).toBe(
      `Total: ${doc.summary.connections} connections in ${ALL.length} inputs, ${formatCount(packets)} TCP packets, ` +
        `${all.length} anomalies (${count('error')} errors, ${count('warning')} warnings, ${count('info')} info)`,
    );
  });
});

describe('--summary fits the terminal width', () => {
  for (const columns of [200, 80, 60]) {
    it(`no line longer than ${columns} columns, all connections listed`, async () => {
      const out = await summary(ALL, columns);
      const lines = out.split('\n');
      for (const line of lines) expect(codePoints(line), line).toBeLessThanOrEqual(columns);
      const table = parseTable(lines);
      expect(table.rows.map((r) => `${r.section} ${r.cells.id}`)).toEqual(
        (await jsonReport(ALL)).connections.map((c) => `${c.input} ${c.id}`),
      );
      expect(table.headers).toEqual(expect.arrayContaining(['id', 'client', 'server']));
      expect(table.headers.some((h) => h.startsWith('final '))).toBe(true);
      expect(anomaliesHeader(table.headers)).toBeDefined();
    });
  }

  it('at 80 columns the split counts go before anything essential, and rows stay on one line', async () => {
    const lines = (await summary([MULTI], 80)).split('\n');
    const table = parseTable(lines);
    expect(table.headers).not.toContain('packets c→s / s→c');
    expect(table.headers).toContain('final c/s');
    const firstRow = lines.findIndex((l) => l.startsWith(' 1 '));
    expect(lines.slice(firstRow, firstRow + 3).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1', '2', '3']);
  });

  it(
    'at 80 columns multi.pcap and the anomaly captures show packets and duration, ' +
      'compact final states and anomalies',
    async () => {
      const files = [MULTI, ...ANOMALIES];
      const lines = (await summary(files, 80)).split('\n');
      const table = parseTable(lines);
      // Bytes would need 8 more columns:
      // 2 + 15 + 14 + 4 + 6 + 5 + 18 + 7 ("TIME_WAIT*/CLOSED*", "0/11/11") + 7 gaps of 2 = 85.
      expect(table.headers).toEqual(['id', 'client', 'server', 'packets', 'time', 'final c/s', 'e/w/i']);
      const doc = await jsonReport(files);
      expect(table.rows.map((r) => [r.cells.packets, r.cells.time])).toEqual(
        doc.connections.map((c) => [formatCount(c.packets.client + c.packets.server), formatDuration(c.end - c.start)]),
      );
      expect(table.rows.find((r) => r.section === 'fixtures/anomalies/loss-switch.pcap')?.cells).toMatchObject({
        packets: '429',
        time: '0.65s',
        'final c/s': 'TIME_WAIT/CLOSED',
        'e/w/i': '0/7/42',
      });
      for (const line of lines) expect(codePoints(line), line).toBeLessThanOrEqual(80);
    },
  );

  it('at 80 columns a capture with few anomalies shows packets, bytes and duration too', async () => {
    const table = parseTable((await summary([MULTI], 80)).split('\n'));
    expect(table.headers).toEqual(['id', 'client', 'server', 'pkts', 'bytes', 'time', 'final c/s', 'e/w/i']);
    expect(table.rows[0]?.cells).toMatchObject({
      pkts: '11',
      bytes: '138 B',
      time: '0.90s',
      'final c/s': 'CLOSED/CLOSED',
      'e/w/i': '0/0/0',
    });
  });

  it('IPv6 endpoints keep the address whole and put the port on its own line when narrow', async () => {
    const lines = (await summary([IPV6], 52)).split('\n');
    const row = lines.findIndex((l) => l.includes('[fd00:99::1]'));
    expect(row).toBeGreaterThan(0);
    expect(lines[row + 1]).toMatch(/^\s+:40007\s+:8080\b/);
    for (const line of lines) expect(codePoints(line)).toBeLessThanOrEqual(52);
  });
});

describe('--summary colour', () => {
  it('NO_COLOR: no escape code at all, even where cli-table3 would colour on its own (FORCE_COLOR set)', async () => {
    expect(await summary(ALL, 80)).not.toMatch(ANY_ESCAPE);
    const r = await cli(['--summary', ...ALL], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(ANY_ESCAPE);
  });

  it(
    'FORCE_COLOR=1: our colours only (bold header, severity counts), ' + 'no cli-table3 head or border colour',
    async () => {
      const out = await summary(ALL, 80, { NO_COLOR: '', FORCE_COLOR: '1' });
      expect(out).toContain('\u001b[1mid\u001b[22m');
      expect(out).toMatch(new RegExp(String.raw`${ESC}\[33m\d+${ESC}\[39m`)); // warnings in yellow
      expect(out).toMatch(new RegExp(String.raw`${ESC}\[34m\d+${ESC}\[39m`)); // info in blue
      // "0/7": zero and slash dim, 7 warnings yellow
      expect(out).toMatch(new RegExp(String.raw`${ESC}\[2m0${ESC}\[22m${ESC}\[2m\/${ESC}\[22m${ESC}\[33m7${ESC}\[39m`));
      // cli-table3's red head and grey border
      expect(out).not.toMatch(new RegExp(String.raw`${ESC}\[(31|90)m(id|─| )`));
      const plain = stripSgr(out);
      expect(plain).toBe(await summary(ALL, 80));
    },
  );

  it('--no-color wins over FORCE_COLOR', async () => {
    const r = await cli(['--summary', '--no-color', MULTI], { NO_COLOR: '', FORCE_COLOR: '3' });
    expect(r.stdout).not.toMatch(ANY_ESCAPE);
  });
});

describe('--summary on the command line', () => {
  it('with --format json or ndjson is a usage error: one line on stderr, exit 2', async () => {
    for (const format of ['json', 'ndjson']) {
      const r = await cli(['--summary', '--format', format, MULTI]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--summary');
    }
  });

  it('replaces the timelines', async () => {
    const out = await summary([MULTI], 80);
    expect(out).not.toContain('Connection 1');
    expect(out).not.toContain('SYN_SENT');
  });

  it('--help shows an example', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/\$ tcptrace-explain --summary /);
  });
});

/** A connection's events as the tracker would send them, with `anomalies` of the given severities. */

/** A kind of each severity, for events made by hand. */
const KIND_OF_SEVERITY: Record<Severity, AnomalyKind> = {
  info: 'duplicate-ack',
  warning: 'out-of-order',
  error: 'bad-flags',
};

function connectionEvents(conn: number, client: string, server: string, anomalies: Severity[]): TrackerEvent[] {
  const endpoint = (addr: string, port: number) => ({ addr, port });
  return [
    {
      type: 'connection',
      conn,
      client: endpoint(client, 40000 + conn),
      server: endpoint(server, 443),
      rolesGuessed: false,
      rolesReason: 'SYN',
      frame: conn,
      time: conn,
    },
    {
      type: 'transition',
      conn,
      side: 'client',
      from: 'CLOSED',
      to: 'SYN_SENT',
      frame: conn,
      time: conn,
      reason: 'sent SYN',
      step: 'syn-sent',
      evidence: {},
    },
    ...anomalies.map((severity, k): TrackerEvent => ({
      type: 'anomaly',
      conn,
      side: 'client',
      kind: KIND_OF_SEVERITY[severity],
      severity,
      frame: conn + k,
      time: conn,
      message: 'm',
      evidence: {},
    })),
    {
      type: 'end',
      conn,
      final: { client: 'TIME_WAIT', server: 'CLOSED' },
      assumed: false,
      start: conn,
      end: conn + 1.5,
      packets: { client: 1200 * conn, server: 900 },
      bytes: { client: 5000, server: 1_500_000 * conn },
    },
  ];
}

/** The reporter's output for inputs named input-0.pcap, input-1.pcap… holding these events. */
function render(inputs: TrackerEvent[][], width: number): string {
  let out = '';
  const reporter = new SummaryReporter(
    (t) => {
      out += t;
    },
    { chalk: new Chalk({ level: 0 }), width },
  );
  inputs.forEach((events, i) => {
    reporter.beginInput(`input-${i}.pcap`);
    for (const e of events) reporter.event(e);
    reporter.endInput({ name: `input-${i}.pcap`, format: 'pcap', stats: undefined, connections: 0 });
  });
  reporter.finish();
  return out;
}

describe('SummaryReporter', () => {
  const v6Client = '2001:db8:85a3:1234:5678:8a2e:370:7334';
  const v6Server = '2001:db8:ffff:ffff:0:0:abcd:1';
  // Ended in reverse order: the table still lists them by id.
  const many = Array.from({ length: 60 }, (_, i) => 60 - i).flatMap((conn) =>
    connectionEvents(conn, v6Client, v6Server, conn % 7 === 0 ? ['error', 'warning'] : []),
  );

  for (const width of [60, 80, 200]) {
    it(
      `60 connections with long IPv6 addresses at ${width} columns: ` + 'every row, in id order, within the width',
      () => {
        const lines = render([many], width).split('\n');
        for (const line of lines) expect(codePoints(line), line).toBeLessThanOrEqual(width);
        const table = parseTable(lines);
        expect(table.rows.map((r) => Number(r.cells.id))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        const anomalies = anomaliesHeader(table.headers) ?? '';
        expect(table.rows.filter((r) => r.cells[anomalies] === '1/1/0')).toHaveLength(8);
        expect(table.rows.filter((r) => r.cells[anomalies] === '0/0/0')).toHaveLength(52);
        expect(lines.join('\n')).toContain('Total: 60 connections');
      },
    );
  }

  it('cuts long IPv6 addresses in the middle before dropping columns, and keeps both ends', () => {
    const lines = render([many], 100).split('\n');
    const table = parseTable(lines);
    const client = table.rows[0]!.cells.client!;
    expect(client).toContain('…');
    expect(client.startsWith('[2001:db8')).toBe(true);
    expect(client.endsWith(':7334]:40001')).toBe(true);
    expect(render([many], 200)).toContain(`[${v6Client}]:40001`);
  });

  it('several inputs: one table, each input named once above its rows; ids restart per input', () => {
    const one = connectionEvents(1, '10.0.0.1', '10.0.0.2', ['info']);
    const out = render([one, one, one], 80);
    const table = parseTable(out.split('\n'));
    expect(table.rows.map((r) => `${r.section}#${r.cells.id}`)).toEqual([
      'input-0.pcap#1',
      'input-1.pcap#1',
      'input-2.pcap#1',
    ]);
    expect(out).toContain('Total: 3 connections in 3 inputs');
  });

  it('an input without connections says so; no connections at all is one sentence', () => {
    expect(render([[]], 80)).toBe(
      'No TCP connections.\n\nTotal: 0 connections, 0 TCP packets, 0 anomalies (0 errors, 0 warnings, 0 info)\n',
    );
    const lines = render([[], connectionEvents(1, '10.0.0.1', '10.0.0.2', [])], 80).split('\n');
    expect(lines).toContain('input-0.pcap: no TCP connections');
    expect(parseTable(lines).rows.map((r) => r.section)).toEqual(['input-1.pcap']);
    expect(lines).toContain('No anomalies.');
  });

  it('keeps one small row per connection, whatever the number of anomalies', () => {
    const sizeWith = (anomalies: number): number => {
      const tally = new SummaryTally();
      tally.beginInput();
      for (const e of connectionEvents(
        1,
        '10.0.0.1',
        '10.0.0.2',
        Array.from({ length: anomalies }, () => 'info'),
      ))
        tally.event(e);
      tally.endInput();
      return JSON.stringify([tally.rows, tally.kindRows()]).length;
    };
    expect(sizeWith(10_000) - sizeWith(10)).toBeLessThanOrEqual(6); // only the digits of the counts grow
  });
});
