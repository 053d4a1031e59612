import { describe, expect, it } from 'vitest';
import type { TrackerEvent } from '../../src/events.js';
import type { Step } from '../helpers/segments.js';
import { anomalies, finals, handshake, run, transitions } from '../helpers/segments.js';

const CI = 1000;
const SI = 5000;
const est: Step[] = [
  ...handshake(CI, SI),
  { from: 'c', flags: 'P.', seq: CI + 1, ack: SI + 1, len: 10 },
  { from: 's', flags: '.', seq: SI + 1, ack: CI + 11 },
];
const kinds = (steps: Step[]): [string, number][] => anomalies(run(steps)).map((a) => [a.kind, a.frame]);

describe('anomalies the state tracker sees', () => {
  it('connection-refused', () => {
    expect(
      kinds([
        { from: 'c', flags: 'S', seq: CI },
        { from: 's', flags: 'R.', seq: 0, ack: CI + 1 },
      ]),
    ).toEqual([['connection-refused', 2]]);
  });

  it('simultaneous-open', () => {
    expect(
      kinds([
        { from: 'c', flags: 'S', seq: CI },
        { from: 's', flags: 'S', seq: SI },
      ]),
    ).toEqual([['simultaneous-open', 2]]);
  });

  it('syn-in-connection: a new ISN inside an established connection', () => {
    expect(kinds([...est, { from: 'c', flags: 'S', seq: 77777 }])).toEqual([['syn-in-connection', 6]]);
  });

  it('syn-in-connection twice: the side keeps its ISN, so the second is no SYN retransmission', () => {
    const again = (t: number) => ({ from: 'c', flags: 'S', seq: 777777, t }) as const;
    expect(kinds([...est, again(1), again(2)])).toEqual([
      ['syn-in-connection', 6],
      ['syn-in-connection', 7],
    ]);
  });

  it('port-reuse after a full close, time-wait-reuse while TIME_WAIT lasts', () => {
    const close: Step[] = [
      { from: 'c', flags: 'F.', seq: CI + 11, ack: SI + 1 },
      { from: 's', flags: 'F.', seq: SI + 1, ack: CI + 12 },
      { from: 'c', flags: '.', seq: CI + 12, ack: SI + 2 },
    ];
    const a = anomalies(run([...est, ...close, { from: 'c', flags: 'S', seq: 900000, t: 1 }]));
    expect(a.map((x) => [x.kind, x.frame])).toEqual([['time-wait-reuse', 9]]);
    expect(a[0]!.message).toContain('client was still in TIME_WAIT');
    // The client, in TIME_WAIT itself, reuses its port with an ISN inside its old sequence space.
    const risky = anomalies(run([...est, ...close, { from: 'c', flags: 'S', seq: CI + 5, t: 1 }]));
    expect(risky[0]).toMatchObject({ kind: 'time-wait-reuse', evidence: { isn: CI + 5 } });
    expect(risky[0]!.message).toContain('opened by that side itself');
    expect(risky[0]!.message).toContain('old duplicates of the previous connection could pass for new data');
    // The server closed first and is in TIME_WAIT: it may reject a SYN below the client's old space.
    const serverClose: Step[] = [
      { from: 's', flags: 'F.', seq: SI + 1, ack: CI + 11 },
      { from: 'c', flags: 'F.', seq: CI + 11, ack: SI + 2 },
      { from: 's', flags: '.', seq: SI + 2, ack: CI + 12 },
    ];
    const rejected = anomalies(run([...est, ...serverClose, { from: 'c', flags: 'S', seq: CI + 5, t: 1 }]));
    expect(rejected.map((x) => [x.kind, x.frame])).toEqual([['time-wait-reuse', 9]]);
    expect(rejected[0]!.message).toContain('server was still in TIME_WAIT');
    expect(rejected[0]!.message).toContain('may reject it');
    const accepted = anomalies(run([...est, ...serverClose, { from: 'c', flags: 'S', seq: CI + 500, t: 1 }]));
    expect(accepted[0]!.message).toContain('accepted because');
    const reset = anomalies(
      run([...est, { from: 'c', flags: 'R', seq: CI + 11 }, { from: 'c', flags: 'S', seq: 900000, t: 1 }]),
    );
    expect(reset.map((x) => [x.kind, x.frame])).toEqual([['port-reuse', 7]]);
  });

  it('syn-with-data and tfo-data-ignored', () => {
    expect(
      kinds([
        { from: 'c', flags: 'S', seq: CI, len: 20, options: { tfo: 'abcd' } },
        { from: 's', flags: 'S.', seq: SI, ack: CI + 1 },
      ]),
    ).toEqual([
      ['syn-with-data', 1],
      ['tfo-data-ignored', 2],
    ]);
  });

  it('midstream-pickup once, at the first packet', () => {
    expect(
      kinds([
        { from: 's', flags: '.', seq: 10, ack: 20 },
        { from: 'c', flags: '.', seq: 20, ack: 10 },
      ]),
    ).toEqual([['midstream-pickup', 1]]);
  });

  it('bad-flags: SYN+FIN, no flags, and an ack field without the ACK flag', () => {
    const a = anomalies(
      run([
        { from: 'c', flags: 'SF', seq: CI },
        { from: 'c', flags: '', seq: CI + 5 },
        { from: 'c', flags: 'P', seq: CI + 9, ack: 1234 },
      ]),
    );
    expect(a.filter((x) => x.kind === 'bad-flags').map((x) => x.frame)).toEqual([1, 2, 3]);
  });

  it('data-after-fin and fin-bad-seq', () => {
    expect(
      kinds([
        ...est,
        { from: 'c', flags: 'F.', seq: CI + 11, ack: SI + 1 }, // 6: FIN at CI+11
        { from: 'c', flags: 'FP.', seq: CI + 12, ack: SI + 1, len: 5 }, // 7: data after it, and a FIN elsewhere
      ]).filter(([k]) => k === 'data-after-fin' || k === 'fin-bad-seq'),
    ).toEqual([
      ['data-after-fin', 7],
      ['fin-bad-seq', 7],
    ]);
  });

  it('RST checks: with data, after a FIN, in window but not exact, out of window', () => {
    expect(kinds([...est, { from: 'c', flags: 'R', seq: CI + 11, len: 4 }])).toEqual([['rst-with-data', 6]]);
    expect(
      kinds([...est, { from: 'c', flags: 'F.', seq: CI + 11, ack: SI + 1 }, { from: 's', flags: 'R', seq: SI + 1 }]),
    ).toEqual([['rst-after-fin', 7]]);
    expect(kinds([...est, { from: 'c', flags: 'R', seq: CI + 500 }])).toEqual([['rst-in-window-not-exact', 6]]);
    expect(kinds([...est, { from: 'c', flags: 'R', seq: CI + 900000 }])).toEqual([['rst-out-of-window', 6]]);
  });

  it(
    'rst-ignored: the receiver keeps sending after a RST it rejected, ' +
      'or long after one that should have closed it',
    () => {
      expect(
        kinds([...est, { from: 'c', flags: 'R', seq: CI + 500 }, { from: 's', flags: '.', seq: SI + 1, ack: CI + 11 }]),
      ).toEqual([
        ['rst-in-window-not-exact', 6],
        ['rst-ignored', 7],
        ['duplicate-ack', 7],
      ]); // the challenge ACK repeats the ack
      const exact = (t: number): Step[] => [
        ...est,
        { from: 'c', flags: 'R', seq: CI + 11, t: 1 },
        { from: 's', flags: 'P.', seq: SI + 1, ack: CI + 11, len: 5, t },
      ];
      expect(kinds(exact(1.001))).toEqual([]); // already in flight when the RST was sent
      expect(kinds(exact(3))).toEqual([['rst-ignored', 7]]);
      expect(
        kinds([...est, { from: 'c', flags: 'R', seq: CI + 11, t: 1 }, { from: 'c', flags: 'S', seq: 99999, t: 3 }]),
      ).toEqual([['port-reuse', 7]]);
    },
  );

  it(
    "rst-ignored: the RST's own sender goes on sending, so the RST was sent in its name " +
      '(Suricata suspected_rst_inject)',
    () => {
      const after = (next: Step): TrackerEvent[] =>
        run([...est, { from: 'c', flags: 'R.', seq: CI + 11, ack: SI + 1, t: 1 }, next]);
      const data = after({ from: 'c', flags: 'P.', seq: CI + 11, ack: SI + 1, len: 20, t: 1.001 });
      expect(anomalies(data).map((a) => [a.kind, a.frame])).toEqual([['rst-ignored', 7]]);
      expect(anomalies(data)[0]!.message).toContain('was not its own');
      // More RSTs, or a new attempt with a SYN, are not the reset connection going on.
      expect(
        kinds([
          ...est,
          { from: 'c', flags: 'R.', seq: CI + 11, ack: SI + 1, t: 1 },
          { from: 'c', flags: 'R', seq: CI + 11, t: 1.001 },
        ]),
      ).toEqual([]);
      expect(anomalies(after({ from: 'c', flags: 'S', seq: 99999, t: 3 })).map((a) => a.kind)).toEqual(['port-reuse']);
    },
  );

  it(
    'timestamp-regression in SYN_SENT: a RST or FIN echoing no TSval of the SYN ' + 'is dropped by the client (forged)',
    () => {
      const ts = (tsval: number, tsecr: number) => ({ tsval, tsecr });
      const forged = (synOptions: Step['options']): Step[] => [
        { from: 'c', flags: 'S', seq: CI, options: synOptions },
        { from: 's', flags: 'R.', seq: 0, ack: CI + 1, options: ts(100, 100) }, // 2: forged refusal
        { from: 's', flags: 'F.', seq: 0, ack: CI + 1, options: ts(100, 100) }, // 3: forged close
        { from: 'c', flags: 'R', seq: CI + 1 }, // 4: the client's answer to the segment it dropped
        { from: 's', flags: 'S.', seq: SI, ack: CI + 1, options: ts(7000, 500) },
        { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1, options: ts(501, 7000) },
        { from: 'c', flags: 'P.', seq: CI + 1, ack: SI + 1, len: 10, options: ts(501, 7000) },
      ];
      for (const synOptions of [ts(500, 0), undefined]) {
        const events = run(forged(synOptions));
        expect(anomalies(events).map((a) => [a.kind, a.frame])).toEqual([
          ['timestamp-regression', 2],
          ['timestamp-regression', 3],
        ]);
        expect(anomalies(events)[0]!.message).toContain(
          synOptions === undefined ? 'carried no timestamp' : 'carried TSval 500',
        );
        expect(transitions(events).map(([side, , to, frame]) => [side, to, frame])).toEqual([
          ['client', 'SYN_SENT', 1],
          ['server', 'SYN_RCVD', 5],
          ['client', 'ESTABLISHED', 6],
          ['server', 'ESTABLISHED', 6],
        ]);
        expect(finals(events)).toEqual([{ client: 'ESTABLISHED', server: 'ESTABLISHED' }]);
      }
      // A refusal that echoes the SYN's TSval (or none) is a real one.
      for (const options of [ts(100, 500), ts(100, 0), undefined]) {
        expect(
          kinds([
            { from: 'c', flags: 'S', seq: CI, options: ts(500, 0) },
            { from: 's', flags: 'R.', seq: 0, ack: CI + 1, options },
          ]),
        ).toEqual([['connection-refused', 2]]);
      }
    },
  );
});
