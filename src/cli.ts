import { createReadStream, fstatSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Chalk } from 'chalk';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { SegmentEvent } from './events.js';
import { analyseInput, type InputFormatChoice } from './pipeline.js';
import { decideColorLevel } from './report/color.js';
import { JsonReporter, NdjsonReporter } from './report/json.js';
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
  explain?: boolean;
  width?: number;
}

/** Wrapping width when standard output is not a terminal (or does not say its width). */
const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 40;

const EXAMPLES = `
Examples:
  $ tcptrace-explain capture.pcap                 explain every TCP connection in a capture
  $ tcptrace-explain --explain capture.pcap       the same, ending with why TCP behaves so
  $ tcptrace-explain -q capture.pcap | grep WARNING
                                                  one line per anomaly and per connection
  $ tcptrace-explain --format json capture.pcapng > report.json
  $ sudo tcpdump -U -w - -i eth0 'tcp port 443' | tcptrace-explain -
                                                  live: each transition printed as it happens
  $ sudo tcpdump -l -n -i eth0 'tcp port 443' | tcptrace-explain -
                                                  the same from tcpdump's printed lines
  $ tcptrace-explain saved-tcpdump-output.txt     what \`tcpdump -n -r x.pcap\` printed
  $ tcptrace-explain --format ndjson capture.pcap | jq 'select(.type=="transition")'

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

function parseWidth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_WIDTH) throw new InvalidArgumentError(`expected a whole number of columns ≥ ${MIN_WIDTH}`);
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
    .option('-q, --quiet', 'only anomalies (one line each) and each connection\'s final states')
    .option('--explain', 'end the text report with notes on the TCP behind it (the handshake, why closing takes four segments, TIME_WAIT and 2×MSL, resets…) and each anomaly kind seen in full; text format only')
    .option('--width <columns>', `wrap text to this many columns (default: the terminal's width, ${DEFAULT_WIDTH} when not a terminal)`, parseWidth)
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

function openInput(name: string): { stream: Readable; label: string } {
  if (name === '-') return { stream: process.stdin, label: '<stdin>' };
  return { stream: createReadStream(name, { highWaterMark: 1 << 20 }), label: name };
}

/** The terminal's width, or DEFAULT_WIDTH when standard output is not a terminal. */
function terminalWidth(): number {
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return columns !== undefined && columns >= MIN_WIDTH ? columns : DEFAULT_WIDTH;
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
  if (opts.explain === true && opts.format !== 'text') {
    process.stderr.write(`tcptrace-explain: --explain adds notes to the text report; it cannot be used with --format ${opts.format}\n`);
    return EXIT_INPUT_OR_USAGE;
  }
  let inputs = program.args;
  if (inputs.length === 0) {
    if (process.stdin.isTTY) {
      process.stderr.write('tcptrace-explain: no input: give a capture file, or pipe one in (see --help)\n');
      return EXIT_INPUT_OR_USAGE;
    }
    inputs = ['-'];
  }

  const out = stdoutOutput();
  const level = decideColorLevel(opts.color, process.env, process.stdout.isTTY === true);
  const chalk = new Chalk({ level: opts.format === 'text' ? level : 0 });
  const anyLive = inputs.some((n) => n === '-' && !stdinIsFile());
  const reporter: Reporter =
    opts.format === 'json' ? new JsonReporter(out, ver)
      : opts.format === 'ndjson' ? new NdjsonReporter(out)
        : new TextReporter(out, {
          chalk,
          live: anyLive,
          quiet: opts.quiet === true,
          explain: opts.explain === true,
          width: opts.width ?? terminalWidth(),
          mslSeconds: opts.msl,
        });

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
      ...(reporter.segment === undefined ? {} : { segment: (e: SegmentEvent) => reporter.segment?.(e) }),
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
