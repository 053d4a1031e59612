import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type {
  AnomalyEvent,
  ConnectionEvent,
  EndEvent,
  SegmentEvent,
  Side,
  TrackerEvent,
  TransitionEvent,
  AnomalyKind,
} from '../../src/events.js';
import { analyseInput } from '../../src/pipeline.js';
import { ACK, FIN, PSH, SYN } from '../../src/segment.js';
import { LadderConnection, type LadderConnectionRecord } from '../../src/report/ladder-connection.js';
import { LadderReporter } from '../../src/report/ladder.js';
import { columns } from '../../src/report/text-fit.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { ANSI_CODE, stripSgr, toCodePoints } from '../helpers/terminal.js';

/** The command, in-process, from the repository root so the input names in the output are relative. */
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });

/** Every capture in fixtures/ and fixtures/anomalies/, relative to the repository root. */
const captures = ['fixtures', 'fixtures/anomalies']
  .flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => /\.(pcap|pcapng)$/.test(f))
      .map((f) => `${dir}/${f}`),
  )
  .sort();

const ARROW = /│[─]*◀|▶│/u;
const FOLD = /^ *… ([\d,]+) segments?\b/u;

/** The blocks of one ladder output, one per connection (heading to footer). */
function connectionBlocks(stdout: string): string[][] {
  return stdout
    .split('\n\n')
    .map((b) => b.split('\n'))
    .filter((lines) => lines[0]?.startsWith('Connection '));
}

