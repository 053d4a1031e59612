/** Numbers, sizes and durations in the units a reader expects. */

/** "1 packet", "6 packets". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/**
 * For prose: 48 µs, 801.6 ms, 3.269 s, 12.5 s, 2 min 5 s, 1 h 2 min (`formatDuration` in
 * units.ts is the table's narrower form).
 */
export function durationInWords(seconds: number): string {
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

/** A sequence number plus one, modulo 2^32. */
export function plusOne(n: number): number {
  return (n + 1) >>> 0;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
