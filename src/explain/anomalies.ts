/**
 * What each anomaly kind means, why it usually happens and what to look at next.
 *
 * Keyed by the kebab-case kind id of the anomaly catalogue (the ids the tracker emits). Each
 * entry ranks its likely causes, most likely first, and names one to three concrete checks: a
 * command, a counter, a setting, or where to capture. A kind written in backticks inside a
 * text is another kind of this catalogue.
 *
 * Pure data: no I/O.
 */
import type { AnomalyKind } from '../events.js';

export interface AnomalyExplanation {
  /** One line: what it is, in plain words (no jargon without its meaning). */
  title: string;
  /** 2–4 sentences: what the observer saw and what it means for the two hosts. */
  meaning: string;
  /** Likely causes, most likely first, each one short sentence (2–5 causes). */
  causes: string[];
  /** What to check next: concrete (a command, a counter, a setting, where to capture). 1–3 items. */
  check: string[];
  /**
   * The RFC section(s) or peer-tool rule it follows, e.g. "RFC 9293 §3.8.6.1",
   * "Wireshark tcp.analysis.zero_window".
   */
  refs: string[];
  /**
   * The causes that remain once the tracker has told which one it saw (the anomaly's `cause`
   * evidence), keyed by that verdict; most likely first.
   */
  causesWhen?: Record<string, string[]>;
}

const HOLE_CAPTURE_DROPPED =
  'The capture dropped packets (kernel buffer, a busy capture host, an oversubscribed SPAN port).';
const HOLE_FILTERED = 'A capture filter removed some segments (e.g. a filter matching payload).';
const HOLE_REAL_LOSS = 'Real loss before the capture point: a `retransmission` fills the hole later.';
const HOLE_REORDERED = 'Reordering: an `out-of-order` segment fills it moments later.';
const HOLE_QUICK_RESEND =
  'Real loss before the capture point, resent so soon (fast retransmit, RACK) that the resend looks like reordering.';
const RESENT_LOST_AFTER_CAPTURE =
  'Loss after the capture point, between it and the receiver: the first copy passed here, ' +
  "and the receiver's duplicate ACKs or SACKs ask for these bytes.";
const RESENT_LOST_BEFORE_CAPTURE =
  'Loss before the capture point: the first copy never passed here, ' +
  'and this copy was sent after the bytes that followed the hole.';
const SPURIOUS_CAPTURE_REORDERED =
  'The capture reordered packets (several interfaces, `-i any`, multi-queue timestamps).';

