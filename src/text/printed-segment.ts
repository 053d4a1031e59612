import type { ChecksumStatus, TcpOptions } from '../segment.js';

/**
 * What one line says about a TCP segment, with its numbers as printed (relative or not,
 * see relative.ts). One object is reused for every line.
 */
export interface PrintedSegment {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  flags: number;
  /** tcpdump prints seq only with -vv, payload, or SYN/FIN/RST (print-tcp.c tcp_print()). */
  hasSeq: boolean;
  seq: number;
  ack: number;
  len: number;
  win: number;
  urp: number;
  /** SACK edges as printed: relative to the receiver's base when ACK is set (spec §4 R4). */
  options: TcpOptions | undefined;
  checksum: ChecksumStatus;
  truncated: boolean;
}

export function newPrintedSegment(): PrintedSegment {
  return {
    src: '',
    dst: '',
    sport: 0,
    dport: 0,
    flags: 0,
    hasSeq: false,
    seq: 0,
    ack: 0,
    len: 0,
    win: 0,
    urp: 0,
    options: undefined,
    checksum: 'unknown',
    truncated: false,
  };
}

const UINT32_MAX = 0xffffffff;
const UINT16_MAX = 0xffff;

/** What is wrong with numbers no TCP header can hold (pasted or damaged text); '' if nothing. */
export function outOfRange(seq: number, seqEnd: number, ack: number, win: number, urp: number, len: number): string {
  if (seq > UINT32_MAX || seqEnd > UINT32_MAX || ack > UINT32_MAX) return 'a sequence number is larger than 32 bits';
  if (win > UINT16_MAX) return `win ${win} does not fit the 16-bit window field`;
  if (urp > UINT16_MAX) return `urg ${urp} does not fit the 16-bit urgent pointer`;
  if (len > UINT32_MAX) return `length ${len} is larger than 32 bits`;
  return '';
}

/**
 * tcpdump's mark for a capture that ends inside the TCP header (util-print.c
 * nd_print_trunc()). Application printers add their own ("[|bgp]"), also when a message
 * merely goes on in the next segment, so only this one tells that bytes are missing.
 */
export const TCP_TRUNCATED = '[|tcp]';
