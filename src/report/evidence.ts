import { together } from './wrap.js';

/** Evidence keys in words, for the short line of a repeated anomaly. */
const LABELS: Readonly<Record<string, string>> = {
  ack: 'ack',
  count: 'repeat',
  nxt: 'sent up to',
  rightEdge: 'window edge',
  ackFrame: 'acked in frame',
  gapFrame: 'hole from frame',
  dupAcks: 'dup ACKs',
  rstFrame: 'RST in frame',
  finSeq: 'FIN at',
  synLen: 'SYN data',
  win: 'window',
  len: 'length',
  mss: 'MSS',
  isn: 'ISN',
  tsval: 'TSval',
  previous: 'before',
  expected: 'expected',
  window: 'window',
  shift: 'shift',
  bad: 'bad checksums',
  checked: 'checked',
  first: 'first FIN at',
  end: 'ends at',
};

/** How a hole (or an early ACK) was explained, as the tracker's `cause` evidence says. */
const CAUSES: Readonly<Record<string, string>> = {
  'capture-loss': 'capture loss',
  'lost-before-capture': 'lost before the capture point',
  reordered: 'reordered',
  resent: 'resent',
  unexplained: 'not explained',
  'capture-reordered': 'the capture reordered it',
  'lost-after-capture': 'lost after the capture point',
  'sent-earlier': 'sent before the later bytes',
};

/**
 * An anomaly's evidence as one short phrase, for repeats of a kind already explained in
 * full: "bytes 1000–2447 (1448), sent up to 5000", "ack 1001, repeat 2", "4548 → 4559".
 * Each part is kept whole for wrapping (print it through the wrap functions).
 */
export function describeEvidence(evidence: Record<string, number | string>): string {
  const rest = new Map(Object.entries(evidence));
  const parts: string[] = [];
  const take = (key: string): number | string | undefined => {
    const v = rest.get(key);
    rest.delete(key);
    return v;
  };
  const range = (from: number, to: number): string => `bytes ${from}–${(to - 1) >>> 0} (${(to - from) >>> 0})`;
  const num = (key: string): number | undefined => {
    const v = rest.get(key);
    return typeof v === 'number' ? v : undefined;
  };

  const seq = num('seq');
  const end = num('end');
  const from = num('from');
  const to = num('to');
  const left = num('left');
  const right = num('right');
  if (seq !== undefined && end !== undefined && end !== seq) {
    take('seq');
    take('end');
    parts.push(range(seq, end));
  } else if (from !== undefined && to !== undefined && rest.has('bytes')) {
    take('from');
    take('to');
    take('bytes');
    parts.push(range(from, to));
  } else if (from !== undefined && to !== undefined) {
    take('from');
    take('to');
    parts.push(`${from} → ${to}`);
  } else if (left !== undefined && right !== undefined) {
    take('left');
    take('right');
    parts.push(range(left, right));
  }
  const cause = take('cause');
  const after = take('after');
  for (const [key, value] of rest) parts.push(`${LABELS[key] ?? key} ${value}`);
  if (typeof after === 'number') parts.push(`after ${after} s`);
  if (typeof cause === 'string') parts.push(CAUSES[cause] ?? cause);
  return parts.map(together).join(', ');
}
