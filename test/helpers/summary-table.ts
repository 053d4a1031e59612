import { toCodePoints } from './terminal.js';

/** A `--summary` table read back: the column spans come from the rule under the header. */
export interface ParsedTable {
  headers: string[];
  /** Data rows by header, each under the section (input name) above it, or '' without sections. */
  rows: { section: string; cells: Record<string, string> }[];
}

/**
 * Reads the table that starts at `lines[start]` (its header) and ends at the first blank
 * line. Cells wrapped onto continuation lines are joined with a space.
 */
export function parseTable(lines: readonly string[], start = 0): ParsedTable {
  const ruleAt = lines.findIndex((l, i) => i >= start && l.startsWith('─'));
  if (ruleAt < 0) throw new Error('no rule line under a header');
  const rule = toCodePoints(lines[ruleAt] ?? '');
  const spans: [number, number][] = [];
  for (let i = 0; i < rule.length; i++) {
    if (rule[i] === '─' && (i === 0 || rule[i - 1] !== '─')) spans.push([i, i]);
    if (rule[i] === '─') spans[spans.length - 1]![1] = i + 1;
  }
  const cut = (line: string, [from, to]: [number, number]): string =>
    toCodePoints(line).slice(from, to).join('').trim();
  const headers = spans.map((span) =>
    lines
      .slice(start, ruleAt)
      .map((l) => cut(l, span))
      .filter((t) => t !== '')
      .join(' '),
  );

  const inGap = (i: number): boolean => spans.every(([from, to]) => i < from || i >= to);
  const rows: ParsedTable['rows'] = [];
  let section = '';
  for (let i = ruleAt + 1; i < lines.length && lines[i] !== ''; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('*')) break; // the footnote
    const chars = toCodePoints(line);
    if (chars.some((ch, k) => ch !== ' ' && inGap(k))) {
      section = line.trim();
      continue;
    }
    const cells = spans.map((span) => cut(line, span));
    // Cells are top-aligned: a row's first line always has its last (count) column.
    if (cells[cells.length - 1] === '') {
      const row = rows[rows.length - 1];
      if (row === undefined) throw new Error(`continuation line before any row: ${line}`);
      cells.forEach((more, k) => {
        const header = headers[k]!;
        if (more !== '') row.cells[header] = `${row.cells[header] ?? ''} ${more}`.trim();
      });
      continue;
    }
    rows.push({ section, cells: Object.fromEntries(cells.map((text, k) => [headers[k]!, text])) });
  }
  return { headers, rows };
}