describe('--ladder golden outputs', () => {
  const cases = [
    'fixtures/http-client-close.pcap',
    'fixtures/http-three-way-close.pcap',
    'fixtures/refused.pcap',
    'fixtures/rst-abort.pcap',
    'fixtures/multi.pcap',
    'fixtures/anomalies/loss-switch.pcap',
    'fixtures/anomalies/zero-window.pcap',
  ];
  for (const file of cases) {
    it(file, async () => {
      const r = await cli(['--ladder', file]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const name = `${file.split('/').pop()}.ladder.txt`;
      expectGolden(name, r.stdout);
    });
  }
});

describe('--ladder drawing', () => {
  it(
    'draws the handshake and the close like the textbook figure: ' + 'states beside their lines, one arrow per segment',
    async () => {
      const lines = (await cli(['--ladder', 'fixtures/http-client-close.pcap'])).stdout.split('\n');
      expect(lines[0]).toBe('Connection 1: client 10.99.0.1:40001 → server 10.99.0.2:8080');
      expect(lines).toContain("  seq and ack relative to each side's ISN: client 1446066274, server 1108096280");
      expect(lines.find((l) => l.includes('CLOSED │'))).toMatch(/^ +CLOSED │ +│ LISTEN$/u);
      expect(lines.find((l) => /^ +1 /.test(l))).toMatch(/^ +1 \+0\.000000 +SYN_SENT │─+SYN seq=0 len=0─+▶│$/u);
      expect(lines.find((l) => /^ +2 /.test(l))).toMatch(/│◀─+SYN,ACK seq=0 ack=1 len=0─+│ SYN_RCVD$/u);
      expect(lines.find((l) => /^ +3 /.test(l))).toMatch(/ESTABLISHED │─+ACK seq=1 ack=1 len=0─+▶│ ESTABLISHED$/u);
      expect(lines.find((l) => /^ +8 /.test(l))).toMatch(/FIN_WAIT_1 │─+FIN,ACK seq=43 ack=97 len=0─+▶│ CLOSE_WAIT$/u);
      expect(lines.find((l) => /^ +11 /.test(l))).toMatch(/│─+ACK seq=44 ack=98 len=0─+▶│ CLOSED$/u);
    },
  );

  it('every line fits in 80 columns on every fixture, folded and with --full', async () => {
    expect(captures.length).toBeGreaterThanOrEqual(20);
    for (const file of captures) {
      for (const args of [['--ladder'], ['--ladder', '--full']]) {
        const r = await cli([...args, file]);
        expect(r.status, file).toBe(0);
        const wide = r.stdout.split('\n').filter((l) => columns(l) > 80);
        expect(wide, `${args.join(' ')} ${file}`).toEqual([]);
      }
    }
  });

  it('--full draws exactly one arrow per TCP segment, in frame order', async () => {
    for (const file of captures) {
      const json = (await cli(['--format', 'json', file])).stdout;
      const segments = (JSON.parse(json) as { inputs: { tcpSegments: number }[] }).inputs[0]!.tcpSegments;
      const out = (await cli(['--ladder', '--full', file])).stdout;
      expect(out, file).not.toMatch(FOLD);
      let arrows = 0;
      for (const block of connectionBlocks(out)) {
        const frames = block.filter((l) => ARROW.test(l)).map((l) => Number(l.trim().split(' ')[0]));
        expect(frames, file).toEqual([...frames].sort((a, b) => a - b));
        arrows += frames.length;
      }
      expect(arrows, file).toBe(segments);
    }
  });

  it('folds long runs, and the folded counts add up to every segment of the connection', async () => {
    let folds = 0;
    for (const file of captures) {
      for (const block of connectionBlocks((await cli(['--ladder', file])).stdout)) {
        const arrows = block.filter((l) => ARROW.test(l)).length;
        const folded = block
          .map((l) => FOLD.exec(l))
          .reduce((n, m) => n + (m === null ? 0 : Number(m[1]!.replace(/,/g, ''))), 0);
        folds += block.filter((l) => FOLD.test(l)).length;
        const total = /^ {2}([\d,]+) segments? in /u.exec(block.find((l) => / segments? in /.test(l)) ?? '');
        expect(total, file).not.toBeNull();
        expect(arrows + folded, file).toBe(Number(total![1]!.replace(/,/g, '')));
      }
    }
    expect(folds).toBeGreaterThan(5);
  });

  it('a noisy run is folded with its anomalies counted by kind', async () => {
    const out = (await cli(['--ladder', 'fixtures/anomalies/loss-switch.pcap'])).stdout;
    expect(out).toMatch(/… 35 segments, 24\.6 kB server→client: 18 window-update …/u);
    expect(out).toMatch(/… 21 segments, 14\.5 kB server→client: 10 duplicate-ack, 1 fast-retransmission …/u);
  });

  it('colour codes do not move anything: the coloured output without its codes is the plain output', async () => {
    const plain = (await cli(['--ladder', 'fixtures/anomalies/rst-in-window.pcap'])).stdout;
    const coloured = (
      await cli(['--ladder', 'fixtures/anomalies/rst-in-window.pcap'], {
        NO_COLOR: '',
        FORCE_COLOR: '1',
      })
    ).stdout;
    expect(coloured).toMatch(ANSI_CODE);
    expect(stripSgr(coloured)).toBe(plain);
  });

  it('draws in ASCII when the locale is not UTF-8 or TERM=dumb', async () => {
    const envs: Record<string, string>[] = [
      { LANG: 'C' },
      { LC_ALL: 'en_US.ISO-8859-1', LANG: 'en_US.UTF-8' },
      { TERM: 'dumb' },
    ];
    for (const env of envs) {
      const out = (await cli(['--ladder', 'fixtures/anomalies/loss-switch.pcap'], env)).stdout;
      expect(out, JSON.stringify(env)).toMatch(/^ +1 \+0\.000000 +SYN_SENT \|-+SYN seq=0 len=0-+>\|$/m);
      expect(out).toMatch(/^ +\.\.\. 80 segments, 57\.9 kB server->client \.\.\.$/m);
      expect(toCodePoints(out).filter((ch) => ch.codePointAt(0)! > 0x7f)).toEqual([]);
    }
    expect((await cli(['--ladder', 'fixtures/refused.pcap'], { LANG: 'en_US.UTF-8' })).stdout).toContain('│◀─');
  });

  it('--ladder is text only, --full and --quiet need it or clash with it: one line on stderr, exit 2', async () => {
    for (const args of [
      ['--ladder', '--format', 'json'],
      ['--ladder', '-f', 'ndjson'],
      ['--full'],
      ['--ladder', '-q'],
    ]) {
      const r = await cli([...args, 'fixtures/refused.pcap']);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^tcptrace-explain: --(ladder|full|quiet) /);
    }
  });

  it('--help shows a ladder example', async () => {
    const r = await cli(['--help']);
    expect(r.stdout).toMatch(/\$ tcptrace-explain --ladder capture\.pcap/);
    expect(r.stdout).toMatch(/--full +with --ladder: draw every segment/);
  });
});

