import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACK, FIN, RST, SYN, type Segment } from '../../src/segment.js';
import { seqLt } from '../../src/tcp/seq.js';
import { analyse } from '../helpers/analyse.js';
import { decode } from '../helpers/capture.js';

/**
 * Our anomalies against tshark's per-frame tcp.analysis flags, recorded beside each real
 * capture in fixtures/anomalies/ by the fixture script (tshark is not needed here). For the
 * kinds both tools have, every frame must agree, except the differences excused below,
 * each with the reason we are right.
 */
const fixtures = new URL('../../fixtures/', import.meta.url).pathname;
const files = ['anomalies', 'cases']
  .flatMap((sub) =>
    readdirSync(join(fixtures, sub))
      .filter((f) => f.endsWith('.tshark.json'))
      .map((f) => join(sub, f)),
  )
  .sort();

/** tshark flag → our kinds that answer to it (tshark also sets "retransmission" on fast and spurious ones). */
const KINDS: Record<string, string[]> = {
  retransmission: [
    'retransmission',
    'syn-retransmission',
    'synack-retransmission',
    'fin-retransmission',
    'fast-retransmission',
    'spurious-retransmission',
  ],
  fast_retransmission: ['fast-retransmission'],
  spurious_retransmission: ['spurious-retransmission'],
  out_of_order: ['out-of-order'],
  lost_segment: ['previous-segment-not-captured'],
  ack_lost_segment: ['ack-unseen-segment'],
  duplicate_ack: ['duplicate-ack'],
  zero_window: ['zero-window'],
  zero_window_probe: ['zero-window-probe'],
  zero_window_probe_ack: ['zero-window-probe-ack'],
  window_full: ['window-full'],
  window_update: ['window-update'],
  keep_alive: ['keep-alive'],
  keep_alive_ack: ['keep-alive-ack'],
};

interface Difference {
  flag: string;
  frame: number;
  side: 'only tshark' | 'only ours';
  tshark: Set<string>;
  ours: Set<string>;
  /** The segment of the frame was sent after every earlier-captured segment of its sender with higher seq. */
  sentAfterLaterBytes: boolean;
  /** Every byte of the frame's payload was in earlier captured segments of its sender. */
  resendsCapturedBytes: boolean;
  /** The frame is a second SYN-ACK with another seq, or the ACK of one. */
  secondSynAck: boolean;
  /** The frame's data lies below the seq of an earlier RST of the same sender. */
  belowEarlierRst: boolean;
  /** The frame acknowledges, beyond its sender's previous ACK, only bytes the capture holds. */
  acksOnlySeenBytes: boolean;
}

/** ACKs whose newly acknowledged bytes (since their sender's previous ACK) were all captured. */
function acksOnlySeenBytes(segments: Segment[]): Set<number> {
  const out = new Set<number>();
  const lastAck = new Map<string, number>();
  const sent = new Map<string, [number, number][]>();
  for (const s of segments) {
    const key = `${s.src}:${s.sport}>${s.dst}:${s.dport}`;
    const back = `${s.dst}:${s.dport}>${s.src}:${s.sport}`;
    if (s.len > 0) (sent.get(key) ?? sent.set(key, []).get(key)!).push([s.seq, (s.seq + s.len) >>> 0]);
    if (!(s.flags & ACK)) continue;
    const previous = lastAck.get(key);
    lastAck.set(key, s.ack);
    if (previous === undefined || !seqLt(previous, s.ack)) continue;
    let covered = previous;
    for (const [from, to] of [...(sent.get(back) ?? [])].sort((x, y) => (x[0] - y[0]) | 0))
      if (!seqLt(covered, from) && seqLt(covered, to)) covered = to;
    if (!seqLt(covered, s.ack)) out.add(s.frame);
  }
  return out;
}

/** Data or FIN segments whose seq lies below that of an earlier RST in their sender's name. */
function belowEarlierRst(segments: Segment[]): Set<number> {
  const out = new Set<number>();
  const rstSeq = new Map<string, number>();
  for (const s of segments) {
    const key = `${s.src}:${s.sport}>${s.dst}:${s.dport}`;
    const rst = rstSeq.get(key);
    if (s.flags & RST) {
      if (rst === undefined || seqLt(rst, s.seq)) rstSeq.set(key, s.seq);
    } else if ((s.len > 0 || s.flags & FIN) && rst !== undefined && seqLt(s.seq, rst)) out.add(s.frame);
  }
  return out;
}

