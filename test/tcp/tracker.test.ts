import { describe, expect, it } from 'vitest';
import { anomalies, finals, handshake, run, transitions, type Step } from '../helpers/segments.js';
import { anyNumber } from '../helpers/matchers.js';

const CI = 1000;
const SI = 5000;

describe('three-way handshake', () => {
  it('closed_syn / listen_synack / synsent_ack: both sides reach ESTABLISHED on the third segment', () => {
    const ev = run(handshake(CI, SI));
    expect(transitions(ev)).toEqual([
      ['client', 'CLOSED', 'SYN_SENT', 1],
      ['server', 'LISTEN', 'SYN_RCVD', 2],
      ['client', 'SYN_SENT', 'ESTABLISHED', 3],
      ['server', 'SYN_RCVD', 'ESTABLISHED', 3],
    ]);
    expect(finals(ev)).toEqual([{ client: 'ESTABLISHED', server: 'ESTABLISHED' }]);
    expect(anomalies(ev)).toEqual([]);
  });

  it('syn_retransmission changes nothing', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: CI },
      { from: 'c', flags: 'S', seq: CI },
      ...handshake(CI, SI).slice(1),
    ]);
    expect(transitions(ev).map((t) => t[3])).toEqual([1, 3, 4, 4]);
    expect(ev.filter((e) => e.type === 'connection')).toHaveLength(1);
  });

  it('synsent_end: capture ends after the SYN-ACK → client ESTABLISHED is inferred at the SYN-ACK', () => {
    const ev = run(handshake(CI, SI).slice(0, 2));
    const last = ev.filter((e) => e.type === 'transition').at(-1);
    expect(last).toMatchObject({ side: 'client', from: 'SYN_SENT', to: 'ESTABLISHED', frame: 2, inferred: true });
    expect(finals(ev)).toEqual([{ client: 'ESTABLISHED', server: 'SYN_RCVD' }]);
  });

  it('syn_unanswered: client stays SYN_SENT, server assumed LISTEN', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: CI },
      { from: 'c', flags: 'S', seq: CI, t: 1 },
    ]);
    expect(finals(ev)).toEqual([{ client: 'SYN_SENT', server: 'LISTEN' }]);
  });

  it('synack_wrong_ack: an error anomaly with the numbers, client stays SYN_SENT', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: CI },
      { from: 's', flags: 'S.', seq: SI, ack: CI + 7 },
    ]);
    const a = anomalies(ev);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ kind: 'synack-wrong-ack', frame: 2 });
    expect(a[0]!.message).toContain('acknowledges 1007');
    expect(a[0]!.message).toContain('ISN+1 = 1001');
    expect(finals(ev)[0]!.client).toBe('SYN_SENT');
  });

  it('handshake_ack_wrong: the third segment acks the wrong number → anomaly, server stays SYN_RCVD', () => {
    const ev = run([...handshake(CI, SI).slice(0, 2), { from: 'c', flags: '.', seq: CI + 1, ack: SI + 100 }]);
    const a = anomalies(ev).filter((x) => x.kind !== 'ack-unseen-segment');
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ kind: 'handshake-ack-wrong', frame: 3 });
    expect(a[0]!.message).toContain('acknowledges 5100');
    expect(a[0]!.message).toContain('ISN+1 = 5001');
    expect(finals(ev)[0]!.server).toBe('SYN_RCVD');
  });

  it('synack_first: capture starts at the SYN-ACK: roles from the SYN-ACK, client SYN_SENT assumed', () => {
    const ev = run(handshake(CI, SI).slice(1));
    expect(ev[0]).toMatchObject({
      type: 'connection',
      client: { port: 40000 },
      server: { port: 80 },
      rolesGuessed: false,
    });
    expect(transitions(ev)).toEqual([
      ['server', 'LISTEN', 'SYN_RCVD', 1],
      ['client', 'SYN_SENT', 'ESTABLISHED', 2],
      ['server', 'SYN_RCVD', 'ESTABLISHED', 2],
    ]);
  });

  it('one-sided capture: the client ACKs a SYN-ACK the capture never saw → both sides inferred ESTABLISHED', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: CI },
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1 },
      { from: 'c', flags: 'F.', seq: CI + 1, ack: SI + 1 },
    ]);
    expect(transitions(ev)).toEqual([
      ['client', 'CLOSED', 'SYN_SENT', 1],
      ['client', 'SYN_SENT', 'ESTABLISHED', 2],
      ['server', 'LISTEN', 'SYN_RCVD', 2],
      ['server', 'SYN_RCVD', 'ESTABLISHED', 2],
      ['client', 'ESTABLISHED', 'FIN_WAIT_1', 3],
      ['server', 'ESTABLISHED', 'CLOSE_WAIT', 3],
    ]);
    expect(ev.filter((e) => e.type === 'transition' && e.inferred).length).toBe(3);
  });

  it('syn_with_data (TFO): SYN-ACK acking the data is accepted', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: CI, len: 10 },
      { from: 's', flags: 'S.', seq: SI, ack: CI + 11 },
      { from: 'c', flags: '.', seq: CI + 11, ack: SI + 1 },
    ]);
    expect(anomalies(ev).map((a) => a.kind)).toEqual(['syn-with-data']);
    expect(finals(ev)).toEqual([{ client: 'ESTABLISHED', server: 'ESTABLISHED' }]);
  });
});

