import {
  severityRank,
  type Endpoint,
  type Severity,
  type Side,
  type SideCounters,
  type TcpState,
  type TrackerEvent,
} from '../events.js';

export type SeverityCounts = Record<Severity, number>;

/** One row of the connections table: counters only, no event lists, so it stays small. */
export interface ConnectionRow {
  /** Index of the input it came from (ids restart with every input). */
  input: number;
  id: number;
  client: Endpoint;
  server: Endpoint;
  packets: SideCounters;
  bytes: SideCounters;
  duration: number;
  final: Record<Side, TcpState>;
  /** Per side: the final state rests on an assumption (mid-stream pickup, or a change inferred rather than seen). */
  finalAssumed: Record<Side, boolean>;
  anomalies: SeverityCounts;
}

/** One row of the anomaly kinds table; a kind reported at two severities has two rows. */
export interface KindRow {
  kind: string;
  severity: Severity;
  count: number;
  /** Connections with at least one anomaly of this kind and severity. */
  connections: number;
}

interface OpenConnection {
  client: Endpoint;
  server: Endpoint;
  anomalies: SeverityCounts;
  /** Keys of the kind rows this connection has counted in, for "connections affected". */
  kindKeys: Set<string>;
  lastTransitionInferred: Record<Side, boolean>;
}

export function noAnomalies(): SeverityCounts {
  return { error: 0, warning: 0, info: 0 };
}

/**
 * Counts the event stream into table rows as it goes. Memory grows with the number of
 * connections (one row each) and of anomaly kinds, never with packets or events.
 */
export class SummaryTally {
  readonly rows: ConnectionRow[] = [];
  private readonly kinds = new Map<string, KindRow>();
  private readonly open = new Map<number, OpenConnection>();
  private input = -1;
  private firstRowOfInput = 0;

  /** Connections of the next input; ids start again. */
  beginInput(): void {
    this.input++;
    this.open.clear();
    this.firstRowOfInput = this.rows.length;
  }

  event(e: TrackerEvent): void {
    switch (e.type) {
      case 'connection':
        this.open.set(e.conn, {
          client: e.client,
          server: e.server,
          anomalies: noAnomalies(),
          kindKeys: new Set(),
          lastTransitionInferred: { client: false, server: false },
        });
        break;
      case 'transition': {
        const conn = this.open.get(e.conn);
        if (conn !== undefined) conn.lastTransitionInferred[e.side] = e.inferred === true;
        break;
      }
      case 'anomaly': {
        const conn = this.open.get(e.conn);
        if (conn === undefined) return;
        conn.anomalies[e.severity]++;
        const key = `${e.severity} ${e.kind}`;
        const kind = this.kinds.get(key) ?? { kind: e.kind, severity: e.severity, count: 0, connections: 0 };
        kind.count++;
        if (!conn.kindKeys.has(key)) {
          conn.kindKeys.add(key);
          kind.connections++;
        }
        this.kinds.set(key, kind);
        break;
      }
      case 'end': {
        const conn = this.open.get(e.conn);
        if (conn === undefined) return;
        this.open.delete(e.conn);
        this.rows.push({
          input: this.input,
          id: e.conn,
          client: conn.client,
          server: conn.server,
          packets: e.packets,
          bytes: e.bytes,
          duration: e.end - e.start,
          final: e.final,
          finalAssumed: {
            client: e.assumed || conn.lastTransitionInferred.client,
            server: e.assumed || conn.lastTransitionInferred.server,
          },
          anomalies: conn.anomalies,
        });
        break;
      }
    }
  }

  /** Connections end in any order; the table lists each input's by id. */
  endInput(): void {
    const ofInput = this.rows.splice(this.firstRowOfInput).sort((a, b) => a.id - b.id);
    // No spread: an input may hold more rows than a call takes arguments.
    for (const row of ofInput) this.rows.push(row);
  }

  /** Most severe first, then the most frequent, then by name. */
  kindRows(): KindRow[] {
    return [...this.kinds.values()].sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        b.count - a.count ||
        (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
    );
  }
}