/** Runs a capture in-process and builds every connection's ladder record, keeping the events too. */
async function ladderRecords(
  file: string,
  full = false,
): Promise<{ records: LadderConnectionRecord[]; events: TrackerEvent[] }> {
  const open = new Map<number, LadderConnection>();
  const records: LadderConnectionRecord[] = [];
  const events: TrackerEvent[] = [];
  await analyseInput(
    file,
    createReadStream(join(ROOT, file)),
    { mslSeconds: 30, inputFormat: 'auto' },
    {
      event: (e) => {
        events.push(e);
        if (e.type === 'connection') open.set(e.conn, new LadderConnection(e, full));
        else if (e.type === 'end') records.push(open.get(e.conn)!.end(e));
        else open.get(e.conn)!.event(e);
      },
      segment: (e) => {
        open.get(e.conn)!.segment(e);
      },
      warning: () => undefined,
    },
  );
  return { records, events };
}

describe('ladder records', () => {
  it('every transition is drawn and every anomaly is drawn or counted in a fold, on every fixture', async () => {
    for (const file of captures) {
      const { records, events } = await ladderRecords(file);
      const shown = new Set<TrackerEvent>();
      const foldedKinds = new Map<string, number>();
      for (const rec of records) {
        for (const row of rec.rows) {
          if (row.type === 'fold') for (const [k, n] of row.kinds) foldedKinds.set(k, (foldedKinds.get(k) ?? 0) + n);
          else
            for (const e of [...row.transitions, ...row.anomalies, ...(row.type === 'arrow' ? row.late : [])])
              shown.add(e);
        }
      }
      const transitions = events.filter((e) => e.type === 'transition');
      expect(
        transitions.filter((e) => !shown.has(e)),
        file,
      ).toEqual([]);
      const hidden = new Map<string, number>();
      for (const e of events)
        if (e.type === 'anomaly' && !shown.has(e)) hidden.set(e.kind, (hidden.get(e.kind) ?? 0) + 1);
      expect(hidden, file).toEqual(foldedKinds);
    }
  });

  it('folded bytes and drawn bytes add up to what each side sent', async () => {
    for (const file of [
      'fixtures/anomalies/loss-switch.pcap',
      'fixtures/anomalies/zero-window.pcap',
      'fixtures/half-close.pcap',
    ]) {
      const { records } = await ladderRecords(file);
      for (const rec of records) {
        const bytes = { client: 0, server: 0 };
        for (const row of rec.rows) {
          if (row.type === 'arrow') bytes[row.arrow.side] += row.arrow.len;
          if (row.type === 'fold') {
            bytes.client += row.bytes.client;
            bytes.server += row.bytes.server;
          }
        }
        expect(bytes, file).toEqual(rec.ended.bytes);
      }
    }
  });

  it("numbers are relative to each side's ISN; without a SYN the first seq is 1, as in Wireshark", async () => {
    const [handshake] = (await ladderRecords('fixtures/http-client-close.pcap')).records;
    expect(handshake!.bases).toEqual({
      client: { base: 1446066274, fromSyn: true },
      server: { base: 1108096280, fromSyn: true },
    });
    const [midstream] = (await ladderRecords('fixtures/anomalies/midstream.pcap')).records;
    const first = midstream!.rows[0];
    expect(first?.type === 'arrow' && first.arrow).toMatchObject({ frame: 1, seq: 1, ack: 1, len: 42 });
    expect(midstream!.bases.client).toEqual({ base: 1405568786, fromSyn: false });
  });
});

/** A connection fed by hand: segments and events in the order the pipeline hands them over. */
class HandFed {
  readonly output: string[] = [];
  readonly reporter: LadderReporter;
  private readonly opened: ConnectionEvent;
  private isn: Record<Side, number> = { client: 1000, server: 5000 };
  private sent: Record<Side, number> = { client: 0, server: 0 };
  private frames: Record<Side, number> = { client: 0, server: 0 };

  constructor(width = 80, full = false) {
    this.reporter = new LadderReporter((t) => this.output.push(t), { chalk: new Chalk({ level: 0 }), full, width });
    this.opened = {
      type: 'connection',
      conn: 7,
      client: { addr: '192.0.2.1', port: 50000 },
      server: { addr: '192.0.2.2', port: 80 },
      rolesGuessed: false,
      rolesReason: 'the client sent the first SYN',
      frame: 1,
      time: 100,
    };
    this.reporter.beginInput('hand');
    this.reporter.event(this.opened);
  }

  segment(frame: number, side: Side, flags: number, len = 0): void {
    const peer: Side = side === 'client' ? 'server' : 'client';
    const e: SegmentEvent = {
      type: 'segment',
      conn: 7,
      side,
      frame,
      time: 100 + frame / 1000,
      flags,
      seq: this.isn[side] + this.sent[side],
      ack: this.isn[peer] + this.sent[peer],
      len,
      win: 1000,
    };
    this.sent[side] += len + ((flags & (SYN | FIN)) !== 0 ? 1 : 0);
    this.frames[side]++;
    this.reporter.segment(e);
  }

