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
const ETHERTYPE_MPLS = 0x8847;
const ETHERTYPE_MPLS_MULTICAST = 0x8848;
const ETHERTYPE_PPPOE_SESSION = 0x8864;
/** EtherType values up to this one are IEEE 802.3 length fields. */
const ETHER_MAX_LENGTH = 1500;

/**
 * The payload at `payload` has EtherType `type`: follows VLAN tags (any number, each a
 * 2-byte TCI and the next EtherType), MPLS label stacks and PPPoE sessions down to IP.
 */
function fromEtherType(buf: Buffer, type: number, payload: number, end: number, out: LinkResult): number {
  for (;;) {
    switch (type) {
      case ETHERTYPE_IPV4:
        out.start = payload;
        return NET_IPV4;
      case ETHERTYPE_IPV6:
        out.start = payload;
        return NET_IPV6;
      case ETHERTYPE_VLAN:
      case ETHERTYPE_QINQ:
      case ETHERTYPE_QINQ_OLD:
        if (end - payload < 4) return NET_TRUNCATED;
        type = u16(buf, payload + 2);
        payload += 4;
        continue;
      case ETHERTYPE_MPLS:
      case ETHERTYPE_MPLS_MULTICAST:
        return afterMplsLabels(buf, payload, end, out);
      case ETHERTYPE_PPPOE_SESSION:
        // RFC 2516 §4: version/type, code, session id, length; then the PPP protocol.
        return fromPppProtocol(buf, payload + 6, end, out);
      default:
        return NET_OTHER;
    }
  }
}

/** MPLS (RFC 3032): 4-byte labels until the bottom-of-stack bit; then IP, told by its version nibble. */
function afterMplsLabels(buf: Buffer, at: number, end: number, out: LinkResult): number {
  for (;;) {
    if (end - at < 4) return NET_TRUNCATED;
    const bottom = (buf[at + 2]! & 1) !== 0;
    at += 4;
    if (bottom) break;
  }
  if (end - at < 1) return NET_TRUNCATED;
  out.start = at;
  const version = buf[at]! >> 4;
  // Anything else is a pseudowire (Ethernet over MPLS, ...): not decoded.
  return version === 4 ? NET_IPV4 : version === 6 ? NET_IPV6 : NET_OTHER;
}

const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const PPP_MPLS = 0x0281;
const PPP_MPLS_MULTICAST = 0x0283;

/** The PPP protocol field at `at` (RFC 1661 §2; 1 byte when compressed: its low bit is set). */
function fromPppProtocol(buf: Buffer, at: number, end: number, out: LinkResult): number {
  if (end - at < 1) return NET_TRUNCATED;
  let protocol = buf[at]!;
  let payload = at + 1;
  if ((protocol & 1) === 0) {
    if (end - at < 2) return NET_TRUNCATED;
    protocol = u16(buf, at);
    payload = at + 2;
  }
  switch (protocol) {
    case PPP_IPV4:
      out.start = payload;
      return NET_IPV4;
    case PPP_IPV6:
      out.start = payload;
      return NET_IPV6;
    case PPP_MPLS:
    case PPP_MPLS_MULTICAST:
      return afterMplsLabels(buf, payload, end, out);
    default:
      return NET_OTHER;
  }
}

/**
 * DLT_EN10MB: destination, source, EtherType. A value ≤ 1500 is an 802.3 length: the
 * frame carries 802.2 LLC, and with a SNAP header (AA AA 03, OUI) an EtherType after all.
 */
const ethernet: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 14) return NET_TRUNCATED;
  const type = u16(buf, off + 12);
  if (type > ETHER_MAX_LENGTH) return fromEtherType(buf, type, off + 14, end, out);
  if (end - off < 22) return NET_TRUNCATED;
  if (buf[off + 14] !== 0xaa || buf[off + 15] !== 0xaa || buf[off + 16] !== 0x03) return NET_OTHER;
  return fromEtherType(buf, u16(buf, off + 20), off + 22, end, out);
};

/** Linux cooked v1 (LINKTYPE_LINUX_SLL): 16 bytes, protocol (an EtherType) in the last 2. */
const linuxSll: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 16) return NET_TRUNCATED;
  return fromEtherType(buf, u16(buf, off + 14), off + 16, end, out);
};

/** Linux cooked v2 (LINKTYPE_LINUX_SLL2, `tcpdump -i any`): 20 bytes, protocol first. */
const linuxSll2: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 20) return NET_TRUNCATED;
  return fromEtherType(buf, u16(buf, off), off + 20, end, out);
};

/** LINKTYPE_PPP and LINKTYPE_PPP_HDLC: an optional HDLC address/control pair FF 03, then the protocol. */
const ppp: LinkDecoder = (buf, off, end, out) => {
  if (end - off >= 2 && buf[off] === 0xff && buf[off + 1] === 0x03) off += 2;
  return fromPppProtocol(buf, off, end, out);
};

/** LINKTYPE_PPP_ETHER: a PPPoE session header, then PPP. */
const pppoe: LinkDecoder = (buf, off, end, out) => fromPppProtocol(buf, off + 6, end, out);

/** LINKTYPE_C_HDLC: address, control, then an EtherType. */
const ciscoHdlc: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 4) return NET_TRUNCATED;
  return fromEtherType(buf, u16(buf, off + 2), off + 4, end, out);
};

/** LINKTYPE_IPOIB (Linux IP over InfiniBand): a 40-byte pseudo-header of addresses, EtherType, 2 reserved bytes. */
const ipOverInfiniband: LinkDecoder = (buf, off, end, out) => {
  if (end - off < 44) return NET_TRUNCATED;
  return fromEtherType(buf, u16(buf, off + 40), off + 44, end, out);
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
  [9, { name: 'PPP', decode: ppp }],
  [50, { name: 'PPP in HDLC framing', decode: ppp }],
  [51, { name: 'PPPoE', decode: pppoe }],
  [104, { name: 'Cisco HDLC', decode: ciscoHdlc }],
  [242, { name: 'IP over InfiniBand', decode: ipOverInfiniband }],
  // Named only, for the "not supported" warning:
  [6, { name: 'IEEE 802.5 Token Ring', decode: undefined }],
  [7, { name: 'ARCNET', decode: undefined }],
  [10, { name: 'FDDI', decode: undefined }],
  [105, { name: 'IEEE 802.11', decode: undefined }],
  [119, { name: 'IEEE 802.11 Prism', decode: undefined }],
  [127, { name: 'IEEE 802.11 radiotap', decode: undefined }],
  [129, { name: 'ARCNET (Linux)', decode: undefined }],
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
