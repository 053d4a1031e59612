import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { analyse } from './helpers/analyse.js';
import { corpusPath, describeCorpus, type CorpusPart } from './helpers/corpus.js';

/**
 * Runs the tool over every capture of the shared conformance corpus (tcpdump, Zeek and
 * Suricata test suites) when it is beside the checkout, as it is in CI. Each capture must
 * be analysed without an error, and every packet must be accounted for: decoded into a
 * TCP segment or skipped with a reason.
 */

/** Captures with TCP that tshark decodes and we do not, each with the reason. */
const TCP_NOT_DECODED: Record<string, string> = {
  'arcnet-rfc1051-arp-icmp-http.pcap': 'ARCnet link type (129) is not supported',
  'geneve.pcap': 'TCP inside Geneve tunnels is not decapsulated',
  'gso-ipv4-geneve-ipv6.pcap': 'TCP inside a Geneve tunnel is not decapsulated',
  'gso-ipv4-vxlan-ipv4.pcap': 'TCP inside a VXLAN tunnel is not decapsulated',
  'gso-ipv6-vxlan-ipv6.pcap': 'TCP inside a VXLAN tunnel is not decapsulated',
  'wccp_redirect_gre.pcap': 'TCP inside GRE (WCCP redirect) is not decapsulated',
  'tcp_header_heapoverflow.pcap':
    'the TCP header is cut by the snap length: counted as skipped (truncated before TCP header)',
};

/** Captures where we decode TCP that tshark does not, each with the reason. */
const TCP_EXTRA: Record<string, string> = {
  'bigtcp-ipv6.pcap':
    'IPv6 BIG TCP jumbogram without the hop-by-hop jumbo option (payload length 0): ' +
    'we take the length from the frame, tshark gives up',
};

interface ManifestRow {
  file: string;
  count: number;
}

function manifest(dir: CorpusPart, countColumn: string, fileColumn: string): ManifestRow[] {
  const [header, ...rows] = readFileSync(corpusPath(dir, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const cols = header!.split('\t');
  const fi = cols.indexOf(fileColumn);
  const ci = cols.indexOf(countColumn);
  const seen = new Map<string, number>();
  for (const r of rows) {
    const f = r.split('\t');
    seen.set(f[fi]!, Number(f[ci]));
  }
  return [...seen].map(([file, count]) => ({ file, count }));
}

for (const dir of ['zeek', 'suricata'] as const) {
  describeCorpus(dir, `shared corpus: ${dir}`, () => {
    it('has the captures its manifest lists', () => {
      const files = readdirSync(corpusPath(dir)).filter((f) => /\.pcap(ng)?$/.test(f));
      expect(files.length).toBeGreaterThan(20);
    });
    for (const { file, count } of manifest(dir, 'packets', 'file')) {
      it(`${file}: analysed, all ${count} packets accounted for`, async () => {
        const { report } = await analyse(corpusPath(dir, file));
        expect(report.error?.line()).toBeUndefined();
        const s = report.stats!;
        expect(s.packets).toBe(count);
        expect(s.tcpSegments + s.skipped).toBe(s.packets);
      });
    }
  });
}

describeCorpus('tcpdump', 'shared corpus: tcpdump', () => {
  for (const { file, count } of manifest('tcpdump', 'tcp_packets', 'pcap_file')) {
    it(`${file}: analysed, ${count} TCP packets as tshark finds`, async () => {
      const { report } = await analyse(corpusPath('tcpdump', file));
      expect(report.error?.line()).toBeUndefined();
      const s = report.stats!;
      expect(s.tcpSegments + s.skipped).toBe(s.packets);
      if (file in TCP_NOT_DECODED) expect(s.tcpSegments).toBeLessThan(count);
      else if (file in TCP_EXTRA) expect(s.tcpSegments).toBeGreaterThan(count);
      else expect(s.tcpSegments).toBe(count);
    });
  }
});
