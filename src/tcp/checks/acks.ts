// The ACK field and empty segments around it: keep-alives and their answers, duplicate
// ACKs, an ack that goes back, D-SACK, an ack of bytes never seen.
import { ACK, FIN, RST, type Segment } from '../../segment.js';
import { peerOf, type Side } from '../../events.js';
import { LABEL_KEEP_ALIVE, LABEL_ZERO_WINDOW_PROBE, type TcpEndpoint } from '../endpoint.js';
import { observeAck } from '../observe.js';
import { seqAdd, seqGe, seqGt, seqLe, seqLt, seqMax } from '../seq.js';
import type { CheckContext } from './context.js';
import { explainGapsByAck } from './gaps.js';

/**
 * Keep-alive: at most one byte at SND.NXT − 1, already acknowledged (RFC 1122 §4.2.3.6).
 * Returns whether the segment is one.
 */
export function checkKeepAlive(ctx: CheckContext, seg: Segment, d: TcpEndpoint, from: Side, time: number): boolean {
  const keepAlive = d.sent && seg.len <= 1 && !(seg.flags & FIN) && seg.seq === seqAdd(d.nxt, -1);
  if (keepAlive) reportKeepAlive(ctx, seg, from, time);
  return keepAlive;
}

function reportKeepAlive(ctx: CheckContext, seg: Segment, from: Side, time: number): void {
  const len = seg.len;
  const seq = seg.seq;
  ctx.report(
    'keep-alive',
    from,
    seg.frame,
    time,
    `keep-alive: ${len} byte${len === 1 ? '' : 's'} at seq ${seq}, ` +
      'one below what it sent next, to check the peer is still there',
    { seq },
  );
}

/**
 * A pure ACK with the same ack and window as the last: the answer to a keep-alive or a
 * zero-window probe, or a duplicate ACK. Returns whether it answers a keep-alive or probe.
 */
export function checkRepeatedAck(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  time: number,
): boolean {
  if (!d.winSeen || seg.win !== d.win) return false;
  if (p.labels & LABEL_KEEP_ALIVE && seg.win !== 0) {
    ctx.report('keep-alive-ack', from, seg.frame, time, `answers the keep-alive: ack ${seg.ack} unchanged`, {
      ack: seg.ack,
    });
    return true;
  }
  if (p.labels & LABEL_ZERO_WINDOW_PROBE && seg.win === 0) {
    ctx.report(
      'zero-window-probe-ack',
      from,
      seg.frame,
      time,
      `answers the zero-window probe: still ack ${seg.ack}, window still 0`,
      { ack: seg.ack },
    );
    return true;
  }
  if (seg.win !== 0) {
    d.dupAcks++;
    // RFC 5681 §2 counts a duplicate ACK as a loss signal only while data is outstanding.
    const outstanding = p.sent && seqGt(p.nxt, seg.ack);
    ctx.report(
      'duplicate-ack',
      from,
      seg.frame,
      time,
      outstanding
        ? `duplicate ACK #${d.dupAcks} of ${seg.ack}: the receiver got ` +
            `something out of order and is still waiting for seq ${seg.ack}`
        : `duplicate ACK #${d.dupAcks} of ${seg.ack} with nothing outstanding: the answer to a segment ` +
            'received twice (a resent SYN-ACK or FIN) or a challenge ACK (RFC 5961), not a sign of loss',
      { ack: seg.ack, count: d.dupAcks },
    );
  }
  return false;
}

/** The ACK field: the receiver's side of the bookkeeping and ack-based anomalies. */
export function noteAck(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  time: number,
): void {
  if (!(seg.flags & ACK)) return;
  const ack = seg.ack;
  if (d.ackSeen && seqLt(ack, d.lastAck) && !(seg.flags & RST)) {
    ctx.report(
      'ack-backwards',
      from,
      seg.frame,
      time,
      `acknowledges ${ack}, less than the ${d.lastAck} it already acknowledged: a reordered or stale segment`,
      { ack, previous: d.lastAck },
    );
  }
  const sack = seg.options?.sack;
  if (sack !== undefined && sack.length > 0) {
    const first = sack[0]!;
    const second = sack[1];
    // RFC 2883 §4: a first block at or below the ack, or inside the second block, is a D-SACK.
    if (
      seqLe(first.right, ack) ||
      (second !== undefined && seqGe(first.left, second.left) && seqLe(first.right, second.right))
    ) {
      ctx.report(
        'dsack',
        from,
        seg.frame,
        time,
        `D-SACK: reports bytes ${first.left}–${(first.right - 1) >>> 0} ` +
          'received twice (RFC 2883): that retransmission was not needed',
        { left: first.left, right: first.right },
      );
    }
  }
  explainGapsByAck(ctx, seg, p, peerOf(from));
  p.payloads?.acknowledged(ack);
  if (p.sent && seqGt(ack, p.ackable)) {
    // Once per run of unseen bytes: later ACKs of the same run, before the capture shows
    // the peer's data again, add nothing (Wireshark reports each of them).
    if (!p.unseenAcked) {
      ctx.report(
        'ack-unseen-segment',
        from,
        seg.frame,
        time,
        `acknowledges up to ${ack}, beyond the bytes the peer was seen to send without a hole ` +
          `(up to ${p.ackable}): the capture missed some of them, or has not shown them yet`,
        { ack, seen: p.ackable },
      );
    }
    p.unseenAcked = true;
    p.ackable = seqMax(p.nxt, ack);
  }
  observeAck(d, seg, time);
}
