import { describe, expect, it } from 'vitest';
import type { TrackerEvent, TransitionEvent } from '../../src/events.js';
import { handshake, run, type Step } from '../helpers/segments.js';

const CI = 1000;
const SI = 5000;

const est: Step[] = [
  ...handshake(CI, SI),
  { from: 'c', flags: 'P.', seq: CI + 1, ack: SI + 1, len: 100 },
  { from: 's', flags: '.', seq: SI + 1, ack: CI + 101 },
];

/** [side, step, evidence] of every transition. */
function steps(events: TrackerEvent[]): [string, string, object][] {
  return events.filter((e): e is TransitionEvent => e.type === 'transition').map((e) => [e.side, e.step, e.evidence]);
}

describe('transition steps and their numbers', () => {
  it('the handshake: SYN, SYN-ACK and ACK with the ISNs they carry and acknowledge', () => {
    expect(steps(run(handshake(CI, SI)))).toEqual([
      ['client', 'syn-sent', { isn: CI }],
      ['server', 'synack-sent', { isn: SI, ack: CI + 1, ackedIsn: CI }],
      ['client', 'handshake-ack-sent', { ack: SI + 1, ackedIsn: SI }],
      ['server', 'handshake-ack-received', { ack: SI + 1, ackedIsn: SI }],
    ]);
  });

  it('the four-segment close: first FIN, its ACK, second FIN, last ACK', () => {
    const ev = run(
      [
        ...est,
        { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 1 }, // 6
        { from: 's', flags: '.', seq: SI + 1, ack: CI + 102 }, // 7
        { from: 's', flags: 'F.', seq: SI + 1, ack: CI + 102 }, // 8
        { from: 'c', flags: '.', seq: CI + 102, ack: SI + 2 }, // 9
      ],
      30,
    );
    expect(steps(ev).slice(4)).toEqual([
      ['client', 'fin-sent', { finSeq: CI + 101 }],
      ['server', 'fin-received', { finSeq: CI + 101 }],
      ['client', 'fin-acked', { ack: CI + 102, finSeq: CI + 101 }],
      ['server', 'second-fin-sent', { finSeq: SI + 1 }],
      ['client', 'second-fin-received', { finSeq: SI + 1, timeWait: 60 }],
      ['server', 'last-ack-received', { ack: SI + 2, finSeq: SI + 1 }],
    ]);
  });

  it('the three-segment close: the second FIN also acknowledges the first (FIN+ACK)', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 1 },
      { from: 's', flags: 'F.', seq: SI + 1, ack: CI + 102 },
      { from: 'c', flags: '.', seq: CI + 102, ack: SI + 2 },
    ]);
    expect(
      steps(ev)
        .slice(4)
        .map(([side, step]) => [side, step]),
    ).toEqual([
      ['client', 'fin-sent'],
      ['server', 'fin-received'],
      ['server', 'second-fin-with-ack'],
      ['client', 'fin-acked-by-fin'],
      ['client', 'second-fin-received'],
      ['server', 'last-ack-received'],
    ]);
  });

  it('a simultaneous close: the FINs cross; both sides, their FINs unacknowledged, go through CLOSING', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 1 },
      { from: 's', flags: 'F.', seq: SI + 1, ack: CI + 101 },
      { from: 'c', flags: '.', seq: CI + 102, ack: SI + 2 },
      { from: 's', flags: '.', seq: SI + 2, ack: CI + 102 },
    ]);
    expect(
      steps(ev)
        .slice(4)
        .map(([side, step]) => [side, step]),
    ).toEqual([
      ['client', 'fin-sent'],
      ['server', 'simultaneous-fin-sent'],
      ['client', 'fin-received-while-closing'],
      ['server', 'fin-received-while-closing'],
      ['server', 'fin-acked-while-closing'],
      ['client', 'fin-acked-while-closing'],
    ]);
  });

  it('a refused connection and a reset', () => {
    expect(
      steps(
        run([
          { from: 'c', flags: 'S', seq: CI },
          { from: 's', flags: 'R.', seq: 0, ack: CI + 1 },
        ]),
      ),
    ).toEqual([
      ['client', 'syn-sent', { isn: CI }],
      ['client', 'refused', { ack: CI + 1, ackedIsn: CI }],
    ]);
    const reset = run([...est, { from: 'c', flags: 'R', seq: CI + 101 }]);
    expect(steps(reset).slice(4)).toEqual([
      ['client', 'rst-sent', { rstSeq: CI + 101 }],
      ['server', 'rst-received', { rstSeq: CI + 101 }],
    ]);
  });

  it('TIME_WAIT running out on capture time says how long it lasted', () => {
    const ev = run(
      [
        ...est,
        { from: 'c', flags: 'F.', seq: CI + 101, ack: SI + 1 },
        { from: 's', flags: 'F.', seq: SI + 1, ack: CI + 102 },
        { from: 'c', flags: '.', seq: CI + 102, ack: SI + 2 },
        { from: 'c', flags: 'S', seq: CI + 50_000, t: 100 },
      ],
      1,
    );
    const expired = ev.find((e): e is TransitionEvent => e.type === 'transition' && e.step === 'time-wait-expired');
    expect(expired).toMatchObject({
      side: 'client',
      from: 'TIME_WAIT',
      to: 'CLOSED',
      inferred: true,
      evidence: { timeWait: 2 },
    });
  });
});
