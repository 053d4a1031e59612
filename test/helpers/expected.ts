import type { JsonConnection } from '../../src/report/json.js';

/** A hand-checked `<input>.expected.json` (fixtures/README.md describes the format and the rules). */
export interface ExpectedReport {
  capture: string;
  connections: ExpectedConnection[];
  /** Texts the warnings must contain, in order (text fixtures only). */
  warnings?: string[];
}

export interface ExpectedConnection {
  client: string;
  server: string;
  /** [side, from, to, frame] */
  transitions: [string, string, string, number][];
  final: { client: string; server: string };
  anomalies: { kind: string; frame: number }[];
}

/** "10.0.0.1:80", "[fd00::1]:80" */
export function endpointText(e: { addr: string; port: number }): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

/** Our connections in the expected files' form, keeping the anomalies `compared` selects. */
export function asExpected(connections: JsonConnection[], compared: (kind: string) => boolean): ExpectedConnection[] {
  return connections.map((c) => ({
    client: endpointText(c.client),
    server: endpointText(c.server),
    transitions: c.transitions.map((t) => [t.side, t.from, t.to, t.frame] as [string, string, string, number]),
    final: c.final,
    anomalies: c.anomalies.filter((a) => compared(a.kind)).map((a) => ({ kind: a.kind, frame: a.frame })),
  }));
}

/** The expected file's connections without extra fields (reasoning and the like). */
export function wantedConnections(expected: ExpectedReport): ExpectedConnection[] {
  return expected.connections.map((c) => ({
    client: c.client,
    server: c.server,
    transitions: c.transitions,
    final: c.final,
    anomalies: c.anomalies,
  }));
}
