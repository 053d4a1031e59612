import { ACK, FIN, PSH, RST, SYN, URG, type Segment } from '../segment.js';
import {
  type EventSink,
  type HalfCloseData,
  type Severity,
  type Side,
  peerOf,
  severityOf,
  type AnomalyKind,
  type TcpState,
  type TransitionEvent,
  type TransitionEvidence,
} from '../events.js';
import { advertisedWindow, newEndpoint, type PendingFin, type TcpEndpoint } from './endpoint.js';
import { observeSent } from './observe.js';
import { decideRoles, type Roles } from './roles.js';
import { transitionRow, type SegmentClass } from './transitions.js';
import { CaptureDuplicates } from './duplicates.js';
import { SegmentChecks } from './checks/segment-checks.js';
import { finSeqOf, seqAdd, seqGe, seqGt, seqInWindow, seqLe, seqMax } from './seq.js';
import { hasSentFin } from './states.js';

export interface TrackerOptions {
  /** Maximum segment lifetime in seconds; TIME_WAIT lasts twice this. */
  mslSeconds: number;
}

/**
 * What a new connection on a port pair needs to know of the one before it: taken from the
 * old tracker while it is still in the flow table, from its tombstone after it was retired
 * (src/flows/table.ts). Sides are those of the old connection.
 */
export interface PreviousConnection {
  id: number;
  /** Capture time of its last packet. */
  last: number;
  /** How it ended, in words ("reset by the client, RST in frame 7"); undefined if it never closed. */
  ending: string | undefined;
  /** Per side: the sequence number after the last one it sent (undefined if it sent nothing). */
  nxt: Record<Side, number | undefined>;
  /** Per side: the ISN of its SYN or SYN-ACK, if seen. */
  isn: Record<Side, number | undefined>;
}

/**
 * Replays one connection's segments, in capture order, through one record of each endpoint
 * (tcp/endpoint.ts) and emits its state transitions and anomalies (docs: states.md). Pure:
 * no I/O. For each segment: the checks read the endpoints as they stood (tcp/checks/), the
 * handlers here decide what the segment means for each side and `transition()` applies the
 * row of the table (tcp/transitions.ts), `observeSent()` records what the sender sent, then
 * the receiver's rows follow (RFC 9293 §3.10.7.4: the ACK field before the FIN bit).
 *
 * What a side sends is certain when seen; what it receives is inferred when the segment is
 * seen going towards it. Within one frame the sender's transitions come first, then the
 * receiver's.
 */
export class ConnectionTracker {
  readonly id: number;
  readonly client: TcpEndpoint;
  readonly server: TcpEndpoint;
  /** States were assumed at pickup rather than seen from the SYN. */
  readonly assumed: boolean;
  /** Who is the client and who the server, and why. */
  readonly roles: Roles;
  readonly start: number;
  last: number;
  /** Capture time at which a side in TIME_WAIT moves to CLOSED, per side. */
  readonly timeWaitUntil: Record<Side, number | undefined> = { client: undefined, server: undefined };
  private readonly emit: EventSink;
  private readonly opts: TrackerOptions;
  private readonly checks: SegmentChecks;
  private handshakeAckChecked = false;
  /** The latest RST, until its receiver is seen sending again or it is reported as ignored. */
  private rst: { from: Side; frame: number; time: number; accepted: boolean } | undefined;
  /**
   * The CLOSED of a RST's own sender, held until the evidence says the RST was its own: its
   * next packet (another RST or a new SYN: yes; anything else: it was sent in its name), a
   * RST from the peer, RST_EVIDENCE_SECONDS of silence, or the end of the capture. The
   * receiver's transitions of that RST are applied at once (RFC 5961) and emitted after it.
   */
  private heldReset:
    | {
        side: Side;
        frame: number;
        time: number;
        reason: string;
        evidence: TransitionEvidence;
        queued: TransitionEvent[];
      }
    | undefined;
  /** While a RST is processed: its receiver's transition events wait behind the held one. */
  private holding = false;
  /** The sender and frame of the last RST that closed a side of this connection. */
  lastReset: { side: Side; frame: number } | undefined;
  private ended = false;
  private readonly clientCopies = new CaptureDuplicates();
  private readonly serverCopies = new CaptureDuplicates(this.clientCopies);

  /** Opens the connection with its first captured segment, which decides the roles. */
  constructor(id: number, first: Segment, time: number, emit: EventSink, opts: TrackerOptions) {
    this.id = id;
    this.emit = emit;
    this.opts = opts;
    this.start = time;
    this.last = time;
    const roles = decideRoles(first);
    this.roles = roles;
    const opening = roles.opening;
    this.assumed = opening === 'midstream';
    if (opening === 'midstream') {
      this.client = newEndpoint('ESTABLISHED');
      this.server = newEndpoint('ESTABLISHED');
    } else if (opening === 'synack') {
      // The client's SYN was not captured; its SYN_SENT is implied by the server's answer.
      this.client = newEndpoint('SYN_SENT');
      this.server = newEndpoint('LISTEN');
    } else {
      this.client = newEndpoint('CLOSED');
      this.server = newEndpoint('CLOSED');
    }
    this.checks = new SegmentChecks(this.client, this.server, (kind, side, frame, at, message, evidence, severity) => {
      this.emit({
        type: 'anomaly',
        conn: id,
        side,
        kind,
        severity: severity ?? severityOf(kind),
        frame,
        time: at,
        message,
        evidence,
      });
    });
    this.emit({
      type: 'connection',
      conn: id,
      client: roles.client,
      server: roles.server,
      rolesGuessed: roles.guessed,
      rolesReason: roles.reason,
      frame: first.frame,
      time,
    });
  }

  /** Which side sent the segment. */
  sideOf(seg: Segment): Side {
    const client = this.roles.client;
    return seg.sport === client.port && seg.src === client.addr ? 'client' : 'server';
  }

  endpoint(side: Side): TcpEndpoint {
    return side === 'client' ? this.client : this.server;
  }

