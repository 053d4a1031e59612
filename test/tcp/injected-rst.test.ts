// A RST is not believed before the evidence (fixtures/cases/README.md, injected-rst): the
// side in whose name a forged RST came keeps its connection when it goes on sending, the
// receiver follows RFC 5961, and the RST findings are where the expected file puts them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../helpers/analyse.js';
import { finals, run, transitions, type Step } from '../helpers/segments.js';

const cases = new URL('../../fixtures/cases/', import.meta.url).pathname;

interface RstClaim {
  kind: string;
  frame: number;
}

describe('a RST in a side’s name, against the evidence', () => {
  it('the real capture: every RST finding the expected file states, at its frame', async () => {
    const expected = JSON.parse(readFileSync(`${cases}injected-rst.pcap.expected.json`, 'utf8')) as {
      connections: { rst: RstClaim[] }[];
    };
    const { connections } = await analyse(`${cases}injected-rst.pcap`);
    expected.connections.forEach((want, i) => {
      const got = connections[i]!.anomalies.map((a) => `${a.kind} ${a.frame}`);
      for (const claim of want.rst) expect(got, `connection ${i + 1}`).toContain(`${claim.kind} ${claim.frame}`);
    });
  });

  const CI = 1000;
  const SI = 5000;
  const est: Step[] = [
    { from: 'c', flags: 'S', seq: CI },
    { from: 's', flags: 'S.', seq: SI, ack: CI + 1 },
    { from: 'c', flags: '.', seq: CI + 1, ack: SI + 1 },
  ];

  it('rst_then_data: an exact RST the client then contradicts closes only the server', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'R.', seq: CI + 1, ack: SI + 1, t: 0.1 }, // 4: forged, exact
      { from: 'c', flags: 'P.', seq: CI + 1, ack: SI + 1, len: 10, t: 0.2 }, // 5: the client goes on
      { from: 's', flags: 'R', seq: SI + 1, t: 0.2001 }, // 6: the closed server answers with a RST
    ]);
    expect(transitions(ev).slice(4)).toEqual([
      ['server', 'ESTABLISHED', 'CLOSED', 4],
      ['client', 'ESTABLISHED', 'CLOSED', 6],
    ]);
  });

  it('rst_last: a RST nothing contradicts closes its sender, then its receiver, at its frame', () => {
    const ev = run([...est, { from: 'c', flags: 'R.', seq: CI + 1, ack: SI + 1, t: 0.1 }]);
    expect(transitions(ev).slice(4)).toEqual([
      ['client', 'ESTABLISHED', 'CLOSED', 4],
      ['server', 'ESTABLISHED', 'CLOSED', 4],
    ]);
  });

  it('rst_silence: two seconds without a packet of its sender count as evidence too', () => {
    const ev = run([
      ...est,
      { from: 'c', flags: 'R.', seq: CI + 50, ack: SI + 1, t: 0.1 }, // 4: in window, not exact
      { from: 's', flags: '.', seq: SI + 1, ack: CI + 1, t: 3 }, // 5: the server, still open
    ]);
    expect(transitions(ev).slice(4)).toEqual([['client', 'ESTABLISHED', 'CLOSED', 4]]);
    expect(finals(ev)).toEqual([{ client: 'CLOSED', server: 'ESTABLISHED' }]);
  });
});
