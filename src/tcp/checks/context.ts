import type { AnomalyKind, Severity, Side } from '../../events.js';
import type { Payload } from '../sent-payloads.js';

/** Where an anomaly goes: the sender of the segment it is about, and that segment's frame and time. */
export type AnomalyReport = (
  kind: AnomalyKind,
  side: Side,
  frame: number,
  time: number,
  message: string,
  evidence: Record<string, number | string>,
  severity?: Severity,
) => void;

/**
 * What the per-segment checks of one connection share: made once per connection, so a
 * segment costs no allocation of its own. The checks keep their tests apart from building
 * the report (`reportX` functions): small tests are what V8 inlines into the driver, so a
 * segment with nothing to report pays for no calls.
 */
export interface CheckContext {
  readonly report: AnomalyReport;
  /** Time of the SYN that got through (the last one sent). */
  synTime: number | undefined;
  /** SYN → handshake-completing ACK, the reordering threshold (Wireshark ts_first_rtt). */
  handshakeRtt: number | undefined;
  /** Reused for every segment with payload. */
  readonly payload: Payload;
}

export function newCheckContext(report: AnomalyReport): CheckContext {
  return {
    report,
    synTime: undefined,
    handshakeRtt: undefined,
    payload: { seq: 0, len: 0, captured: 0, sum: 0, frame: 0 },
  };
}
