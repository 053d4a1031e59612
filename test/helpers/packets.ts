// Builders for test packets and capture files, byte by byte, with correct checksums.
//
//   const frame = ethernet(tcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', flags: SYN, options: [mss(1460)] }));
//   const file = pcapFile([frame]);
//
// Addresses: IPv4 dotted quad or IPv6 text ('2001:db8::1'); a ':' picks IPv6.

// ---------------------------------------------------------------- checksums and addresses

/** Ones'-complement sum of big-endian 16-bit words (odd byte padded), not yet complemented. */
export function onesComplementSum(data: Buffer, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < data.length; i += 2) sum += data.readUInt16BE(i);
  if (data.length % 2 === 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return sum;
}

export function isIPv6(address: string): boolean {
  return address.includes(':');
}

export function addressBytes(address: string): Buffer {
  if (!isIPv6(address)) {
    const parts = address.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
      throw new Error(`bad IPv4 address ${address}`);
    return Buffer.from(parts);
  }
  let text = address;
  const out = Buffer.alloc(16);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    addressBytes(dotted[1]!).copy(out, 12);
    text = text.slice(0, -dotted[1]!.length) + '0:0';
  }
  const [head = '', tail] = text.split('::');
  const groups = (s: string): number[] =>
    s === ''
      ? []
      : s.split(':').map((g) => {
          if (!/^[0-9a-f]{1,4}$/i.test(g)) throw new Error(`bad IPv6 address ${address}`);
          return parseInt(g, 16);
        });
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  if (all.length !== 8) throw new Error(`bad IPv6 address ${address}`);
  all.forEach((g, i) => {
    if (!dotted || i < 6) out.writeUInt16BE(g, 2 * i);
  });
  return out;
}

// ---------------------------------------------------------------- TCP

/** TCP option bytes (unpadded; tcpSegment pads the list with EOL to a multiple of 4). */
export const nop = (): Buffer => Buffer.from([1]);
export const eol = (): Buffer => Buffer.from([0]);
export const mss = (value: number): Buffer => Buffer.from([2, 4, value >> 8, value & 0xff]);
export const wscale = (shift: number): Buffer => Buffer.from([3, 3, shift]);
export const sackOk = (): Buffer => Buffer.from([4, 2]);
export function sack(blocks: [number, number][]): Buffer {
  const out = Buffer.alloc(2 + 8 * blocks.length);
  out[0] = 5;
  out[1] = out.length;
  blocks.forEach(([left, right], i) => {
    out.writeUInt32BE(left >>> 0, 2 + 8 * i);
    out.writeUInt32BE(right >>> 0, 6 + 8 * i);
  });
  return out;
}
export function timestamps(tsval: number, tsecr: number): Buffer {
  const out = Buffer.from([8, 10, 0, 0, 0, 0, 0, 0, 0, 0]);
  out.writeUInt32BE(tsval >>> 0, 2);
  out.writeUInt32BE(tsecr >>> 0, 6);
  return out;
}
/** TCP Fast Open, kind 34 (RFC 7413); '' is a cookie request. */
export const fastOpen = (cookieHex: string): Buffer =>
  Buffer.concat([Buffer.from([34, 2 + cookieHex.length / 2]), Buffer.from(cookieHex, 'hex')]);
/** TCP Fast Open in the experimental option 254 with ExID 0xF989. */
export const fastOpenExperimental = (cookieHex: string): Buffer =>
  Buffer.concat([Buffer.from([254, 4 + cookieHex.length / 2, 0xf9, 0x89]), Buffer.from(cookieHex, 'hex')]);
/** Any option: kind, length byte = 2 + data length. */
export const tcpOption = (kind: number, data: Buffer = Buffer.alloc(0)): Buffer =>
  Buffer.concat([Buffer.from([kind, 2 + data.length]), data]);

export interface TcpSpec {
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  /** Bitmask of the constants in src/segment.ts (AE included). */
  flags?: number;
  win?: number;
  urp?: number;
  /** Option bytes, e.g. [mss(1460), nop(), wscale(7)], or one raw Buffer. */
  options?: Buffer[] | Buffer;
  /** Payload bytes; or payloadLen zero-ish bytes. */
  payload?: Buffer;
  payloadLen?: number;
  /** Data offset in 32-bit words, to build broken headers (default: from the options). */
  dataOffset?: number;
  /** Store a wrong checksum. */
  badChecksum?: boolean;
}

