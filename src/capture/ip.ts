import type { AddressCache } from './address.js';
import { u16, u32 } from './bytes.js';
import { SKIP_BAD_IP, SKIP_IPV4_FRAGMENT, SKIP_IPV6_FRAGMENT, SKIP_NOT_TCP, SKIP_TRUNCATED } from './skip.js';

const PROTO_TCP = 6;

/** What the IP layer tells the TCP decoder; one instance is reused for every packet. */
export interface NetworkLayer {
  src: string;
  dst: string;
  /** Offset of the TCP header in the buffer. */
  tcpStart: number;
  /** Bytes from the TCP header to the end of the IP datagram, from the IP length fields. */
  tcpLength: number;
  /** Offset just past the captured bytes. */
  capturedEnd: number;
  /** First fragment of a fragmented datagram: the TCP segment continues in later fragments. */
  fragment: boolean;
  /** Sum of the 16-bit words of the pseudo-header addresses; -1 when the checksum cannot be checked. */
  addressSum: number;
}

export function newNetworkLayer(): NetworkLayer {
  return { src: '', dst: '', tcpStart: 0, tcpLength: 0, capturedEnd: 0, fragment: false, addressSum: 0 };
}

/**
 * IPv4 (RFC 791) at buf[off]; bytes are captured up to capturedEnd, the frame on the wire
 * ends at wireEnd. Returns null with `out` filled for TCP, else the skip reason.
 */
export function decodeIPv4(buf: Buffer, off: number, capturedEnd: number, wireEnd: number, out: NetworkLayer, addresses: AddressCache): string | null {
  if (capturedEnd - off < 20) return SKIP_TRUNCATED;
  const versionAndLength = buf[off]!;
  if (versionAndLength >> 4 !== 4) return SKIP_BAD_IP;
  const headerLength = (versionAndLength & 0x0f) * 4;
  if (headerLength < 20) return SKIP_BAD_IP;
  let totalLength = u16(buf, off + 2);
  // 0 is what a host capturing its own TSO/GSO super-packets (or BIG TCP) may record: use the frame's length.
  if (totalLength === 0) totalLength = wireEnd - off;
  if (totalLength < headerLength) return SKIP_BAD_IP;
  if (capturedEnd - off < headerLength) return SKIP_TRUNCATED;
  const fragment = u16(buf, off + 6);
  if ((fragment & 0x1fff) !== 0) return SKIP_IPV4_FRAGMENT;
  if (buf[off + 9] !== PROTO_TCP) return SKIP_NOT_TCP;
  out.src = addresses.ipv4(buf, off + 12);
  out.dst = addresses.ipv4(buf, off + 16);
  out.tcpStart = off + headerLength;
  out.tcpLength = totalLength - headerLength;
  out.capturedEnd = capturedEnd;
  out.fragment = (fragment & 0x2000) !== 0;
  out.addressSum = u16(buf, off + 12) + u16(buf, off + 14) + u16(buf, off + 16) + u16(buf, off + 18);
  return null;
}

const EXT_HOP_BY_HOP = 0;
const EXT_ROUTING = 43;
const EXT_FRAGMENT = 44;
const EXT_AUTHENTICATION = 51;
const EXT_DESTINATION = 60;
const OPT_JUMBO_PAYLOAD = 0xc2;

/** IPv6 (RFC 8200) at buf[off], walking the extension-header chain (§4) up to TCP. */
export function decodeIPv6(buf: Buffer, off: number, capturedEnd: number, wireEnd: number, out: NetworkLayer, addresses: AddressCache): string | null {
  if (capturedEnd - off < 40) return SKIP_TRUNCATED;
  if (buf[off]! >> 4 !== 6) return SKIP_BAD_IP;
  const payloadLength = u16(buf, off + 4);
  let jumboLength = 0;
  let fragment = false;
  let checksumKnown = true;
  let next = buf[off + 6]!;
  let at = off + 40;
  while (next !== PROTO_TCP) {
    let length: number;
    switch (next) {
      case EXT_HOP_BY_HOP:
      case EXT_ROUTING:
      case EXT_DESTINATION:
        if (capturedEnd - at < 2) return SKIP_TRUNCATED;
        length = (buf[at + 1]! + 1) * 8;
        if (capturedEnd - at < length) return SKIP_TRUNCATED;
        if (next === EXT_HOP_BY_HOP && payloadLength === 0) jumboLength = findJumboLength(buf, at + 2, at + length);
        // Segments left > 0: the TCP checksum covers the final destination, which is not in the header (§8.1).
        if (next === EXT_ROUTING && buf[at + 3] !== 0) checksumKnown = false;
        break;
      case EXT_FRAGMENT: {
        length = 8;
        if (capturedEnd - at < length) return SKIP_TRUNCATED;
        const offsetAndFlags = u16(buf, at + 2);
        if (offsetAndFlags >> 3 !== 0) return SKIP_IPV6_FRAGMENT;
        // Offset 0 without the M flag is an atomic fragment (RFC 6946): the whole datagram.
        if ((offsetAndFlags & 1) !== 0) fragment = true;
        break;
      }
      case EXT_AUTHENTICATION:
        if (capturedEnd - at < 2) return SKIP_TRUNCATED;
        length = (buf[at + 1]! + 2) * 4; // RFC 4302 §2.2: in 4-byte units, minus 2
        if (capturedEnd - at < length) return SKIP_TRUNCATED;
        break;
      default:
        return SKIP_NOT_TCP; // UDP, ICMPv6, ESP, no next header (59), ...
    }
    next = buf[at]!;
    at += length;
  }
  // Payload length 0 with a hop-by-hop Jumbo Payload option: RFC 2675; without one, a
  // TSO/GSO super-packet captured on its sending host: use the frame's length.
  const datagramEnd = off + 40 + (payloadLength !== 0 ? payloadLength : jumboLength !== 0 ? jumboLength : wireEnd - off - 40);
  if (at > datagramEnd) return SKIP_BAD_IP;
  out.src = addresses.ipv6(buf, off + 8);
  out.dst = addresses.ipv6(buf, off + 24);
  out.tcpStart = at;
  out.tcpLength = datagramEnd - at;
  out.capturedEnd = capturedEnd;
  out.fragment = fragment;
  out.addressSum = checksumKnown ? sumWords(buf, off + 8, off + 40) : -1;
  return null;
}

/** The Jumbo Payload length in a hop-by-hop option area (RFC 2675 §2), 0 if absent. */
function findJumboLength(buf: Buffer, at: number, end: number): number {
  while (at < end) {
    const type = buf[at]!;
    if (type === 0) {
      at++; // Pad1
      continue;
    }
    if (end - at < 2) return 0;
    const length = buf[at + 1]!;
    if (type === OPT_JUMBO_PAYLOAD && length === 4 && end - at >= 6) return u32(buf, at + 2);
    at += 2 + length;
  }
  return 0;
}

function sumWords(buf: Buffer, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += u16(buf, i);
  return sum;
}
