import { describe, expect, it } from 'vitest';
import { MAX_KEPT_SEGMENTS, SentPayloads, type Payload } from '../../src/tcp/sent-payloads.js';
import { ACK, SYN } from '../../src/segment.js';
import { analyse } from '../helpers/analyse.js';
import { ethernet, pcapFile, tcpPacket } from '../helpers/packets.js';

const text = (s: string): Buffer => Buffer.from(s, 'latin1');

function payload(seq: number, len: number, sum: number, frame: number, captured = len): Payload {
  return { seq, len, captured, sum, frame };
}

describe('fingerprints of unacknowledged payload', () => {
  it('a resend of the same bytes with another sum conflicts; the same sum does not', () => {
    const kept = new SentPayloads();
    kept.remember(payload(100, 4, 0x1234, 4));
    expect(kept.conflict(payload(100, 4, 0x1234, 9))).toBeUndefined();
    expect(kept.conflict(payload(100, 4, 0x4321, 9))).toBe(4);
  });

  it('compares only a resend at the same boundaries and with the same captured length', () => {
    const kept = new SentPayloads();
    kept.remember(payload(100, 1448, 0x1111, 4, 74));
    expect(kept.conflict(payload(102, 1446, 0x2222, 9, 72))).toBeUndefined(); // other boundaries
    expect(kept.conflict(payload(100, 1448, 0x2222, 9, 60))).toBeUndefined(); // cut elsewhere by the snap length
    expect(kept.conflict(payload(100, 1448, 0x2222, 9, 74))).toBe(4);
  });

  it('works across the 2^32 wrap of sequence numbers, and forgets what the peer acknowledged', () => {
    const kept = new SentPayloads();
    kept.remember(payload(0xfffffffc, 8, 1, 1));
    kept.remember(payload(4, 8, 2, 2));
    kept.acknowledged(4);
    expect(kept.conflict(payload(0xfffffffc, 8, 9, 0))).toBeUndefined();
    expect(kept.conflict(payload(4, 8, 9, 0))).toBe(2);
  });

  it('keeps at most its cap of segments: the oldest give way', () => {
    const kept = new SentPayloads();
    for (let frame = 1; frame <= 100; frame++) kept.remember(payload(frame * 1000, 1000, frame, frame));
    expect(kept.conflict(payload(1000, 1000, 0, 0))).toBeUndefined();
    const oldestKept = 101 - MAX_KEPT_SEGMENTS;
    expect(kept.conflict(payload(oldestKept * 1000, 1000, 0, 0))).toBe(oldestKept);
    expect(kept.conflict(payload(100 * 1000, 1000, 0, 0))).toBe(100);
  });
});

describe('overlap-different-data on a capture', () => {
  it('a resend with other bytes at the same seq is reported, and is not taken for a capture duplicate', async () => {
    const c = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 };
    const s = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 };
    const packets = [
      tcpPacket({ ...c, flags: SYN, seq: 1 }),
      tcpPacket({ ...s, flags: SYN | ACK, seq: 1000, ack: 2 }),
      tcpPacket({ ...c, flags: ACK, seq: 2, ack: 1001 }),
      tcpPacket({ ...c, flags: ACK, seq: 2, ack: 1001, payload: text('GOOD'), ip: { id: 77 } }),
      tcpPacket({ ...c, flags: ACK, seq: 2, ack: 1001, payload: text('EVIL'), ip: { id: 77 } }),
      tcpPacket({ ...c, flags: ACK, seq: 2, ack: 1001, payload: text('GOOD'), ip: { id: 78 } }),
    ];
    const file = pcapFile(packets.map((p, i) => ({ data: ethernet(p), sec: 1_700_000_000, frac: i * 100 })));
    const { connections } = await analyse(file);
    const found = connections[0]!.anomalies.filter(
      (a) => a.kind === 'overlap-different-data' || a.kind === 'capture-duplicate',
    );
    expect(found.map((a) => [a.kind, a.frame])).toEqual([['overlap-different-data', 5]]);
    expect(found[0]!.message).toContain('frame 4');
  });
});
