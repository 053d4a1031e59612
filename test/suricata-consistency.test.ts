import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { linkType, NET_IPV4 } from '../src/capture/link.js';
import type { SegmentEvent, Side, AnomalyKind, TcpState } from '../src/events.js';
import type { JsonAnomaly, JsonConnection } from '../src/report/json.js';
import { ACK, RST, URG, type Segment } from '../src/segment.js';
import { seqGt, seqLt } from '../src/tcp/seq.js';
import { hasSentFin } from '../src/tcp/states.js';
import { analyse } from './helpers/analyse.js';
import { decode, readRecords } from './helpers/capture.js';
import { corpusPath, describeCorpus } from './helpers/corpus.js';

/**
 * Our final states and anomalies against what the suricata-verify tests assert for the
 * captures of the shared Suricata corpus (its README): flow and netflow records (`tcp.state`,
 * `flow.state`, packets and flags per direction), per-packet session states, stream and TCP
 * decoder events, and the stream/flow counters. Runs where the corpus is beside the
 * checkout, as in CI. Prints one agreement table.
 *
 * Consistent means: each Suricata flow record has its own connection of ours that agrees on
 * every key we can judge (when we can judge them all, no more of ours agree than Suricata
 * counts); each per-packet state agrees with our states after that frame; each event
 * Suricata counts is matched by at least as many anomalies of the mapped kind, in that frame
 * when the test names one; and where the mapping is exact both ways, we report no more than
 * the count Suricata asserts, zero included. A difference is accepted only by a rule below,
 * with its reason; every rule must still be needed.
 */
const dir = corpusPath('suricata');

// ── What the expect files hold ──────────────────────────────────────────────────────────────

type Value = string | number | boolean | null;
type Match = Record<string, Value>;

interface Counted {
  count: number;
  match: Match;
  also_matching?: Match | null;
}

interface EventCheck {
  via: string;
  event: string;
  count: number;
  events_loaded?: string[];
  also_matching?: Match | null;
}

interface SuricataTest {
  test: string;
  args: string[];
  ips_mode: boolean;
  stream_events: EventCheck[] | null;
  tcp_packet_states: Counted[] | null;
  tcp_flows: Counted[] | null;
  stats: Counted[] | null;
  /** Every other check; flow and netflow records among them are judged too. */
  other_checks: { event_type?: string; count?: number; match?: Match }[] | null;
}

// ── States ──────────────────────────────────────────────────────────────────────────────────

const done = (s: TcpState): boolean => s === 'CLOSED' || s === 'TIME_WAIT';

/**
 * Suricata's one session state (stream-tcp.c) → is our (client, server) pair consistent with
 * it. Once established, Suricata names it after the server's RFC state: a client FIN gives
 * close_wait, a server FIN first gives fin_wait1 (StreamTcpHandleFin).
 */
const TCP_STATE: Record<string, (c: TcpState, s: TcpState) => boolean> = {
  syn_sent: (c) => c === 'SYN_SENT',
  syn_recv: (_c, s) => s === 'SYN_RCVD',
  established: (c, s) => c === 'ESTABLISHED' && s === 'ESTABLISHED',
  fin_wait1: (c, s) => c === 'CLOSE_WAIT' && s === 'FIN_WAIT_1',
  fin_wait2: (c, s) => c === 'CLOSE_WAIT' && s === 'FIN_WAIT_2',
  close_wait: (c, s) => (c === 'FIN_WAIT_1' || c === 'FIN_WAIT_2') && s === 'CLOSE_WAIT',
  closing: (c, s) => hasSentFin(c) && s === 'CLOSING',
  // Client FIN first, then the server's: Suricata's CLOSE_WAIT handler moves to LAST_ACK on the
  // server's FIN whatever that FIN acknowledges, so FINs that crossed (our CLOSING, RFC 9293
  // §3.6) are last_ack there too.
  last_ack: (c, s) => hasSentFin(c) && (s === 'LAST_ACK' || s === 'CLOSING'),
  time_wait: (c, s) => (c === 'LAST_ACK' || c === 'CLOSING') && s === 'TIME_WAIT',
  // The last ACK was seen, or a reset taken: Suricata keeps no TIME_WAIT for the side that sent it.
  closed: (c, s) => done(c) && done(s),
};

/** Suricata's flow.state → the session states it covers (StreamTcpPacketSetState). */
const FLOW_STATE: Record<string, string[]> = {
  new: ['syn_sent', 'syn_recv'],
  established: ['established', 'fin_wait1', 'fin_wait2', 'closing', 'close_wait'],
  closed: ['last_ack', 'time_wait', 'closed'],
};

// ── Events ──────────────────────────────────────────────────────────────────────────────────

interface Facts {
  connections: JsonConnection[];
  segments: SegmentEvent[];
  /** The capture decoded again, with TCP options, for evidence the report does not carry. */
  decoded: Segment[];
  skipped: Record<string, number>;
  /**
   * ICMPv4 destination-unreachable errors quoting a TCP packet: source of the error, and the
   * quoted packet's sender and receiver.
   */
  icmpErrors: { from: string; quoted: { src: string; sport: number; dst: string; dport: number } }[];
}