  /** No more segments can belong to this connection: both sides CLOSED (or gone to TIME_WAIT and past it). */
  isClosed(): boolean {
    return this.client.state === 'CLOSED' && this.server.state === 'CLOSED';
  }

  /** A new SYN on this tuple would start a new connection (RFC 9293 §3.6.1 lets TIME_WAIT accept one). */
  acceptsNewSyn(seg: Segment, from: Side): boolean {
    if (seg.seq === this.endpoint(from).isn) return false; // the same SYN again: a retransmission
    // A new SYN on the port pair: whoever sent the RST had closed (RFC 9293 §3.10.7.4).
    this.releaseHeldReset(true);
    const done = (s: TcpState): boolean => s === 'CLOSED' || s === 'TIME_WAIT';
    if (done(this.client.state) && done(this.server.state)) return true;
    // A client that got no answer and retries with a new ISN: the old attempt is abandoned.
    return from === 'client' && this.client.state === 'SYN_SENT' && !this.server.sent;
  }

  segment(seg: Segment, from: Side, time: number): void {
    const to = peerOf(from);
    const a = this.endpoint(from);
    const b = this.endpoint(to);
    this.last = time;
    a.packets++;
    const original = (from === 'client' ? this.clientCopies : this.serverCopies).check(seg, time, b.packets);
    if (original !== undefined) {
      // The same packet recorded twice: nothing happened on the wire, so nothing is tracked.
      const id =
        original.ipId === undefined || original.ipId === 0 ? 'the same header' : `the same IP ID ${original.ipId}`;
      this.anomaly(
        'capture-duplicate',
        from,
        seg,
        time,
        `the same packet as frame ${original.frame} (${id}, seq ${seg.seq}, ack ${seg.ack}, ` +
          `${seg.len} bytes), recorded twice by the capture: not a retransmission`,
        { original: original.frame, seq: seg.seq, ...(original.ipId === undefined ? {} : { ipId: original.ipId }) },
      );
      return;
    }
    a.bytes += seg.len;
    if (this.assumed && a.packets + b.packets === 1) {
      this.anomaly(
        'midstream-pickup',
        from,
        seg,
        time,
        'the capture starts inside this connection (no SYN seen): ' +
          'both sides are assumed ESTABLISHED and the roles are guessed from the ports',
        {},
      );
    }
    this.checkFlags(seg, from, time);
    const held = this.heldReset;
    if (held !== undefined) {
      // Its own next packet tells (a RST again or a new SYN: it had closed; anything else: the
      // RST was sent in its name); so does a RST of the peer, or a long silence.
      if (held.side === from) {
        const own = (seg.flags & (RST | SYN)) !== 0;
        this.releaseHeldReset(own);
        if (!own) {
          this.rstDisowned(seg, from, time, held);
          this.rst = undefined;
        }
      } else if (seg.flags & RST || time - held.time > RST_EVIDENCE_SECONDS) this.releaseHeldReset(true);
    }
    if (b.state === 'SYN_SENT' && this.failsSynTimestampEcho(seg, from, time)) return;
    // A SYN after a RST is a new attempt, not a segment of the reset connection.
    if (this.rst?.from === from && (seg.flags & (SYN | ACK)) === SYN) this.rst = undefined; // its new attempt
    if (this.rst !== undefined && !(seg.flags & (RST | SYN))) {
      if (this.rst.from === to) this.checkRstIgnored(seg, from, time, this.rst);
      else this.rstDisowned(seg, from, time, this.rst);
    }
    const labels = this.checks.analyse(seg, from, time);
    if (a.pendingFin !== undefined) this.resolvePendingFin(seg, from, time);
    if (a.state === 'CLOSE_WAIT' && seg.len > 0 && !(seg.flags & (SYN | RST))) this.noteHalfClose(a, from, seg, time);

    const flags = seg.flags;
    if (a.finSeq !== undefined && seg.len > 0 && !(flags & RST) && seqGt(seqAdd(seg.seq, seg.len), a.finSeq)) {
      this.anomaly(
        'data-after-fin',
        from,
        seg,
        time,
        `sends data up to ${seqAdd(seg.seq, seg.len)} after its FIN at ${a.finSeq}: a FIN promises no more data`,
        { end: seqAdd(seg.seq, seg.len), finSeq: a.finSeq },
      );
    }
    if (flags & RST) {
      const receiverWasOpen = b.state !== 'CLOSED' && b.state !== 'LISTEN';
      this.onRst(seg, from, time);
      this.holding = false;
      if (receiverWasOpen) this.rst = { from, frame: seg.frame, time, accepted: b.state === 'CLOSED' };
      return;
    }
    if (flags & SYN) {
      if (flags & ACK) this.onSynAck(seg, from, time);
      else this.onSyn(seg, from, time);
    } else if (flags & ACK) {
      this.onSenderAck(seg, from, time);
    }

    // Sender's FIN (RFC 9293 §3.6): it occupies the sequence number after the payload.
    const finSeq = finSeqOf(seg);
    const newFin = (flags & FIN) !== 0 && a.finSeq !== finSeq;
    if (newFin && a.finSeq !== undefined) {
      this.anomaly(
        'fin-bad-seq',
        from,
        seg,
        time,
        `sends a second FIN at seq ${finSeq}, but its first FIN was ` +
          `at ${a.finSeq}: a FIN's place in the stream cannot move`,
        { finSeq, first: a.finSeq },
      );
    }
    if (newFin) this.onSenderFin(finSeq, from, seg, time);

    observeSent(a, b, seg, time, labels);

    // Receiver: ACK field first (§3.10.7.4 fifth step), then the FIN bit (eighth step).
    if (flags & ACK) this.onReceiverAck(seg, to, time);
    if (newFin && b.pendingFin === undefined) this.onReceiverFin(finSeq, to, seg.frame, time);
    // The two FINs crossed (RFC 9293 §3.6 figure 13): this FIN does not acknowledge the peer's,
    // which left the peer before this one arrived and so reaches this side after its own FIN.
    if (newFin && a.pendingFin !== undefined) this.finCrossed(from, a.pendingFin, seg, time);
  }

