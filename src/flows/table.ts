import { ACK, SYN, segmentTime, type Segment } from '../segment.js';
import type { Endpoint, EventSink, SegmentSink, Side } from '../events.js';
import { ConnectionTracker, type Opening, type TrackerOptions } from '../tcp/tracker.js';
import { EndpointPairIndex, type PairKey } from './index.js';

interface Flow {
  tracker: ConnectionTracker;
  client: Endpoint;
  key: PairKey;
  /** TIME_WAIT deadline already queued, per side. */
  queued: Record<Side, number | undefined>;
}

interface TimeWaitTimer {
  flow: Flow;
  side: Side;
  until: number;
}

/** A closed connection stays in the table this long (capture time) to absorb late duplicates. */
const CLOSED_LINGER_SECONDS = 10;

/**
 * The connection table: finds each segment's connection by its endpoint pair, opens new
 * connections (port reuse included), runs TIME_WAIT timers on capture time, and retires
 * closed connections so memory follows the number of live connections.
 */
export class FlowTable {
  private readonly flows = new EndpointPairIndex<Flow>();
  /** Reused for every lookup. */
  private readonly lookup: PairKey = { low: 0, high: 0 };
  private readonly timers: TimeWaitTimer[] = [];
  private readonly closedQueue: { flow: Flow; at: number }[] = [];
  private readonly emit: EventSink;
  private readonly opts: TrackerOptions;
  private readonly onSegment: SegmentSink | undefined;
  private nextId = 1;

  /** `onSegment`, when given, sees every segment with its connection before the tracker does. */
  constructor(emit: EventSink, opts: TrackerOptions, onSegment?: SegmentSink) {
    this.emit = emit;
    this.opts = opts;
    this.onSegment = onSegment;
  }

  segment(seg: Segment): void {
    const time = segmentTime(seg);
    this.runTimers(time, seg.frame);
    const key = this.flows.key(seg.src, seg.sport, seg.dst, seg.dport, this.lookup);
    let flow = this.flows.get(key);
    if (flow !== undefined && (seg.flags & (SYN | ACK)) === SYN) {
      const from = sideOf(flow, seg);
      if (flow.tracker.acceptsNewSyn(seg, from)) {
        const previous = flow.tracker;
        const inTimeWait = previous.endTimeWaitForReuse(seg.frame, time);
        this.retire(flow);
        flow = this.open(seg, key, time);
        flow.tracker.reusedPortsOf(previous, inTimeWait, seg, time);
      }
    }
    flow ??= this.open(seg, key, time);
    const tracker = flow.tracker;
    const wasClosed = tracker.isClosed();
    const side = sideOf(flow, seg);
    if (this.onSegment !== undefined) {
      this.onSegment({
        type: 'segment',
        conn: tracker.id,
        side,
        frame: seg.frame,
        time,
        flags: seg.flags,
        seq: seg.seq,
        ack: seg.ack,
        len: seg.len,
        win: seg.win,
      });
    }
    tracker.segment(seg, side, time);
    this.queueTimeWait(flow, 'client');
    this.queueTimeWait(flow, 'server');
    if (!wasClosed && tracker.isClosed()) this.closedQueue.push({ flow, at: time + CLOSED_LINGER_SECONDS });
  }

  /** Connections opened so far. */
  get connectionsOpened(): number {
    return this.nextId - 1;
  }

  /** End of input: every connection still in the table ends, in the order they began. */
  finish(): void {
    const rest = this.flows.values().sort((x, y) => x.tracker.id - y.tracker.id);
    for (const flow of rest) this.retire(flow);
    this.timers.length = 0;
    this.closedQueue.length = 0;
  }

  private open(seg: Segment, lookup: PairKey, time: number): Flow {
    const key: PairKey = { low: lookup.low, high: lookup.high };
    const syn = (seg.flags & SYN) !== 0;
    const ack = (seg.flags & ACK) !== 0;
    const src: Endpoint = { addr: seg.src, port: seg.sport };
    const dst: Endpoint = { addr: seg.dst, port: seg.dport };
    let opening: Opening;
    let client: Endpoint;
    let server: Endpoint;
    let rolesReason: string;
    let rolesGuessed = false;
    if (syn && !ack) {
      opening = 'syn';
      [client, server] = [src, dst];
      rolesReason = 'the client sent the first SYN';
    } else if (syn) {
      opening = 'synack';
      [client, server] = [dst, src];
      rolesReason = "the first packet is the server's SYN-ACK (the client's SYN is not in the capture)";
    } else {
      opening = 'midstream';
      rolesGuessed = true;
      if (seg.sport > seg.dport) {
        [client, server] = [src, dst];
      } else if (seg.sport < seg.dport) {
        [client, server] = [dst, src];
      } else {
        [client, server] = [src, dst];
      }
      rolesReason =
        'no SYN in the capture: the side with the higher (ephemeral) ' +
        'port is taken as the client; states assumed ESTABLISHED';
    }
    const id = this.nextId++;
    const tracker = new ConnectionTracker(id, opening, time, this.emit, this.opts);
    const flow: Flow = { tracker, client, key, queued: { client: undefined, server: undefined } };
    this.flows.set(key, flow);
    this.emit({ type: 'connection', conn: id, client, server, rolesGuessed, rolesReason, frame: seg.frame, time });
    return flow;
  }

  private retire(flow: Flow): void {
    flow.tracker.finish();
    if (this.flows.get(flow.key) === flow) this.flows.delete(flow.key);
  }

  private queueTimeWait(flow: Flow, side: Side): void {
    const until = flow.tracker.timeWaitUntil[side];
    if (until === undefined || flow.queued[side] === until) return;
    flow.queued[side] = until;
    this.timers.push({ flow, side, until });
  }

  /**
   * Fire TIME_WAIT expiries and drop long-closed connections, on capture time. Both queues
   * are filled in capture-time order with a fixed delay, so only their heads need looking at.
   */
  private runTimers(now: number, frame: number): void {
    while (this.timers.length > 0 && this.timers[0]!.until <= now) {
      const t = this.timers.shift()!;
      const tracker = t.flow.tracker;
      if (tracker.timeWaitUntil[t.side] !== t.until) continue;
      const wasClosed = tracker.isClosed();
      tracker.expireTimeWait(t.side, frame);
      if (!wasClosed && tracker.isClosed()) this.closedQueue.push({ flow: t.flow, at: now + CLOSED_LINGER_SECONDS });
    }
    while (this.closedQueue.length > 0 && this.closedQueue[0]!.at <= now) {
      const { flow } = this.closedQueue.shift()!;
      if (this.flows.get(flow.key) !== flow || !flow.tracker.isClosed()) continue;
      if (flow.tracker.last + CLOSED_LINGER_SECONDS <= now) this.retire(flow);
      else this.closedQueue.push({ flow, at: flow.tracker.last + CLOSED_LINGER_SECONDS });
    }
  }
}

function sideOf(flow: Flow, seg: Segment): Side {
  return seg.sport === flow.client.port && seg.src === flow.client.addr ? 'client' : 'server';
}