interface Mapping {
  /** Our anomaly kinds that stand for the event (anomalies.md, column Suricata). */
  kinds?: AnomalyKind[];
  /** Or: packets we skip for this reason. */
  skipped?: string;
  /** Only anomalies that pass this test count. */
  when?: (a: JsonAnomaly, c: JsonConnection, f: Facts) => boolean;
  /**
   * The mapping is exact both ways: we must not report more than Suricata's count. Checked
   * only when the assertion covers every event of the same group (they share our kinds).
   */
  exact?: string;
}

const ACK_KINDS: AnomalyKind[] = ['ack-unseen-segment', 'ack-backwards'];
const FIN_BAD: Mapping = { kinds: ['fin-bad-seq'], exact: 'fin' };
const HANDSHAKE_ACK: Mapping = { kinds: ['handshake-ack-wrong'], exact: 'handshake ack' };
const OUT_OF_WINDOW: Mapping = { kinds: ['segment-beyond-window'], exact: 'window' };
const ipv6 = (a: JsonAnomaly, c: JsonConnection): boolean => c[a.side].addr.includes(':');
const INVALID_ACK: Mapping = { kinds: ACK_KINDS };
const SYN_IN_CONNECTION: Mapping = { kinds: ['syn-in-connection'] };

/**
 * A hole in one direction that the other side acknowledged later: what Suricata calls a gap
 * (stream-tcp-reassemble.c CheckGap).
 */
function ackedHole(a: JsonAnomaly, c: JsonConnection, f: Facts): boolean {
  const from = Number(a.evidence.from);
  return f.segments.some((s) => s.conn === c.id && s.side !== a.side && (s.flags & ACK) !== 0 && seqGt(s.ack, from));
}

/** Suricata event (stream.* without its prefix, TCP decoder events with theirs) → our counterpart. */
const MAPPED: Record<string, Mapping> = {
  '3whs_synack_with_wrong_ack': { kinds: ['synack-wrong-ack'], exact: 'synack ack' },
  '3whs_synack_tfo_data_ignored': { kinds: ['tfo-data-ignored'], exact: 'tfo' },
  '3whs_wrong_seq_wrong_ack': HANDSHAKE_ACK,
  '3whs_right_seq_wrong_ack_evasion': HANDSHAKE_ACK,
  '3whs_ack_in_wrong_dir': HANDSHAKE_ACK,
  // Suricata queues up to stream.max-syn-queued SYNs with new ISNs and counts the ones beyond;
  // we start a new attempt on each (port-reuse), so ours are at least as many.
  '3whs_syn_flood': { kinds: ['port-reuse'] },
  est_packet_out_of_window: OUT_OF_WINDOW,
  closewait_ack_out_of_window: OUT_OF_WINDOW,
  // StreamTcpValidateAck: ack beyond what the peer may have sent, or further back than a window.
  pkt_invalid_ack: INVALID_ACK,
  est_invalid_ack: INVALID_ACK,
  fin_invalid_ack: INVALID_ACK,
  fin1_invalid_ack: INVALID_ACK,
  fin2_invalid_ack: INVALID_ACK,
  closewait_invalid_ack: INVALID_ACK,
  closing_invalid_ack: INVALID_ACK,
  lastack_invalid_ack: INVALID_ACK,
  timewait_invalid_ack: INVALID_ACK,
  rst_invalid_ack: { kinds: ['rst-out-of-window', ...ACK_KINDS] },
  fin_out_of_window: FIN_BAD,
  fin1_fin_wrong_seq: FIN_BAD,
  fin2_fin_wrong_seq: FIN_BAD,
  closewait_fin_out_of_window: FIN_BAD,
  fin_syn: { kinds: ['bad-flags'], when: (a) => (Number(a.evidence.flags) & 0x03) === 0x03, exact: 'syn+fin' },
  est_syn_resend: { kinds: ['syn-retransmission'] },
  est_synack_resend: { kinds: ['synack-retransmission'] },
  '3whs_synack_resend_with_diff_seq': { kinds: ['synack-isn-changed'] },
  est_syn_resend_diff_seq: SYN_IN_CONNECTION,
  est_syn_toclient: SYN_IN_CONNECTION,
  est_synack_toserver: SYN_IN_CONNECTION,
  pkt_bad_window_update: { kinds: ['window-shrink'] },
  pkt_invalid_timestamp: { kinds: ['timestamp-regression'] },
  // StreamTcpPacketCheckPostRst: the RST's own sender goes on sending (not its peer).
  suspected_rst_inject: {
    kinds: ['rst-ignored'],
    when: (a, c, f) =>
      f.segments.find((s) => s.conn === c.id && s.frame === Number(a.evidence.rstFrame))?.side === a.side,
  },
  // Resent bytes compared with the first copy (StreamTcpReassembleHandleSegment → DoHandleDataOverlap).
  reassembly_overlap_different_data: { kinds: ['overlap-different-data'], exact: 'overlap' },
  reassembly_seq_gap: { kinds: ['previous-segment-not-captured'], when: ackedHole, exact: 'gap' },
  'tcpv4-csum:invalid': { kinds: ['bad-checksum'], when: (a, c) => !ipv6(a, c), exact: 'checksum v4' },
  'tcpv6-csum:invalid': { kinds: ['bad-checksum'], when: ipv6, exact: 'checksum v6' },
  'tcp.pkt_too_small': { skipped: 'bad TCP header' },
  'tcp.hlen_too_small': { skipped: 'bad TCP header' },
};