  /** End of input: settle what the capture can no longer prove, then report the end. */
  finish(): void {
    if (this.ended) return;
    this.releaseHeldReset(true);
    this.checks.finish();
    for (const side of ['client', 'server'] as const) {
      const pending = this.endpoint(side).pendingFin;
      if (pending !== undefined) {
        this.endpoint(side).pendingFin = undefined;
        this.receiveFin(side, pending.frame, pending.time, true);
      }
    }
    const s = this.server;
    if (this.client.state === 'SYN_SENT' && s.synAckFrame !== undefined && s.synAckValid && s.state === 'SYN_RCVD') {
      this.transition(
        'client',
        'capture-ends-after-synack',
        s.synAckFrame,
        s.synAckTime,
        'received the SYN-ACK; its ACK is not in the capture (a SYN-ACK is answered at once)',
        { inferred: true },
      );
    }
    this.ended = true;
    this.emit({
      type: 'end',
      conn: this.id,
      final: { client: this.client.state, server: this.server.state },
      assumed: this.assumed,
      start: this.start,
      end: this.last,
      packets: { client: this.client.packets, server: this.server.packets },
      bytes: { client: this.client.bytes, server: this.server.bytes },
      ...(this.client.halfClose === undefined && this.server.halfClose === undefined
        ? {}
        : {
            halfClose: [this.client.halfClose, this.server.halfClose].filter(
              (d): d is HalfCloseData => d !== undefined,
            ),
          }),
    });
  }

  /**
   * A SYN of a new connection on this port pair: a side still in TIME_WAIT accepts it when
   * its ISN is above the old sequence space (RFC 9293 §3.6.1; RFC 6191), ending TIME_WAIT early.
   */
  endTimeWaitForReuse(frame: number, time: number): Side | undefined {
    let inTimeWait: Side | undefined;
    for (const side of ['client', 'server'] as const) {
      if (this.endpoint(side).state !== 'TIME_WAIT') continue;
      inTimeWait = side;
      this.transition(
        side,
        'new-syn-on-port-pair',
        frame,
        time,
        'a new connection reuses this port pair (new SYN): TIME_WAIT ends early',
      );
    }
    return inTimeWait;
  }

  /**
   * This connection's SYN, sent by the side `from` of `previous`, reuses the port pair of
   * `previous`. A side still in TIME_WAIT accepts it only if the new ISN is above what it
   * had received, or timestamps say it is newer (RFC 6191; RFC 9293 §3.6.1).
   */
  reusedPortsOf(
    previous: PreviousConnection,
    from: Side,
    inTimeWait: Side | undefined,
    seg: Segment,
    time: number,
  ): void {
    const ago = (time - previous.last).toFixed(3);
    if (inTimeWait === undefined) {
      // Only after retirement can a SYN with the old ISN open a connection (while the old one
      // is in the table, it is taken as its retransmission): more likely a late copy of it.
      const sameIsn = previous.isn[from] === seg.seq;
      this.anomaly(
        'port-reuse',
        'client',
        seg,
        time,
        `a new connection on the port pair of connection ${previous.id}, which ended ${ago} s before` +
          (previous.ending === undefined ? '' : ` (${previous.ending})`) +
          (sameIsn
            ? `: its ISN ${seg.seq} is that of connection ${previous.id}'s SYN, so it may be a late copy of that SYN`
            : ''),
        { previous: previous.id },
      );
      return;
    }
    // Either way the new ISN must lie above what the SYN's sender sent on the old connection:
    // RFC 6191 has the TIME_WAIT side accept a SYN only then (or with newer timestamps), and a
    // side reusing its own TIME_WAIT port (Linux tcp_tw_reuse, which insists on timestamps)
    // must not let old duplicates pass for new data.
    const oldNxt = previous.nxt[from];
    const risky = oldNxt !== undefined && seqLe(seg.seq, oldNxt) && seg.options?.tsval === undefined;
    const itself = inTimeWait === from;
    const who = itself
      ? `while its ${inTimeWait} was still in TIME_WAIT, opened by that side itself ` +
        `(its port reused, ${ago} s after the last packet)`
      : `while its ${inTimeWait} was still in TIME_WAIT (${ago} s after the last packet)`;
    const verdict = !risky
      ? ": accepted because the new ISN or timestamps are above the old connection's (RFC 6191)"
      : `: the new ISN ${seg.seq} is not above the old sequence space (up to ${oldNxt}) and there are no timestamps, ` +
        (itself
          ? 'so old duplicates of the previous connection could pass for new data (RFC 9293 §3.4.1)'
          : 'so the TIME_WAIT side may reject it (RFC 6191)');
    this.anomaly(
      'time-wait-reuse',
      'client',
      seg,
      time,
      `a new connection on the port pair of connection ${previous.id} ${who}${verdict}`,
      { previous: previous.id, isn: seg.seq },
      risky ? 'warning' : 'info',
    );
  }

  /** TIME_WAIT → CLOSED once 2×MSL of capture time has passed (RFC 9293 §3.6.1). */
  expireTimeWait(side: Side, frame: number): void {
    const until = this.timeWaitUntil[side];
    if (until === undefined || this.endpoint(side).state !== 'TIME_WAIT') return;
    this.timeWaitUntil[side] = undefined;
    this.transition(side, 'time-passes', frame, until, `2×MSL (${2 * this.opts.mslSeconds} s) passed in TIME_WAIT`, {
      inferred: true,
      evidence: { timeWait: 2 * this.opts.mslSeconds },
    });
  }

