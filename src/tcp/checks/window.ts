// The receive window: closed, probed, reopened, filled, overrun, or taken back.
import { ACK, FIN, RST, SYN, type Segment } from '../../segment.js';
import type { Side } from '../../events.js';
import { advertisedWindow, WSCALE_UNKNOWN, type TcpEndpoint } from '../endpoint.js';
import { rightEdge } from '../observe.js';
import { seqAdd, seqDiff, seqGe, seqGt, seqLt } from '../seq.js';
import type { CheckContext } from './context.js';

/**
 * Zero-window probe (Wireshark): one byte at SND.NXT into a closed window. Linux probes
 * with no byte at SND.UNA − 1 (tcp_xmit_probe_skb), the keep-alive shape. Returns whether
 * the segment is one.
 */
export function checkZeroWindowProbe(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  time: number,
): boolean {
  const len = seg.len;
  const seq = seg.seq;
  const peerWindowClosed = p.winSeen && p.win === 0;
  const probe =
    d.sent &&
    peerWindowClosed &&
    !(seg.flags & FIN) &&
    ((len === 1 && seq === d.nxt) || (len === 0 && seq === seqAdd(d.nxt, -1)));
  if (probe) reportZeroWindowProbe(ctx, seg, from, time);
  return probe;
}

function reportZeroWindowProbe(ctx: CheckContext, seg: Segment, from: Side, time: number): void {
  const seq = seg.seq;
  ctx.report(
    'zero-window-probe',
    from,
    seg.frame,
    time,
    seg.len === 1
      ? `probes the peer's zero window with 1 byte at seq ${seq}`
      : `probes the peer's zero window with an empty segment at seq ${seq} = SND.UNA−1 (Linux's probe form)`,
    { seq },
  );
}

export function checkZeroWindow(ctx: CheckContext, seg: Segment, from: Side, time: number): void {
  if (seg.win === 0 && !(seg.flags & FIN)) reportZeroWindow(ctx, seg, from, time);
}

function reportZeroWindow(ctx: CheckContext, seg: Segment, from: Side, time: number): void {
  ctx.report(
    'zero-window',
    from,
    seg.frame,
    time,
    `advertises a zero window: its receive buffer is full, the peer must stop sending`,
    { win: 0 },
  );
}

/** A pure ACK (nothing new but perhaps the window) whose window differs from the last one. */
export function checkWindowUpdate(ctx: CheckContext, seg: Segment, d: TcpEndpoint, from: Side, time: number): void {
  if (seg.win !== 0 && d.winSeen && seg.win !== d.win) {
    ctx.report(
      'window-update',
      from,
      seg.frame,
      time,
      `window update: the window changes from ${d.win} to ${seg.win} with nothing else new`,
      { from: d.win, to: seg.win },
    );
  }
}

/** Data (no FIN) that ends exactly at, or new data that ends past, the right edge of the peer's window. */
export function checkWindowRoom(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  end: number,
  time: number,
): void {
  if (!p.winSeen || !p.ackSeen || p.wscale === WSCALE_UNKNOWN) return;
  const window = advertisedWindow(p);
  const edge = seqAdd(p.lastAck, window);
  if (end === edge) reportWindowFull(ctx, seg, p, window, end, from, time);
  else if (seqGt(end, edge) && seqGe(seg.seq, d.nxt)) reportBeyondWindow(ctx, seg, p, window, end, edge, from, time);
}

function reportWindowFull(
  ctx: CheckContext,
  seg: Segment,
  p: TcpEndpoint,
  window: number,
  end: number,
  from: Side,
  time: number,
): void {
  ctx.report(
    'window-full',
    from,
    seg.frame,
    time,
    `fills the peer's receive window exactly: this segment ends at ${end} = ack ${p.lastAck} + window ${window}`,
    { end, rightEdge: end },
  );
}

function reportBeyondWindow(
  ctx: CheckContext,
  seg: Segment,
  p: TcpEndpoint,
  window: number,
  end: number,
  edge: number,
  from: Side,
  time: number,
): void {
  ctx.report(
    'segment-beyond-window',
    from,
    seg.frame,
    time,
    `sends past the peer's window: this segment ends at ${end}, ` +
      `but the peer allowed up to ${edge} (ack ${p.lastAck} + window ${window})`,
    { end, rightEdge: edge },
  );
}

/**
 * RFC 9293 §3.8.6 (SHLD-14): the receiver should not move the right edge of its window
 * left; scaling hides up to 2^shift − 1. Once the peer has sent its FIN nothing more can
 * come, so the window no longer matters (Zeek's update_window ignores it there too; Linux's
 * TIME_WAIT ACK carries a stale one).
 */
export function checkWindowShrink(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  time: number,
): void {
  const flags = seg.flags;
  if (!(flags & ACK) || flags & (SYN | RST | FIN) || d.wscale === WSCALE_UNKNOWN || !d.edgeSeen) return;
  const edge = rightEdge(d, seg);
  const ackWentBack = seqLt(seg.ack, d.edgeAck);
  const peerDone = p.finSeq !== undefined;
  if (!ackWentBack && !peerDone && seqDiff(d.edge, edge) >= 1 << d.wscale)
    reportWindowShrink(ctx, seg, d, edge, from, time);
}

function reportWindowShrink(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  edge: number,
  from: Side,
  time: number,
): void {
  ctx.report(
    'window-shrink',
    from,
    seg.frame,
    time,
    `the right edge of its window moves left from ${d.edge} to ${edge} (ack ` +
      `${seg.ack} + window ${seg.win << d.wscale}): it takes back space it had offered`,
    { from: d.edge, to: edge },
  );
}