const RESEND =
  'a SYN-ACK resent with another ack, or with another seq once established, is not flagged; ' +
  'with the same seq it is synack-retransmission, whatever its ack';
const SPLIT =
  'a SYN or SYN-ACK from the other side during the handshake is followed as a split handshake ' +
  '(simultaneous-open at most)';

/** Suricata events and counters the corpus names that have no counterpart of ours, each with the reason. */
const UNMAPPED: Record<string, string> = {
  reassembly_depth_reached: "Suricata's own stream.reassembly.depth (50 bytes in that test): a setting, not a TCP fact",
  '3whs_async_wrong_seq': "Suricata's one-sided (async) stream mode; we do not switch modes",
  '3whs_synack_in_wrong_direction': SPLIT,
  '3whs_synack_toserver_on_syn_recv': SPLIT,
  '3whs_synack_resend_with_different_ack': RESEND,
  est_synack_resend_with_different_ack: RESEND,
  est_synack_resend_with_diff_seq: RESEND,
  '3whs_syn_resend_diff_seq_on_syn_recv':
    'a SYN with a new ISN after the SYN-ACK is not flagged while the handshake is open',
  '3whs_syn_toclient_on_syn_recv': SPLIT,
  '3whs_synack_flood': "Suricata's own queue limit for SYN-ACKs with different numbers",
  '3whs_ack_data_inject': "Suricata's check of data on the handshake's ACK against what it buffered; no counterpart",
  '4whs_synack_with_wrong_ack': 'broken four-way (split) handshakes are not judged beyond simultaneous-open',
  '4whs_synack_with_wrong_syn': 'broken four-way (split) handshakes are not judged beyond simultaneous-open',
  '4whs_wrong_seq': 'broken four-way (split) handshakes are not judged beyond simultaneous-open',
  '4whs_invalid_ack': 'broken four-way (split) handshakes are not judged beyond simultaneous-open',
  fin1_ack_wrong_seq: "an ACK's seq in a closing state is judged by the retransmission family and holes, not per state",
  fin2_ack_wrong_seq: "an ACK's seq in a closing state is judged by the retransmission family and holes, not per state",
  closing_ack_wrong_seq:
    "an ACK's seq in a closing state is judged by the retransmission family and holes, not per state",
  lastack_ack_wrong_seq:
    "an ACK's seq in a closing state is judged by the retransmission family and holes, not per state",
  timewait_ack_wrong_seq:
    "an ACK's seq in a closing state is judged by the retransmission family and holes, not per state",
  wrong_thread: "a check of Suricata's own packet threading",
  'tcp.opt_invalid_len': 'malformed options are kept as unknown options, not flagged',
  'tcp.invalid_optlen': 'malformed options are kept as unknown options, not flagged',
  'tcp.opt_duplicate': 'malformed options are kept as unknown options, not flagged',
  'stats.tcp.urg': 'a count of urgent segments, not an anomaly',
};

const isStreamEvent = (e: string): boolean => !e.startsWith('tcp') && !e.includes(':') && !e.startsWith('stats.');

/** The Suricata events of an exact group. */
function eventsOfGroup(group: string): string[] {
  return Object.entries(MAPPED)
    .filter(([, m]) => m.exact === group)
    .map(([e]) => e);
}

// ── Excuses: rules first ────────────────────────────────────────────────────────────────────

interface StateFact {
  label: string;
  count: number;
  match: Match;
  also: Match;
}

/** Suricata states we do not share, as rules over the assertion. */
const STATE_EXCUSES: { why: string; applies: (t: SuricataTest, f: StateFact) => boolean }[] = [
  {
    why:
      'a drop rule dropped the flow inline (flow.action drop): Suricata stopped tracking it at the drop; ' +
      'the capture, and we, go on',
    applies: (_t, f) => f.match['flow.action'] === 'drop',
  },
  {
    why:
      'IPS mode dropped every packet that failed a Suricata stream check (stats.ips.drop_reason.stream_error): ' +
      "its session stops at the first such packet; the capture keeps the hosts' packets, which we follow",
    applies: (t, f) => t.ips_mode && Number(f.also['stats.ips.drop_reason.stream_error'] ?? 0) > 0,
  },
];

interface ScopedCheck {
  events: string[];
  count: number;
  frame: number | undefined;
  src: string | undefined;
  sender: Side | undefined;
  args: string;
  label: string;
}