  private onSyn(seg: Segment, from: Side, time: number): void {
    const a = this.endpoint(from);
    const to = peerOf(from);
    const b = this.endpoint(to);
    if (a.isn === seg.seq && a.state === 'CLOSED' && from === 'client' && b.state === 'CLOSED') {
      // Windows retries a refused connect() with the very same SYN (TcpMaxConnectRetransmissions).
      this.transition(
        from,
        'send-syn-again-after-refusal',
        seg.frame,
        time,
        `sends the same SYN again (ISN ${seg.seq}) after the reset: a retry of the same connection attempt`,
        { evidence: { isn: seg.seq } },
      );
      this.transition(to, 'receive-syn', seg.frame, time, 'a SYN was addressed to it');
      return;
    }
    if (a.isn !== undefined || (a.state !== 'CLOSED' && a.state !== 'LISTEN')) {
      if (seg.seq !== a.isn && a.state !== 'SYN_SENT') {
        // RFC 5961 §4: a SYN in a synchronized state gets a challenge ACK, never a reset.
        this.anomaly(
          'syn-in-connection',
          from,
          seg,
          time,
          `sends a SYN (seq ${seg.seq}) inside the ${a.state} ` +
            `connection${a.isn !== undefined ? ` whose ISN was ${a.isn}` : ''}: ` +
            'the peer should answer with a challenge ACK (RFC 5961 §4)',
          { seq: seg.seq },
        );
      }
      return;
    }
    this.transition(from, 'send-syn-while-assumed-listening', seg.frame, time, 'a listener sends no SYN');
    const data = seg.len > 0 ? ` carrying ${seg.len} bytes of data` : '';
    const synEvidence: TransitionEvidence = seg.len > 0 ? { isn: seg.seq, len: seg.len } : { isn: seg.seq };
    if (seg.len > 0) {
      const tfo = seg.options?.tfo;
      this.anomaly(
        'syn-with-data',
        from,
        seg,
        time,
        tfo === undefined
          ? `the SYN carries ${seg.len} bytes of data without a Fast Open cookie: ` +
              'the server keeps them only after the handshake'
          : `TCP Fast Open: the SYN carries ${seg.len} bytes of data and ` +
              `${tfo === '' ? 'asks for a cookie' : `the cookie ${tfo}`} (RFC 7413)`,
        { len: seg.len },
      );
    }
    if (b.state === 'SYN_SENT') {
      this.anomaly(
        'simultaneous-open',
        from,
        seg,
        time,
        `both sides sent a SYN before either answered (ISNs ${b.isn ?? '?'} ` +
          `and ${seg.seq}): a simultaneous open (RFC 9293 §3.5)`,
        {},
      );
      // RFC 9293 §3.5 figure 7: the two SYNs crossed; each side receives the other's.
      this.transition(from, 'send-syn-crossing', seg.frame, time, `sent its own SYN${data}, ISN ${seg.seq}`, {
        evidence: synEvidence,
      });
      this.transition(
        from,
        'receive-crossed-syn',
        seg.frame,
        time,
        `the peer's SYN, already on its way, crosses its own: simultaneous open`,
        { inferred: true },
      );
      this.transition(
        to,
        'receive-syn-crossing',
        seg.frame,
        time,
        `received the peer's SYN while waiting for an answer to its own: simultaneous open`,
        { evidence: { isn: seg.seq } },
      );
      return;
    }
    this.transition(from, 'send-syn', seg.frame, time, `sent SYN${data} (first handshake), ISN ${seg.seq}`, {
      evidence: synEvidence,
    });
    this.transition(to, 'receive-syn', seg.frame, time, 'a SYN was addressed to it');
  }

  private onSynAck(seg: Segment, from: Side, time: number): void {
    const a = this.endpoint(from);
    const to = peerOf(from);
    const b = this.endpoint(to);
    if (a.state === 'SYN_RCVD' && a.synAckFrame !== undefined && a.synAckSeq !== undefined && seg.seq !== a.synAckSeq) {
      this.anomaly(
        'synack-isn-changed',
        from,
        seg,
        time,
        `a second SYN-ACK with another ISN (${seg.seq}, the first had ${a.synAckSeq}, frame ${a.synAckFrame}): ` +
          `the ${from} started its half of the handshake again; the ${to}'s ACK shows which one it took`,
        { isn: seg.seq, previousIsn: a.synAckSeq, previousFrame: a.synAckFrame },
      );
      a.synAckFrame = seg.frame;
      a.synAckTime = time;
      a.synAckValid = b.isn === undefined || this.synAckAcksSyn(seg.ack, b);
      return;
    }
    if (a.isn !== undefined && (a.synAckFrame !== undefined || a.isn !== seg.seq)) return; // retransmitted SYN-ACK
    a.synAckFrame = seg.frame;
    a.synAckTime = time;
    const ackOk = b.isn === undefined || this.synAckAcksSyn(seg.ack, b);
    a.synAckValid = ackOk;
    if (!ackOk && b.isn !== undefined) {
      const expected = seqAdd(b.isn, 1);
      this.anomaly(
        'synack-wrong-ack',
        from,
        seg,
        time,
        `SYN-ACK acknowledges ${seg.ack}, but the ${to}'s SYN had ISN ${b.isn}: ` +
          `ack should be ISN+1 = ${expected} (off by ${(seg.ack - expected) | 0})`,
        { ack: seg.ack, expected, isn: b.isn },
      );
    }
    if (ackOk && b.isn !== undefined && b.synLen > 0 && seg.ack === seqAdd(b.isn, 1)) {
      this.anomaly(
        'tfo-data-ignored',
        from,
        seg,
        time,
        `the SYN-ACK acknowledges only the SYN (ack ${seg.ack}), ` +
          `not the ${b.synLen} bytes it carried: the data must be sent again (RFC 7413 §4.2)`,
        { ack: seg.ack, synLen: b.synLen },
      );
    }
    if (a.state === 'LISTEN' || a.state === 'CLOSED') {
      const exact = b.isn !== undefined && seg.ack === seqAdd(b.isn, 1);
      this.transition(
        from,
        'send-synack',
        seg.frame,
        time,
        'answered the SYN with SYN-ACK (second handshake): ' +
          `ack ${seg.ack}${exact ? ' = client ISN+1' : ''}, own ISN ${seg.seq}`,
        {
          evidence: { isn: seg.seq, ack: seg.ack, ...(b.isn === undefined ? {} : { ackedIsn: b.isn }) },
        },
      );
    } else if (a.state === 'SYN_SENT') {
      this.transition(
        from,
        'send-synack',
        seg.frame,
        time,
        `received the peer's SYN (simultaneous open) and answered with SYN-ACK, ack ${seg.ack}`,
        { evidence: { isn: seg.seq, ack: seg.ack } },
      );
    }
    if (b.state === 'SYN_RCVD' && ackOk) {
      // Simultaneous open: each side reaches ESTABLISHED on the peer's SYN-ACK (RFC 9293 §3.5).
      this.transition(
        to,
        'receive-synack',
        seg.frame,
        time,
        `received the peer's SYN-ACK acknowledging its SYN (simultaneous open)`,
        { evidence: { ack: seg.ack } },
      );
    }
  }