describe('refused connection', () => {
  it('synsent_rst: RST+ACK answering the SYN → client CLOSED, server never listened', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: CI },
      { from: 's', flags: 'R.', seq: 0, ack: CI + 1 },
    ]);
    expect(transitions(ev)).toEqual([
      ['client', 'CLOSED', 'SYN_SENT', 1],
      ['client', 'SYN_SENT', 'CLOSED', 2],
    ]);
    expect(finals(ev)).toEqual([{ client: 'CLOSED', server: 'CLOSED' }]);
  });

  it('synsent_rst_wrong_ack: a RST that does not ack the SYN is not acceptable (RFC 9293 §3.10.7.3)', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: CI },
      { from: 's', flags: 'R.', seq: 0, ack: CI + 50 },
    ]);
    expect(finals(ev)[0]!.client).toBe('SYN_SENT');
  });
});

const est: Step[] = [
  ...handshake(CI, SI),
  { from: 'c', flags: 'P.', seq: CI + 1, ack: SI + 1, len: 100 },
  { from: 's', flags: '.', seq: SI + 1, ack: CI + 101 },
  { from: 's', flags: 'P.', seq: SI + 1, ack: CI + 101, len: 300 },
  { from: 'c', flags: '.', seq: CI + 101, ack: SI + 301 },
];

