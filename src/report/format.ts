import type { InputReport } from '../pipeline.js';

/** The closing line of an input: its format, packet counts and connections; undefined when nothing was read. */
export function describeInput(report: InputReport, connections: number): string | undefined {
  const s = report.stats;
  if (s === undefined) return undefined;
  const skipped = s.skipped === 0 ? '' : `, ${s.skipped} skipped (${[...s.skipReasons].map(([r, n]) => `${n} ${r}`).join(', ')})`;
  const conns = `${connections} TCP connection${connections === 1 ? '' : 's'}`;
  return `${report.name}: ${report.format ?? '?'}, ${s.packets} packets, ${s.tcpSegments} TCP segments${skipped}; ${conns}`;
}
