import { join } from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { AnomalyEvent, ConnectionEvent, EndEvent, AnomalyKind } from '../../src/events.js';
import { AnomalyFolder, LINES_PER_KIND } from '../../src/report/anomaly-fold.js';
import { TextReporter, type TextOptions } from '../../src/report/text.js';
import { analyse } from '../helpers/analyse.js';
import { toCodePoints } from '../helpers/terminal.js';
import { renderText } from './render.js';

const root = new URL('../../', import.meta.url).pathname;
const fixture = (name: string): string => join(root, 'fixtures', name);

/** Lines of the teaching notes section, if any. */
function notesOf(text: string): string[] {
  const at = text.indexOf('Notes: the TCP behind this report');
  return at < 0 ? [] : text.slice(at).split('\n');
}

describe('anomaly folding', () => {
  const anomaly = (kind: AnomalyKind, frame: number): AnomalyEvent => ({
    type: 'anomaly',
    conn: 1,
    side: 'client',
    kind,
    severity: 'info',
    frame,
    time: frame,
    message: `${kind} at ${frame}`,
    evidence: { ack: 7 },
  });

  it('explains the first of a kind, lists the next ones, then counts the rest; the counts add up', () => {
    const folder = new AnomalyFolder();
    const kinds = Array.from({ length: 28 }, (_, i) => (i % 9 === 4 ? 'zero-window' : 'duplicate-ack'));
    const placed = kinds.map((kind, i) => ({ kind, p: folder.place(anomaly(kind, 100 + i)) }));
    const dup = placed.filter((x) => x.kind === 'duplicate-ack');
    expect(dup.filter((x) => x.p.as === 'explained')).toHaveLength(1);
    expect(dup.filter((x) => x.p.as === 'repeat')).toHaveLength(LINES_PER_KIND - 1);
    const folded = dup.filter((x) => x.p.as === 'folded');
    expect(folded.filter((x) => x.p.as === 'folded' && x.p.opens)).toHaveLength(1);
    const runs = folder.folded();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ kind: 'duplicate-ack', count: dup.length - LINES_PER_KIND });
    expect(1 + (LINES_PER_KIND - 1) + runs[0]!.count).toBe(dup.length);
    // The other kind, below the limit, is never folded.
    expect(placed.filter((x) => x.kind === 'zero-window').map((x) => x.p.as)).toEqual([
      'explained',
      'repeat',
      'repeat',
    ]);
  });

  it('in the report, shown lines plus the folded count equal the anomalies of each kind', async () => {
    const text = await renderText([fixture('anomalies/loss-switch.pcap')]);
    const { connections } = await analyse(fixture('anomalies/loss-switch.pcap'));
    for (const kind of ['duplicate-ack', 'window-update']) {
      const total = connections[0]!.anomalies.filter((a) => a.kind === kind).length;
      expect(total).toBeGreaterThan(LINES_PER_KIND);
      const shown = text.split('\n').filter((l) => new RegExp(`#\\d+ +client +INFO ${kind}\\b`).test(l)).length;
      const fold = new RegExp(`… (\\d+) more ${kind}, frames (\\d+)–(\\d+)`).exec(text);
      expect(shown).toBe(LINES_PER_KIND);
      expect(fold).not.toBeNull();
      expect(shown + Number(fold![1])).toBe(total);
      const frames = connections[0]!.anomalies
        .filter((a) => a.kind === kind)
        .map((a) => a.frame)
        .sort((x, y) => x - y);
      expect([Number(fold![2]), Number(fold![3])]).toEqual([frames[LINES_PER_KIND], frames.at(-1)]);
    }
  });

  it('live: folding is announced when it starts and counted at the end of the connection', async () => {
    const text = await renderText([fixture('anomalies/loss-switch.pcap')], { live: true });
    expect(text).toMatch(/\[1\] +… more duplicate-ack from frame 227 on are counted, not listed/);
    expect(text).toContain('[1]   not listed one by one: 9 window-update, 13 duplicate-ack');
    expect(text.indexOf('not listed one by one')).toBeLessThan(text.indexOf('final: client TIME_WAIT'));
  });
});

