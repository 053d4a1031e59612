// Reader micro-benchmark: run after the build (`npm run bench`).
// Writes a large classic pcap of realistic TCP packets to a temporary directory, then
// times, in this process, the median of several runs of:
//   (a) plain record reading from a file stream (records only, no decoding),
//   (a') the same from chunks already in memory (the parser alone, no I/O),
//   (b) full decoding into Segments,
//   (c) the pcap-parser package on the same file,
//   (d) the flow table and state tracker (sequence analysis included) over segments
//       already decoded into memory: the cost per packet after decoding,
// and prints packets/s and the ratio to pcap-parser.
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createCaptureSource, createRecordReader } from '../dist/capture/index.js';
import { FlowTable } from '../dist/flows/table.js';

/** @typedef {import('../dist/segment.js').Segment} Segment */
/**
 * The part of pcap-parser (CommonJS, no types of its own) this benchmark uses: `parse` reads
 * the stream and emits 'packet' for each record, then 'end', or 'error'.
 * @typedef {object} PcapParser
 * @property {(input: import('node:stream').Readable) => import('node:events').EventEmitter} parse
 */

const PACKETS = Number(process.env.BENCH_PACKETS ?? 2_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHUNK_BYTES = 1024 * 1024;
/** Segments kept in memory for the tracker measure (d). */
const TRACKED = Math.min(PACKETS, 1_000_000);

// pcap-parser uses the deprecated Buffer() constructor: keep its warning out of the table.
process.noDeprecation = true;
/** @type {(id: 'pcap-parser') => PcapParser} */
const requirePcapParser = createRequire(import.meta.url);
const pcapParser = requirePcapParser('pcap-parser');

/** A bulk transfer as it looks on the wire: full-size segments, delayed ACKs, some small writes. */
const PAYLOAD_CYCLE = [1448, 1448, 0, 1448, 200, 0, 536, 0, 90, 0];

/**
 * @param {Buffer} buf
 * @param {number} start
 * @param {number} end
 * @param {number} sum
 * @returns {number}
 */
function onesComplement(buf, start, end, sum) {
  for (let i = start; i + 1 < end; i += 2) sum += buf.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return sum;
}

/**
 * An Ethernet/IPv4/TCP frame with timestamps option; seq and checksum filled in per packet.
 * @param {number} payload
 * @param {boolean} fromClient
 */
function template(payload, fromClient) {
  const tcpLength = 32 + payload;
  const frame = Buffer.alloc(14 + 20 + tcpLength);
  frame.writeUInt16BE(0x0800, 12);
  const ip = 14;
  frame[ip] = 0x45;
  frame.writeUInt16BE(20 + tcpLength, ip + 2);
  frame[ip + 8] = 64;
  frame[ip + 9] = 6;
  const a = [10, 0, 0, 1];
  const b = [10, 0, 0, 2];
  Buffer.from(fromClient ? a : b).copy(frame, ip + 12);
  Buffer.from(fromClient ? b : a).copy(frame, ip + 16);
  frame.writeUInt16BE(0xffff - onesComplement(frame, ip, ip + 20, 0), ip + 10);
  const tcp = ip + 20;
  frame.writeUInt16BE(fromClient ? 51234 : 443, tcp);
  frame.writeUInt16BE(fromClient ? 443 : 51234, tcp + 2);
  frame[tcp + 12] = 8 << 4;
  frame[tcp + 13] = payload > 0 ? 0x18 : 0x10;
  frame.writeUInt16BE(501, tcp + 14);
  frame.set([1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], tcp + 20);
  for (let i = 0; i < payload; i++) frame[tcp + 32 + i] = (i * 7) & 0xff;
  // Sum of everything but seq, ack and the checksum field, plus the pseudo-header.
  const pseudo = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + tcpLength;
  return { frame, tcp, base: onesComplement(frame, tcp, tcp + tcpLength, pseudo) };
}

/** @typedef {ReturnType<typeof template>} Template */

/**
 * @param {string} path
 * @returns {number} the file's size in bytes
 */
function writeCapture(path) {
  const templates = PAYLOAD_CYCLE.map((payload) => template(payload, payload > 0));
  const fd = openSync(path, 'w');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  writeSync(fd, header);
  const block = Buffer.alloc(8 * 1024 * 1024);
  let used = 0;
  let bytes = 24;
  let clientSeq = 1_000_000;
  const serverSeq = 4_000_000_000;
  for (let n = 0; n < PACKETS; n++) {
    const t = /** @type {Template} */ (templates[n % templates.length]);
    const record = 16 + t.frame.length;
    if (used + record > block.length) {
      writeSync(fd, block, 0, used);
      used = 0;
    }
    const usec = n * 20;
    block.writeUInt32LE(1_700_000_000 + Math.floor(usec / 1e6), used);
    block.writeUInt32LE(usec % 1e6, used + 4);
    block.writeUInt32LE(t.frame.length, used + 8);
    block.writeUInt32LE(t.frame.length, used + 12);
    t.frame.copy(block, used + 16);
    const tcp = used + 16 + t.tcp;
    const payload = t.frame.length - t.tcp - 32;
    const fromClient = payload > 0;
    const seq = (fromClient ? clientSeq : serverSeq) >>> 0;
    const ack = (fromClient ? serverSeq : clientSeq) >>> 0;
    block.writeUInt32BE(seq, tcp + 4);
    block.writeUInt32BE(ack, tcp + 8);
    const sum = onesComplement(block, tcp + 4, tcp + 12, t.base);
    block.writeUInt16BE(0xffff - sum, tcp + 16);
    if (fromClient) clientSeq += payload;
    used += record;
    bytes += record;
  }
  writeSync(fd, block, 0, used);
  closeSync(fd);
  return bytes;
}

/**
 * @param {string} path
 * @param {(chunk: Buffer) => void} push
 */
async function streamInto(path, push) {
  /** @type {AsyncIterable<Buffer>} without an encoding, a file stream's chunks are Buffers */
  const chunks = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  for await (const chunk of chunks) push(chunk);
}

const noWarnings = {
  warning() {
    // The generated capture has nothing to warn about, and only the speed is measured.
  },
};

/**
 * @param {string} path
 * @returns {Promise<number>} records read
 */
async function plainFromFile(path) {
  let packets = 0;
  const reader = createRecordReader('pcap', path, {
    record() {
      packets++;
    },
    ...noWarnings,
  });
  await streamInto(path, (chunk) => {
    reader.push(chunk);
  });
  reader.end();
  return packets;
}

/**
 * @param {Buffer[]} chunks
 * @returns {number} records read
 */
function plainFromMemory(chunks) {
  let packets = 0;
  const reader = createRecordReader('pcap', 'memory', {
    record() {
      packets++;
    },
    ...noWarnings,
  });
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return packets;
}

/**
 * @param {string} path
 * @returns {Promise<number>} segments decoded
 */
async function decodeFromFile(path) {
  let segments = 0;
  const source = createCaptureSource('pcap', path, {
    segment() {
      segments++;
    },
    ...noWarnings,
  });
  await streamInto(path, (chunk) => {
    source.push(chunk);
  });
  source.end();
  if (source.stats.skipped !== 0) throw new Error(`decoder skipped ${source.stats.skipped} packets`);
  return segments;
}

/**
 * @param {string} path
 * @returns {Promise<number>} packets read
 */
function pcapParserFromFile(path) {
  return new Promise((resolve, reject) => {
    let packets = 0;
    const parser = pcapParser.parse(createReadStream(path, { highWaterMark: CHUNK_BYTES }));
    parser.on('packet', () => packets++);
    parser.on('error', reject);
    parser.on('end', () => {
      resolve(packets);
    });
  });
}

/**
 * @param {Buffer[]} chunks
 * @param {number} limit
 */
function decodeIntoMemory(chunks, limit) {
  /** @type {Segment[]} */
  const segments = [];
  const source = createCaptureSource('pcap', 'memory', {
    segment(seg) {
      if (segments.length < limit) segments.push(seg);
    },
    ...noWarnings,
  });
  for (const chunk of chunks) source.push(chunk);
  source.end();
  return segments;
}

/**
 * @param {Segment[]} segments
 * @returns {number} segments tracked
 */
function trackSegments(segments) {
  let events = 0;
  const table = new FlowTable(() => events++, { mslSeconds: 30 });
  for (const seg of segments) table.segment(seg);
  table.finish();
  return segments.length;
}

/**
 * @param {string} name
 * @param {number} runs
 * @param {() => number | Promise<number>} fn returns the packets it handled
 * @param {number} [expected]
 */
async function time(name, runs, fn, expected = PACKETS) {
  const rates = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const packets = await fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (packets !== expected) throw new Error(`${name}: read ${packets} packets, expected ${expected}`);
    rates.push(packets / seconds);
  }
  rates.sort((x, y) => x - y);
  return { name, rate: /** @type {number} */ (rates[Math.floor(rates.length / 2)]) };
}

