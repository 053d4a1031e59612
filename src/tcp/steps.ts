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
