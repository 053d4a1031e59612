import { ACK, FIN, RST, SYN, type Segment } from '../segment.js';
import { peerOf, type AnomalyKind, type Severity, type Side } from '../events.js';
import {
  advertisedWindow,
  LABEL_KEEP_ALIVE,
  LABEL_ZERO_WINDOW_PROBE,
  MAX_BAD_CHECKSUM_FRAMES,
  MAX_GAPS,
  WSCALE_UNKNOWN,
  type Gap,
  type TcpEndpoint,
} from './endpoint.js';
import { MAX_WSCALE, observeAck, observeSynAckAck, rightEdge } from './observe.js';
import { SentPayloads, type Payload } from './sent-payloads.js';
import { segEnd, seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt, seqMax } from './seq.js';

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
 * How a hole was explained, kept in the anomaly's evidence as `cause` so explanations can
 * name the matching cause: the receiver had the bytes (capture loss), a resend filled it
 * (lost before the capture point), a reordered segment filled it, or nothing told.
 */
type GapVerdict = 'capture-loss' | 'lost-before-capture' | 'reordered' | 'resent' | 'unexplained';

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

/**
 * Classifies each segment's sequence and acknowledgement numbers against what its direction
 * sent before (anomalies.md §4, Wireshark's tcp_analyze_sequence_number order), with the
 * improvements the catalogue asks for: a hole filled by bytes never seen before is not called
 * a retransmission of something seen, and a gap is explained as capture loss when the
 * receiver acknowledges (or SACKs) the missing bytes.
 */
export class SequenceAnalyzer {
  private readonly client: TcpEndpoint;
  private readonly server: TcpEndpoint;
  private readonly report: AnomalyReport;
  private synTime: number | undefined;
  /** SYN → handshake-completing ACK, the reordering threshold (Wireshark ts_first_rtt). */
  private handshakeRtt: number | undefined;
  /** Reused for every segment with payload. */
  private readonly payload: Payload = { seq: 0, len: 0, captured: 0, sum: 0, frame: 0 };

  /** The checks read the tracker's endpoints; they write only their own memory (gaps, payload sums, counters). */
  constructor(client: TcpEndpoint, server: TcpEndpoint, report: AnomalyReport) {
    this.client = client;
    this.server = server;
    this.report = report;
  }

  /** SYN → handshake ACK, when the capture showed both (the connection's round trip as seen here). */
  get roundTrip(): number | undefined {
    return this.handshakeRtt;
  }

  private direction(side: Side): TcpEndpoint {
    return side === 'client' ? this.client : this.server;
  }

