// The command line, two ways: in this process through the same `run()` the binary calls
// (fast: for everything that is about what is printed), or as a real process of the built
// binary (for what only a process shows: exit status, signals, pipes, live input).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../../src/cli/run.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
/** The built binary (`npm test` builds it first). */
export const BIN = join(ROOT, 'bin', 'tcptrace-explain.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliCall {
  /** Standard input (a pipe, so `-` is live input); none: an empty pipe. */
  input?: Buffer | string;
  /** Added to `{ PATH, NO_COLOR: '1' }`; a value of '' clears a variable's effect as the tool reads it. */
  env?: Record<string, string>;
}

function environment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env };
}

/** Collects what is written, like a pipe: not a terminal. */
class Captured {
  text = '';
  readonly isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Runs the command in this process, with the repository root as working directory. */
export async function runCli(args: string[], call: CliCall = {}): Promise<CliResult> {
  const stdout = new Captured();
  const stderr = new Captured();
  const stdin = Readable.from(call.input === undefined ? [] : [Buffer.from(call.input)]);
  const status = await run({ args, env: environment(call.env), stdin, stdinIsFile: false, stdout, stderr });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the built binary as a process, from the repository root. */
export function spawnCli(args: string[], call: CliCall = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: environment(call.env),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    ...(call.input === undefined ? {} : { input: call.input }),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the built binary with a pipe on standard input, for tests that feed it over time. */
export function startBinary(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: environment(env) });
}