  /** The ACK of a SYN: ISN+1, or beyond it by the data the SYN carried (TCP Fast Open, RFC 7413). */
  private synAckAcksSyn(ack: number, synSender: TcpEndpoint): boolean {
    if (synSender.isn === undefined) return true;
    const first = seqAdd(synSender.isn, 1);
    return seqGe(ack, first) && seqLe(ack, synSender.sent ? seqMax(synSender.nxt, first) : first);
  }

  /** A non-SYN segment with ACK: proves what its sender has received so far. */
  private onSenderAck(seg: Segment, from: Side, time: number): void {
    const a = this.endpoint(from);
    const b = this.endpoint(peerOf(from));
    if (a.state === 'SYN_SENT') {
      if (b.isn === undefined) {
        this.transition(
          from,
          'send-ack-without-synack',
          seg.frame,
          time,
          `sent an ACK, so it must have received a SYN-ACK that is not in the capture`,
          { inferred: true },
        );
        if (b.state === 'LISTEN') {
          // The missing SYN-ACK was sent from LISTEN; the ACK field step below completes it.
          this.transition(
            peerOf(from),
            'receive-ack-of-unseen-synack',
            seg.frame,
            time,
            `must have answered with a SYN-ACK that is not in the capture`,
            { inferred: true },
          );
        }
      } else if (this.ackAcceptable(seg.ack, b)) {
        const ackedIsn = isnAnswered(seg.ack, b) ?? b.isn;
        const exact = seg.ack === seqAdd(ackedIsn, 1);
        this.transition(
          from,
          'send-handshake-ack',
          seg.frame,
          time,
          `acknowledged the SYN-ACK (third handshake): ack ${seg.ack}${exact ? ' = server ISN+1' : ''}`,
          { evidence: { ack: seg.ack, ackedIsn } },
        );
      }
    } else if (a.state === 'SYN_RCVD' && (seg.len > 0 || seg.flags & FIN) && b.state !== 'SYN_RCVD') {
      // A side in SYN_RCVD cannot send data or FIN (RFC 9293 §3.10.7.4): the handshake ACK was missed.
      this.transition(
        from,
        'send-data-before-handshake-ack',
        seg.frame,
        time,
        `sends data, so the handshake's last ACK must have reached it (that ACK is not in the capture)`,
        { inferred: true },
      );
      if (b.state === 'SYN_SENT') {
        this.transition(
          peerOf(from),
          'peer-established-without-handshake-ack',
          seg.frame,
          time,
          `its peer is established, so its handshake ACK was sent (not in the capture)`,
          { inferred: true },
        );
      }
    }
  }

  /** ack within what the peer has sent: [ISN+1, SND.NXT] (RFC 9293 §3.10.7.4, SYN-RECEIVED). */
  private ackAcceptable(ack: number, peer: TcpEndpoint): boolean {
    if (peer.isn === undefined) return true;
    // After a second SYN-ACK with another ISN, an ACK answering the first one is good too.
    if (peer.isnBefore !== undefined && ack === seqAdd(peer.isnBefore, 1)) return true;
    const first = seqAdd(peer.isn, 1);
    return seqGe(ack, first) && seqLe(ack, seqMax(peer.nxt, first));
  }

  private onSenderFin(finSeq: number, from: Side, seg: Segment, time: number): void {
    const a = this.endpoint(from);
    const b = this.endpoint(peerOf(from));
    const why = `sent FIN (seq ${finSeq}): no more data from this side`;
    switch (a.state) {
      case 'ESTABLISHED':
      case 'SYN_RCVD':
        // A peer FIN this side has not processed yet: the two FINs cross (simultaneous close).
        if (b.finSeq !== undefined) {
          this.transition(from, 'send-fin-crossing', seg.frame, time, `${why}; the peer's FIN is on its way`, {
            evidence: { finSeq },
          });
        } else {
          this.transition(from, 'send-fin', seg.frame, time, why, { evidence: { finSeq } });
        }
        break;
      case 'CLOSE_WAIT': {
        // The peer's FIN not yet acknowledged, and acknowledged by this very segment: FIN+ACK.
        const acksPeerFin =
          b.finSeq !== undefined && !b.finAcked && (seg.flags & ACK) !== 0 && seqGe(seg.ack, seqAdd(b.finSeq, 1));
        this.transition(
          from,
          acksPeerFin ? 'send-fin-with-ack' : 'send-fin',
          seg.frame,
          time,
          `${why}; the peer had already closed`,
          { evidence: acksPeerFin ? { finSeq, ack: seg.ack } : { finSeq } },
        );
        break;
      }
      default:
        break;
    }
  }

  /**
   * The receiver's side of the sender's FIN. While the receiver has not sent its own FIN,
   * the outcome waits for its next segment: if that is a FIN that does not acknowledge
   * this one, the two FINs crossed (simultaneous close, RFC 9293 §3.6) and the receiver
   * never was in CLOSE_WAIT.
   */
  private onReceiverFin(finSeq: number, to: Side, frame: number, time: number): void {
    const b = this.endpoint(to);
    if (hasSentFin(b.state)) {
      this.receiveFin(to, frame, time, false);
    } else if (b.state === 'ESTABLISHED' || b.state === 'SYN_RCVD') {
      b.pendingFin = { frame, time, ackNeeded: seqAdd(finSeq, 1), overtaken: false };
    }
  }

