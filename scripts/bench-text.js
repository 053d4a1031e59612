// tcpdump-text benchmark: run after the build (`npm run build && node scripts/bench-text.js`).
// Writes a large text to a temporary directory: the lines of a real capture printed by
// `tcpdump -n` (fixtures/text/http-client-close.pcap.n.txt: handshake, options, HTTP
// trailers, close), repeated for many connections with other addresses, ports and times,
// 64 at a time with their lines interleaved.
// Then times, in this process, the median of several runs of:
//   (a) the text source alone: lines → Segments, read from the file in 1 MiB chunks,
//   (b) the whole pipeline: lines → Segments → flow table → tracker events, from memory,
// and prints lines/s, MB/s, and the memory taken while reading: the live heap after a full
// collection at each quarter of the input (it must level off, not grow with the file) and
// the peak growth of the resident set. BENCH_LINES and BENCH_RUNS change the size.
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyseInput } from '../dist/pipeline.js';
import { createTextSource } from '../dist/text/index.js';

const LINES = Number(process.env.BENCH_LINES ?? 2_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHUNK_BYTES = 1024 * 1024;

const template = readFileSync(new URL('../fixtures/text/http-client-close.pcap.n.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => /^\d\d:/.test(line))
  .map((line) => ({ micros: microsOfDay(line), rest: line.slice(15) }));
const firstMicros = /** @type {(typeof template)[number]} */ (template[0]).micros;

/**
 * Microseconds since midnight of a line's `HH:MM:SS.uuuuuu` timestamp.
 * @param {string} line
 */
function microsOfDay(line) {
  const [h, m, s] = /** @type {[string, string, string]} */ (line.slice(0, 15).split(':'));
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s.slice(0, 2))) * 1e6 + Number(s.slice(3));
}

/**
 * The `HH:MM:SS.uuuuuu` timestamp of a time in microseconds since midnight.
 * @param {number} micros
 */
function timeOfDay(micros) {
  const s = Math.floor(micros / 1e6);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  const hms = `${two(Math.floor(s / 3600) % 24)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  return `${hms}.${String(micros % 1e6).padStart(6, '0')}`;
}

/** Connections open at once: their lines are interleaved in time order. */
const CONCURRENT = 64;

/**
 * The lines of connections k … k + CONCURRENT − 1, in time order: each from one of 1024
 * client hosts with a port of its own (ports come round again after 50,000 connections),
 * starting 10 ms apart; the next group starts once these have ended.
 * @param {number} k
 */
function groupLines(k) {
  /** @type {{ at: number; text: string }[]} */
  const lines = [];
  const groupStart = 8 * 3600e6 + (k / CONCURRENT) * 1.5e6;
  for (let j = 0; j < CONCURRENT; j++) {
    const n = k + j;
    const client = `10.0.${(n >> 8) & 3}.${n & 255}.${10000 + (n % 50000)}`;
    const start = groupStart + j * 10_000;
    for (const { micros, rest } of template)
      lines.push({ at: start + micros - firstMicros, text: rest.replaceAll('10.99.0.1.40001', client) });
  }
  lines.sort((a, b) => a.at - b.at);
  return lines.map(({ at, text }) => `${timeOfDay(at)}${text}`);
}

/**
 * @param {string} path
 * @returns {number} lines written
 */
function writeText(path) {
  const fd = openSync(path, 'w');
  let lines = 0;
  for (let k = 0; lines < LINES; k += CONCURRENT) {
    const group = groupLines(k);
    writeSync(fd, `${group.join('\n')}\n`);
    lines += group.length;
  }
  closeSync(fd);
  return lines;
}

/**
 * Reads the file in chunks, calling push for each, and `quarter` at each quarter of it.
 * @param {string} path
 * @param {(chunk: Buffer) => void} push
 * @param {() => void} [quarter]
 */
function readChunks(
  path,
  push,
  quarter = () => {
    // Nothing to do at a quarter unless asked.
  },
) {
  const size = statSync(path).size;
  const buf = Buffer.alloc(CHUNK_BYTES);
  const fd = openSync(path, 'r');
  let read = 0;
  let next = size / 4;
  for (;;) {
    const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
    if (n === 0) break;
    push(buf.subarray(0, n));
    read += n;
    if (read >= next) {
      quarter();
      next += size / 4;
    }
  }
  closeSync(fd);
}

/**
 * @param {string} path
 * @param {() => void} [quarter]
 * @returns {number} segments read
 */
function sourceOnly(path, quarter) {
  let segments = 0;
  const source = createTextSource(path, {
    segment() {
      segments++;
    },
    warning(w) {
      throw new Error(w);
    },
  });
  readChunks(
    path,
    (chunk) => {
      source.push(chunk);
    },
    quarter,
  );
  source.end();
  return segments;
}

/**
 * Memory while reading: the live heap after a full collection at each quarter of the
 * input (it must level off, not grow with the file), and the peak resident set.
 * @param {string} path
 */
function memoryProfile(path) {
  v8.setFlagsFromString('--expose-gc');
  /** @type {(code: 'gc') => () => void} in a new context, `gc` is the global --expose-gc made */
  const evaluate = runInNewContext;
  const gc = evaluate('gc');
  gc();
  gc();
  const before = process.memoryUsage();
  /** @type {number[]} */
  const heap = [];
  let peakRss = before.rss;
  sourceOnly(path, () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    gc();
    heap.push(process.memoryUsage().heapUsed - before.heapUsed);
  });
  return { heap, rssGrowth: peakRss - before.rss };
}

/**
 * The whole pipeline on chunks already in memory: source, flow table, tracker.
 * @param {string} path
 * @param {Buffer[]} chunks
 * @returns {Promise<number>} events
 */
async function wholePipeline(path, chunks) {
  let events = 0;
  const report = await analyseInput(
    path,
    Readable.from(chunks),
    { mslSeconds: 30, inputFormat: 'auto' },
    {
      event() {
        events++;
      },
      warning(w) {
        throw new Error(w);
      },
    },
  );
  if (report.error) throw report.error;
  return events;
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.floor(sorted.length / 2)]);
}

const mb = (/** @type {number} */ bytes) => (bytes / 1e6).toFixed(1);

const dir = mkdtempSync(join(tmpdir(), 'tcptrace-explain-bench-text-'));
try {
  const path = join(dir, 'big.txt');
  const lines = writeText(path);
  const bytes = statSync(path).size;
  console.log(
    `${lines.toLocaleString('en')} lines, ${mb(bytes)} MB of tcpdump -n text; ` +
      `median of ${RUNS} runs after a warm-up run`,
  );

  // First, in a fresh process: what reading the file takes in memory (also the warm-up).
  const memory = memoryProfile(path);
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    const segments = sourceOnly(path);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (segments !== lines) throw new Error(`${segments} segments from ${lines} lines`);
  }
  const t = median(times);
  console.log(`(a) text source:    ${Math.round(lines / t).toLocaleString('en')} lines/s, ${mb(bytes / t)} MB/s`);
  console.log(
    `    live heap growth after GC at each quarter of the input: ` +
      `${memory.heap.map((h) => `${mb(h)} MB`).join(', ')}; ` +
      `peak resident set growth ${mb(memory.rssGrowth)} MB`,
  );

  const whole = readFileSync(path);
  const chunks = [];
  for (let at = 0; at < whole.length; at += CHUNK_BYTES) chunks.push(whole.subarray(at, at + CHUNK_BYTES));
  await wholePipeline(path, chunks); // warm-up: not timed
  const pipelineTimes = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    await wholePipeline(path, chunks);
    pipelineTimes.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const p = median(pipelineTimes);
  console.log(
    `(b) whole pipeline: ${Math.round(lines / p).toLocaleString('en')} lines/s ` +
      `(text source, flow table, tracker; from memory)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
