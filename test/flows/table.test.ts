import { describe, expect, it } from 'vitest';
import type { TrackerEvent } from '../../src/events.js';
import { FlowTable } from '../../src/flows/table.js';
import { MAX_TOMBSTONES, TombstoneRing, type Tombstone } from '../../src/flows/tombstones.js';
import { finals, handshake, run, segment, transitions, type Step } from '../helpers/segments.js';

const connections = (ev: ReturnType<typeof run>) => ev.filter((e) => e.type === 'connection');

describe('flow table', () => {
  it('both directions of a connection find the same entry; other ports are other connections', () => {
    const other = { addr: '10.0.0.1', port: 40001 };
    const ev = run([
      ...handshake(1000, 5000).map((s, i) => segment(s, i + 1)),
      segment({ from: 'c', flags: 'S', seq: 7 }, 4, other),
    ]);
    expect(connections(ev).map((c) => c.client.port)).toEqual([40000, 40001]);
  });

  it('port reuse: a SYN with a new ISN after the close starts connection 2 and ends TIME_WAIT early', () => {
    const ev = run([
      ...handshake(1000, 5000),
      { from: 's', flags: 'F.', seq: 5001, ack: 1001 }, // 4
      { from: 'c', flags: 'F.', seq: 1001, ack: 5002 }, // 5
      { from: 's', flags: '.', seq: 5002, ack: 1002 }, // 6: server TIME_WAIT, client CLOSED
      ...handshake(900000, 70000).map((s) => ({ ...s })), // 7, 8, 9
    ]);
    expect(connections(ev)).toHaveLength(2);
    expect(transitions(ev, 1).at(-1)).toEqual(['server', 'TIME_WAIT', 'CLOSED', 7]);
    expect(finals(ev)).toEqual([
      { client: 'CLOSED', server: 'CLOSED' },
      { client: 'ESTABLISHED', server: 'ESTABLISHED' },
    ]);
  });

  it('a SYN retried after a refusal (same ISN, as Windows does) is the same connection, back in SYN_SENT', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: 1000 },
      { from: 's', flags: 'R.', seq: 0, ack: 1001 },
      { from: 'c', flags: 'S', seq: 1000 },
    ]);
    expect(connections(ev)).toHaveLength(1);
    expect(transitions(ev).at(-1)).toEqual(['client', 'CLOSED', 'SYN_SENT', 3]);
  });

  it('a client that gets no answer and retries with a new ISN starts a new connection', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: 1000 },
      { from: 'c', flags: 'S', seq: 2000, t: 3 },
      { from: 's', flags: 'S.', seq: 5000, ack: 2001, t: 3.001 },
    ]);
    expect(connections(ev)).toHaveLength(2);
    expect(finals(ev)).toEqual([
      { client: 'SYN_SENT', server: 'LISTEN' },
      { client: 'ESTABLISHED', server: 'SYN_RCVD' },
    ]);
  });

  it('a SYN inside a live connection does not replace it', () => {
    const ev = run([...handshake(1000, 5000), { from: 'c', flags: 'S', seq: 3333 }]);
    expect(connections(ev)).toHaveLength(1);
  });
});

