// The process around the command: its streams, its exit status, and the two ways it can
// end early (a reader that has gone, an internal error).
import { fstatSync } from 'node:fs';
import { EXIT_INPUT_OR_USAGE, EXIT_OK, run } from './cli/run.js';

/** Standard input redirected from a regular file is not live; a pipe or a terminal is. */
function stdinIsFile(): boolean {
  try {
    return fstatSync(0).isFile();
  } catch {
    return false;
  }
}

// Before anything is written (help and version included): a closed pipe (`| head`) ends the
// process quietly with status 0; any other write error is one line and status 2.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT_OK);
  process.stderr.write(`tcptrace-explain: cannot write the output: ${err.message}\n`);
  process.exit(EXIT_INPUT_OR_USAGE);
});

run({
  args: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdinIsFile: stdinIsFile(),
  stdout: process.stdout,
  stderr: process.stderr,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const detail = e instanceof Error ? e.message : String(e);
    process.stderr.write(
      `tcptrace-explain: internal error: ${detail} (this is a bug; please report it with the input that caused it)\n`,
    );
    if (process.env.TCPTRACE_EXPLAIN_DEBUG) process.stderr.write(`${e instanceof Error ? (e.stack ?? '') : ''}\n`);
    process.exitCode = EXIT_INPUT_OR_USAGE;
  },
);
