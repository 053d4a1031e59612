// Lines → packets → Segments (spec §0). A packet is its first line (recognised by the -#
// number or the timestamp) and every line up to the next first line: with -v the TCP
// header text is on the second line, tunnels print the inner packet further down, and
// hex dumps, -A payload and application decoders add lines of their own. A packet gives at
// most one segment, emitted as soon as the line that holds it is read.

import { printedIpId } from './ip-id.js';
import { InputError } from '../errors.js';
import type { Segment } from '../segment.js';
import { countSkip, newSourceStats, type SourceSink, type SourceStats } from '../source.js';
import { HostNames } from './address.js';
import { CanonicalLineReader } from './canonical-line.js';
import { BINARY_MESSAGE, lineText, looksBinary } from './lines.js';
import { newPrefix, parsePrefix, startsLikePacket } from './prefix.js';
import { RelativeNumbers } from './relative.js';
import {
  SKIP_BAD_TCP,
  SKIP_IPV4_FRAGMENT,
  SKIP_NOT_TCP,
  SKIP_QUIET,
  SKIP_TRUNCATED,
  SKIP_UNKNOWN_SERVICE,
  SKIP_UNPARSABLE,
} from './skip.js';
import { TcpLineParser, type TcpLineKind } from './tcp-line.js';
import { PacketClock } from './timestamp.js';
import { LineWarnings } from './warnings.js';

const SPACE = 0x20;
const TAB = 0x09;

const QUIET_WARNING =
  'printed by tcpdump -q: its TCP lines ("tcp 0") have no flags and no sequence numbers, so TCP states ' +
  'cannot be tracked. Print the capture again without -q (tcpdump -n -r FILE), or give the capture file itself ' +
  '(tcpdump -w FILE; live: tcpdump -U -w - ... | tcptrace-explain -)';

export class TextPackets {
  readonly stats: SourceStats = newSourceStats();
  private readonly name: string;
  private readonly sink: SourceSink;
  private readonly warnings: LineWarnings;
  private readonly prefix = newPrefix();
  private readonly hosts = new HostNames();
  private readonly canonical = new CanonicalLineReader(this.hosts);
  private readonly parser = new TcpLineParser(this.hosts);
  private readonly clock = new PacketClock();
  private readonly relative = new RelativeNumbers();
  /** Some line had a -# number or a timestamp: only such lines start packets. */
  private stamped = false;
  private quietWarned = false;

  // The packet being read.
  private inPacket = false;
  private frame = 0;
  /** Its TCP text was found (a segment, or a reason not to make one). */
  private done = false;
  private emitted = false;
  /** It is an ICMP error: TCP text in it is a quoted header, not a segment (spec §6). */
  private quoting = false;
  /** IPv4 ID from a -v IP header line before the TCP text. */
  private ipId: number | undefined;
  private skipReason = SKIP_NOT_TCP;

  constructor(name: string, sink: SourceSink) {
    this.name = name;
    this.sink = sink;
    this.warnings = new LineWarnings(sink);
  }

  line(bytes: Buffer, start: number, end: number, lineNumber: number): void {
    if (parsePrefix(bytes, start, end, this.prefix)) {
      this.stamped = true;
      this.open(this.prefix.number);
      if (this.prefix.stamped) this.clock.set(this.prefix.stamp);
      else this.clock.none();
      this.examine(bytes, this.prefix.bodyStart, end, lineNumber);
      return;
    }
    const first = bytes[start];
    if (!this.stamped && end > start && first !== SPACE && first !== TAB) {
      // No number, no timestamp (-t): a packet starts at column 0 with its TCP text or a
      // packet's usual beginning.
      const text = lineText(bytes, start, end);
      const kind = this.canonical.read(bytes, start, end, this.parser.tcp) ? 'segment' : this.parser.read(text, 0);
      if (kind !== 'none' || startsLikePacket(text)) {
        this.open(0);
        this.clock.none();
        this.handle(kind, text, lineNumber);
      } else if (this.inPacket && !this.done && !this.quoting) {
        this.handle(kind, text, lineNumber);
      } else {
        this.checkText(text, lineNumber);
      }
      return;
    }
    if (this.inPacket && !this.done) this.examine(bytes, start, end, lineNumber);
    else this.checkText(lineText(bytes, start, end), lineNumber);
  }

  finish(): void {
    this.close();
    this.warnings.finish();
  }

  private open(number: number): void {
    this.close();
    this.stats.packets++;
    this.frame = number > 0 ? number : this.stats.packets;
    this.inPacket = true;
    this.done = false;
    this.emitted = false;
    this.quoting = false;
    this.ipId = undefined;
    this.skipReason = SKIP_NOT_TCP;
  }

  private close(): void {
    if (this.inPacket && !this.emitted) countSkip(this.stats, this.skipReason);
    this.inPacket = false;
  }

  /** Looks for the TCP segment in bytes[from, end): the canonical line first, then any form. */
  private examine(bytes: Buffer, from: number, end: number, lineNumber: number): void {
    if (this.quoting) return;
    if (this.canonical.read(bytes, from, end, this.parser.tcp)) {
      this.handle('segment', '', lineNumber);
      return;
    }
    const text = lineText(bytes, from, end);
    this.handle(this.parser.read(text, 0), text, lineNumber);
  }

  private handle(kind: TcpLineKind, text: string, lineNumber: number): void {
    switch (kind) {
      case 'none':
        if (text.includes('ICMP')) this.quoting = true;
        this.ipId = printedIpId(text) ?? this.ipId;
        this.checkText(text, lineNumber);
        return;
      case 'segment':
        this.emit();
        break;
      case 'quiet':
        this.skipReason = SKIP_QUIET;
        if (!this.quietWarned) {
          this.quietWarned = true;
          this.sink.warning(`line ${lineNumber}: ${QUIET_WARNING}`);
        }
        break;
      case 'header-truncated':
        this.skipReason = SKIP_TRUNCATED;
        break;
      case 'bad-header':
        this.skipReason = SKIP_BAD_TCP;
        break;
      case 'fragment':
        this.skipReason = SKIP_IPV4_FRAGMENT;
        break;
      case 'unknown-service':
        this.skipReason = SKIP_UNKNOWN_SERVICE;
        this.warnings.line(lineNumber, this.parser.problem);
        break;
      case 'unparsable':
        this.skipReason = SKIP_UNPARSABLE;
        this.warnings.line(lineNumber, `cannot read this TCP line: ${this.parser.problem}`);
        break;
    }
    this.done = true;
  }

  private emit(): void {
    const t = this.parser.tcp;
    const seqRelative = this.relative.resolve(t);
    const clock = this.clock;
    const seg: Segment = {
      frame: this.frame,
      sec: clock.sec,
      nsec: clock.nsec,
      timeIsEpoch: clock.timeIsEpoch,
      src: t.src,
      dst: t.dst,
      sport: t.sport,
      dport: t.dport,
      flags: t.flags,
      seq: t.seq,
      ack: t.ack,
      len: t.len,
      win: t.win,
      urp: t.urp,
      options: t.options,
      truncated: t.truncated,
      checksum: t.checksum,
      seqRelative,
      ipId: this.ipId,
    };
    if (!clock.known) seg.timeUnknown = true;
    this.emitted = true;
    this.stats.tcpSegments++;
    this.sink.segment(seg);
  }

  /** A line that is no part of a TCP segment must still be text. */
  private checkText(text: string, lineNumber: number): void {
    if (looksBinary(text)) throw new InputError(this.name, BINARY_MESSAGE, `line ${lineNumber}`);
  }
}
