import { describe, expect, it } from 'vitest';
import { ANOMALY_EXPLANATIONS, explainAnomaly } from '../../src/explain/anomalies.js';
import { ANOMALY_KINDS } from '../../src/tcp/anomalies.js';

/** The kinds of the anomaly catalogue (docs, section 3), copied once: the detector emits a subset today. */
const CATALOGUE_KINDS = [
  'syn-retransmission',
  'synack-retransmission',
  'synack-wrong-ack',
  'handshake-ack-wrong',
  'syn-with-data',
  'tfo-data-ignored',
  'simultaneous-open',
  'syn-in-connection',
  'port-reuse',
  'time-wait-reuse',
  'connection-refused',
  'bad-flags',
  'fin-bad-seq',
  'data-after-fin',
  'fin-retransmission',
  'rst-in-window-not-exact',
  'rst-out-of-window',
  'rst-ignored',
  'rst-after-fin',
  'rst-with-data',
  'retransmission',
  'fast-retransmission',
  'spurious-retransmission',
  'out-of-order',
  'previous-segment-not-captured',
  'keep-alive',
  'keep-alive-ack',
  'overlap-different-data',
  'zero-window',
  'zero-window-probe',
  'zero-window-probe-ack',
  'window-full',
  'window-update',
  'window-shrink',
  'segment-beyond-window',
  'wscale-invalid',
  'ack-unseen-segment',
  'ack-backwards',
  'duplicate-ack',
  'dsack',
  'timestamp-regression',
  'midstream-pickup',
  'truncated-by-snaplen',
  'bad-checksum',
  'oversized-segment',
  'capture-duplicate',
] as const;

const entries = Object.entries(ANOMALY_EXPLANATIONS);
const texts = (e: (typeof entries)[number][1]): string[] => [e.title, e.meaning, ...e.causes, ...e.check, ...e.refs];

describe('anomaly explanations', () => {
  it('the copied catalogue list has no duplicates and covers every kind the detector emits', () => {
    expect(new Set(CATALOGUE_KINDS).size).toBe(CATALOGUE_KINDS.length);
    const catalogue: ReadonlySet<string> = new Set(CATALOGUE_KINDS);
    expect(Object.keys(ANOMALY_KINDS).filter((k) => !catalogue.has(k))).toEqual([]);
  });

  it('explains every kind the detector emits', () => {
    const missing = Object.keys(ANOMALY_KINDS).filter((k) => explainAnomaly(k) === undefined);
    expect(missing).toEqual([]);
  });

  it('explains exactly the kinds of the catalogue', () => {
    expect(Object.keys(ANOMALY_EXPLANATIONS).sort()).toEqual([...CATALOGUE_KINDS].sort());
  });

  it.each(entries)('%s: fields are filled and within bounds', (_kind, e) => {
    expect(e.title.trim()).not.toBe('');
    expect(e.title).not.toMatch(/\n/);
    expect(e.meaning.trim()).not.toBe('');
    expect(e.causes.length).toBeGreaterThanOrEqual(2);
    expect(e.causes.length).toBeLessThanOrEqual(5);
    expect(e.check.length).toBeGreaterThanOrEqual(1);
    expect(e.check.length).toBeLessThanOrEqual(3);
    expect(e.refs.length).toBeGreaterThanOrEqual(1);
    for (const t of [...e.causes, ...e.check, ...e.refs]) expect(t.trim()).not.toBe('');
  });

  it('mentions no kind that does not exist (kinds are written in backticks)', () => {
    const known: ReadonlySet<string> = new Set(CATALOGUE_KINDS);
    const unknown: string[] = [];
    for (const [kind, e] of entries) {
      for (const t of texts(e)) {
        for (const m of t.matchAll(/`([^`]*)`/g)) {
          const word = m[1] ?? '';
          if (/^[a-z]+(?:-[a-z]+)*$/.test(word) && !known.has(word)) unknown.push(`${kind}: ${word}`);
        }
        expect(t.split('`').length % 2, `${kind}: unbalanced backticks in "${t}"`).toBe(1);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('returns undefined for unknown kinds, including inherited property names', () => {
    expect(explainAnomaly('no-such-kind')).toBeUndefined();
    expect(explainAnomaly('constructor')).toBeUndefined();
    expect(explainAnomaly('toString')).toBeUndefined();
    expect(explainAnomaly('zero-window')?.refs).toContain('RFC 9293 §3.8.6');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(ANOMALY_EXPLANATIONS)).toBe(true);
  });
});