describe('close', () => {
  it('client closes first, four segments', () => {
    const ev = run([
      ...est, // frames 1–7
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 301 }, // 8
      { from: 's', flags: '.', seq: SI + 301, ack: CI + 102 }, // 9
      { from: 's', flags: 'F.', seq: SI + 301, ack: CI + 102 }, // 10
      { from: 'c', flags: '.', seq: CI + 102, ack: SI + 302 }, // 11
    ]);
    expect(transitions(ev).slice(4)).toEqual([
      ['client', 'ESTABLISHED', 'FIN_WAIT_1', 8],
      ['server', 'ESTABLISHED', 'CLOSE_WAIT', 8],
      ['client', 'FIN_WAIT_1', 'FIN_WAIT_2', 9],
      ['server', 'CLOSE_WAIT', 'LAST_ACK', 10],
      ['client', 'FIN_WAIT_2', 'TIME_WAIT', 10],
      ['server', 'LAST_ACK', 'CLOSED', 11],
    ]);
    expect(finals(ev)).toEqual([{ client: 'TIME_WAIT', server: 'CLOSED' }]);
  });

  it('server closes first', () => {
    const ev = run([
      ...est,
      { from: 's', flags: 'F.', seq: SI + 301, ack: CI + 101 }, // 8
      { from: 'c', flags: '.', seq: CI + 101, ack: SI + 302 }, // 9
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 302 }, // 10
      { from: 's', flags: '.', seq: SI + 302, ack: CI + 102 }, // 11
    ]);
    expect(transitions(ev).slice(4)).toEqual([
      ['server', 'ESTABLISHED', 'FIN_WAIT_1', 8],
      ['client', 'ESTABLISHED', 'CLOSE_WAIT', 8],
      ['server', 'FIN_WAIT_1', 'FIN_WAIT_2', 9],
      ['client', 'CLOSE_WAIT', 'LAST_ACK', 10],
      ['server', 'FIN_WAIT_2', 'TIME_WAIT', 10],
      ['client', 'LAST_ACK', 'CLOSED', 11],
    ]);
    expect(finals(ev)).toEqual([{ client: 'CLOSED', server: 'TIME_WAIT' }]);
  });

  it('finwait1_finack: the three-segment close moves FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT on one segment', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 301 }, // 8
      { from: 's', flags: 'F.', seq: SI + 301, ack: CI + 102 }, // 9
      { from: 'c', flags: '.', seq: CI + 102, ack: SI + 302 }, // 10
    ]);
    expect(transitions(ev).slice(4)).toEqual([
      ['client', 'ESTABLISHED', 'FIN_WAIT_1', 8],
      ['server', 'ESTABLISHED', 'CLOSE_WAIT', 8],
      ['server', 'CLOSE_WAIT', 'LAST_ACK', 9],
      ['client', 'FIN_WAIT_1', 'FIN_WAIT_2', 9],
      ['client', 'FIN_WAIT_2', 'TIME_WAIT', 9],
      ['server', 'LAST_ACK', 'CLOSED', 10],
    ]);
  });

  it('closewait_data: half-close, the server keeps sending in CLOSE_WAIT', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 301 }, // 8
      { from: 's', flags: '.', seq: SI + 301, ack: CI + 102 }, // 9
      { from: 's', flags: 'P.', seq: SI + 301, ack: CI + 102, len: 500 }, // 10
      { from: 'c', flags: '.', seq: CI + 102, ack: SI + 801 }, // 11
      { from: 's', flags: 'P.', seq: SI + 801, ack: CI + 102, len: 500 }, // 12
      { from: 'c', flags: '.', seq: CI + 102, ack: SI + 1301 }, // 13
      { from: 's', flags: 'F.', seq: SI + 1301, ack: CI + 102 }, // 14
      { from: 'c', flags: '.', seq: CI + 102, ack: SI + 1302 }, // 15
    ]);
    expect(transitions(ev).slice(4)).toEqual([
      ['client', 'ESTABLISHED', 'FIN_WAIT_1', 8],
      ['server', 'ESTABLISHED', 'CLOSE_WAIT', 8],
      ['client', 'FIN_WAIT_1', 'FIN_WAIT_2', 9],
      ['server', 'CLOSE_WAIT', 'LAST_ACK', 14],
      ['client', 'FIN_WAIT_2', 'TIME_WAIT', 14],
      ['server', 'LAST_ACK', 'CLOSED', 15],
    ]);
  });

  it('finwait1_fin: simultaneous close goes through CLOSING on both sides and ends in TIME_WAIT', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 301 }, // 8
      { from: 's', flags: 'F.', seq: SI + 301, ack: CI + 101 }, // 9: does not ack the client's FIN
      { from: 'c', flags: '.', seq: CI + 102, ack: SI + 302 }, // 10
      { from: 's', flags: '.', seq: SI + 302, ack: CI + 102 }, // 11
    ]);
    // The server's FIN left before the client's arrived, so it reaches the server after its own
    // FIN, and before the client's ACK of it (sent after the client's FIN, on the same path).
    expect(transitions(ev).slice(4)).toEqual([
      ['client', 'ESTABLISHED', 'FIN_WAIT_1', 8],
      ['server', 'ESTABLISHED', 'FIN_WAIT_1', 9],
      ['client', 'FIN_WAIT_1', 'CLOSING', 9],
      ['server', 'FIN_WAIT_1', 'CLOSING', 9],
      ['server', 'CLOSING', 'TIME_WAIT', 10],
      ['client', 'CLOSING', 'TIME_WAIT', 11],
    ]);
    expect(finals(ev)).toEqual([{ client: 'TIME_WAIT', server: 'TIME_WAIT' }]);
  });

  it('fin_unanswered: a FIN the capture never sees acknowledged still moves the peer, marked inferred', () => {
    const ev = run([...est, { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 301 }]);
    const last = ev.filter((e) => e.type === 'transition').at(-1);
    expect(last).toMatchObject({ side: 'server', from: 'ESTABLISHED', to: 'CLOSE_WAIT', frame: 8, inferred: true });
    expect(finals(ev)).toEqual([{ client: 'FIN_WAIT_1', server: 'CLOSE_WAIT' }]);
  });

  it('fin_with_data: the FIN occupies the number after the payload', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'FP.', seq: CI + 101, ack: SI + 301, len: 20 }, // 8: FIN at CI+121
      { from: 's', flags: '.', seq: SI + 301, ack: CI + 121 }, // 9: acks data, not FIN
      { from: 's', flags: '.', seq: SI + 301, ack: CI + 122 }, // 10: acks FIN
    ]);
    expect(transitions(ev).slice(4)).toEqual([
      ['client', 'ESTABLISHED', 'FIN_WAIT_1', 8],
      ['server', 'ESTABLISHED', 'CLOSE_WAIT', 10],
      ['client', 'FIN_WAIT_1', 'FIN_WAIT_2', 10],
    ]);
  });

  it('timewait_expiry: TIME_WAIT ends after 2×MSL of capture time', () => {
    const ev = run(
      [
        ...est,
        { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 301, t: 1 }, // 8
        { from: 's', flags: 'F.', seq: SI + 301, ack: CI + 102, t: 1.1 }, // 9
        { from: 'c', flags: '.', seq: CI + 102, ack: SI + 302, t: 1.2 }, // 10
        { from: 'c', flags: 'S', seq: 99, t: 3 }, // 11: another connection? No: same tuple, new ISN
      ],
      0.5,
    );
    const tw = ev.find((e) => e.type === 'transition' && e.to === 'CLOSED' && e.side === 'client');
    expect(tw).toMatchObject({ from: 'TIME_WAIT', frame: 11, inferred: true });
    expect(tw?.type === 'transition' && tw.time).toBeCloseTo(1_700_000_002.1, 6);
  });
});

