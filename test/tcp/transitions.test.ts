// The transition table: every (state, segment class) pair has a row or says why it is
// ignored, and every step a reporter words has a row that produces it.
import { describe, expect, it } from 'vitest';
import { TCP_STATES, type TransitionStep } from '../../src/events.js';
import { IGNORED, SEGMENT_CLASSES, TRANSITIONS, transitionRow, type SegmentClass } from '../../src/tcp/transitions.js';

/** Every step, checked complete by the compiler. */
const STEPS = {
  'syn-sent': true,
  'syn-retried-after-reset': true,
  'synack-sent': true,
  'handshake-ack-sent': true,
  'handshake-ack-received': true,
  'simultaneous-syn-sent': true,
  'simultaneous-syn-crossed': true,
  'simultaneous-syn-received': true,
  'simultaneous-synack-sent': true,
  'simultaneous-synack-received': true,
  'synack-ack-not-captured': true,
  'ack-sent-synack-not-captured': true,
  'synack-not-captured': true,
  'data-sent-handshake-ack-not-captured': true,
  'handshake-ack-not-captured': true,
  'fin-sent': true,
  'simultaneous-fin-sent': true,
  'second-fin-sent': true,
  'second-fin-with-ack': true,
  'fin-received': true,
  'fin-received-while-closing': true,
  'second-fin-received': true,
  'fin-acked': true,
  'fin-acked-by-fin': true,
  'fin-acked-while-closing': true,
  'last-ack-received': true,
  'time-wait-expired': true,
  'time-wait-ended-by-new-syn': true,
  refused: true,
  'rst-sent': true,
  'rst-received': true,
  'rst-received-in-syn-sent': true,
  'rst-received-in-time-wait': true,
} satisfies Record<TransitionStep, true>;

const CLASSES = Object.keys(SEGMENT_CLASSES) as SegmentClass[];

describe('the transition table', () => {
  it('covers every (state, class) pair exactly once: a row, or an ignored entry with its reason', () => {
    const problems: string[] = [];
    for (const state of TCP_STATES) {
      for (const on of CLASSES) {
        const rows = TRANSITIONS.filter((r) => r.state === state && r.on === on).length;
        const ignored = IGNORED.filter((i) => i.on === on && i.states.includes(state)).length;
        if (rows + ignored !== 1) problems.push(`${state} × ${on}: ${rows} rows, ${ignored} ignored entries`);
      }
    }
    expect(problems).toEqual([]);
    expect(TCP_STATES).toHaveLength(11);
  });

  it('gives a reason for every ignored pair, and names only known classes', () => {
    for (const i of IGNORED) {
      expect(i.because.length, i.on).toBeGreaterThan(20);
      expect(CLASSES).toContain(i.on);
    }
  });

  it('produces every step the reporters word, and changes the state in every row', () => {
    const produced = new Set(TRANSITIONS.flatMap((r) => (r.step === undefined ? [] : [r.step])));
    expect([...produced].sort()).toEqual(Object.keys(STEPS).sort());
    for (const r of TRANSITIONS) {
      expect(r.to, `${r.state} × ${r.on}`).not.toBe(r.state);
      expect(r.rfc, `${r.state} × ${r.on}`).toMatch(/\d/);
    }
  });

  it('makes a change no packet shows (no step, no event) only as an inference', () => {
    for (const r of TRANSITIONS.filter((x) => x.step === undefined))
      expect(r.inferred, `${r.state} × ${r.on}`).toBe(true);
  });

  it('looks rows up by state and class', () => {
    expect(transitionRow('ESTABLISHED', 'send-fin')).toMatchObject({ to: 'FIN_WAIT_1', step: 'fin-sent' });
    expect(transitionRow('FIN_WAIT_1', 'receive-fin')).toMatchObject({
      to: 'CLOSING',
      step: 'fin-received-while-closing',
    });
    expect(transitionRow('CLOSING', 'receive-fin-ack')).toMatchObject({ to: 'TIME_WAIT' });
    expect(transitionRow('TIME_WAIT', 'receive-fin')).toBeUndefined();
  });
});