/** A TCP header and payload, its checksum computed over the pseudo-header of src → dst. */
export function tcpSegment(spec: TcpSpec = {}): Buffer {
  const src = spec.src ?? '10.0.0.1';
  const dst = spec.dst ?? '10.0.0.2';
  const rawOptions = Buffer.isBuffer(spec.options) ? spec.options : Buffer.concat(spec.options ?? []);
  const options = Buffer.concat([rawOptions, Buffer.alloc((4 - (rawOptions.length % 4)) % 4)]);
  const payload = spec.payload ?? Buffer.alloc(spec.payloadLen ?? 0, 0x61);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(spec.sport ?? 40000, 0);
  header.writeUInt16BE(spec.dport ?? 80, 2);
  header.writeUInt32BE((spec.seq ?? 1000) >>> 0, 4);
  header.writeUInt32BE((spec.ack ?? 0) >>> 0, 8);
  const dataOffset = spec.dataOffset ?? 5 + options.length / 4;
  const flags = spec.flags ?? 0x010;
  header.writeUInt16BE(((dataOffset & 0xf) << 12) | (flags & 0xfff), 12);
  header.writeUInt16BE(spec.win ?? 65535, 14);
  header.writeUInt16BE(spec.urp ?? 0, 18);
  const segment = Buffer.concat([header, options, payload]);
  const sum = onesComplementSum(segment, pseudoHeaderSum(src, dst, 6, segment.length));
  segment.writeUInt16BE((0xffff - sum) ^ (spec.badChecksum ? 0x5555 : 0), 16);
  return segment;
}

export function pseudoHeaderSum(src: string, dst: string, protocol: number, length: number): number {
  const addresses = Buffer.concat([addressBytes(src), addressBytes(dst)]);
  return onesComplementSum(addresses, protocol + (length & 0xffff) + Math.floor(length / 65536));
}

// ---------------------------------------------------------------- IP

export interface IPv4Spec {
  src?: string;
  dst?: string;
  protocol?: number;
  ttl?: number;
  id?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** In 8-byte units. */
  fragmentOffset?: number;
  /** Option bytes, padded to a multiple of 4 with zeros (EOL). */
  options?: Buffer;
  /** Override the total length field (default: header + payload). */
  totalLength?: number;
  version?: number;
}

/**
 * Like a real stack, every crafted datagram gets the next Identification unless one is given
 * (a repeated ID marks a capture duplicate).
 */
let nextIpId = 1;

export function ipv4(spec: IPv4Spec, payload: Buffer): Buffer {
  const options = spec.options ?? Buffer.alloc(0);
  const padded = Buffer.concat([options, Buffer.alloc((4 - (options.length % 4)) % 4)]);
  const header = Buffer.alloc(20 + padded.length);
  header[0] = ((spec.version ?? 4) << 4) | (header.length / 4);
  header.writeUInt16BE(spec.totalLength ?? header.length + payload.length, 2);
  header.writeUInt16BE(spec.id ?? (nextIpId++ & 0xffff || nextIpId++), 4);
  header.writeUInt16BE(
    (spec.dontFragment ? 0x4000 : 0) | (spec.moreFragments ? 0x2000 : 0) | (spec.fragmentOffset ?? 0),
    6,
  );
  header[8] = spec.ttl ?? 64;
  header[9] = spec.protocol ?? 6;
  addressBytes(spec.src ?? '10.0.0.1').copy(header, 12);
  addressBytes(spec.dst ?? '10.0.0.2').copy(header, 16);
  padded.copy(header, 20);
  header.writeUInt16BE(0xffff - onesComplementSum(header), 10);
  return Buffer.concat([header, payload]);
}

/** One IPv6 extension header: its type (the Next Header value naming it) and its bytes after the first two. */
export interface IPv6Extension {
  type: number;
  body: Buffer;
}

/** Hop-by-hop options (type 0); the option bytes are padded with Pad1 to fill 8-byte units. */
export const hopByHop = (options: Buffer = Buffer.alloc(0)): IPv6Extension => ({
  type: 0,
  body: padExtension(options, 8),
});
export const destinationOptions = (options: Buffer = Buffer.alloc(0)): IPv6Extension => ({
  type: 60,
  body: padExtension(options, 8),
});
/** Jumbo Payload option (RFC 2675) for hopByHop(). */
export function jumboPayloadOption(length: number): Buffer {
  const out = Buffer.from([0xc2, 4, 0, 0, 0, 0]);
  out.writeUInt32BE(length, 2);
  return out;
}
/** Home Address option (RFC 6275 §6.3) for destinationOptions(). */
export const homeAddressOption = (address: string): Buffer =>
  Buffer.concat([Buffer.from([0xc9, 16]), addressBytes(address)]);
