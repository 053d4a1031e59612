// A SYN's or SYN-ACK's own checks: sent again, or with window-scale options that cannot be.
import { ACK, type Segment } from '../../segment.js';
import type { Side } from '../../events.js';
import type { TcpEndpoint } from '../endpoint.js';
import { MAX_WSCALE } from '../observe.js';
import type { CheckContext } from './context.js';

/** A SYN or SYN-ACK from `d` (its peer `p`): a retransmission, or its window-scale option. */
export function checkSyn(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  time: number,
): void {
  const withAck = (seg.flags & ACK) !== 0;
  if (!withAck) {
    if (d.isn === seg.seq) {
      ctx.synTime = time; // the handshake RTT counts from the SYN that got through
      ctx.report(
        'syn-retransmission',
        from,
        seg.frame,
        time,
        `SYN sent again with the same ISN ${seg.seq}: no SYN-ACK came back in time`,
        { isn: seg.seq },
      );
      return;
    }
    ctx.synTime = time;
    checkWscaleShift(ctx, seg, from, time);
    return;
  }
  if (d.synAckSeq === seg.seq) {
    ctx.report(
      'synack-retransmission',
      from,
      seg.frame,
      time,
      `SYN-ACK sent again (seq ${seg.seq}, ack ${seg.ack}): the handshake's last ACK did not arrive in time`,
      { seq: seg.seq, ack: seg.ack },
    );
    return;
  }
  checkWscaleShift(ctx, seg, from, time);
  const offered = seg.options?.wscale;
  if (offered !== undefined && p.isn !== undefined && p.wscaleOffered === undefined) {
    ctx.report(
      'wscale-invalid',
      from,
      seg.frame,
      time,
      `offers window scaling (shift ${offered}) in its SYN-ACK ` +
        'although the SYN did not: scaling stays off for both (RFC 7323 §2.2)',
      { shift: offered },
    );
  }
}

function checkWscaleShift(ctx: CheckContext, seg: Segment, from: Side, time: number): void {
  const o = seg.options;
  if (o?.wscale !== undefined && o.wscale > MAX_WSCALE) {
    ctx.report(
      'wscale-invalid',
      from,
      seg.frame,
      time,
      `window-scale shift ${o.wscale} is above the maximum 14: it is treated as 14 (RFC 7323 §2.3)`,
      { shift: o.wscale },
    );
  }
}
