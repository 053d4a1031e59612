import { describe, expect, it } from 'vitest';
import type { TransitionEvent } from '../../src/events.js';
import { ANOMALY_EXPLANATIONS, likelyCauses } from '../../src/explain/anomalies.js';
import { describeEvidence as describeEvidenceForWrap } from '../../src/report/evidence.js';
import { describeTransition as describeTransitionForWrap } from '../../src/report/transition-words.js';
import { humanBytes } from '../../src/report/units.js';
import { durationInWords, plural } from '../../src/report/words.js';
import { keepPhrasesTogether, together, unbroken, wrapParagraph, wrapWords } from '../../src/report/wrap.js';

describe('numbers in words', () => {
  it('sizes in SI units, as every view prints them', () => {
    expect([0, 42, 999, 1000, 1448, 204800, 304080, 5 * 1000 * 1000 + 1].map(humanBytes)).toEqual([
      '0 B',
      '42 B',
      '999 B',
      '1.0 kB',
      '1.4 kB',
      '204.8 kB',
      '304.1 kB',
      '5.0 MB',
    ]);
  });

  it('durations from microseconds to hours', () => {
    expect([0, 0.000044, 0.8016, 1.0023, 3.26851, 12.5, 60, 125, 119.6, 7260].map(durationInWords)).toEqual([
      '0 s',
      '44 µs',
      '801.6 ms',
      '1.002 s',
      '3.269 s',
      '12.5 s',
      '1 min',
      '2 min 5 s',
      '2 min',
      '2 h 1 min',
    ]);
  });

  it('plurals', () => {
    expect([plural(1, 'packet'), plural(6, 'packet'), plural(0, 'TCP connection')]).toEqual([
      '1 packet',
      '6 packets',
      '0 TCP connections',
    ]);
  });
});

describe('wrapping', () => {
  it('wraps at spaces with a hanging indent, never wider than the width', () => {
    const text = 'the quick brown fox jumps over the lazy dog and keeps running far away';
    const lines = wrapParagraph(text, 24, 2, 4);
    expect(lines[0]!.startsWith('  the')).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('      ') && !l.startsWith('       '))).toBe(true);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(24);
    expect(lines.join(' ').replace(/ +/g, ' ').trim()).toBe(text);
  });

  it('keeps a phrase together and prints its spaces as plain spaces', () => {
    const lines = wrapWords(`aaaa bbbb ${together('ack 1001 = client ISN + 1')} cccc`, 20);
    expect(lines).toContain('ack 1001 = client ISN + 1');
    expect(lines.join('')).not.toContain('\u00a0');
  });

  it('keeps labelled numbers and short commands on one line', () => {
    const lines = wrapWords(keepPhrasesTogether('xxxxxxxx seq 123456789 then `ss -tni dst PEER` please', 40), 12);
    expect(lines).toContain('seq 123456789');
    expect(lines).toContain('`ss -tni dst PEER`');
  });

  it('a word longer than the line keeps a line of its own', () => {
    expect(wrapWords('a verylongwordindeed b', 5)).toEqual(['a', 'verylongwordindeed', 'b']);
  });
});

describe('evidence of a repeated anomaly', () => {
  // The phrases come ready for wrapping; printed, their spaces are plain ones.
  const describeEvidence = (e: Record<string, number | string>): string => unbroken(describeEvidenceForWrap(e));

  it('byte ranges, window changes, the hole verdict and named numbers', () => {
    expect(describeEvidence({ seq: 1000, end: 2448, nxt: 5000 })).toBe('bytes 1000–2447 (1448), sent up to 5000');
    expect(describeEvidence({ from: 1000, to: 2448, bytes: 1448, cause: 'capture-loss' })).toBe(
      'bytes 1000–2447 (1448), capture loss',
    );
    expect(describeEvidence({ from: 4548, to: 4559 })).toBe('4548 → 4559');
    expect(describeEvidence({ ack: 5000, count: 3 })).toBe('ack 5000, repeat 3');
    expect(describeEvidence({})).toBe('');
  });
});

describe('likely causes', () => {
  it('narrow to the cause the tracker found, and fall back to the ranking', () => {
    expect(likelyCauses('previous-segment-not-captured', { cause: 'capture-loss' })[0]).toMatch(
      /^The capture dropped packets/,
    );
    expect(likelyCauses('previous-segment-not-captured', { cause: 'lost-before-capture' })).toEqual([
      'Real loss before the capture point: a `retransmission` fills the hole later.',
    ]);
    expect(likelyCauses('previous-segment-not-captured', { cause: 'unexplained' })).toEqual(
      ANOMALY_EXPLANATIONS['previous-segment-not-captured'].causes,
    );
    expect(likelyCauses('spurious-retransmission', { cause: 'capture-reordered' })[0]).toMatch(
      /capture reordered packets/,
    );
  });

  it('every narrowed list is a non-empty list of sentences', () => {
    for (const [kind, e] of Object.entries(ANOMALY_EXPLANATIONS)) {
      for (const [verdict, causes] of Object.entries(e.causesWhen ?? {})) {
        expect(causes.length, `${kind} ${verdict}`).toBeGreaterThan(0);
        for (const c of causes) expect(c).toMatch(/^[A-Z].*\.$/);
      }
    }
  });
});

describe('transitions in words', () => {
  const describeTransition = (e: TransitionEvent): string => unbroken(describeTransitionForWrap(e));
  const t = (over: Partial<TransitionEvent>): TransitionEvent => ({
    type: 'transition',
    conn: 1,
    side: 'server',
    from: 'LISTEN',
    to: 'SYN_RCVD',
    frame: 2,
    time: 0,
    reason: '',
    step: 'synack-sent',
    evidence: {},
    ...over,
  });

  it('names the handshake step and checks the ack against the ISN it answers', () => {
    expect(describeTransition(t({ evidence: { isn: 500, ack: 1001, ackedIsn: 1000 } }))).toBe(
      'second handshake: the server acknowledges the SYN (ack 1001 = client ISN + 1) ' +
        'and sends its own ISN 500 (SYN-ACK)',
    );
    expect(describeTransition(t({ evidence: { isn: 500, ack: 7, ackedIsn: 1000 } }))).toContain(
      '(ack 7, not client ISN + 1 = 1001)',
    );
    expect(describeTransition(t({ evidence: { isn: 500, ack: 0, ackedIsn: 4294967295 } }))).toContain(
      'ack 0 = client ISN + 1',
    );
    expect(describeTransition(t({ evidence: { isn: 500, ack: 1001 } }))).toContain(
      "(ack 1001; the client's SYN is not in the capture)",
    );
  });

  it('names the close steps', () => {
    expect(
      describeTransition(
        t({ side: 'client', from: 'ESTABLISHED', to: 'FIN_WAIT_1', step: 'fin-sent', evidence: { finSeq: 43 } }),
      ),
    ).toMatch(/^first FIN: the client closes its sending direction \(FIN, seq 43\)/);
    expect(
      describeTransition(
        t({
          side: 'server',
          from: 'CLOSE_WAIT',
          to: 'LAST_ACK',
          step: 'second-fin-with-ack',
          evidence: { finSeq: 97, ack: 44 },
        }),
      ),
    ).toMatch(/^second FIN: .* acknowledges the client's FIN \(ack 44\): FIN and ACK in one, a three-segment close$/);
    expect(
      describeTransition(
        t({
          side: 'client',
          from: 'FIN_WAIT_2',
          to: 'TIME_WAIT',
          step: 'second-fin-received',
          evidence: { finSeq: 97, timeWait: 60 },
        }),
      ),
    ).toContain('waits 2×MSL (60 s)');
  });
});