describe('reset', () => {
  it('established_rst: an exact RST closes both sides', () => {
    const ev = run([...est, { from: 'c', flags: 'R.', seq: CI + 101, ack: SI + 301 }]);
    expect(transitions(ev).slice(4)).toEqual([
      ['client', 'ESTABLISHED', 'CLOSED', 8],
      ['server', 'ESTABLISHED', 'CLOSED', 8],
    ]);
  });

  it('established_rst_in_window: a RST not exactly at RCV.NXT leaves the receiver open (RFC 5961 §3.2)', () => {
    const ev = run([...est, { from: 'c', flags: 'R', seq: CI + 150 }]);
    expect(finals(ev)).toEqual([{ client: 'CLOSED', server: 'ESTABLISHED' }]);
  });

  it('synrcvd_rst: the client resets a half-open connection', () => {
    const ev = run([...handshake(CI, SI).slice(0, 2), { from: 'c', flags: 'R', seq: CI + 1 }]);
    expect(transitions(ev)).toEqual([
      ['client', 'CLOSED', 'SYN_SENT', 1],
      ['server', 'LISTEN', 'SYN_RCVD', 2],
      ['client', 'SYN_SENT', 'CLOSED', 3],
      ['server', 'SYN_RCVD', 'CLOSED', 3],
    ]);
  });

  it('timewait_rst: RST received in TIME_WAIT closes it (RFC 9293), with a note on RFC 1337', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 301 }, // 8
      { from: 's', flags: 'F.', seq: SI + 301, ack: CI + 102 }, // 9
      { from: 'c', flags: '.', seq: CI + 102, ack: SI + 302 }, // 10
      { from: 's', flags: 'R', seq: SI + 302 }, // 11
    ]);
    const t = ev.filter((e) => e.type === 'transition').at(-1);
    expect(t).toMatchObject({ side: 'client', from: 'TIME_WAIT', to: 'CLOSED', frame: 11 });
    expect(t?.type === 'transition' && t.reason).toContain('RFC 1337');
  });

  it('timewait_rst_old_seq: a RST below RCV.NXT does not end TIME_WAIT (out of window)', () => {
    const ev = run([
      ...est,
      { from: 's', flags: 'F.', seq: SI + 301, ack: CI + 101 }, // 8
      { from: 'c', flags: '.', seq: CI + 101, ack: SI + 302 }, // 9
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 302 }, // 10
      { from: 's', flags: '.', seq: SI + 302, ack: CI + 102 }, // 11
      { from: 's', flags: '.', seq: SI + 302, ack: CI + 101 }, // 12: a stale ACK reaches the closed client
      { from: 'c', flags: 'R', seq: CI + 101 }, // 13: its RST answers with the stale ack's number
    ]);
    expect(finals(ev)).toEqual([{ client: 'CLOSED', server: 'TIME_WAIT' }]);
  });

  it('finwait2_rst / closewait_rst: RST during the close', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 301 }, // 8
      { from: 's', flags: '.', seq: SI + 301, ack: CI + 102 }, // 9
      { from: 's', flags: 'R.', seq: SI + 301, ack: CI + 102 }, // 10
    ]);
    expect(transitions(ev).slice(-2)).toEqual([
      ['server', 'CLOSE_WAIT', 'CLOSED', 10],
      ['client', 'FIN_WAIT_2', 'CLOSED', 10],
    ]);
  });
});