  /**
   * Checks the segment against what its side sent and acknowledged before, and notes its
   * ACK field; returns its labels (keep-alive, zero-window probe) for `observeSent`.
   */
  analyse(seg: Segment, from: Side, time: number): number {
    const d = this.direction(from);
    const p = this.direction(peerOf(from));
    const flags = seg.flags;
    const hasAck = (flags & ACK) !== 0;
    this.captureFacts(seg, d, p, from, time);
    if (flags & RST) {
      this.noteAck(seg, d, p, from, time);
      return 0;
    }
    if (flags & SYN) {
      this.onSyn(seg, d, p, from, time);
      // A SYN-ACK's ack is judged by the handshake checks (synack-wrong-ack), not here.
      observeSynAckAck(d, seg, time);
      return 0;
    }
    if (this.synTime !== undefined && this.handshakeRtt === undefined && hasAck && from === 'client' && seg.len === 0) {
      this.handshakeRtt = time - this.synTime;
    }

    const len = seg.len;
    const fin = (flags & FIN) !== 0;
    if (len > 0 || fin) d.unseenAcked = false;
    const end = segEnd(seg);
    const seq = seg.seq;
    let labels = 0;
    let classified = false;

    // Zero-window probe (Wireshark): one byte at SND.NXT into a closed window. Linux
    // probes with no byte at SND.UNA − 1 (tcp_xmit_probe_skb), the keep-alive shape.
    const peerWindowClosed = p.winSeen && p.win === 0;
    if (
      d.sent &&
      peerWindowClosed &&
      !fin &&
      ((len === 1 && seq === d.nxt) || (len === 0 && seq === seqAdd(d.nxt, -1)))
    ) {
      labels |= LABEL_ZERO_WINDOW_PROBE;
      classified = true;
      this.report(
        'zero-window-probe',
        from,
        seg.frame,
        time,
        len === 1
          ? `probes the peer's zero window with 1 byte at seq ${seq}`
          : `probes the peer's zero window with an empty segment at seq ${seq} = SND.UNA−1 (Linux's probe form)`,
        { seq },
      );
    }

    if (seg.win === 0 && !fin) {
      this.report(
        'zero-window',
        from,
        seg.frame,
        time,
        `advertises a zero window: its receive buffer is full, the peer must stop sending`,
        { win: 0 },
      );
    }

    if (!classified && d.sent && seqGt(seq, d.nxt)) this.openGap(d, p, from, seg, time);

    // Keep-alive: at most one byte at SND.NXT − 1, already acknowledged (RFC 1122 §4.2.3.6).
    if (!classified && d.sent && len <= 1 && !fin && seq === seqAdd(d.nxt, -1)) {
      labels |= LABEL_KEEP_ALIVE;
      classified = true;
      this.report(
        'keep-alive',
        from,
        seg.frame,
        time,
        `keep-alive: ${len} byte${len === 1 ? '' : 's'} at seq ${seq}, ` +
          'one below what it sent next, to check the peer is still there',
        { seq },
      );
    }

    const pureAck = len === 0 && !fin && hasAck && d.sent && seq === d.nxt && d.ackSeen && seg.ack === d.lastAck;
    if (!classified && pureAck && seg.win !== 0 && d.winSeen && seg.win !== d.win) {
      this.report(
        'window-update',
        from,
        seg.frame,
        time,
        `window update: the window changes from ${d.win} to ${seg.win} with nothing else new`,
        { from: d.win, to: seg.win },
      );
    }
    if (!classified && len > 0 && !fin && p.winSeen && p.ackSeen && p.wscale !== WSCALE_UNKNOWN) {
      const window = advertisedWindow(p);
      const rightEdge = seqAdd(p.lastAck, window);
      if (end === rightEdge) {
        this.report(
          'window-full',
          from,
          seg.frame,
          time,
          `fills the peer's receive window exactly: this segment ends at ${end} = ack ${p.lastAck} + window ${window}`,
          { end, rightEdge },
        );
      } else if (seqGt(end, rightEdge) && seqGe(seg.seq, d.nxt)) {
        this.report(
          'segment-beyond-window',
          from,
          seg.frame,
          time,
          `sends past the peer's window: this segment ends at ${end}, ` +
            `but the peer allowed up to ${rightEdge} (ack ${p.lastAck} + window ${window})`,
          { end, rightEdge },
        );
      }
    }
    if (!classified && pureAck && d.winSeen && seg.win === d.win) {
      if (p.labels & LABEL_KEEP_ALIVE && seg.win !== 0) {
        classified = true;
        this.report('keep-alive-ack', from, seg.frame, time, `answers the keep-alive: ack ${seg.ack} unchanged`, {
          ack: seg.ack,
        });
      } else if (p.labels & LABEL_ZERO_WINDOW_PROBE && seg.win === 0) {
        classified = true;
        this.report(
          'zero-window-probe-ack',
          from,
          seg.frame,
          time,
          `answers the zero-window probe: still ack ${seg.ack}, window still 0`,
          { ack: seg.ack },
        );
      } else if (seg.win !== 0) {
        d.dupAcks++;
        // RFC 5681 §2 counts a duplicate ACK as a loss signal only while data is outstanding.
        const outstanding = p.sent && seqGt(p.nxt, seg.ack);
        this.report(
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
    }

    if (!classified && (len > 0 || fin) && d.sent) this.classifyResend(seg, d, p, from, end, time);
    if (len > 0 && seg.payloadSum !== undefined) this.comparePayload(seg, d, from, end, time);

    this.noteAck(seg, d, p, from, time);
    this.checkWindowEdge(seg, d, p, from, time);
    return labels;
  }

  /** End of the connection: gaps never explained are reported as they stand; checksums summed up. */
  finish(): void {
    for (const side of ['client', 'server'] as const) {
      const d = this.direction(side);
      this.reportChecksums(side, d);
      for (const gap of d.gaps)
        if (!gap.reported)
          this.reportGap(side, gap, 'neither sent again nor acknowledged later in the capture', 'unexplained');
      d.gaps.length = 0;
    }
  }

  private onSyn(seg: Segment, d: TcpEndpoint, p: TcpEndpoint, from: Side, time: number): void {
    const withAck = (seg.flags & ACK) !== 0;
    if (!withAck) {
      if (d.isn === seg.seq) {
        this.synTime = time; // the handshake RTT counts from the SYN that got through
        this.report(
          'syn-retransmission',
          from,
          seg.frame,
          time,
          `SYN sent again with the same ISN ${seg.seq}: no SYN-ACK came back in time`,
          { isn: seg.seq },
        );
        return;
      }
      this.synTime = time;
      this.checkSynOptions(seg, from, time);
      return;
    }
    if (d.synAckSeq === seg.seq) {
      this.report(
        'synack-retransmission',
        from,
        seg.frame,
        time,
        `SYN-ACK sent again (seq ${seg.seq}, ack ${seg.ack}): the handshake's last ACK did not arrive in time`,
        { seq: seg.seq, ack: seg.ack },
      );
      return;
    }
    this.checkSynOptions(seg, from, time);
    const offered = seg.options?.wscale;
    if (offered !== undefined && p.isn !== undefined && p.wscaleOffered === undefined) {
      this.report(
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

  private checkSynOptions(seg: Segment, from: Side, time: number): void {
    const o = seg.options;
    if (o?.wscale !== undefined && o.wscale > MAX_WSCALE) {
      this.report(
        'wscale-invalid',
        from,
        seg.frame,
        time,
        `window-scale shift ${o.wscale} is above the maximum 14: it is treated as 14 (RFC 7323 §2.3)`,
        { shift: o.wscale },
      );
    }
  }

  /** What the capture itself says about this segment: cut short, checksum, size, timestamps. */
  private captureFacts(seg: Segment, d: TcpEndpoint, p: TcpEndpoint, from: Side, time: number): void {
    if (seg.truncated && !d.truncatedReported) {
      d.truncatedReported = true;
      this.report(
        'truncated-by-snaplen',
        from,
        seg.frame,
        time,
        `the capture cut this packet short (snap length): its ${seg.len} payload bytes ` +
          'were not all captured; sequence numbers are still tracked from the IP length',
        { len: seg.len },
      );
    }
    if (seg.checksum !== 'unknown') {
      d.checksumsChecked++;
      if (seg.checksum === 'bad') {
        d.badChecksums++;
        if (d.badChecksumFrames.length < MAX_BAD_CHECKSUM_FRAMES) d.badChecksumFrames.push({ frame: seg.frame, time });
      }
    }
    if (!d.oversizedReported && p.mss !== undefined && seg.len > p.mss) {
      d.oversizedReported = true;
      this.report(
        'oversized-segment',
        from,
        seg.frame,
        time,
        `carries ${seg.len} bytes, more than the ${p.mss}-byte MSS the peer announced: ` +
          'segmentation offload (TSO/GSO) or receive offload (GRO/LRO) on the capture host merged segments',
        { len: seg.len, mss: p.mss },
      );
    }
    const tsval = seg.options?.tsval;
    // Like TS.Recent (RFC 7323 §4.3), judge and remember only segments in sequence: a
    // reordered or resent one legitimately carries an older TSval.
    const inSequence = !d.sent || seqGe(seg.seq, d.nxt);
    if (tsval !== undefined && inSequence && d.tsOffered && p.tsOffered && !(seg.flags & (RST | SYN))) {
      if (d.tsSeen && seqLt(tsval, d.tsLast)) {
        this.report(
          'timestamp-regression',
          from,
          seg.frame,
          time,
          `TSval ${tsval} is lower than the ${d.tsLast} it sent before: ` +
            "the receiver's PAWS check would drop this segment (RFC 7323 §5)",
          { tsval, previous: d.tsLast },
        );
      } else {
        d.tsSeen = true;
        d.tsLast = tsval;
      }
    }
  }

  /**
   * Bad checksums: when most of one side's packets fail, the capture host almost certainly
   * computes them in the NIC (checksum offload) and the packets on the wire were fine, so
   * one note instead of an error per packet (Zeek find-checksum-offloading).
   */
  private reportChecksums(side: Side, d: TcpEndpoint): void {
    if (d.badChecksums === 0) return;
    const first = d.badChecksumFrames[0]!;
    const share = d.badChecksums / d.checksumsChecked;
    if (share > 0.5 && d.checksumsChecked >= 3) {
      this.report(
        'bad-checksum',
        side,
        first.frame,
        first.time,
        `${d.badChecksums} of ${d.checksumsChecked} checked packets from this ` +
          'side have a wrong TCP checksum: almost certainly checksum offload on ' +
          'the capturing host (the NIC fills them in after capture), not corruption',
        { bad: d.badChecksums, checked: d.checksumsChecked },
        'info',
      );
      return;
    }
    for (const { frame, time } of d.badChecksumFrames) {
      this.report(
        'bad-checksum',
        side,
        frame,
        time,
        `wrong TCP checksum (${d.badChecksums} of ${d.checksumsChecked} checked packets from this side): ` +
          'corrupted on the way, or damaged in the capture; the receiver drops such a segment',
        { bad: d.badChecksums, checked: d.checksumsChecked },
      );
    }
  }

  /** A segment carrying data or FIN that does not start at SND.NXT: which kind of resend. */
  private classifyResend(seg: Segment, d: TcpEndpoint, p: TcpEndpoint, from: Side, end: number, time: number): void {
    const seq = seg.seq;
    // Wireshark tests this before asking whether the segment advanced SND.NXT at all.
    if (seg.len > 0 && p.ackSeen && seqLe(seqAdd(seq, seg.len), p.lastAck)) {
      const fresh = !seqLt(seq, d.nxt);
      this.report(
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
      if (!fresh) this.fillGaps(d, from, seg.seq, end, seg.frame, 'the sender resends them', 'resent');
      return;
    }
    const notAdvanced = seqLt(seq, d.nxt) && !(seg.len > 1 && seq === seqAdd(d.nxt, -1));
    if (!notAdvanced) return;
    const what = describeBytes(seg, end);
    const evidence = { seq, end, nxt: d.nxt };
    const hole = d.gaps.find((g) => seqLt(seq, g.to) && seqGt(end, g.from));
    const fastWindow = Math.max(FAST_RETRANSMIT_SECONDS, (this.handshakeRtt ?? 0) * FAST_RETRANSMIT_ROUND_TRIPS);
    const fast = p.dupAcks >= 2 && p.lastAck === seq && time - p.lastAckTime < fastWindow;
    if (hole === undefined) {
      this.classifyResendOfCaptured(seg, d, p, from, time, what, evidence, fast);
      return;
    }
    // A hole is filled: by the first copy of bytes delayed on the way (reordering), or by a
    // resend of a copy lost before the capture point. The send order tells them apart.
    const lostThenResent = 'lost between the sender and the capture point, then retransmitted';
    const order = sendOrder(seg, hole);
    if (fast) {
      this.fillGaps(d, from, seq, end, seg.frame, lostThenResent, 'lost-before-capture');
      this.report(
        'fast-retransmission',
        from,
        seg.frame,
        time,
        `fast retransmission of ${what} after ${p.dupAcks} duplicate ACKs asking for seq ${seq}`,
        { ...evidence, dupAcks: p.dupAcks },
      );
      return;
    }
    const reorderWindow = this.handshakeRtt ?? DEFAULT_REORDER_SECONDS;
    const reordered = order === undefined ? time - d.nxtTime < reorderWindow && end !== d.nxt : !order.later;
    if (reordered) {
      const why =
        order === undefined
          ? 'reordered on the way, or resent at once (neither IPv4 IDs nor timestamps tell which)'
          : `reordered on the way: ${order.proof}`;
      this.fillGaps(d, from, seq, end, seg.frame, why, 'reordered');
      this.report(
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
    const gapFrame = this.fillGaps(d, from, seq, end, seg.frame, lostThenResent, 'lost-before-capture')!;
    this.report(
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
  private classifyResendOfCaptured(
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
      this.report(
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
      this.report(
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
    this.report(
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
  private comparePayload(seg: Segment, d: TcpEndpoint, from: Side, end: number, time: number): void {
    const p = this.payload;
    p.seq = seg.seq;
    p.len = seg.len;
    p.captured = seg.payloadCaptured!;
    p.sum = seg.payloadSum!;
    p.frame = seg.frame;
    if (d.payloads !== undefined && d.sent && seqLt(seg.seq, d.nxt)) {
      const earlier = d.payloads.conflict(p);
      if (earlier !== undefined) {
        this.report(
          'overlap-different-data',
          from,
          seg.frame,
          time,
          `resends seq ${seg.seq}–${(end - 1) >>> 0} with different bytes from the copy in frame ${earlier} ` +
            '(the payload checksums differ): the receiver keeps one of them, a monitor may keep the other',
          { seq: seg.seq, end, earlierFrame: earlier },
        );
      }
    }
    if (!d.sent || seqGt(end, d.nxt)) {
      d.payloads ??= new SentPayloads();
      d.payloads.remember(p);
    }
  }

  /** Bytes [d.nxt, seq) are missing: remember the hole until it is explained. */
  private openGap(d: TcpEndpoint, p: TcpEndpoint, from: Side, seg: Segment, time: number): void {
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
      this.reportGap(
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
        this.reportGap(
          from,
          oldest,
          `not explained before ${MAX_GAPS} newer holes were open (the tracker keeps at most ${MAX_GAPS})`,
          'unexplained',
        );
    }
    d.gaps.push(gap);
  }

  /** The sender sent (part of) a hole after all: report and close it. Returns the frame of the first hole. */
  private fillGaps(
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
      if (!gap.reported) this.reportGap(from, gap, `they arrive at frame ${frame}: ${cause}`, verdict);
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
  private explainGapsByAck(seg: Segment, holder: TcpEndpoint, holderSide: Side): void {
    if (holder.gaps.length === 0) return;
    const sack = seg.options?.sack;
    for (let i = 0; i < holder.gaps.length; i++) {
      const gap = holder.gaps[i]!;
      const acked = seqGt(seg.ack, gap.from);
      const sacked = sack?.some((b) => seqLt(b.left, gap.to) && seqGt(b.right, gap.from)) ?? false;
      if (!acked && !sacked) continue;
      holder.gaps.splice(i--, 1);
      if (gap.reported) continue;
      this.reportGap(
        holderSide,
        gap,
        `the receiver ${acked ? `acknowledges them (ack ${seg.ack}` : `reports them in a SACK block (`}, ` +
          `frame ${seg.frame}): they reached it; only the capture missed them (capture loss or a capture filter)`,
        'capture-loss',
      );
    }
  }

  private reportGap(side: Side, gap: Gap, cause: string, verdict: GapVerdict): void {
    const bytes = seqDiff(gap.to, gap.from);
    this.report(
      'previous-segment-not-captured',
      side,
      gap.frame,
      gap.time,
      `${bytes} byte${bytes === 1 ? '' : 's'} (seq ` +
        `${gap.from}–${(gap.to - 1) >>> 0}) missing before this segment: ${cause}`,
      { from: gap.from, to: gap.to, bytes, cause: verdict },
    );
  }

  /** The ACK field: the receiver's side of the bookkeeping and ack-based anomalies. */
  private noteAck(seg: Segment, d: TcpEndpoint, p: TcpEndpoint, from: Side, time: number): void {
    if (!(seg.flags & ACK)) return;
    const ack = seg.ack;
    if (d.ackSeen && seqLt(ack, d.lastAck) && !(seg.flags & RST)) {
      this.report(
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
        this.report(
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
    this.explainGapsByAck(seg, p, peerOf(from));
    p.payloads?.acknowledged(ack);
    if (p.sent && seqGt(ack, p.ackable)) {
      // Once per run of unseen bytes: later ACKs of the same run, before the capture shows
      // the peer's data again, add nothing (Wireshark reports each of them).
      if (!p.unseenAcked) {
        this.report(
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

  /**
   * RFC 9293 §3.8.6 (SHLD-14): the receiver should not move the right edge of its window
   * left; scaling hides up to 2^shift − 1. Once the peer has sent its FIN nothing more can
   * come, so the window no longer matters (Zeek's update_window ignores it there too; Linux's
   * TIME_WAIT ACK carries a stale one).
   */
  private checkWindowEdge(seg: Segment, d: TcpEndpoint, p: TcpEndpoint, from: Side, time: number): void {
    const flags = seg.flags;
    if (!(flags & ACK) || flags & (SYN | RST | FIN) || d.wscale === WSCALE_UNKNOWN || !d.edgeSeen) return;
    const edge = rightEdge(d, seg);
    const ackWentBack = seqLt(seg.ack, d.edgeAck);
    const peerDone = p.finSeq !== undefined;
    if (!ackWentBack && !peerDone && seqDiff(d.edge, edge) >= 1 << d.wscale) {
      this.report(
        'window-shrink',
        from,
        seg.frame,
        time,
        `the right edge of its window moves left from ${d.edge} to ${edge} (ack ` +
          `${seg.ack} + window ${seg.win << d.wscale}): it takes back space it had offered`,
        { from: d.edge, to: edge },
      );
    }
  }
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