describe('flow table: tombstones of retired connections', () => {
  const CI = 1000;
  const SI = 5000;
  /** Handshake at t = 0, a request, its ACK, and the client's RST at t = 1 (frames 1–6). */
  const resetAtOne: Step[] = [
    ...handshake(CI, SI),
    { from: 'c', flags: 'P.', seq: CI + 1, ack: SI + 1, len: 10 },
    { from: 's', flags: '.', seq: SI + 1, ack: CI + 11 },
    { from: 'c', flags: 'R', seq: CI + 11, t: 1 },
  ];
  const synAt = (t: number, seq = 900_000): Step => ({ from: 'c', flags: 'S', seq, t });
  const reuses = (ev: TrackerEvent[]) =>
    ev.flatMap((e) =>
      e.type === 'anomaly' && (e.kind === 'port-reuse' || e.kind === 'time-wait-reuse')
        ? [{ conn: e.conn, kind: e.kind, frame: e.frame, message: e.message }]
        : [],
    );

  it('a SYN 20 s after a RST is port-reuse, though the old connection was retired 10 s after it', () => {
    const ev = run([...resetAtOne, synAt(21)]);
    // Connection 1 ended (was retired) before connection 2 opened.
    expect(ev.findIndex((e) => e.type === 'end' && e.conn === 1)).toBeLessThan(
      ev.findIndex((e) => e.type === 'connection' && e.conn === 2),
    );
    expect(reuses(ev)).toEqual([
      {
        conn: 2,
        kind: 'port-reuse',
        frame: 7,
        message:
          'a new connection on the port pair of connection 1, which ended 20.000 s before ' +
          '(reset by the client, RST in frame 6)',
      },
    ]);
  });

  it('says how the old connection ended: refused, or closed with FINs', () => {
    const refused = run([
      { from: 'c', flags: 'S', seq: CI },
      { from: 's', flags: 'R.', seq: 0, ack: CI + 1 },
      synAt(30),
    ]);
    expect(reuses(refused)[0]!.message).toBe(
      'a new connection on the port pair of connection 1, which ended 29.998 s before ' +
        "(refused: the server's RST in frame 2 answered the SYN)",
    );
    // In the table: TIME_WAIT over (60 s), then within the 10 s linger.
    const fins = run([
      ...handshake(CI, SI),
      { from: 'c', flags: 'F.', seq: CI + 1, ack: SI + 1 },
      { from: 's', flags: 'F.', seq: SI + 1, ack: CI + 2 },
      { from: 'c', flags: '.', seq: CI + 2, ack: SI + 2 },
      synAt(65),
    ]);
    expect(reuses(fins)).toMatchObject([{ conn: 2, kind: 'port-reuse', frame: 7 }]);
    expect(reuses(fins)[0]!.message).toBe(
      'a new connection on the port pair of connection 1, which ended 64.994 s before (closed with FINs)',
    );
  });

  it("a SYN with the old connection's own ISN after retirement may be a late copy of its SYN", () => {
    expect(reuses(run([...resetAtOne, synAt(21, CI)]))[0]!.message).toContain(
      "its ISN 1000 is that of connection 1's SYN, so it may be a late copy of that SYN",
    );
  });

  it('is forgotten once 2×MSL has passed since the last packet (--msl)', () => {
    expect(reuses(run([...resetAtOne, synAt(61)]))).toHaveLength(1); // exactly 2×MSL: still kept
    expect(reuses(run([...resetAtOne, synAt(61.001)]))).toEqual([]);
    expect(reuses(run([...resetAtOne, synAt(21)], 10))).toHaveLength(1);
    expect(reuses(run([...resetAtOne, synAt(21.5)], 10))).toEqual([]);
    // Used once: the next SYN on the pair sees connection 2 in the table, not connection 1.
    const twice = run([
      ...resetAtOne,
      synAt(21),
      { from: 's', flags: 'R.', seq: 0, ack: 900_001, t: 21 },
      synAt(22, 7),
    ]);
    expect(reuses(twice).map((r) => [r.conn, r.message.slice(0, 55)])).toEqual([
      [2, 'a new connection on the port pair of connection 1, whic'],
      [3, 'a new connection on the port pair of connection 2, whic'],
    ]);
  });

  it('the cap keeps the newest: the oldest tombstone is dropped first', () => {
    const events: TrackerEvent[] = [];
    const table = new FlowTable((e) => events.push(e), { mslSeconds: 30 }, undefined, { tombstones: 2 });
    let frame = 0;
    const feed = (step: Step, client: { addr: string; port: number }): void => {
      table.segment(segment(step, ++frame, client));
    };
    const ports = [40001, 40002, 40003].map((port) => ({ addr: '10.0.0.1', port }));
    ports.forEach((c, i) => {
      feed({ from: 'c', flags: 'S', seq: CI, t: i }, c);
      feed({ from: 's', flags: 'R.', seq: 0, ack: CI + 1, t: i }, c);
    });
    feed({ from: 'c', flags: 'S', seq: 1, t: 20 }, { addr: '10.0.0.9', port: 1 }); // retires all three
    expect(table.tombstoneCount).toBe(2);
    for (const c of ports) feed({ from: 'c', flags: 'S', seq: 77, t: 21 }, c);
    table.finish();
    expect(reuses(events).map((r) => r.message.slice(0, 50))).toEqual([
      'a new connection on the port pair of connection 2,',
      'a new connection on the port pair of connection 3,',
    ]);
    expect(table.tombstoneCount).toBe(0);
  });

  it('memory stays bounded: 5,000 short connections with room for 1,000 tombstones', () => {
    const table = new FlowTable(() => undefined, { mslSeconds: 30 }, undefined, { tombstones: 1000 });
    let frame = 0;
    let most = 0;
    const client = (i: number) => ({ addr: `10.1.0.${i % 4}`, port: 1024 + Math.floor(i / 4) });
    for (let i = 0; i < 5000; i++) {
      const t = (i * 40) / 5000; // 40 s of connections, each refused at once
      table.segment(segment({ from: 'c', flags: 'S', seq: i, t }, ++frame, client(i)));
      table.segment(segment({ from: 's', flags: 'R.', seq: 0, ack: i + 1, t }, ++frame, client(i)));
      most = Math.max(most, table.tombstoneCount);
    }
    const other = { addr: '10.2.0.1', port: 1 };
    table.segment(segment({ from: 'c', flags: 'S', seq: 1, t: 55 }, ++frame, other)); // retires the rest
    expect(Math.max(most, table.tombstoneCount)).toBe(1000);
    table.segment(segment({ from: 's', flags: 'R.', seq: 0, ack: 2, t: 55 }, ++frame, other));
    // 2×MSL after the last of them: only the one retired now is left.
    table.segment(segment({ from: 'c', flags: 'S', seq: 1, t: 101 }, frame + 1, { addr: '10.2.0.2', port: 1 }));
    expect(table.tombstoneCount).toBe(1);
    table.finish();
  });

  it('TIME_WAIT reuse while the old connection is still in the table, by the side in TIME_WAIT', () => {
    const ev = run([
      ...handshake(CI, SI),
      { from: 'c', flags: 'F.', seq: CI + 1, ack: SI + 1 },
      { from: 's', flags: 'F.', seq: SI + 1, ack: CI + 2 },
      { from: 'c', flags: '.', seq: CI + 2, ack: SI + 2 }, // 6: client TIME_WAIT until t = 60.006
      synAt(30),
    ]);
    expect(transitions(ev, 1).at(-1)).toEqual(['client', 'TIME_WAIT', 'CLOSED', 7]);
    expect(reuses(ev)).toEqual([
      {
        conn: 2,
        kind: 'time-wait-reuse',
        frame: 7,
        message:
          'a new connection on the port pair of connection 1 while its client was still in TIME_WAIT, ' +
          'opened by that side itself (its port reused, 29.994 s after the last packet): accepted because ' +
          "the new ISN or timestamps are above the old connection's (RFC 6191)",
      },
    ]);
  });
});

