import { RST, SYN, type Segment } from '../../segment.js';
import type { Side } from '../../events.js';
import type { TcpEndpoint } from '../endpoint.js';
import { seqGe, seqLt } from '../seq.js';
import type { CheckContext } from './context.js';

/** A TSval below the highest its sender sent before (both SYNs must have offered timestamps). */
export function checkTimestamp(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  time: number,
): void {
  const tsval = seg.options?.tsval;
  // Like TS.Recent (RFC 7323 §4.3), judge and remember only segments in sequence: a
  // reordered or resent one legitimately carries an older TSval.
  const inSequence = !d.sent || seqGe(seg.seq, d.nxt);
  if (tsval !== undefined && inSequence && d.tsOffered && p.tsOffered && !(seg.flags & (RST | SYN))) {
    if (d.tsSeen && seqLt(tsval, d.tsLast)) {
      reportTimestampRegression(ctx, seg, tsval, d.tsLast, from, time);
    } else {
      d.tsSeen = true;
      d.tsLast = tsval;
    }
  }
}

function reportTimestampRegression(
  ctx: CheckContext,
  seg: Segment,
  tsval: number,
  previous: number,
  from: Side,
  time: number,
): void {
  ctx.report(
    'timestamp-regression',
    from,
    seg.frame,
    time,
    `TSval ${tsval} is lower than the ${previous} it sent before: ` +
      "the receiver's PAWS check would drop this segment (RFC 7323 §5)",
    { tsval, previous },
  );
}