/** @param {string} path */
async function readChunks(path) {
  /** @type {Buffer[]} */
  const chunks = [];
  await streamInto(path, (chunk) => chunks.push(chunk));
  return chunks;
}

const dir = mkdtempSync(join(tmpdir(), 'tcptrace-explain-bench-'));
try {
  const path = join(dir, 'bench.pcap');
  const bytes = writeCapture(path);
  console.log(
    `${PACKETS.toLocaleString('en')} packets, ${(bytes / 2 ** 20).toFixed(0)} MiB, ${RUNS} runs each, median; ` +
      `Node ${process.version}`,
  );
  const chunks = await readChunks(path);
  const results = [
    await time('(a)  records, file stream', RUNS, () => plainFromFile(path)),
    await time("(a') records, chunks in memory", RUNS, () => plainFromMemory(chunks)),
    await time('(b)  segments, file stream', RUNS, () => decodeFromFile(path)),
    await time('(c)  pcap-parser, file stream', Math.min(RUNS, 3), () => pcapParserFromFile(path)),
  ];
  const segments = decodeIntoMemory(chunks, TRACKED);
  results.push(
    await time('(d)  flow table + tracker, in memory', RUNS, () => trackSegments(segments), segments.length),
  );
  const reference = /** @type {(typeof results)[number]} */ (results[3]).rate;
  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`${'measure'.padEnd(width)}  ${'packets/s'.padStart(12)}  ${'MiB/s'.padStart(7)}  vs pcap-parser  cost`);
  for (const r of results) {
    const mib = (r.rate * bytes) / PACKETS / 2 ** 20;
    const perPacket = `${(1e9 / r.rate).toFixed(0)} ns/packet`;
    const rate = Math.round(r.rate).toLocaleString('en').padStart(12);
    const ratio = `${(r.rate / reference).toFixed(2)}×`;
    console.log(`${r.name.padEnd(width)}  ${rate}  ${mib.toFixed(0).padStart(7)}  ${ratio}  ${perPacket}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
