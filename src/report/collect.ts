import type { AnomalyEvent, ConnectionEvent, EndEvent, TrackerEvent, TransitionEvent } from '../events.js';

/** Everything known about one connection once it has ended. */
export interface ConnectionRecord {
  opened: ConnectionEvent;
  transitions: TransitionEvent[];
  anomalies: AnomalyEvent[];
  ended: EndEvent;
}

/**
 * Groups the event stream by connection and hands each connection over, whole, when its
 * `end` event arrives. Holds only connections still open.
 */
export class ConnectionCollector {
  private readonly open = new Map<number, Omit<ConnectionRecord, 'ended'>>();
  private readonly onEnd: (record: ConnectionRecord) => void;

  constructor(onEnd: (record: ConnectionRecord) => void) {
    this.onEnd = onEnd;
  }

  event(e: TrackerEvent): void {
    switch (e.type) {
      case 'connection':
        this.open.set(e.conn, { opened: e, transitions: [], anomalies: [] });
        break;
      case 'transition':
        this.open.get(e.conn)?.transitions.push(e);
        break;
      case 'anomaly':
        this.open.get(e.conn)?.anomalies.push(e);
        break;
      case 'end': {
        const rec = this.open.get(e.conn);
        if (rec === undefined) return;
        this.open.delete(e.conn);
        this.onEnd({ ...rec, ended: e });
        break;
      }
    }
  }
}
