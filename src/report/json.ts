import type { AnomalyEvent, TrackerEvent, TcpState } from '../events.js';
import type { InputReport } from '../pipeline.js';
import { ConnectionCollector, type ConnectionRecord } from './collect.js';
import type { Output, Reporter } from './reporter.js';

export const SCHEMA_VERSION = 1;

/** The `--format json` document (design.md): a public contract, keep it stable. */
export interface JsonReport {
  tool: 'tcptrace-explain';
  version: string;
  schemaVersion: number;
  inputs: JsonInput[];
  connections: JsonConnection[];
  summary: { connections: number; anomalies: Record<string, number> };
}

export interface JsonInput {
  name: string;
  format: string | null;
  packets: number;
  tcpSegments: number;
  skipped: number;
  skipReasons: Record<string, number>;
}

export interface JsonEndpoint {
  addr: string;
  port: number;
}

export interface JsonConnection {
  id: number;
  input: string;
  client: JsonEndpoint;
  server: JsonEndpoint;
  rolesGuessed: boolean;
  start: number;
  end: number;
  packets: { client: number; server: number };
  bytes: { client: number; server: number };
  transitions: JsonTransition[];
  final: { client: TcpState; server: TcpState };
  finalAssumed: boolean;
  anomalies: JsonAnomaly[];
}

export interface JsonTransition {
  side: 'client' | 'server';
  from: TcpState;
  to: TcpState;
  frame: number;
  time: number;
  reason: string;
  inferred?: boolean;
}

export interface JsonAnomaly {
  kind: string;
  severity: string;
  side: 'client' | 'server';
  frame: number;
  time: number;
  message: string;
  evidence: Record<string, number | string>;
}

export function connectionToJson(rec: ConnectionRecord, input: string): JsonConnection {
  const { opened, ended } = rec;
  return {
    id: opened.conn,
    input,
    client: { addr: opened.client.addr, port: opened.client.port },
    server: { addr: opened.server.addr, port: opened.server.port },
    rolesGuessed: opened.rolesGuessed,
    start: ended.start,
    end: ended.end,
    packets: ended.packets,
    bytes: ended.bytes,
    transitions: rec.transitions.map((t) => ({
      side: t.side,
      from: t.from,
      to: t.to,
      frame: t.frame,
      time: t.time,
      reason: t.reason,
      ...(t.inferred ? { inferred: true } : {}),
    })),
    final: ended.final,
    finalAssumed: ended.assumed,
    anomalies: rec.anomalies.map(anomalyToJson),
  };
}

function anomalyToJson(a: AnomalyEvent): JsonAnomaly {
  return {
    kind: a.kind,
    severity: a.severity,
    side: a.side,
    frame: a.frame,
    time: a.time,
    message: a.message,
    evidence: a.evidence,
  };
}

function inputToJson(r: InputReport): JsonInput {
  return {
    name: r.name,
    format: r.format ?? null,
    packets: r.stats?.packets ?? 0,
    tcpSegments: r.stats?.tcpSegments ?? 0,
    skipped: r.stats?.skipped ?? 0,
    skipReasons: Object.fromEntries(r.stats?.skipReasons ?? []),
  };
}

/** One JSON document at the end (connections sorted per input by id). */
export class JsonReporter implements Reporter {
  private readonly out: Output;
  private readonly version: string;
  private readonly inputs: JsonInput[] = [];
  private readonly connections: JsonConnection[] = [];
  private readonly pending: JsonConnection[] = [];
  private readonly anomalyCounts = new Map<string, number>();
  private collector: ConnectionCollector | undefined;

  constructor(out: Output, version: string) {
    this.out = out;
    this.version = version;
  }

  beginInput(name: string): void {
    this.collector = new ConnectionCollector((rec) => {
      this.pending.push(connectionToJson(rec, name));
      for (const a of rec.anomalies) this.anomalyCounts.set(a.kind, (this.anomalyCounts.get(a.kind) ?? 0) + 1);
    });
  }

  event(e: TrackerEvent): void {
    this.collector?.event(e);
  }

  endInput(report: InputReport): void {
    this.inputs.push(inputToJson(report));
    this.pending.sort((x, y) => x.id - y.id);
    this.connections.push(...this.pending);
    this.pending.length = 0;
  }

  finish(): void {
    const doc: JsonReport = {
      tool: 'tcptrace-explain',
      version: this.version,
      schemaVersion: SCHEMA_VERSION,
      inputs: this.inputs,
      connections: this.connections,
      summary: { connections: this.connections.length, anomalies: Object.fromEntries(this.anomalyCounts) },
    };
    this.out(`${JSON.stringify(doc, null, 2)}\n`);
  }
}

/** One event object per line, written as soon as it is known (JSON Lines). */
export class NdjsonReporter implements Reporter {
  private readonly out: Output;
  private input = '';
  private connections = 0;
  private readonly anomalyCounts = new Map<string, number>();

  constructor(out: Output) {
    this.out = out;
  }

  beginInput(name: string): void {
    this.input = name;
  }

  event(e: TrackerEvent): void {
    if (e.type === 'connection') this.connections++;
    if (e.type === 'anomaly') this.anomalyCounts.set(e.kind, (this.anomalyCounts.get(e.kind) ?? 0) + 1);
    this.out(`${JSON.stringify({ ...publicFields(e), input: this.input })}\n`);
  }

  endInput(report: InputReport): void {
    this.out(`${JSON.stringify({ type: 'input', ...inputToJson(report) })}\n`);
  }

  finish(): void {
    const summary = {
      type: 'summary',
      connections: this.connections,
      anomalies: Object.fromEntries(this.anomalyCounts),
    };
    this.out(`${JSON.stringify(summary)}\n`);
  }
}

/**
 * The event as the NDJSON contract has it: a transition's step id and numbers stay internal
 * (its reason carries them).
 */
function publicFields(e: TrackerEvent): object {
  if (e.type !== 'transition') return e;
  const { step: _step, evidence: _evidence, ...rest } = e;
  return rest;
}
