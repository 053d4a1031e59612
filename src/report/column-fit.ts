/** What the fitting needs to know about one column, widths in terminal columns. */
export interface ColumnNeeds {
  /** Widest cell or header, unshortened. */
  natural: number;
  /** Narrowest before any column is dropped (shortening that costs nothing essential). */
  softMin: number;
  /** Narrowest at all (cells wrapped onto more lines). */
  hardMin: number;
  /** Columns with a lower number are dropped first; absent: never dropped. */
  dropOrder?: number;
}

export interface ColumnLayout {
  /** Per column: its width, or undefined when it was dropped. */
  widths: (number | undefined)[];
  /** Spaces between columns. */
  gap: number;
}

/**
 * Fits columns separated by `gap` spaces into `width`: first narrow the columns that
 * shorten cheaply, evenly; then drop columns in their drop order; then wrap cells, one
 * column at a time and only as far as needed, since a column narrowed at all wraps most of
 * its cells; last, one space between columns. If even that is too wide the caller must
 * clip the lines.
 */
export function fitColumns(columns: readonly ColumnNeeds[], width: number, widestGap: number): ColumnLayout {
  const widths: (number | undefined)[] = columns.map((c) => c.natural);
  let gap = widestGap;
  const total = (): number => {
    const shown = widths.filter((w): w is number => w !== undefined);
    return shown.reduce((sum, w) => sum + w, 0) + gap * Math.max(0, shown.length - 1);
  };

  narrowEvenly(columns, widths, (c) => c.softMin, () => total() - width);
  const droppable = columns
    .map((c, i) => ({ i, order: c.dropOrder }))
    .filter((d): d is { i: number; order: number } => d.order !== undefined)
    .sort((a, b) => a.order - b.order);
  for (const d of droppable) {
    if (total() <= width) break;
    widths[d.i] = undefined;
  }
  narrowOneByOne(columns, widths, (c) => c.hardMin, () => total() - width);
  if (total() > width) gap = 1;
  return { widths, gap };
}

/** Takes one character at a time off the column with the most room above its floor, until nothing is over. */
function narrowEvenly(columns: readonly ColumnNeeds[], widths: (number | undefined)[], floor: (c: ColumnNeeds) => number, over: () => number): void {
  while (over() > 0) {
    let best = -1;
    let bestRoom = 0;
    columns.forEach((c, i) => {
      const w = widths[i];
      if (w === undefined) return;
      const room = w - floor(c);
      if (room > bestRoom) {
        best = i;
        bestRoom = room;
      }
    });
    if (best < 0) return;
    widths[best] = (widths[best] ?? 0) - 1;
  }
}

/** Narrows the column with the most room as far as needed, then the next. */
function narrowOneByOne(columns: readonly ColumnNeeds[], widths: (number | undefined)[], floor: (c: ColumnNeeds) => number, over: () => number): void {
  const byRoom = columns
    .map((c, i) => ({ i, room: (widths[i] ?? 0) - floor(c) }))
    .filter((r) => widths[r.i] !== undefined && r.room > 0)
    .sort((a, b) => b.room - a.room);
  for (const r of byRoom) {
    const excess = over();
    if (excess <= 0) return;
    widths[r.i] = (widths[r.i] ?? 0) - Math.min(r.room, excess);
  }
}
