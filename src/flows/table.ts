import { ACK, SYN, segmentTime, type Segment } from '../segment.js';
import type { EventSink, SegmentSink, Side } from '../events.js';
import { ConnectionTracker, type PreviousConnection, type TrackerOptions } from '../tcp/tracker.js';
import { EndpointPairIndex, type PairKey } from './index.js';
import { MAX_TOMBSTONES, TombstoneRing, type Ending, type Tombstone } from './tombstones.js';

interface Flow {
  tracker: ConnectionTracker;
  key: PairKey;
  /** TIME_WAIT deadline already queued, per side. */
  queued: Record<Side, number | undefined>;
  /** How it ended, set when both sides are CLOSED. */
  ending: Ending | undefined;
  /** Held-RST deadline already queued. */
  resetQueued: number | undefined;
}

/** Limits of the table's memory of retired connections. */
export interface FlowTableLimits {
  /** Tombstones kept at most (default MAX_TOMBSTONES); the oldest goes first. */
  tombstones?: number;
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
 * connections (port reuse included; the tracker decides the roles from the first segment),
 * runs the trackers' TIME_WAIT deadlines on capture time, and retires closed connections so
 * memory follows the number of live connections.
 */
export class FlowTable {
  private readonly flows = new EndpointPairIndex<Flow>();
  /** Reused for every lookup. */
  private readonly lookup: PairKey = { low: 0, high: 0 };
  private readonly timers: TimeWaitTimer[] = [];
  private readonly resetTimers: { flow: Flow; until: number }[] = [];
  private readonly closedQueue: { flow: Flow; at: number }[] = [];
  private readonly emit: EventSink;
  private readonly opts: TrackerOptions;
  private readonly onSegment: SegmentSink | undefined;
  /** Retired connections of the last 2×MSL, for `port-reuse` on their port pair (bounded: see TombstoneRing). */
  private readonly tombstones: TombstoneRing;
  private nextId = 1;

  /** `onSegment`, when given, sees every segment with its connection before the tracker does. */
  constructor(emit: EventSink, opts: TrackerOptions, onSegment?: SegmentSink, limits: FlowTableLimits = {}) {
    this.emit = emit;
    this.opts = opts;
    this.onSegment = onSegment;
    this.tombstones = new TombstoneRing(limits.tombstones ?? MAX_TOMBSTONES, 2 * opts.mslSeconds);
  }

  segment(seg: Segment): void {
    const time = segmentTime(seg);
    this.runTimers(time, seg.frame);
    const key = this.flows.key(seg.src, seg.sport, seg.dst, seg.dport, this.lookup);
    let flow = this.flows.get(key);
    if (flow !== undefined && (seg.flags & (SYN | ACK)) === SYN) {
      const from = flow.tracker.sideOf(seg);
      if (flow.tracker.acceptsNewSyn(seg, from)) {
        const inTimeWait = flow.tracker.endTimeWaitForReuse(seg.frame, time);
        const previous = previousOf(flow);
        this.retire(flow);
        flow = this.open(seg, key, time);
        flow.tracker.reusedPortsOf(previous, from, inTimeWait, seg, time);
      }
    } else if (flow === undefined && (seg.flags & (SYN | ACK)) === SYN) {
      const stone = this.tombstones.take(key, time);
      flow = this.open(seg, key, time);
      // A retired connection had both sides CLOSED, and a side leaves TIME_WAIT only after
      // 2×MSL or on a RST (taken as ending it, as Linux does: RFC 9293 §3.10.7.4, not RFC
      // 1337), so no side of it can still be in TIME_WAIT: what the table would say of it too.
      if (stone !== undefined) {
        const from = seg.sport === stone.clientPort && seg.src === stone.clientAddr ? 'client' : 'server';
        flow.tracker.reusedPortsOf(previousOfTombstone(stone), from, undefined, seg, time);
      }
    }
    flow ??= this.open(seg, key, time);
    const tracker = flow.tracker;
    const wasClosed = tracker.isClosed();
    const side = flow.tracker.sideOf(seg);
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
    const heldUntil = tracker.heldResetUntil;
    if (heldUntil !== undefined && flow.resetQueued !== heldUntil) {
      flow.resetQueued = heldUntil;
      this.resetTimers.push({ flow, until: heldUntil });
    }
    if (!wasClosed && tracker.isClosed()) {
      flow.ending = endingOf(tracker, seg.frame);
      this.closedQueue.push({ flow, at: time + CLOSED_LINGER_SECONDS });
    }
  }

  /** Tombstones a SYN on their port pair could still find (at most the cap). */
  get tombstoneCount(): number {
    return this.tombstones.size;
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
    this.resetTimers.length = 0;
    this.closedQueue.length = 0;
    this.tombstones.clear();
  }

