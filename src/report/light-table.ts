import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { fitColumns, type ColumnNeeds } from './column-fit.js';
import { clipLine, clipStart, displayWidth } from './line-width.js';

/** How a column's cells can be made narrower than their text. */
export interface CellShrink {
  /** Narrowest form on one line (shortening that loses nothing essential). */
  oneLineMin(text: string): number;
  /** Narrowest form at all, wrapped onto more lines. */
  wrappedMin(text: string): number;
  /** The text within `width` columns, lines joined with "\n". */
  fit(text: string, width: number): string;
}

export interface TableColumn<Row> {
  header: string;
  align: 'left' | 'right';
  /** The cell's plain text; colour comes from `paint`, after fitting. */
  text(row: Row): string;
  paint?(line: string, row: Row): string;
  /** Lower is dropped first when the table is too wide; absent: never dropped. */
  dropOrder?: number;
  shrink?: CellShrink;
  /**
   * Shorter forms of the header, widest first ("pkts" for "packets"), for when the column
   * narrows below it. Shortening a header costs nothing essential, so it comes before any
   * column is dropped.
   */
  narrowHeaders?: readonly string[];
}

/** A table row, or a line naming what the rows below it belong to. */
export type TableEntry<Row> = { row: Row } | { section: string };

export interface TableStyle {
  width: number;
  chalk: ChalkInstance;
}

/** Spaces between columns, unless the width leaves room for only one. */
const GAP = 2;

/**
 * No frame and no vertical rules, only a rule under the header and spaces between
 * columns: a boxed table spends three columns per column on borders and padding, which
 * an 80-column terminal cannot spare.
 */
function lightChars(gap: number): Record<Table.CharName, string> {
  return {
    top: '',
    'top-mid': '',
    'top-left': '',
    'top-right': '',
    bottom: '',
    'bottom-mid': '',
    'bottom-left': '',
    'bottom-right': '',
    left: '',
    'left-mid': '',
    mid: '',
    'mid-mid': '',
    right: '',
    'right-mid': '',
    middle: ' '.repeat(gap),
  };
}

/**
 * Renders rows under `columns` in at most `style.width` columns: cli-table3 lays the cells
 * out, with widths we computed so that nothing exceeds the width (columns dropped when
 * cheap shortening is not enough, then shortened, then wrapped; lines clipped only when
 * even that is too wide). Colours come only
 * from `style.chalk`: cli-table3's own head and border colours are switched off.
 */
export function renderTable<Row>(
  columns: readonly TableColumn<Row>[],
  entries: readonly TableEntry<Row>[],
  style: TableStyle,
): string[] {
  const rows = entries.flatMap((e) => ('row' in e ? [e.row] : []));
  const texts = rows.map((row) => columns.map((c) => c.text(row)));
  const needs = columns.map((c, i): ColumnNeeds =>
    columnNeeds(
      c,
      texts.map((t) => t[i] ?? ''),
    ),
  );
  const layout = fitColumns(needs, style.width, GAP);
  const shown = columns.flatMap((c, i) => {
    const width = layout.widths[i];
    return width === undefined ? [] : [{ column: c, index: i, width }];
  });

  const fitted = texts.map((t) =>
    shown.map((s) => {
      const text = t[s.index] ?? '';
      return s.column.shrink === undefined ? text : s.column.shrink.fit(text, s.width);
    }),
  );
  const headers = shown.map((s) => headerWithin(s.column, s.width));
  // Wrapped cells may need less than the width they were fitted to.
  const widths = shown.map((_column, k) =>
    fitted.reduce((w, f) => Math.max(w, maxLineWidth(f[k] ?? '')), maxLineWidth(headers[k] ?? '')),
  );

  const table = new Table({
    chars: lightChars(layout.gap),
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths: widths,
    colAligns: shown.map((s) => s.column.align),
    wordWrap: false,
  });
  const c = style.chalk;
  table.push(headers.map((h) => paintLines(h, (line) => c.bold(line))));
  table.push(widths.map((w) => c.dim('─'.repeat(w))));
  let rowIndex = 0;
  for (const entry of entries) {
    if ('section' in entry) {
      // cli-table3 counts one column per border inside a spanning cell (ours may be wider).
      const span = widths.reduce((sum, w) => sum + w, 0) + widths.length - 1;
      table.push([{ content: c.bold(clipStart(entry.section, span)), colSpan: widths.length, hAlign: 'left' }]);
      continue;
    }
    const row = entry.row;
    const cells = fitted[rowIndex++] ?? [];
    table.push(
      shown.map((s, k) =>
        paintLines(cells[k] ?? '', (line) => (s.column.paint === undefined ? line : s.column.paint(line, row))),
      ),
    );
  }
  return table
    .toString()
    .split('\n')
    .map((line) => clipLine(line.trimEnd(), style.width));
}

