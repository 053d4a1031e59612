import type { SegmentEvent, Side, TransitionEvent } from '../events.js';
import { RST, SYN } from '../segment.js';
import type { TcpState } from '../tcp/states.js';

/** Data one side sent in CLOSE_WAIT: after the peer's FIN, before its own (a half-close). */
export interface HalfCloseData {
  sender: Side;
  firstFrame: number;
  firstTime: number;
  lastFrame: number;
  segments: number;
  bytes: number;
}

interface Watched {
  state: Record<Side, TcpState | undefined>;
  data: Partial<Record<Side, HalfCloseData>>;
}

/**
 * Notices a half-close for the report: a side sending data while in CLOSE_WAIT. The states
 * come from the tracker's transitions; a segment is seen before the transitions it causes,
 * so it is judged by the state its sender was in when it sent it.
 */
export class HalfCloseWatch {
  private readonly conns = new Map<number, Watched>();

  transition(t: TransitionEvent): void {
    this.watched(t.conn).state[t.side] = t.to;
  }

  /** Returns the record when this segment is the first data its sender sent in CLOSE_WAIT. */
  segment(s: SegmentEvent): HalfCloseData | undefined {
    if (s.len === 0 || (s.flags & (SYN | RST)) !== 0) return undefined;
    const w = this.conns.get(s.conn);
    if (w === undefined || w.state[s.side] !== 'CLOSE_WAIT') return undefined;
    const known = w.data[s.side];
    if (known !== undefined) {
      known.segments++;
      known.lastFrame = s.frame;
      known.bytes += s.len;
      return undefined;
    }
    const first: HalfCloseData = { sender: s.side, firstFrame: s.frame, firstTime: s.time, lastFrame: s.frame, segments: 1, bytes: s.len };
    w.data[s.side] = first;
    return first;
  }

  /** What the connection's sides sent in CLOSE_WAIT; forgets the connection. */
  take(conn: number): HalfCloseData[] {
    const w = this.conns.get(conn);
    this.conns.delete(conn);
    if (w === undefined) return [];
    return [w.data.client, w.data.server].filter((d): d is HalfCloseData => d !== undefined);
  }

  private watched(conn: number): Watched {
    let w = this.conns.get(conn);
    if (w === undefined) {
      w = { state: { client: undefined, server: undefined }, data: {} };
      this.conns.set(conn, w);
    }
    return w;
  }
}
