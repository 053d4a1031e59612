import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/segment.js';
import { anomalies, handshake, run, segment, type Step } from '../helpers/segments.js';

const CI = 1000;
const SI = 5000;

/** A step with the TCP checksum field as captured (two copies of one packet share it). */
type Sent = Step & { sum?: number };

function segments(steps: Sent[]): Segment[] {
  return steps.map(({ sum, ...step }, i) => ({
    ...segment(step, i + 1),
    ...(sum === undefined ? {} : { checksumField: sum }),
  }));
}

function kindsAt(steps: Sent[], frame: number): string[] {
  return anomalies(run(segments(steps)))
    .filter((a) => a.frame === frame)
    .map((a) => a.kind);
}

function duplicateFrames(steps: Sent[]): [number, unknown][] {
  return anomalies(run(segments(steps)))
    .filter((a) => a.kind === 'capture-duplicate')
    .map((a) => [a.frame, a.evidence.original]);
}

describe('capture duplicates (the same packet recorded twice)', () => {
  const data: Sent = { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, len: 100, t: 0.1, ipId: 7, sum: 0x4d2 };

  it('the same IPv4 ID and header again is a capture duplicate, not a retransmission', () => {
    const steps: Sent[] = [...handshake(CI, SI), data, { ...data, t: 0.12 }];
    expect(kindsAt(steps, 5)).toEqual(['capture-duplicate']);
    const found = anomalies(run(segments(steps))).find((a) => a.frame === 5);
    expect(found?.message).toContain('frame 4');
    expect(found?.evidence).toEqual({ original: 4, seq: CI + 1, ipId: 7 });
  });

  it('a packet of the peer between the copies does not matter (both ports of a relay captured)', () => {
    const steps: Sent[] = [
      ...handshake(CI, SI),
      data,
      // The server's packets, sent before the original reached it: data and an ACK of older bytes.
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, len: 500, t: 0.105, ipId: 900, sum: 0x1111 },
      { from: 's', flags: '.', seq: SI + 501, ack: CI + 1, len: 500, t: 0.11, ipId: 901, sum: 0x2222 },
      { ...data, t: 0.12 },
    ];
    expect(kindsAt(steps, 7)).toEqual(['capture-duplicate']);
    expect(duplicateFrames(steps)).toEqual([[7, 4]]);
  });

  it('the original 20 segments back, with the peer in between, is found', () => {
    const steps: Sent[] = [...handshake(CI, SI)];
    for (let k = 0; k < 20; k++) {
      steps.push({ ...data, seq: CI + 1 + 100 * k, t: 0.1 + k * 0.001, ipId: 10 + k, sum: 0x100 + k });
      // The server's own data: sent before the client's segments reached it, it acknowledges none of them.
      const t = 0.1005 + k * 0.001;
      steps.push({ from: 's', flags: '.', seq: SI + 1 + 50 * k, ack: CI + 1, len: 50, t, ipId: 500 + k });
    }
    steps.push({ ...data, seq: CI + 1, t: 0.125, ipId: 10, sum: 0x100 }); // the first data segment again
    expect(kindsAt(steps, steps.length)).toEqual(['capture-duplicate']);
    expect(duplicateFrames(steps)).toEqual([[steps.length, 4]]);
  });

  it('the original hundreds of segments back is found while within 200 ms (the ring grows)', () => {
    const steps: Sent[] = [...handshake(CI, SI)];
    for (let k = 0; k < 600; k++)
      steps.push({ ...data, seq: CI + 1 + 100 * k, t: 0.1 + k * 0.0002, ipId: 10 + k, sum: k });
    // Copies of the first 50 segments, 150 ms after the first of them.
    for (let k = 0; k < 50; k++)
      steps.push({ ...data, seq: CI + 1 + 100 * k, t: 0.25 + k * 0.0002, ipId: 10 + k, sum: k });
    const found = duplicateFrames(steps);
    expect(found).toHaveLength(50);
    expect(found.map(([, original]) => original)).toEqual(Array.from({ length: 50 }, (_, k) => 4 + k));
  });

  it('150 ms apart is a copy; 250 ms apart it is a resend (crafted or replayed), not the capture', () => {
    expect(kindsAt([...handshake(CI, SI), data, { ...data, t: 0.25 }], 5)).toEqual(['capture-duplicate']);
    expect(kindsAt([...handshake(CI, SI), data, { ...data, t: 0.35 }], 5)).toEqual(['retransmission']);
  });

  it('after the peer reset or acknowledged the original, the same packet again was sent again', () => {
    const reset: Sent[] = [
      ...handshake(CI, SI),
      data,
      { from: 's', flags: 'R', seq: SI + 1, t: 0.11 },
      { ...data, t: 0.15 },
    ];
    expect(kindsAt(reset, 6)).not.toContain('capture-duplicate');
    const acked: Sent[] = [
      ...handshake(CI, SI),
      data,
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 101, t: 0.11, ipId: 900, sum: 0x1111 },
      { ...data, t: 0.15 },
    ];
    expect(kindsAt(acked, 6)).not.toContain('capture-duplicate');
    expect(kindsAt(acked, 6)).toContain('spurious-retransmission');
  });

  it('the same seq with a new IPv4 ID is a real retransmission', () => {
    const steps: Sent[] = [...handshake(CI, SI), data, { ...data, t: 0.15, ipId: 8, sum: 0x4d1 }];
    expect(kindsAt(steps, 5)).toEqual(['retransmission']);
  });

  it('crafted traffic with one IPv4 ID on every packet (scapy: 1) has no copies, even byte for byte', () => {
    const one = (s: Step): Sent => ({ ...s, ipId: 1 });
    const resend: Sent = { ...data, ipId: 1 };
    // The peer answers in between, or nothing comes between: either way the ID proves nothing.
    const answered: Sent[] = [
      ...handshake(CI, SI).map(one),
      resend,
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, t: 0.12, ipId: 1, sum: 0x9999 },
      { ...resend, t: 0.15 },
    ];
    expect(kindsAt(answered, 6)).toEqual(['retransmission']);
    const silent: Sent[] = [...handshake(CI, SI).map(one), resend, { ...resend, t: 0.15 }];
    expect(kindsAt(silent, 5)).toEqual(['retransmission']);
    expect(duplicateFrames(answered)).toEqual([]);
    expect(duplicateFrames(silent)).toEqual([]);
  });

  it('a duplicate changes nothing: its bytes are not counted twice and its FIN moves no state', () => {
    const fin: Sent = { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 1, t: 0.2, ipId: 9 };
    const events = run(
      segments([
        ...handshake(CI, SI),
        data,
        { ...data, t: 0.10001 },
        fin,
        { ...fin, t: 0.20001 },
        { from: 's', flags: '.', seq: SI + 1, ack: CI + 102, t: 0.3 },
      ]),
    );
    expect(events.filter((e) => e.type === 'transition' && e.frame === 7)).toEqual([]);
    const end = events.find((e) => e.type === 'end');
    // Every captured packet counts as a packet; the copies' bytes are not sent twice.
    expect(end?.type === 'end' && [end.packets.client, end.bytes.client]).toEqual([6, 100]);
  });

  describe('without an IP ID to go by (ID 0, IPv6)', () => {
    const noId: Sent = { ...data, ipId: 0 };

    it('data repeated within 1 ms with nothing from the peer in between is a capture duplicate', () => {
      expect(kindsAt([...handshake(CI, SI), noId, { ...noId, t: 0.1005 }], 5)).toEqual(['capture-duplicate']);
    });

    it('data repeated after more than 1 ms is a retransmission', () => {
      expect(kindsAt([...handshake(CI, SI), noId, { ...noId, t: 0.103 }], 5)).toEqual(['retransmission']);
    });

    it('data repeated after a segment from the peer is a retransmission, however soon', () => {
      const steps: Sent[] = [
        ...handshake(CI, SI),
        noId,
        { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, t: 0.1002, ipId: 0 },
        { ...noId, t: 0.1004 },
      ];
      expect(kindsAt(steps, 6)).not.toContain('capture-duplicate');
    });

    it('pure ACKs are never taken for duplicates: a burst of real duplicate ACKs looks the same', () => {
      const ack: Sent = { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, t: 0.1, ipId: 0 };
      expect(kindsAt([...handshake(CI, SI), ack, { ...ack, t: 0.1001 }], 5)).toEqual(['duplicate-ack']);
      // The same with the ID rule's 20 ms: still left alone.
      expect(kindsAt([...handshake(CI, SI), ack, { ...ack, t: 0.12 }], 5)).toEqual(['duplicate-ack']);
    });

    it('a SYN-ACK (Linux: ID 0) again within 200 ms with nothing from the client between is a copy', () => {
      const synack: Sent = { from: 's', flags: 'S.', seq: SI, ack: CI + 1, t: 0.01, ipId: 0, sum: 0x5a5a };
      const syn: Sent = { from: 'c', flags: 'S', seq: CI, t: 0, ipId: 30 };
      expect(kindsAt([syn, synack, { ...synack, t: 0.03 }], 3)).toEqual(['capture-duplicate']);
      // On its 1 s timer, or after the client's SYN again: a resend.
      expect(kindsAt([syn, synack, { ...synack, t: 1.01 }], 3)).toEqual(['synack-retransmission']);
      const again: Sent[] = [syn, synack, { ...syn, t: 0.02, ipId: 31 }, { ...synack, t: 0.03 }];
      expect(kindsAt(again, 4)).not.toContain('capture-duplicate');
    });
  });
});