  /**
   * The side sent its FIN before the peer's FIN (already sent, frame `pending.frame`) reached
   * it: it receives that FIN in FIN_WAIT_1, before the ACK of its own, which the peer sends
   * after its FIN on the same path. So it goes through CLOSING, like the peer.
   */
  private finCrossed(side: Side, pending: PendingFin, seg: Segment, time: number): void {
    this.endpoint(side).pendingFin = undefined;
    this.receiveFin(side, seg.frame, time, true, `(the peer's FIN of frame ${pending.frame} crossed its own)`);
  }

  /** The receiver's next segment shows whether it had processed the peer's FIN. */
  private resolvePendingFin(seg: Segment, from: Side, time: number): void {
    const a = this.endpoint(from);
    const pending = a.pendingFin;
    if (pending === undefined) return;
    const acks = (seg.flags & ACK) !== 0 && seqGe(seg.ack, pending.ackNeeded);
    if (seg.flags & RST) {
      a.pendingFin = undefined;
      return;
    }
    if (!acks) {
      pending.overtaken = true;
      return;
    }
    a.pendingFin = undefined;
    if (pending.overtaken) this.receiveFin(from, seg.frame, time, false, `(acknowledged in this segment)`);
    else this.receiveFin(from, pending.frame, pending.time, false);
  }

  private receiveFin(to: Side, frame: number, time: number, inferred: boolean, note = ''): void {
    const b = this.endpoint(to);
    const suffix = note === '' ? '' : ` ${note}`;
    const finSeq = this.endpoint(peerOf(to)).finSeq;
    const evidence: TransitionEvidence = finSeq === undefined ? {} : { finSeq };
    switch (b.state) {
      case 'ESTABLISHED':
      case 'SYN_RCVD':
        this.transition(to, 'receive-fin', frame, time, `received FIN: the peer will send no more data${suffix}`, {
          inferred,
          evidence,
        });
        break;
      case 'FIN_WAIT_1':
        this.transition(
          to,
          'receive-fin',
          frame,
          time,
          `received FIN before its own FIN was acknowledged: both sides closing at once${suffix}`,
          { inferred, evidence },
        );
        break;
      case 'FIN_WAIT_2':
        this.transition(
          to,
          'receive-fin',
          frame,
          time,
          `received the peer's FIN; both directions are closed${suffix}`,
          { inferred, evidence: { ...evidence, timeWait: 2 * this.opts.mslSeconds } },
        );
        break;
      default:
        break;
    }
  }

  /** The ACK field as the receiver processes it: its SYN or its FIN acknowledged. */
  private onReceiverAck(seg: Segment, to: Side, time: number): void {
    const b = this.endpoint(to);
    if (b.state === 'SYN_RCVD' && !(seg.flags & SYN)) {
      if (this.ackAcceptable(seg.ack, b)) {
        this.transition(to, 'receive-handshake-ack', seg.frame, time, `its SYN-ACK was acknowledged (ack ${seg.ack})`, {
          evidence:
            b.isn === undefined ? { ack: seg.ack } : { ack: seg.ack, ackedIsn: isnAnswered(seg.ack, b) ?? b.isn },
        });
      } else if (!this.handshakeAckChecked && b.isn !== undefined) {
        this.handshakeAckChecked = true;
        const expected = seqAdd(b.isn, 1);
        this.anomaly(
          'handshake-ack-wrong',
          peerOf(to),
          seg,
          time,
          `the ACK answering the SYN-ACK acknowledges ${seg.ack}, but the ${to}'s ISN was ${b.isn}: ` +
            `ack should be ISN+1 = ${expected} (off by ${(seg.ack - expected) | 0})`,
          { ack: seg.ack, expected, isn: b.isn },
        );
      }
    }
    if (b.finSeq !== undefined && !b.finAcked && seqGe(seg.ack, seqAdd(b.finSeq, 1))) {
      b.finAcked = true;
      const why = `its FIN was acknowledged (ack ${seg.ack})`;
      const evidence: TransitionEvidence = { ack: seg.ack, finSeq: b.finSeq };
      switch (b.state) {
        case 'FIN_WAIT_1':
          this.transition(to, seg.flags & FIN ? 'receive-fin-ack-with-fin' : 'receive-fin-ack', seg.frame, time, why, {
            evidence,
          });
          break;
        case 'CLOSING':
          this.transition(to, 'receive-fin-ack', seg.frame, time, why, {
            evidence: { ...evidence, timeWait: 2 * this.opts.mslSeconds },
          });
          break;
        case 'LAST_ACK':
          this.transition(to, 'receive-fin-ack', seg.frame, time, `${why}: the connection is closed`, {
            evidence,
          });
          break;
        default:
          break;
      }
    }
  }

  /**
   * A side in SYN_SENT accepts an ACK only if its TSecr echoes a TSval of its SYN: Linux
   * (tcp_rcv_synsent_state_process) drops it otherwise as a PAWS reject (TcpExtPAWSActive),
   * and Suricata (StateSynSentValidateTimestamp) raises pkt_invalid_timestamp. Such a RST or
   * FIN ahead of the SYN-ACK never came from the stack that got the SYN: it is forged, e.g.
   * to make a monitor believe the connection ended (IDS evasion). The receiver drops it, so
   * it changes no state and takes no part in the sequence analysis.
   */
  private failsSynTimestampEcho(seg: Segment, from: Side, time: number): boolean {
    const to = peerOf(from);
    const b = this.endpoint(to);
    const tsecr = seg.options?.tsecr;
    if (b.state !== 'SYN_SENT' || b.isn === undefined || !(seg.flags & ACK) || seg.flags & SYN) return false;
    if (tsecr === undefined || tsecr === 0) return false;
    const syn = b.synTs;
    if (syn !== undefined && seqGe(tsecr, syn.first) && seqLe(tsecr, syn.last)) return false;
    b.droppedAck = seg.ack;
    const sent =
      syn === undefined
        ? 'carried no timestamp'
        : `carried TSval ${syn.first === syn.last ? syn.first : `${syn.first}–${syn.last}`}`;
    this.anomaly(
      'timestamp-regression',
      from,
      seg,
      time,
      `echoes TSecr ${tsecr} before any SYN-ACK, but the ${to}'s SYN ${sent}: ` +
        `no answer to that SYN looks like this, so the ${to} drops it (Linux: ` +
        'a PAWS reject on an active open) and stays in SYN_SENT; a forged segment',
      { tsecr, ...(syn === undefined ? {} : { synTsval: syn.last }) },
    );
    return true;
  }