/** Events Suricata counts that we rightly do not, as rules: how many of them each explains. */
const EVENT_EXCUSES: { why: string; explains: (event: string, check: ScopedCheck, f: Facts) => number }[] = [
  {
    why:
      'Suricata checks the timestamp of a RST like any segment (StreamTcpValidateRst → StreamTcpValidateTimestamp); ' +
      'the receiver takes a RST whatever its TSval ' +
      '(Linux tcp_validate_incoming: "Reset is accepted even if it did not pass PAWS"), ' +
      'so it is no timestamp-regression',
    explains: (event, check, f) => (event === 'pkt_invalid_timestamp' ? resetsWithOlderTsval(f, check.frame) : 0),
  },
  {
    why:
      "the test's own stream.reassembly.urgent.policy=drop makes Suricata cut the urgent byte out of the stream, " +
      'which leaves the gap it counts; nothing was missing on the wire',
    explains: (event, check, f) =>
      event === 'reassembly_seq_gap' && check.args.includes('urgent.policy=drop')
        ? f.decoded.filter((s) => s.flags & URG && s.len > 0).length
        : 0,
  },
];

/** RSTs whose TSval is below the one their sender sent before (Suricata's timestamp check fails on them). */
function resetsWithOlderTsval(f: Facts, frame: number | undefined): number {
  const last = new Map<string, number>();
  let n = 0;
  for (const s of f.decoded) {
    const tsval = s.options?.tsval;
    if (tsval === undefined) continue;
    const sender = `${s.src} ${s.sport}`;
    const before = last.get(sender);
    if (s.flags & RST) {
      if (before !== undefined && seqLt(tsval, before) && (frame === undefined || frame === s.frame)) n++;
    } else if (before === undefined || seqGt(tsval, before)) {
      last.set(sender, tsval);
    }
  }
  return n;
}

const used = new Set<string>();

/** ICMPv4 destination-unreachable messages that quote a TCP packet (Suricata's ICMPV4_DEST_UNREACH_IS_VALID). */
function icmpErrors(bytes: Buffer, format: 'pcap' | 'pcapng'): Facts['icmpErrors'] {
  const out: Facts['icmpErrors'] = [];
  const ipv4 = (b: Buffer, at: number): string => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  for (const r of readRecords(bytes, format).records) {
    const link = linkType(r.linkType)?.decode;
    const net = { start: 0 };
    if (link === undefined || link(r.data, 0, r.data.length, net) !== NET_IPV4) continue;
    const ip = r.data.subarray(net.start);
    const ihl = ((ip[0] ?? 0) & 0x0f) * 4;
    if (ip.length < ihl + 8 + 20 || ip[9] !== 1 || ip[ihl] !== 3) continue;
    const inner = ip.subarray(ihl + 8);
    const innerIhl = (inner[0]! & 0x0f) * 4;
    if (inner[9] !== 6 || inner.length < innerIhl + 4) continue;
    out.push({
      from: ipv4(ip, 12),
      quoted: {
        src: ipv4(inner, 12),
        sport: inner.readUInt16BE(innerIhl),
        dst: ipv4(inner, 16),
        dport: inner.readUInt16BE(innerIhl + 2),
      },
    });
  }
  return out;
}

// ── Evaluation ──────────────────────────────────────────────────────────────────────────────

