// Finds and reads the TCP header text in a line: "SRC > DST: " followed by a TCP part in
// one of tcpdump's forms (spec §2, §3, §5). The addresses are anchored on what follows
// them, not on what comes before: link-layer prefixes (-e MAC addresses, VLAN tags, -i any
// interface names), encapsulation summaries and the -v IP header all end up to the left.

import { HostNames } from './address.js';
import { matchLegacy, parseLegacy } from './legacy.js';
import { parseModern, startsModern } from './modern.js';
import { newPrintedSegment, TCP_TRUNCATED, type PrintedSegment } from './printed-segment.js';
import { servicePort } from './services.js';
import { TextCursor, isDigit, isLetter } from './text-cursor.js';

/** What the TCP text of a line turned out to be. */
export type TcpLineKind =
  /** No TCP header text. */
  | 'none'
  /** A segment, in `TcpLineParser.tcp`. */
  | 'segment'
  /** tcpdump -q: "tcp 0", no flags and no numbers. */
  | 'quiet'
  /** The capture stopped inside the TCP header: "a.1 > b.2:  [|tcp]". */
  | 'header-truncated'
  /** "[bad hdr length 8 - too short, < 20]" and the like. */
  | 'bad-header'
  /** A non-first IPv4 fragment: "a > b: ip-proto-6", no ports. */
  | 'fragment'
  /** A port printed as a service name we do not know (`problem` says which). */
  | 'unknown-service'
  /** TCP header text we cannot read unambiguously (`problem` says why). */
  | 'unparsable';

const ARROW = ' > ';
const ARROW_PASTED = ' → ';
const SPACE = 0x20;
const COLON = 0x3a;
const DOT = 0x2e;

function isPortChar(c: number): boolean {
  return isDigit(c) || isLetter(c) || c === 0x2d || c === 0x5f;
}

/** Reads one line's TCP header text. One parser per source; it reuses its records. */
export class TcpLineParser {
  /** The segment of the last line read as 'segment'. */
  readonly tcp: PrintedSegment = newPrintedSegment();
  /** Why the last line was 'unparsable' or 'unknown-service'. */
  problem = '';
  private readonly cursor = new TextCursor();
  private readonly hosts: HostNames;
  /** Addresses of an "a > b:" without ports (IPv6 with extension headers, spec §1.9). */
  private bareSrc = '';
  private bareDst = '';

  constructor(hosts = new HostNames()) {
    this.hosts = hosts;
  }

  read(line: string, from: number): TcpLineKind {
    const kind = this.scan(line, from, ARROW);
    if (kind !== 'none' || !line.includes('→')) return kind;
    return this.scan(line, from, ARROW_PASTED);
  }

  private scan(line: string, from: number, arrow: string): TcpLineKind {
    this.bareSrc = '';
    for (let at = line.indexOf(arrow, from); at >= 0; at = line.indexOf(arrow, at + arrow.length)) {
      const dstStart = at + arrow.length;
      let colon = endpointColon(line, dstStart);
      if (colon < 0 && this.bareSrc !== '') colon = portsOnlyColon(line, at, dstStart);
      if (colon < 0) {
        this.noteBareAddresses(line, at, dstStart);
        continue;
      }
      let part = colon + 1;
      while (line.charCodeAt(part) === SPACE) part++;
      const kind = this.readPart(line, part);
      if (kind === 'none') continue;
      if (kind !== 'segment' && kind !== 'unparsable') return kind;
      const endpoints = this.readEndpoints(line, at, dstStart, colon);
      return endpoints === '' ? kind : endpoints;
    }
    return 'none';
  }

  /** The TCP part at `part`; endpoints are read afterwards. */
  private readPart(line: string, part: number): TcpLineKind {
    const c = this.cursor;
    c.reset(line, part);
    if (startsModern(line, part)) return this.parsed(parseModern(c, this.tcp));
    if (line.startsWith('tcp ', part) && isDigit(line.charCodeAt(part + 4))) {
      return line.includes('[bad hdr length', part) ? 'bad-header' : 'quiet';
    }
    if (line.startsWith(TCP_TRUNCATED, part)) return 'header-truncated';
    if (line.startsWith('ip-proto-6', part)) return 'fragment';
    const legacy = matchLegacy(line, part);
    if (legacy !== null) return this.parsed(parseLegacy(c, legacy, this.tcp));
    return 'none';
  }

