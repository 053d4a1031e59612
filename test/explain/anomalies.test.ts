import { describe, expect, it } from 'vitest';
import { ANOMALY_EXPLANATIONS, explainAnomaly } from '../../src/explain/anomalies.js';
import { ANOMALY_KINDS } from '../../src/events.js';

const entries = Object.entries(ANOMALY_EXPLANATIONS);
const texts = (e: (typeof entries)[number][1]): string[] => [e.title, e.meaning, ...e.causes, ...e.check, ...e.refs];

describe('anomaly explanations', () => {
  // A kind without an explanation, or an explanation of no kind, does not compile
  // (`satisfies Record<AnomalyKind, …>`); this checks the frozen table at run time too.
  it('explains exactly the kinds the detector emits', () => {
    expect(Object.keys(ANOMALY_EXPLANATIONS).sort()).toEqual(Object.keys(ANOMALY_KINDS).sort());
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
    const known: ReadonlySet<string> = new Set(Object.keys(ANOMALY_KINDS));
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

  it('takes only kinds: an unknown one does not compile, and no inherited name is a key', () => {
    // @ts-expect-error -- not an anomaly kind
    expect(explainAnomaly('no-such-kind')).toBeUndefined();
    expect(Object.hasOwn(ANOMALY_EXPLANATIONS, 'toString')).toBe(false);
    expect(explainAnomaly('zero-window').refs).toContain('RFC 9293 §3.8.6');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(ANOMALY_EXPLANATIONS)).toBe(true);
  });
});
