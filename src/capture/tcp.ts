import type { ChecksumStatus, Segment, TcpOptions } from '../segment.js';
import { u16, u32 } from './bytes.js';
import { onesComplementSum } from './checksum.js';
import type { NetworkLayer } from './ip.js';
import { SKIP_BAD_TCP, SKIP_TRUNCATED } from './skip.js';

const PROTO_TCP = 6;
/** The 9 defined flag bits of the 12-bit field (the top 3 are reserved, RFC 9293 §3.1). */
const FLAG_MASK = 0x1ff;

/**
 * The TCP header (RFC 9293 §3.1) that `net` points at, as a Segment; or the skip reason.
 * A header cut by the snap length still gives a Segment (truncated, checksum unknown) as
 * long as its fixed 20 bytes were captured.
 */
export function decodeTcp(buf: Buffer, net: NetworkLayer, frame: number, sec: number, nsec: number): Segment | string {
  const start = net.tcpStart;
  const length = net.tcpLength;
  if (length < 20) return SKIP_BAD_TCP;
  const segmentEnd = start + length;
  // Bytes past the datagram (Ethernet padding, FCS) are not part of the segment.
  const end = net.capturedEnd < segmentEnd ? net.capturedEnd : segmentEnd;
  if (end - start < 20) return SKIP_TRUNCATED;
  const headerLength = (buf[start + 12]! >> 4) * 4;
  if (headerLength < 20 || headerLength > length) return SKIP_BAD_TCP;
  const truncated = end < segmentEnd;
  let checksum: ChecksumStatus = 'unknown';
  const payloadStart = start + headerLength;
  // The captured payload's own sum (its fingerprint for comparing a resend with the first
  // copy) comes nearly free with the checksum: the segment is summed in two parts, not one.
  let payloadSum: number | undefined;
  if (payloadStart < end) payloadSum = onesComplementSum(buf, payloadStart, end, 0);
  if (!truncated && !net.fragment && net.addressSum >= 0) {
    // Pseudo-header: addresses, protocol, TCP length (RFC 9293 §3.1; RFC 8200 §8.1 for IPv6).
    const pseudo = net.addressSum + PROTO_TCP + (length & 0xffff) + Math.floor(length / 65536);
    checksum = onesComplementSum(buf, start, payloadStart, pseudo + (payloadSum ?? 0)) === 0xffff ? 'ok' : 'bad';
  }
  const seg: Segment = {
    frame,
    sec,
    nsec,
    timeIsEpoch: true,
    src: net.src,
    dst: net.dst,
    sport: u16(buf, start),
    dport: u16(buf, start + 2),
    flags: u16(buf, start + 12) & FLAG_MASK,
    seq: u32(buf, start + 4),
    ack: u32(buf, start + 8),
    len: length - headerLength,
    win: u16(buf, start + 14),
    urp: u16(buf, start + 18),
    options: headerLength > 20 ? parseTcpOptions(buf, start + 20, Math.min(start + headerLength, end)) : undefined,
    truncated,
    checksum,
    seqRelative: false,
    ipId: net.ipId < 0 ? undefined : net.ipId,
    checksumField: u16(buf, start + 16),
    payloadCaptured: end > payloadStart ? end - payloadStart : 0,
    payloadSum,
  };
  if (net.fragment) seg.ipFragment = true;
  return seg;
}

const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;
const OPT_WSCALE = 3;
const OPT_SACK_PERMITTED = 4;
const OPT_SACK = 5;
const OPT_TIMESTAMPS = 8;
const OPT_FAST_OPEN = 34;
const OPT_EXPERIMENTAL = 254;
/** ExID of TCP Fast Open in the shared experimental option (RFC 7413 §4.1.1, RFC 6994). */
const FAST_OPEN_EXID = 0xf989;

/**
 * The option list in buf[start, end). Undefined when it holds nothing but padding. A
 * malformed list (or one cut by the snap length) stops the parse; what came before is kept.
 */
export function parseTcpOptions(buf: Buffer, start: number, end: number): TcpOptions | undefined {
  let options: TcpOptions | undefined;
  let at = start;
  while (at < end) {
    const kind = buf[at]!;
    if (kind === OPT_EOL) break;
    if (kind === OPT_NOP) {
      at++;
      continue;
    }
    if (end - at < 2) break;
    const length = buf[at + 1]!;
    if (length < 2 || length > end - at) break;
    options ??= {};
    if (!decodeOption(buf, at, kind, length, options)) (options.unknown ??= []).push({ kind, len: length });
    at += length;
  }
  return options;
}

/** Decodes one option into `options`; false if its kind is unknown or its length wrong for it. */
function decodeOption(buf: Buffer, at: number, kind: number, length: number, options: TcpOptions): boolean {
  switch (kind) {
    case OPT_MSS:
      if (length !== 4) return false;
      options.mss = u16(buf, at + 2);
      return true;
    case OPT_WSCALE:
      if (length !== 3) return false;
      options.wscale = buf[at + 2]!;
      return true;
    case OPT_SACK_PERMITTED:
      if (length !== 2) return false;
      options.sackOk = true;
      return true;
    case OPT_SACK: {
      // RFC 2018 §3: 2 + 8n bytes, n ≥ 1.
      if (length < 10 || (length - 2) % 8 !== 0) return false;
      const blocks = (options.sack = [] as { left: number; right: number }[]);
      for (let b = at + 2; b < at + length; b += 8) blocks.push({ left: u32(buf, b), right: u32(buf, b + 4) });
      return true;
    }
    case OPT_TIMESTAMPS:
      if (length !== 10) return false;
      options.tsval = u32(buf, at + 2);
      options.tsecr = u32(buf, at + 6);
      return true;
    case OPT_FAST_OPEN:
      options.tfo = buf.toString('hex', at + 2, at + length);
      return true;
    case OPT_EXPERIMENTAL:
      if (length < 4 || u16(buf, at + 2) !== FAST_OPEN_EXID) return false;
      options.tfo = buf.toString('hex', at + 4, at + length);
      return true;
    default:
      return false;
  }
}