describe('tombstone ring', () => {
  const stone = (i: number, last: number): Tombstone => ({
    low: i % 1000,
    high: 1000 + Math.floor(i / 1000),
    id: i + 1,
    last,
    clientAddr: '10.0.0.1',
    clientPort: 1,
    endHow: 'reset',
    endSide: 'client',
    endFrame: 1,
    clientNxt: 1,
    serverNxt: undefined,
    clientIsn: 0,
    serverIsn: undefined,
  });

  it(`holds at most ${MAX_TOMBSTONES} by default through a million short connections in one 2×MSL`, () => {
    const n = 1_000_000;
    const ring = new TombstoneRing(MAX_TOMBSTONES, 60);
    let most = 0;
    for (let i = 0; i < n; i++) {
      ring.add(stone(i, i / 50_000), i / 50_000); // 20 s in all
      if (i % 4096 === 0) most = Math.max(most, ring.size);
    }
    expect(Math.max(most, ring.size)).toBe(MAX_TOMBSTONES);
    expect(ring.take(stone(n - 1, 0), 20)?.id).toBe(n); // the newest is kept
    expect(ring.take(stone(n - MAX_TOMBSTONES, 0), 20)?.id).toBe(n - MAX_TOMBSTONES + 1);
    expect(ring.take(stone(n - MAX_TOMBSTONES - 1, 0), 20)).toBeUndefined(); // the oldest went
  });

  it('drops tombstones older than the lifetime, and a newer one of the same pair replaces the old', () => {
    const ring = new TombstoneRing(10, 60);
    ring.add(stone(1, 0), 0);
    ring.add(stone(2, 5), 5);
    ring.add(stone(1, 30), 30); // the same pair as the first, newer
    expect(ring.size).toBe(2);
    ring.add(stone(3, 66), 66); // 66 s: the one of t = 5 has expired
    expect(ring.size).toBe(2);
    expect(ring.take(stone(2, 0), 66)).toBeUndefined();
    expect(ring.take(stone(1, 0), 90)?.id).toBe(2); // id of stone(1, 30)
    expect(ring.take(stone(3, 0), 126.001)).toBeUndefined(); // > 60 s after its last packet
    expect(ring.size).toBe(0);
    ring.add(stone(4, 0), 61); // already too old to keep
    expect(ring.size).toBe(0);
  });
});