/** Routing header (type 43) of the given routing type listing addresses (types 0, 2, 4). */
export function routing(routingType: number, segmentsLeft: number, addresses: string[]): IPv6Extension {
  const body = Buffer.alloc(6 + 16 * addresses.length);
  body[0] = routingType;
  body[1] = segmentsLeft;
  if (routingType === 4) body[2] = addresses.length - 1; // SRH: last entry
  addresses.forEach((a, i) => addressBytes(a).copy(body, 6 + 16 * i));
  return { type: 43, body };
}
/** Fragment header (type 44): offset in 8-byte units, M flag. */
export function fragment(offset: number, more: boolean, id = 0x1234): IPv6Extension {
  const body = Buffer.alloc(6);
  body.writeUInt16BE((offset << 3) | (more ? 1 : 0), 0);
  body.writeUInt32BE(id, 2);
  return { type: 44, body };
}
/** Authentication header (type 51, RFC 4302) with an ICV of icvBytes (12 + icvBytes must be a multiple of 8). */
export function authentication(icvBytes = 12): IPv6Extension {
  return { type: 51, body: Buffer.alloc(10 + icvBytes) };
}

function padExtension(options: Buffer, unit: number): Buffer {
  const total = 2 + options.length;
  return Buffer.concat([options, Buffer.alloc((unit - (total % unit)) % unit)]);
}

export interface IPv6Spec {
  src?: string;
  dst?: string;
  /** Upper-layer protocol after the extension headers (default TCP). */
  protocol?: number;
  hopLimit?: number;
  extensions?: IPv6Extension[];
  /** Override the payload length field (default: extensions + payload). */
  payloadLength?: number;
  version?: number;
}

export function ipv6(spec: IPv6Spec, payload: Buffer): Buffer {
  const extensions = spec.extensions ?? [];
  const protocol = spec.protocol ?? 6;
  const parts: Buffer[] = [];
  extensions.forEach((ext, i) => {
    const next = i + 1 < extensions.length ? extensions[i + 1]!.type : protocol;
    const total = 2 + ext.body.length;
    const lengthByte = ext.type === 51 ? total / 4 - 2 : total / 8 - 1;
    if (ext.type !== 44 && !Number.isInteger(lengthByte))
      throw new Error(`extension header of ${total} bytes is not a whole number of units`);
    parts.push(Buffer.concat([Buffer.from([next, ext.type === 44 ? 0 : lengthByte]), ext.body]));
  });
  const body = Buffer.concat([...parts, payload]);
  const header = Buffer.alloc(40);
  header.writeUInt32BE(((spec.version ?? 6) << 28) >>> 0, 0);
  header.writeUInt16BE(spec.payloadLength ?? (body.length > 0xffff ? 0 : body.length), 4);
  header[6] = extensions[0]?.type ?? protocol;
  header[7] = spec.hopLimit ?? 64;
  addressBytes(spec.src ?? '2001:db8::1').copy(header, 8);
  addressBytes(spec.dst ?? '2001:db8::2').copy(header, 24);
  return Buffer.concat([header, body]);
}

/**
 * An IP datagram carrying one TCP segment: IPv4 or IPv6 by the address form (defaults
 * 10.0.0.1 → 10.0.0.2). `ip` adds IPv4 fields or IPv6 extension headers.
 */
export function tcpPacket(
  spec: TcpSpec & { ip?: Omit<IPv4Spec, 'src' | 'dst'> & Omit<IPv6Spec, 'src' | 'dst'> } = {},
): Buffer {
  const src = spec.src ?? (spec.dst !== undefined && isIPv6(spec.dst) ? '2001:db8::1' : '10.0.0.1');
  const dst = spec.dst ?? (isIPv6(src) ? '2001:db8::2' : '10.0.0.2');
  const segment = tcpSegment({ ...spec, src, dst });
  return isIPv6(src) ? ipv6({ ...spec.ip, src, dst }, segment) : ipv4({ ...spec.ip, src, dst }, segment);
}

// ---------------------------------------------------------------- link layers

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;

export interface EthernetSpec {
  /** EtherType of the payload (default: from the IP version nibble). */
  type?: number;
  /** VLAN tags, outermost first: [TPID, VLAN id] pairs, e.g. [[0x88a8, 100], [0x8100, 20]]. */
  vlans?: [number, number][];
  src?: string;
  dst?: string;
}

export function etherTypeOf(datagram: Buffer): number {
  return datagram[0]! >> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
}

