import { createReadStream, fstatSync, readFileSync, statSync, type ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Chalk } from 'chalk';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { analyseInput, type InputFormatChoice } from './pipeline.js';
import type { Severity } from './events.js';
import { decideColorLevel } from './report/color.js';
import { FilteringReporter, type ConnectionFilter, type EventFilter } from './report/filter.js';
import { progressWanted, ProgressLine } from './report/progress.js';
import { parseFailOn, Verdict, type FailOn } from './report/verdict.js';
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

interface CliOptions {
  format: 'text' | 'json' | 'ndjson';
  msl: number;
  inputFormat: InputFormatChoice;
  color?: boolean;
  quiet?: boolean;
  conn?: Set<number>;
  host?: string[];
  port?: Set<number>;
  only?: 'anomalies' | 'transitions';
  minSeverity?: Severity;
  failOn?: FailOn;
  maxFindings?: number;
  summary?: boolean;
  ladder?: boolean;
  full?: boolean;
}

const EXAMPLES = `
Examples:
  $ tcptrace-explain capture.pcap                 explain every TCP connection in a capture
  $ tcptrace-explain --format json capture.pcapng > report.json
  $ tcptrace-explain --summary day1/*.pcap        one table of all connections, anomalies by kind
  $ sudo tcpdump -U -w - -i eth0 'tcp port 443' | tcptrace-explain -
                                                  live: each transition printed as it happens
  $ sudo tcpdump -l -n -i eth0 'tcp port 443' | tcptrace-explain -
                                                  the same from tcpdump's printed lines
  $ tcptrace-explain saved-tcpdump-output.txt     what \`tcpdump -n -r x.pcap\` printed
  $ tcptrace-explain --format ndjson capture.pcap | jq 'select(.type=="transition")'
  $ tcptrace-explain --ladder capture.pcap        sequence diagram of each connection:
                                                  handshake, data (folded), close

In CI: fail the job when a recorded capture shows a reset out of window or any error:
  $ tcptrace-explain -q --fail-on error,rst-out-of-window recorded.pcap
  $ tcptrace-explain --port 443 --only anomalies --min-severity warning capture.pcap

Exit status: 0 analysis done and nothing matched --fail-on, 1 some anomaly matched
--fail-on (more than --max-findings of them), 2 usage error or unreadable / damaged input.`;

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '0.0.0';
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds ≥ 0');
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function parseIds(value: string, previous: Set<number> | undefined): Set<number> {
  const ids = new Set(previous);
  for (const part of value.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (range === null) throw new InvalidArgumentError('expected connection ids like 3 or 1,4-7');
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from || to - from > 1_000_000) throw new InvalidArgumentError(`bad range ${part.trim()}`);
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return ids;
}

function parsePorts(value: string, previous: Set<number> | undefined): Set<number> {
  const ports = new Set(previous);
  for (const part of value.split(',')) {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 0 || n > 65535 || part.trim() === '') throw new InvalidArgumentError('expected port numbers 0–65535, separated by commas');
    ports.add(n);
  }
  return ports;
}

function collectHosts(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((h) => h.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase()).filter((h) => h !== '')];
}

function parseFailOnOption(value: string): FailOn {
  try {
    return parseFailOn(value);
  } catch (e) {
    throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
  }
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
    .option('--conn <ids>', 'only these connections, by the ids the report gives them (e.g. 3 or 1,4-7)', parseIds)
    .option('--host <addr>', 'only connections with this address at either end (repeatable, or comma-separated)', collectHosts)
    .option('--port <ports>', 'only connections with this port at either end (e.g. 443 or 80,8080)', parsePorts)
    .addOption(new Option('--only <what>', 'show only anomalies, or only state transitions').choices(['anomalies', 'transitions']))
    .addOption(new Option('--min-severity <level>', 'hide anomalies below this severity').choices(['info', 'warning', 'error']))
    .option('--fail-on <list>', 'exit 1 when an anomaly of these kinds or severities (a severity means it or worse) is found, e.g. error or retransmission,rst-out-of-window', parseFailOnOption)
    .option('--max-findings <n>', 'with --fail-on, allow up to n findings before failing (alone: counts warnings and errors)', parseCount)
    .option('--summary', 'tables of all connections and of anomalies by kind, instead of the timelines (text only)')
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

/** Options that make no sense together, as the one line to print; undefined when all is well. */
function optionConflict(opts: CliOptions): string | undefined {
  if (opts.ladder === true && opts.format !== 'text') return `--ladder draws text; it cannot be combined with --format ${opts.format}`;
  if (opts.full === true && opts.ladder !== true) return '--full only applies to --ladder';
  if (opts.ladder === true && opts.quiet === true) return '--quiet does not apply to --ladder';
  if (opts.summary === true && opts.format !== 'text') return `--summary is a text table; --format ${opts.format} already has a summary`;
  if (opts.summary === true && opts.ladder === true) return '--summary and --ladder are two different views: choose one';
  return undefined;
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

  let progress: ProgressLine | undefined;
  const stdout = stdoutOutput();
  const out: Output = (text) => {
    progress?.clear();
    stdout(text);
  };
  const level = decideColorLevel(opts.color, process.env, process.stdout.isTTY === true);
  const chalk = new Chalk({ level: opts.format === 'text' ? level : 0 });
  const anyLive = inputs.some((n) => n === '-' && !stdinIsFile());
  const shown: Reporter =
    opts.format === 'json' ? new JsonReporter(out, ver)
      : opts.format === 'ndjson' ? new NdjsonReporter(out)
        : opts.summary === true ? new SummaryReporter(out, { chalk, width: decideWidth(process.env, process.stdout) })
          : opts.ladder === true ? new LadderReporter(out, { chalk, full: opts.full === true, width: decideWidth(process.env, process.stdout), ascii: prefersAscii(process.env) })
            : new TextReporter(out, { chalk, live: anyLive, quiet: opts.quiet === true });
  const connections: ConnectionFilter = { ids: opts.conn, hosts: opts.host, ports: opts.port };
  const events: EventFilter = { only: opts.only, minSeverity: opts.minSeverity };
  const reporter = new FilteringReporter(shown, connections, events);
  const failOn = opts.failOn ?? (opts.maxFindings !== undefined ? parseFailOn('warning') : undefined);
  const verdict = failOn === undefined ? undefined : new Verdict(failOn, opts.maxFindings ?? 0);
  // --fail-on judges the selected connections, whatever --only and --min-severity hide.
  const judge = verdict === undefined ? undefined : new FilteringReporter({
    beginInput: () => {},
    event: (e) => {
      if (e.type === 'anomaly') verdict.anomaly(e);
    },
    endInput: () => {},
    finish: () => {},
  }, connections, {});

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
      progress = new ProgressLine((t) => process.stderr.write(t), input.label, size, () => file.bytesRead);
      progress.start();
    }
    reporter.beginInput(input.label);
    judge?.beginInput(input.label);
    const segment = reporter.segment;
    const report = await analyseInput(input.label, input.stream, { mslSeconds: opts.msl, inputFormat: opts.inputFormat }, {
      event: (e) => {
        reporter.event(e);
        judge?.event(e);
      },
      warning: warn,
      ...(segment === undefined ? {} : { segment }),
    });
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
    process.stderr.write(`tcptrace-explain: internal error: ${detail} (this is a bug; please report it with the input that caused it)\n`);
    if (process.env.TCPTRACE_EXPLAIN_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    process.exitCode = EXIT_INPUT_OR_USAGE;
  },
);
