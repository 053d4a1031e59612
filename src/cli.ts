import { createReadStream, fstatSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Chalk } from 'chalk';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { SegmentEvent } from './events.js';
import { analyseInput, type InputFormatChoice } from './pipeline.js';
import { decideColorLevel } from './report/color.js';
import { JsonReporter, NdjsonReporter } from './report/json.js';
import { prefersAscii } from './report/glyphs.js';
import { LadderReporter } from './report/ladder.js';
import type { Output, Reporter } from './report/reporter.js';
import { TextReporter } from './report/text.js';

const EXIT_OK = 0;
const EXIT_INPUT_OR_USAGE = 2;

interface CliOptions {
  format: 'text' | 'json' | 'ndjson';
  msl: number;
  inputFormat: InputFormatChoice;
  color?: boolean;
  quiet?: boolean;
  ladder?: boolean;
  full?: boolean;
}

/** Columns of a terminal when stdout is not one. */
const DEFAULT_WIDTH = 80;

const EXAMPLES = `
Examples:
  $ tcptrace-explain capture.pcap                 explain every TCP connection in a capture
  $ tcptrace-explain --format json capture.pcapng > report.json
  $ sudo tcpdump -U -w - -i eth0 'tcp port 443' | tcptrace-explain -
                                                  live: each transition printed as it happens
  $ sudo tcpdump -l -n -i eth0 'tcp port 443' | tcptrace-explain -
                                                  the same from tcpdump's printed lines
  $ tcptrace-explain saved-tcpdump-output.txt     what \`tcpdump -n -r x.pcap\` printed
  $ tcptrace-explain --format ndjson capture.pcap | jq 'select(.type=="transition")'
  $ tcptrace-explain --ladder capture.pcap        sequence diagram of each connection:
                                                  handshake, data (folded), close

Exit status: 0 analysis done, 2 usage error or unreadable / damaged input.`;

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '0.0.0';
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds ≥ 0');
  return n;
}

function buildProgram(ver: string): Command {
  return new Command()
    .name('tcptrace-explain')
    .description('Explain a TCP capture: each side\'s RFC 9293 state transitions and the anomalies, in plain words.\nInputs: pcap or pcapng files, tcpdump\'s printed text, or - for standard input (the default when it is not a terminal).')
    .argument('[inputs...]', 'capture files or tcpdump text, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'ndjson']).default('text'))
    .addOption(new Option('--input-format <format>', 'input format').choices(['auto', 'pcap', 'pcapng', 'text']).default('auto'))
    .option('--msl <seconds>', 'maximum segment lifetime; TIME_WAIT lasts 2×MSL', parseSeconds, 30)
    .option('-q, --quiet', 'only anomalies and final states')
    .option('--ladder', 'draw each connection as a sequence diagram (text format only)')
    .option('--full', 'with --ladder: draw every segment instead of folding long runs')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour (also: NO_COLOR=1)')
    .version(ver, '-V, --version')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
}

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

function terminalWidth(): number {
  return process.stdout.isTTY === true && process.stdout.columns > 0 ? process.stdout.columns : DEFAULT_WIDTH;
}

/** Options that make no sense together, as the one line to print; undefined when all is well. */
function optionConflict(opts: CliOptions): string | undefined {
  if (opts.ladder === true && opts.format !== 'text') return `--ladder draws text; it cannot be combined with --format ${opts.format}`;
  if (opts.full === true && opts.ladder !== true) return '--full only applies to --ladder';
  if (opts.ladder === true && opts.quiet === true) return '--quiet does not apply to --ladder';
  return undefined;
}

function openInput(name: string): { stream: Readable; label: string } {
  if (name === '-') return { stream: process.stdin, label: '<stdin>' };
  return { stream: createReadStream(name, { highWaterMark: 1 << 20 }), label: name };
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
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
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

  const out = stdoutOutput();
  const level = decideColorLevel(opts.color, process.env, process.stdout.isTTY === true);
  const chalk = new Chalk({ level: opts.format === 'text' ? level : 0 });
  const anyLive = inputs.some((n) => n === '-' && !stdinIsFile());
  const reporter: Reporter =
    opts.format === 'json' ? new JsonReporter(out, ver)
      : opts.format === 'ndjson' ? new NdjsonReporter(out)
        : opts.ladder === true ? new LadderReporter(out, { chalk, full: opts.full === true, width: terminalWidth(), ascii: prefersAscii(process.env) })
          : new TextReporter(out, { chalk, live: anyLive, quiet: opts.quiet === true });
  // Only reporters that draw segments get them: the call costs something on every packet.
  const segment = reporter.segment === undefined ? undefined : (e: SegmentEvent) => reporter.segment!(e);

  let status = EXIT_OK;
  const warn = (message: string): void => {
    process.stderr.write(`tcptrace-explain: warning: ${message}\n`);
  };
  for (const name of inputs) {
    const input = openInput(name);
    reporter.beginInput(input.label);
    const report = await analyseInput(input.label, input.stream, { mslSeconds: opts.msl, inputFormat: opts.inputFormat }, {
      event: (e) => reporter.event(e),
      warning: warn,
      segment,
    });
    reporter.endInput(report);
    if (report.error !== undefined) {
      process.stderr.write(`tcptrace-explain: ${report.error.line()}\n`);
      status = EXIT_INPUT_OR_USAGE;
    }
  }
  reporter.finish();
  return status;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const detail = e instanceof Error ? e.message : String(e);
    process.stderr.write(`tcptrace-explain: internal error: ${detail} (this is a bug; please report it with the input that caused it)\n`);
    if (process.env.TCPTRACE_EXPLAIN_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    process.exitCode = EXIT_INPUT_OR_USAGE;
  },
);
