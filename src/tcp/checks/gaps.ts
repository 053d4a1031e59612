// Holes in one side's sequence space: opened when a segment starts past SND.NXT, closed
// when bytes fill them or the receiver's ACK or SACK covers them, reported as
// previous-segment-not-captured with how they were explained.
import type { Segment } from '../../segment.js';
import type { Side } from '../../events.js';
import { MAX_GAPS, type Gap, type TcpEndpoint } from '../endpoint.js';
import { seqDiff, seqGt, seqLt } from '../seq.js';
import type { CheckContext } from './context.js';

/**
 * How a hole was explained, kept in the anomaly's evidence as `cause` so explanations can
 * name the matching cause: the receiver had the bytes (capture loss), a resend filled it
 * (lost before the capture point), a reordered segment filled it, or nothing told.
 */
export type GapVerdict = 'capture-loss' | 'lost-before-capture' | 'reordered' | 'resent' | 'unexplained';

/** Bytes [d.nxt, seq) are missing: remember the hole until it is explained. */
export function openGap(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  time: number,
): void {
  const gap: Gap = {
    from: d.nxt,
    to: seg.seq,
    frame: seg.frame,
    time,
    afterIpId: seg.ipId ?? -1,
    afterTsval: seg.options?.tsval ?? -1,
    reported: false,
  };
  if (p.ackSeen && seqGt(p.lastAck, gap.from)) {
    reportGap(
      ctx,
      from,
      gap,
      `the receiver had already acknowledged them (ack ${p.lastAck}, frame ${p.lastAckFrame}): ` +
        'they reached it; only the capture missed them (capture loss or a capture filter)',
      'capture-loss',
    );
    return;
  }
  if (d.gaps.length >= MAX_GAPS) {
    const oldest = d.gaps.shift()!;
    if (!oldest.reported)
      reportGap(
        ctx,
        from,
        oldest,
        `not explained before ${MAX_GAPS} newer holes were open (the tracker keeps at most ${MAX_GAPS})`,
        'unexplained',
      );
  }
  d.gaps.push(gap);
}

/** The sender sent (part of) a hole after all: report and close it. Returns the frame of the first hole. */
export function fillGaps(
  ctx: CheckContext,
  d: TcpEndpoint,
  from: Side,
  seq: number,
  end: number,
  frame: number,
  cause: string,
  verdict: GapVerdict,
): number | undefined {
  let first: number | undefined;
  for (let i = 0; i < d.gaps.length; i++) {
    const gap = d.gaps[i]!;
    if (!seqLt(seq, gap.to) || !seqGt(end, gap.from)) continue;
    first ??= gap.frame;
    if (!gap.reported) reportGap(ctx, from, gap, `they arrive at frame ${frame}: ${cause}`, verdict);
    // What this segment leaves of the hole stays known as never captured (reported once).
    const rest: Gap[] = [];
    if (seqLt(gap.from, seq)) rest.push({ ...gap, to: seq, reported: true });
    if (seqLt(end, gap.to)) rest.push({ ...gap, from: end, reported: true });
    d.gaps.splice(i, 1, ...rest);
    i += rest.length - 1;
  }
  return first;
}

/**
 * The peer's ACK (or SACK) covers bytes of a hole never seen: they reached the receiver,
 * only the capture missed them.
 */
export function explainGapsByAck(ctx: CheckContext, seg: Segment, holder: TcpEndpoint, holderSide: Side): void {
  if (holder.gaps.length === 0) return;
  const sack = seg.options?.sack;
  for (let i = 0; i < holder.gaps.length; i++) {
    const gap = holder.gaps[i]!;
    const acked = seqGt(seg.ack, gap.from);
    const sacked = sack?.some((b) => seqLt(b.left, gap.to) && seqGt(b.right, gap.from)) ?? false;
    if (!acked && !sacked) continue;
    holder.gaps.splice(i--, 1);
    if (gap.reported) continue;
    reportGap(
      ctx,
      holderSide,
      gap,
      `the receiver ${acked ? `acknowledges them (ack ${seg.ack}` : `reports them in a SACK block (`}, ` +
        `frame ${seg.frame}): they reached it; only the capture missed them (capture loss or a capture filter)`,
      'capture-loss',
    );
  }
}

/** End of the connection: holes never explained are reported as they stand. */
export function reportOpenGaps(ctx: CheckContext, side: Side, d: TcpEndpoint): void {
  for (const gap of d.gaps)
    if (!gap.reported)
      reportGap(ctx, side, gap, 'neither sent again nor acknowledged later in the capture', 'unexplained');
  d.gaps.length = 0;
}

function reportGap(ctx: CheckContext, side: Side, gap: Gap, cause: string, verdict: GapVerdict): void {
  const bytes = seqDiff(gap.to, gap.from);
  ctx.report(
    'previous-segment-not-captured',
    side,
    gap.frame,
    gap.time,
    `${bytes} byte${bytes === 1 ? '' : 's'} (seq ` +
      `${gap.from}–${(gap.to - 1) >>> 0}) missing before this segment: ${cause}`,
    { from: gap.from, to: gap.to, bytes, cause: verdict },
  );
}
