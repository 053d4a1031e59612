import type { ChalkInstance } from 'chalk';
import type { Severity, TrackerEvent } from '../events.js';
import type { InputReport } from '../pipeline.js';
import { KEEP_TOGETHER, wrapWords } from './line-width.js';
import { renderTable, type TableEntry } from './light-table.js';
import type { Output, Reporter } from './reporter.js';
import {
  ASSUMED_MARK,
  connectionColumns,
  kindColumns,
  SEVERITIES_WORST_FIRST,
  severityPaint,
} from './summary-columns.js';
import { noAnomalies, SummaryTally, type ConnectionRow } from './summary-tally.js';
import { formatCount } from './units.js';
import { escapeControls } from './terminal/escape.js';

export interface SummaryOptions {
  chalk: ChalkInstance;
  /** Terminal columns no line may exceed. */
  width: number;
}

/**
 * `--summary`: a table of all connections, a table of anomaly counts by kind, a totals line.
 *
 * Several inputs make one table, not one per input: the columns line up across inputs so
 * they can be compared, and each input is named once on a line of its own above its
 * connections rather than in a column, which would repeat the name on every row and take
 * width the endpoints need. Rows wait for the end (the widths depend on all of them).
 */
export class SummaryReporter implements Reporter {
  private readonly out: Output;
  private readonly opts: SummaryOptions;
  private readonly tally = new SummaryTally();
  private readonly inputs: string[] = [];

  constructor(out: Output, opts: SummaryOptions) {
    this.out = out;
    this.opts = opts;
  }

  beginInput(name: string): void {
    this.inputs.push(escapeControls(name));
    this.tally.beginInput();
  }

  event(e: TrackerEvent): void {
    this.tally.event(e);
  }

  endInput(_report: InputReport): void {
    this.tally.endInput();
  }

  finish(): void {
    const rows = this.tally.rows;
    const blocks =
      rows.length === 0
        ? [wrapWords('No TCP connections.', this.opts.width)]
        : [this.connectionsTable(rows), this.kindsTable()];
    blocks.push(this.totals(rows));
    this.out(`${blocks.map((b) => b.join('\n')).join('\n\n')}\n`);
  }

  private connectionsTable(rows: readonly ConnectionRow[]): string[] {
    const { chalk, width } = this.opts;
    const lines = renderTable(connectionColumns(rows, chalk), this.entries(rows), { chalk, width });
    if (rows.some((r) => r.finalAssumed.client || r.finalAssumed.server)) {
      const note =
        `${ASSUMED_MARK} assumed, not seen: the capture starts ` +
        'inside the connection, or no packet showed the change.';
      for (const line of wrapWords(note, width, '  ')) lines.push(chalk.dim(line));
    }
    return lines;
  }

  private kindsTable(): string[] {
    const { chalk, width } = this.opts;
    const kinds = this.tally.kindRows();
    if (kinds.length === 0) return wrapWords('No anomalies.', width);
    return renderTable(
      kindColumns(chalk),
      kinds.map((row) => ({ row })),
      { chalk, width },
    );
  }

  /** Rows in input order; with several inputs, each input's name above its rows. */
  private entries(rows: readonly ConnectionRow[]): TableEntry<ConnectionRow>[] {
    if (this.inputs.length === 1) return rows.map((row) => ({ row }));
    const entries: TableEntry<ConnectionRow>[] = [];
    let next = 0;
    this.inputs.forEach((name, input) => {
      const sectionAt = entries.push({ section: name }) - 1;
      for (let row = rows[next]; row?.input === input; row = rows[++next]) entries.push({ row });
      if (entries.length === sectionAt + 1) entries[sectionAt] = { section: `${name}: no TCP connections` };
    });
    return entries;
  }

  private totals(rows: readonly ConnectionRow[]): string[] {
    const c = this.opts.chalk;
    const bySeverity = noAnomalies();
    let packets = 0;
    for (const r of rows) {
      packets += r.packets.client + r.packets.server;
      for (const s of SEVERITIES_WORST_FIRST) bySeverity[s] += r.anomalies[s];
    }
    const anomalies = bySeverity.error + bySeverity.warning + bySeverity.info;
    const inputs = this.inputs.length === 1 ? '' : ` in ${formatCount(this.inputs.length)} inputs`;
    const severities = SEVERITIES_WORST_FIRST.map((s) => {
      const text = plural(bySeverity[s], SEVERITY_NOUN[s]);
      return bySeverity[s] === 0 ? text : severityPaint(c, s)(text);
    }).join(', ');
    // Wraps between the parts, never inside "(0 errors, 2 warnings, 5 info)".
    const line =
      `Total: ${plural(rows.length, 'connection')}${inputs}, ${plural(packets, `TCP${KEEP_TOGETHER}packet`)}, ` +
      `${plural(anomalies, 'anomaly', 'anomalies')} (${severities.replaceAll(' ', KEEP_TOGETHER)})`;
    return wrapWords(line, this.opts.width, '  ');
  }
}

const SEVERITY_NOUN: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  info: ['info', 'info'],
};

function plural(n: number, one: string | [string, string], many?: string): string {
  const [singular, pluralForm] = Array.isArray(one) ? one : [one, many ?? `${one}s`];
  return `${formatCount(n)}${KEEP_TOGETHER}${n === 1 ? singular : pluralForm}`;
}