describe('causes and what to check', () => {
  /** Two connections with a dozen duplicate ACKs each, fed to the reporter directly. */
  function twoConnections(opts: Partial<TextOptions> = {}): string {
    let out = '';
    const r = new TextReporter(
      (t) => {
        out += t;
      },
      { chalk: new Chalk({ level: 0 }), live: false, quiet: false, explain: false, width: 80, mslSeconds: 30, ...opts },
    );
    r.beginInput('synthetic');
    for (const conn of [1, 2]) {
      const opened: ConnectionEvent = {
        type: 'connection',
        conn,
        client: { addr: '10.0.0.1', port: 40000 + conn },
        server: { addr: '10.0.0.2', port: 80 },
        rolesGuessed: false,
        rolesReason: 'the client sent the first SYN',
        frame: conn,
        time: 0,
      };
      r.event(opened);
      for (let i = 0; i < 12; i++) {
        r.event({
          type: 'anomaly',
          conn,
          side: 'client',
          kind: 'duplicate-ack',
          severity: 'info',
          frame: 10 + i,
          time: i / 1000,
          message: `duplicate ACK #${i + 1} of 5000: the receiver is still waiting for seq 5000`,
          evidence: { ack: 5000, count: i + 1 },
        });
      }
      const ended: EndEvent = {
        type: 'end',
        conn,
        final: { client: 'ESTABLISHED', server: 'ESTABLISHED' },
        assumed: false,
        start: 0,
        end: 1,
        packets: { client: 12, server: 1 },
        bytes: { client: 0, server: 1448 },
      };
      r.event(ended);
    }
    r.finish();
    return out;
  }

  it('are shown once per kind per connection, then each repeat is one line with its numbers', () => {
    const text = twoConnections();
    expect(text.match(/^ +likely: A segment was lost/gm)).toHaveLength(2);
    expect(text.match(/^ +or: Segments were reordered/gm)).toHaveLength(2);
    expect(text.match(/^ +check: Does a `fast-retransmission`/gm)).toHaveLength(2);
    expect(text.match(/INFO duplicate-ack: ack 5000, repeat \d+$/gm)).toHaveLength(2 * (LINES_PER_KIND - 1));
    expect(text.match(/… 2 more duplicate-ack, frames 20–21/g)).toHaveLength(2);
  });

  it('-q: one whole line per anomaly (never folded, no causes) and one per connection with its final states', () => {
    const lines = twoConnections({ quiet: true }).trim().split('\n');
    expect(lines).toHaveLength(2 * 12 + 2);
    expect(
      lines.filter((l) =>
        /^\[[12]\] \+\d+\.\d{6} #\d+ client INFO duplicate-ack: duplicate ACK #\d+ of 5000: .+$/.test(l),
      ),
    ).toHaveLength(24);
    expect(
      lines.filter((l) =>
        /^\[[12]\] client 10\.0\.0\.1:4000[12] → server 10\.0\.0\.2:80 {2}final: client ESTABLISHED, server ESTABLISHED$/.test(
          l,
        ),
      ),
    ).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/likely:|check:|more duplicate-ack/);
  });

  it('a hole says the cause the tracker found, not the generic ranking', async () => {
    const text = await renderText([fixture('anomalies/loss-switch.pcap')]);
    // Frame 86's hole was filled by a resend (frame 124: its IPv4 ID is newer than frame 86's):
    // a loss before the capture point, not reordering and not capture loss.
    const block = text.slice(text.indexOf('#86 '), text.indexOf('#87 '));
    expect(block).toContain('likely: Real loss before the capture point');
    expect(block).not.toContain('Reordering');
    expect(block).not.toContain('The capture dropped packets');
  });
});

