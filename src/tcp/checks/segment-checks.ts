import { ACK, FIN, RST, SYN, type Segment } from '../../segment.js';
import { peerOf, type Side } from '../../events.js';
import { LABEL_KEEP_ALIVE, LABEL_ZERO_WINDOW_PROBE, type TcpEndpoint } from '../endpoint.js';
import { observeSynAckAck } from '../observe.js';
import { segEnd, seqGt } from '../seq.js';
import { checkKeepAlive, checkRepeatedAck, noteAck } from './acks.js';
import { checkCaptureFacts, reportChecksums } from './capture.js';
import { newCheckContext, type AnomalyReport, type CheckContext } from './context.js';
import { openGap, reportOpenGaps } from './gaps.js';
import { checkSyn } from './handshake-options.js';
import { classifyResend, comparePayload } from './resends.js';
import { checkTimestamp } from './timestamps.js';
import {
  checkWindowRoom,
  checkWindowShrink,
  checkWindowUpdate,
  checkZeroWindow,
  checkZeroWindowProbe,
} from './window.js';

/**
 * Runs the per-segment checks of one connection in their order (anomalies.md §4, Wireshark's
 * tcp_analyze_sequence_number order), with the improvements the catalogue asks for: a hole
 * filled by bytes never seen before is not called a retransmission of something seen, and a
 * gap is explained as capture loss when the receiver acknowledges (or SACKs) the missing bytes.
 */
export class SegmentChecks {
  private readonly client: TcpEndpoint;
  private readonly server: TcpEndpoint;
  private readonly ctx: CheckContext;

  /** The checks read the tracker's endpoints; they write only their own memory (gaps, payload sums, counters). */
  constructor(client: TcpEndpoint, server: TcpEndpoint, report: AnomalyReport) {
    this.client = client;
    this.server = server;
    this.ctx = newCheckContext(report);
  }

  /** SYN → handshake ACK, when the capture showed both (the connection's round trip as seen here). */
  get roundTrip(): number | undefined {
    return this.ctx.handshakeRtt;
  }

  private direction(side: Side): TcpEndpoint {
    return side === 'client' ? this.client : this.server;
  }

  /**
   * Checks the segment against what its side sent and acknowledged before, and notes its
   * ACK field; returns its labels (keep-alive, zero-window probe) for `observeSent`.
   */
  analyse(seg: Segment, from: Side, time: number): number {
    const ctx = this.ctx;
    const d = this.direction(from);
    const p = this.direction(peerOf(from));
    const flags = seg.flags;
    const hasAck = (flags & ACK) !== 0;
    checkCaptureFacts(ctx, seg, d, p, from, time);
    checkTimestamp(ctx, seg, d, p, from, time);
    if (flags & RST) {
      noteAck(ctx, seg, d, p, from, time);
      return 0;
    }
    if (flags & SYN) {
      checkSyn(ctx, seg, d, p, from, time);
      // A SYN-ACK's ack is judged by the handshake checks (synack-wrong-ack), not here.
      observeSynAckAck(d, seg, time);
      return 0;
    }
    if (ctx.synTime !== undefined && ctx.handshakeRtt === undefined && hasAck && from === 'client' && seg.len === 0) {
      ctx.handshakeRtt = time - ctx.synTime;
    }

    const len = seg.len;
    const fin = (flags & FIN) !== 0;
    if (len > 0 || fin) d.unseenAcked = false;
    const end = segEnd(seg);
    let labels = 0;
    let classified = false;

    if (checkZeroWindowProbe(ctx, seg, d, p, from, time)) {
      labels |= LABEL_ZERO_WINDOW_PROBE;
      classified = true;
    }
    checkZeroWindow(ctx, seg, from, time);
    if (!classified && d.sent && seqGt(seg.seq, d.nxt)) openGap(ctx, seg, d, p, from, time);
    if (!classified && checkKeepAlive(ctx, seg, d, from, time)) {
      labels |= LABEL_KEEP_ALIVE;
      classified = true;
    }
    const pureAck = len === 0 && !fin && hasAck && d.sent && seg.seq === d.nxt && d.ackSeen && seg.ack === d.lastAck;
    if (!classified && pureAck) checkWindowUpdate(ctx, seg, d, from, time);
    if (!classified && len > 0 && !fin) checkWindowRoom(ctx, seg, d, p, from, end, time);
    if (!classified && pureAck && checkRepeatedAck(ctx, seg, d, p, from, time)) classified = true;

    if (!classified && (len > 0 || fin) && d.sent) classifyResend(ctx, seg, d, p, from, end, time);
    if (len > 0 && seg.payloadSum !== undefined) comparePayload(ctx, seg, d, from, end, time);

    noteAck(ctx, seg, d, p, from, time);
    checkWindowShrink(ctx, seg, d, p, from, time);
    return labels;
  }

  /** End of the connection: gaps never explained are reported as they stand; checksums summed up. */
  finish(): void {
    for (const side of ['client', 'server'] as const) {
      const d = this.direction(side);
      reportChecksums(this.ctx, side, d);
      reportOpenGaps(this.ctx, side, d);
    }
  }
}