/** An Ethernet II frame (no FCS). */
export function ethernet(payload: Buffer, spec: EthernetSpec = {}): Buffer {
  const macs = Buffer.from(
    (spec.dst ?? '02:00:00:00:00:02')
      .split(':')
      .concat((spec.src ?? '02:00:00:00:00:01').split(':'))
      .join(''),
    'hex',
  );
  const tags = (spec.vlans ?? []).map(([tpid, vid]) => {
    const tag = Buffer.alloc(4);
    tag.writeUInt16BE(tpid, 0);
    tag.writeUInt16BE(vid & 0x0fff, 2);
    return tag;
  });
  const type = Buffer.alloc(2);
  type.writeUInt16BE(spec.type ?? etherTypeOf(payload), 0);
  return Buffer.concat([macs, ...tags, type, payload]);
}

/** Linux cooked capture v1 (link type 113). */
export function linuxSll(payload: Buffer, protocol = etherTypeOf(payload)): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt16BE(0, 0); // packet to us
  header.writeUInt16BE(1, 2); // ARPHRD_ETHER
  header.writeUInt16BE(6, 4);
  Buffer.from('020000000001', 'hex').copy(header, 6);
  header.writeUInt16BE(protocol, 14);
  return Buffer.concat([header, payload]);
}

/** Linux cooked capture v2 (link type 276). */
export function linuxSll2(payload: Buffer, protocol = etherTypeOf(payload)): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(protocol, 0);
  header.writeUInt32BE(2, 4); // interface index
  header.writeUInt16BE(1, 8); // ARPHRD_ETHER
  header[10] = 4; // outgoing
  header[11] = 6;
  Buffer.from('020000000001', 'hex').copy(header, 12);
  return Buffer.concat([header, payload]);
}

/** BSD loopback (link type 0): address family in the capturing host's byte order. */
export function bsdNull(payload: Buffer, family: number, bigEndian = false): Buffer {
  const header = Buffer.alloc(4);
  if (bigEndian) header.writeUInt32BE(family, 0);
  else header.writeUInt32LE(family, 0);
  return Buffer.concat([header, payload]);
}

/** OpenBSD loopback (link type 108): address family in network byte order. */
export const bsdLoop = (payload: Buffer, family: number): Buffer => bsdNull(payload, family, true);

// ---------------------------------------------------------------- classic pcap files

export interface PcapRecord {
  data: Buffer;
  sec?: number;
  /** Microseconds, or nanoseconds in a nano file. */
  frac?: number;
  /** Length on the wire (default: data length). */
  origLen?: number;
}

export interface PcapOptions {
  linkType?: number;
  nano?: boolean;
  bigEndian?: boolean;
  /** Written in the header; records longer than it are cut (origLen keeps the full length). */
  snaplen?: number;
}

/** Default packet times: 1700000000 s + i·1000 µs (or ns). */
export const BASE_SECONDS = 1_700_000_000;