  private onRst(seg: Segment, from: Side, time: number): void {
    const to = peerOf(from);
    const a = this.endpoint(from);
    const b = this.endpoint(to);
    if (a.state === 'SYN_SENT' && !(seg.flags & ACK) && a.droppedAck !== undefined && seg.seq === a.droppedAck) {
      // RFC 9293 §3.10.7.3: a segment unacceptable in SYN-SENT is answered with
      // <SEQ=SEG.ACK><CTL=RST> and discarded; the sender of the SYN stays in SYN-SENT.
      return;
    }
    // RFC 9293 §3.10.7.3: in SYN-SENT a RST is acceptable only if it acknowledges the SYN.
    if (b.state === 'SYN_SENT') {
      const acksSyn = (seg.flags & ACK) !== 0 && this.synAckAcksSyn(seg.ack, b);
      if (acksSyn && a.isn === undefined) {
        this.transition(from, 'send-rst-refusing', seg.frame, time, 'it never listened');
        this.transition(
          to,
          'receive-rst-refusal',
          seg.frame,
          time,
          `connection refused: the SYN was answered with RST (nothing listens on that port)`,
          { evidence: b.isn === undefined ? { ack: seg.ack } : { ack: seg.ack, ackedIsn: b.isn } },
        );
        this.anomaly(
          'connection-refused',
          from,
          seg,
          time,
          'the SYN was answered with RST: nothing listens on that port, or a firewall rejects the connection',
          {},
        );
        return;
      }
      this.transition(from, 'send-rst', seg.frame, time, 'sent RST', { evidence: { rstSeq: seg.seq } });
      if (acksSyn) {
        this.transition(
          to,
          'receive-rst-in-syn-sent',
          seg.frame,
          time,
          'received RST acknowledging its SYN: connection reset',
          { evidence: { rstSeq: seg.seq, ack: seg.ack } },
        );
      }
      return;
    }
    if (seg.len > 0) {
      this.anomaly(
        'rst-with-data',
        from,
        seg,
        time,
        `the RST carries ${seg.len} bytes (allowed by RFC 9293 §3.5.3, ` +
          'often a diagnostic text from the stack or a middlebox)',
        { len: seg.len },
      );
    }
    if ((a.finSeq !== undefined || b.finSeq !== undefined) && a.state !== 'CLOSED') {
      this.anomaly(
        'rst-after-fin',
        from,
        seg,
        time,
        'resets a connection that was already closing ' +
          `(${a.finSeq !== undefined ? 'after its own FIN' : "after the peer's FIN"}): ` +
          'an abortive close, often unread data left in the receive buffer',
        {},
      );
    }
    this.holdReset(from, seg, time, `sent RST (seq ${seg.seq}): abortive close`, { rstSeq: seg.seq });
    a.pendingFin = undefined;
    if (b.state === 'CLOSED' || b.state === 'LISTEN') return;
    // RFC 5961 §3.2: reset only on an exact match with RCV.NXT; in window → challenge ACK,
    // otherwise dropped. TIME_WAIT checks the sequence number first too (§3.10.7.4).
    // The receiver's RCV.NXT is the most it acknowledged, or, with that ACK not yet sent
    // or not captured, what the sender has sent (anomalies.md: {p.lastAck, d.nxt}).
    const acked = b;
    const expected = a.sent ? a.nxt : seg.seq;
    const exact = seg.seq === expected || (acked.ackSeen && seg.seq === acked.highestAck);
    if (!exact) {
      const window = b.sent ? advertisedWindow(b) : undefined;
      const inWindow = window !== undefined && seqInWindow(seg.seq, expected, Math.max(window, 1));
      this.anomaly(
        inWindow ? 'rst-in-window-not-exact' : 'rst-out-of-window',
        from,
        seg,
        time,
        inWindow
          ? `RST with seq ${seg.seq} lies in the ${to}'s window but is not the next expected ${expected}: ` +
              `the ${to} should answer with a challenge ACK and stay open (RFC 5961 §3.2)`
          : `RST with seq ${seg.seq} is outside the ${to}'s window (next expected ` +
              `${expected}${window === undefined ? '' : `, window ${window}`}): the ${to} drops it (RFC 5961 §3.2)`,
        { seq: seg.seq, expected, ...(window === undefined ? {} : { window }) },
      );
      return;
    }
    if (b.state === 'TIME_WAIT') {
      this.transition(
        to,
        'receive-rst',
        seg.frame,
        time,
        'received RST in TIME_WAIT: RFC 9293 closes (stacks following RFC 1337 ignore it and stay)',
        { evidence: { rstSeq: seg.seq } },
      );
      return;
    }
    b.pendingFin = undefined;
    this.transition(
      to,
      'receive-rst',
      seg.frame,
      time,
      `received RST with seq ${seg.seq} = next expected: connection reset`,
      { evidence: { rstSeq: seg.seq } },
    );
  }

  /**
   * The RST's receiver sends again. If we judged the RST unacceptable (RFC 5961 §3.2) it
   * was ignored; if acceptable, segments already in flight are excused for a round trip.
   */
  private checkRstIgnored(
    seg: Segment,
    from: Side,
    time: number,
    rst: { frame: number; time: number; accepted: boolean },
  ): void {
    const after = time - rst.time;
    const inFlight = Math.max(2 * (this.checks.roundTrip ?? 0), 0.01);
    if (rst.accepted && after < inFlight) return;
    this.rst = undefined;
    this.anomaly(
      'rst-ignored',
      from,
      seg,
      time,
      rst.accepted
        ? `keeps sending ${after.toFixed(3)} s after the RST of frame ${rst.frame}, which should have closed it: ` +
            'the RST was lost before it, or did not come from its peer (injected by a middlebox)'
        : `keeps sending after the RST of frame ${rst.frame}, which it did not accept (not the ` +
            'exact next sequence number, RFC 5961 §3.2): a challenge ACK or more data follows',
      { rstFrame: rst.frame, after: Number(after.toFixed(6)) },
    );
  }

