import { countSkip, newSourceStats } from '../source.js';
import type { SourceSink, SourceStats } from '../source.js';
import { AddressCache } from './address.js';
import { decodeIPv4, decodeIPv6, newNetworkLayer } from './ip.js';
import { describeLinkType, linkType as lookUpLinkType, NET_BAD_IP, NET_IPV4, NET_IPV6, NET_TRUNCATED } from './link.js';
import type { LinkDecoder, LinkResult } from './link.js';
import { plural } from './records.js';
import type { RecordSink } from './records.js';
import { SKIP_BAD_IP, SKIP_NOT_IP, SKIP_TRUNCATED } from './skip.js';
import { decodeTcp } from './tcp.js';

/** Turns packet records into Segments: link layer → IP → TCP; counts what it skips. */
export class PacketDecoder implements RecordSink {
  readonly stats: SourceStats = newSourceStats();
  private readonly sink: SourceSink;
  private readonly addresses = new AddressCache();
  private readonly link: LinkResult = { start: 0 };
  private readonly net = newNetworkLayer();
  /** Link type of the previous record and its decoder: files rarely mix link types. */
  private currentLinkType = -1;
  private decodeLink: LinkDecoder | undefined = undefined;
  /** Skip reason of the current link type when we cannot decode it. */
  private linkSkipReason = '';
  /** Packets skipped per unsupported link type, for one warning each at the end. */
  private readonly unsupported = new Map<number, number>();

  constructor(sink: SourceSink) {
    this.sink = sink;
  }

  record(
    frame: number,
    sec: number,
    nsec: number,
    caplen: number,
    origLen: number,
    linkType: number,
    buf: Buffer,
    offset: number,
  ): void {
    const stats = this.stats;
    stats.packets = frame;
    if (linkType !== this.currentLinkType) {
      this.currentLinkType = linkType;
      this.decodeLink = lookUpLinkType(linkType)?.decode;
      this.linkSkipReason = describeLinkType(linkType);
    }
    const decodeLink = this.decodeLink;
    if (decodeLink === undefined) {
      this.unsupported.set(linkType, (this.unsupported.get(linkType) ?? 0) + 1);
      countSkip(stats, this.linkSkipReason);
      return;
    }
    const capturedEnd = offset + caplen;
    const wireEnd = offset + (origLen > caplen ? origLen : caplen);
    const network = decodeLink(buf, offset, capturedEnd, this.link);
    let reason: string | null;
    if (network === NET_IPV4) reason = decodeIPv4(buf, this.link.start, capturedEnd, wireEnd, this.net, this.addresses);
    else if (network === NET_IPV6)
      reason = decodeIPv6(buf, this.link.start, capturedEnd, wireEnd, this.net, this.addresses);
    else reason = network === NET_TRUNCATED ? SKIP_TRUNCATED : network === NET_BAD_IP ? SKIP_BAD_IP : SKIP_NOT_IP;
    if (reason !== null) {
      countSkip(stats, reason);
      return;
    }
    const seg = decodeTcp(buf, this.net, frame, sec, nsec);
    if (typeof seg === 'string') {
      countSkip(stats, seg);
      return;
    }
    stats.tcpSegments++;
    this.sink.segment(seg);
  }

  warning(message: string): void {
    this.sink.warning(message);
  }

  /** End of input: one warning per link type we could not decode. */
  finish(): void {
    for (const [type, count] of this.unsupported) {
      this.sink.warning(`${describeLinkType(type)} is not supported; ${plural(count, 'packet')} skipped`);
    }
  }
}