export function pcapFile(records: (Buffer | PcapRecord)[], options: PcapOptions = {}): Buffer {
  const be = options.bigEndian ?? false;
  const u16 = (b: Buffer, v: number, at: number): number => (be ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  const u32 = (b: Buffer, v: number, at: number): number =>
    be ? b.writeUInt32BE(v >>> 0, at) : b.writeUInt32LE(v >>> 0, at);
  const header = Buffer.alloc(24);
  u32(header, options.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  u16(header, 2, 4);
  u16(header, 4, 6);
  u32(header, options.snaplen ?? 262144, 16);
  u32(header, options.linkType ?? 1, 20);
  const parts: Buffer[] = [header];
  records.forEach((r, i) => {
    const record = Buffer.isBuffer(r) ? { data: r } : r;
    const data = options.snaplen !== undefined ? record.data.subarray(0, options.snaplen) : record.data;
    const h = Buffer.alloc(16);
    u32(h, record.sec ?? BASE_SECONDS, 0);
    u32(h, record.frac ?? i * 1000, 4);
    u32(h, data.length, 8);
    u32(h, record.origLen ?? record.data.length, 12);
    parts.push(h, data);
  });
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- pcapng files

export interface PcapngOption {
  code: number;
  value: Buffer;
}

export type PcapngBlock =
  | { type: 'idb'; linkType?: number; snaplen?: number; tsresol?: number; tsoffset?: bigint; options?: PcapngOption[] }
  /** Enhanced packet block; ticks in the interface's resolution (default 10^-6 s). */
  | { type: 'epb'; data: Buffer; interfaceId?: number; ticks?: bigint; origLen?: number }
  | { type: 'spb'; data: Buffer; origLen?: number }
  /** Obsolete packet block (type 2). */
  | { type: 'opb'; data: Buffer; interfaceId?: number; ticks?: bigint; origLen?: number }
  | { type: 'isb'; interfaceId?: number; ifDrop?: bigint; osDrop?: bigint }
  /** Any block: its type and body (padded to 4). */
  | { type: 'raw'; blockType: number; body: Buffer };

export interface PcapngSection {
  bigEndian?: boolean;
  blocks: PcapngBlock[];
}

/** Default packet time in ticks of 10^-6 s: BASE_SECONDS. */
export const BASE_MICROS = BigInt(BASE_SECONDS) * 1_000_000n;

export function pcapngFile(sections: PcapngSection[]): Buffer {
  return Buffer.concat(sections.flatMap((section) => sectionBlocks(section)));
}

/** A one-interface pcapng file of these frames, 1 ms apart. */
export function pcapngPackets(frames: Buffer[], linkType = 1): Buffer {
  return pcapngFile([
    {
      blocks: [
        { type: 'idb', linkType },
        ...frames.map((data, i): PcapngBlock => ({ type: 'epb', data, ticks: BASE_MICROS + BigInt(i * 1000) })),
      ],
    },
  ]);
}

function sectionBlocks(section: PcapngSection): Buffer[] {
  const be = section.bigEndian ?? false;
  const u16 = (v: number): Buffer => {
    const b = Buffer.alloc(2);
    if (be) b.writeUInt16BE(v);
    else b.writeUInt16LE(v);
    return b;
  };
  const u32 = (v: number): Buffer => {
    const b = Buffer.alloc(4);
    if (be) b.writeUInt32BE(v >>> 0);
    else b.writeUInt32LE(v >>> 0);
    return b;
  };
  const u64 = (v: bigint): Buffer => {
    const b = Buffer.alloc(8);
    if (be) b.writeBigUInt64BE(BigInt.asUintN(64, v));
    else b.writeBigUInt64LE(BigInt.asUintN(64, v));
    return b;
  };
  const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const options = (list: PcapngOption[]): Buffer =>
    list.length === 0
      ? Buffer.alloc(0)
      : Buffer.concat([...list.flatMap((o) => [u16(o.code), u16(o.value.length), pad(o.value)]), u16(0), u16(0)]);
  const block = (type: number, body: Buffer): Buffer => {
    const padded = pad(body);
    return Buffer.concat([u32(type), u32(12 + padded.length), padded, u32(12 + padded.length)]);
  };
  const ticks = (t: bigint): Buffer => Buffer.concat([u32(Number(t >> 32n)), u32(Number(t & 0xffffffffn))]);

  const shb = block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1), u16(0), u64(-1n)]));
  return [
    shb,
    ...section.blocks.map((b, i) => {
      switch (b.type) {
        case 'idb': {
          const opts = [...(b.options ?? [])];
          if (b.tsresol !== undefined) opts.push({ code: 9, value: Buffer.from([b.tsresol]) });
          if (b.tsoffset !== undefined) opts.push({ code: 14, value: u64(b.tsoffset) });
          return block(1, Buffer.concat([u16(b.linkType ?? 1), u16(0), u32(b.snaplen ?? 262144), options(opts)]));
        }
        case 'epb':
          return block(
            6,
            Buffer.concat([
              u32(b.interfaceId ?? 0),
              ticks(b.ticks ?? BASE_MICROS + BigInt(i * 1000)),
              u32(b.data.length),
              u32(b.origLen ?? b.data.length),
              pad(b.data),
            ]),
          );
        case 'opb':
          return block(
            2,
            Buffer.concat([
              u16(b.interfaceId ?? 0),
              u16(0),
              ticks(b.ticks ?? BASE_MICROS + BigInt(i * 1000)),
              u32(b.data.length),
              u32(b.origLen ?? b.data.length),
              pad(b.data),
            ]),
          );
        case 'spb':
          return block(3, Buffer.concat([u32(b.origLen ?? b.data.length), pad(b.data)]));
        case 'isb': {
          const opts: PcapngOption[] = [];
          if (b.ifDrop !== undefined) opts.push({ code: 5, value: u64(b.ifDrop) });
          if (b.osDrop !== undefined) opts.push({ code: 7, value: u64(b.osDrop) });
          return block(5, Buffer.concat([u32(b.interfaceId ?? 0), ticks(BASE_MICROS), options(opts)]));
        }
        case 'raw':
          return block(b.blockType, b.body);
      }
    }),
  ];
}
