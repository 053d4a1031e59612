// Captures printed by the installed tcpdump in many ways must give the same report as
// the captures themselves: the equivalence test of fixtures/text/, on crafted captures of
// what the real-traffic fixtures do not have (VLAN tags, SACK, urgent data, bad checksums,
// quoted TCP headers in ICMP errors, retransmissions, port reuse, sequence wraparound,
// snap-length truncation, IPv6, keep-alives) and on the lossy captures of
// fixtures/anomalies/. Skipped when tcpdump is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../helpers/analyse.js';
import {
  ethernet,
  ipv4,
  linuxSll2,
  mss,
  nop,
  pcapFile,
  sack,
  sackOk,
  tcpPacket,
  tcpSegment,
  timestamps,
  wscale,
  type PcapRecord,
} from '../helpers/packets.js';
import { ACK, FIN, PSH, RST, SYN, URG } from '../../src/segment.js';
import { expectSameReport, sameReport, textFormOf } from './same-report.js';

const tcpdump = spawnSync('tcpdump', ['--version'], { encoding: 'utf8' });
const installed = tcpdump.status === 0;
if (!installed)
  console.warn('tcpdump is not installed: the tests that print captures with it are skipped (CI installs it)');

function render(capture: Buffer, options: string): Buffer {
  const run = spawnSync('tcpdump', [...options.split(' '), '-r', '-'], {
    input: capture,
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC' },
  });
  if (run.status !== 0) throw new Error(`tcpdump ${options}: ${run.stderr.toString()}`);
  return run.stdout;
}

const C = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 };
const S = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 };
const SYN_OPTIONS = [mss(1460), sackOk(), timestamps(1, 0), nop(), wscale(7)];

/** Irregular gaps (so that -ttt and -ttttt deltas tell themselves apart quickly). */
function timed(frames: Buffer[], startSec = 1_700_000_000): PcapRecord[] {
  let usec = 0;
  return frames.map((data, i) => {
    usec += 1000 + ((i * 7919) % 5000);
    return { data, sec: startSec + Math.floor(usec / 1e6), frac: usec % 1e6 };
  });
}

/** SYN, SYN-ACK and ACK of a connection with these ISNs. */
function handshake(ci: number, si: number, c = C, s = S): Buffer[] {
  return [
    ethernet(tcpPacket({ ...c, flags: SYN, seq: ci, options: SYN_OPTIONS })),
    ethernet(tcpPacket({ ...s, flags: SYN | ACK, seq: si, ack: ci + 1, options: SYN_OPTIONS })),
    ethernet(tcpPacket({ ...c, flags: ACK, seq: ci + 1, ack: si + 1 })),
  ];
}

const KEEP_ALIVE = 'keep-alive (a pure ACK one below the next sequence number) and its answer';

/**
 * Scenarios whose text lacks what the report needs unless printed with one of the options
 * given. (Checksum verdicts, which need -v, are left out of every comparison of text
 * without -v: see same-report.ts.)
 */
/** Why a late hole fill reads differently from `tcpdump -n` text (it has timestamps of one millisecond). */
const IP_ID_TELLS_RESENDS =
  'tcpdump prints the IPv4 ID only with -v, and only the ID tells a resend filling a hole ' +
  '(sent after the later bytes) from a reordered first copy when the timestamps are equal';

const TEXT_LACKS: Record<string, { unless: string[]; why: string }> = {
  [KEEP_ALIVE]: {
    unless: ['-vv'],
    why: "tcpdump prints a pure ACK's seq only with -vv, and a keep-alive is told by its seq",
  },
  'keepalive.pcap': {
    unless: ['-vv'],
    why: "tcpdump prints a pure ACK's seq only with -vv, and a keep-alive is told by its seq",
  },
  'loss-switch.pcap': {
    unless: ['-v', '-vv'],
    why: IP_ID_TELLS_RESENDS,
  },
  'zero-window.pcap': {
    unless: ['-vv'],
    why:
      'Linux probes a zero window with an empty segment at SND.UNA − 1, told only by its seq, ' +
      'which tcpdump prints only with -vv',
  },
};

