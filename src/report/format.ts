import type { InputReport } from '../pipeline.js';
import { escapeControls } from './terminal/escape.js';

/** The closing line of an input: its format, packet counts and connections; undefined when nothing was read. */
export function describeInput(report: InputReport, connections: number): string | undefined {
  const s = report.stats;
  if (s === undefined) return undefined;
  const skipped =
    s.skipped === 0 ? '' : `, ${s.skipped} skipped (${[...s.skipReasons].map(([r, n]) => `${n} ${r}`).join(', ')})`;
  const conns = connectionCount(report.connections, connections);
  return (
    `${escapeControls(report.name)}: ${report.format ?? '?'}, ${s.packets} packets, ` +
    `${s.tcpSegments} TCP segments${skipped}; ${conns}`
  );
}

/** "3 TCP connections", or "3 TCP connections, 1 shown" when a filter hid some. */
export function connectionCount(found: number, shown: number): string {
  const all = `${found} TCP connection${found === 1 ? '' : 's'}`;
  return shown === found ? all : `${all}, ${shown} shown`;
}
