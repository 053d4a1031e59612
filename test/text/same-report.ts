// Compares the report made from a tcpdump text with the report made from its capture:
// the same connections, transitions, final states and anomalies, frame for frame, and the
// same times to the precision the text carries. Transition reasons and anomaly messages
// quote sequence numbers, which a text can only give up to a consistent shift, so they
// are left out.
import { expect } from 'vitest';
import type { JsonConnection } from '../../src/report/json.js';
import type { Analysis } from '../helpers/analyse.js';

/**
 * How a text's times relate to the capture's: epoch seconds (-tt, -tttt), seconds that
 * only differences mean anything for (time of day, -ttt, -ttttt), or none at all (-t).
 */
export type TimeForm = 'epoch' | 'relative' | 'none';

/** What a text printed with some tcpdump options can be compared on. */
export interface TextForm {
  time: TimeForm;
  /** tcpdump verifies TCP checksums only with -v: without it the text has no verdict. */
  checksums: boolean;
  /** tcpdump prints the IPv4 ID only with -v: without it a duplicated pure ACK cannot be told from a duplicate ACK. */
  ipIds: boolean;
}

/** The form of text printed with these tcpdump options. */
export function textFormOf(options: string): TextForm {
  const flags = options.split(/\s+/);
  const time: TimeForm = flags.includes('-t')
    ? 'none'
    : flags.includes('-tt') || flags.includes('-tttt')
      ? 'epoch'
      : 'relative';
  const verbose = flags.some((f) => /^-v+$/.test(f));
  return { time, checksums: verbose, ipIds: verbose };
}

/** Anomalies found from a checksum verdict (left out when the text has none). */
const CHECKSUM_ANOMALIES = new Set(['bad-checksum']);
/** Anomalies found by comparing payload bytes, which text input never carries. */
const PAYLOAD_ANOMALIES = new Set(['overlap-different-data']);

function comparable(kind: string, form: TextForm): boolean {
  return !PAYLOAD_ANOMALIES.has(kind) && (form.checksums || !CHECKSUM_ANOMALIES.has(kind));
}

/** Half a microsecond: a JSON time is a double of epoch seconds, good to about 0.24 µs. */
const TIME_TOLERANCE = 5e-7;

function endpoint(e: { addr: string; port: number }): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

/**
 * Frames the capture's report calls capture duplicates. Without IP IDs in the text, only the
 * header rule can find them, so what the text says on those frames is not compared.
 */
function duplicateFrames(capture: Analysis, form: TextForm): Set<number> {
  if (form.ipIds) return new Set();
  return new Set(
    capture.connections.flatMap((c) => c.anomalies.filter((a) => a.kind === 'capture-duplicate').map((a) => a.frame)),
  );
}

function shape(c: JsonConnection, form: TextForm, duplicates: Set<number>): unknown {
  return {
    client: endpoint(c.client),
    server: endpoint(c.server),
    rolesGuessed: c.rolesGuessed,
    packets: c.packets,
    bytes: c.bytes,
    transitions: c.transitions.map((t) => [t.side, t.from, t.to, t.frame, t.inferred === true]),
    final: c.final,
    finalAssumed: c.finalAssumed,
    anomalies: c.anomalies
      .filter((a) => comparable(a.kind, form) && !duplicates.has(a.frame))
      .map((a) => [a.kind, a.side, a.frame]),
  };
}

function times(connections: JsonConnection[], form: TextForm, duplicates: Set<number>): number[] {
  const all = connections.flatMap((c) => [
    c.start,
    c.end,
    ...c.transitions.map((t) => t.time),
    ...c.anomalies.filter((a) => comparable(a.kind, form) && !duplicates.has(a.frame)).map((a) => a.time),
  ]);
  if (form.time === 'epoch') return all;
  const origin = Math.min(...connections.map((c) => c.start));
  return all.map((t) => t - origin);
}

/** The structural part of a report, for toEqual (and for listing differences). */
function reportShape(a: Analysis, form: TextForm, duplicates: Set<number>): unknown {
  return {
    error: a.report.error?.line(),
    tcpSegments: a.report.stats?.tcpSegments,
    connections: a.connections.map((c) => shape(c, form, duplicates)),
  };
}

/** Asserts that `text` reports what `capture` does, as far as the text's form can tell. */
export function expectSameReport(text: Analysis, capture: Analysis, form: TextForm): void {
  const duplicates = duplicateFrames(capture, form);
  expect(reportShape(text, form, duplicates)).toEqual(reportShape(capture, form, duplicates));
  if (form.time === 'none' || capture.connections.length === 0) return;
  const want = times(capture.connections, form, duplicates);
  const got = times(text.connections, form, duplicates);
  expect(got.length).toBe(want.length);
  const off = got.flatMap((t, i) => (Math.abs(t - want[i]!) > TIME_TOLERANCE ? [`#${i}: ${t} ≠ ${want[i]}`] : []));
  expect(off).toEqual([]);
}

/** Whether the two reports agree (for counting the corpus match rate). */
export function sameReport(text: Analysis, capture: Analysis, form: TextForm): boolean {
  try {
    expectSameReport(text, capture, form);
    return true;
  } catch {
    return false;
  }
}
