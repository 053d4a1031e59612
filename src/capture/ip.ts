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
  /** IPv4 Identification; -1 for IPv6. */
  ipId: number;
}

export function newNetworkLayer(): NetworkLayer {
  return { src: '', dst: '', tcpStart: 0, tcpLength: 0, capturedEnd: 0, fragment: false, addressSum: 0, ipId: -1 };
}

/**
 * IPv4 (RFC 791) at buf[off]; bytes are captured up to capturedEnd, the frame on the wire
 * ends at wireEnd. Returns null with `out` filled for TCP, else the skip reason.
 */
export function decodeIPv4(
  buf: Buffer,
  off: number,
  capturedEnd: number,
  wireEnd: number,
  out: NetworkLayer,
  addresses: AddressCache,
): string | null {
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
  out.ipId = u16(buf, off + 4);
  out.addressSum = u16(buf, off + 12) + u16(buf, off + 14) + u16(buf, off + 16) + u16(buf, off + 18);
  return null;
}

const EXT_HOP_BY_HOP = 0;
const EXT_ROUTING = 43;
const EXT_FRAGMENT = 44;
const EXT_AUTHENTICATION = 51;
const EXT_DESTINATION = 60;
const OPT_JUMBO_PAYLOAD = 0xc2;
const OPT_HOME_ADDRESS = 0xc9;
const ROUTING_TYPE_0 = 0; // RFC 2460 (deprecated by RFC 5095, still in old captures)
const ROUTING_TYPE_2 = 2; // Mobile IPv6, RFC 6275 §6.4
const ROUTING_SEGMENT = 4; // SRv6, RFC 8754

/** IPv6 (RFC 8200) at buf[off], walking the extension-header chain (§4) up to TCP. */
export function decodeIPv6(
  buf: Buffer,
  off: number,
  capturedEnd: number,
  wireEnd: number,
  out: NetworkLayer,
  addresses: AddressCache,
): string | null {
  if (capturedEnd - off < 40) return SKIP_TRUNCATED;
  if (buf[off]! >> 4 !== 6) return SKIP_BAD_IP;
  const payloadLength = u16(buf, off + 4);
  let jumboLength = 0;
  let fragment = false;
  // Where the checksum pseudo-header takes its addresses from (RFC 8200 §8.1): a Home
  // Address option replaces the source (RFC 6275 §6.3), a routing header with segments
  // left names the final destination.
  let pseudoSource = off + 8;
  let pseudoDestination = off + 24;
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
        if (next === EXT_HOP_BY_HOP) {
          const jumbo = payloadLength === 0 ? findOption(buf, at + 2, at + length, OPT_JUMBO_PAYLOAD, 4) : 0;
          if (jumbo > 0) jumboLength = u32(buf, jumbo);
        } else if (next === EXT_DESTINATION) {
          const home = findOption(buf, at + 2, at + length, OPT_HOME_ADDRESS, 16);
          if (home > 0) pseudoSource = home;
        } else if (buf[at + 3] !== 0) {
          pseudoDestination = finalDestination(buf, at, length);
        }
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
  const datagramEnd =
    off + 40 + (payloadLength !== 0 ? payloadLength : jumboLength !== 0 ? jumboLength : wireEnd - off - 40);
  if (at > datagramEnd) return SKIP_BAD_IP;
  out.src = addresses.ipv6(buf, off + 8);
  out.dst = addresses.ipv6(buf, off + 24);
  out.tcpStart = at;
  out.tcpLength = datagramEnd - at;
  out.capturedEnd = capturedEnd;
  out.fragment = fragment;
  out.ipId = -1;
  out.addressSum =
    pseudoDestination < 0
      ? -1
      : sumWords(buf, pseudoSource, pseudoSource + 16) + sumWords(buf, pseudoDestination, pseudoDestination + 16);
  return null;
}

/** Offset of the final destination in a routing header that still has segments left; -1 if unknown. */
function finalDestination(buf: Buffer, at: number, length: number): number {
  switch (buf[at + 2]) {
    case ROUTING_TYPE_0: {
      const addresses = (length - 8) >> 4;
      return addresses > 0 ? at + 8 + (addresses - 1) * 16 : -1;
    }
    case ROUTING_TYPE_2:
      return length >= 24 ? at + 8 : -1;
    case ROUTING_SEGMENT:
      // Segment List[0] is the last segment of the path (RFC 8754 §2).
      return length >= 24 ? at + 8 : -1;
    default:
      return -1;
  }
}

/**
 * Offset of the value of option `type` (with `size` bytes) in a hop-by-hop or destination
 * options area (RFC 8200 §4.2), or 0 if absent.
 */
function findOption(buf: Buffer, at: number, end: number, type: number, size: number): number {
  while (at < end) {
    const found = buf[at]!;
    if (found === 0) {
      at++; // Pad1
      continue;
    }
    if (end - at < 2) return 0;
    const length = buf[at + 1]!;
    if (found === type && length === size && end - at >= 2 + size) return at + 2;
    at += 2 + length;
  }
  return 0;
}

function sumWords(buf: Buffer, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += u16(buf, i);
  return sum;
}
