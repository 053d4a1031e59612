import {
  severityRank,
  type ConnectionEvent,
  type Endpoint,
  type SegmentEvent,
  type Severity,
  type TrackerEvent,
} from '../events.js';
import type { InputReport } from '../pipeline.js';
import type { Reporter } from './reporter.js';

/** Which connections to report: every given criterion must hold. */
export interface ConnectionFilter {
  /** Connection ids, as numbered in the report of each input. */
  ids?: ReadonlySet<number>;
  /** An address either endpoint has (IPv6 compared in RFC 5952 form, as printed). */
  hosts?: readonly string[];
  /** A port either endpoint uses. */
  ports?: ReadonlySet<number>;
}

/** Which events of a reported connection to show. */
export interface EventFilter {
  /** Show only anomalies, or only transitions; the connection's heading and end always pass. */
  only?: 'anomalies' | 'transitions';
  /** Hide anomalies below this severity. */
  minSeverity?: Severity;
}

function connectionMatches(e: Pick<ConnectionEvent, 'conn' | 'client' | 'server'>, f: ConnectionFilter): boolean {
  if (f.ids !== undefined && !f.ids.has(e.conn)) return false;
  if (f.hosts !== undefined && !f.hosts.some((h) => hasHost(e.client, h) || hasHost(e.server, h))) return false;
  if (f.ports !== undefined && !f.ports.has(e.client.port) && !f.ports.has(e.server.port)) return false;
  return true;
}

function hasHost(endpoint: Endpoint, host: string): boolean {
  return endpoint.addr === host;
}

/**
 * Follows which connections pass a ConnectionFilter, by id, from their `connection` event to
 * their `end` (so memory follows the live connections).
 */
class ConnectionSelection {
  private readonly filter: ConnectionFilter;
  private readonly selected = new Set<number>();
  readonly filtering: boolean;

  constructor(filter: ConnectionFilter) {
    this.filter = filter;
    this.filtering = filter.ids !== undefined || filter.hosts !== undefined || filter.ports !== undefined;
  }

  /** Whether the event belongs to a selected connection; call for every event in order. */
  admits(e: TrackerEvent | SegmentEvent): boolean {
    if (!this.filtering) return true;
    if (e.type === 'connection') {
      if (!connectionMatches(e, this.filter)) return false;
      this.selected.add(e.conn);
      return true;
    }
    if (!this.selected.has(e.conn)) return false;
    if (e.type === 'end') this.selected.delete(e.conn);
    return true;
  }

  /** A new input numbers its connections from 1 again. */
  reset(): void {
    this.selected.clear();
  }
}

function eventShown(e: TrackerEvent, f: EventFilter): boolean {
  if (e.type === 'transition') return f.only !== 'anomalies';
  if (e.type === 'anomaly') {
    if (f.only === 'transitions') return false;
    return f.minSeverity === undefined || severityRank(e.severity) >= severityRank(f.minSeverity);
  }
  return true;
}

/** Passes to the inner reporter only the events of selected connections that are to be shown. */
export class FilteringReporter implements Reporter {
  private readonly inner: Reporter;
  private readonly selection: ConnectionSelection;
  private readonly events: EventFilter;
  readonly segment?: (e: SegmentEvent) => void;

  constructor(inner: Reporter, connections: ConnectionFilter, events: EventFilter) {
    this.inner = inner;
    this.selection = new ConnectionSelection(connections);
    this.events = events;
    const drawSegment = inner.segment?.bind(inner);
    if (drawSegment !== undefined) {
      // The flow table emits a connection's `connection` event before its first segment.
      this.segment = (e) => {
        if (this.selection.admits(e)) drawSegment(e);
      };
    }
  }

  beginInput(name: string): void {
    this.selection.reset();
    this.inner.beginInput(name);
  }

  event(e: TrackerEvent): void {
    if (this.selection.admits(e) && eventShown(e, this.events)) this.inner.event(e);
  }

  endInput(report: InputReport): void {
    this.inner.endInput(report);
  }

  finish(): void {
    this.inner.finish();
  }
}
