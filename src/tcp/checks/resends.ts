// Data or a FIN that does not start at SND.NXT: which kind of resend (or a reordered first
// copy), told apart by the holes it fills, the receiver's duplicate ACKs and the send-order
// evidence; and resent bytes that differ from the first copy.
import { FIN, type Segment } from '../../segment.js';
import type { Side } from '../../events.js';
import type { Gap, TcpEndpoint } from '../endpoint.js';
import { SentPayloads } from '../sent-payloads.js';
import { seqAdd, seqGt, seqLe, seqLt } from '../seq.js';
import type { CheckContext } from './context.js';
import { fillGaps } from './gaps.js';

/** Out-of-order threshold without a handshake RTT (Wireshark's default, 3 ms). */
const DEFAULT_REORDER_SECONDS = 0.003;
/** Wireshark's fast-retransmission window after the last duplicate ACK (20 ms). */
const FAST_RETRANSMIT_SECONDS = 0.02;
/**
 * The resend answers the duplicate ACKs one round trip after the receiver sent them: on a
 * path slower than 10 ms Wireshark's fixed 20 ms misses it (anomalies.md §4 notes), so the
 * window is also at least two handshake round trips.
 */
const FAST_RETRANSMIT_ROUND_TRIPS = 2;

/** A segment carrying data or FIN that does not start at SND.NXT: which kind of resend. */
export function classifyResend(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  end: number,
  time: number,
): void {
  const seq = seg.seq;
  // Wireshark tests this before asking whether the segment advanced SND.NXT at all.
  if (seg.len > 0 && p.ackSeen && seqLe(seqAdd(seq, seg.len), p.lastAck)) {
    const fresh = !seqLt(seq, d.nxt);
    ctx.report(
      'spurious-retransmission',
      from,
      seg.frame,
      time,
      fresh
        ? `carries ${describeBytes(seg, end)} that the peer had already acknowledged (ack ` +
            `${p.lastAck}, frame ${p.lastAckFrame}) although they were never seen before: ` +
            'the capture saw the ACK before the data (packets reordered in the capture), not a resend'
        : `resends ${describeBytes(seg, end)} that the peer had already acknowledged (ack ${p.lastAck}, ` +
            `frame ${p.lastAckFrame}): a needless resend (early timeout, or the ACK was delayed or lost)`,
      {
        seq,
        end,
        nxt: d.nxt,
        ack: p.lastAck,
        ackFrame: p.lastAckFrame,
        ...(fresh ? { cause: 'capture-reordered' } : {}),
      },
    );
    if (!fresh) fillGaps(ctx, d, from, seg.seq, end, seg.frame, 'the sender resends them', 'resent');
    return;
  }
  const notAdvanced = seqLt(seq, d.nxt) && !(seg.len > 1 && seq === seqAdd(d.nxt, -1));
  if (!notAdvanced) return;
  const what = describeBytes(seg, end);
  const evidence = { seq, end, nxt: d.nxt };
  const hole = d.gaps.find((g) => seqLt(seq, g.to) && seqGt(end, g.from));
  const fastWindow = Math.max(FAST_RETRANSMIT_SECONDS, (ctx.handshakeRtt ?? 0) * FAST_RETRANSMIT_ROUND_TRIPS);
  const fast = p.dupAcks >= 2 && p.lastAck === seq && time - p.lastAckTime < fastWindow;
  if (hole === undefined) {
    classifyResendOfCaptured(ctx, seg, d, p, from, time, what, evidence, fast);
    return;
  }
  // A hole is filled: by the first copy of bytes delayed on the way (reordering), or by a
  // resend of a copy lost before the capture point. The send order tells them apart.
  const lostThenResent = 'lost between the sender and the capture point, then retransmitted';
  const order = sendOrder(seg, hole);
  if (fast) {
    fillGaps(ctx, d, from, seq, end, seg.frame, lostThenResent, 'lost-before-capture');
    ctx.report(
      'fast-retransmission',
      from,
      seg.frame,
      time,
      `fast retransmission of ${what} after ${p.dupAcks} duplicate ACKs asking for seq ${seq}`,
      { ...evidence, dupAcks: p.dupAcks },
    );
    return;
  }
  const reorderWindow = ctx.handshakeRtt ?? DEFAULT_REORDER_SECONDS;
  const reordered = order === undefined ? time - d.nxtTime < reorderWindow && end !== d.nxt : !order.later;
  if (reordered) {
    const why =
      order === undefined
        ? 'reordered on the way, or resent at once (neither IPv4 IDs nor timestamps tell which)'
        : `reordered on the way: ${order.proof}`;
    fillGaps(ctx, d, from, seq, end, seg.frame, why, 'reordered');
    ctx.report(
      'out-of-order',
      from,
      seg.frame,
      time,
      `arrives out of order: ${what} come after later bytes (up ` +
        `to ${d.nxt}) were already seen` +
        (order === undefined ? ', within one round trip' : `, though sent before them (${order.proof})`),
      order === undefined ? evidence : { ...evidence, cause: 'sent-earlier' },
    );
    return;
  }
  const gapFrame = fillGaps(ctx, d, from, seq, end, seg.frame, lostThenResent, 'lost-before-capture')!;
  ctx.report(
    'retransmission',
    from,
    seg.frame,
    time,
    `resends ${what}, filling the hole seen at frame ${gapFrame}: ` +
      'the first copy never passed the capture point (lost before it)' +
      (order === undefined ? '' : `; this copy was sent after the segments that followed the hole (${order.proof})`),
    { ...evidence, gapFrame, cause: 'lost-before-capture' },
  );
}

