import type { HalfCloseData, TcpState } from '../events.js';
import type { SentPayloads } from './sent-payloads.js';

/** A FIN from the peer that this endpoint has not yet been seen to process. */
export interface PendingFin {
  /** Frame and time of the FIN. */
  frame: number;
  time: number;
  /** ack value that proves receipt: the FIN's sequence number + 1. */
  ackNeeded: number;
  /** This endpoint sent a segment after the FIN without acknowledging it. */
  overtaken: boolean;
}

/** A hole in one side's sequence space: bytes [from, to) never captured. */
export interface Gap {
  from: number;
  to: number;
  /** Frame and time of the segment after the hole. */
  frame: number;
  time: number;
  /** That segment's IPv4 ID and TSval (-1: none): what tells a late fill's send order. */
  afterIpId: number;
  afterTsval: number;
  /** Already reported (a part of it was filled): kept so later fills of the rest are known as fills. */
  reported: boolean;
}

/** Per-segment labels remembered for the next segment of the other side. */
export const LABEL_KEEP_ALIVE = 1;
export const LABEL_ZERO_WINDOW_PROBE = 2;

/** Window-scale shift not known: no handshake seen (anomalies.md §2). */
export const WSCALE_UNKNOWN = -1;

/** At most this many open gaps are kept per side; the oldest is reported when the cap is hit. */
export const MAX_GAPS = 32;
/** Bad-checksum frames remembered per side for the report. */
export const MAX_BAD_CHECKSUM_FRAMES = 32;

/**
 * Everything the capture shows of one endpoint (Zeek's TCP_Endpoint): its state, what it
 * sent, what it acknowledged, its window and options, and the checks' memory of it. The one
 * record per side; nothing else keeps per-side TCP facts. `state` is written only by the
 * tracker's `transition()`, the sequence fields (`sent` … `edgeAck`) only by `observe.ts`;
 * the checks read them. All sequence numbers are uint32, compared mod 2^32.
 */
export interface TcpEndpoint {
  state: TcpState;

  // What it sent (SND.* as the capture point sees it).
  /** Something has been sent: `nxt` and friends are valid. */
  sent: boolean;
  /** Initial sequence number (sequence number of its SYN or SYN-ACK). */
  isn: number | undefined;
  /** Highest sequence number sent + 1 (seq + len + SYN + FIN), probes left out. */
  nxt: number;
  nxtTime: number;
  /**
   * End of what it sent without a hole as far as the peer's ACKs may go (Wireshark
   * maxseqtobeacked): moves to `nxt` when a segment starts exactly there, and jumps to
   * `nxt` when an ACK beyond it was reported, so each hole is reported once.
   */
  ackable: number;
  /** The peer acknowledged bytes of it the capture never showed (reported once, until its next data). */
  unseenAcked: boolean;
  /** Sequence number its FIN occupies (its ack is finSeq + 1). */
  finSeq: number | undefined;
  /** Payload bytes its SYN carried (TCP Fast Open). */
  synLen: number;
  /** The ISN of its earlier SYN-ACK, when a second one came with another (the peer's ACK may answer either). */
  isnBefore: number | undefined;
  /** Its SYN-ACK's seq and ack, for spotting its retransmission. */
  synAckSeq: number | undefined;
  synAckAck: number;

  // What it acknowledged (its RCV.NXT as the capture shows it).
  /** Last acknowledgement number it sent, and when; valid once `ackSeen`. */
  ackSeen: boolean;
  lastAck: number;
  /** Highest ack it sent: its RCV.NXT as far as the capture shows (lastAck can step back on reordering). */
  highestAck: number;
  /** Time and frame of its latest segment with ACK (Wireshark lastacktime: every ACK, not only new ones). */
  lastAckTime: number;
  lastAckFrame: number;
  /** Duplicate ACKs it has sent in a row for `lastAck`. */
  dupAcks: number;
  /** Its last ACK carried SACK blocks above the ack: it holds later data, and misses what the ack asks for. */
  sackAbove: boolean;

