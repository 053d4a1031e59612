import type { HalfCloseData, TcpState } from '../events.js';

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

/**
 * What the state tracker knows of one endpoint. Windows, options and the finer sequence
 * bookkeeping live in the sequence analyzer's DirectionState.
 */
export interface EndpointModel {
  state: TcpState;
  /** Initial sequence number (sequence number of its SYN). */
  isn: number | undefined;
  /** Whether the endpoint has sent anything yet; `nxt` is meaningful only then. */
  sent: boolean;
  /** Highest sequence number sent plus one (seq + len + SYN + FIN). */
  nxt: number;
  /** Sequence number the endpoint's FIN occupies; its ack is finSeq + 1. */
  finSeq: number | undefined;
  finAcked: boolean;
  /** Payload bytes its SYN carried (TCP Fast Open). */
  synLen: number;
  /** It sent a SYN+ACK or SYN (so the peer's SYN_SENT→ESTABLISHED can be inferred). */
  synAckFrame: number | undefined;
  synAckTime: number;
  /** Its SYN-ACK acknowledged the peer's SYN correctly. */
  synAckValid: boolean;
  /** TSvals of its SYNs (first and last), undefined while no SYN of it carried a timestamp. */
  synTs: { first: number; last: number } | undefined;
  /** While in SYN_SENT: the ack of the last segment it had to drop (its RST answering it carries that seq). */
  droppedAck: number | undefined;
  pendingFin: PendingFin | undefined;
  packets: number;
  bytes: number;
  /** Data it sent in CLOSE_WAIT (RFC 9293 §3.6: a half-closed connection still carries the other direction). */
  halfClose: HalfCloseData | undefined;
}

export function newEndpoint(state: TcpState): EndpointModel {
  return {
    state,
    isn: undefined,
    sent: false,
    nxt: 0,
    finSeq: undefined,
    finAcked: false,
    synLen: 0,
    synAckFrame: undefined,
    synAckTime: 0,
    synAckValid: false,
    synTs: undefined,
    droppedAck: undefined,
    pendingFin: undefined,
    packets: 0,
    bytes: 0,
    halfClose: undefined,
  };
}
