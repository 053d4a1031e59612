import type { Severity } from '../events.js';

/**
 * The anomaly kinds the tracker can emit, with their default severity. Ids are the stable
 * kebab-case names of the catalogue; reporters and `--fail-on` key on them.
 */
export const ANOMALY_KINDS = {
  /** Pure SYN again with the same ISN (Wireshark retransmission; RFC 6298 §5.7). */
  'syn-retransmission': 'info',
  /** SYN-ACK again with the same seq (Suricata est_synack_resend). */
  'synack-retransmission': 'info',
  /** Data or FIN below SND.NXT, not claimed by a more precise kind (Wireshark tcp_analyze_sequence_number). */
  retransmission: 'warning',
  /** Resent at the ack asked for by ≥ 2 duplicate ACKs within 20 ms (Wireshark; RFC 5681 §3.2). */
  'fast-retransmission': 'warning',
  /** Resent although the peer had already acknowledged it (Wireshark, since 1.12). */
  'spurious-retransmission': 'info',
  /** Bytes below SND.NXT within one reordering window of the newest (Wireshark). */
  'out-of-order': 'warning',
  /** FIN sent again at the same sequence number. */
  'fin-retransmission': 'info',
  /** A hole before this segment (Wireshark lost_segment), with its cause once known. */
  'previous-segment-not-captured': 'warning',
  /** Acknowledges bytes the capture never saw (Wireshark ack_lost_segment). */
  'ack-unseen-segment': 'warning',
  /** Same ack, same window, nothing new (Wireshark duplicate_ack; RFC 5681 §2). */
  'duplicate-ack': 'info',
  /** At most one byte at SND.NXT−1 (RFC 1122 §4.2.3.6). */
  'keep-alive': 'info',
  'keep-alive-ack': 'info',
  /** Window 0 advertised (RFC 9293 §3.8.6.1). */
  'zero-window': 'warning',
  /** Probing a zero window (RFC 9293 §3.8.6.1; Linux tcp_xmit_probe_skb). */
  'zero-window-probe': 'info',
  'zero-window-probe-ack': 'info',
  /** Data that fills the peer's advertised window exactly (Wireshark window_full). */
  'window-full': 'warning',
  /** Only the window changed (Wireshark window_update). */
  'window-update': 'info',
  /** SYN-ACK whose ack is not the client's ISN+1 (RFC 9293 §3.5; Suricata 3whs_synack_with_wrong_ack). */
  'synack-wrong-ack': 'error',
  /** The ACK closing the handshake does not acknowledge the server's ISN+1 (Suricata 3whs_wrong_seq_wrong_ack). */
  'handshake-ack-wrong': 'error',
} as const satisfies Record<string, Severity>;

export type AnomalyKind = keyof typeof ANOMALY_KINDS;

export function severityOf(kind: AnomalyKind): Severity {
  return ANOMALY_KINDS[kind];
}
