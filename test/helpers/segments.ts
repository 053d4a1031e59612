import type { TrackerEvent, TransitionEvent } from '../../src/events.js';
import { FlowTable } from '../../src/flows/table.js';
import { ACK, FIN, PSH, RST, SYN, type Segment, type TcpOptions } from '../../src/segment.js';

export const C = { addr: '10.0.0.1', port: 40000 };
export const S = { addr: '10.0.0.2', port: 80 };

/** A tiny language for scripted conversations: who sends which flags with which numbers. */
export interface Step {
  from: 'c' | 's';
  flags: string; // letters: S F R P and '.' for ACK
  seq: number;
  ack?: number;
  len?: number;
  win?: number;
  t?: number; // seconds since start; default: frame index × 0.001
  options?: TcpOptions;
  ipId?: number;
}

export function flagBits(letters: string): number {
  let f = 0;
  for (const ch of letters) {
    if (ch === 'S') f |= SYN;
    else if (ch === 'F') f |= FIN;
    else if (ch === 'R') f |= RST;
    else if (ch === 'P') f |= PSH;
    else if (ch === '.') f |= ACK;
    else throw new Error(`unknown flag letter ${ch}`);
  }
  return f;
}

export function segment(step: Step, frame: number, client = C, server = S): Segment {
  const [src, dst] = step.from === 'c' ? [client, server] : [server, client];
  const t = step.t ?? frame * 0.001;
  const sec = Math.floor(t);
  return {
    frame,
    sec: 1_700_000_000 + sec,
    nsec: Math.round((t - sec) * 1e9),
    timeIsEpoch: true,
    src: src.addr,
    dst: dst.addr,
    sport: src.port,
    dport: dst.port,
    flags: flagBits(step.flags),
    seq: step.seq >>> 0,
    ack: (step.ack ?? 0) >>> 0,
    len: step.len ?? 0,
    win: step.win ?? 65535,
    urp: 0,
    options: step.options,
    truncated: false,
    checksum: 'ok',
    seqRelative: false,
    ...(step.ipId === undefined ? {} : { ipId: step.ipId }),
  };
}

/** Runs the steps through a flow table and returns every event. */
export function run(steps: (Step | Segment)[], mslSeconds = 30): TrackerEvent[] {
  const events: TrackerEvent[] = [];
  const table = new FlowTable((e) => events.push(e), { mslSeconds });
  steps.forEach((st, i) => {
    table.segment('frame' in st ? st : segment(st, i + 1));
  });
  table.finish();
  return events;
}

/** Transitions as compact tuples: [side, from, to, frame]. */
export function transitions(events: TrackerEvent[], conn?: number): [string, string, string, number][] {
  return events
    .filter((e): e is TransitionEvent => e.type === 'transition' && (conn === undefined || e.conn === conn))
    .map((e) => [e.side, e.from, e.to, e.frame]);
}

export function finals(events: TrackerEvent[]): { client: string; server: string }[] {
  return events.flatMap((e) => (e.type === 'end' ? [e.final] : []));
}

export function anomalies(
  events: TrackerEvent[],
): { kind: string; frame: number; message: string; evidence: Record<string, number | string> }[] {
  return events.flatMap((e) =>
    e.type === 'anomaly' ? [{ kind: e.kind, frame: e.frame, message: e.message, evidence: e.evidence }] : [],
  );
}

/** The usual opening: client ISN ci, server ISN si. */
export function handshake(ci: number, si: number): Step[] {
  return [
    { from: 'c', flags: 'S', seq: ci },
    { from: 's', flags: 'S.', seq: si, ack: ci + 1 },
    { from: 'c', flags: '.', seq: ci + 1, ack: si + 1 },
  ];
}
