const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A count with thousands separators ("12,345"), the same whatever the user's locale (so goldens
 * do not depend on the machine).
 */
export function formatCount(n: number): string {
  return GROUPED.format(n);
}

const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Bytes in SI units, at most three digits: "138 B", "9.9 kB", "17 kB", "304 kB", "1.2 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  let value = n;
  for (const unit of BYTE_UNITS) {
    value /= 1000;
    const text = value < 9.95 ? value.toFixed(1) : value.toFixed(0);
    // 999.6 kB prints as "1000 kB" unless it moves up to the next unit.
    if (Number(text) < 1000 || unit === BYTE_UNITS[BYTE_UNITS.length - 1]) return `${text} ${unit}`;
  }
  return `${n} B`;
}

/** A duration for a table cell, at most six columns: "0.90s", "12.3s", "4m05s", "2h03m", "3d04h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  // The bounds are where rounding would print "10.00s" or "60.0s".
  if (s < 9.995) return `${s.toFixed(2)}s`;
  if (s < 59.95) return `${s.toFixed(1)}s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${pad2(whole % 60)}s`;
  if (whole < 86_400) return `${Math.floor(whole / 3600)}h${pad2(Math.floor((whole % 3600) / 60))}m`;
  return `${Math.floor(whole / 86_400)}d${pad2(Math.floor((whole % 86_400) / 3600))}h`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Byte counts in SI units with one decimal, for prose (`formatBytes` is the table's narrower
 * form), as `ls -h --si` and most transfer tools print them: 512 B, 1.7 MB.
 */
export function humanBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  let value = n;
  let unit: string = BYTE_UNITS[0];
  for (const u of BYTE_UNITS) {
    value /= 1000;
    unit = u;
    if (value < 999.95) break;
  }
  return `${value.toFixed(1)} ${unit}`;
}