const SCENARIOS: Record<string, () => Buffer> = {
  'VLAN tags, urgent data, SACK, an ICMP error quoting TCP, three-segment close': () => {
    const ci = 1000;
    const si = 5000;
    return pcapFile(
      timed([
        ethernet(tcpPacket({ ...C, flags: SYN, seq: ci, options: SYN_OPTIONS }), { vlans: [[0x8100, 100]] }),
        ethernet(tcpPacket({ ...S, flags: SYN | ACK, seq: si, ack: ci + 1, options: SYN_OPTIONS }), {
          vlans: [
            [0x88a8, 200],
            [0x8100, 100],
          ],
        }),
        ethernet(tcpPacket({ ...C, flags: ACK, seq: ci + 1, ack: si + 1 })),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH | URG, seq: ci + 1, ack: si + 1, urp: 3, payloadLen: 100 })),
        ethernet(
          tcpPacket({
            ...S,
            flags: ACK,
            seq: si + 1,
            ack: ci + 1,
            options: [nop(), nop(), sack([[ci + 101, ci + 201]])],
          }),
        ),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH, seq: ci + 101, ack: si + 1, payloadLen: 100 })),
        ethernet(
          ipv4(
            { src: '10.0.0.2', dst: '10.0.0.1', protocol: 1 },
            Buffer.concat([
              Buffer.from([3, 3, 0, 0, 0, 0, 0, 0]),
              ipv4(
                { src: '10.0.0.1', dst: '10.0.0.2' },
                tcpSegment({ ...C, flags: ACK, seq: ci + 1, ack: si + 1 }).subarray(0, 8),
              ),
            ]),
          ),
        ),
        ethernet(tcpPacket({ ...C, flags: ACK | FIN, seq: ci + 201, ack: si + 1 })),
        ethernet(tcpPacket({ ...S, flags: ACK | FIN, seq: si + 1, ack: ci + 202 })),
        ethernet(tcpPacket({ ...C, flags: ACK, seq: ci + 202, ack: si + 2 })),
      ]),
    );
  },
  'retransmission, duplicate ACKs, zero window, window update, numbers wrapping past 2^32': () => {
    const ci = 0xffffff00;
    const si = 0x7fffffff;
    const d = (n: number): number => (ci + 1 + n) >>> 0;
    return pcapFile(
      timed([
        ...handshake(ci, si),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH, seq: d(0), ack: si + 1, payloadLen: 200 })),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH, seq: d(200), ack: si + 1, payloadLen: 200 })),
        ethernet(tcpPacket({ ...S, flags: ACK, seq: si + 1, ack: d(200), win: 1000 })),
        ethernet(tcpPacket({ ...S, flags: ACK, seq: si + 1, ack: d(200), win: 1000 })),
        ethernet(tcpPacket({ ...S, flags: ACK, seq: si + 1, ack: d(200), win: 1000 })),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH, seq: d(200), ack: si + 1, payloadLen: 200 })),
        ethernet(tcpPacket({ ...S, flags: ACK, seq: si + 1, ack: d(400), win: 0 })),
        ethernet(tcpPacket({ ...S, flags: ACK, seq: si + 1, ack: d(400), win: 2000 })),
        ethernet(tcpPacket({ ...S, flags: ACK | RST, seq: si + 1, ack: d(400), win: 0 })),
      ]),
    );
  },
  'port reuse: a second connection on the same port pair, and a refused one': () =>
    pcapFile(
      timed([
        ...handshake(1000, 5000),
        ethernet(tcpPacket({ ...C, flags: ACK | FIN, seq: 1001, ack: 5001 })),
        ethernet(tcpPacket({ ...S, flags: ACK | FIN, seq: 5001, ack: 1002 })),
        ethernet(tcpPacket({ ...C, flags: ACK, seq: 1002, ack: 5002 })),
        ...handshake(900_000, 77_000),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH, seq: 900_001, ack: 77_001, payloadLen: 10 })),
        ethernet(tcpPacket({ ...C, sport: 40001, flags: SYN, seq: 123, options: SYN_OPTIONS })),
        ethernet(tcpPacket({ ...S, dport: 40001, flags: RST | ACK, seq: 0, ack: 124 })),
      ]),
    ),
  'IPv6 over Linux SLL2 (-i any), simultaneous close': () => {
    const c6 = { src: 'fd00::1', dst: 'fd00::2', sport: 50000, dport: 443 };
    const s6 = { src: 'fd00::2', dst: 'fd00::1', sport: 443, dport: 50000 };
    return pcapFile(
      timed([
        linuxSll2(tcpPacket({ ...c6, flags: SYN, seq: 10, options: SYN_OPTIONS })),
        linuxSll2(tcpPacket({ ...s6, flags: SYN | ACK, seq: 20, ack: 11, options: SYN_OPTIONS })),
        linuxSll2(tcpPacket({ ...c6, flags: ACK, seq: 11, ack: 21 })),
        linuxSll2(tcpPacket({ ...c6, flags: ACK | FIN, seq: 11, ack: 21 })),
        linuxSll2(tcpPacket({ ...s6, flags: ACK | FIN, seq: 21, ack: 11 })),
        linuxSll2(tcpPacket({ ...c6, flags: ACK, seq: 12, ack: 22 })),
        linuxSll2(tcpPacket({ ...s6, flags: ACK, seq: 22, ack: 12 })),
      ]),
      { linkType: 276 },
    );
  },
  'capture starting mid-connection with data': () =>
    pcapFile(
      timed([
        ethernet(tcpPacket({ ...S, flags: ACK | PSH, seq: 3_305_197_767, ack: 3_938_018_648, payloadLen: 184 })),
        ethernet(
          tcpPacket({
            ...C,
            flags: ACK,
            seq: 3_938_018_648,
            ack: 3_305_197_951,
            options: [nop(), nop(), timestamps(5, 6)],
          }),
        ),
        ethernet(
          tcpPacket({
            ...C,
            flags: ACK | PSH,
            seq: 3_938_018_648,
            ack: 3_305_197_951,
            payloadLen: 300,
            options: [nop(), nop(), timestamps(7, 8)],
          }),
        ),
        ethernet(tcpPacket({ ...S, flags: ACK | FIN, seq: 3_305_197_951, ack: 3_938_018_948 })),
        ethernet(tcpPacket({ ...C, flags: ACK | FIN, seq: 3_938_018_948, ack: 3_305_197_952 })),
        ethernet(tcpPacket({ ...S, flags: ACK, seq: 3_305_197_952, ack: 3_938_018_949 })),
      ]),
    ),
  // Every packet is cut inside its TCP options, where tcpdump marks "[|tcp]". (A cut in the
  // payload is marked only when an application printer runs into it.)
  'snap length cutting the TCP options': () => {
    const ts = [nop(), nop(), timestamps(5, 6)];
    return pcapFile(
      timed([
        ethernet(tcpPacket({ ...C, flags: SYN, seq: 1000, options: SYN_OPTIONS })),
        ethernet(tcpPacket({ ...S, flags: SYN | ACK, seq: 5000, ack: 1001, options: SYN_OPTIONS })),
        ethernet(tcpPacket({ ...C, flags: ACK, seq: 1001, ack: 5001, options: ts })),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH, seq: 1001, ack: 5001, payloadLen: 300, options: ts })),
        ethernet(tcpPacket({ ...S, flags: ACK | FIN, seq: 5001, ack: 1301, options: ts })),
        ethernet(tcpPacket({ ...C, flags: ACK | FIN, seq: 1301, ack: 5002, options: ts })),
        ethernet(tcpPacket({ ...S, flags: ACK, seq: 5002, ack: 1302, options: ts })),
      ]),
      { snaplen: 60 },
    );
  },
  'bad checksums (verdicts only in -v text)': () =>
    pcapFile(
      timed([
        ethernet(tcpPacket({ ...C, flags: SYN, seq: 1000, options: SYN_OPTIONS, badChecksum: true })),
        ethernet(tcpPacket({ ...C, flags: SYN, seq: 1000, options: SYN_OPTIONS })),
        ethernet(tcpPacket({ ...S, flags: SYN | ACK, seq: 5000, ack: 1001, options: SYN_OPTIONS })),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH, seq: 1001, ack: 5001, payloadLen: 20, badChecksum: true })),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH, seq: 1001, ack: 5001, payloadLen: 20 })),
      ]),
    ),
  'capture starting mid-connection with a pure ACK (its seq is not printed)': () =>
    pcapFile(
      timed([
        ethernet(tcpPacket({ ...C, flags: ACK, seq: 603_899_917, ack: 2_043_824_404 })),
        ethernet(tcpPacket({ ...C, flags: ACK | PSH, seq: 603_899_917, ack: 2_043_824_404, payloadLen: 58 })),
        ethernet(tcpPacket({ ...S, flags: ACK, seq: 2_043_824_404, ack: 603_899_975 })),
        ethernet(tcpPacket({ ...S, flags: ACK | PSH, seq: 2_043_824_404, ack: 603_899_975, payloadLen: 226 })),
        ethernet(tcpPacket({ ...C, flags: ACK | FIN, seq: 603_899_975, ack: 2_043_824_630 })),
        ethernet(tcpPacket({ ...C, flags: RST, seq: 603_899_976 })),
      ]),
    ),
  'SYN retransmission, IPv4 fragments': () =>
    pcapFile(
      timed([
        ethernet(tcpPacket({ ...C, flags: SYN, seq: 1000, options: SYN_OPTIONS })),
        ethernet(tcpPacket({ ...C, flags: SYN, seq: 1000, options: SYN_OPTIONS })),
        ethernet(tcpPacket({ ...S, flags: SYN | ACK, seq: 5000, ack: 1001, options: SYN_OPTIONS })),
        ethernet(tcpPacket({ ...C, flags: ACK, seq: 1001, ack: 5001 })),
        ethernet(
          ipv4(
            { src: '10.0.0.1', dst: '10.0.0.2', moreFragments: true, id: 7 },
            tcpSegment({ ...C, flags: ACK | PSH, seq: 1001, ack: 5001, payloadLen: 100 }).subarray(0, 64),
          ),
        ),
        ethernet(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', fragmentOffset: 8, id: 7 }, Buffer.alloc(56))),
      ]),
    ),
  [KEEP_ALIVE]: () =>
    pcapFile(
      timed([
        ...handshake(1000, 5000),
        ethernet(tcpPacket({ ...C, flags: ACK, seq: 1000, ack: 5001 })),
        ethernet(tcpPacket({ ...S, flags: ACK, seq: 5001, ack: 1001 })),
      ]),
    ),
};

