import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../helpers/analyse.js';

/**
 * Our anomalies against tshark's per-frame tcp.analysis flags, recorded beside each real
 * capture in fixtures/anomalies/ by the fixture script (tshark is not needed here). For the
 * kinds both tools have, every frame must agree, except the differences excused below,
 * each with the reason we are right.
 */
const dir = new URL('../../fixtures/anomalies/', import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.tshark.json'))
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
      'the same packet recorded twice by the capture (same IPv4 ID and header, ' +
      'or the same header within 1 ms with nothing from the peer in between) ' +
      'is not a retransmission or a duplicate ACK: ' +
      'tshark 4.0 has no notion of capture duplicates (tcptrace check_hw_dups)',
    applies: (d) =>
      d.side === 'only tshark' &&
      (d.flag === 'retransmission' || d.flag === 'duplicate_ack') &&
      d.ours.has('capture-duplicate'),
  },
];

describe('anomalies agree with tshark on real captures', () => {
  it('has captures with tshark verdicts', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    it(file.replace('.tshark.json', ''), async () => {
      const truth = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
        capture: string;
        frames: Record<string, string[]>;
      };
      const { connections } = await analyse(join(dir, truth.capture));
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
