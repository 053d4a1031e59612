// The command line's options, help text and parsers: what the README's option reference is
// generated from, so it is kept free of side effects.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Severity } from './events.js';
import type { InputFormatChoice } from './pipeline.js';
import { parseFailOn, type FailOn } from './report/verdict.js';

export interface CliOptions {
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
  explain?: boolean;
  width?: number;
}

const EXAMPLES = `
Examples:
  $ tcptrace-explain capture.pcap
      explain every TCP connection in a capture
  $ tcptrace-explain --explain capture.pcap
      the same, ending with why TCP behaves so
  $ tcptrace-explain -q capture.pcap | grep WARNING
      one line per anomaly and per connection
  $ tcptrace-explain --ladder capture.pcap
      a sequence diagram of each connection: handshake, data (folded), close
  $ tcptrace-explain --summary day1/*.pcap
      one table of all connections, and anomaly counts by kind
  $ tcptrace-explain --format json capture.pcapng > report.json
  $ tcptrace-explain --format ndjson x.pcap | jq 'select(.type=="anomaly")'
  $ sudo tcpdump -U -w - -i eth0 'tcp port 443' | tcptrace-explain -
      live: each transition printed as it happens
  $ sudo tcpdump -l -n -i eth0 'tcp port 443' | tcptrace-explain -
      the same from tcpdump's printed lines
  $ tcptrace-explain saved-tcpdump-output.txt
      what \`tcpdump -n -r x.pcap\` printed

In CI (exit 1 on a match):
  $ tcptrace-explain -q --fail-on error,rst-out-of-window recorded.pcap
  $ tcptrace-explain --port 443 --fail-on retransmission --max-findings 3 x.pcap

Exit status: 0 analysis done and nothing matched --fail-on; 1 more anomalies
matched --fail-on than --max-findings allows (default 0); 2 usage error, or an
unreadable or damaged input.`;

export function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '0.0.0';
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds ≥ 0');
  return n;
}

const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 40;

function parseWidth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_WIDTH)
    throw new InvalidArgumentError(`expected a whole number of columns ≥ ${MIN_WIDTH}`);
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
    if (!Number.isInteger(n) || n < 0 || n > 65535 || part.trim() === '')
      throw new InvalidArgumentError('expected port numbers 0–65535, separated by commas');
    ports.add(n);
  }
  return ports;
}

function collectHosts(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((h) =>
        h
          .trim()
          .replace(/^\[(.*)\]$/, '$1')
          .toLowerCase(),
      )
      .filter((h) => h !== ''),
  ];
}

function parseFailOnOption(value: string): FailOn {
  try {
    return parseFailOn(value);
  } catch (e) {
    throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
  }
}

export function buildProgram(ver: string): Command {
  return new Command()
    .name('tcptrace-explain')
    .description(
      "Explain a TCP capture: each side's RFC 9293 state transitions and the anomalies, " +
        "in plain words.\nInputs: pcap or pcapng files, tcpdump's printed text, " +
        'or - for standard input (the default when it is not a terminal).',
    )
    .argument('[inputs...]', 'capture files or tcpdump text, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'ndjson']).default('text'))
    .addOption(
      new Option('--input-format <format>', 'input format').choices(['auto', 'pcap', 'pcapng', 'text']).default('auto'),
    )
    .option('--msl <seconds>', 'maximum segment lifetime; TIME_WAIT lasts 2×MSL', parseSeconds, 30)
    .option('-q, --quiet', "only anomalies (one line each) and each connection's final states")
    .option(
      '--explain',
      'end the text report with notes on the TCP behind it (the handshake, why closing ' +
        'takes four segments, TIME_WAIT and 2×MSL, resets…) and each anomaly kind seen in full',
    )
    .option(
      '--width <columns>',
      `wrap and fit text to this many columns (default: COLUMNS, else the terminal's width, else ${DEFAULT_WIDTH})`,
      parseWidth,
    )
    .option('--conn <ids>', 'only these connections, by the ids the report gives them (e.g. 3 or 1,4-7)', parseIds)
    .option(
      '--host <addr>',
      'only connections with this address at either end (repeatable, or comma-separated)',
      collectHosts,
    )
    .option('--port <ports>', 'only connections with this port at either end (e.g. 443 or 80,8080)', parsePorts)
    .addOption(
      new Option('--only <what>', 'show only anomalies, or only state transitions').choices([
        'anomalies',
        'transitions',
      ]),
    )
    .addOption(
      new Option('--min-severity <level>', 'hide anomalies below this severity').choices(['info', 'warning', 'error']),
    )
    .option(
      '--fail-on <list>',
      'exit 1 when an anomaly of these kinds or severities (a severity means ' +
        'it or worse) is found, e.g. error or retransmission,rst-out-of-window',
      parseFailOnOption,
    )
    .option(
      '--max-findings <n>',
      'with --fail-on, allow up to n findings before failing (alone: counts warnings and errors)',
      parseCount,
    )
    .option('--summary', 'tables of all connections and of anomalies by kind, instead of the timelines (text only)')
    .option('--ladder', 'draw each connection as a sequence diagram (text format only)')
    .option('--full', 'with --ladder: draw every segment instead of folding long runs')
    .option('--color', 'colour even when the output is not a terminal (FORCE_COLOR=1 does the same)')
    .option('--no-color', 'no colour (NO_COLOR=1 does the same; TERM=dumb and pipes get none anyway)')
    .version(ver, '-V, --version')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => {
        write(str);
      },
    });
}

/** Options that make no sense together, as the one line to print; undefined when all is well. */
export function optionConflict(opts: CliOptions): string | undefined {
  if (opts.ladder === true && opts.format !== 'text')
    return `--ladder draws text; it cannot be combined with --format ${opts.format}`;
  if (opts.full === true && opts.ladder !== true) return '--full only applies to --ladder';
  if (opts.ladder === true && opts.quiet === true) return '--quiet does not apply to --ladder';
  if (
    opts.explain === true &&
    (opts.format !== 'text' || opts.summary === true || opts.ladder === true || opts.quiet === true)
  ) {
    return (
      '--explain adds notes to the default text report; it cannot be ' +
      'combined with --format json/ndjson, --summary, --ladder or -q'
    );
  }
  if (opts.summary === true && opts.format !== 'text')
    return `--summary is a text table; --format ${opts.format} already has a summary`;
  if (opts.summary === true && opts.ladder === true)
    return '--summary and --ladder are two different views: choose one';
  return undefined;
}
