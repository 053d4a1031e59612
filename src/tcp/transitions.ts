// Every state change the tracker makes, in one table a reader can scan like smoltcp's
// `match (self.state, control)`: (state, what the segment means for this side) → next state,
// the step id reporters word, and the RFC clause. The tracker's handlers only decide which
// class a segment is for each side; `ConnectionTracker.transition()` looks the row up and is
// the one writer of an endpoint's state. Within a segment the sender's rows come first, then
// the receiver's: its ACK field before its FIN bit (RFC 9293 §3.10.7.4, fifth then eighth step).
import type { TcpState, TransitionStep } from '../events.js';

/** What a segment (or the passing of time) means for one side, with the class's meaning. */
export const SEGMENT_CLASSES = {
  // ── what the side sends ──
  'send-syn-while-assumed-listening':
    'Its own SYN, from a side assumed listening: a listener sends none, so the assumption goes.',
  'send-syn': 'A SYN with a new ISN.',
  'send-syn-again-after-refusal': 'The same SYN again after the peer refused it (Windows retries a refused connect()).',
  'send-syn-crossing': "A SYN while the peer's own SYN is on its way (simultaneous open).",
  'send-synack': "A SYN-ACK answering the peer's SYN.",
  'send-handshake-ack': "The ACK of the peer's SYN-ACK: the third segment of the handshake.",
  'send-ack-without-synack': 'An ACK although no SYN-ACK of the peer was captured.',
  'send-data-before-handshake-ack': 'Data or FIN from a side whose handshake ACK the capture did not show.',
  'send-fin': 'Its FIN.',
  'send-fin-crossing': "Its FIN while the peer's FIN is on its way (simultaneous close).",
  'send-fin-with-ack': "Its FIN, acknowledging the peer's FIN in the same segment (FIN+ACK from CLOSE_WAIT).",
  'send-rst': 'A RST on a connection it had.',
  'send-rst-refusing': 'A RST answering a SYN nobody listened for.',
  // ── what reaches the side ──
  'receive-syn': "The peer's SYN.",
  'receive-syn-crossing': "The peer's SYN while its own SYN is on its way (simultaneous open).",
  'receive-crossed-syn': "For the sender of a crossing SYN: the peer's SYN, already on its way, reaches it too.",
  'receive-synack': "The peer's SYN-ACK acknowledging its SYN, while in SYN_RCVD (simultaneous open).",
  'receive-handshake-ack': 'The ACK of its SYN-ACK.',
  'receive-ack-of-unseen-synack': "The peer acknowledges a SYN-ACK of this side's that the capture does not hold.",
  'peer-established-without-handshake-ack': "The peer is established, so this side's handshake ACK was sent unseen.",
  'receive-fin-ack': 'The ACK of its FIN.',
  'receive-fin-ack-with-fin': "The ACK of its FIN, in a segment carrying the peer's own FIN.",
  'receive-fin': "The peer's FIN.",
  'receive-rst': 'A RST with exactly the sequence number it expects next (RFC 5961 §3.2).',
  'receive-rst-refusal': 'A RST acknowledging its SYN, from a peer that never listened.',
  'receive-rst-in-syn-sent': 'A RST acknowledging its SYN, from a peer that had answered.',
  // ── what the capture shows by what it lacks, and time ──
  'capture-ends-after-synack': "The capture ends after the peer's SYN-ACK: the ACK answering it is not in it.",
  'time-passes': '2×MSL of capture time passed.',
  'new-syn-on-port-pair': "A new connection's SYN on the same port pair.",
} as const;

export type SegmentClass = keyof typeof SEGMENT_CLASSES;

export interface TransitionRow {
  state: TcpState;
  on: SegmentClass;
  to: TcpState;
  /** The step reporters word; undefined for a change no packet of the capture shows (no event). */
  step: TransitionStep | undefined;
  rfc: string;
  /** Not proven by a packet of this side. */
  inferred?: true;
}

const row = (
  state: TcpState,
  on: SegmentClass,
  to: TcpState,
  step: TransitionStep | undefined,
  rfc: string,
  inferred?: true,
): TransitionRow => (inferred ? { state, on, to, step, rfc, inferred } : { state, on, to, step, rfc });

