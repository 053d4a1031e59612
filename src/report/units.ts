/** 1204 → "1,204": the same in every locale, so golden outputs do not depend on the machine. */
export function groupThousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** Byte counts in SI units with one decimal, as `ls -h --si` and most transfer tools print them: 512 B, 1.7 MB. */
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
