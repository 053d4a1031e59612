import type { ChalkInstance } from 'chalk';
import { SEVERITIES, type Severity, type Side, type SideCounters } from '../events.js';
import { endpointOneLineMin, endpointTwoLineMin, fitEndpoint, formatEndpoint } from './endpoint-text.js';
import { wrapAt, type CellShrink, type TableColumn } from './light-table.js';
import type { ConnectionRow, KindRow } from './summary-tally.js';
import { formatBytes, formatCount, formatDuration } from './units.js';

/** Marks a final state that rests on an assumption; explained under the table. */
export const ASSUMED_MARK = '*';

const endpointShrink: CellShrink = { oneLineMin: endpointOneLineMin, wrappedMin: endpointTwoLineMin, fit: fitEndpoint };

export function severityPaint(chalk: ChalkInstance, severity: Severity): (text: string) => string {
  return severity === 'error' ? chalk.red : severity === 'warning' ? chalk.yellow : chalk.blue;
}

/** The most severe first, as the tables read. */
export const SEVERITIES_WORST_FIRST: readonly Severity[] = [...SEVERITIES].reverse();

/**
 * Errors, warnings and info in one column, "0/7/42": three columns with their headers
 * would take the width that packets and duration need in 80 columns.
 */
function anomaliesColumn(chalk: ChalkInstance): TableColumn<ConnectionRow> {
  return {
    header: 'anomalies e/w/i',
    narrowHeaders: ['e/w/i'],
    align: 'right',
    text: (r) => SEVERITIES_WORST_FIRST.map((s) => formatCount(r.anomalies[s])).join('/'),
    paint: (line, r) =>
      line
        .split('/')
        .map((part, k) => {
          const severity = SEVERITIES_WORST_FIRST[k];
          if (severity === undefined || r.anomalies[severity] === 0) return chalk.dim(part);
          return severityPaint(chalk, severity)(part);
        })
        .join(chalk.dim('/')),
  };
}

/** "6 / 5" with the slashes of all rows under each other. */
function splitColumn(
  header: string,
  rows: readonly ConnectionRow[],
  field: (r: ConnectionRow) => SideCounters,
  format: (n: number) => string,
  dropOrder: number,
): TableColumn<ConnectionRow> {
  const widest = (side: Side): number => rows.reduce((w, r) => Math.max(w, format(field(r)[side]).length), 0);
  const client = widest('client');
  const server = widest('server');
  return {
    header: `${header}\nc→s / s→c`,
    align: 'right',
    text: (r) => `${format(field(r).client).padStart(client)} / ${format(field(r).server).padEnd(server)}`,
    dropOrder,
  };
}

function finalText(r: ConnectionRow): string {
  const side = (s: Side): string => `${r.final[s]}${r.finalAssumed[s] ? ASSUMED_MARK : ''}`;
  return `${side('client')}/${side('server')}`;
}

/**
 * The connections table, most important columns never dropped. When the width is short,
 * headers shorten and long IPv6 addresses are cut first; then the split counts, total
 * bytes, packets and duration go, in that order; only then do the final states and the
 * endpoints wrap onto two lines, because wrapping doubles the height of every row of what
 * may be a long table.
 */
export function connectionColumns(rows: readonly ConnectionRow[], chalk: ChalkInstance): TableColumn<ConnectionRow>[] {
  return [
    { header: 'id', align: 'right', text: (r) => String(r.id) },
    { header: 'client', align: 'left', text: (r) => formatEndpoint(r.client), shrink: endpointShrink },
    { header: 'server', align: 'left', text: (r) => formatEndpoint(r.server), shrink: endpointShrink },
    {
      header: 'packets',
      narrowHeaders: ['pkts'],
      align: 'right',
      text: (r) => formatCount(r.packets.client + r.packets.server),
      dropOrder: 4,
    },
    splitColumn('packets', rows, (r) => r.packets, formatCount, 2),
    { header: 'bytes', align: 'right', text: (r) => formatBytes(r.bytes.client + r.bytes.server), dropOrder: 3 },
    splitColumn('bytes', rows, (r) => r.bytes, formatBytes, 1),
    {
      header: 'duration',
      narrowHeaders: ['time'],
      align: 'right',
      text: (r) => formatDuration(r.duration),
      dropOrder: 5,
    },
    {
      header: 'final client/server',
      narrowHeaders: ['final c/s'],
      align: 'left',
      text: finalText,
      shrink: wrapAt('/'),
    },
    anomaliesColumn(chalk),
  ];
}

export function kindColumns(chalk: ChalkInstance): TableColumn<KindRow>[] {
  return [
    { header: 'anomaly kind', align: 'left', text: (k) => k.kind, shrink: wrapAt('-') },
    {
      header: 'severity',
      align: 'left',
      text: (k) => k.severity,
      paint: (line, k) => severityPaint(chalk, k.severity)(line),
    },
    { header: 'count', align: 'right', text: (k) => formatCount(k.count) },
    { header: 'connections', align: 'right', text: (k) => formatCount(k.connections) },
  ];
}