/** One way of measuring a cell: as it is, or in its narrowest form on one line, or wrapped. */
type Measure = (shrink: CellShrink, text: string) => number;
const asIs: Measure = (_shrink, text) => maxLineWidth(text);
const oneLine: Measure = (shrink, text) => shrink.oneLineMin(text);
const wrapped: Measure = (shrink, text) => shrink.wrappedMin(text);

function columnNeeds<Row>(column: TableColumn<Row>, texts: readonly string[]): ColumnNeeds {
  const widest = (measure: Measure, header: number): number =>
    texts.reduce(
      (w, t) => Math.max(w, column.shrink === undefined ? maxLineWidth(t) : measure(column.shrink, t)),
      header,
    );
  const headerWidth = maxLineWidth(column.header);
  const narrowestHeader = (column.narrowHeaders ?? []).reduce((w, h) => Math.min(w, maxLineWidth(h)), headerWidth);
  return {
    natural: widest(asIs, headerWidth),
    abbreviated: widest(asIs, narrowestHeader),
    softMin: widest(oneLine, narrowestHeader),
    hardMin: widest(wrapped, narrowestHeader),
    ...(column.dropOrder === undefined ? {} : { dropOrder: column.dropOrder }),
  };
}

/** The widest form of the header that fits the column. */
function headerWithin<Row>(column: TableColumn<Row>, width: number): string {
  const forms = [column.header, ...(column.narrowHeaders ?? [])];
  return forms.find((h) => maxLineWidth(h) <= width) ?? forms[forms.length - 1] ?? column.header;
}

function maxLineWidth(text: string): number {
  return text.split('\n').reduce((w, line) => Math.max(w, displayWidth(line)), 0);
}

function paintLines(text: string, paint: (line: string) => string): string {
  return text.split('\n').map(paint).join('\n');
}

/**
 * Cells that wrap at a separator (" / ", "-", " "), the separator kept at the end of the
 * line it ends; each line of a multi-line text wraps on its own.
 */
export function wrapAt(separator: string): CellShrink {
  const joiner = separator.startsWith(' ') ? ' ' : '';
  const pieces = (line: string): string[] => {
    const parts = line.split(separator);
    return parts.map((p, i) => (i < parts.length - 1 ? `${p}${separator}`.trimEnd() : p));
  };
  const wrapLine = (line: string, width: number): string[] => {
    const lines: string[] = [];
    let current = '';
    for (const piece of pieces(line)) {
      const joined = current === '' ? piece : `${current}${joiner}${piece}`;
      if (current !== '' && displayWidth(joined) > width) {
        lines.push(current);
        current = piece;
      } else {
        current = joined;
      }
    }
    lines.push(current);
    return lines;
  };
  return {
    oneLineMin: (text) => maxLineWidth(text),
    wrappedMin: (text) =>
      text
        .split('\n')
        .flatMap(pieces)
        .reduce((w, p) => Math.max(w, displayWidth(p)), 0),
    fit: (text, width) =>
      text
        .split('\n')
        .flatMap((line) => wrapLine(line, width))
        .join('\n'),
  };
}