  // Its window.
  /** Raw window of its previous segment; `winSeen` once any. */
  winSeen: boolean;
  win: number;
  /** That segment was a SYN: its window is never scaled (RFC 7323 §2.2). */
  winFromSyn: boolean;
  /** Window-scale shift for its window: 0–14, or WSCALE_UNKNOWN. */
  wscale: number;
  /** Shift it offered in its SYN, undefined if none. */
  wscaleOffered: number | undefined;
  /** Right edge of the window it advertised last (ack + scaled window), valid once `edgeSeen`. */
  edgeSeen: boolean;
  edge: number;
  edgeAck: number;

  // Its options.
  /** MSS it announced in its SYN (the most the peer should send in one segment). */
  mss: number | undefined;
  /** Its SYN carried timestamps; TSval checks need both SYNs to (RFC 7323 §3.2). */
  tsOffered: boolean;
  /** Highest TSval it sent, valid once `tsSeen`. */
  tsSeen: boolean;
  tsLast: number;
  /** TSvals of its SYNs (first and last), undefined while no SYN of it carried a timestamp. */
  synTs: { first: number; last: number } | undefined;
  /** Labels of its previous segment (LABEL_ bits). */
  labels: number;

  // The handshake and the close, as the tracker follows them.
  /** Its FIN was acknowledged by the peer. */
  finAcked: boolean;
  /** Frame and time of its SYN-ACK (so the peer's SYN_SENT→ESTABLISHED can be inferred). */
  synAckFrame: number | undefined;
  synAckTime: number;
  /** Its SYN-ACK acknowledged the peer's SYN correctly. */
  synAckValid: boolean;
  /** While in SYN_SENT: the ack of the last segment it had to drop (its RST answering it carries that seq). */
  droppedAck: number | undefined;
  pendingFin: PendingFin | undefined;

  // The checks' memory of it.
  /** Reported once per side. */
  truncatedReported: boolean;
  oversizedReported: boolean;
  /** Checksums of its segments: how many were checked, which frames were bad (first 32 kept). */
  checksumsChecked: number;
  badChecksums: number;
  badChecksumFrames: { frame: number; time: number }[];
  /** Holes in what it sent, not yet explained (oldest first). */
  gaps: Gap[];
  /** Fingerprints of its unacknowledged captured payload, made when the first payload is seen. */
  payloads: SentPayloads | undefined;

  // Counters.
  packets: number;
  bytes: number;
  /** Data it sent in CLOSE_WAIT (RFC 9293 §3.6: a half-closed connection still carries the other direction). */
  halfClose: HalfCloseData | undefined;
}

export function newEndpoint(state: TcpState): TcpEndpoint {
  return {
    state,
    sent: false,
    isn: undefined,
    nxt: 0,
    nxtTime: 0,
    ackable: 0,
    unseenAcked: false,
    finSeq: undefined,
    synLen: 0,
    isnBefore: undefined,
    synAckSeq: undefined,
    synAckAck: 0,
    ackSeen: false,
    lastAck: 0,
    highestAck: 0,
    lastAckTime: 0,
    lastAckFrame: 0,
    dupAcks: 0,
    sackAbove: false,
    winSeen: false,
    win: 0,
    winFromSyn: false,
    wscale: WSCALE_UNKNOWN,
    wscaleOffered: undefined,
    edgeSeen: false,
    edge: 0,
    edgeAck: 0,
    mss: undefined,
    tsOffered: false,
    tsSeen: false,
    tsLast: 0,
    synTs: undefined,
    labels: 0,
    finAcked: false,
    synAckFrame: undefined,
    synAckTime: 0,
    synAckValid: false,
    droppedAck: undefined,
    pendingFin: undefined,
    truncatedReported: false,
    oversizedReported: false,
    checksumsChecked: 0,
    badChecksums: 0,
    badChecksumFrames: [],
    gaps: [],
    payloads: undefined,
    packets: 0,
    bytes: 0,
    halfClose: undefined,
  };
}

/**
 * The window e last advertised, in bytes: scaled by its shift (RFC 7323 §2.2), except on a
 * SYN, and raw when the shift is unknown (no handshake seen).
 */
export function advertisedWindow(e: TcpEndpoint): number {
  // 65535 << 14 still fits in 31 bits.
  return e.winFromSyn || e.wscale === WSCALE_UNKNOWN ? e.win : e.win << e.wscale;
}
