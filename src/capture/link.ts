import { u16, u32 } from './bytes.js';

// Link layers: each decoder finds where the network layer starts and which protocol it is.
// Link-type numbers: https://www.tcpdump.org/linktypes.html

export const NET_IPV4 = 4;
export const NET_IPV6 = 6;
/** A protocol other than IP (ARP, LLDP, ...). */
export const NET_OTHER = 0;
/** The captured bytes end inside the link header. */
export const NET_TRUNCATED = -1;
/** Raw-IP link whose first nibble is neither 4 nor 6. */
export const NET_BAD_IP = -2;

/** Where the decoder puts the network layer's offset in the buffer. */
export interface LinkResult {
  start: number;
}

/** Decodes the link header of buf[off, end); returns one of the NET_ values. */
export type LinkDecoder = (buf: Buffer, off: number, end: number, out: LinkResult) => number;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // IEEE 802.1Q
const ETHERTYPE_QINQ = 0x88a8; // IEEE 802.1ad
const ETHERTYPE_QINQ_OLD = 0x9100; // pre-802.1ad stacked VLAN

function fromEtherType(type: number): number {
  return type === ETHERTYPE_IPV4 ? NET_IPV4 : type === ETHERTYPE_IPV6 ? NET_IPV6 : NET_OTHER;
}

/** Follows the EtherType at `at` through any number of VLAN tags (4 bytes each: TPID + TCI). */
function afterVlanTags(buf: Buffer, at: number, end: number, out: LinkResult): number {
  for (;;) {
    if (end - at < 2) return NET_TRUNCATED;
    const type = u16(buf, at);
    if (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
      at += 4;
      continue;
    }
    out.start = at + 2;
    return fromEtherType(type);
  }
}

/** DLT_EN10MB: destination, source, EtherType (values ≤ 1500 are 802.3 lengths: not IP). */
const ethernet: LinkDecoder = (buf, off, end, out) => afterVlanTags(buf, off + 12, end, out);

/** Linux cooked v1 (LINKTYPE_LINUX_SLL): 16 bytes, protocol (an EtherType) in the last 2. */
const linuxSll: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 16) return NET_TRUNCATED;
  return afterVlanTags(buf, off + 14, end, out);
};

/** Linux cooked v2 (LINKTYPE_LINUX_SLL2, `tcpdump -i any`): 20 bytes, protocol first. */
const linuxSll2: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 20) return NET_TRUNCATED;
  const type = u16(buf, off);
  out.start = off + 20;
  return fromEtherType(type);
};

/** AF_INET6 differs between BSDs: 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS. */
function fromAddressFamily(family: number): number {
  if (family === 2) return NET_IPV4;
  return family === 24 || family === 28 || family === 30 ? NET_IPV6 : NET_OTHER;
}

/** DLT_NULL: 4-byte address family in the byte order of the capturing host, so either order. */
const bsdNull: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 4) return NET_TRUNCATED;
  let family = u32(buf, off);
  // Families are small numbers: if the high half is set, the value was little-endian.
  if (family > 0xffff) family = buf.readUInt32LE(off);
  out.start = off + 4;
  return fromAddressFamily(family);
};

/** DLT_LOOP (OpenBSD): like DLT_NULL but always in network byte order. */
const bsdLoop: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 4) return NET_TRUNCATED;
  out.start = off + 4;
  return fromAddressFamily(u32(buf, off));
};

/** Raw IP: the version nibble tells IPv4 from IPv6. */
const rawIp: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 1) return NET_TRUNCATED;
  out.start = off;
  const version = buf[off]! >> 4;
  return version === 4 ? NET_IPV4 : version === 6 ? NET_IPV6 : NET_BAD_IP;
};

const rawIpv4: LinkDecoder = (_buf, off, _end, out) => {
  out.start = off;
  return NET_IPV4;
};

const rawIpv6: LinkDecoder = (_buf, off, _end, out) => {
  out.start = off;
  return NET_IPV6;
};

export interface LinkType {
  name: string;
  decode: LinkDecoder | undefined;
}

/** Link types we decode, and the names of common ones we do not (for the warning). */
const LINK_TYPES = new Map<number, LinkType>([
  [0, { name: 'BSD loopback', decode: bsdNull }],
  [1, { name: 'Ethernet', decode: ethernet }],
  [12, { name: 'raw IP', decode: rawIp }],
  [14, { name: 'raw IP', decode: rawIp }],
  [101, { name: 'raw IP', decode: rawIp }],
  [108, { name: 'OpenBSD loopback', decode: bsdLoop }],
  [113, { name: 'Linux cooked', decode: linuxSll }],
  [228, { name: 'raw IPv4', decode: rawIpv4 }],
  [229, { name: 'raw IPv6', decode: rawIpv6 }],
  [276, { name: 'Linux cooked v2', decode: linuxSll2 }],
  [6, { name: 'IEEE 802.5 Token Ring', decode: undefined }],
  [9, { name: 'PPP', decode: undefined }],
  [10, { name: 'FDDI', decode: undefined }],
  [50, { name: 'PPP in HDLC framing', decode: undefined }],
  [51, { name: 'PPPoE', decode: undefined }],
  [104, { name: 'Cisco HDLC', decode: undefined }],
  [105, { name: 'IEEE 802.11', decode: undefined }],
  [119, { name: 'IEEE 802.11 Prism', decode: undefined }],
  [127, { name: 'IEEE 802.11 radiotap', decode: undefined }],
  [163, { name: 'IEEE 802.11 AVS', decode: undefined }],
  [192, { name: 'PPI', decode: undefined }],
  [195, { name: 'IEEE 802.15.4', decode: undefined }],
  [197, { name: 'Endace ERF', decode: undefined }],
  [201, { name: 'Bluetooth HCI', decode: undefined }],
  [220, { name: 'USB Linux', decode: undefined }],
  [239, { name: 'Linux netfilter NFLOG', decode: undefined }],
  [249, { name: 'USBPcap', decode: undefined }],
  [253, { name: 'Linux netlink', decode: undefined }],
]);

export function linkType(type: number): LinkType | undefined {
  return LINK_TYPES.get(type);
}

/** "link type 127 (IEEE 802.11 radiotap)", or "link type 300" when we know no name. */
export function describeLinkType(type: number): string {
  const known = LINK_TYPES.get(type);
  return known === undefined ? `link type ${type}` : `link type ${type} (${known.name})`;
}
