// The command as a function of its arguments and its surroundings (environment, standard
// streams), so that it runs the same in a process and in a test.
import { createReadStream, statSync, type ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Chalk } from 'chalk';
import { CommanderError } from 'commander';
import { analyseInput } from '../pipeline.js';
import { buildProgram, optionConflict, version, type CliOptions } from '../program.js';
import { decideColorLevel } from '../report/color.js';
import { FilteringReporter, type ConnectionFilter, type EventFilter } from '../report/filter.js';
import { progressWanted, ProgressLine } from '../report/progress.js';
import { parseFailOn, Verdict } from '../report/verdict.js';
import { JsonReporter, NdjsonReporter } from '../report/json.js';
import { prefersAscii } from '../report/glyphs.js';
import { LadderReporter } from '../report/ladder.js';
import type { Output, Reporter } from '../report/reporter.js';
import { SummaryReporter } from '../report/summary.js';
import { decideWidth } from '../report/terminal-width.js';
import { TextReporter } from '../report/text.js';
import { escapeControls } from '../report/terminal/escape.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT_OR_USAGE = 2;

/** Where the text goes: a stream's `write`, and what it is attached to. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What the command sees of the world. */
export interface CliEnvironment {
  /** The arguments after the program name. */
  args: string[];
  env: NodeJS.ProcessEnv;
  stdin: Readable & { isTTY?: boolean };
  /** Standard input redirected from a regular file is not live; a pipe or a terminal is. */
  stdinIsFile: boolean;
  stdout: TextSink;
  stderr: TextSink;
}

function openInput(name: string, stdin: Readable): { stream: Readable; label: string; file?: ReadStream } {
  if (name === '-') return { stream: stdin, label: '<stdin>' };
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

function chooseReporter(opts: CliOptions, world: CliEnvironment, out: Output, live: boolean): Reporter {
  const ver = version();
  const level = decideColorLevel(opts.color, world.env, world.stdout.isTTY === true);
  const chalk = new Chalk({ level: opts.format === 'text' ? level : 0 });
  const width = opts.width ?? decideWidth(world.env, world.stdout);
  if (opts.format === 'json') return new JsonReporter(out, ver);
  if (opts.format === 'ndjson') return new NdjsonReporter(out);
  if (opts.summary === true) return new SummaryReporter(out, { chalk, width });
  if (opts.ladder === true) {
    return new LadderReporter(out, { chalk, full: opts.full === true, width, ascii: prefersAscii(world.env) });
  }
  return new TextReporter(out, {
    chalk,
    live,
    quiet: opts.quiet === true,
    explain: opts.explain === true,
    width,
    mslSeconds: opts.msl,
  });
}

/** Runs the command; resolves to its exit status. */
export async function run(world: CliEnvironment): Promise<number> {
  const program = buildProgram(version()).configureOutput({
    writeOut: (text) => world.stdout.write(text),
    writeErr: (text) => world.stderr.write(text),
  });
  try {
    program.parse(world.args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code);
      return done ? EXIT_OK : EXIT_INPUT_OR_USAGE;
    }
    throw e;
  }
  const opts = program.opts<CliOptions>();
  let inputs = program.args;
  if (inputs.length === 0) {
    if (world.stdin.isTTY === true) {
      world.stderr.write('tcptrace-explain: no input: give a capture file, or pipe one in (see --help)\n');
      return EXIT_INPUT_OR_USAGE;
    }
    inputs = ['-'];
  }

  const conflict = optionConflict(opts);
  if (conflict !== undefined) {
    world.stderr.write(`tcptrace-explain: ${conflict}\n`);
    return EXIT_INPUT_OR_USAGE;
  }

  let progress: ProgressLine | undefined;
  const out: Output = (text) => {
    progress?.clear();
    world.stdout.write(text);
  };
  const live = inputs.some((n) => n === '-' && !world.stdinIsFile);
  const shown = chooseReporter(opts, world, out, live);
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
            beginInput: () => undefined,
            event: (e) => {
              if (e.type === 'anomaly') verdict.anomaly(e);
            },
            endInput: () => undefined,
            finish: () => undefined,
          },
          connections,
          {},
        );

  let status = EXIT_OK;
  const warn = (message: string): void => {
    progress?.clear();
    world.stderr.write(`tcptrace-explain: warning: ${escapeControls(message)}\n`);
  };
  for (const name of inputs) {
    const input = openInput(name, world.stdin);
    const file = input.file;
    const size = file === undefined ? undefined : fileSize(name);
    if (file !== undefined && progressWanted(world.stderr.isTTY === true, world.env, size)) {
      progress = new ProgressLine(
        (t) => world.stderr.write(t),
        input.label,
        size ?? 0,
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
      world.stderr.write(`tcptrace-explain: ${escapeControls(report.error.line())}\n`);
      status = EXIT_INPUT_OR_USAGE;
    }
  }
  reporter.finish();
  if (verdict?.failed === true) {
    world.stderr.write(`tcptrace-explain: ${verdict.describe()}\n`);
    if (status === EXIT_OK) status = EXIT_FINDINGS;
  }
  return status;
}