/** Second SYN-ACKs of a port pair with another seq, and the segments acknowledging their ISN + 1. */
function secondSynAcks(segments: Segment[]): Set<number> {
  const out = new Set<number>();
  const first = new Map<string, number>();
  const answers = new Map<string, number>();
  for (const s of segments) {
    const key = `${s.src}:${s.sport}>${s.dst}:${s.dport}`;
    const back = `${s.dst}:${s.dport}>${s.src}:${s.sport}`;
    if ((s.flags & (SYN | ACK)) === (SYN | ACK)) {
      const seen = first.get(key);
      if (seen === undefined) first.set(key, s.seq);
      else if (seen !== s.seq) {
        out.add(s.frame);
        answers.set(back, (s.seq + 1) >>> 0);
      }
    } else if ((s.flags & ACK) !== 0 && answers.get(key) === s.ack) out.add(s.frame);
  }
  return out;
}

/** Frames whose payload bytes were all captured before, from the packets alone. */
function resendsCapturedBytes(segments: Segment[]): Set<number> {
  const out = new Set<number>();
  const ranges = new Map<string, [number, number][]>();
  for (const s of segments) {
    if (s.len === 0) continue;
    const key = `${s.src}:${s.sport}>${s.dst}:${s.dport}`;
    const seen = ranges.get(key) ?? ranges.set(key, []).get(key)!;
    // Offsets from the first segment's seq: the lab transfers are far below 2^31 bytes.
    const base = seen.length === 0 ? s.seq : seen[0]![0];
    const from = (s.seq - base) | 0;
    const to = from + s.len;
    let covered = from;
    for (const [a, b] of [...seen].map(([x, y]) => [(x - base) | 0, (y - base) | 0]).sort((x, y) => x[0]! - y[0]!))
      if (a! <= covered && b! > covered) covered = b!;
    if (seen.length > 0 && covered >= to) out.add(s.frame);
    seen.push([s.seq, (s.seq + s.len) >>> 0]);
  }
  return out;
}

/**
 * Frames whose segment was sent after every segment of the same sender captured before it
 * with higher sequence numbers, by the IPv4 ID (each stack counts it up per packet): such a
 * segment fills a hole late because it is a resend, not a first copy delayed on the way.
 * Worked out from the packets alone, without the tracker.
 */
function sentAfterLaterBytes(segments: Segment[]): Set<number> {
  const out = new Set<number>();
  const seen = new Map<string, { seq: number; end: number; id: number }[]>();
  for (const s of segments) {
    if (s.len === 0 || s.ipId === undefined || s.ipId === 0) continue;
    const key = `${s.src}:${s.sport}>${s.dst}:${s.dport}`;
    const earlier = seen.get(key) ?? seen.set(key, []).get(key)!;
    const later = earlier.filter((e) => seqLt(s.seq, e.seq));
    if (later.length > 0 && later.every((e) => ((s.ipId! - e.id) & 0xffff) > 0 && ((s.ipId! - e.id) & 0xffff) < 0x8000))
      out.add(s.frame);
    earlier.push({ seq: s.seq, end: s.seq + s.len, id: s.ipId });
  }
  return out;
}