describe('simultaneous open', () => {
  it('synsent_syn: both SYN_SENT, each SYN_RCVD, then ESTABLISHED on the peer SYN-ACK', () => {
    const ev = run([
      { from: 'c', flags: 'S', seq: CI }, // 1
      { from: 's', flags: 'S', seq: SI }, // 2
      { from: 'c', flags: 'S.', seq: CI, ack: SI + 1 }, // 3
      { from: 's', flags: 'S.', seq: SI, ack: CI + 1 }, // 4
    ]);
    expect(transitions(ev)).toEqual([
      ['client', 'CLOSED', 'SYN_SENT', 1],
      ['server', 'CLOSED', 'SYN_SENT', 2],
      ['server', 'SYN_SENT', 'SYN_RCVD', 2],
      ['client', 'SYN_SENT', 'SYN_RCVD', 2],
      ['server', 'SYN_RCVD', 'ESTABLISHED', 3],
      ['client', 'SYN_RCVD', 'ESTABLISHED', 4],
    ]);
    expect(finals(ev)).toEqual([{ client: 'ESTABLISHED', server: 'ESTABLISHED' }]);
  });
});

describe('mid-stream pickup', () => {
  it('no SYN: roles guessed by port, both assumed ESTABLISHED, the first FIN moves them', () => {
    const ev = run([
      { from: 's', flags: 'P.', seq: 7000, ack: 300, len: 10 },
      { from: 'c', flags: 'F.', seq: 300, ack: 7010 },
      { from: 's', flags: 'F.', seq: 7010, ack: 301 },
      { from: 'c', flags: '.', seq: 301, ack: 7011 },
    ]);
    expect(ev[0]).toMatchObject({ type: 'connection', rolesGuessed: true, client: { port: 40000 } });
    expect(transitions(ev)).toEqual([
      ['client', 'ESTABLISHED', 'FIN_WAIT_1', 2],
      ['server', 'ESTABLISHED', 'CLOSE_WAIT', 2],
      ['server', 'CLOSE_WAIT', 'LAST_ACK', 3],
      ['client', 'FIN_WAIT_1', 'FIN_WAIT_2', 3],
      ['client', 'FIN_WAIT_2', 'TIME_WAIT', 3],
      ['server', 'LAST_ACK', 'CLOSED', 4],
    ]);
    const end = ev.find((e) => e.type === 'end');
    expect(end).toMatchObject({ assumed: true });
  });
});

describe('sequence wrap', () => {
  it('a connection crossing 2^32 tracks its FIN exactly', () => {
    const ci = 0xffffff00;
    const ev = run([
      ...handshake(ci, SI),
      { from: 'c', flags: 'P.', seq: (ci + 1) >>> 0, ack: SI + 1, len: 1000 }, // crosses the wrap
      { from: 's', flags: '.', seq: SI + 1, ack: (ci + 1001) >>> 0 },
      { from: 'c', flags: 'F.', seq: (ci + 1001) >>> 0, ack: SI + 1 }, // 6
      { from: 's', flags: '.', seq: SI + 1, ack: (ci + 1001) >>> 0 }, // 7: does not cover the FIN
      { from: 's', flags: '.', seq: SI + 1, ack: (ci + 1002) >>> 0 }, // 8: covers it
    ]);
    expect(transitions(ev).slice(4)).toEqual([
      ['client', 'ESTABLISHED', 'FIN_WAIT_1', 6],
      ['server', 'ESTABLISHED', 'CLOSE_WAIT', 8],
      ['client', 'FIN_WAIT_1', 'FIN_WAIT_2', 8],
    ]);
  });
});

describe('half-close data', () => {
  it('counts what a side sends in CLOSE_WAIT, after the peer FIN it acknowledged', () => {
    const CI = 100;
    const SI = 900;
    const events = run([
      ...handshake(CI, SI),
      { from: 'c', flags: 'F.', seq: CI + 1, ack: SI + 1 }, // 4: client closes its direction
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 2, len: 10 }, // 5: data in CLOSE_WAIT, acking the FIN
      { from: 'c', flags: '.', seq: CI + 2, ack: SI + 11 }, // 6
      { from: 's', flags: 'P.', seq: SI + 11, ack: CI + 2, len: 20 }, // 7
      { from: 's', flags: 'F.', seq: SI + 31, ack: CI + 2 }, // 8
      { from: 'c', flags: '.', seq: CI + 2, ack: SI + 32 }, // 9
    ]);
    const end = events.find((e) => e.type === 'end');
    expect(end?.type === 'end' && end.halfClose).toEqual([
      { sender: 'server', firstFrame: 5, firstTime: anyNumber, lastFrame: 7, segments: 2, bytes: 30 },
    ]);
  });

  it('is absent when nobody sends after a FIN', () => {
    const events = run([
      ...handshake(1, 2),
      { from: 'c', flags: 'F.', seq: 2, ack: 3 },
      { from: 's', flags: 'F.', seq: 3, ack: 3 },
      { from: 'c', flags: '.', seq: 3, ack: 4 },
    ]);
    const end = events.find((e) => e.type === 'end');
    expect(end?.type === 'end' && end.halfClose).toBeUndefined();
  });
});
