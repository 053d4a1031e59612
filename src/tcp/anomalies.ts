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
  /** Resent at the ack asked for by ≥ 2 duplicate ACKs within max(20 ms, 2 round trips) (Wireshark; RFC 5681 §3.2). */
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
  /** The SYN was answered with RST (Zeek REJ). */
  'connection-refused': 'warning',
  /** Both sides sent a SYN before any SYN-ACK (RFC 9293 §3.5 figure 7). */
  'simultaneous-open': 'info',
  /** A SYN inside a synchronized connection (RFC 5961 §4; Zeek SYN_inside_connection). */
  'syn-in-connection': 'warning',
  /** A new connection on the port pair of an ended one (Wireshark reused_ports). */
  'port-reuse': 'info',
  /** The same, while a side of the old connection was still in TIME_WAIT (RFC 6191). */
  'time-wait-reuse': 'info',
  /** Payload on a SYN; with a cookie, TCP Fast Open (RFC 7413). */
  'syn-with-data': 'info',
  /** The SYN-ACK acknowledges only the SYN, not its data (RFC 7413 §4.2). */
  'tfo-data-ignored': 'info',
  /** The capture starts inside the connection (no SYN): states assumed. */
  'midstream-pickup': 'info',
  /** Flag combinations no stack sends (Zeek TCP_christmas, baroque_SYN; Suricata fin_syn). */
  'bad-flags': 'error',
  /** Window-scale shift above 14, or offered only in the SYN-ACK (RFC 7323 §2.2–2.3). */
  'wscale-invalid': 'warning',
  /** Payload beyond the sender's own FIN. */
  'data-after-fin': 'error',
  /** A second FIN at another sequence number. */
  'fin-bad-seq': 'error',
  /** RST in the window but not at RCV.NXT: answered by a challenge ACK (RFC 5961 §3.2). */
  'rst-in-window-not-exact': 'warning',
  /** RST outside the receive window: dropped (RFC 5961 §3.2). */
  'rst-out-of-window': 'error',
  /**
   * After a RST, the peer (or the RST's own sender) keeps sending: the RST was rejected, lost,
   * or injected (Suricata suspected_rst_inject).
   */
  'rst-ignored': 'warning',
  /** RST after a FIN: an abortive close of a closing connection. */
  'rst-after-fin': 'info',
  /** RST carrying payload (allowed, RFC 9293 §3.5.3). */
  'rst-with-data': 'info',
  /** The snap length cut the packet: payload not all captured. */
  'truncated-by-snaplen': 'warning',
  /** Wrong TCP checksum (or offload on the capture host, then only info). */
  'bad-checksum': 'error',
  /** Payload larger than the peer's MSS: TSO/GRO on the capture host. */
  'oversized-segment': 'info',
  /** The ack number goes backwards. */
  'ack-backwards': 'warning',
  /** A duplicate SACK block reports data received twice (RFC 2883). */
  dsack: 'info',
  /**
   * TSval lower than an earlier one: PAWS would drop it (RFC 7323 §5); in SYN_SENT, a TSecr
   * that echoes no TSval of the SYN (Linux PAWSActive).
   */
  'timestamp-regression': 'warning',
  /** Data past the right edge of the peer's window (RFC 9293 §3.8.6). */
  'segment-beyond-window': 'error',
  /** The right edge of the advertised window moves left (RFC 9293 §3.8.6, SHLD-14). */
  'window-shrink': 'warning',
  /** SYN-ACK whose ack is not the client's ISN+1 (RFC 9293 §3.5; Suricata 3whs_synack_with_wrong_ack). */
  'synack-wrong-ack': 'error',
  /** The ACK closing the handshake does not acknowledge the server's ISN+1 (Suricata 3whs_wrong_seq_wrong_ack). */
  'handshake-ack-wrong': 'error',
  /** The same packet recorded twice: same IPv4 ID and header (tcptrace check_hw_dups). */
  'capture-duplicate': 'info',
  /** Resent bytes that differ from the first copy (Suricata reassembly_overlap_different_data). */
  'overlap-different-data': 'error',
} as const satisfies Record<string, Severity>;

export type AnomalyKind = keyof typeof ANOMALY_KINDS;

export function severityOf(kind: AnomalyKind): Severity {
  return ANOMALY_KINDS[kind];
}