/** Differences where we are right, each with why. */
const EXCUSES: { why: string; applies: (d: Difference) => boolean }[] = [
  {
    why:
      'Linux probes a zero window with an empty segment at SND.UNA−1 (tcp_xmit_probe_skb): ' +
      "tshark calls it a keep-alive because of its shape; the peer's window is 0, " +
      'so it is a zero-window probe (anomalies.md §4 notes)',
    applies: (d) =>
      (d.side === 'only tshark' && d.flag === 'keep_alive' && d.ours.has('zero-window-probe')) ||
      (d.side === 'only ours' && d.flag === 'zero_window_probe' && d.tshark.has('keep_alive')),
  },
  {
    why:
      'the zero-window ACK answering such a probe is a zero-window-probe ACK; ' +
      'tshark misses it because it did not call the probe a probe',
    applies: (d) =>
      d.side === 'only ours' &&
      d.flag === 'zero_window_probe_ack' &&
      d.tshark.has('zero_window') &&
      !d.tshark.has('keep_alive_ack'),
  },
  {
    why:
      'a segment filling a hole that its sender sent after the segments that followed the hole ' +
      '(its IPv4 ID is newer than theirs) is a resend of a copy lost before the capture point, ' +
      'not reordering: tshark calls it out-of-order only because it came within one round trip ' +
      '(fixtures/cases/README.md, loss-before-capture, has the proof from both sides)',
    applies: (d) =>
      d.sentAfterLaterBytes &&
      d.ours.has('retransmission') &&
      ((d.side === 'only tshark' && d.flag === 'out_of_order') ||
        (d.side === 'only ours' && d.flag === 'retransmission' && d.tshark.has('out_of_order'))),
  },
  {
    why:
      'a segment whose bytes the capture already holds is a resend, however soon it comes ' +
      '(a segment delayed on the way is a first copy and fills a hole instead): tshark calls it ' +
      'out-of-order only because it came within one round trip of the highest segment ' +
      '(fixtures/cases/README.md, loss-after-capture, has the proof from the receiver)',
    applies: (d) =>
      d.resendsCapturedBytes &&
      (d.ours.has('retransmission') || d.ours.has('fast-retransmission')) &&
      ((d.side === 'only tshark' && d.flag === 'out_of_order') ||
        (d.side === 'only ours' && d.flag === 'retransmission' && d.tshark.has('out_of_order'))),
  },
  {
    why:
      'a second SYN-ACK with another ISN restarts the handshake from that ISN (RFC 9293 §3.5): tshark reads ' +
      'it as a jump in sequence space (lost segment, reused ports) and the ACK of its ISN + 1 as acknowledging ' +
      'unseen bytes; we report synack-isn-changed (fixtures/cases/synack-new-isn.pcap.expected.json)',
    applies: (d) =>
      d.secondSynAck &&
      d.side === 'only tshark' &&
      ['lost_segment', 'ack_lost_segment'].includes(d.flag) &&
      !d.ours.has('ack-unseen-segment'),
  },
  {
    why:
      "a RST forged in a side's name with a seq ahead of it makes tshark take that seq as the side's " +
      'next one, so its later segments (bytes never seen before) look like retransmissions ' +
      '(fixtures/cases/README.md, injected-rst, has the proof with the forged RSTs cut out)',
    applies: (d) =>
      d.belowEarlierRst && !d.resendsCapturedBytes && d.side === 'only tshark' && d.flag === 'retransmission',
  },
  {
    why:
      'an ACK that acknowledges, beyond its previous one, only bytes the capture holds acknowledges ' +
      "nothing unseen: after a hole Wireshark's maxseqtobeacked moves only when a segment starts " +
      'exactly at it, so it flags the ACK of the first segment after the hole again ' +
      '(fixtures/cases/README.md, capture-missed-data)',
    applies: (d) => d.acksOnlySeenBytes && d.side === 'only tshark' && d.flag === 'ack_lost_segment',
  },
  {
    why:
      'the same packet recorded twice by the capture (same IPv4 ID and header within 200 ms, ' +
      'or the same header within 1 ms with nothing from the peer in between) ' +
      'is not a retransmission, a duplicate ACK or reordering: ' +
      'tshark 4.0 has no notion of capture duplicates (tcptrace check_hw_dups); ' +
      'a copy of data 20 ms late comes within its handshake RTT, so it says out-of-order ' +
      '(fixtures/cases/README.md, relay-copies, has the byte-for-byte proof)',
    applies: (d) =>
      d.side === 'only tshark' &&
      (d.flag === 'retransmission' || d.flag === 'duplicate_ack' || d.flag === 'out_of_order') &&
      d.ours.has('capture-duplicate'),
  },
];

describe('anomalies agree with tshark on real captures', () => {
  it('has captures with tshark verdicts', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    it(file.replace('.tshark.json', ''), async () => {
      const truth = JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as {
        capture: string;
        frames: Record<string, string[]>;
      };
      const capture = join(fixtures, dirname(file), truth.capture);
      const { connections } = await analyse(capture);
      const segments = decode(readFileSync(capture)).segments;
      const resent = sentAfterLaterBytes(segments);
      const again = resendsCapturedBytes(segments);
      const restarted = secondSynAcks(segments);
      const afterForgedRst = belowEarlierRst(segments);
      const seenOnly = acksOnlySeenBytes(segments);
      const ours = new Map<number, Set<string>>();
      for (const c of connections)
        for (const a of c.anomalies) (ours.get(a.frame) ?? ours.set(a.frame, new Set()).get(a.frame)!).add(a.kind);
      const theirs = new Map(Object.entries(truth.frames).map(([f, flags]) => [Number(f), new Set(flags)]));
      const unexcused: string[] = [];
      for (const [flag, kinds] of Object.entries(KINDS)) {
        const t = new Set([...theirs].filter(([, s]) => s.has(flag)).map(([f]) => f));
        const o = new Set([...ours].filter(([, s]) => kinds.some((k) => s.has(k))).map(([f]) => f));
        for (const f of new Set([...t, ...o])) {
          if (t.has(f) && o.has(f)) continue;
          const d: Difference = {
            flag,
            frame: f,
            side: t.has(f) ? 'only tshark' : 'only ours',
            tshark: theirs.get(f) ?? new Set(),
            ours: ours.get(f) ?? new Set(),
            sentAfterLaterBytes: resent.has(f),
            resendsCapturedBytes: again.has(f),
            secondSynAck: restarted.has(f),
            belowEarlierRst: afterForgedRst.has(f),
            acksOnlySeenBytes: seenOnly.has(f),
          };
          if (!EXCUSES.some((e) => e.applies(d)))
            unexcused.push(
              `frame ${f}: ${flag} ${d.side} (tshark: ${[...d.tshark].join(',') || '-'}; ` +
                `ours: ${[...d.ours].join(',') || '-'})`,
            );
        }
      }
      expect(unexcused).toEqual([]);
    });
  }
});
