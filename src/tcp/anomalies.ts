import type { Severity } from '../events.js';

/**
 * The anomaly kinds the tracker can emit, with their default severity. Ids are the stable
 * kebab-case names of the catalogue; reporters and `--fail-on` key on them.
 */
export const ANOMALY_KINDS = {
  /** SYN-ACK whose ack is not the client's ISN+1 (RFC 9293 §3.5; Suricata 3whs_synack_with_wrong_ack). */
  'synack-wrong-ack': 'error',
  /** The ACK closing the handshake does not acknowledge the server's ISN+1 (Suricata 3whs_wrong_seq_wrong_ack). */
  'handshake-ack-wrong': 'error',
} as const satisfies Record<string, Severity>;

export type AnomalyKind = keyof typeof ANOMALY_KINDS;

export function severityOf(kind: AnomalyKind): Severity {
  return ANOMALY_KINDS[kind];
}