  transition(
    frame: number,
    side: Side,
    from: TransitionEvent['from'],
    to: TransitionEvent['to'],
    reason: string,
    inferred = false,
  ): void {
    // The ladder draws states, not steps: any step id will do here.
    this.reporter.event({
      type: 'transition',
      conn: 7,
      side,
      from,
      to,
      frame,
      time: 100 + frame / 1000,
      reason,
      step: 'syn-sent',
      evidence: {},
      ...(inferred ? { inferred } : {}),
    });
  }

  anomaly(frame: number, side: Side, kind: AnomalyKind, message: string): void {
    const e: AnomalyEvent = {
      type: 'anomaly',
      conn: 7,
      side,
      kind,
      severity: 'warning',
      frame,
      time: 100 + frame / 1000,
      message,
      evidence: {},
    };
    this.reporter.event(e);
  }

  end(final: EndEvent['final']): string[] {
    this.reporter.event({
      type: 'end',
      conn: 7,
      final,
      assumed: false,
      start: 100,
      end: 101,
      packets: { ...this.frames },
      bytes: { client: this.sent.client, server: this.sent.server },
    });
    return this.output.join('').split('\n');
  }

  handshake(): void {
    this.segment(1, 'client', SYN);
    this.transition(1, 'client', 'CLOSED', 'SYN_SENT', 'sent SYN');
    this.segment(2, 'server', SYN | ACK);
    this.transition(2, 'server', 'LISTEN', 'SYN_RCVD', 'answered the SYN');
    this.segment(3, 'client', ACK);
    this.transition(3, 'client', 'SYN_SENT', 'ESTABLISHED', 'acknowledged the SYN-ACK');
    this.transition(3, 'server', 'SYN_RCVD', 'ESTABLISHED', 'its SYN-ACK was acknowledged');
  }
}

const rowOf = (lines: string[], frame: number): string | undefined =>
  lines.find((l) => new RegExp(`^ *${frame} \\+`).test(l));

