// Telling the input format from its first bytes.

export type SniffedFormat = 'pcap' | 'pcapng' | 'text' | 'unknown';

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
const PCAPNG_MAGIC = 0x0a0d0d0a;
/** How many leading bytes the text test looks at. */
const TEXT_PROBE_BYTES = 512;

/**
 * pcap (µs or ns magic, either byte order), pcapng (section header block type), printable
 * text (tcpdump output: ASCII or UTF-8 with tabs and line ends), or unknown. Needs at least
 * 4 bytes to recognise a capture; an empty buffer counts as (empty) text.
 */
export function sniffFormat(head: Buffer): SniffedFormat {
  if (head.length >= 4) {
    const magic = head.readUInt32BE(0);
    if (PCAP_MAGICS.has(magic)) return 'pcap';
    if (magic === PCAPNG_MAGIC) return 'pcapng';
  }
  if (describeUnsupported(head) !== undefined) return 'unknown';
  const end = Math.min(head.length, TEXT_PROBE_BYTES);
  for (let i = 0; i < end; i++) {
    const b = head[i]!;
    // Control characters other than tab, line feed, form feed and carriage return mean binary.
    if (b < 0x20 ? b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d : b === 0x7f) return 'unknown';
  }
  return 'text';
}

interface KnownFormat {
  magic: Buffer;
  message: string;
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const decompress = (tool: string): string => `decompress it first (e.g. \`${tool} FILE | tcptrace-explain -\`)`;
const convert = 'convert it with `editcap -F pcapng FILE out.pcapng` (from Wireshark)';

/** Formats we recognise but do not read, with what to do about them. */
const UNSUPPORTED: KnownFormat[] = [
  { magic: hex('1f8b'), message: `gzip-compressed data: ${decompress('zcat')}` },
  { magic: hex('425a68'), message: `bzip2-compressed data: ${decompress('bzcat')}` },
  { magic: hex('fd377a585a00'), message: `xz-compressed data: ${decompress('xzcat')}` },
  { magic: hex('28b52ffd'), message: `zstd-compressed data: ${decompress('zstdcat')}` },
  { magic: hex('04224d18'), message: `lz4-compressed data: ${decompress('lz4cat')}` },
  { magic: hex('504b0304'), message: 'a zip archive: extract the capture first' },
  { magic: hex('736e6f6f7000'), message: `a Solaris snoop capture: ${convert}` },
  { magic: hex('a1b2cd34'), message: `a modified (Kuznetzov) pcap capture: ${convert}` },
  { magic: hex('34cdb2a1'), message: `a modified (Kuznetzov) pcap capture: ${convert}` },
  { magic: hex('474d4255'), message: `a Microsoft Network Monitor 2.x capture: ${convert}` },
  { magic: hex('52545353'), message: `a Microsoft Network Monitor 1.x capture: ${convert}` },
  { magic: hex('69707472616365'), message: `an AIX iptrace capture: ${convert}` },
  { magic: hex('5452534e49464620646174612020202020201a'), message: `a Sniffer capture: ${convert}` },
  { magic: hex('58435000'), message: `a NetXRay / Sniffer capture: ${convert}` },
];

/** What the input is when it is a format we know but do not read, with a remedy; else undefined. */
export function describeUnsupported(head: Buffer): string | undefined {
  for (const known of UNSUPPORTED) {
    if (head.length >= known.magic.length && head.subarray(0, known.magic.length).equals(known.magic))
      return known.message;
  }
  return undefined;
}