const CATALOGUE = {
  // ── Opening the connection ────────────────────────────────────────────────────────────────
  'syn-retransmission': {
    title: 'The client sent its SYN again: no SYN-ACK came back in time',
    meaning:
      'The same connection attempt (same initial sequence number) was repeated ' +
      'because the first SYN got no answer before the retransmission timer fired. ' +
      'Linux starts that timer at 1 s and doubles it, so the copies come 1 s, 2 s, 4 s, ' +
      '8 s… after the first; with the default 6 retries it gives up after about 127 s. ' +
      'The user sees a connect() that hangs, then either succeeds late or times out.',
    causes: [
      'A firewall or security group silently drops the SYN (no RST, no ICMP).',
      "The server's listen queue is full, so Linux drops the SYN without answering.",
      'The SYN-ACK is lost or takes another path back (asymmetric routing, a stateful firewall drops it).',
      'Packet loss on the path.',
    ],
    check: [
      'Capture on the server: if the SYN never arrives, look at the ' +
        'firewalls in between; if it arrives unanswered, look at the server.',
      'On the server: `nstat -az TcpExtListenOverflows TcpExtListenDrops` ' +
        'and `ss -ltn` (Recv-Q against Send-Q of the listener).',
      'Firewall drop counters on the path (`nft list ruleset`, `iptables -L -v -n`).',
    ],
    refs: [
      'RFC 6298 §2.1, §5.5',
      'RFC 9293 §3.5',
      'Wireshark tcp.analysis.retransmission',
      'Linux net.ipv4.tcp_syn_retries',
    ],
  },
  'synack-retransmission': {
    title: 'The server sent its SYN-ACK again: the final ACK of the handshake did not come',
    meaning:
      'The server repeated its SYN-ACK (same sequence number) because no ACK from the client ' +
      'completed the handshake before its timer fired, or because a repeated SYN asked for it again. ' +
      "Meanwhile the connection waits half open in the server's SYN queue. " +
      'Linux resends it at 1 s, 2 s, 4 s… up to net.ipv4.tcp_synack_retries (default 5).',
    causes: [
      'The SYN-ACK was lost on the way to the client, which then ' +
        'resent its SYN (look for a `syn-retransmission` just before).',
      "The client's final ACK was lost on the way back.",
      'A stateful firewall or NAT near the client drops the SYN-ACK (asymmetric routing: it never saw the SYN).',
    ],
    check: [
      'Capture on the client: does the SYN-ACK arrive, and does the client answer it?',
      'On the server: `nstat -az TcpExtTCPSynRetrans`.',
    ],
    refs: [
      'RFC 9293 §3.5',
      'RFC 6298 §2.1, §5.5',
      'Suricata stream.est_synack_resend',
      'Wireshark tcp.analysis.retransmission',
    ],
  },
  'synack-isn-changed': {
    title: 'A second SYN-ACK with another ISN: the server started its half of the handshake again',
    meaning:
      'The server answered the same SYN twice with different initial sequence numbers. A retransmitted ' +
      'SYN-ACK repeats the first one exactly, so this is a new answer: the listening side forgot its ' +
      'first SYN-ACK (the entry left its SYN queue, or another machine answered). The client accepts ' +
      'whichever SYN-ACK reaches it first; its ACK shows which one, and the connection goes on with that ISN.',
    causes: [
      'A load balancer or cluster failing over between two back ends that both answer the SYN.',
      'SYN cookies: the SYN queue overflowed, and a repeated SYN got a freshly computed answer.',
      'A middlebox (proxy, SYN-flood protection) answering the SYN itself, then the real server too.',
    ],
    check: [
      "Which ISN does the client's ACK answer? That SYN-ACK is the one the connection uses.",
      'On the server: `nstat -az TcpExtSyncookiesSent TcpExtListenOverflows`.',
    ],
    refs: ['RFC 9293 §3.5', 'RFC 4987 §3.6', 'Suricata stream.3whs_synack_resend_with_diff_seq'],
  },
  'synack-wrong-ack': {
    title: "The SYN-ACK acknowledges the wrong number: not the client's ISN + 1",
    meaning:
      "A SYN-ACK must acknowledge the client's initial sequence number " +
      "(ISN) plus one, or plus the SYN's data length with TCP Fast Open. " +
      'This one acknowledges something else, so it answers a different SYN. ' +
      'The client must reject it with a RST whose sequence number is that ack, and the handshake does not complete.',
    causes: [
      'A late SYN-ACK answering an earlier attempt on the same port pair (an older ISN).',
      'A middlebox rewrites sequence numbers (firewall ISN randomization) ' +
        'in one direction only, or the capture sits on one side of it.',
      'A forged or injected SYN-ACK (scan, attack).',
    ],
    check: [
      'Look for an earlier SYN on the same port pair whose ISN + 1 equals this ack.',
      'Capture on both sides of the firewall or NAT and compare the SYN and SYN-ACK numbers.',
    ],
    refs: ['RFC 9293 §3.10.7.3', 'RFC 7413 §4.2', 'Suricata stream.3whs_synack_with_wrong_ack', 'Zeek bad_SYN_ack'],
  },
  'handshake-ack-wrong': {
    title: 'The ACK that should complete the handshake has the wrong numbers',
    meaning:
      'The third packet of the handshake must carry seq = client ' +
      'ISN + 1 and ack = server ISN + 1, and come from the client. ' +
      'This one does not, so the server, still in SYN_RCVD, must reject it (a ' +
      'RST for a bad ack, an ACK for a bad seq) instead of moving to ESTABLISHED.',
    causes: [
      'A middlebox rewrites sequence numbers in one direction, ' +
        'or the capture sees traffic before and after such a device.',
      'The client answers a different (older) SYN-ACK on the same port pair.',
      'The capture only sees part of the path (split routing), so the numbers come from two different flows.',
      'Forged or injected packets.',
    ],
    check: [
      "Compare this ACK with the SYN-ACK's sequence number: " +
        'is it off by a constant (rewriting) or unrelated (another flow)?',
      'Capture on both sides of the firewall, load balancer or NAT.',
    ],
    refs: ['RFC 9293 §3.10.7.4', 'Suricata stream.3whs_wrong_seq_wrong_ack', 'Zeek possible_split_routing'],
  },
  'syn-with-data': {
    title: 'The SYN carries data',
    meaning:
      'Data in a SYN is legal, but without Fast Open the server holds it until the handshake completes. ' +
      'With a Fast Open option (kind 34, or the experimental 254 with magic 0xF989) it is TCP Fast Open: ' +
      'with a valid cookie the server hands the data to the application one round trip early. ' +
      'Real stacks rarely put data in a SYN without that option.',
    causes: [
      'TCP Fast Open enabled on the client (e.g. `curl --tcp-fastopen`).',
      'A scanner or crafted packet (hping3, fuzzers, evasion attempts).',
    ],
    check: [
      'The SYN\'s options: `tshark -r FILE -Y "tcp.option_kind == 34"`.',
      '`sysctl net.ipv4.tcp_fastopen` on both hosts (1 = client, 2 = server, 3 = both).',
    ],
    refs: ['RFC 7413 §4.1, §4.2', 'RFC 9293 §3.10.7.2', 'Wireshark tcp.analysis.tfo_syn', 'Zeek SYN_with_data'],
  },
  'tfo-data-ignored': {
    title: 'The server accepted the SYN but not the data it carried (Fast Open refused)',
    meaning:
      "The SYN-ACK acknowledges only ISN + 1, not ISN + 1 + the SYN's data, so the server dropped that data. " +
      'Nothing is lost: the client sends the data again after the handshake, ' +
      'but the round trip Fast Open was meant to save is spent anyway.',
    causes: [
      'The client had no valid cookie yet: this SYN only asked for one.',
      'Fast Open is off on the server, or the listening socket did not enable it.',
      'The cookie was rejected (server key rotated, server restarted, client address changed).',
      'A middlebox stripped the Fast Open option.',
    ],
    check: [
      'On the server: `sysctl net.ipv4.tcp_fastopen` (needs the 2 bit) and ' +
        '`nstat -az TcpExtTCPFastOpenPassiveFail TcpExtTCPFastOpenCookieReqd`.',
      'On the client: `nstat -az TcpExtTCPFastOpenActiveFail`.',
    ],
    refs: ['RFC 7413 §4.2', 'Wireshark tcp.analysis.tfo_ignored', 'Suricata stream.3whs_synack_tfo_data_ignored'],
  },
  'simultaneous-open': {
    title: 'Both sides sent a SYN before either answered (simultaneous open)',
    meaning:
      'Each side actively opened the same port pair and the two SYNs crossed. ' +
      "TCP allows it: each side answers the other's SYN with a " +
      'SYN-ACK and both reach ESTABLISHED without a listener. ' +
      'It is rare outside a few deliberate uses.',
    causes: [
      'NAT traversal (TCP hole punching) by peer-to-peer software.',
      'A program connecting to its own ephemeral port on the same host: the socket connects to itself.',
      'Both programs bind fixed local ports and connect to each other at the same time.',
    ],
    check: [
      'Which processes own the ports: `ss -tnp` on both hosts.',
      'If both ends are the same address and port: the target port is inside `sysctl net.ipv4.ip_local_port_range`.',
    ],
    refs: ['RFC 9293 §3.5', 'Zeek simultaneous_open'],
  },
  'syn-in-connection': {
    title: 'A SYN arrived inside an established connection',
    meaning:
      'A SYN with the same ISN is a late copy of the opening SYN. ' +
      'A SYN with a new ISN means the sender believes the connection ' +
      'is gone and is opening a new one on the same port pair. ' +
      'The receiver must not reset; it answers with a challenge ACK of its current numbers, ' +
      'the sender then resets its stale state with a RST and retries.',
    causes: [
      'The SYN sender rebooted or dropped the connection without the peer noticing (its RST or FIN was lost).',
      'A NAT or load balancer forgot the flow (idle timeout) and reused the port for a new connection.',
      'A delayed duplicate of the original SYN (same ISN).',
    ],
    check: [
      'Look for the challenge ACK from the peer right after, then a RST from the SYN sender and a new SYN.',
      'On the receiver: `nstat -az TcpExtTCPSYNChallenge TcpExtTCPChallengeACK`.',
      'NAT/conntrack idle timeouts, e.g. `sysctl net.netfilter.nf_conntrack_tcp_timeout_established`.',
    ],
    refs: [
      'RFC 5961 §4',
      'RFC 9293 §3.10.7.4',
      'Zeek SYN_inside_connection',
      'Suricata stream.est_syn_resend_diff_seq',
    ],
  },
  'port-reuse': {
    title: 'A new connection on the same addresses and ports as one that already ended',
    meaning:
      'The earlier connection on this port pair was closed (FIN ' +
      'or RST) and a new SYN with a new ISN starts a new one. ' +
      'This is normal; it only matters when the old connection may still be in TIME_WAIT (see `time-wait-reuse`). ' +
      'An ended connection is remembered for 2×MSL (`--msl`) after its last packet, at most 65,536 of them.',
    causes: [
      'Many short connections to the same server wrapped around the ephemeral port range.',
      'The client binds a fixed source port.',
      'A long capture: ports come round again.',
    ],
    check: [
      '`sysctl net.ipv4.ip_local_port_range` and the rate of new connections to that server.',
      '`ss -tan state time-wait | wc -l` on the client.',
    ],
    refs: ['RFC 6056', 'Wireshark tcp.analysis.reused_ports', 'Zeek active_connection_reuse'],
  },
  'time-wait-reuse': {
    title: 'A new connection reused a port pair while the old one was still in TIME_WAIT',
    meaning:
      'The side that closed first keeps the old connection in TIME_WAIT (2×MSL = ' +
      '240 s by the RFC, 60 s on Linux) so late packets cannot leak into a new one. ' +
      "It may accept a new SYN early only if the new ISN is above the old connection's " +
      "sequence numbers, or, with timestamps, if the SYN's timestamp is larger. " +
      'Otherwise it answers the SYN with an ACK of the old connection, ' +
      'the client resets and retries after 1 s: a one-second connect delay.',
    causes: [
      'A client making many short connections to one server ran out of fresh ports (or uses net.ipv4.tcp_tw_reuse).',
      'The server closes first, so TIME_WAIT sits on the server while clients reconnect from the same port.',
      'The client binds a fixed source port.',
    ],
    check: [
      "If flagged as risky: look for the old connection's ACK answering the SYN, then a RST and a SYN retry.",
      '`ss -tan state time-wait | wc -l` and `sysctl net.ipv4.tcp_tw_reuse net.ipv4.ip_local_port_range`.',
      'Whether both SYNs carry timestamps (`tcp.options.timestamp.tsval` in Wireshark).',
    ],
    refs: ['RFC 1122 §4.2.2.13', 'RFC 6191', 'RFC 9293 §3.6.1', 'Zeek premature_connection_reuse'],
  },
  'connection-refused': {
    title: 'The SYN was answered with a RST: connection refused',
    meaning:
      'The server side answered the connection attempt with a reset, ' +
      "so the client's connect() fails at once with ECONNREFUSED. " +
      'The host (or something pretending to be it) is reachable, but nothing accepts connections on that port.',
    causes: [
      'No process listens on that port (service down, wrong port).',
      'The service listens only on another address, e.g. 127.0.0.1 instead of the external one.',
      'A firewall rejects with a TCP reset instead of dropping.',
    ],
    check: [
      'On the server: `ss -ltnp` to see what listens on that port and on which address.',
      "Compare the RST's IP TTL with the server's other packets: a different TTL means a firewall forged it.",
      'Firewall rules with REJECT --reject-with tcp-reset (`nft list ruleset`, `iptables -L -v -n`).',
    ],
    refs: ['RFC 9293 §3.5.2, §3.10.7.1', 'Zeek conn_state REJ', 'Wireshark tcp.connection.rst'],
  },
  'bad-flags': {
    title: 'A flag combination no real TCP stack sends',
    meaning:
      'SYN+FIN, SYN+RST, FIN+RST or SYN+URG make no sense together; ' +
      'stacks drop or reset such packets, and their behaviour differs, which scanners use. ' +
      'An acknowledgement number that is not zero while the ACK ' +
      'flag is off is harmless but also a mark of crafted packets.',
    causes: [
      'A port scanner or OS fingerprinting (nmap Xmas and FIN scans).',
      'Crafted packets: fuzzers, IDS evasion, attack tools.',
      'A broken middlebox or NIC corrupting headers.',
    ],
    check: [
      "Who sends them: source address, and the IP TTL and ID compared with that host's normal packets.",
      'IDS or firewall logs for the same source at that time.',
    ],
    refs: [
      'RFC 9293 §3.1, §3.10.7',
      'Zeek TCP_christmas, baroque_SYN',
      'Suricata stream.fin_syn, stream.pkt_broken_ack',
      'Wireshark tcp.ack.nonzero',
    ],
  },

  // ── Closing and resetting ─────────────────────────────────────────────────────────────────
  'fin-bad-seq': {
    title: 'A FIN at an impossible sequence number',
    meaning:
      "A FIN marks the end of the sender's byte stream, so its place cannot move: a second FIN at " +
      "another sequence number, or a FIN outside the receiver's window, contradicts what was sent. " +
      'The receiver ignores a FIN it cannot accept, so the close may never complete.',
    causes: [
      'A middlebox rewrites sequence numbers, or the capture mixes traffic from before and after it.',
      'A forged or injected FIN.',
      'Two connections on the same port pair mixed up because the new SYN was not captured.',
    ],
    check: [
      'Does the peer acknowledge this FIN (ack = FIN seq + 1)? If not, it ignored it.',
      'Capture on both sides of the middlebox.',
    ],
    refs: [
      'RFC 9293 §3.6, §3.10.7.4',
      'Suricata stream.fin_out_of_window, stream.fin1_fin_wrong_seq',
      'Zeek FIN_advanced_last_seq',
    ],
  },
  'data-after-fin': {
    title: "Data sent beyond the sender's own FIN",
    meaning:
      'A FIN promises that no more data follows, yet this side sends bytes past it. ' +
      'The receiver has already accepted the FIN and must ignore that data, so it never reaches the application.',
    causes: [
      'A new connection on the same port pair whose SYN was not captured (port reuse seen as one connection).',
      'A proxy or middlebox splicing connections or rewriting sequence numbers.',
      'A forged or injected segment.',
      'A broken TCP stack.',
    ],
    check: [
      'Does the receiver acknowledge those bytes? If it does, this is really another connection.',
      'Look for a SYN on the same port pair that the capture may have missed (capture filter, capture loss).',
    ],
    refs: ['RFC 9293 §3.6, §3.10.7.4', 'Suricata stream.fin1_fin_wrong_seq, stream.fin2_fin_wrong_seq'],
  },
  'fin-retransmission': {
    title: 'The FIN was sent again: its ACK did not come in time',
    meaning:
      'The side closing the connection resent its FIN because the peer ' +
      'did not acknowledge it before the retransmission timer fired. ' +
      'Its socket stays in FIN_WAIT_1 (or LAST_ACK) until the ACK arrives or it gives up.',
    causes: [
      'The FIN or its ACK was lost.',
      'The peer host is gone or unreachable (crashed, unplugged, NAT state expired).',
      'A firewall that already closed its state drops the late packets.',
    ],
    check: [
      'On the closing host: `ss -tan state fin-wait-1` and `ss -tan state last-ack`.',
      'Capture at the peer: does the FIN arrive?',
      '`sysctl net.ipv4.tcp_orphan_retries` (how long Linux retries a FIN on a closed socket).',
    ],
    refs: ['RFC 9293 §3.6', 'RFC 6298 §5', 'Wireshark tcp.analysis.retransmission'],
  },
  'rst-in-window-not-exact': {
    title: 'A reset with a sequence number inside the window but not the expected one',
    meaning:
      "The RST's sequence number lies in the receiver's window but is not exactly the next byte it expects. " +
      'A modern receiver does not close: it sends a challenge ACK carrying the ' +
      'exact number, and only a genuine peer can answer that with a matching RST. ' +
      'This guards against forged resets.',
    causes: [
      'The RST sender had data in flight that was lost, so its next sequence number is ahead of what the receiver got.',
      'The capture missed segments, so the expected number looks older than it is.',
      'A middlebox or attacker injected a reset with a guessed sequence number.',
    ],
    check: [
      'Look for the challenge ACK from the receiver, then a second RST at exactly its ack number.',
      'On the receiver: `nstat -az TcpExtTCPChallengeACK`.',
      "Compare the RST's IP TTL and ID with the claimed sender's other packets.",
    ],
    refs: ['RFC 5961 §3.2', 'RFC 9293 §3.10.7.4', 'Wireshark tcp.connection.rst'],
  },
  'rst-out-of-window': {
    title: "A reset outside the receiver's window: ignored",
    meaning:
      "The RST's sequence number (or its ack) is outside what the receiver would accept, " +
      'so the receiver silently drops it and the connection carries on. ' +
      'If the sender really wanted to abort, the connection is now half-dead on its side.',
    causes: [
      'A late RST belonging to an older connection on the same port pair.',
      'A firewall or load balancer that lost its state answers with made-up numbers.',
      'A blind reset injection attempt.',
      'A middlebox rewrites sequence numbers in one direction only.',
    ],
    check: [
      'Does the connection keep going after the RST? Then the receiver ignored it.',
      "Compare the RST's IP TTL and ID with the claimed sender's other packets (a forged RST usually differs).",
    ],
    refs: ['RFC 5961 §3.2', 'RFC 9293 §3.10.7.4', 'Suricata stream.rst_invalid_ack'],
  },
  'rst-ignored': {
    title: 'After a reset, the connection goes on as if nothing happened',
    meaning:
      'One side sent a RST, yet the other keeps sending ordinary segments, ' +
      "so the reset did not close the peer's connection. " +
      'Either the RST was rejected (not at the exact sequence number), ' +
      'never reached the peer, or the claimed sender never sent it. ' +
      'When the claimed sender itself goes on sending, it certainly did not send it: ' +
      'a host that reset its connection has nothing left to send on.',
    causes: [
      'The RST was injected by a middlebox or IPS and did not match the expected sequence number.',
      "A RST sent in the host's name by someone else (censorship box, attacker); " +
        'an MD5 or TCP-AO signature it cannot carry makes the receiver drop it.',
      'The receiver answered it with a challenge ACK and stayed open (see `rst-in-window-not-exact`).',
      'The RST was lost between the capture point and the receiver.',
    ],
    check: [
      "Compare the RST's IP TTL and ID with the claimed sender's other packets: an injected RST usually differs.",
      'Capture at the receiving host to see whether the RST arrives.',
    ],
    refs: ['RFC 5961 §3.2', 'Suricata stream.suspected_rst_inject', 'Zeek data_after_reset'],
  },
  'rst-after-fin': {
    title: 'A connection that was already closing was reset (abortive close)',
    meaning:
      'After a FIN, one side sent a RST instead of finishing the close with ACKs. ' +
      'Any data still in flight or unread is thrown away; for the sender this is ' +
      'often deliberate, for the peer it shows up as "connection reset by peer".',
    causes: [
      'The application closed the socket with unread data in its receive buffer, so the stack sent RST instead of FIN.',
      'Data arrived after the application had closed the socket, and the stack answered it with a RST.',
      'The application aborts on purpose (SO_LINGER with timeout 0) to avoid TIME_WAIT: load balancers, HTTP clients.',
    ],
    check: [
      'Did data reach the RST sender after its FIN, ' +
        'or was unread data waiting? Look at the segments just before the RST.',
      'On the RST sender: `nstat -az TcpExtTCPAbortOnData TcpExtTCPAbortOnClose TcpExtTCPAbortOnLinger`.',
    ],
    refs: ['RFC 1122 §4.2.2.13', 'RFC 9293 §3.6', 'Zeek conn_state RSTO/RSTR', 'Wireshark tcp.connection.rst'],
  },
  'rst-with-data': {
    title: 'A reset that carries data',
    meaning:
      'RFC 9293 allows a RST to carry data, usually a short ' +
      'diagnostic text, but nothing delivers it to the application. ' +
      'It is unusual enough that IDSs watch it, because a RST with data can desynchronize a monitor from the host.',
    causes: [
      'A firewall, proxy or IPS explaining why it reset the connection.',
      'A TCP stack that puts a diagnostic message in its resets.',
      'Crafted packets trying to confuse a monitor.',
    ],
    check: [
      'Read the payload: `tshark -r FILE -Y "tcp.flags.reset == 1 && tcp.len > 0" -x`.',
      "Compare the RST's IP TTL with the claimed sender's other packets.",
    ],
    refs: ['RFC 9293 §3.5.3', 'Suricata stream.rst_with_data'],
  },

  // ── Data: resends, order, holes ───────────────────────────────────────────────────────────
  retransmission: {
    title: 'Data sent again: the first copy, or its ACK, was lost',
    meaning:
      'The sender resent bytes it had already sent, typically after its ' +
      'retransmission timer (RTO) expired without an acknowledgement. ' +
      'Bytes the capture already holds, sent again, are always a resend, however soon: ' +
      'the first copy passed the capture point and it, or its ACK, was lost after it. ' +
      'If this copy fills a hole the capture saw earlier and was sent after the bytes ' +
      'that followed the hole (its IPv4 ID or timestamp is newer), ' +
      'the first copy never passed the capture point: it was lost before it. ' +
      'A timeout costs at least 200 ms on Linux (often much more) and drops the ' +
      'sending window to one segment, so a few of these make a transfer visibly slow.',
    causes: [
      'Packet loss on the path (congestion, a full queue, a bad link).',
      'The ACK was lost on the way back, so the sender could not know the data arrived.',
      'A tail-loss probe (Linux TLP/RACK) resending the last segment after about 2 round trips.',
    ],
    causesWhen: {
      'lost-after-capture': [RESENT_LOST_AFTER_CAPTURE],
      'lost-before-capture': [RESENT_LOST_BEFORE_CAPTURE],
    },
    check: [
      'On the sender: `ss -ti dst PEER` (retrans, rto, rtt, ' +
        'lost) and `nstat -az TcpRetransSegs TcpExtTCPTimeouts TcpExtTCPLossProbes`.',
      'Interface errors and drops along the path: `ip -s link`, `ethtool -S IFACE`.',
      'Capture on the other host too: where the first copy disappears tells you which segment of the path loses it.',
    ],
    refs: [
      'RFC 6298 §5',
      'RFC 9293 §3.8.1',
      'RFC 8985',
      'Wireshark tcp.analysis.retransmission',
      'Suricata stream.pkt_retransmission',
    ],
  },
  'fast-retransmission': {
    title: 'Data resent quickly because duplicate ACKs reported a missing segment',
    meaning:
      'The receiver repeated the same acknowledgement (duplicate ACKs), ' +
      'telling the sender that later data arrived but this segment did not. ' +
      'The sender resent it without waiting for its timer: the loss costs ' +
      'about one round trip instead of a timeout, and the sending rate is cut.',
    causes: [
      'One segment lost on the path (congestion drop): the most common case.',
      'Reordering on the path (ECMP, link aggregation) mistaken for loss: then D-SACKs follow.',
    ],
    check: [
      'Does a `dsack` follow? Then the original had arrived and the resend was not needed (reordering).',
      'On the sender: `nstat -az TcpExtTCPFastRetrans TcpExtTCPSACKReorder` and the reordering field of `ss -ti`.',
    ],
    refs: ['RFC 5681 §3.2', 'RFC 6675', 'Wireshark tcp.analysis.fast_retransmission'],
  },
  'spurious-retransmission': {
    title: 'Data resent although the receiver had already acknowledged it',
    meaning:
      'The capture had already seen an ACK covering these bytes ' +
      'when the sender resent them, so the resend was not needed. ' +
      'It wastes a little bandwidth, but a spurious timeout also cuts the sending rate for nothing. ' +
      'If these bytes were never seen before, it is not a resend at all: the capture recorded the ACK before the data.',
    causes: [
      "The ACK and the resend crossed: the sender's timer fired " +
        'just before the ACK reached it (capture near the receiver).',
      'The retransmission timer is too short for a sudden delay spike (Wi-Fi, cellular, a busy host).',
      'The ACK was lost after the capture point.',
      SPURIOUS_CAPTURE_REORDERED,
    ],
    causesWhen: { 'capture-reordered': [SPURIOUS_CAPTURE_REORDERED] },
    check: [
      'Where was the capture taken? Compare the time between the ACK and the resend with the round-trip time.',
      'On the sender: `nstat -az TcpExtTCPSpuriousRTOs TcpExtTCPDSACKRecv`; ' +
        '`sysctl net.ipv4.tcp_frto` (F-RTO detects spurious timeouts).',
    ],
    refs: [
      'RFC 5682',
      'RFC 2883',
      'Wireshark tcp.analysis.spurious_retransmission',
      'Suricata stream.pkt_spurious_retransmission',
    ],
  },
  'out-of-order': {
    title: 'Earlier bytes arrived after later ones: reordered on the way',
    meaning:
      'This segment fills a hole: bytes below what the sender had already sent, never captured before. ' +
      'It was sent before the bytes that followed the hole (its IPv4 ID or timestamp is older), ' +
      'so the network delivered segments out of order; or nothing tells the send order and it ' +
      'came within one round trip, too soon for a timeout resend. ' +
      'The receiver buffers out-of-order data; many reorders trigger needless fast retransmissions.',
    causes: [
      'Reordering on the path: ECMP, link aggregation, parallel queues.',
      'The capture itself reordered packets (several interfaces or `-i any`, a SPAN merging ports).',
      'A quick resend (fast retransmit, RACK) of a segment lost before the capture point.',
    ],
    check: [
      'Did the receiver send duplicate ACKs or SACKs for it? If not, the reordering is probably in the capture only.',
      'Capture on a single interface, close to one host.',
      'On the receiver: `nstat -az TcpExtTCPOFOQueue`.',
    ],
    refs: ['Wireshark tcp.analysis.out_of_order', 'RFC 8985', 'tcptrace outoforder pkts'],
  },
  'previous-segment-not-captured': {
    title: 'A hole in the byte stream: bytes before this segment were never seen',
    meaning:
      'This segment starts beyond the last byte seen from its sender, so some bytes are missing from the capture. ' +
      'That is not proof of network loss. If the receiver later acknowledges past the hole, ' +
      'the data reached it and only the capture missed it (capture loss); ' +
      'if the sender resends it, it was lost before the capture point.',
    causes: [HOLE_CAPTURE_DROPPED, HOLE_FILTERED, HOLE_REAL_LOSS, HOLE_REORDERED],
    causesWhen: {
      'capture-loss': [HOLE_CAPTURE_DROPPED, HOLE_FILTERED],
      'lost-before-capture': [HOLE_REAL_LOSS],
      reordered: [HOLE_REORDERED, HOLE_QUICK_RESEND],
    },
    check: [
      'Does the receiver acknowledge past the hole? Then it is capture loss, not network loss.',
      'The "packets dropped by kernel" line tcpdump prints at the end; ' +
        'capture with a larger buffer (`tcpdump -B 65536`).',
      'SPAN/mirror port utilisation and drops on the switch; the capture filter used.',
    ],
    refs: [
      'Wireshark tcp.analysis.lost_segment',
      'Zeek capture-loss.zeek, missed_bytes',
      'Suricata stream.reassembly_seq_gap',
    ],
  },
  'overlap-different-data': {
    title: 'The same sequence numbers were sent twice with different bytes',
    meaning:
      'A resend must carry exactly the bytes first sent at those sequence numbers, but this one differs. ' +
      'The receiver keeps one version (which one depends on the stack), ' +
      'so what the application reads and what a monitor or IDS reassembles may disagree.',
    causes: [
      'IDS evasion: overlapping segments crafted so monitor and host see different data.',
      'A middlebox rewrites payload (application-level gateway, proxy, NAT helper) and the capture saw both versions.',
      'Two connections on the same port pair mixed up because the new SYN was not captured.',
      'Memory corruption in a NIC, driver or stack.',
    ],
    check: [
      'Compare the two copies: `tshark -r FILE -Y "tcp.segment.overlap.conflict"`.',
      'Capture on both sides of any proxy or NAT in the path.',
    ],
    refs: [
      'RFC 9293 §3.10.7.4',
      'Wireshark tcp.segment.overlap.conflict',
      'Suricata stream.reassembly_overlap_different_data',
      'Zeek rexmit_inconsistency',
    ],
  },

  // ── Keep-alives and zero windows ──────────────────────────────────────────────────────────
  'keep-alive': {
    title: 'A keep-alive probe: an idle side checks the peer is still there',
    meaning:
      'The segment carries zero or one byte at one below the next sequence number, ' +
      'i.e. bytes the peer already has, so the peer must answer with an ACK. ' +
      'It is harmless and only sent when the application asked for keep-alives (SO_KEEPALIVE); ' +
      'Linux waits net.ipv4.tcp_keepalive_time (default 7200 s) of idleness first. ' +
      "Linux zero-window probes have the same shape; when the peer's " +
      'window is 0 they are reported as `zero-window-probe` instead.',
    causes: [
      'The application enabled keep-alives and the connection was idle for the keep-alive time.',
      'An application or driver set a short idle time (TCP_KEEPIDLE) to keep NAT or firewall state alive.',
    ],
    check: [
      "Is there a `keep-alive-ack`? If not, the peer or a middlebox's flow " +
        'state is gone (Linux aborts after 9 unanswered probes, 75 s apart).',
      '`ss -tno` shows timer:(keepalive,…); `sysctl net.ipv4.tcp_keepalive_time ' +
        'net.ipv4.tcp_keepalive_intvl net.ipv4.tcp_keepalive_probes`.',
    ],
    refs: ['RFC 1122 §4.2.3.6', 'RFC 9293 §3.8.4', 'Wireshark tcp.analysis.keep_alive'],
  },
  'keep-alive-ack': {
    title: 'The answer to a keep-alive: the peer is alive',
    meaning:
      'The peer acknowledged the keep-alive probe with its unchanged ACK and window. ' +
      'Both hosts still hold the connection, and any NAT or firewall in between still passes it.',
    causes: [
      "The peer's TCP answers every segment below what it expects with an ACK: this is that answer.",
      'If probes and answers repeat every few seconds, an application or load balancer set a short keep-alive time.',
    ],
    check: [
      'The interval between keep-alives tells you the configured idle time; ' +
        'compare it with NAT and firewall idle timeouts.',
    ],
    refs: ['RFC 1122 §4.2.3.6', 'RFC 9293 §3.8.4', 'Wireshark tcp.analysis.keep_alive_ack'],
  },
  'zero-window': {
    title: 'The receiver advertised a window of 0: its receive buffer is full',
    meaning:
      'This side tells its peer to stop sending: all its receive buffer holds data the application has not read yet. ' +
      'The sender pauses and probes (`zero-window-probe`) until a `window-update` reopens the window. ' +
      'The bottleneck is the receiving application, not the network.',
    causes: [
      'The receiving application reads too slowly or is blocked (busy CPU, waiting on disk or a database, a GC pause).',
      'The receive buffer is small (fixed SO_RCVBUF, which disables autotuning, or a low tcp_rmem maximum).',
      'The application stops reading on purpose (back-pressure).',
    ],
    check: [
      'On the receiver: `ss -tmp dst PEER`: a large Recv-Q means ' +
        'the application is not reading; the process is named there.',
      '`nstat -az TcpExtTCPToZeroWindowAdv TcpExtTCPFromZeroWindowAdv` and `sysctl net.ipv4.tcp_rmem`.',
    ],
    refs: ['RFC 9293 §3.8.6', 'Wireshark tcp.analysis.zero_window', 'Zeek history w', 'tcptrace zero win adv'],
  },
  'zero-window-probe': {
    title: "The sender pokes the peer's closed (zero) window to see whether it has opened",
    meaning:
      'The peer advertised a window of 0 and the sender has data waiting, ' +
      'so it probes periodically; otherwise a lost window update would stall both forever. ' +
      'Linux probes with an empty segment at one below the oldest unacknowledged ' +
      'byte (the keep-alive shape); other stacks send one byte of new data. ' +
      'Probes back off like retransmissions; each gets a `zero-window-probe-ack`.',
    causes: [
      'The receiver still has a full buffer: its application is not reading (see `zero-window`).',
      'The window update that reopened the window was lost, and the probe recovers it.',
    ],
    check: [
      'On the sender: `ss -tno` shows timer:(persist,…); `nstat -az TcpExtTCPWinProbe`.',
      'On the receiver: `ss -tmp` (Recv-Q): who is not reading.',
    ],
    refs: [
      'RFC 9293 §3.8.6.1',
      'RFC 1122 §4.2.2.17',
      'Linux tcp_xmit_probe_skb',
      'Wireshark tcp.analysis.zero_window_probe',
    ],
  },
  'zero-window-probe-ack': {
    title: 'The answer to a zero-window probe: the window is still closed',
    meaning:
      'The receiver acknowledged the probe but still advertises a window of 0, so the sender keeps waiting. ' +
      'The longer these go on, the longer the receiving application has not read its data.',
    causes: [
      'The receiving application is still not reading (blocked, overloaded, or deliberately pausing).',
      'The receive buffer is too small for the amount the application leaves unread.',
    ],
    check: [
      'How long from the first `zero-window` to the `window-update`: that is how long the receiver stalled.',
      'On the receiver: `ss -tmp` (Recv-Q, process), then what that process is blocked on.',
    ],
    refs: ['RFC 9293 §3.8.6.1', 'Wireshark tcp.analysis.zero_window_probe_ack'],
  },

  // ── Windows ───────────────────────────────────────────────────────────────────────────────
  'window-full': {
    title: "The sender filled the receiver's advertised window exactly",
    meaning:
      "This segment ends exactly at the right edge of the peer's window, " +
      'so the sender must now wait for an ACK before sending more. ' +
      'Repeated often, throughput is limited by the receive window, not by the network or congestion control.',
    causes: [
      'The receive window is smaller than bandwidth × round-trip time (small buffers, or window scaling off).',
      'The receiving application reads slowly, so the window keeps shrinking toward 0.',
      'A middlebox stripped the window-scale option, limiting windows to 64 KiB.',
    ],
    check: [
      'Bandwidth × RTT against the advertised window; `sysctl net.ipv4.tcp_rmem` on the receiver.',
      'Did both SYNs carry the window-scale option? `sysctl net.ipv4.tcp_window_scaling`.',
    ],
    refs: ['RFC 7323 §2', 'RFC 9293 §3.8.6', 'Wireshark tcp.analysis.window_full'],
  },
  'window-update': {
    title: 'Only the advertised window changed',
    meaning:
      'A pure ACK that acknowledges nothing new and only changes the window. ' +
      'Usually the receiving application read data and freed buffer space, or buffer autotuning ' +
      'grew the window; after a `zero-window` it is the signal that lets the sender resume.',
    causes: [
      'The application read data, freeing receive buffer space.',
      'Receive buffer autotuning enlarged the window.',
    ],
    check: ['If it follows a `zero-window`, the time between the two is how long the receiving application stalled.'],
    refs: ['RFC 9293 §3.8.6.2.2', 'Wireshark tcp.analysis.window_update'],
  },
  'window-shrink': {
    title: 'The receiver took back window space it had already offered',
    meaning:
      'The right edge of the window (ack + window) moved left: ' +
      'the receiver withdrew room the sender may already have used. ' +
      'RFC 9293 says a receiver should not do this and a sender must cope; ' +
      'data sent into the withdrawn space may be dropped and resent.',
    causes: [
      'Receiver memory pressure: Linux may shrink when net.ipv4.tcp_shrink_window is set (kernel 6.5 and later).',
      'A middlebox (firewall, WAN optimizer) rewrites the window field.',
      'A receiver stack that shrinks its buffer under load (some embedded and older stacks).',
    ],
    check: [
      'On the receiver: `nstat -az TcpExtTCPMemoryPressures` and `sysctl net.ipv4.tcp_shrink_window`.',
      'Capture on both sides of the middlebox: is the window the same on both?',
    ],
    refs: ['RFC 9293 §3.8.6', 'RFC 7323 §2.4', 'Zeek window_recision', 'Suricata stream.pkt_bad_window_update'],
  },
  'segment-beyond-window': {
    title: "Data sent past the right edge of the receiver's window",
    meaning:
      'The segment ends beyond what the peer allowed (its last ack plus its window). ' +
      'The receiver keeps only the part inside its window and drops the rest, which must be sent again.',
    causes: [
      'The capture missed a later ACK or window update that allowed it (capture loss).',
      'The window scale is misread because a middlebox changed the option in one SYN.',
      'The receiver shrank its window after the sender had already sent.',
      'A sender ignoring the window (broken stack).',
    ],
    check: [
      'Does the receiver acknowledge these bytes? Then the capture missed the window update.',
      'Compare the window-scale options in the SYN and SYN-ACK on both sides of any middlebox.',
    ],
    refs: ['RFC 9293 §3.8.6, §3.10.7.4', 'Suricata stream.est_packet_out_of_window'],
  },
  'wscale-invalid': {
    title: 'An invalid window-scale option',
    meaning:
      'Window scaling lets windows exceed 64 KiB by shifting the window field; ' +
      'the shift may be at most 14 and applies only if both SYN and SYN-ACK carry the option. ' +
      'A shift above 14 is treated as 14; an option only in the SYN-ACK is ignored, ' +
      'so scaling is off in both directions and windows stay below 64 KiB.',
    causes: [
      'A middlebox removed the option from the SYN but not from the SYN-ACK.',
      'A broken or crafted stack sends a shift above 14.',
    ],
    check: [
      'Capture on both sides of the middlebox and compare the SYN options.',
      '`sysctl net.ipv4.tcp_window_scaling` on the client.',
    ],
    refs: ['RFC 7323 §2.2, §2.3', 'Wireshark tcp.options.wscale.shift.invalid'],
  },

  // ── ACKs ──────────────────────────────────────────────────────────────────────────────────
  'ack-unseen-segment': {
    title: 'An ACK covers data the capture never saw',
    meaning:
      'The receiver acknowledges bytes beyond everything the capture saw its peer send. ' +
      'The data did reach the receiver; only the capture missed it. ' +
      'At the start of a capture this is expected: the data was sent before the capture started.',
    causes: [
      'The capture started in the middle of the transfer.',
      'The capture dropped the data packets (kernel buffer, SPAN port).',
      'The data takes another path that the capture does not see (asymmetric routing).',
      'The capture recorded the ACK before the data (reordering in the capture).',
    ],
    check: [
      'Is it near the start of the capture? Then ignore it.',
      'The "packets dropped by kernel" line of tcpdump; whether the data appears a moment later.',
    ],
    refs: ['Wireshark tcp.analysis.ack_lost_segment', 'Suricata stream.est_invalid_ack'],
  },
  'ack-backwards': {
    title: 'The acknowledgement number went backwards',
    meaning:
      'This side acknowledges less than it already acknowledged before. ' +
      'An ACK cannot be taken back, so this is an old segment arriving late; ' +
      'the receiver of it simply ignores the stale ACK.',
    causes: [
      'Reordering on the path: an older segment overtaken by a newer one.',
      'The capture reordered packets (several interfaces, `-i any`).',
      'A middlebox rewrites ack numbers inconsistently.',
    ],
    check: [
      'Compare the IP ID of this packet with its neighbours: ' +
        'a lower ID means it was sent earlier and only arrived late.',
      'Capture on a single interface.',
    ],
    refs: [
      'RFC 9293 §3.10.7.4',
      'RFC 5961 §5.2',
      'Suricata stream.pkt_invalid_ack',
      'Zeek TCP_ack_underflow_or_misorder',
    ],
  },
  'duplicate-ack': {
    title: 'The same acknowledgement again: the receiver is missing a segment',
    meaning:
      'An empty ACK repeating the previous ack number and window: the receiver got ' +
      'data after a hole and is still waiting for the byte at that ack number. ' +
      'After three of them the sender resends the missing segment ' +
      '(`fast-retransmission`); SACK blocks in these ACKs show what did arrive.',
    causes: ['A segment was lost between the sender and the receiver.', 'Segments were reordered on the path.'],
    check: [
      'Does a `fast-retransmission` at this ack number follow? That confirms the loss.',
      'The SACK blocks (`tcp.options.sack_le`, `tcp.options.sack_re`) show which data after the hole arrived.',
    ],
    refs: ['RFC 5681 §2, §3.2', 'RFC 2018', 'Wireshark tcp.analysis.duplicate_ack'],
  },
  dsack: {
    title: 'D-SACK: the receiver reports it got the same bytes twice',
    meaning:
      'A duplicate-SACK block tells the sender that the data in it arrived twice. ' +
      'So a resend was not needed: the original had arrived, or the network ' +
      'duplicated a packet; Linux then undoes the rate cut it made for that "loss".',
    causes: [
      'A spurious retransmission: the timer fired too early or reordering triggered a fast retransmit.',
      'The network duplicated a packet (a misconfigured mirror, a layer-2 loop).',
    ],
    check: [
      'Find the two copies of the reported bytes: which resend was unnecessary?',
      'On the sender: `nstat -az TcpExtTCPDSACKRecv TcpExtTCPDSACKUndo`; `ss -ti` (dsack_dups).',
    ],
    refs: ['RFC 2883 §4', 'RFC 2018', 'Wireshark tcp.options.sack.dsack', 'tcptrace dsack pkts sent'],
  },
  'timestamp-regression': {
    title: 'The TCP timestamp went backwards, or echoes one never sent: the receiver will drop this segment',
    meaning:
      "Once both sides use timestamps, each segment's TSval must not be lower than an earlier one. " +
      'PAWS (protection against wrapped sequence numbers) makes the receiver drop a segment whose TSval is ' +
      'older, treating it as a stale duplicate; if real data keeps arriving like this, the connection stalls. ' +
      'Before the handshake completes the check is on the echo: a segment answering a SYN ' +
      'must echo (TSecr) a TSval that SYN carried. A RST or FIN that echoes something ' +
      "else is dropped by the SYN's sender, which keeps waiting for the real SYN-ACK.",
    causes: [
      'Two hosts behind one address (NAT, load balancer switching back ends) with different timestamp clocks.',
      'An old segment delayed or reordered on the path.',
      'A middlebox rewrites or strips timestamps inconsistently.',
      'A forged RST or FIN sent ahead of the SYN-ACK, to make a monitor ' +
        '(IDS) believe the connection ended while the hosts carry on.',
    ],
    check: [
      'On the receiver: `nstat -az TcpExtPAWSEstab TcpExtPAWSActive`.',
      "Compare this packet's IP TTL and ID with the sender's other packets: another host behind the same address?",
    ],
    refs: [
      'RFC 7323 §5.3',
      'Linux tcp_rcv_synsent_state_process (TcpExtPAWSActive)',
      'Suricata stream.pkt_invalid_timestamp',
    ],
  },

  // ── The capture itself ────────────────────────────────────────────────────────────────────
  'midstream-pickup': {
    title: 'The capture starts in the middle of this connection (no SYN seen)',
    meaning:
      'Without the handshake, client and server roles are guessed, both sides are ' +
      'assumed ESTABLISHED, and sequence numbers count from the first packet seen. ' +
      'The window-scale shift is unknown, so window checks are skipped. Nothing is wrong with the connection itself.',
    causes: [
      'The capture started after the connection opened (long-lived: SSH, databases, HTTP/2).',
      'The handshake took a path the capture does not see (asymmetric routing, another SPAN port).',
      'A capture filter or a ring buffer dropped the start.',
    ],
    check: ['Start the capture before the connection opens (or make the client reconnect) to get the handshake.'],
    refs: ['Zeek conn_state OTH', 'Suricata stream.midstream'],
  },
  'truncated-by-snaplen': {
    title: 'The capture cut packets short (snap length): not all payload was captured',
    meaning:
      'Each packet was captured only up to the snap length, so its payload is incomplete in the file. ' +
      'Sequence numbers are still tracked from the IP length, ' +
      'but payload comparisons and checksums cannot be checked on these packets.',
    causes: [
      'A small snap length on the capture (`tcpdump -s 96`, old defaults of 68 or 96 bytes).',
      'A sensor or ring buffer that keeps only headers on purpose.',
    ],
    check: ['`capinfos FILE` shows the packet size limit; recapture with `tcpdump -s 0` (full packets).'],
    refs: ['Zeek truncated_tcp_payload', 'tcptrace truncated packets', 'tcpdump -s'],
  },
  'bad-checksum': {
    title: 'Wrong TCP checksum',
    meaning:
      'A receiver drops a segment whose checksum is wrong. ' +
      "But if most of one host's outgoing packets fail and the capture was taken on that host, the NIC computes " +
      'checksums after the capture saw the packet (checksum offload): the packets on the wire were fine. ' +
      'If the peer acknowledges the data, it was not corrupted.',
    causes: [
      'Checksum offload on the capture host: its own outgoing ' +
        'packets are captured before the NIC fills in the checksum.',
      'A NAT or middlebox changed addresses or ports without fixing the checksum.',
      'Real corruption: a faulty NIC, memory, or a device in the path.',
    ],
    check: [
      'On the capture host: `ethtool -k IFACE | grep checksum` (tx-checksumming on means offload).',
      'Does the peer acknowledge the segment? On the receiver: `nstat -az TcpInCsumErrors`.',
    ],
    refs: ['RFC 9293 §3.1', 'RFC 1071', 'Wireshark tcp.checksum_bad.expert', 'Zeek bad_TCP_checksum'],
  },
  'oversized-segment': {
    title: "A segment larger than the peer's maximum segment size (offload artefact)",
    meaning:
      'The peer announced a maximum segment size (MSS) in its SYN, yet this segment carries more. ' +
      "On the wire it was almost certainly several normal segments: the capture host's kernel " +
      'or NIC splits them after the capture point (TSO/GSO) or merged them before it (GRO/LRO). ' +
      'Per-segment counts and timings are coarser than on the wire.',
    causes: [
      'Segmentation offload (TSO/GSO) on the sending host where the capture runs.',
      'Receive offload (GRO/LRO) on the receiving host where the capture runs.',
      'Virtual machines or containers: the capture sees the host bridge or virtio buffers before segmentation.',
      'A stack ignoring the MSS (rare, a real bug).',
    ],
    check: [
      '`ethtool -k IFACE | grep -E "segmentation-offload|receive-offload"` on the capture host.',
      'For wire-accurate segments: `ethtool -K IFACE tso off gso off gro off` ' +
        'before capturing (restore it afterwards), or capture on a SPAN port.',
    ],
    refs: ['RFC 9293 §3.7.1', 'RFC 6691', 'Wireshark wiki CaptureSetup/Offloading', 'tcptrace max segm size'],
  },
  'capture-duplicate': {
    title: 'The same packet captured twice (a duplicate in the capture, not a resend)',
    meaning:
      'Two frames with the same IP ID and sequence number: the same packet recorded twice. ' +
      'The sender did not resend anything; it is an artefact of how ' +
      'the capture was set up, and it inflates retransmission counts.',
    causes: [
      'A mirror (SPAN) session copies both ingress and egress, or several ports on the same path.',
      'Capturing on `-i any` with bridge, VLAN or bond interfaces: the packet is seen on each.',
      'A real layer-2 duplication (loop, misconfigured redundancy).',
    ],
    check: [
      'Capture on one physical interface, or fix the SPAN session to one direction per port.',
      'Remove duplicates from the file: `editcap -D 8 IN OUT`.',
    ],
    refs: ['tcptrace hardware dups (check_hw_dups)', 'Wireshark editcap -D'],
  },
} satisfies Record<AnomalyKind, AnomalyExplanation>;

/** Every anomaly kind's explanation, keyed by kind id (a kind without one does not compile). */
export const ANOMALY_EXPLANATIONS: Readonly<Record<AnomalyKind, AnomalyExplanation>> = Object.freeze(CATALOGUE);

/** The explanation of one anomaly kind. */
export function explainAnomaly(kind: AnomalyKind): AnomalyExplanation {
  return ANOMALY_EXPLANATIONS[kind];
}

/**
 * The likely causes of one anomaly, most likely first: the causes left once the tracker has
 * told which it saw (its `cause` evidence), else the kind's ranked causes.
 */
export function likelyCauses(kind: AnomalyKind, evidence: Readonly<Record<string, number | string>>): string[] {
  const e = explainAnomaly(kind);
  const verdict = evidence.cause;
  const known =
    typeof verdict === 'string' && e.causesWhen !== undefined && Object.hasOwn(e.causesWhen, verdict)
      ? e.causesWhen[verdict]
      : undefined;
  return known ?? e.causes;
}