/**
 * Bytes the capture already holds, sent again: a retransmission however soon it comes,
 * never reordering (a reordered segment is a first copy, so it fills a hole). The first
 * copy passed the capture point; it or its ACK was lost after it.
 */
function classifyResendOfCaptured(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  time: number,
  what: string,
  evidence: { seq: number; end: number; nxt: number },
  fast: boolean,
): void {
  const seq = seg.seq;
  if (fast) {
    ctx.report(
      'fast-retransmission',
      from,
      seg.frame,
      time,
      `fast retransmission of ${what} after ${p.dupAcks} duplicate ACKs asking for seq ${seq}: ` +
        'the first copy passed the capture point and was lost after it',
      { ...evidence, dupAcks: p.dupAcks, cause: 'lost-after-capture' },
    );
    return;
  }
  if ((seg.flags & FIN) !== 0 && d.finSeq === seqAdd(seq, seg.len)) {
    ctx.report(
      'fin-retransmission',
      from,
      seg.frame,
      time,
      `FIN sent again (seq ${d.finSeq}): its ACK did not come in time`,
      evidence,
    );
    return;
  }
  // The receiver asking for these bytes (duplicate ACKs, or SACK blocks above them) proves
  // the first copy did not reach it: lost after the capture point, not just its ACK.
  const asked = p.ackSeen && p.lastAck === seq && (p.dupAcks > 0 || p.sackAbove);
  const proof = p.dupAcks > 0 ? `${p.dupAcks} duplicate ACKs` : 'SACK blocks above them';
  ctx.report(
    'retransmission',
    from,
    seg.frame,
    time,
    asked
      ? `resends ${what}, which the capture saw before: the first copy passed the capture point ` +
          `and was lost after it (the receiver's ${proof} ask for seq ${seq})`
      : `resends ${what}, which the capture saw before: the first copy, or its ACK, was lost after the capture point`,
    asked ? { ...evidence, cause: 'lost-after-capture' } : evidence,
  );
}

/**
 * Bytes sent again must be the same bytes (RFC 9293 §3.10.7.4 lets the receiver keep
 * either copy, so a difference means the two ends may see different streams). Keeps a
 * copy of new payload for later comparison.
 */
export function comparePayload(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  from: Side,
  end: number,
  time: number,
): void {
  const p = ctx.payload;
  p.seq = seg.seq;
  p.len = seg.len;
  p.captured = seg.payloadCaptured!;
  p.sum = seg.payloadSum!;
  p.frame = seg.frame;
  if (d.payloads !== undefined && d.sent && seqLt(seg.seq, d.nxt)) {
    const earlier = d.payloads.conflict(p);
    if (earlier !== undefined) reportOverlapDifferentData(ctx, seg, end, earlier, from, time);
  }
  if (!d.sent || seqGt(end, d.nxt)) {
    d.payloads ??= new SentPayloads();
    d.payloads.remember(p);
  }
}

function reportOverlapDifferentData(
  ctx: CheckContext,
  seg: Segment,
  end: number,
  earlier: number,
  from: Side,
  time: number,
): void {
  ctx.report(
    'overlap-different-data',
    from,
    seg.frame,
    time,
    `resends seq ${seg.seq}–${(end - 1) >>> 0} with different bytes from the copy in frame ${earlier} ` +
      '(the payload checksums differ): the receiver keeps one of them, a monitor may keep the other',
    { seq: seg.seq, end, earlierFrame: earlier },
  );
}

/** "bytes 1001–1100 (100)" or "its FIN (seq 1101)". */
function describeBytes(seg: Segment, end: number): string {
  const last = (end - ((seg.flags & FIN) !== 0 ? 2 : 1)) >>> 0;
  return seg.len > 0 ? `bytes ${seg.seq}–${last} (${seg.len})` : `its FIN (seq ${seg.seq})`;
}

/** Half the IPv4 ID space: an ID this far ahead (mod 2^16) is newer. */
const IP_ID_HALF = 0x8000;

/**
 * Whether the segment filling `hole` was sent after the segment that followed the hole
 * (a resend) or before it (the first copy, reordered), by the evidence in order of strength:
 * the IPv4 ID (stacks count it up per packet; Linux per socket), then the TSval. Undefined
 * when neither tells (IPv6, IDs of 0, equal timestamps).
 */
function sendOrder(seg: Segment, hole: Gap): { later: boolean; proof: string } | undefined {
  const id = seg.ipId ?? -1;
  if (id > 0 && hole.afterIpId > 0 && id !== hole.afterIpId) {
    const later = ((id - hole.afterIpId) & 0xffff) < IP_ID_HALF;
    return {
      later,
      proof: `IPv4 ID ${id}, ${later ? 'newer' : 'older'} than the ${hole.afterIpId} of frame ${hole.frame}`,
    };
  }
  const tsval = seg.options?.tsval ?? -1;
  if (tsval >= 0 && hole.afterTsval >= 0 && tsval !== hole.afterTsval) {
    const later = seqGt(tsval, hole.afterTsval);
    return {
      later,
      proof: `TSval ${tsval}, ${later ? 'above' : 'below'} the ${hole.afterTsval} of frame ${hole.frame}`,
    };
  }
  return undefined;
}
