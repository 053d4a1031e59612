import type { SentPayloads } from './sent-payloads.js';

/** A hole in one direction's sequence space: bytes [from, to) never captured. */
export interface Gap {
  from: number;
  to: number;
  /** Frame and time of the segment after the hole. */
  frame: number;
  time: number;
}

/** Per-segment labels remembered for the next segment of the other direction. */
export const LABEL_KEEP_ALIVE = 1;
export const LABEL_ZERO_WINDOW_PROBE = 2;

/** Window-scale shift not known: no handshake seen (anomalies.md §2). */
export const WSCALE_UNKNOWN = -1;

/** At most this many open gaps are kept per direction; the oldest is reported when the cap is hit. */
export const MAX_GAPS = 32;
/** Bad-checksum frames remembered per direction for the report. */
export const MAX_BAD_CHECKSUM_FRAMES = 32;

/**
 * What the sequence analysis knows of the segments one endpoint sends (anomalies.md §1;
 * Wireshark's tcp_analyze_seq_info). All sequence numbers are uint32, compared mod 2^32.
 */
export interface DirectionState {
  /** Something has been sent: `nxt` and friends are valid. */
  seen: boolean;
  isn: number | undefined;
  /** SYN-ACK seq, for spotting its retransmission. */
  synAckSeq: number | undefined;
  synAckAck: number;
  /** Highest sequence number sent + 1 (seq + len + SYN + FIN). */
  nxt: number;
  nxtTime: number;
  /** Last acknowledgement number this side sent, and when; valid once `ackSeen`. */
  ackSeen: boolean;
  lastAck: number;
  /** Highest ack it sent: its RCV.NXT as far as the capture shows (lastAck can step back on reordering). */
  highestAck: number;
  /** Time and frame of its latest segment with ACK (Wireshark lastacktime: every ACK, not only new ones). */
  lastAckTime: number;
  lastAckFrame: number;
  /**
   * End of what it sent without a hole as far as the peer's ACKs may go (Wireshark
   * maxseqtobeacked): moves to `nxt` when a segment starts exactly there, and jumps to
   * `nxt` when an ACK beyond it was reported, so each hole is reported once.
   */
  ackable: number;
  /** Raw window of its previous segment; `winSeen` once any. */
  winSeen: boolean;
  win: number;
  /** That segment was a SYN: its window is never scaled (RFC 7323 §2.2). */
  winFromSyn: boolean;
  /** Window-scale shift for its window: 0–14, or WSCALE_UNKNOWN. */
  wscale: number;
  /** Shift it offered in its SYN, undefined if none. */
  wscaleOffered: number | undefined;
  /** Duplicate ACKs it has sent in a row for `lastAck`. */
  dupAcks: number;
  /** Labels of its previous segment (LABEL_ bits). */
  labels: number;
  finSeq: number | undefined;
  /** MSS it announced in its SYN (the most the peer should send in one segment). */
  mss: number | undefined;
  /** Its SYN carried timestamps; TSval checks need both SYNs to (RFC 7323 §3.2). */
  tsOffered: boolean;
  /** Highest TSval it sent, valid once `tsSeen`. */
  tsSeen: boolean;
  tsLast: number;
  /** Right edge of the window it advertised last (ack + scaled window), valid once `edgeSeen`. */
  edgeSeen: boolean;
  edge: number;
  edgeAck: number;
  /** Reported once per direction. */
  truncatedReported: boolean;
  oversizedReported: boolean;
  /** Checksums of its segments: how many were checked, which frames were bad (first 32 kept). */
  checksumsChecked: number;
  badChecksums: number;
  badChecksumFrames: { frame: number; time: number }[];
  /** Holes in what it sent, not yet explained (oldest first). */
  gaps: Gap[];
  /** Copies of its unacknowledged captured payload, made when the first payload is seen. */
  payloads: SentPayloads | undefined;
}

export function newDirection(): DirectionState {
  return {
    seen: false,
    isn: undefined,
    synAckSeq: undefined,
    synAckAck: 0,
    nxt: 0,
    nxtTime: 0,
    ackSeen: false,
    lastAck: 0,
    highestAck: 0,
    lastAckTime: 0,
    lastAckFrame: 0,
    ackable: 0,
    winSeen: false,
    win: 0,
    winFromSyn: false,
    wscale: WSCALE_UNKNOWN,
    wscaleOffered: undefined,
    dupAcks: 0,
    labels: 0,
    finSeq: undefined,
    mss: undefined,
    tsOffered: false,
    tsSeen: false,
    tsLast: 0,
    edgeSeen: false,
    edge: 0,
    edgeAck: 0,
    truncatedReported: false,
    oversizedReported: false,
    checksumsChecked: 0,
    badChecksums: 0,
    badChecksumFrames: [],
    gaps: [],
    payloads: undefined,
  };
}

/**
 * The window d last advertised, in bytes: scaled by its shift (RFC 7323 §2.2), except on a
 * SYN, and raw when the shift is unknown (no handshake seen).
 */
export function advertisedWindow(d: DirectionState): number {
  // 65535 << 14 still fits in 31 bits.
  return d.winFromSyn || d.wscale === WSCALE_UNKNOWN ? d.win : d.win << d.wscale;
}
