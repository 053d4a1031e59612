/**
 * Our own colour decision (chalk and cli-table3 ignore NO_COLOR): an explicit flag wins,
 * then NO_COLOR (no-color.org: present and non-empty), then FORCE_COLOR, then TERM=dumb,
 * then whether the stream is a terminal. Returns a chalk level 0–3.
 */
export function decideColorLevel(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  if (flag === true) return levelFromEnv(env) || 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '1' || force === '' || force === 'true') return 1;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  return levelFromEnv(env) || 1;
}

function levelFromEnv(env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (env.TERM?.includes('256')) return 2;
  return 0;
}
