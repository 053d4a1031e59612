import type { TcpState, TransitionStep } from '../events.js';
import type { TeachingTopic } from './teaching.js';

const HANDSHAKE: ReadonlySet<TransitionStep> = new Set<TransitionStep>([
  'syn-sent',
  'syn-retried-after-reset',
  'synack-sent',
  'handshake-ack-sent',
  'handshake-ack-received',
  'simultaneous-syn-sent',
  'simultaneous-syn-crossed',
  'simultaneous-syn-received',
  'simultaneous-synack-sent',
  'simultaneous-synack-received',
  'synack-ack-not-captured',
  'ack-sent-synack-not-captured',
  'synack-not-captured',
  'data-sent-handshake-ack-not-captured',
  'handshake-ack-not-captured',
]);

const CLOSE: ReadonlySet<TransitionStep> = new Set<TransitionStep>([
  'fin-sent',
  'simultaneous-fin-sent',
  'second-fin-sent',
  'second-fin-with-ack',
  'fin-received',
  'fin-received-while-closing',
  'second-fin-received',
  'fin-acked',
  'fin-acked-by-fin',
  'fin-acked-while-closing',
  'last-ack-received',
]);

const RESET: ReadonlySet<TransitionStep> = new Set<TransitionStep>([
  'rst-sent',
  'rst-received',
  'rst-received-in-syn-sent',
  'rst-received-in-time-wait',
]);

const RESET_ANOMALIES: ReadonlySet<string> = new Set([
  'rst-in-window-not-exact',
  'rst-out-of-window',
  'rst-ignored',
  'rst-after-fin',
  'rst-with-data',
]);

/** The teaching topics a transition calls for. */
export function topicsOfTransition(step: TransitionStep, to: TcpState): TeachingTopic[] {
  const topics: TeachingTopic[] = [];
  if (HANDSHAKE.has(step)) topics.push('handshake', 'sequence-space');
  if (CLOSE.has(step)) topics.push('close', 'sequence-space');
  if (step === 'second-fin-with-ack' || step === 'fin-acked-by-fin') topics.push('three-segment-close');
  if (step === 'refused') topics.push('refused');
  if (RESET.has(step)) topics.push('reset');
  if (to === 'TIME_WAIT' || step === 'time-wait-expired') topics.push('time-wait');
  if (to === 'CLOSING') topics.push('closing');
  return topics;
}

/** The teaching topics an anomaly kind calls for (besides its own catalogue entry). */
export function topicsOfAnomaly(kind: string): TeachingTopic[] {
  if (RESET_ANOMALIES.has(kind)) return ['reset'];
  if (kind === 'midstream-pickup') return ['midstream'];
  if (kind === 'connection-refused') return ['refused'];
  return [];
}
