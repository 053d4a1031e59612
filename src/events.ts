// The vocabulary every part of the pipeline speaks: sides, severities, states, transition
// steps, anomaly kinds, and the events the tracker emits with them. `tcp/` decides them,
// `report/` and `explain/` word them; both import them from here.

export type Side = 'client' | 'server';

/** The other side of the connection. */
export function peerOf(side: Side): Side {
  return side === 'client' ? 'server' : 'client';
}

/** Severities from the least to the most severe. */
export const SEVERITIES = ['info', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 0 for info, 1 for warning, 2 for error: `a` is worse than `b` when its rank is higher. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** RFC 9293 §3.3.2 connection states, spelled as netstat and most tools print them. */
export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RCVD',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSING',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

/**
 * What made a side change state, as a stable id: the tracker decides it, reporters put it
 * into words. "The side" is the endpoint whose state changes, "the peer" the other one.
 */
export type TransitionStep =
  // ── Opening ───────────────────────────────────────────────────────────────────────────────
  /** The side sent its SYN: the first segment of the three-way handshake. */
  | 'syn-sent'
  /** The same SYN (same ISN) again after the peer refused it: a retry of the same attempt. */
  | 'syn-retried-after-reset'
  /** The side answered the peer's SYN with its SYN-ACK: the second segment of the handshake. */
  | 'synack-sent'
  /** The side acknowledged the peer's SYN-ACK: the third segment of the handshake. */
  | 'handshake-ack-sent'
  /** The side's SYN-ACK was acknowledged: the handshake is complete. */
  | 'handshake-ack-received'
  /** Simultaneous open: the side's own SYN, sent while the peer's SYN was on its way. */
  | 'simultaneous-syn-sent'
  /** Simultaneous open: the peer's SYN crosses the side's own (inferred for the sender). */
  | 'simultaneous-syn-crossed'
  /** Simultaneous open: the side received the peer's SYN while waiting for an answer to its own. */
  | 'simultaneous-syn-received'
  /** Simultaneous open: the side answered the peer's SYN with a SYN-ACK. */
  | 'simultaneous-synack-sent'
  /** Simultaneous open: the peer's SYN-ACK acknowledged the side's SYN. */
  | 'simultaneous-synack-received'
  /** The capture ends after the SYN-ACK: the side's answering ACK is not in it (inferred). */
  | 'synack-ack-not-captured'
  /** The side sent an ACK, so it received a SYN-ACK the capture does not hold (inferred). */
  | 'ack-sent-synack-not-captured'
  /** The peer's ACK shows the side sent a SYN-ACK the capture does not hold (inferred). */
  | 'synack-not-captured'
  /** The side sends data, so the handshake's last ACK reached it, unseen (inferred). */
  | 'data-sent-handshake-ack-not-captured'
  /** The peer is established, so the side's handshake ACK was sent, unseen (inferred). */
  | 'handshake-ack-not-captured'
  // ── Closing ───────────────────────────────────────────────────────────────────────────────
  /** The side sent the first FIN of the connection: it closes its sending direction. */
  | 'fin-sent'
  /** Simultaneous close: the side sent its FIN while the peer's FIN was on its way. */
  | 'simultaneous-fin-sent'
  /** The side, already told by the peer's FIN, sent its own FIN (from CLOSE_WAIT). */
  | 'second-fin-sent'
  /** As `second-fin-sent`, in a segment that also first acknowledges the peer's FIN (FIN+ACK). */
  | 'second-fin-with-ack'
  /** The side received the peer's FIN while established. */
  | 'fin-received'
  /** The side received the peer's FIN before its own FIN was acknowledged (simultaneous close). */
  | 'fin-received-while-closing'
  /** The side, its own FIN acknowledged, received the peer's FIN. */
  | 'second-fin-received'
  /** The peer acknowledged the side's FIN. */
  | 'fin-acked'
  /** The peer acknowledged the side's FIN in a segment carrying the peer's own FIN (three-segment close). */
  | 'fin-acked-by-fin'
  /** In CLOSING, the side's FIN was acknowledged. */
  | 'fin-acked-while-closing'
  /** In LAST_ACK, the side's FIN was acknowledged: the last ACK of the close. */
  | 'last-ack-received'
  /** 2×MSL of capture time passed in TIME_WAIT (inferred). */
  | 'time-wait-expired'
  /** A new SYN on the same port pair ended TIME_WAIT early. */
  | 'time-wait-ended-by-new-syn'
  // ── Resets ────────────────────────────────────────────────────────────────────────────────
  /** The side's SYN was answered with RST: connection refused. */
  | 'refused'
  /** The side sent a RST: abortive close. */
  | 'rst-sent'
  /** The side accepted the peer's RST (exact sequence number): connection reset. */
  | 'rst-received'
  /** In SYN_SENT, the side accepted a RST acknowledging its SYN. */
  | 'rst-received-in-syn-sent'
  /** In TIME_WAIT, the side received a RST (RFC 9293 closes; RFC 1337 stacks ignore it). */
  | 'rst-received-in-time-wait';

/** The numbers that prove a transition; which are set depends on the step. */
export interface TransitionEvidence {
  /** The ISN carried by this step's SYN or SYN-ACK. */
  isn?: number;
  /** The segment's acknowledgement number. */
  ack?: number;
  /** The ISN that `ack` acknowledges (a SYN's), when it was seen. */
  ackedIsn?: number;
  /** Sequence number of the FIN sent, received or acknowledged in this step. */
  finSeq?: number;
  /** Sequence number of the RST. */
  rstSeq?: number;
  /** Payload bytes carried by the SYN. */
  len?: number;
  /** Seconds TIME_WAIT lasts (2×MSL). */
  timeWait?: number;
}

/**
 * The anomaly kinds the tracker can emit, with their default severity. Ids are the stable
 * kebab-case names of the catalogue; reporters and `--fail-on` key on them.
 */
export const ANOMALY_KINDS = {
  /** Pure SYN again with the same ISN (Wireshark retransmission; RFC 6298 §5.7). */
  'syn-retransmission': 'info',
  /** SYN-ACK again with the same seq (Suricata est_synack_resend). */
  'synack-retransmission': 'info',
  /** A second SYN-ACK with another ISN: the server restarted the handshake (Suricata 3whs_synack_resend_*_diff_seq). */
  'synack-isn-changed': 'warning',
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

export interface Endpoint {
  addr: string;
  port: number;
}

export interface ConnectionEvent {
  type: 'connection';
  conn: number;
  client: Endpoint;
  server: Endpoint;
  /** True when no SYN told who opened the connection (mid-stream pickup). */
  rolesGuessed: boolean;
  /** How the roles were decided, in words. */
  rolesReason: string;
  frame: number;
  time: number;
}

export interface TransitionEvent {
  type: 'transition';
  conn: number;
  side: Side;
  from: TcpState;
  to: TcpState;
  frame: number;
  time: number;
  reason: string;
  /** What happened, as a stable id (reporters word it; not part of the JSON contract). */
  step: TransitionStep;
  /** The numbers behind the step (ISN, ack, FIN sequence number…). */
  evidence: TransitionEvidence;
  /** Not proven by a packet of this side: assumed at the end of the capture or mid-stream. */
  inferred?: boolean;
}

export interface AnomalyEvent {
  type: 'anomaly';
  conn: number;
  /** Sender of the offending segment. */
  side: Side;
  kind: AnomalyKind;
  severity: Severity;
  frame: number;
  time: number;
  message: string;
  /** The numbers that prove it (expected/actual values, earlier frames). */
  evidence: Record<string, number | string>;
}

export interface SideCounters {
  client: number;
  server: number;
}

/** Data one side sent in CLOSE_WAIT: after the peer's FIN, before its own (a half-close). */
export interface HalfCloseData {
  sender: Side;
  firstFrame: number;
  firstTime: number;
  lastFrame: number;
  segments: number;
  bytes: number;
}

export interface EndEvent {
  type: 'end';
  conn: number;
  final: { client: TcpState; server: TcpState };
  /** States assumed, not observed (mid-stream pickup). */
  assumed: boolean;
  start: number;
  end: number;
  packets: SideCounters;
  /** Payload bytes each side sent (sequence space, retransmissions included). */
  bytes: SideCounters;
  /** What a side sent while half-closed (in CLOSE_WAIT), when it did. */
  halfClose?: HalfCloseData[];
}

/**
 * One segment as the ladder draws it, handed to reporters that ask for it before the
 * tracker's events for the same frame. Not part of the JSON contract.
 */
export interface SegmentEvent {
  type: 'segment';
  conn: number;
  /** Sender. */
  side: Side;
  frame: number;
  time: number;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  /** Raw 16-bit window field. */
  win: number;
}

export type SegmentSink = (e: SegmentEvent) => void;

export type TrackerEvent = ConnectionEvent | TransitionEvent | AnomalyEvent | EndEvent;

export type EventSink = (e: TrackerEvent) => void;
