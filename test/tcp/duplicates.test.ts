import { describe, expect, it } from 'vitest';
import { anomalies, handshake, run, type Step } from '../helpers/segments.js';

const CI = 1000;
const SI = 5000;

function kindsAt(steps: Step[], frame: number): string[] {
  return anomalies(run(steps))
    .filter((a) => a.frame === frame)
    .map((a) => a.kind);
}

describe('capture duplicates (the same packet recorded twice)', () => {
  const data: Step = { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, len: 100, t: 0.1, ipId: 7 };

  it('the same IPv4 ID and header again is a capture duplicate, not a retransmission', () => {
    const steps: Step[] = [...handshake(CI, SI), data, { ...data, t: 0.5 }];
    expect(kindsAt(steps, 5)).toEqual(['capture-duplicate']);
    expect(anomalies(run(steps)).find((a) => a.frame === 5)?.message).toContain('frame 4');
  });

  it('the same IPv4 ID much later, or after the peer spoke, is a resend (crafted or replayed), not the capture', () => {
    expect(kindsAt([...handshake(CI, SI), data, { ...data, t: 2.5 }], 5)).toEqual(['retransmission']);
    const steps: Step[] = [
      ...handshake(CI, SI),
      data,
      { from: 's', flags: 'R', seq: SI + 1, t: 0.2 },
      { ...data, t: 0.3 },
    ];
    expect(kindsAt(steps, 6)).not.toContain('capture-duplicate');
  });

  it('the same seq with a new IPv4 ID is a real retransmission', () => {
    const steps: Step[] = [...handshake(CI, SI), data, { ...data, t: 0.5, ipId: 8 }];
    expect(kindsAt(steps, 5)).toEqual(['retransmission']);
  });

  it('a duplicate changes nothing: its bytes are not counted twice and its FIN moves no state', () => {
    const fin: Step = { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 1, t: 0.2, ipId: 9 };
    const events = run([
      ...handshake(CI, SI),
      data,
      { ...data, t: 0.10001 },
      fin,
      { ...fin, t: 0.20001 },
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 102, t: 0.3 },
    ]);
    expect(events.filter((e) => e.type === 'transition' && e.frame === 7)).toEqual([]);
    const end = events.find((e) => e.type === 'end');
    // Every captured packet counts as a packet; the copies' bytes are not sent twice.
    expect(end?.type === 'end' && [end.packets.client, end.bytes.client]).toEqual([6, 100]);
  });

  describe('without an IP ID to go by (ID 0, IPv6)', () => {
    const noId: Step = { ...data, ipId: 0 };

    it('data repeated within 1 ms with nothing from the peer in between is a capture duplicate', () => {
      expect(kindsAt([...handshake(CI, SI), noId, { ...noId, t: 0.1005 }], 5)).toEqual(['capture-duplicate']);
    });

    it('data repeated after more than 1 ms is a retransmission', () => {
      expect(kindsAt([...handshake(CI, SI), noId, { ...noId, t: 0.103 }], 5)).toEqual(['retransmission']);
    });

    it('data repeated after a segment from the peer is a retransmission, however soon', () => {
      const steps: Step[] = [
        ...handshake(CI, SI),
        noId,
        { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, t: 0.1002, ipId: 0 },
        { ...noId, t: 0.1004 },
      ];
      expect(kindsAt(steps, 6)).not.toContain('capture-duplicate');
    });

    it('pure ACKs are never taken for duplicates: a burst of real duplicate ACKs looks the same', () => {
      const ack: Step = { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, t: 0.1, ipId: 0 };
      expect(kindsAt([...handshake(CI, SI), ack, { ...ack, t: 0.1001 }], 5)).toEqual(['duplicate-ack']);
    });
  });
});