  private parsed(problem: string): TcpLineKind {
    this.problem = problem;
    return problem === '' ? 'segment' : 'unparsable';
  }

  /**
   * Fills the endpoints of this.tcp from "SRC > DST:" (the arrow at `arrow`). Returns ''
   * when done, else the kind to report instead.
   */
  private readEndpoints(line: string, arrow: number, dstStart: number, colon: number): TcpLineKind | '' {
    const tcp = this.tcp;
    const srcStart = line.lastIndexOf(' ', arrow - 1) + 1;
    const srcDot = line.lastIndexOf('.', arrow - 1);
    const dstDot = line.lastIndexOf('.', colon - 1);
    let sport: number;
    let dport: number;
    if (srcDot < srcStart && this.bareSrc !== '') {
      // "IP6 a > b: HBH (jumbo: 80040)  41851 > 43913: Flags [P.]": ports only.
      tcp.src = this.hosts.fromText(this.bareSrc, 0, this.bareSrc.length);
      tcp.dst = this.hosts.fromText(this.bareDst, 0, this.bareDst.length);
      sport = port(line, srcStart, arrow);
      dport = port(line, dstStart, colon);
    } else {
      if (srcDot <= srcStart) return this.bad(`no port in the source "${line.slice(srcStart, arrow)}"`);
      tcp.src = this.hosts.fromText(line, srcStart, srcDot);
      tcp.dst = this.hosts.fromText(line, dstStart, dstDot);
      sport = port(line, srcDot + 1, arrow);
      dport = port(line, dstDot + 1, colon);
    }
    if (sport < 0 || dport < 0) {
      const name = sport < 0 ? line.slice(srcDot + 1, arrow) : line.slice(dstDot + 1, colon);
      if (isDigit(name.charCodeAt(0))) return this.bad(`port ${name} is out of range`);
      this.problem = `unknown service name "${name}" for a port (print with tcpdump -n to get numbers)`;
      return 'unknown-service';
    }
    tcp.sport = sport;
    tcp.dport = dport;
    return '';
  }

  private bad(problem: string): TcpLineKind {
    this.problem = problem;
    return 'unparsable';
  }

  private noteBareAddresses(line: string, arrow: number, dstStart: number): void {
    const dstEnd = line.indexOf(' ', dstStart);
    if (dstEnd < 0 || line.charCodeAt(dstEnd - 1) !== COLON) return;
    this.bareSrc = line.slice(line.lastIndexOf(' ', arrow - 1) + 1, arrow);
    this.bareDst = line.slice(dstStart, dstEnd - 1);
  }
}

/**
 * The colon that ends "HOST.PORT:" in the token at `start`, or -1. The port is a number or
 * a service name after the last dot; IPv6 hosts have colons of their own
 * ("fd00::2.8080:"), and a pasted line may have no space after the colon.
 */
function endpointColon(line: string, start: number): number {
  for (let i = start; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === SPACE) return -1;
    if (c !== COLON) continue;
    let j = i - 1;
    while (j > start && isPortChar(line.charCodeAt(j))) j--;
    if (j > start && j < i - 1 && line.charCodeAt(j) === DOT) return i;
  }
  return -1;
}

/** The colon of "41851 > 43913:" (arrow at `arrow`), ports without addresses; or -1. */
function portsOnlyColon(line: string, arrow: number, dstStart: number): number {
  let i = dstStart;
  while (isDigit(line.charCodeAt(i))) i++;
  if (i === dstStart || line.charCodeAt(i) !== COLON) return -1;
  let j = arrow - 1;
  while (j >= 0 && isDigit(line.charCodeAt(j))) j--;
  return j < arrow - 1 && (j < 0 || line.charCodeAt(j) === SPACE) ? i : -1;
}

/** The port in line[start, end): a number or a known service name; -1 if neither. */
function port(line: string, start: number, end: number): number {
  let n = 0;
  let at = start;
  for (; at < end; at++) {
    const c = line.charCodeAt(at);
    if (!isDigit(c)) break;
    n = n * 10 + (c - 0x30);
  }
  if (at === end) return at > start && n <= 65535 ? n : -1;
  return at === start ? (servicePort(line.slice(start, end)) ?? -1) : -1;
}