/** Full IPv6 spelling (Suricata writes every group with four digits). */
function canonical(addr: string): string {
  if (!addr.includes(':')) return addr;
  const [head, tail] = addr.toLowerCase().split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

type Flags = Record<number, { client: number; server: number }>;

function flagsPerSide(segments: SegmentEvent[]): Flags {
  const out: Flags = {};
  for (const s of segments) (out[s.conn] ??= { client: 0, server: 0 })[s.side] |= s.flags & 0xff;
  return out;
}

const OTHER: Record<Side, Side> = { client: 'server', server: 'client' };

/** Which of our sides is Suricata's client (to-server sender) for this record, or undefined if it is another flow. */
function orient(m: Match, c: JsonConnection): Side | undefined {
  const is = (e: { addr: string; port: number }, ip: Value | undefined, port: Value | undefined): boolean =>
    (ip === undefined || ip === null || canonical(String(ip)) === canonical(e.addr)) &&
    (port === undefined || port === null || Number(port) === e.port);
  const src = [m.src_ip, m.src_port];
  const dst = [m.dest_ip, m.dest_port];
  if (is(c.client, src[0], src[1]) && is(c.server, dst[0], dst[1])) return 'client';
  if (is(c.server, src[0], src[1]) && is(c.client, dst[0], dst[1])) return 'server';
  return undefined;
}

const FLAG_BITS: Record<string, number> = {
  fin: 0x01,
  syn: 0x02,
  rst: 0x04,
  psh: 0x08,
  ack: 0x10,
  urg: 0x20,
  ecn: 0x40,
  cwr: 0x80,
};

/** A flow record (both directions) or a netflow record (one direction: src → dest). */
type RecordKind = 'flow' | 'netflow';

/** Keys of a record we can judge; any other key (app_proto, bytes, age, ...) is taken as agreeing. */
function judged(key: string, kind: RecordKind): boolean {
  if (['src_ip', 'src_port', 'dest_ip', 'dest_port', 'proto'].includes(key)) return true;
  if (key === 'tcp.tcp_flags' || Object.keys(FLAG_BITS).some((f) => key === `tcp.${f}`)) return true;
  return kind === 'flow'
    ? [
        'tcp.state',
        'flow.state',
        'flow.pkts_toserver',
        'flow.pkts_toclient',
        'tcp.tcp_flags_ts',
        'tcp.tcp_flags_tc',
      ].includes(key)
    : key === 'netflow.pkts';
}

/** The keys of a record that disagree with connection c (empty: consistent), or undefined if c is another flow. */
function disagreement(kind: RecordKind, m: Match, c: JsonConnection, flags: Flags, facts: Facts): string[] | undefined {
  const ts = orient(m, c);
  if (ts === undefined || (m.proto !== undefined && m.proto !== 'TCP')) return undefined;
  const tc = OTHER[ts];
  const cl = c.final[ts];
  const sv = c.final[tc];
  const fl = flags[c.id] ?? { client: 0, server: 0 };
  // A netflow record is one direction: its flags are the sender's only.
  const all = kind === 'netflow' ? fl[ts] : fl.client | fl.server;
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  // Suricata attaches an ICMP error quoting a packet of the flow to that flow (flow-hash.c) and
  // counts it to the server only when it comes from the client's address (FlowGetPacketDirection).
  const icmp = facts.icmpErrors.filter((e) => {
    const q = e.quoted;
    const ours = (a: { addr: string; port: number }, b: { addr: string; port: number }): boolean =>
      q.src === a.addr && q.sport === a.port && q.dst === b.addr && q.dport === b.port;
    return ours(c.client, c.server) || ours(c.server, c.client);
  });
  const icmpToServer = icmp.filter((e) => e.from === c[ts].addr).length;
  const pkts = { ts: c.packets[ts] + icmpToServer, tc: c.packets[tc] + icmp.length - icmpToServer };
  const agrees: Record<string, (v: Value) => boolean> = {
    'tcp.state': (v) => TCP_STATE[String(v)]?.(cl, sv) ?? false,
    'flow.state': (v) => (FLOW_STATE[String(v)] ?? []).some((x) => TCP_STATE[x]!(cl, sv)),
    'flow.pkts_toserver': (v) => v === pkts.ts,
    'flow.pkts_toclient': (v) => v === pkts.tc,
    'netflow.pkts': (v) => v === pkts.ts,
    'tcp.tcp_flags': (v) => v === hex(all),
    'tcp.tcp_flags_ts': (v) => v === hex(fl[ts]),
    'tcp.tcp_flags_tc': (v) => v === hex(fl[tc]),
    ...Object.fromEntries(
      Object.entries(FLAG_BITS).map(([name, bit]) => [`tcp.${name}`, (v: Value) => v !== true || (all & bit) !== 0]),
    ),
  };
  return Object.entries(m)
    .filter(([k, v]) => judged(k, kind) && agrees[k] !== undefined && !agrees[k](v))
    .map(([k, v]) => `${k} ${v}`);
}

/**
 * Flow and netflow records among a test's other checks that are about TCP flows (a proto or
 * an address or port in the match; `{}` also counts UDP and other flows).
 */
function otherFlowRecords(t: SuricataTest): [RecordKind, Counted][] {
  const out: [RecordKind, Counted][] = [];
  for (const { event_type: type, count = 0, match = {} } of t.other_checks ?? []) {
    const tcp = match.proto === 'TCP' || ['src_ip', 'dest_ip', 'src_port', 'dest_port'].some((k) => k in match);
    if (count > 0 && tcp && (type === 'flow' || type === 'netflow')) out.push([type, { count, match }]);
  }
  return out;
}

/**
 * Gives each record (count times) its own connection that agrees with it (Kuhn's matching);
 * returns how many got one.
 */
function assign(
  records: Counted[],
  ok: (m: Match, c: JsonConnection) => boolean,
  connections: JsonConnection[],
): number[] {
  const slots = records.flatMap((r, i) => Array<number>(r.count).fill(i));
  const owner = new Map<number, number>();
  const tryAssign = (slot: number, seen: Set<number>): boolean => {
    for (const c of connections) {
      if (seen.has(c.id) || !ok(records[slots[slot]!]!.match, c)) continue;
      seen.add(c.id);
      const other = owner.get(c.id);
      if (other === undefined || tryAssign(other, seen)) {
        owner.set(c.id, slot);
        return true;
      }
    }
    return false;
  };
  const got = records.map(() => 0);
  slots.forEach((slot, i) => {
    if (tryAssign(i, new Set())) got[slot]!++;
  });
  return got;
}

/** The state of each side after `frame` (transitions up to it, in the order they were reported). */
function statesAfter(c: JsonConnection, frame: number): { client: TcpState; server: TcpState } {
  const at = (side: Side): TcpState => {
    const mine = c.transitions.filter((t) => t.side === side);
    const before = mine.filter((t) => t.frame <= frame);
    return before.at(-1)?.to ?? mine[0]?.from ?? c.final[side];
  };
  return { client: at('client'), server: at('server') };
}

function scoped(check: EventCheck, t: SuricataTest): ScopedCheck {
  const also = check.also_matching ?? {};
  const events =
    check.event === 'ANY alert from the loaded rules'
      ? (check.events_loaded ?? [])
      : check.event === 'ANY stream anomaly'
        ? [...Object.keys(MAPPED), ...Object.keys(UNMAPPED)].filter(isStreamEvent)
        : [check.event.replace(/^stream\./, '')];
  const direction = also.direction;
  const atFrame = typeof also.pcap_cnt === 'number' ? ` @${also.pcap_cnt}` : '';
  const fromIp = typeof also.src_ip === 'string' ? ` from ${also.src_ip}` : '';
  return {
    events,
    count: check.count,
    frame: typeof also.pcap_cnt === 'number' ? also.pcap_cnt : undefined,
    src: typeof also.src_ip === 'string' ? canonical(also.src_ip) : undefined,
    sender: direction === 'to_server' ? 'client' : direction === 'to_client' ? 'server' : undefined,
    args: t.args.join(' '),
    label: `${check.via} ${check.event}${atFrame}${fromIp}`,
  };
}

interface EventVerdict {
  label: string;
  mapped: boolean;
  suricata: number;
  ours: number;
  consistent: boolean;
  excused: number;
  why: string[];
}

function judgeEvents(check: ScopedCheck, f: Facts): EventVerdict {
  const unknown = check.events.filter((e) => !(e in MAPPED) && !(e in UNMAPPED));
  if (unknown.length > 0)
    throw new Error(`${check.label}: events neither mapped nor listed as unmapped: ${unknown.join(', ')}`);
  const mapped = check.events.filter((e) => e in MAPPED);
  const count = (mappings: Mapping[]): number => {
    const skips = new Set(mappings.flatMap((m) => (m.skipped === undefined ? [] : [m.skipped])));
    let n = [...skips].reduce((sum, reason) => sum + (f.skipped[reason] ?? 0), 0);
    for (const c of f.connections) {
      for (const a of c.anomalies) {
        if (check.frame !== undefined && a.frame !== check.frame) continue;
        if (check.sender !== undefined && a.side !== check.sender) continue;
        if (check.src !== undefined && canonical(c[a.side].addr) !== check.src) continue;
        if (mappings.some((m) => m.kinds?.includes(a.kind as AnomalyKind) && (m.when?.(a, c, f) ?? true))) n++;
      }
    }
    return n;
  };
  const verdict: EventVerdict = {
    label: check.label,
    mapped: mapped.length > 0,
    suricata: check.count,
    ours: 0,
    consistent: true,
    excused: 0,
    why: [],
  };
  if (!verdict.mapped) return verdict;
  // At least as many as Suricata counts.
  if (check.count > 0) {
    verdict.ours = count(mapped.map((e) => MAPPED[e]!));
    let missing = check.count - verdict.ours;
    for (const excuse of EVENT_EXCUSES) {
      if (missing <= 0) break;
      const explained = Math.min(
        missing,
        mapped.reduce((n, e) => n + excuse.explains(e, check, f), 0),
      );
      if (explained <= 0) continue;
      used.add(excuse.why);
      verdict.excused += explained;
      verdict.why.push(excuse.why);
      missing -= explained;
    }
    if (missing > 0) verdict.consistent = false;
  }
  // Exact mappings: no more than Suricata counts, when the assertion covers all their events.
  const exact = mapped.filter((e) => {
    const group = MAPPED[e]!.exact;
    return group !== undefined && eventsOfGroup(group).every((x) => check.events.includes(x));
  });
  if (exact.length > 0) {
    const ours = count(exact.map((e) => MAPPED[e]!));
    if (ours > check.count) {
      verdict.consistent = false;
      verdict.why.push(`we report ${ours} of ${[...new Set(exact.flatMap((e) => MAPPED[e]!.kinds ?? []))].join(', ')}`);
    }
    verdict.ours = Math.max(verdict.ours, ours);
  }
  return verdict;
}

/**
 * Skipped packets are only counted per capture: checks of a decoder event that differ by
 * source become one, counting each source once (the largest count any test gives it).
 */
function mergeSkipChecks(checks: ScopedCheck[]): ScopedCheck[] {
  const skipOnly = (c: ScopedCheck): boolean => c.events.every((e) => MAPPED[e]?.skipped !== undefined);
  const merged = new Map<string, ScopedCheck & { bySource: Map<string, number> }>();
  const rest: ScopedCheck[] = [];
  for (const c of checks) {
    if (!skipOnly(c) || c.frame !== undefined) {
      rest.push(c);
      continue;
    }
    const key = c.events.join(',');
    const m = merged.get(key) ?? {
      ...c,
      src: undefined,
      label: `${c.events.join(', ')} (all sources)`,
      bySource: new Map<string, number>(),
    };
    m.bySource.set(c.src ?? '', Math.max(m.bySource.get(c.src ?? '') ?? 0, c.count));
    m.count = [...m.bySource.values()].reduce((a, b) => a + b, 0);
    merged.set(key, m);
  }
  return [...rest, ...merged.values()];
}

// ── The test ────────────────────────────────────────────────────────────────────────────────

interface Row {
  capture: string;
  stateFacts: number;
  stateConsistent: number;
  stateExcused: number;
  eventChecks: number;
  eventChecksConsistent: number;
  eventsTotal: number;
  eventsMatched: number;
  eventsExcused: number;
  unmapped: string[];
}

const rows: Row[] = [];
/** Captures whose tests assert no TCP fact, only detection alerts or app-layer records. */
const indirectOnly: string[] = [];

describeCorpus('suricata', 'final states and anomalies consistent with the Suricata corpus', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.expect.json'))
    .sort();
  for (const file of files) {
    const capture = file.replace('.expect.json', '');
    const tests = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { expect: SuricataTest[] }).expect;
    const asserts = tests.some(
      (t) =>
        t.tcp_flows !== null ||
        t.tcp_packet_states !== null ||
        t.stream_events !== null ||
        t.stats !== null ||
        otherFlowRecords(t).length > 0,
    );
    if (!asserts) {
      indirectOnly.push(capture); // only indirect oracles (detection alerts, app-layer records)
      continue;
    }

    it(capture, async () => {
      const { connections, segments, report } = await analyse(join(dir, capture), { segments: true });
      const format = report.format === 'pcapng' ? 'pcapng' : 'pcap';
      const bytes = readFileSync(join(dir, capture));
      const facts: Facts = {
        connections,
        segments,
        decoded: decode(bytes, format).segments,
        skipped: Object.fromEntries(report.stats?.skipReasons ?? []),
        icmpErrors: icmpErrors(bytes, format),
      };
      const flags = flagsPerSide(segments);
      const row: Row = {
        capture,
        stateFacts: 0,
        stateConsistent: 0,
        stateExcused: 0,
        eventChecks: 0,
        eventChecksConsistent: 0,
        eventsTotal: 0,
        eventsMatched: 0,
        eventsExcused: 0,
        unmapped: [],
      };
      const wrong: string[] = [];
      const judgeState = (t: SuricataTest, fact: StateFact, agreeing: number, detail: string): void => {
        row.stateFacts += fact.count;
        row.stateConsistent += agreeing;
        if (agreeing >= fact.count) return;
        const excuse = STATE_EXCUSES.find((e) => e.applies(t, fact));
        if (excuse !== undefined) {
          used.add(excuse.why);
          row.stateExcused += fact.count - agreeing;
          return;
        }
        wrong.push(`${t.test}: ${fact.label} ×${fact.count}: ${agreeing} agree; ${detail}`);
      };

      // Flow records: each its own agreeing connection, per list (identical lists once). Flow
      // and netflow records among the other checks count too, each on its own (a netflow
      // record is one direction, so both of a connection's records take the same connection).
      const seenFlows = new Set<string>();
      for (const t of tests) {
        const lists: [RecordKind, Counted[]][] = [
          ['flow', t.tcp_flows ?? []],
          ...otherFlowRecords(t).map(([k, r]): [RecordKind, Counted[]] => [k, [r]]),
        ];
        for (const [kind, records] of lists) {
          const key = JSON.stringify([kind, records]);
          if (records.length === 0 || seenFlows.has(key)) continue;
          seenFlows.add(key);
          const agree = (m: Match, c: JsonConnection): boolean => disagreement(kind, m, c, flags, facts)?.length === 0;
          const got = assign(records, agree, connections);
          records.forEach((r, i) => {
            const candidates = connections.flatMap((c) => {
              const d = disagreement(kind, r.match, c, flags, facts);
              return d === undefined
                ? []
                : [
                    `#${c.id} ${c.final.client}/${c.final.server} ${c.packets.client}/${c.packets.server} pkts: ` +
                      (d.join(', ') || 'agrees'),
                  ];
            });
            // With every key judged, Suricata's count is exact: no more connections of ours may agree.
            const exact = Object.keys(r.match).every((k) => judged(k, kind));
            const all = connections.filter((c) => agree(r.match, c)).length;
            const agreeing = exact && all > r.count ? 0 : got[i]!;
            const shown = Object.entries(r.match)
              .filter(([k]) => judged(k, kind))
              .map(([k, v]) => `${k}=${v}`)
              .join(' ');
            judgeState(
              t,
              { label: `${kind} ${shown}`, count: r.count, match: r.match, also: r.also_matching ?? {} },
              agreeing,
              (exact ? `${all} of ours agree, Suricata counts exactly ${r.count}; ` : '') +
                (candidates.join('; ') || 'no connection on that port pair'),
            );
          });
        }
      }

      // Per-packet session states.
      const seenPackets = new Set<string>();
      for (const t of tests) {
        for (const p of t.tcp_packet_states ?? []) {
          const key = JSON.stringify(p);
          if (seenPackets.has(key)) continue;
          seenPackets.add(key);
          const frame = Number(p.match.pcap_cnt);
          const state = String(p.match['stream_tcp.session.state']);
          const seg = segments.find((s) => s.frame === frame);
          const c = connections.find((x) => x.id === seg?.conn);
          const direction = p.match.direction;
          let agreeing = 0;
          let detail = `frame ${frame} is not a segment of ours`;
          if (seg !== undefined && c !== undefined) {
            const st = statesAfter(c, frame);
            const dirOk = direction === undefined || (direction === 'to_server') === (seg.side === 'client');
            agreeing = dirOk && (TCP_STATE[state]?.(st.client, st.server) ?? false) ? 1 : 0;
            detail = `ours after frame ${frame} (${seg.side} sent it): ${st.client}/${st.server}`;
          }
          judgeState(
            t,
            { label: `packet ${frame} ${direction ?? ''} ${state}`, count: p.count, match: p.match, also: {} },
            agreeing,
            detail,
          );
        }
      }

      // Stats: flow end states are state facts, stream/tcp counters are event checks.
      const checks = new Map<string, ScopedCheck>();
      const addCheck = (c: ScopedCheck): void => {
        checks.set(JSON.stringify([c.events, c.count, c.frame, c.src, c.sender, c.args]), c);
      };
      for (const t of tests) {
        for (const s of t.stats ?? []) {
          const endKeys = Object.entries(s.match).filter(([k]) => k.startsWith('stats.flow.end.'));
          if (endKeys.length > 0) {
            const count = Number(endKeys[0]![1]);
            const names = endKeys.map(([k]) => k.split('.').at(-1)!);
            const tcp = endKeys
              .filter(([k]) => k.startsWith('stats.flow.end.tcp_state.'))
              .map(([k]) => k.split('.').at(-1)!);
            const flow = endKeys
              .filter(([k]) => k.startsWith('stats.flow.end.state.'))
              .map(([k]) => k.split('.').at(-1)!);
            const agreeing = connections.filter(
              (c) =>
                tcp.every((x) => TCP_STATE[x]?.(c.final.client, c.final.server) ?? false) &&
                flow.every((x) => (FLOW_STATE[x] ?? []).some((y) => TCP_STATE[y]!(c.final.client, c.final.server))),
            ).length;
            // A counter is exact: as many of ours, no more.
            judgeState(
              t,
              { label: `flows ending ${names.join('/')}`, count, match: s.match, also: s.also_matching ?? {} },
              agreeing > count ? 0 : agreeing,
              `ours: ${connections.map((c) => `${c.final.client}/${c.final.server}`).join(', ')}`,
            );
          }
          for (const [k, v] of Object.entries(s.match)) {
            if (k.startsWith('stats.flow.end.')) continue;
            const event =
              k === 'stats.tcp.reassembly_gap'
                ? 'reassembly_seq_gap'
                : k.startsWith('stats.stream.')
                  ? k.slice('stats.stream.'.length)
                  : k;
            addCheck({
              events: [event],
              count: Number(v),
              frame: undefined,
              src: undefined,
              sender: undefined,
              args: t.args.join(' '),
              label: k,
            });
          }
        }
        for (const e of t.stream_events ?? []) addCheck(scoped(e, t));
      }

      for (const check of mergeSkipChecks([...checks.values()])) {
        const v = judgeEvents(check, facts);
        if (!v.mapped) {
          row.unmapped.push(`${check.label} ×${check.count}`);
          continue;
        }
        row.eventChecks++;
        row.eventsTotal += check.count;
        row.eventsMatched += Math.min(v.ours, check.count);
        row.eventsExcused += v.excused;
        if (v.consistent) row.eventChecksConsistent++;
        else
          wrong.push(
            `${v.label}: Suricata ${check.count}, ours ${v.ours}${v.why.length > 0 ? ` (${v.why.join('; ')})` : ''}`,
          );
      }

      rows.push(row);
      expect(wrong).toEqual([]);
    });
  }

  it('every excuse rule is still needed', () => {
    const rules = [...STATE_EXCUSES.map((e) => e.why), ...EVENT_EXCUSES.map((e) => e.why)];
    expect(rules.filter((why) => !used.has(why))).toEqual([]);
  });

  afterAll(() => {
    if (rows.length === 0) return;
    const sum = (f: (r: Row) => number): number => rows.reduce((n, r) => n + f(r), 0);
    const width = Math.max(...rows.map((r) => r.capture.length));
    // Capture name left-aligned, numbers right-aligned under their heading, the unmapped list as it comes.
    const line = (cells: (string | number)[]): string =>
      cells
        .map((c, i) => (i === 0 ? String(c).padEnd(width) : i === cells.length - 1 ? String(c) : String(c).padStart(6)))
        .join('  ');
    console.log(
      [
        'Agreement with the Suricata corpus: state facts (flow and netflow records, packet states, flow-end counters),',
        'event checks and the events they count (mapped stream and decoder events), and what is accepted by a rule.',
        line(['capture', 'facts', 'agree', 'rule', 'checks', 'agree', 'events', 'match', 'rule', 'unmapped']),
        ...rows.map((r) =>
          line([
            r.capture,
            r.stateFacts,
            r.stateConsistent,
            r.stateExcused,
            r.eventChecks,
            r.eventChecksConsistent,
            r.eventsTotal,
            r.eventsMatched,
            r.eventsExcused,
            r.unmapped.join(', ') || '-',
          ]),
        ),
        line([
          'total',
          sum((r) => r.stateFacts),
          sum((r) => r.stateConsistent),
          sum((r) => r.stateExcused),
          sum((r) => r.eventChecks),
          sum((r) => r.eventChecksConsistent),
          sum((r) => r.eventsTotal),
          sum((r) => r.eventsMatched),
          sum((r) => r.eventsExcused),
          sum((r) => r.unmapped.length),
        ]),
        `Not judged: ${indirectOnly.length} captures whose tests assert no TCP fact ` +
          '(only detection alerts or app-layer records).',
      ].join('\n'),
    );
  });
});
