/** Numbers, sizes and durations in the units a reader expects. */

/** "1 packet", "6 packets". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 42 B, 1.4 KiB, 200 KiB, 3.1 MiB: binary units, one decimal below 100 and none above. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  let value = n;
  let unit: string = 'B';
  for (const u of BYTE_UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  const shown = value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1);
  return `${shown.replace(/\.0$/, '')} ${unit}`;
}

/** 48 µs, 801.6 ms, 3.269 s, 12.5 s, 2 min 5 s, 1 h 2 min. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s === 0) return '0 s';
  if (s < 0.001) return `${Math.round(s * 1e6)} µs`;
  if (s < 1) return `${trimZeros((s * 1000).toFixed(1))} ms`;
  if (s < 10) return `${trimZeros(s.toFixed(3))} s`;
  if (s < 60) return `${trimZeros(s.toFixed(2))} s`;
  const total = Math.round(s);
  if (total < 3600) {
    const min = Math.floor(total / 60);
    const rest = total % 60;
    return rest === 0 ? `${min} min` : `${min} min ${rest} s`;
  }
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  return min === 0 ? `${h} h` : `${h} h ${min} min`;
}

/** Seconds since the connection's first packet, to the microsecond: "+0.000048". */
export function formatRelativeTime(seconds: number): string {
  return `+${Math.max(0, seconds).toFixed(6)}`;
}

/** "10.0.0.1:80", "[fd00::1]:80" (RFC 5952 §6). */
export function formatEndpoint(e: { addr: string; port: number }): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

/** A sequence number plus one, modulo 2^32. */
export function plusOne(n: number): number {
  return (n + 1) >>> 0;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
