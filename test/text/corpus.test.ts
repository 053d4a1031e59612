// tcpdump's own test suite, in the shared corpus beside the checkout: for every printed
// output (.out) listed in its MANIFEST.tsv, the report from the text must equal the report
// from the capture it was printed from. The exceptions are listed below, each with what
// one side lacks. The match rate is printed at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SKIP_BAD_TCP, SKIP_QUIET, SKIP_TRUNCATED } from '../../src/text/skip.js';
import { analyse, type Analysis } from '../helpers/analyse.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';
import { expectSameReport, sameReport, textFormOf } from './same-report.js';

const dir = corpusPath('tcpdump');

const QUIET = '-q: the TCP lines ("tcp 0") have no flags and no sequence numbers, so no segment can be made';

/** Outputs that lack what the report needs, by test name. */
const TEXT_LACKS: Record<string, string> = {
  'print-sampling':
    '--print-sampling=3 printed only packets 3, 6 and 9: the handshake and most of the close are not in the text',
  'dns_tcp-skip-3': '--skip 3 left out the first three packets, the handshake: the text starts mid-connection',
  'dns_tcp-skip-3-c-4': '--skip 3 -c 4 printed packets 4 to 7 only: no handshake and no close',
  'tcp-handshake-micro': QUIET,
  'tcp-handshake-micro-t': QUIET,
  'tcp-handshake-micro-tt': QUIET,
  'tcp-handshake-micro-ttt': QUIET,
  'tcp-handshake-micro-tttt': QUIET,
  'tcp-handshake-micro-ttttt': QUIET,
  'tcp-handshake-nano': QUIET,
  'tcp-handshake-nano-t': QUIET,
  'tcp-handshake-nano-tt': QUIET,
  'tcp-handshake-nano-ttt': QUIET,
  'tcp-handshake-nano-tttt': QUIET,
  'tcp-handshake-nano-ttttt': QUIET,
  timestamp_invalid_micro: QUIET,
  timestamp_invalid_nano: QUIET,
  'mptcp-dss-oobr':
    'tcpdump printed no checksum verdict for its one segment (a SYN with a malformed MPTCP option) ' +
    'although run with -v; the capture reader finds the checksum bad',
  kday4:
    'fuzzed: packet 10 claims an IPv4 total length of 820 in a 52-byte frame; ' +
    'tcpdump prints "length 0" from the captured bytes, ' +
    'the capture reader counts 768 payload bytes from the IP header, ' +
    'so the byte counts and the duplicate-ACK verdict differ',
};

/**
 * Outputs with TCP the capture reader does not decode (test/corpus.test.ts lists the same
 * captures): the text has segments, the capture has none.
 */
const CAPTURE_LACKS: Record<string, string> = {
  'gso-ipv4-vxlan-ipv4':
    'TCP inside VXLAN: tcpdump prints the inner segment, the capture reader does not decapsulate VXLAN',
  'gso-ipv6-vxlan-ipv6':
    'TCP inside VXLAN: tcpdump prints the inner segment, the capture reader does not decapsulate VXLAN',
  'bigtcp-ipv6-vxlan-ipv6':
    'TCP inside VXLAN: tcpdump prints the inner segment, the capture reader does not decapsulate VXLAN',
  'gso-ipv4-geneve-ipv6':
    'TCP inside Geneve: tcpdump prints the inner segment, the capture reader does not decapsulate Geneve',
  'bigtcp-ipv4-geneve-ipv4':
    'TCP inside Geneve: tcpdump prints the inner segment, the capture reader does not decapsulate Geneve',
  'geneve-vv': 'TCP inside Geneve: tcpdump prints the inner segments, the capture reader does not decapsulate Geneve',
  'geneve-tcp': 'TCP inside Geneve: tcpdump prints the inner segments, the capture reader does not decapsulate Geneve',
  'wccp_redirect_gre-nosmb':
    'TCP inside GRE (WCCP redirect): tcpdump prints the inner segment, the capture reader does not decapsulate GRE',
  'bcm-li-v':
    'TCP inside the Broadcom LI shim over UDP: tcpdump prints the inner segments, ' +
    'the capture reader does not decode them',
  'arcnet-rfc1051-arp-icmp-http-e':
    'ARCnet link type: the capture reader does not support it; the text shows the HTTP connection',
};

interface Row {
  test: string;
  pcap: string;
  out: string;
  options: string;
  /** Lines of the .out with a TCP header (MANIFEST notes). */
  tcpLines: number;
}

function manifest(): Row[] {
  const [header, ...lines] = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const cols = header!.split('\t');
  const col = (name: string): number => cols.indexOf(name);
  return lines.map((line) => {
    const f = line.split('\t');
    const tcpLines = /out_tcp_lines=(\d+)/.exec(f[col('notes')]!);
    return {
      test: f[col('test_name')]!,
      pcap: f[col('pcap_file')]!,
      out: f[col('out_file')]!,
      options: f[col('tcpdump_options')]!,
      tcpLines: tcpLines === null ? -1 : Number(tcpLines[1]),
    };
  });
}

/** Lines read as TCP header text: segments, and packets whose TCP header text says why there is none. */
function tcpLinesRead(a: Analysis): number {
  const stats = a.report.stats!;
  const reasons = stats.skipReasons;
  return (
    stats.tcpSegments +
    (reasons.get(SKIP_QUIET) ?? 0) +
    (reasons.get(SKIP_TRUNCATED) ?? 0) +
    (reasons.get(SKIP_BAD_TCP) ?? 0)
  );
}

describeCorpus('tcpdump', 'tcpdump test-suite outputs report what their captures do', () => {
  const rows = manifest();
  const captures = new Map<string, Promise<Analysis>>();
  const fromCapture = (pcap: string): Promise<Analysis> => {
    let a = captures.get(pcap);
    if (a === undefined) captures.set(pcap, (a = analyse(join(dir, pcap))));
    return a;
  };
  let compared = 0;
  let matched = 0;

  afterAll(() => {
    if (compared === 0) return;
    const textLacks = Object.keys(TEXT_LACKS).length;
    const captureLacks = Object.keys(CAPTURE_LACKS).length;
    console.log(
      `tcpdump corpus: ${matched} of ${compared} outputs give their capture's report ` +
        `(${((100 * matched) / compared).toFixed(1)}%); ` +
        `${textLacks} differ where the text lacks information, ` +
        `${captureLacks} where the capture reader does not decode the TCP`,
    );
  });

  it('lists only outputs the manifest has', () => {
    const tests = new Set(rows.map((r) => r.test));
    for (const name of [...Object.keys(TEXT_LACKS), ...Object.keys(CAPTURE_LACKS)])
      expect(tests.has(name), name).toBe(true);
  });

  for (const row of rows) {
    const lacks = TEXT_LACKS[row.test] ?? CAPTURE_LACKS[row.test];
    const title = `${row.test} (tcpdump ${row.options})${lacks === undefined ? '' : `: differs, ${lacks}`}`;
    it(title, async () => {
      const [text, capture] = await Promise.all([analyse(join(dir, row.out)), fromCapture(row.pcap)]);
      expect(text.report.error?.line()).toBeUndefined();
      expect(tcpLinesRead(text), 'TCP lines read').toBe(row.tcpLines);
      const form = textFormOf(row.options);
      const same = sameReport(text, capture, form);
      compared++;
      if (same) matched++;
      if (lacks === undefined) expectSameReport(text, capture, form);
      else expect(same, `${row.test} now gives the capture's report: take it off the list`).toBe(false);
      if (row.test in CAPTURE_LACKS) expect(capture.report.stats?.tcpSegments).toBe(0);
    });
  }
});
