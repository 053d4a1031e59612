const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators ("12,345"), the same whatever the user's locale. */
export function formatCount(n: number): string {
  return GROUPED.format(n);
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Bytes in binary units: "138 B", "17.0 KiB", "297 KiB", "1.2 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  let value = n;
  for (const unit of BYTE_UNITS) {
    value /= 1024;
    const text = value < 99.95 ? value.toFixed(1) : value.toFixed(0);
    // 1023.6 KiB prints as "1024 KiB" unless it moves up to the next unit.
    if (Number(text) < 1024 || unit === BYTE_UNITS[BYTE_UNITS.length - 1]) return `${text} ${unit}`;
  }
  return `${n} B`;
}

/** A duration for a table cell: "0.900s", "12.35s", "4m05s", "2h03m", "3d04h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 10) return `${s.toFixed(3)}s`;
  if (s < 60) return `${s.toFixed(2)}s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${pad2(whole % 60)}s`;
  if (whole < 86_400) return `${Math.floor(whole / 3600)}h${pad2(Math.floor((whole % 3600) / 60))}m`;
  return `${Math.floor(whole / 86_400)}d${pad2(Math.floor((whole % 86_400) / 3600))}h`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** 1204 → "1,204": the same in every locale, so golden outputs do not depend on the machine. */
export function groupThousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const SI_BYTE_UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** Byte counts in SI units with one decimal, as `ls -h --si` and most transfer tools print them: 512 B, 1.7 MB. */
export function humanBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  let value = n;
  let unit: string = SI_BYTE_UNITS[0];
  for (const u of SI_BYTE_UNITS) {
    value /= 1000;
    unit = u;
    if (value < 999.95) break;
  }
  return `${value.toFixed(1)} ${unit}`;
}