  private open(seg: Segment, lookup: PairKey, time: number): Flow {
    const key: PairKey = { low: lookup.low, high: lookup.high };
    const tracker = new ConnectionTracker(this.nextId++, seg, time, this.emit, this.opts);
    const flow: Flow = {
      tracker,
      key,
      queued: { client: undefined, server: undefined },
      ending: undefined,
      resetQueued: undefined,
    };
    this.flows.set(key, flow);
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
    // A RST's sender silent for long enough: the RST was its own (ConnectionTracker.heldReset).
    while (this.resetTimers.length > 0 && this.resetTimers[0]!.until < now) {
      const { flow, until } = this.resetTimers.shift()!;
      const tracker = flow.tracker;
      if (tracker.heldResetUntil !== until) continue;
      const wasClosed = tracker.isClosed();
      tracker.releaseHeldReset(true);
      if (!wasClosed && tracker.isClosed()) {
        flow.ending = endingOf(tracker, frame);
        // Closed as of its last packet (the RST), not of this late look.
        this.closedQueue.push({ flow, at: tracker.last + CLOSED_LINGER_SECONDS });
      }
    }
    while (this.timers.length > 0 && this.timers[0]!.until <= now) {
      const t = this.timers.shift()!;
      const tracker = t.flow.tracker;
      if (tracker.timeWaitUntil[t.side] !== t.until) continue;
      const wasClosed = tracker.isClosed();
      tracker.expireTimeWait(t.side, frame);
      if (!wasClosed && tracker.isClosed()) {
        t.flow.ending = finEnding(tracker, frame);
        this.closedQueue.push({ flow: t.flow, at: now + CLOSED_LINGER_SECONDS });
      }
    }
    while (this.closedQueue.length > 0 && this.closedQueue[0]!.at <= now) {
      const { flow } = this.closedQueue.shift()!;
      if (this.flows.get(flow.key) !== flow || !flow.tracker.isClosed()) continue;
      if (flow.tracker.last + CLOSED_LINGER_SECONDS <= now) {
        this.retire(flow);
        this.tombstones.add(tombstoneOf(flow), now);
      } else this.closedQueue.push({ flow, at: flow.tracker.last + CLOSED_LINGER_SECONDS });
    }
  }
}

/** The connection as a later one on its port pair sees it (a snapshot: the tracker may go). */
function previousOf(flow: Flow): PreviousConnection {
  const t = flow.tracker;
  return {
    id: t.id,
    last: t.last,
    ending: endingText(flow.ending),
    nxt: { client: sentNxt(t, 'client'), server: sentNxt(t, 'server') },
    isn: { client: t.client.isn, server: t.server.isn },
  };
}

function tombstoneOf(flow: Flow): Tombstone {
  const t = flow.tracker;
  return {
    low: flow.key.low,
    high: flow.key.high,
    id: t.id,
    last: t.last,
    clientAddr: flow.tracker.roles.client.addr,
    clientPort: flow.tracker.roles.client.port,
    endHow: flow.ending?.how,
    endSide: flow.ending?.side ?? 'client',
    endFrame: flow.ending?.frame ?? 0,
    clientNxt: sentNxt(t, 'client'),
    serverNxt: sentNxt(t, 'server'),
    clientIsn: t.client.isn,
    serverIsn: t.server.isn,
  };
}

function previousOfTombstone(s: Tombstone): PreviousConnection {
  return {
    id: s.id,
    last: s.last,
    ending: endingText(s.endHow === undefined ? undefined : { how: s.endHow, side: s.endSide, frame: s.endFrame }),
    nxt: { client: s.clientNxt, server: s.serverNxt },
    isn: { client: s.clientIsn, server: s.serverIsn },
  };
}

function sentNxt(t: ConnectionTracker, side: Side): number | undefined {
  const e = t.endpoint(side);
  return e.sent ? e.nxt : undefined;
}

/** How a connection ended, given the segment after which both its sides are CLOSED. */
function endingOf(tracker: ConnectionTracker, frame: number): Ending {
  const reset = tracker.lastReset;
  if (reset === undefined) return finEnding(tracker, frame);
  // A RST from a side that never sent a SYN or SYN-ACK answers the peer's SYN.
  const how = tracker.endpoint(reset.side).isn === undefined ? 'refused' : 'reset';
  return { how, side: reset.side, frame: reset.frame };
}

function finEnding(tracker: ConnectionTracker, frame: number): Ending {
  const fins = tracker.client.finSeq !== undefined && tracker.server.finSeq !== undefined;
  return { how: fins ? 'fins' : 'closed', side: 'client', frame };
}

/** "reset by the client, RST in frame 7", for the `port-reuse` message. */
function endingText(e: Ending | undefined): string | undefined {
  if (e === undefined) return undefined;
  if (e.how === 'reset') return `reset by the ${e.side}, RST in frame ${e.frame}`;
  if (e.how === 'refused') return `refused: the ${e.side}'s RST in frame ${e.frame} answered the SYN`;
  return e.how === 'fins' ? 'closed with FINs' : 'closed';
}
