import type { TcpState } from './tcp/states.js';
import type { AnomalyKind } from './tcp/anomalies.js';
import type { TransitionEvidence, TransitionStep } from './tcp/steps.js';

export type Side = 'client' | 'server';
export type Severity = 'info' | 'warning' | 'error';

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