  /**
   * The RST's own sender sends again on the connection it reset. A host that sent a RST has
   * no connection left to send on (RFC 9293 §3.10.7.4: its TCB is deleted), so that RST was
   * not its own: another box sent it in its name (Suricata suspected_rst_inject,
   * StreamTcpPacketCheckPostRst).
   */
  private rstDisowned(seg: Segment, from: Side, time: number, rst: { frame: number; time: number }): void {
    const after = time - rst.time;
    this.rst = undefined;
    this.anomaly(
      'rst-ignored',
      from,
      seg,
      time,
      `sends again ${after.toFixed(3)} s after the RST of frame ${rst.frame} that ` +
        'came in its name: a host that reset its connection sends nothing more on it, ' +
        'so that RST was not its own (injected by a middlebox or an attacker)',
      { rstFrame: rst.frame, after: Number(after.toFixed(6)) },
    );
  }

  /** Flag combinations no stack sends (Zeek SynWeirds / TCP_christmas; Suricata fin_syn). */
  private checkFlags(seg: Segment, from: Side, time: number): void {
    const f = seg.flags;
    const odd =
      f & SYN && f & FIN
        ? 'SYN and FIN together'
        : f & SYN && f & RST
          ? 'SYN and RST together'
          : f & FIN && f & RST
            ? 'FIN and RST together'
            : (f & (SYN | FIN | RST | PSH | ACK | URG)) === 0
              ? 'no flags at all (a "null" segment)'
              : undefined;
    if (odd !== undefined) {
      this.anomaly('bad-flags', from, seg, time, `${odd}: no TCP stack sends this; a scan or a broken middlebox`, {
        flags: f,
      });
    } else if (!(f & ACK) && seg.ack !== 0 && !(f & RST)) {
      this.anomaly(
        'bad-flags',
        from,
        seg,
        time,
        `the ACK flag is off but the acknowledgement field holds ${seg.ack}: ` +
          'harmless, but a fingerprint of crafted packets',
        { ack: seg.ack },
        'warning',
      );
    }
  }

  /** Records what the sender has now sent. */
  private noteHalfClose(a: TcpEndpoint, from: Side, seg: Segment, time: number): void {
    const d = a.halfClose;
    if (d === undefined) {
      a.halfClose = {
        sender: from,
        firstFrame: seg.frame,
        firstTime: time,
        lastFrame: seg.frame,
        segments: 1,
        bytes: seg.len,
      };
      return;
    }
    d.segments++;
    d.bytes += seg.len;
    d.lastFrame = seg.frame;
  }

  private anomaly(
    kind: AnomalyKind,
    side: Side,
    seg: Segment,
    time: number,
    message: string,
    evidence: Record<string, number | string>,
    severity: Severity = severityOf(kind),
  ): void {
    this.emit({ type: 'anomaly', conn: this.id, side, kind, severity, frame: seg.frame, time, message, evidence });
  }

  /**
   * The only writer of an endpoint's state (smoltcp's set_state): the row of the table for
   * the side's state and the segment's class (tcp/transitions.ts), or no change at all.
   */
  private transition(
    side: Side,
    on: SegmentClass,
    frame: number,
    time: number,
    reason: string,
    more: { evidence?: TransitionEvidence; inferred?: boolean } = {},
  ): void {
    const ep = this.endpoint(side);
    const from = ep.state;
    const row = transitionRow(from, on);
    if (row === undefined) return; // nothing changes: see IGNORED
    ep.state = row.to;
    this.timeWaitUntil[side] = row.to === 'TIME_WAIT' ? time + 2 * this.opts.mslSeconds : undefined;
    if (row.step === undefined) return; // a change no packet shows: no event
    const event: TransitionEvent = {
      type: 'transition',
      conn: this.id,
      side,
      from,
      to: row.to,
      frame,
      time,
      reason,
      step: row.step,
      evidence: more.evidence ?? {},
      ...(more.inferred === true || row.inferred === true ? { inferred: true } : {}),
    };
    if (on === 'send-rst') this.lastReset = { side, frame };
    else if (on === 'receive-rst' || on === 'receive-rst-refusal') this.lastReset = { side: peerOf(side), frame };
    if (this.holding && this.heldReset !== undefined) this.heldReset.queued.push(event);
    else this.emit(event);
  }

  /** A RST's sender goes to CLOSED only once the evidence says the RST was its own (heldReset). */
  private holdReset(side: Side, seg: Segment, time: number, reason: string, evidence: TransitionEvidence): void {
    this.releaseHeldReset(true);
    if (transitionRow(this.endpoint(side).state, 'send-rst') === undefined) return;
    this.heldReset = { side, frame: seg.frame, time, reason, evidence, queued: [] };
    this.holding = true;
  }

  /** Settles the held RST: its sender closes (`own`) or not, then the receiver's events follow. */
  releaseHeldReset(own: boolean): void {
    const held = this.heldReset;
    if (held === undefined) return;
    this.heldReset = undefined;
    this.holding = false;
    if (own) this.transition(held.side, 'send-rst', held.frame, held.time, held.reason, { evidence: held.evidence });
    for (const e of held.queued) this.emit(e);
  }

  /** Capture time until which a RST's sender's CLOSED waits for evidence; undefined when none waits. */
  get heldResetUntil(): number | undefined {
    return this.heldReset === undefined ? undefined : this.heldReset.time + RST_EVIDENCE_SECONDS;
  }
}

/**
 * Silence after a RST that counts as evidence it was the sender's own: a host whose RST was
 * forged goes on sending within a round trip or two (its data, its ACKs).
 */
const RST_EVIDENCE_SECONDS = 2;

/** Which of the side's ISNs an ack answers (ISN + 1): its last, or the one of an earlier SYN-ACK. */
function isnAnswered(ack: number, e: TcpEndpoint): number | undefined {
  if (e.isnBefore !== undefined && ack === seqAdd(e.isnBefore, 1)) return e.isnBefore;
  return e.isn;
}
