/** What the fitting needs to know about one column, widths in terminal columns. */
export interface ColumnNeeds {
  /** Widest cell or header, unshortened. */
  natural: number;
  /** Widest cell or shortest form of the header ("pkts" for "packets"); absent: `natural`. */
  abbreviated?: number;
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
 * Fits columns separated by `gap` spaces into `width`. Columns are dropped, in their drop
 * order, only when shortening everything that shortens cheaply would not be enough; then
 * what is kept shortens as little as it must: short headers first, whole columns at a time,
 * then the cheaply shortened cells, evenly. Then cells wrap, one column at a time and only
 * as far as needed, since a column narrowed at all wraps most of its cells; last, one space
 * between columns. If even that is too wide the caller must clip the lines.
 */
export function fitColumns(columns: readonly ColumnNeeds[], width: number, widestGap: number): ColumnLayout {
  const widths: (number | undefined)[] = columns.map((c) => c.natural);
  let gap = widestGap;
  const total = (of: (c: ColumnNeeds, i: number) => number): number => {
    const shown = columns.flatMap((c, i) => (widths[i] === undefined ? [] : [of(c, i)]));
    return shown.reduce((sum, w) => sum + w, 0) + gap * Math.max(0, shown.length - 1);
  };
  const current = (): number => total((_c, i) => widths[i] ?? 0);

  const droppable = columns
    .map((c, i) => ({ i, order: c.dropOrder }))
    .filter((d): d is { i: number; order: number } => d.order !== undefined)
    .sort((a, b) => a.order - b.order);
  for (const d of droppable) {
    if (total((c) => c.softMin) <= width) break;
    widths[d.i] = undefined;
  }
  abbreviateHeaders(columns, widths, () => current() - width);
  narrowEvenly(
    columns,
    widths,
    (c) => c.softMin,
    () => current() - width,
  );
  narrowOneByOne(
    columns,
    widths,
    (c) => c.hardMin,
    () => current() - width,
  );
  if (current() > width) gap = 1;
  return { widths, gap };
}

/**
 * Short headers, each all or nothing: while one alone would be enough, the one that saves
 * least of those; otherwise the one that saves most. So "packets" stays whole when
 * shortening "duration" to "time" is enough. On a tie, the later column: the words on the
 * left, where the reading starts, stay whole longest.
 */
function abbreviateHeaders(columns: readonly ColumnNeeds[], widths: (number | undefined)[], over: () => number): void {
  let candidates = columns
    .map((c, i) => ({ i, to: Math.max(c.abbreviated ?? c.natural, c.softMin) }))
    .filter((s) => s.to < (widths[s.i] ?? 0));
  const saving = (s: { i: number; to: number }): number => (widths[s.i] ?? 0) - s.to;
  while (over() > 0 && candidates.length > 0) {
    const excess = over();
    const enough = candidates.filter((s) => saving(s) >= excess);
    const pool = enough.length > 0 ? enough : candidates;
    const target = enough.length > 0 ? Math.min(...pool.map(saving)) : Math.max(...pool.map(saving));
    const chosen = pool.filter((s) => saving(s) === target).pop();
    if (chosen === undefined) return;
    widths[chosen.i] = chosen.to;
    candidates = candidates.filter((s) => s !== chosen);
  }
}

/** Takes one character at a time off the column with the most room above its floor, until nothing is over. */
function narrowEvenly(
  columns: readonly ColumnNeeds[],
  widths: (number | undefined)[],
  floor: (c: ColumnNeeds) => number,
  over: () => number,
): void {
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
function narrowOneByOne(
  columns: readonly ColumnNeeds[],
  widths: (number | undefined)[],
  floor: (c: ColumnNeeds) => number,
  over: () => number,
): void {
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
