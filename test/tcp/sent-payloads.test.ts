import { describe, expect, it } from 'vitest';
import { MAX_KEPT_BYTES, MAX_KEPT_SEGMENTS, SentPayloads } from '../../src/tcp/sent-payloads.js';
import { ACK, SYN } from '../../src/segment.js';
import { analyse } from '../helpers/analyse.js';
import { ethernet, pcapFile, tcpPacket } from '../helpers/packets.js';

const text = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('copies of unacknowledged payload', () => {
  it('finds the first differing byte of an overlap, whatever the segment boundaries', () => {
    const kept = new SentPayloads();
    kept.remember(100, text('abcdefgh'), 0, 8, 4);
    kept.remember(108, text('ijklmnop'), 0, 8, 5);
    expect(kept.conflict(104, text('efghijkl'), 0, 8)).toBeUndefined();
    expect(kept.conflict(104, text('efghiXkl'), 0, 8)).toEqual({ frame: 5, seq: 109 });
    expect(kept.conflict(98, text('..abcZ'), 0, 6)).toEqual({ frame: 4, seq: 103 });
    // Bytes beyond everything kept cannot conflict.
    expect(kept.conflict(116, text('qrst'), 0, 4)).toBeUndefined();
  });

  it('works across the 2^32 wrap of sequence numbers', () => {
    const kept = new SentPayloads();
    kept.remember(0xfffffffc, text('abcdefgh'), 0, 8, 1);
    expect(kept.conflict(0xfffffffe, text('cdeX'), 0, 4)).toEqual({ frame: 1, seq: 1 });
  });

  it('forgets what the peer acknowledged', () => {
    const kept = new SentPayloads();
    kept.remember(100, text('abcd'), 0, 4, 1);
    kept.remember(104, text('efgh'), 0, 4, 2);
    kept.acknowledged(104);
    expect(kept.conflict(100, text('XXXX'), 0, 4)).toBeUndefined();
    expect(kept.conflict(104, text('eXgh'), 0, 4)).toEqual({ frame: 2, seq: 105 });
  });

  it('stays within its caps: the oldest copies give way, the newest still compare', () => {
    const kept = new SentPayloads();
    const block = Buffer.alloc(1000, 0x41);
    let seq = 0;
    for (let frame = 1; frame <= 200; frame++, seq += 1000) kept.remember(seq, block, 0, 1000, frame);
    const changed = Buffer.alloc(1000, 0x42);
    expect(kept.conflict(0, changed, 0, 1000)).toBeUndefined(); // long given up
    expect(kept.conflict(seq - 1000, changed, 0, 1000)).toEqual({ frame: 200, seq: seq - 1000 });
    expect(MAX_KEPT_SEGMENTS * 1000).toBeLessThanOrEqual(MAX_KEPT_BYTES);
    expect(kept.conflict(seq - 1000 * MAX_KEPT_SEGMENTS, changed, 0, 1000)).toEqual({ frame: 201 - MAX_KEPT_SEGMENTS, seq: seq - 1000 * MAX_KEPT_SEGMENTS });
  });

  it('keeps working when the ring wraps with segments of mixed sizes', () => {
    const kept = new SentPayloads();
    let seq = 0;
    const sizes = [1448, 700, 3000, 1, 9000, 1448, 512];
    for (let i = 0; i < 400; i++) {
      const n = sizes[i % sizes.length]!;
      const bytes = Buffer.alloc(n, i & 0xff);
      kept.remember(seq, bytes, 0, n, i + 1);
      expect(kept.conflict(seq, bytes, 0, n)).toBeUndefined();
      const other = Buffer.alloc(n, (i + 1) & 0xff);
      expect(kept.conflict(seq, other, 0, n)).toEqual({ frame: i + 1, seq });
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
