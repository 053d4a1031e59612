import { describe, expect, it } from 'vitest';
import { finals, handshake, run, segment, transitions } from '../helpers/segments.js';

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