describe('events dated at an earlier frame', () => {
  it("a receiver's CLOSE_WAIT reported with its next segment is written beside the FIN's arrow", () => {
    const fed = new HandFed();
    fed.handshake();
    fed.segment(4, 'client', FIN | ACK);
    fed.transition(4, 'client', 'ESTABLISHED', 'FIN_WAIT_1', 'sent FIN');
    fed.segment(5, 'server', ACK);
    fed.transition(4, 'server', 'ESTABLISHED', 'CLOSE_WAIT', 'received FIN');
    fed.transition(5, 'client', 'FIN_WAIT_1', 'FIN_WAIT_2', 'its FIN was acknowledged');
    const lines = fed.end({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
    expect(rowOf(lines, 4)).toMatch(/FIN_WAIT_1 │─+FIN,ACK seq=1 ack=1 len=0─+▶│ CLOSE_WAIT$/u);
    expect(rowOf(lines, 5)).toMatch(/FIN_WAIT_2 │◀─+ACK seq=1 ack=2 len=0─+│$/u);
  });

  it(
    'a gap reported long after its segment was folded away ' + 'is noted where it became known, with its frame',
    () => {
      const fed = new HandFed();
      fed.handshake();
      for (let f = 4; f <= 30; f++) fed.segment(f, 'server', PSH | ACK, 100);
      fed.segment(31, 'server', ACK, 100);
      fed.anomaly(
        10,
        'server',
        'previous-segment-not-captured',
        '100 bytes missing before this segment: they arrive at frame 31',
      );
      fed.anomaly(31, 'server', 'out-of-order', 'arrives out of order');
      const lines = fed.end({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
      expect(rowOf(lines, 10)).toBeUndefined();
      const at31 = lines.findIndex((l) => /^ *31 \+/.test(l));
      expect(at31).toBeGreaterThan(0);
      expect(lines.slice(at31 + 1, at31 + 3)).toEqual([
        '      ⚠ out-of-order: arrives out of order',
        '      ⚠ (frame 10, server) previous-segment-not-captured: 100 bytes missing bef…',
      ]);
      expect(lines.some((l) => /^ *… 24 segments, 2\.4 kB server→client …$/u.test(l))).toBe(true);
    },
  );

  it(
    'an anomaly dated at a segment not yet drawn nor folded ' + 'goes under that segment, even when reported later',
    () => {
      const fed = new HandFed();
      fed.handshake();
      fed.segment(4, 'client', PSH | ACK, 10);
      fed.segment(5, 'server', ACK);
      fed.segment(6, 'server', ACK);
      fed.anomaly(4, 'client', 'bad-checksum', '1 of 1 checked packets from this side have a bad checksum');
      const lines = fed.end({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
      const at4 = lines.findIndex((l) => /^ *4 \+/.test(l));
      expect(lines[at4 + 1]).toMatch(/^ {6}⚠ bad-checksum: 1 of 1 checked packets/u);
    },
  );

  it(
    'a transition dated at a segment of a run that is folded later ' + 'is noted under the segment that revealed it',
    () => {
      const fed = new HandFed();
      fed.handshake();
      for (let f = 4; f <= 7; f++) fed.segment(f, 'server', PSH | ACK, 100);
      fed.transition(5, 'client', 'ESTABLISHED', 'CLOSE_WAIT', 'received FIN');
      for (let f = 8; f <= 30; f++) fed.segment(f, 'server', PSH | ACK, 100);
      const lines = fed.end({ client: 'CLOSE_WAIT', server: 'ESTABLISHED' });
      const at7 = lines.findIndex((l) => /^ *7 \+/.test(l));
      expect(lines[at7 + 1]).toMatch(/^ +CLOSE_WAIT │ \(frame 5, client\) received FIN +│$/u);
      expect(lines.filter((l) => l.includes('CLOSE_WAIT')).length).toBe(2); // the note and the footer
    },
  );

  it('a transition dated after the last segment (a TIME_WAIT timer) gets a row of its own', () => {
    const fed = new HandFed();
    fed.handshake();
    fed.transition(90, 'client', 'ESTABLISHED', 'CLOSED', '2×MSL passed', true);
    const lines = fed.end({ client: 'CLOSED', server: 'ESTABLISHED' });
    expect(rowOf(lines, 90)).toMatch(/^ +90 \+0\.090000 +CLOSED │ 2×MSL passed \(inferred\) +│$/u);
  });

  it('an anomaly reported before its segment (port reuse, at the new SYN) goes under that SYN', () => {
    const fed = new HandFed();
    fed.anomaly(1, 'client', 'port-reuse', 'a new connection on the port pair of connection 6');
    fed.handshake();
    const lines = fed.end({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    const at1 = lines.findIndex((l) => /^ *1 \+/.test(l));
    expect(lines[at1 + 1]).toMatch(/^ {6}⚠ port-reuse: a new connection on the port pair/u);
  });
});

describe('bounded drawing', () => {
  it('a long connection keeps a bounded number of rows, also with an anomaly every few segments', () => {
    const fed = new HandFed();
    fed.handshake();
    for (let f = 4; f < 100_000; f++) {
      fed.segment(f, f % 2 === 0 ? 'server' : 'client', ACK, f % 2 === 0 ? 1448 : 0);
      if (f % 7 === 0) fed.anomaly(f, f % 2 === 0 ? 'server' : 'client', 'retransmission', 'resends bytes');
    }
    const lines = fed.end({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    expect(lines.length).toBeLessThan(1500);
    const arrows = lines.filter((l) => ARROW.test(l)).length;
    const folded = lines
      .map((l) => FOLD.exec(l))
      .reduce((n, m) => n + (m === null ? 0 : Number(m[1]!.replace(/,/g, ''))), 0);
    expect(arrows + folded).toBe(99_999);
  });

  it('narrow and wide terminals: never wider than the terminal, never narrower than 60', () => {
    for (const width of [60, 72, 100, 200]) {
      const fed = new HandFed(width);
      fed.handshake();
      for (let f = 4; f < 40; f++) {
        fed.segment(f, 'server', ACK, 1448);
        if (f === 20)
          fed.anomaly(
            20,
            'server',
            'retransmission',
            'resends bytes 1–1448 that were already sent at frame 4, a long way back',
          );
      }
      const lines = fed.end({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
      expect(Math.max(...lines.map(columns))).toBeLessThanOrEqual(width);
      expect(lines.some((l) => l.includes('SYN seq=0'))).toBe(true);
      // Below about 77 columns the time column gives its room to the arrows.
      expect(
        lines.some((l) => /^ +1 \+0\.001000 /.test(l)),
        `width ${width}`,
      ).toBe(width >= 80);
      expect(
        lines.some((l) => /^ +20 (\+\S+)? +│◀─+ACK seq=\d+ /u.test(l)),
        `width ${width}`,
      ).toBe(true);
    }
  });
});