/** Everything a saved or live tcpdump text may have been printed with. */
const OPTIONS = [
  '-n',
  '-n -S',
  '-n -v',
  '-n -vv',
  '-n -e',
  '-n -e -v',
  '-n -tt',
  '-n -ttt',
  '-n -tttt',
  '-n -ttttt',
  '-n -t',
  '-n -t -#',
  '-# -n -tt',
  '-n --nano',
  '-n -x',
  '-n -X',
  '-n -A',
  '-n -S -v -e -#',
];

/** One `it` per tcpdump option set: the text's report against the capture's. */
function compareRenderings(name: string, capture: Buffer, optionSets: string[]): void {
  for (const options of optionSets) {
    const lacks = TEXT_LACKS[name];
    const lacking = lacks !== undefined && !lacks.unless.some((o) => options.split(' ').includes(o));
    it(`tcpdump ${options}${lacking ? `: differs, ${lacks.why}` : ''}`, async () => {
      const [fromText, fromCapture] = await Promise.all([analyse(render(capture, options)), analyse(capture)]);
      expect(fromText.warnings).toEqual([]);
      if (lacking) expect(sameReport(fromText, fromCapture, textFormOf(options))).toBe(false);
      else expectSameReport(fromText, fromCapture, textFormOf(options));
    });
  }
}

describe.skipIf(!installed)('crafted captures printed by tcpdump report what the captures do', () => {
  for (const [name, make] of Object.entries(SCENARIOS)) {
    describe(name, () => {
      compareRenderings(name, make(), OPTIONS);
    });
  }
});

// The real lossy captures of the anomaly catalogue: retransmissions, SACK, duplicate ACKs,
// zero windows, keep-alives, TSO, bad checksums (too big to keep rendered beside them).
const anomalies = new URL('../../fixtures/anomalies/', import.meta.url).pathname;
const lossy = existsSync(anomalies)
  ? readdirSync(anomalies)
      .filter((f) => /\.pcap(ng)?$/.test(f))
      .sort()
  : [];

describe.skipIf(!installed || lossy.length === 0)(
  'the lossy captures of fixtures/anomalies/ printed by tcpdump report what the captures do',
  () => {
    for (const file of lossy) {
      describe(file, () => {
        compareRenderings(file, readFileSync(join(anomalies, file)), ['-n', '-n -vv', '-n -S -tt', '-# -n -v -e']);
      });
    }
  },
);
