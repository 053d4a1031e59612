// The one writer of an endpoint's sequence fields: what a segment shows its sender has sent
// (SND.NXT, the FIN's place, the SYN's options, the window) and what it acknowledged. The
// tracker calls these after the checks have read the fields as they stood before the segment.
import { ACK, FIN, RST, SYN, type Segment } from '../segment.js';
import { LABEL_KEEP_ALIVE, LABEL_ZERO_WINDOW_PROBE, WSCALE_UNKNOWN, type TcpEndpoint } from './endpoint.js';
import { finSeqOf, segEnd, seqAdd, seqGt } from './seq.js';

/** RFC 7323 §2.3: a shift above 14 is treated as 14. */
export const MAX_WSCALE = 14;

/** A SYN's or SYN-ACK's options: the MSS, the shift it offers, whether it speaks timestamps. */
function observeSynOptions(a: TcpEndpoint, seg: Segment): void {
  const o = seg.options;
  a.wscaleOffered = o?.wscale;
  a.mss = o?.mss;
  a.tsOffered = o?.tsval !== undefined;
}

/**
 * A SYN takes a new ISN unless it repeats the last one (a retransmission) or comes inside a
 * synchronized connection (RFC 5961 §4: ignored but for a challenge ACK); a SYN-ACK sets the
 * window scaling of both sides (RFC 7323 §2.2: only when both SYNs offered it).
 */
function observeSyn(a: TcpEndpoint, peer: TcpEndpoint, seg: Segment): void {
  const tsval = seg.options?.tsval;
  if ((seg.flags & ACK) === 0) {
    if (tsval !== undefined) a.synTs = { first: a.synTs?.first ?? tsval, last: tsval };
    if (a.isn === seg.seq) return;
    if (a.isn !== undefined && a.state !== 'SYN_SENT' && a.state !== 'SYN_RCVD') return;
    a.isn = seg.seq;
    a.synLen = seg.len;
    observeSynOptions(a, seg);
    return;
  }
  if (a.synAckSeq === seg.seq) return;
  if (a.synAckSeq !== undefined && a.state === 'SYN_RCVD') {
    // Another SYN-ACK with another ISN: the side starts its half of the handshake again.
    a.isnBefore = a.isn;
    a.isn = seg.seq;
    a.nxt = segEnd(seg);
    a.ackable = a.nxt;
  }
  a.synAckSeq = seg.seq;
  a.synAckAck = seg.ack;
  a.isn ??= seg.seq;
  observeSynOptions(a, seg);
  if (peer.isn === undefined) {
    // The SYN was not captured. A SYN-ACK may carry the option only if the SYN did (RFC 7323
    // §2.2): with it, scaling is on, with this shift for the SYN-ACK's sender and one we never
    // saw for the peer; without it, scaling is off for both.
    a.wscale = a.wscaleOffered === undefined ? 0 : Math.min(a.wscaleOffered, MAX_WSCALE);
    peer.wscale = a.wscaleOffered === undefined ? 0 : WSCALE_UNKNOWN;
    return;
  }
  const both = a.wscaleOffered !== undefined && peer.wscaleOffered !== undefined;
  a.wscale = both && a.wscaleOffered !== undefined ? Math.min(a.wscaleOffered, MAX_WSCALE) : 0;
  peer.wscale = both && peer.wscaleOffered !== undefined ? Math.min(peer.wscaleOffered, MAX_WSCALE) : 0;
}

/**
 * What the segment shows its sender has sent: SND.NXT (probes, which the receiver does not
 * take in, leave it alone), the hole-free end, the FIN's place, its window and its labels.
 */
export function observeSent(a: TcpEndpoint, peer: TcpEndpoint, seg: Segment, time: number, labels: number): void {
  const flags = seg.flags;
  if (flags & SYN) observeSyn(a, peer, seg);
  const end = segEnd(seg);
  const probe = (labels & (LABEL_ZERO_WINDOW_PROBE | LABEL_KEEP_ALIVE)) !== 0;
  const wasSent = a.sent;
  if (!a.sent) {
    a.sent = true;
    a.nxt = end;
    a.nxtTime = time;
  } else if (!probe && seqGt(end, a.nxt)) {
    a.nxt = end;
    a.nxtTime = time;
  }
  if ((!wasSent || seg.seq === a.ackable) && !(labels & LABEL_ZERO_WINDOW_PROBE)) a.ackable = a.nxt;
  if (flags & FIN) {
    const finSeq = finSeqOf(seg);
    if (a.finSeq !== finSeq) a.finAcked = false;
    a.finSeq = finSeq;
  }
  a.winSeen = true;
  a.win = seg.win;
  a.winFromSyn = (flags & SYN) !== 0;
  a.labels = labels;
  if ((flags & ACK) !== 0 && !(flags & SYN) && a.wscale !== WSCALE_UNKNOWN) {
    a.edgeSeen = true;
    a.edge = rightEdge(a, seg);
    a.edgeAck = seg.ack;
  }
}

/** The right edge of the window this segment advertises: ack + window, scaled. */
export function rightEdge(a: TcpEndpoint, seg: Segment): number {
  return seqAdd(seg.ack, seg.win << a.wscale);
}

/** What an ACK shows its sender has received: its RCV.NXT as far as the capture shows. */
export function observeAck(a: TcpEndpoint, seg: Segment, time: number): void {
  const ack = seg.ack;
  if (!a.ackSeen || seqGt(ack, a.lastAck)) a.dupAcks = 0;
  if (!a.ackSeen || seqGt(ack, a.highestAck)) a.highestAck = ack;
  a.ackSeen = true;
  a.lastAck = ack;
  a.lastAckTime = time;
  a.lastAckFrame = seg.frame;
  const sack = seg.options?.sack;
  a.sackAbove = sack !== undefined && sack.length > 0 && seqGt(sack[0]!.left, ack);
}

/** A SYN-ACK's ack: noted as its sender's first acknowledgement (judged by the handshake checks). */
export function observeSynAckAck(a: TcpEndpoint, seg: Segment, time: number): void {
  if ((seg.flags & (SYN | ACK | RST)) !== (SYN | ACK)) return;
  a.ackSeen = true;
  a.lastAck = seg.ack;
  a.highestAck = seg.ack;
  a.lastAckTime = time;
  a.lastAckFrame = seg.frame;
}