export const TRANSITIONS: readonly TransitionRow[] = [
  // ── Opening (RFC 9293 §3.5, figures 6 and 7) ──
  // LISTEN is never seen, only assumed when a SYN reaches a side; the side's own SYN shows it was not.
  row('LISTEN', 'send-syn-while-assumed-listening', 'CLOSED', undefined, '9293 §3.5', true),
  row('CLOSED', 'send-syn', 'SYN_SENT', 'syn-sent', '9293 §3.5'),
  row('CLOSED', 'send-syn-again-after-refusal', 'SYN_SENT', 'syn-retried-after-reset', '9293 §3.10.1'),
  row('CLOSED', 'send-syn-crossing', 'SYN_SENT', 'simultaneous-syn-sent', '9293 §3.5 fig. 7'),
  // The SYN reached a port nobody was seen opening: it listens, or it will refuse.
  row('CLOSED', 'receive-syn', 'LISTEN', undefined, '9293 §3.5', true),
  row('SYN_SENT', 'receive-syn-crossing', 'SYN_RCVD', 'simultaneous-syn-received', '9293 §3.5 fig. 7'),
  row('SYN_SENT', 'receive-crossed-syn', 'SYN_RCVD', 'simultaneous-syn-crossed', '9293 §3.5 fig. 7', true),
  row('LISTEN', 'send-synack', 'SYN_RCVD', 'synack-sent', '9293 §3.5'),
  row('CLOSED', 'send-synack', 'SYN_RCVD', 'synack-sent', '9293 §3.5'),
  row('SYN_SENT', 'send-synack', 'SYN_RCVD', 'simultaneous-synack-sent', '9293 §3.5 fig. 7'),
  row('SYN_RCVD', 'receive-synack', 'ESTABLISHED', 'simultaneous-synack-received', '9293 §3.5 fig. 7'),
  row('SYN_SENT', 'send-handshake-ack', 'ESTABLISHED', 'handshake-ack-sent', '9293 §3.5'),
  row('SYN_RCVD', 'receive-handshake-ack', 'ESTABLISHED', 'handshake-ack-received', '9293 §3.10.7.4'),
  row('SYN_SENT', 'send-ack-without-synack', 'ESTABLISHED', 'ack-sent-synack-not-captured', '9293 §3.5', true),
  row('LISTEN', 'receive-ack-of-unseen-synack', 'SYN_RCVD', 'synack-not-captured', '9293 §3.5', true),
  // A side in SYN_RCVD sends no data or FIN (§3.10.7.4): its handshake ACK came, unseen.
  row(
    'SYN_RCVD',
    'send-data-before-handshake-ack',
    'ESTABLISHED',
    'data-sent-handshake-ack-not-captured',
    '9293 §3.10.7.4',
    true,
  ),
  row(
    'SYN_SENT',
    'peer-established-without-handshake-ack',
    'ESTABLISHED',
    'handshake-ack-not-captured',
    '9293 §3.5',
    true,
  ),
  row('SYN_SENT', 'capture-ends-after-synack', 'ESTABLISHED', 'synack-ack-not-captured', '9293 §3.5', true),

  // ── Closing (§3.6, figures 12 and 13) ──
  row('ESTABLISHED', 'send-fin', 'FIN_WAIT_1', 'fin-sent', '9293 §3.6'),
  row('SYN_RCVD', 'send-fin', 'FIN_WAIT_1', 'fin-sent', '9293 §3.10.4'),
  row('ESTABLISHED', 'send-fin-crossing', 'FIN_WAIT_1', 'simultaneous-fin-sent', '9293 §3.6 fig. 13'),
  row('SYN_RCVD', 'send-fin-crossing', 'FIN_WAIT_1', 'simultaneous-fin-sent', '9293 §3.6 fig. 13'),
  row('CLOSE_WAIT', 'send-fin', 'LAST_ACK', 'second-fin-sent', '9293 §3.6'),
  row('CLOSE_WAIT', 'send-fin-with-ack', 'LAST_ACK', 'second-fin-with-ack', '9293 §3.6'),
  // The ACK field is processed before the FIN bit (§3.10.7.4): these rows come first.
  row('FIN_WAIT_1', 'receive-fin-ack', 'FIN_WAIT_2', 'fin-acked', '9293 §3.10.7.4'),
  row('FIN_WAIT_1', 'receive-fin-ack-with-fin', 'FIN_WAIT_2', 'fin-acked-by-fin', '9293 §3.10.7.4'),
  row('CLOSING', 'receive-fin-ack', 'TIME_WAIT', 'fin-acked-while-closing', '9293 §3.10.7.4'),
  row('CLOSING', 'receive-fin-ack-with-fin', 'TIME_WAIT', 'fin-acked-while-closing', '9293 §3.10.7.4'),
  row('LAST_ACK', 'receive-fin-ack', 'CLOSED', 'last-ack-received', '9293 §3.10.7.4'),
  row('LAST_ACK', 'receive-fin-ack-with-fin', 'CLOSED', 'last-ack-received', '9293 §3.10.7.4'),
  row('ESTABLISHED', 'receive-fin', 'CLOSE_WAIT', 'fin-received', '9293 §3.10.7.4'),
  row('SYN_RCVD', 'receive-fin', 'CLOSE_WAIT', 'fin-received', '9293 §3.10.7.4'),
  row('FIN_WAIT_1', 'receive-fin', 'CLOSING', 'fin-received-while-closing', '9293 §3.10.7.4'),
  row('FIN_WAIT_2', 'receive-fin', 'TIME_WAIT', 'second-fin-received', '9293 §3.10.7.4'),
  row('TIME_WAIT', 'time-passes', 'CLOSED', 'time-wait-expired', '9293 §3.6.1', true),
  row('TIME_WAIT', 'new-syn-on-port-pair', 'CLOSED', 'time-wait-ended-by-new-syn', '9293 §3.6.1; RFC 6191'),

  // ── Resets (§3.5.2, §3.10.7; RFC 5961 §3) ──
  ...(
    ['SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK'] as const
  ).flatMap((state) => [
    row(state, 'send-rst', 'CLOSED', 'rst-sent', '9293 §3.5.2'),
    ...(state === 'SYN_SENT' ? [] : [row(state, 'receive-rst', 'CLOSED', 'rst-received', '9293 §3.10.7.4; 5961 §3.2')]),
  ]),
  row('TIME_WAIT', 'send-rst', 'CLOSED', 'rst-sent', '9293 §3.5.2'),
  // RFC 1337-minded stacks ignore it; RFC 9293 closes.
  row('TIME_WAIT', 'receive-rst', 'CLOSED', 'rst-received-in-time-wait', '9293 §3.10.7.4; 1337'),
  // It never listened: a change no packet of its own shows.
  row('LISTEN', 'send-rst-refusing', 'CLOSED', undefined, '9293 §3.10.7.1', true),
  row('SYN_SENT', 'receive-rst-refusal', 'CLOSED', 'refused', '9293 §3.10.7.3'),
  row('SYN_SENT', 'receive-rst-in-syn-sent', 'CLOSED', 'rst-received-in-syn-sent', '9293 §3.10.7.3'),
];

