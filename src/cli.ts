import { createReadStream, fstatSync, statSync, type ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Chalk } from 'chalk';
import { CommanderError } from 'commander';
import { analyseInput } from './pipeline.js';
import { buildProgram, optionConflict, version, type CliOptions } from './program.js';
import { decideColorLevel } from './report/color.js';
import { FilteringReporter, type ConnectionFilter, type EventFilter } from './report/filter.js';
import { progressWanted, ProgressLine } from './report/progress.js';
import { parseFailOn, Verdict } from './report/verdict.js';
import { JsonReporter, NdjsonReporter } from './report/json.js';
import { prefersAscii } from './report/glyphs.js';
import { LadderReporter } from './report/ladder.js';
import type { Output, Reporter } from './report/reporter.js';
import { SummaryReporter } from './report/summary.js';
import { decideWidth } from './report/terminal-width.js';
import { TextReporter } from './report/text.js';

const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_INPUT_OR_USAGE = 2;

/** Writes to stdout; a closed pipe (`| head`) ends the process quietly with status 0. */
function stdoutOutput(): Output {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT_OK);
    throw err;
  });
  return (text) => {
    process.stdout.write(text);
  };
}

function openInput(name: string): { stream: Readable; label: string; file?: ReadStream } {
  if (name === '-') return { stream: process.stdin, label: '<stdin>' };
  const file = createReadStream(name, { highWaterMark: 1 << 20 });
  return { stream: file, label: name, file };
}

function fileSize(name: string): number | undefined {
  try {
    return statSync(name).size;
  } catch {
    return undefined;
  }
}

/** Standard input redirected from a regular file is not live; a pipe or a terminal is. */
function stdinIsFile(): boolean {
  try {
    return fstatSync(0).isFile();
  } catch {
    return false;
  }
}

export async function main(argv: string[]): Promise<number> {
  const ver = version();
  const program = buildProgram(ver);
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return EXIT_OK;
      return EXIT_INPUT_OR_USAGE;
    }
    throw e;
  }
  const opts = program.opts<CliOptions>();
  let inputs = program.args;
  if (inputs.length === 0) {
    if (process.stdin.isTTY) {
      process.stderr.write('tcptrace-explain: no input: give a capture file, or pipe one in (see --help)\n');
      return EXIT_INPUT_OR_USAGE;
    }
    inputs = ['-'];
  }

  const conflict = optionConflict(opts);
  if (conflict !== undefined) {
    process.stderr.write(`tcptrace-explain: ${conflict}\n`);
    return EXIT_INPUT_OR_USAGE;
  }

  let progress: ProgressLine | undefined;
  const stdout = stdoutOutput();
  const out: Output = (text) => {
    progress?.clear();
    stdout(text);
  };
  const level = decideColorLevel(opts.color, process.env, process.stdout.isTTY === true);
  const chalk = new Chalk({ level: opts.format === 'text' ? level : 0 });
  const anyLive = inputs.some((n) => n === '-' && !stdinIsFile());
  const width = opts.width ?? decideWidth(process.env, process.stdout);
  const shown: Reporter =
    opts.format === 'json'
      ? new JsonReporter(out, ver)
      : opts.format === 'ndjson'
        ? new NdjsonReporter(out)
        : opts.summary === true
          ? new SummaryReporter(out, { chalk, width })
          : opts.ladder === true
            ? new LadderReporter(out, { chalk, full: opts.full === true, width, ascii: prefersAscii(process.env) })
            : new TextReporter(out, {
                chalk,
                live: anyLive,
                quiet: opts.quiet === true,
                explain: opts.explain === true,
                width,
                mslSeconds: opts.msl,
              });
  const connections: ConnectionFilter = { ids: opts.conn, hosts: opts.host, ports: opts.port };
  const events: EventFilter = { only: opts.only, minSeverity: opts.minSeverity };
  const reporter = new FilteringReporter(shown, connections, events);
  const failOn = opts.failOn ?? (opts.maxFindings !== undefined ? parseFailOn('warning') : undefined);
  const verdict = failOn === undefined ? undefined : new Verdict(failOn, opts.maxFindings ?? 0);
  // --fail-on judges the selected connections, whatever --only and --min-severity hide.
  const judge =
    verdict === undefined
      ? undefined
      : new FilteringReporter(
          {
            beginInput: () => {},
            event: (e) => {
              if (e.type === 'anomaly') verdict.anomaly(e);
            },
            endInput: () => {},
            finish: () => {},
          },
          connections,
          {},
        );

  let status = EXIT_OK;
  const warn = (message: string): void => {
    progress?.clear();
    process.stderr.write(`tcptrace-explain: warning: ${message}\n`);
  };
  for (const name of inputs) {
    const input = openInput(name);
    const file = input.file;
    const size = file === undefined ? undefined : fileSize(name);
    if (file !== undefined && size !== undefined && progressWanted(process.stderr.isTTY === true, process.env, size)) {
      progress = new ProgressLine(
        (t) => process.stderr.write(t),
        input.label,
        size,
        () => file.bytesRead,
      );
      progress.start();
    }
    reporter.beginInput(input.label);
    judge?.beginInput(input.label);
    const segment = reporter.segment;
    const report = await analyseInput(
      input.label,
      input.stream,
      { mslSeconds: opts.msl, inputFormat: opts.inputFormat },
      {
        event: (e) => {
          reporter.event(e);
          judge?.event(e);
        },
        warning: warn,
        ...(segment === undefined ? {} : { segment }),
      },
    );
    progress?.stop();
    progress = undefined;
    reporter.endInput(report);
    if (report.error !== undefined) {
      process.stderr.write(`tcptrace-explain: ${report.error.line()}\n`);
      status = EXIT_INPUT_OR_USAGE;
    }
  }
  reporter.finish();
  if (verdict?.failed === true) {
    process.stderr.write(`tcptrace-explain: ${verdict.describe()}\n`);
    if (status === EXIT_OK) status = EXIT_FINDINGS;
  }
  return status;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const detail = e instanceof Error ? e.message : String(e);
    process.stderr.write(
      `tcptrace-explain: internal error: ${detail} (this is a bug; please report it with the input that caused it)\n`,
    );
    if (process.env.TCPTRACE_EXPLAIN_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    process.exitCode = EXIT_INPUT_OR_USAGE;
  },
);
