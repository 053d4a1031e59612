import { describe, expect, it } from 'vitest';
import { MAX_KEPT_BYTES, MAX_KEPT_SEGMENTS, SentPayloads, type Payload } from '../../src/tcp/sent-payloads.js';
import { ACK, SYN } from '../../src/segment.js';
import { analyse } from '../helpers/analyse.js';
import { ethernet, pcapFile, tcpPacket } from '../helpers/packets.js';

const text = (s: string): Buffer => Buffer.from(s, 'latin1');

/** A payload cut by the snap length (no sum: its bytes are kept), or captured whole with its sum. */
function cut(seq: number, bytes: Buffer, frame: number, len = bytes.length + 100): Payload {
  return { seq, len, bytes, offset: 0, captured: bytes.length, sum: undefined, frame };
}
function whole(seq: number, bytes: Buffer, frame: number, sum: number): Payload {
  return { seq, len: bytes.length, bytes, offset: 0, captured: bytes.length, sum, frame };
}

describe('copies of unacknowledged payload', () => {
  it('finds the first differing byte of an overlap, whatever the segment boundaries', () => {
    const kept = new SentPayloads();
    kept.remember(cut(100, text('abcdefgh'), 4));
    kept.remember(cut(108, text('ijklmnop'), 5));
    expect(kept.conflict(cut(104, text('efghijkl'), 0))).toBeUndefined();
    expect(kept.conflict(cut(104, text('efghiXkl'), 0))).toEqual({ frame: 5, seq: 109 });
    expect(kept.conflict(cut(98, text('..abcZ'), 0))).toEqual({ frame: 4, seq: 103 });
    // Bytes beyond everything kept cannot conflict.
    expect(kept.conflict(cut(116, text('qrst'), 0))).toBeUndefined();
  });

  it('compares a whole resend with the same boundaries by its payload sum, without keeping bytes', () => {
    const kept = new SentPayloads();
    kept.remember(whole(100, text('GOOD'), 4, 0x1234));
    expect(kept.conflict(whole(100, text('GOOD'), 0, 0x1234))).toBeUndefined();
    expect(kept.conflict(whole(100, text('EVIL'), 0, 0x4321))).toEqual({ frame: 4, seq: undefined });
    // Other boundaries cannot be compared by sums.
    expect(kept.conflict(whole(102, text('IL'), 0, 0x4321))).toBeUndefined();
  });

  it('works across the 2^32 wrap of sequence numbers', () => {
    const kept = new SentPayloads();
    kept.remember(cut(0xfffffffc, text('abcdefgh'), 1));
    expect(kept.conflict(cut(0xfffffffe, text('cdeX'), 0))).toEqual({ frame: 1, seq: 1 });
  });

  it('forgets what the peer acknowledged', () => {
    const kept = new SentPayloads();
    kept.remember(cut(100, text('abcd'), 1, 4));
    kept.remember(cut(104, text('efgh'), 2, 4));
    kept.acknowledged(104);
    expect(kept.conflict(cut(100, text('XXXX'), 0))).toBeUndefined();
    expect(kept.conflict(cut(104, text('eXgh'), 0))).toEqual({ frame: 2, seq: 105 });
  });

  it('stays within its caps: the oldest copies give way, the newest still compare', () => {
    const kept = new SentPayloads();
    const block = Buffer.alloc(1000, 0x41);
    let seq = 0;
    for (let frame = 1; frame <= 200; frame++, seq += 1000) kept.remember(cut(seq, block, frame));
    const changed = Buffer.alloc(1000, 0x42);
    expect(kept.conflict(cut(0, changed, 0))).toBeUndefined(); // long given up
    expect(kept.conflict(cut(seq - 1000, changed, 0))).toEqual({ frame: 200, seq: seq - 1000 });
    expect(MAX_KEPT_SEGMENTS * 1000).toBeLessThanOrEqual(MAX_KEPT_BYTES);
    expect(kept.conflict(cut(seq - 1000 * MAX_KEPT_SEGMENTS, changed, 0))).toEqual({ frame: 201 - MAX_KEPT_SEGMENTS, seq: seq - 1000 * MAX_KEPT_SEGMENTS });
  });

  it('keeps working when the ring wraps with segments of mixed sizes', () => {
    const kept = new SentPayloads();
    let seq = 0;
    const sizes = [1448, 700, 3000, 1, 9000, 1448, 512];
    for (let i = 0; i < 400; i++) {
      const n = sizes[i % sizes.length]!;
      const bytes = Buffer.alloc(n, i & 0xff);
      if (i % 3 === 0) kept.remember(whole(seq + 50_000_000, bytes, 1000 + i, i)); // sum-only records in between
      kept.remember(cut(seq, bytes, i + 1));
      expect(kept.conflict(cut(seq, bytes, 0))).toBeUndefined();
      const other = Buffer.alloc(n, (i + 1) & 0xff);
      expect(kept.conflict(cut(seq, other, 0))).toEqual({ frame: i + 1, seq });
      seq += n;
      if (i % 50 === 49) kept.acknowledged(seq - 2000);
    }
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
    const found = connections[0]!.anomalies.filter((a) => a.kind === 'overlap-different-data' || a.kind === 'capture-duplicate');
    expect(found.map((a) => [a.kind, a.frame])).toEqual([['overlap-different-data', 5]]);
    expect(found[0]!.message).toContain('frame 4');
  });
});
