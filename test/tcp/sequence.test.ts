import { describe, expect, it } from 'vitest';
import type { Step } from '../helpers/segments.js';
import { anomalies, handshake, run, segment } from '../helpers/segments.js';

const CI = 1000;
const SI = 5000;
/** Handshake, then the server sends 3 × 100 bytes (frames 4–6). */
const flowing: Step[] = [
  ...handshake(CI, SI),
  { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.1 },
  { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 0.1 },
  { from: 's', flags: '.', seq: SI + 201, ack: CI + 1, len: 100, t: 0.1 },
];
const kinds = (steps: Step[]): [string, number][] =>
  anomalies(run(steps))
    .map((a) => [a.kind, a.frame] as [string, number])
    .sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));

describe('sequence analysis', () => {
  it('a clean exchange has no anomalies', () => {
    expect(kinds([...flowing, { from: 'c', flags: '.', seq: CI + 1, ack: SI + 301, t: 0.2 }])).toEqual([]);
  });

  it('retransmission: bytes seen before, sent again after the reordering window', () => {
    expect(kinds([...flowing, { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 1 }])).toEqual([
      ['retransmission', 7],
    ]);
  });

  it('out-of-order: bytes below SND.NXT within the reordering window', () => {
    const steps: Step[] = [
      ...handshake(CI, SI),
      { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 0.1 }, // 4: a hole before it
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.1001 }, // 5: the hole filled at once
    ];
    expect(kinds(steps)).toEqual([
      ['previous-segment-not-captured', 4],
      ['out-of-order', 5],
    ]);
    expect(anomalies(run(steps)).find((x) => x.frame === 4)?.message).toContain('reordered on the way');
  });

  it('previous-segment-not-captured, filled later: the message says the sender resent it (network loss)', () => {
    const steps: Step[] = [
      ...handshake(CI, SI),
      { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 0.1 }, // 4
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.5 }, // 5
    ];
    expect(kinds(steps)).toEqual([
      ['previous-segment-not-captured', 4],
      ['retransmission', 5],
    ]);
    const a = anomalies(run(steps));
    expect(a.find((x) => x.frame === 5)?.message).toContain('filling the hole seen at frame 4');
    expect(a.find((x) => x.frame === 4)?.message).toContain('lost between the sender and the capture point');
  });

  it('previous-segment-not-captured, acknowledged by the receiver: capture loss, not network loss', () => {
    const steps: Step[] = [
      ...handshake(CI, SI),
      { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 0.1 }, // 4: bytes SI+1..SI+100 never captured
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 201, t: 0.2 }, // 5: the client acks them
    ];
    expect(kinds(steps)).toEqual([
      ['previous-segment-not-captured', 4],
      ['ack-unseen-segment', 5],
    ]);
    const gap = anomalies(run(steps)).find((x) => x.frame === 4);
    expect(gap?.message).toContain('only the capture missed them');
    expect(gap?.message).toContain('100 bytes');
  });

  it('ack-unseen-segment once per run of unseen bytes, again only after the capture shows data again', () => {
    // The capture misses the server's data: the client acknowledges more and more of it.
    const steps: Step[] = [
      ...handshake(CI, SI),
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 101, t: 0.1 }, // 4: unseen 100 bytes
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 201, t: 0.2 }, // 5: more of the same run
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 301, t: 0.3 }, // 6
      { from: 's', flags: 'P.', seq: SI + 301, ack: CI + 1, len: 100, t: 0.4 }, // 7: data seen again
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 401, t: 0.5 }, // 8: acks what was seen
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 501, t: 0.6 }, // 9: a new run of unseen bytes
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 601, t: 0.7 }, // 10
    ];
    const unseen = anomalies(run(steps)).filter((a) => a.kind === 'ack-unseen-segment');
    expect(unseen.map((a) => [a.frame, a.evidence])).toEqual([
      [4, { ack: SI + 101, seen: SI + 1 }],
      [9, { ack: SI + 501, seen: SI + 401 }],
    ]);
  });

  it('a SACK block covering the hole also proves capture loss (Wireshark ignores SACK here)', () => {
    const steps: Step[] = [
      ...handshake(CI, SI),
      { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 0.1 }, // 4
      {
        from: 'c',
        flags: '.',
        seq: CI + 1,
        ack: SI + 1,
        t: 0.2,
        options: { sack: [{ left: SI + 1, right: SI + 201 }] },
      }, // 5
    ];
    const a = anomalies(run(steps)).find((x) => x.kind === 'previous-segment-not-captured');
    expect(a?.message).toContain('SACK block');
  });

  it('duplicate ACKs count up, then a fast retransmission', () => {
    const steps: Step[] = [
      ...handshake(CI, SI),
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.1 }, // 4
      { from: 's', flags: '.', seq: SI + 201, ack: CI + 1, len: 100, t: 0.1 }, // 5: hole SI+101..200
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 101, t: 0.2 }, // 6
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 101, t: 0.201 }, // 7: dup 1
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 101, t: 0.202 }, // 8: dup 2
      { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 0.205 }, // 9
    ];
    const a = anomalies(run(steps));
    expect(a.filter((x) => x.kind === 'duplicate-ack').map((x) => x.frame)).toEqual([7, 8]);
    expect(a.find((x) => x.kind === 'duplicate-ack' && x.frame === 8)?.message).toContain('#2');
    expect(a.filter((x) => x.kind === 'fast-retransmission').map((x) => x.frame)).toEqual([9]);
  });

  it(
    'on a slow path the fast-retransmission window scales with the handshake round trip ' + '(Wireshark: fixed 20 ms)',
    () => {
      // Handshake round trip 100 ms as seen at the receiver; the resend comes 110 ms after the 2nd duplicate ACK.
      const slow = (rtt: number): Step[] => [
        { from: 'c', flags: 'S', seq: CI, t: 0 },
        { from: 's', flags: 'S.', seq: SI, ack: CI + 1, t: 0.0001 },
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, t: rtt },
        { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 1 }, // 4
        { from: 's', flags: '.', seq: SI + 201, ack: CI + 1, len: 100, t: 1 }, // 5: hole
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 101, t: 1.0001 }, // 6
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 101, t: 1.0002 }, // 7: dup 1
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 101, t: 1.0003 }, // 8: dup 2
        { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 1.1103 }, // 9
      ];
      expect(
        anomalies(run(slow(0.1)))
          .filter((x) => x.frame === 9)
          .map((x) => x.kind),
      ).toContain('fast-retransmission');
      expect(
        anomalies(run(slow(0.001)))
          .filter((x) => x.frame === 9)
          .map((x) => x.kind),
      ).not.toContain('fast-retransmission');
    },
  );

  it('spurious retransmission: data resent after the peer acknowledged it', () => {
    expect(
      kinds([
        ...flowing,
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 301, t: 0.2 }, // 7
        { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 1 }, // 8
      ]),
    ).toEqual([['spurious-retransmission', 8]]);
  });

  it('zero window, Linux zero-window probes at SND.UNA−1, their ACKs, then the window update', () => {
    const steps: Step[] = [
      ...handshake(CI, SI).slice(0, 2),
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, win: 300 }, // 3: room for exactly 300 bytes
      ...flowing.slice(3),
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 301, win: 0, t: 0.2 }, // 7
      { from: 's', flags: '.', seq: SI + 300, ack: CI + 1, t: 0.4 }, // 8: probe
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 301, win: 0, t: 0.4 }, // 9: probe ack
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 301, win: 5000, t: 0.6 }, // 10: window opens
    ];
    expect(kinds(steps)).toEqual([
      ['window-full', 6],
      ['zero-window', 7],
      ['zero-window-probe', 8],
      ['zero-window', 9],
      ['zero-window-probe-ack', 9],
      ['window-update', 10],
    ]);
  });

  it('keep-alive at SND.NXT−1 and its ACK', () => {
    expect(
      kinds([
        ...flowing,
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 301, t: 0.2 }, // 7
        { from: 'c', flags: '.', seq: CI, ack: SI + 301, t: 10 }, // 8
        { from: 's', flags: '.', seq: SI + 301, ack: CI + 1, t: 10 }, // 9
      ]),
    ).toEqual([
      ['keep-alive', 8],
      ['keep-alive-ack', 9],
    ]);
  });

  it('window-full: data that ends exactly at the right edge of the peer window (scaled per RFC 7323)', () => {
    const steps: Step[] = [
      { from: 'c', flags: 'S', seq: CI, options: { wscale: 2 } },
      { from: 's', flags: 'S.', seq: SI, ack: CI + 1, options: { wscale: 0 } },
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, win: 50 }, // window 50 << 2 = 200
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.1 }, // 4
      { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 0.1 }, // 5: ends at ack + 200
    ];
    expect(kinds(steps)).toEqual([['window-full', 5]]);
  });

  it('SYN and SYN-ACK retransmissions', () => {
    expect(
      kinds([
        { from: 'c', flags: 'S', seq: CI },
        { from: 'c', flags: 'S', seq: CI, t: 1 },
        { from: 's', flags: 'S.', seq: SI, ack: CI + 1, t: 1 },
        { from: 's', flags: 'S.', seq: SI, ack: CI + 1, t: 2 },
      ]),
    ).toEqual([
      ['syn-retransmission', 2],
      ['synack-retransmission', 4],
    ]);
  });

  it('FIN retransmission', () => {
    expect(
      kinds([
        ...flowing,
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 301, t: 0.2 }, // 7
        { from: 's', flags: 'F.', seq: SI + 301, ack: CI + 1, t: 0.3 }, // 8
        { from: 's', flags: 'F.', seq: SI + 301, ack: CI + 1, t: 1.3 }, // 9
      ]),
    ).toEqual([['fin-retransmission', 9]]);
  });

  it('gaps still open at the end are reported with what is known', () => {
    const a = anomalies(run([...handshake(CI, SI), { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100 }]));
    expect(a.map((x) => x.kind)).toEqual(['previous-segment-not-captured']);
    expect(a[0]!.message).toContain('neither sent again nor acknowledged');
  });

  it('window-shrink: the right edge of the advertised window moves left', () => {
    expect(
      kinds([
        ...handshake(CI, SI).slice(0, 2),
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, win: 1000 }, // edge SI+1001
        { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.1 },
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 101, win: 500, t: 0.2 }, // 5: edge SI+601
      ]),
    ).toEqual([['window-shrink', 5]]);
  });

  it(
    'no window-shrink once the peer has sent its FIN: nothing more can come ' +
      '(the TIME_WAIT ACK carries a stale window)',
    () => {
      expect(
        kinds([
          ...handshake(CI, SI).slice(0, 2),
          { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, win: 1000 }, // edge SI+1001
          { from: 's', flags: 'F.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.1 },
          // 5: edge SI+602, after the server's FIN
          { from: 'c', flags: '.', seq: CI + 1, ack: SI + 102, win: 500, t: 0.2 },
        ]).filter(([kind]) => kind === 'window-shrink'),
      ).toEqual([]);
    },
  );

  it('segment-beyond-window: data past the right edge', () => {
    expect(
      kinds([
        ...handshake(CI, SI).slice(0, 2),
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, win: 150 },
        { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.1 },
        { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 0.1 }, // 5: ends 50 bytes past
      ]),
    ).toEqual([['segment-beyond-window', 5]]);
  });

  it(
    'no SYN captured: a SYN-ACK with window scaling means the SYN offered it too, ' +
      'with a shift we never saw (RFC 7323 §2.2)',
    () => {
      const fromSynAck = (wscale: number | undefined): Step[] => [
        { from: 's', flags: 'S.', seq: SI, ack: CI + 1, ...(wscale === undefined ? {} : { options: { wscale } }) },
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, win: 150 }, // scaled by the client's unknown shift, or raw
        { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.1 },
        { from: 's', flags: '.', seq: SI + 101, ack: CI + 1, len: 100, t: 0.1 }, // 4: past 150 raw bytes
      ];
      expect(kinds(fromSynAck(7))).toEqual([]);
      expect(kinds(fromSynAck(undefined))).toEqual([['segment-beyond-window', 4]]);
    },
  );

  it('ack-backwards, D-SACK and timestamp regression', () => {
    const ts = (v: number) => ({ tsval: v, tsecr: 0 });
    const steps: Step[] = [
      { from: 'c', flags: 'S', seq: CI, options: ts(100) },
      { from: 's', flags: 'S.', seq: SI, ack: CI + 1, options: ts(500) },
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, options: ts(101) },
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 100, t: 0.1, options: ts(501) },
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 101, t: 0.2, options: ts(102) },
      { from: 'c', flags: '.', seq: CI + 1, ack: SI + 51, t: 0.3, options: ts(103) }, // 6: ack goes back
      {
        from: 'c',
        flags: '.',
        seq: CI + 1,
        ack: SI + 101,
        t: 0.4,
        options: { ...ts(90), sack: [{ left: SI + 1, right: SI + 101 }] },
      }, // 7
    ];
    expect(kinds(steps)).toEqual([
      ['ack-backwards', 6],
      ['dsack', 7],
      ['timestamp-regression', 7],
    ]);
  });

  it('capture facts: cut by the snap length, larger than the MSS (offload), bad checksums', () => {
    const steps = [
      { from: 'c' as const, flags: 'S', seq: CI, options: { mss: 1460 } },
      { from: 's' as const, flags: 'S.', seq: SI, ack: CI + 1, options: { mss: 1460 } },
      { from: 'c' as const, flags: '.', seq: CI + 1, ack: SI + 1 },
      { from: 's' as const, flags: '.', seq: SI + 1, ack: CI + 1, len: 2920, t: 0.1 },
    ].map((st, i) => segment(st, i + 1));
    steps[3]!.truncated = true;
    for (const s of steps.slice(0, 3)) s.checksum = 'bad';
    const a = anomalies(run(steps));
    expect(a.map((x) => [x.kind, x.frame]).sort()).toEqual([
      ['bad-checksum', 1],
      ['bad-checksum', 2],
      ['bad-checksum', 3],
      ['oversized-segment', 4],
      ['truncated-by-snaplen', 4],
    ]);
  });

  it("bad checksums on most of one side's packets are reported once, as likely offload", () => {
    const steps = [...flowing].map((st, i) => segment(st, i + 1));
    for (const s of steps) if (s.src === '10.0.0.2') s.checksum = 'bad';
    const a = anomalies(run(steps)).filter((x) => x.kind === 'bad-checksum');
    expect(a).toHaveLength(1);
    expect(a[0]!.message).toContain('checksum offload');
  });

  it('works across the sequence wrap', () => {
    const si = 0xffffff80;
    expect(
      kinds([
        ...handshake(CI, si),
        { from: 's', flags: '.', seq: (si + 1) >>> 0, ack: CI + 1, len: 200, t: 0.1 }, // crosses 2^32
        { from: 'c', flags: '.', seq: CI + 1, ack: (si + 201) >>> 0, t: 0.2 },
        { from: 's', flags: '.', seq: (si + 201) >>> 0, ack: CI + 1, len: 100, t: 0.3 },
        { from: 'c', flags: '.', seq: CI + 1, ack: (si + 301) >>> 0, t: 0.4 },
      ]),
    ).toEqual([]);
  });
});
