export const DEFAULT_WIDTH = 80;

/**
 * Columns the output may use: COLUMNS when set to a positive number (as `ls` does; it also
 * lets a pipe or a test ask for a width), else the terminal's width, else 80.
 */
export function decideWidth(env: NodeJS.ProcessEnv, stdout: { isTTY?: boolean; columns?: number }): number {
  const fromEnv = Number(env.COLUMNS);
  if (env.COLUMNS !== undefined && Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (stdout.isTTY === true && stdout.columns !== undefined && stdout.columns > 0) return stdout.columns;
  return DEFAULT_WIDTH;
}
