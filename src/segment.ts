/** TCP header flag bits, as they sit in the header (AE is bit 8 of the 12-bit field, RFC 9768). */
export const FIN = 0x001;
export const SYN = 0x002;
export const RST = 0x004;
export const PSH = 0x008;
export const ACK = 0x010;
export const URG = 0x020;
export const ECE = 0x040;
export const CWR = 0x080;
export const AE = 0x100;

export type ChecksumStatus = 'ok' | 'bad' | 'unknown';

/** One SACK block: [left, right) in the peer's sequence space (RFC 2018). */
export interface SackBlock {
  left: number;
  right: number;
}

/** TCP options of one segment; absent fields were not in the header. */
export interface TcpOptions {
  mss?: number;
  wscale?: number;
  sackOk?: boolean;
  sack?: SackBlock[];
  tsval?: number;
  tsecr?: number;
  /** TCP Fast Open (kind 34, or the experimental 254/0xF989): cookie as hex, '' for a cookie request. */
  tfo?: string;
  /** Options we do not decode, kept as kind and total length. */
  unknown?: { kind: number; len: number }[];
}

/**
 * One TCP segment as seen on the wire. Produced by every source (capture or text),
 * consumed by the flow table and the tracker.
 */
export interface Segment {
  /** 1-based index of the packet record in its input, counting every packet (TCP or not). */
  frame: number;
  /** Whole seconds: since the Unix epoch when `timeIsEpoch`, else since the first packet. */
  sec: number;
  /** Nanoseconds within `sec` (0 to 999,999,999). */
  nsec: number;
  timeIsEpoch: boolean;
  /** Text printed without timestamps (tcpdump -t): `sec` and `nsec` are 0 and say nothing. */
  timeUnknown?: boolean;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Bitmask of FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE. */
  flags: number;
  /** uint32 sequence number. */
  seq: number;
  /** uint32 acknowledgement number (meaningful only with ACK). */
  ack: number;
  /** Payload length from the IP length, not from the captured bytes. */
  len: number;
  /** Raw 16-bit window field (unscaled). */
  win: number;
  urp: number;
  options: TcpOptions | undefined;
  /** The captured bytes stop before the end of the segment (snap length). */
  truncated: boolean;
  checksum: ChecksumStatus;
  /** Text input printed relative sequence numbers (tcpdump's default). */
  seqRelative: boolean;
  /**
   * Set on the first fragment of a fragmented IP datagram: the segment goes on in later
   * fragments, so `len` counts only this fragment's part and the checksum is 'unknown'.
   */
  ipFragment?: boolean;
  /** IPv4 Identification field; absent for IPv6 and for text input that does not print it. */
  ipId?: number;
  /** The TCP checksum field as captured (capture input only): two copies of one packet share it. */
  checksumField?: number;
  /** Payload bytes captured: `len`, or fewer when the snap length cut them (capture input only). */
  payloadCaptured?: number;
  /**
   * Ones'-complement sum (RFC 1071) of the captured payload bytes: two copies of the same
   * bytes have the same sum. Absent without captured payload.
   */
  payloadSum?: number;
}

/** Seconds as one double, for display and JSON (loses sub-microsecond precision on epoch times). */
export function segmentTime(s: Pick<Segment, 'sec' | 'nsec'>): number {
  return s.sec + s.nsec / 1e9;
}
