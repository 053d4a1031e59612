import { ACK as ACK_FLAG, FIN, SYN, type Segment } from '../segment.js';
import { seqGe, seqGt } from './seq.js';

/** Segments remembered per direction (tcptrace SEGS_TO_REMEMBER); a power of two. */
const REMEMBERED = 8;
/** Without an IP ID to go by, a copy this close to the original can only be the capture's own. */
const NO_ID_SECONDS = 0.001;
/** A mirror or a second interface records its copy at once; the same ID much later is a crafted or replayed packet. */
const SAME_ID_SECONDS = 1;

const SEQ = 0;
const ACK = 1;
/** IPv4 ID and TCP checksum field: id × 2^16 + checksum (-1 for none). */
const ID_CHECKSUM = 2;
/** Length, window and flags: len × 2^26 + win × 2^10 + flags. */
const SHAPE = 3;
const TSVAL = 4;
const TIME = 5;
const FRAME = 6;
const PEER_PACKETS = 7;
const FIELDS = 8;
const SYN_OR_FIN = SYN | FIN;

/** The original of a capture duplicate. */
export interface DuplicateOf {
  frame: number;
  ipId: number | undefined;
}

/**
 * Spots the same packet recorded twice (a SPAN port copying both directions, `-i any` on a
 * bridge). tcptrace's check_hw_dups matches the IPv4 ID and seq among the last 8 segments
 * of a direction; here ack, length, flags and the TCP checksum field must match too (so a
 * resend with other bytes never is one), within 1 s and with nothing from the peer in
 * between: every real resend answers the peer's ACKs or a timer. An IPv4 ID of 0 (RFC 6864
 * lets stacks use it on every DF packet; Linux does on SYN-ACKs) and IPv6 prove nothing:
 * then a segment with data, SYN or FIN is a duplicate only when its whole header repeats
 * within 1 ms (Linux's shortest resend timer, the tail-loss probe, is longer). Pure ACKs
 * without an ID are left alone: a burst of real duplicate ACKs looks just like that.
 */
export class CaptureDuplicates {
  private readonly ring = new Float64Array(REMEMBERED * FIELDS).fill(-1);
  private next = 0;
  /** End of the highest data seen: data starting there or later is new, never a copy. */
  private dataEnd = 0;
  private dataSeen = false;
  /** Highest ack seen: a segment acknowledging more than any before is new, never a copy. */
  private highestAck = 0;
  private ackSeen = false;

  /** The earlier copy of this segment, or undefined (then the segment is remembered). */
  check(seg: Segment, time: number, peerPackets: number): DuplicateOf | undefined {
    const id = seg.ipId ?? 0;
    const idChecksum = id * 65536 + (seg.checksumField ?? 65535);
    const shape = seg.len * 67108864 + seg.win * 1024 + seg.flags;
    const ring = this.ring;
    let fresh = seg.len > 0 && (!this.dataSeen || seqGe(seg.seq, this.dataEnd));
    if (fresh) {
      this.dataSeen = true;
      this.dataEnd = (seg.seq + seg.len) >>> 0;
    }
    if ((seg.flags & ACK_FLAG) !== 0 && (!this.ackSeen || seqGt(seg.ack, this.highestAck))) {
      fresh = this.ackSeen || fresh;
      this.ackSeen = true;
      this.highestAck = seg.ack;
    }
    for (let i = 0; i < REMEMBERED && !fresh; i++) {
      const at = i * FIELDS;
      if (
        ring[at + SEQ] !== seg.seq ||
        ring[at + ACK] !== seg.ack ||
        ring[at + SHAPE] !== shape ||
        ring[at + ID_CHECKSUM] !== idChecksum
      )
        continue;
      // Every real resend answers a timer or the peer's ACKs; a copy has nothing from the peer in between.
      if (ring[at + PEER_PACKETS] !== peerPackets) continue;
      const gap = time - ring[at + TIME]!;
      const known = seg.timeUnknown !== true;
      const byId = id !== 0 && (!known || gap <= SAME_ID_SECONDS);
      const byHeader =
        known &&
        (seg.len > 0 || (seg.flags & SYN_OR_FIN) !== 0) &&
        ring[at + TSVAL] === (seg.options?.tsval ?? -1) &&
        gap <= NO_ID_SECONDS;
      if (byId || byHeader) return { frame: ring[at + FRAME]!, ipId: seg.ipId };
    }
    const at = this.next * FIELDS;
    ring[at + SEQ] = seg.seq;
    ring[at + ACK] = seg.ack;
    ring[at + ID_CHECKSUM] = idChecksum;
    ring[at + SHAPE] = shape;
    ring[at + TSVAL] = seg.options?.tsval ?? -1;
    ring[at + TIME] = time;
    ring[at + FRAME] = seg.frame;
    ring[at + PEER_PACKETS] = peerPackets;
    this.next = (this.next + 1) & (REMEMBERED - 1);
    return undefined;
  }
}