/** A (state, class) pair with no row: nothing changes, for the reason given. */
export interface IgnoredPair {
  on: SegmentClass;
  states: readonly TcpState[];
  because: string;
}

const SYNCHRONIZED = [
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
] as const satisfies readonly TcpState[];
const CLOSING_OR_CLOSED = ['FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'] as const;
const HAS_SENT_FIN = ['FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'] as const;

/**
 * Every pair without a row, with why nothing changes (smoltcp's `_ => unexpected packet`,
 * made explicit): a test checks that rows and these cover each (state, class) pair once.
 */
export const IGNORED: readonly IgnoredPair[] = [
  {
    on: 'send-syn-while-assumed-listening',
    states: ['CLOSED', 'SYN_SENT', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'only an assumed LISTEN is withdrawn; other states are what the side was seen to do',
  },
  {
    on: 'send-syn',
    states: ['LISTEN', 'SYN_SENT', 'SYN_RCVD', ...SYNCHRONIZED],
    because:
      'an assumed LISTEN is withdrawn first (send-syn-while-assumed-listening); ' +
      'a SYN from a side that already has a connection is a retransmission or a new attempt (SYN_SENT), or ' +
      'a SYN inside the connection, answered by a challenge ACK (RFC 5961 §4; the flow table opens a new ' +
      'connection where the old one is over)',
  },
  {
    on: 'send-syn-again-after-refusal',
    states: ['LISTEN', 'SYN_SENT', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'only a side the refusal closed retries the same SYN',
  },
  {
    on: 'send-syn-crossing',
    states: ['LISTEN', 'SYN_SENT', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'an assumed LISTEN is withdrawn first; a side past CLOSED has sent its SYN already',
  },
  {
    on: 'receive-syn',
    states: ['LISTEN', 'SYN_SENT', 'SYN_RCVD', ...SYNCHRONIZED],
    because:
      'a SYN changes only a side not seen before; in SYN_SENT it crosses (receive-syn-crossing), ' +
      'elsewhere it is a retransmission or gets a challenge ACK (RFC 5961 §4)',
  },
  {
    on: 'receive-syn-crossing',
    states: ['CLOSED', 'LISTEN', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'two SYNs cross only while the receiver waits in SYN_SENT',
  },
  {
    on: 'receive-crossed-syn',
    states: ['CLOSED', 'LISTEN', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'the crossed SYN is inferred only for the side that has just sent its own',
  },
  {
    on: 'send-synack',
    states: ['SYN_RCVD', ...SYNCHRONIZED],
    because: 'a SYN-ACK from a side past SYN_SENT is a retransmission (synack-retransmission)',
  },
  {
    on: 'receive-synack',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', ...SYNCHRONIZED],
    because:
      'in SYN_SENT the SYN-ACK is proven received by the ACK that answers it (send-handshake-ack), ' +
      'not by being seen on its way; elsewhere it is a retransmission',
  },
  {
    on: 'send-handshake-ack',
    states: ['CLOSED', 'LISTEN', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'only a side in SYN_SENT completes a handshake by acknowledging',
  },
  {
    on: 'receive-handshake-ack',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', ...SYNCHRONIZED],
    because: 'an ACK completes the handshake only for a side in SYN_RCVD; elsewhere it is ordinary',
  },
  {
    on: 'send-ack-without-synack',
    states: ['CLOSED', 'LISTEN', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'only a side in SYN_SENT can be shown established by its ACK alone',
  },
  {
    on: 'receive-ack-of-unseen-synack',
    states: ['CLOSED', 'SYN_SENT', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'the unseen SYN-ACK is inferred only for a side last seen listening',
  },
  {
    on: 'send-data-before-handshake-ack',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', ...SYNCHRONIZED],
    because: 'data proves a missed handshake ACK only from a side in SYN_RCVD',
  },
  {
    on: 'peer-established-without-handshake-ack',
    states: ['CLOSED', 'LISTEN', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'only a side waiting in SYN_SENT has a handshake ACK to send',
  },
  {
    on: 'capture-ends-after-synack',
    states: ['CLOSED', 'LISTEN', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'only a side left in SYN_SENT after a valid SYN-ACK answered it at once',
  },
  {
    on: 'send-fin',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', ...HAS_SENT_FIN],
    because:
      'a side that has sent its FIN sends it again (fin-retransmission) or at another place (fin-bad-seq); ' +
      'before the handshake a FIN changes nothing the capture can prove',
  },
  {
    on: 'send-fin-crossing',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', ...CLOSING_OR_CLOSED],
    because: 'FINs cross only when both sides were established; in CLOSE_WAIT the peer FIN was processed',
  },
  {
    on: 'send-fin-with-ack',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', ...HAS_SENT_FIN],
    because: "a FIN acknowledges the peer's FIN as the second of the close only from CLOSE_WAIT",
  },
  {
    on: 'receive-fin-ack',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', 'FIN_WAIT_2', 'CLOSE_WAIT', 'TIME_WAIT'],
    because: 'only a side waiting for the ACK of its FIN moves on it',
  },
  {
    on: 'receive-fin-ack-with-fin',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', 'FIN_WAIT_2', 'CLOSE_WAIT', 'TIME_WAIT'],
    because: 'only a side waiting for the ACK of its FIN moves on it',
  },
  {
    on: 'receive-fin',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'],
    because:
      'a FIN changes a side only once: one that has processed it already (or has none to process) ' +
      'stays; in TIME_WAIT a FIN resent restarts the timer, as the capture cannot show',
  },
  {
    on: 'send-rst',
    states: ['CLOSED', 'LISTEN'],
    because: 'a side with no connection has nothing to close (a listener refusing is send-rst-refusing)',
  },
  {
    on: 'send-rst-refusing',
    states: ['CLOSED', 'SYN_SENT', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'only a side assumed listening turns out never to have listened',
  },
  {
    on: 'receive-rst',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT'],
    because:
      'a side with no connection has nothing to reset; in SYN_SENT a RST counts only when it ' +
      'acknowledges the SYN (receive-rst-refusal, receive-rst-in-syn-sent; RFC 9293 §3.10.7.3)',
  },
  {
    on: 'receive-rst-refusal',
    states: ['CLOSED', 'LISTEN', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'a refusal answers a SYN only while its sender waits in SYN_SENT',
  },
  {
    on: 'receive-rst-in-syn-sent',
    states: ['CLOSED', 'LISTEN', 'SYN_RCVD', ...SYNCHRONIZED],
    because: 'this row is for a side waiting in SYN_SENT; elsewhere receive-rst applies',
  },
  {
    on: 'time-passes',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', ...HAS_SENT_FIN.slice(0, 4), 'CLOSE_WAIT'],
    because: 'only TIME_WAIT ends by a timer the capture clock can run (the others wait for packets)',
  },
  {
    on: 'new-syn-on-port-pair',
    states: ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', ...HAS_SENT_FIN.slice(0, 4), 'CLOSE_WAIT'],
    because: 'a new SYN on the port pair ends only TIME_WAIT early (RFC 6191); the old connection is over',
  },
];

/** The rows by state, then by class: looked up without building a key. */
const BY_STATE = new Map<TcpState, Map<SegmentClass, TransitionRow>>();
for (const r of TRANSITIONS) {
  const rows = BY_STATE.get(r.state) ?? new Map<SegmentClass, TransitionRow>();
  rows.set(r.on, r);
  BY_STATE.set(r.state, rows);
}

/** The row for this side's state and the segment's class, or undefined (then nothing changes: see IGNORED). */
export function transitionRow(state: TcpState, on: SegmentClass): TransitionRow | undefined {
  return BY_STATE.get(state)?.get(on);
}