describe('timeline order', () => {
  it('sorts by frame, the transitions of a frame before its anomalies', async () => {
    const refused = await renderText([fixture('refused.pcap')]);
    expect(refused.indexOf('#2      client  SYN_SENT    → CLOSED')).toBeGreaterThan(0);
    expect(refused.indexOf('#2      client  SYN_SENT    → CLOSED')).toBeLessThan(
      refused.indexOf('#2      server  WARNING connection-refused'),
    );
    // The hole of frame 86 is reported by the tracker only when frame 124 fills it, yet it is shown at 86.
    const loss = await renderText([fixture('anomalies/loss-switch.pcap')]);
    expect(loss.indexOf('#86 ')).toBeLessThan(loss.indexOf('#87 '));
    const frames = [...loss.matchAll(/^ +\+\d+\.\d+ +#(\d+) /gm)].map((m) => Number(m[1]));
    expect(frames).toEqual([...frames].sort((x, y) => x - y));
  });

  it("says when a side keeps sending after the peer's FIN (half-close), with what it sent", async () => {
    const text = await renderText([fixture('half-close.pcap')]);
    expect(text).toMatch(
      /#8 +server +data in CLOSE_WAIT\n +half-close: the server keeps sending after the client's FIN:\n? *3 segments, 123 B of data \(frames 8–12\)/,
    );
    expect(await renderText([fixture('http-client-close.pcap')])).not.toContain('data in CLOSE_WAIT');
  });
});

describe('--explain', () => {
  it('is off by default', async () => {
    expect(notesOf(await renderText([fixture('http-client-close.pcap')]))).toEqual([]);
  });

  it('a refused connection: the refusal and the SYN, no TIME_WAIT, no close, no reset note', async () => {
    const notes = notesOf(await renderText([fixture('refused.pcap')], { explain: true })).join('\n');
    expect(notes).toContain('Connection refused (RFC 9293 §3.5.2');
    expect(notes).toContain('SYN and FIN each take one sequence number');
    expect(notes).toContain('connection-refused: The SYN was answered with a RST');
    expect(notes).not.toContain('TIME_WAIT lasts');
    expect(notes).not.toContain('Why closing takes four segments');
    expect(notes).not.toContain('Resets and the exact sequence number');
    expect(notes).not.toContain('CLOSING');
  });

  it('a clean four-segment close: handshake, close and TIME_WAIT with the MSL used; no anomaly entries', async () => {
    const notes = notesOf(
      await renderText([fixture('http-client-close.pcap')], { explain: true, mslSeconds: 10 }),
    ).join('\n');
    expect(notes).toContain('The three-way handshake (RFC 9293 §3.5');
    expect(notes).toContain('Why closing takes four segments (RFC 9293 §3.6)');
    expect(notes).not.toContain('three segments');
    expect(notes).toMatch(/Why TIME_WAIT lasts 2×MSL[^]*an MSL of 10 s \(--msl\), so\s+TIME_WAIT lasts 20 s here/);
    expect(notes).not.toContain('Likely causes');
    expect(notes).not.toContain('Connection refused');
    expect(notes).not.toContain('Half-close');
  });

  it('the three-segment close, the half-close, the reset and the mid-stream pickup each bring their note', async () => {
    const threeWay = notesOf(await renderText([fixture('http-three-way-close.pcap')], { explain: true })).join('\n');
    expect(threeWay).toMatch(/FIN\+ACK\) and the close took\s+three segments/);
    expect(threeWay).toContain('(RFC 9293 §3.6, §3.10.7.4)');
    expect(notesOf(await renderText([fixture('half-close.pcap')], { explain: true })).join('\n')).toContain(
      'Half-close: data after a FIN (RFC 9293 §3.6.1)',
    );
    const reset = notesOf(await renderText([fixture('rst-abort.pcap')], { explain: true })).join('\n');
    expect(reset).toContain('Resets and the exact sequence number (RFC 9293 §3.5.2, §3.5.3; RFC 5961 §3.2)');
    expect(reset).not.toContain('TIME_WAIT lasts');
    expect(notesOf(await renderText([fixture('anomalies/midstream.pcap')], { explain: true })).join('\n')).toContain(
      'A capture that starts in the middle of a connection',
    );
  });

  it(
    'each anomaly kind seen gets its full catalogue entry: ' + 'meaning, every cause, every check, references',
    async () => {
      const notes = notesOf(await renderText([fixture('anomalies/loss-switch.pcap')], { explain: true })).join('\n');
      for (const kind of [
        'previous-segment-not-captured',
        'window-update',
        'retransmission',
        'fast-retransmission',
        'duplicate-ack',
      ]) {
        expect(notes.match(new RegExp(`^${kind}: `, 'gm'))).toHaveLength(1);
      }
      expect(notes).toMatch(/^ {4}4\. Reordering: an `out-of-order` segment fills it moments later\.$/m);
      expect(notes).toMatch(/^ {4}- SPAN\/mirror port utilisation/m);
      expect(notes).toMatch(/^ {2}References: RFC 5681 §2, §3\.2; RFC 2018/m);
      expect(notes).not.toContain('keep-alive');
    },
  );

  it('comes once per report, after every input', async () => {
    const text = await renderText([fixture('http-client-close.pcap'), fixture('half-close.pcap')], { explain: true });
    expect(text.match(/Why TIME_WAIT lasts/g)).toHaveLength(1);
    expect(text.indexOf('Notes: the TCP behind this report')).toBeGreaterThan(
      text.lastIndexOf('half-close.pcap: pcap'),
    );
  });

  it('wraps every line of the notes to the width', async () => {
    for (const width of [50, 72, 100]) {
      const notes = notesOf(
        await renderText([fixture('anomalies/loss-switch.pcap'), fixture('half-close.pcap')], { explain: true, width }),
      );
      expect(notes.length).toBeGreaterThan(50);
      const longest = Math.max(...notes.map((l) => toCodePoints(l).length));
      expect(longest).toBeLessThanOrEqual(width);
      expect(longest).toBeGreaterThan(width - 10);
    }
  });
});
