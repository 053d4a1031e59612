// What the capture itself says about a segment: cut short by the snap length, its checksum,
// a size only offload can make.
import type { Segment } from '../../segment.js';
import type { Side } from '../../events.js';
import { MAX_BAD_CHECKSUM_FRAMES, type TcpEndpoint } from '../endpoint.js';
import type { CheckContext } from './context.js';

/** Truncation and oversize (each reported once per side); checksums counted for `reportChecksums`. */
export function checkCaptureFacts(
  ctx: CheckContext,
  seg: Segment,
  d: TcpEndpoint,
  p: TcpEndpoint,
  from: Side,
  time: number,
): void {
  if (seg.truncated && !d.truncatedReported) reportTruncated(ctx, seg, d, from, time);
  if (seg.checksum !== 'unknown') {
    d.checksumsChecked++;
    if (seg.checksum === 'bad') noteBadChecksum(seg, d, time);
  }
  if (!d.oversizedReported && p.mss !== undefined && seg.len > p.mss) reportOversized(ctx, seg, d, p.mss, from, time);
}

function reportTruncated(ctx: CheckContext, seg: Segment, d: TcpEndpoint, from: Side, time: number): void {
  d.truncatedReported = true;
  ctx.report(
    'truncated-by-snaplen',
    from,
    seg.frame,
    time,
    `the capture cut this packet short (snap length): its ${seg.len} payload bytes ` +
      'were not all captured; sequence numbers are still tracked from the IP length',
    { len: seg.len },
  );
}

function noteBadChecksum(seg: Segment, d: TcpEndpoint, time: number): void {
  d.badChecksums++;
  if (d.badChecksumFrames.length < MAX_BAD_CHECKSUM_FRAMES) d.badChecksumFrames.push({ frame: seg.frame, time });
}

function reportOversized(ctx: CheckContext, seg: Segment, d: TcpEndpoint, mss: number, from: Side, time: number): void {
  d.oversizedReported = true;
  ctx.report(
    'oversized-segment',
    from,
    seg.frame,
    time,
    `carries ${seg.len} bytes, more than the ${mss}-byte MSS the peer announced: ` +
      'segmentation offload (TSO/GSO) or receive offload (GRO/LRO) on the capture host merged segments',
    { len: seg.len, mss },
  );
}

/**
 * Bad checksums: when most of one side's packets fail, the capture host almost certainly
 * computes them in the NIC (checksum offload) and the packets on the wire were fine, so
 * one note instead of an error per packet (Zeek find-checksum-offloading).
 */
export function reportChecksums(ctx: CheckContext, side: Side, d: TcpEndpoint): void {
  if (d.badChecksums === 0) return;
  const first = d.badChecksumFrames[0]!;
  const share = d.badChecksums / d.checksumsChecked;
  if (share > 0.5 && d.checksumsChecked >= 3) {
    ctx.report(
      'bad-checksum',
      side,
      first.frame,
      first.time,
      `${d.badChecksums} of ${d.checksumsChecked} checked packets from this ` +
        'side have a wrong TCP checksum: almost certainly checksum offload on ' +
        'the capturing host (the NIC fills them in after capture), not corruption',
      { bad: d.badChecksums, checked: d.checksumsChecked },
      'info',
    );
    return;
  }
  for (const { frame, time } of d.badChecksumFrames) {
    ctx.report(
      'bad-checksum',
      side,
      frame,
      time,
      `wrong TCP checksum (${d.badChecksums} of ${d.checksumsChecked} checked packets from this side): ` +
        'corrupted on the way, or damaged in the capture; the receiver drops such a segment',
      { bad: d.badChecksums, checked: d.checksumsChecked },
    );
  }
}
