#!/usr/bin/env python3
"""Checks and facts for the captures of scripts/make-case-fixtures.sh.

    case-facts.py CASE PCAP [--other PCAP] [--tshark JSON]
                  [--dropped "B1 B2 ..."] [--nft FILE]

CASE is simultaneous-close, loss-after-capture, loss-before-capture or
port-reuse-after-rst.  The
facts go to stdout (they are kept as fixtures/cases/NAME.pcap.facts.txt, and
the expected files were checked against them); the exit status is 1, with
the reason on stderr, if the capture is not what the case needs.  Sequence
numbers are relative to each side's ISN; block k of the bulk response starts
at relative seq 1 + 1448*k.  Only tshark (fields output) and the standard
library are used.

simultaneous-close: every connection must have 11 frames: handshake,
request (42 bytes), its ACK, response (96 bytes), its ACK, and then, in this
order, a server
FIN whose ack covers all client data, a client FIN whose ack does NOT cover
the server's FIN (the client sent it before the server's FIN arrived), the
server's ACK of the client's FIN and the client's ACK of the server's FIN.

loss-after-capture (capture on the sender, --other on the receiver): the data
segments that are in the sender's capture but not in the receiver's (matched
by IPv4 ID, which the bridge does not change) were lost on the path; they
must be exactly the first copies of the --dropped blocks, and their number
the nftables counters' sum.  Every data segment that repeats bytes already in
the capture is listed with the frame of the earlier copy.

loss-before-capture (capture on the receiver, --other on the sender): every
hole (a segment above the highest byte so far) and the segment that fills it.
The filler's IPv4 ID and TSval are compared with those of the segments
captured between the hole and the filler (Linux gives the IPv4 packets of a
TCP socket consecutive IDs, so a higher ID means sent later).  The sender's
capture shows that each filler is the second copy of its block and that the
first copy was lost on the path.

port-reuse-after-rst: six connections, two per client port (42301-42303),
one after the other, each a handshake, request (42 bytes) and response (96
bytes).  On 42301 the first ends with the client's RST and no FIN, and the
second SYN comes at least 20 s after that RST; on 42302 the server's FIN
comes first, on 42303 the client's, and the second SYN comes within 60 s
(Linux's TIME_WAIT) of the first connection's last packet.  Every second
SYN has a new ISN above what its sender had sent before, a TSval above its
old ones, and is answered with a SYN-ACK.

relay-copies (capture on both ports of the relay, merged): every packet is
in the capture exactly twice with the same IPv4 ID, IP length, seq, ack,
flags, window, TCP checksum and TSval, the second copy 20-30 ms after the
first; no packet between two copies acknowledges the first copy's sequence
space; only the SYN-ACK has IPv4 ID 0, and the other IDs are unique per
side; the server's data is whole blocks, each sent once.  Lists the copies.

injected-rst (capture on the server): three connections, client ports
42501-42503, each a series of client requests (100 bytes, "REQ nn") each
answered by a server response (60 bytes).  The forged RSTs are the packets
with IPv4 ID 0xdead, TTL 255 and no DF; every other client packet has TTL
64, DF, no ID 0xdead, and IDs that go up by one per packet in each
connection.  Each forged RST is a RST+ACK with no options; its seq is
compared with the server's RCV.NXT (the client's highest next seq so far)
and receive window (the last server packet's, scaled): 42501 has one out of
the window, then one in it but not RCV.NXT; 42502 one exactly at RCV.NXT.
After each forged RST the client sends its next request (ID: previous + 1,
seq: RCV.NXT).  42501: nothing from the server between the out-of-window
RST and that request; a pure ACK (seq SND.NXT, ack RCV.NXT) right after the
in-window one (the challenge ACK), before any client packet; the
connection ends with FINs.  42502: nothing from the server until the next
request, which the server answers with a RST (no ACK, seq = that request's
ack), the connection's last packet.  42503: the last packet is the client's
own RST+ACK (seq RCV.NXT, its ID next in line), with no forged packet in the
connection.  Lists every frame.
"""
import argparse
import json
import re
import subprocess
import sys

MSS = 1448
FIELDS = ["frame.number", "frame.time_relative", "ip.src", "tcp.srcport", "tcp.dstport",
          "tcp.flags.syn", "tcp.flags.fin", "tcp.flags.reset", "tcp.flags.ack", "tcp.seq_raw",
          "tcp.ack_raw", "tcp.len", "ip.id", "tcp.options.timestamp.tsval",
          "tcp.options.sack_le", "tcp.options.sack_re", "tcp.options.timestamp.tsecr"]


class Pkt:
    pass


def read(pcap):
    cmd = ["tshark", "-r", pcap, "-o", "tcp.relative_sequence_numbers:TRUE", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    pkts = []
    for line in out.splitlines():
        c = line.split("\t")
        p = Pkt()
        p.frame, p.t = int(c[0]), float(c[1])
        p.src, p.sport, p.dport = c[2], int(c[3]), int(c[4])
        p.syn, p.fin, p.rst, p.ackf = (c[i] in ("1", "True") for i in (5, 6, 7, 8))
        p.seq_raw, p.ack_raw, p.len = int(c[9]), int(c[10] or 0), int(c[11])
        p.ipid = int(c[12], 16) if c[12].startswith("0x") else int(c[12])
        p.tsval = int(c[13]) if c[13] else None
        p.sack = list(zip(c[14].split(","), c[15].split(","))) if c[14] else []
        p.tsecr = int(c[16]) if c[16] else None
        pkts.append(p)
    return pkts


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def flags(p):
    s = ("S" if p.syn else "") + ("F" if p.fin else "") + ("R" if p.rst else "") + ("A" if p.ackf else "")
    return s or "-"


def relativize(pkts, server_port):
    """p.seq / p.ack relative to the ISNs (per connection: client port)."""
    isn = {}
    for p in pkts:
        cport = p.sport if p.dport == server_port else p.dport
        side = "s" if p.sport == server_port else "c"
        if p.syn:
            isn[(cport, side)] = p.seq_raw
        p.cport, p.side = cport, side
        other = "c" if side == "s" else "s"
        p.seq = (p.seq_raw - isn[(cport, side)]) & 0xFFFFFFFF
        p.ack = (p.ack_raw - isn[(cport, other)]) & 0xFFFFFFFF if (cport, other) in isn and p.ackf else None


def tshark_labels(path):
    if not path:
        return {}
    frames = json.load(open(path))["frames"]
    return {int(k): [f for f in v if not f.startswith("duplicate_ack_num")] for k, v in frames.items()}


def label(labels, frame):
    got = labels.get(frame, [])
    for f in ("spurious_retransmission", "fast_retransmission", "out_of_order", "retransmission"):
        if f in got:
            return f
    return "-"


# ------------------------------------------------------------ simultaneous close

def simultaneous_close(args):
    pkts = read(args.pcap)
    relativize(pkts, 8080)
    conns = {}
    for p in pkts:
        conns.setdefault(p.cport, []).append(p)
    if len(conns) != 12:
        fail("want 12 connections, got %d" % len(conns))
    print("connection  SYN SYN-ACK ACK | server FIN, client FIN, server ACK, client ACK"
          " (frame, seq, ack; ms after the server FIN)")
    for i, (cport, ps) in enumerate(sorted(conns.items(), key=lambda kv: kv[1][0].frame)):
        syn, synack, hsack = ps[0], ps[1], ps[2]
        if flags(syn) != "S" or flags(synack) != "SA" or flags(hsack) != "A" or hsack.ack != 1:
            fail("%d: no clean handshake" % cport)
        sig = [(p.side, flags(p), p.len) for p in ps]
        want = [("c", "S", 0), ("s", "SA", 0), ("c", "A", 0), ("c", "A", 42), ("s", "A", 0),
                ("s", "A", 96), ("c", "A", 0), ("s", "FA", 0), ("c", "FA", 0), ("s", "A", 0), ("c", "A", 0)]
        if sig != want:
            fail("%d: frames are %s, want %s" % (cport, sig, want))
        close = [p for p in ps if p.fin or p.frame > min(q.frame for q in ps if q.fin)]
        if [(p.side, flags(p)) for p in close] != [("s", "FA"), ("c", "FA"), ("s", "A"), ("c", "A")]:
            fail("%d: close is %s" % (cport, " ".join(p.side + ":" + flags(p) for p in close)))
        sf, cf, sa, ca = close
        cdata = max(p.seq + p.len for p in ps if p.side == "c" and p.len)
        sdata = max(p.seq + p.len for p in ps if p.side == "s" and p.len)
        checks = [
            (sf.ack == cdata, "the server FIN acks all client data"),
            (sf.seq == sdata, "the server FIN follows its data"),
            (cf.seq == cdata, "the client FIN follows its data"),
            (cf.ack == sf.seq, "the client FIN does not ack the server FIN (ack = its seq)"),
            (sa.seq == sf.seq + 1 and sa.ack == cf.seq + 1, "the server ACK acks the client FIN"),
            (ca.seq == cf.seq + 1 and ca.ack == sf.seq + 1, "the client ACK acks the server FIN"),
            (cf.tsecr != sf.tsval, "the client FIN does not echo the server FIN's TSval"),
            (ca.tsecr == sf.tsval and sa.tsval != sf.tsval,
             "the client ACK echoes the server FIN's TSval (not the server ACK's)"),
            (sa.tsecr == cf.tsval, "the server ACK echoes the client FIN's TSval"),
        ]
        for ok, what in checks:
            if not ok:
                fail("%d: not so: %s" % (cport, what))
        if any(p.fin for p in ps if p not in (sf, cf)):
            fail("%d: a FIN was sent again" % cport)
        print("%d  %d %d %d | %s" % (cport, syn.frame, synack.frame, hsack.frame, ", ".join(
            "%d (seq %d, ack %d; %+.1f ms)" % (p.frame, p.seq, p.ack, 1000 * (p.t - sf.t))
            for p in close)))
    print("all 12: server FIN acks the client's data; client FIN ack = server FIN seq (does not"
          " cover it) and its TSecr is not the server FIN's TSval; server ACK = client FIN seq+1;"
          " client ACK = server FIN seq+1, its TSecr = the server FIN's TSval (not the server ACK's).")


# ------------------------------------------------------------ loss cases

def data_of(pkts, side):
    return [p for p in pkts if p.side == side and p.len > 0]


def block_of(p):
    if (p.seq - 1) % MSS:
        return None
    return (p.seq - 1) // MSS


def nft_counts(path):
    text = open(path).read()
    return [int(x) for x in re.findall(r"counter packets (\d+) bytes", text)]


def common_loss(args):
    pkts = read(args.pcap)
    relativize(pkts, 8080)
    other = read(args.other)
    relativize(other, 8080)
    if len({p.cport for p in pkts}) != 1:
        fail("want one connection")
    for ps in (pkts, other):
        sd = data_of(ps, "s")
        if any(block_of(p) is None or p.len != MSS for p in sd):
            fail("a data segment is not one whole block")
    dropped = [int(b) for b in args.dropped.split()]
    counts = nft_counts(args.nft)
    if len(counts) != len(dropped) or any(c != 1 for c in counts):
        fail("nft counters: want 1 drop per rule, got %s" % counts)
    return pkts, other, dropped, counts


def first_seen(pkts):
    """frame of the first data segment carrying each block"""
    seen = {}
    for p in data_of(pkts, "s"):
        seen.setdefault(block_of(p), p)
    return seen


def ipid_check(sender_pkts, where):
    """The sender's IPv4 IDs on the connection go up by one per packet."""
    sp = [p for p in sender_pkts if p.side == "s" and not p.syn]
    bad = [(a.frame, b.frame) for a, b in zip(sp, sp[1:]) if (b.ipid - a.ipid) & 0xFFFF != 1]
    if bad:
        fail("%s: IPv4 IDs of the server do not go up by one: %s" % (where, bad[:5]))
    return sp[0].ipid, sp[-1].ipid, len(sp)


def loss_after(args):
    pkts, other, dropped, counts = common_loss(args)
    labels = tshark_labels(args.tshark)
    lo, hi, n = ipid_check(pkts, "sender capture")
    rx_ids = {p.ipid for p in data_of(other, "s")}
    sd = data_of(pkts, "s")
    lost = [p for p in sd if p.ipid not in rx_ids]
    lost_blocks = sorted(block_of(p) for p in lost)
    if lost_blocks != sorted(dropped):
        fail("lost on the path: %s, want the first copies of %s" % (lost_blocks, dropped))
    for p in lost:
        if first_seen(pkts)[block_of(p)] is not p:
            fail("frame %d: a lost segment that is not a first copy" % p.frame)
    print("Sender capture: %d data segments of the server (%d distinct blocks), IPv4 IDs %d..%d"
          " consecutive over all %d server packets after the SYN-ACK." % (
              len(sd), len({block_of(p) for p in sd}), lo, hi, n))
    print("Receiver capture (%s): %d data segments of the server." % (args.other.split("/")[-1], len(data_of(other, "s"))))
    print("Lost on the path (in the sender capture, IPv4 ID not in the receiver capture): %d segments,"
          " the first copies of blocks %s; nftables counters: %d rules, %d packets dropped." % (
              len(lost), " ".join(map(str, lost_blocks)), len(counts), sum(counts)))
    # resends: segments whose bytes are already in the capture
    held, first, resends = set(), {}, []
    lost_ids = {p.ipid for p in lost}
    for p in sd:
        b = block_of(p)
        if b in held:
            resends.append(p)
        else:
            held.add(b)
            first[b] = p
    print("Resends (bytes already in this capture): %d" % len(resends))
    print("frame  block  rel.seq  earlier copy (frame, lost on path?)  tshark")
    tally = {}
    for p in resends:
        e = first[block_of(p)]
        why = "lost" if e.ipid in lost_ids else "delivered"
        lab = label(labels, p.frame)
        tally[lab] = tally.get(lab, 0) + 1
        print("%5d  %5d  %7d  %5d (%s)  %s" % (p.frame, block_of(p), p.seq, e.frame, why, lab))
    spurious = [p for p in resends if first[block_of(p)].ipid not in lost_ids]
    print("Resends of a lost copy: %d; of a delivered copy (not needed): %d." % (
        len(resends) - len(spurious), len(spurious)))
    print("tshark label of the resends: %s" % ", ".join("%s %d" % kv for kv in sorted(tally.items())))
    firsts_labelled = [p.frame for p in first.values() if label(labels, p.frame) != "-"]
    print("First copies with a retransmission/out-of-order label from tshark: %s" % (firsts_labelled or "none"))


def loss_before(args):
    pkts, other, dropped, counts = common_loss(args)
    labels = tshark_labels(args.tshark)
    lo, hi, n = ipid_check(other, "sender capture")
    sd = data_of(pkts, "s")
    osd = data_of(other, "s")
    rx_ids = {p.ipid for p in sd}
    lost = [p for p in osd if p.ipid not in rx_ids]
    lost_blocks = sorted(block_of(p) for p in lost)
    if lost_blocks != sorted(dropped):
        fail("lost on the path: %s, want the first copies of %s" % (lost_blocks, dropped))
    osent = {}
    for p in osd:
        osent.setdefault(block_of(p), []).append(p)
    print("Receiver capture: %d data segments of the server (%d distinct blocks)." % (
        len(sd), len({block_of(p) for p in sd})))
    print("Sender capture (%s): %d data segments; the server's IPv4 IDs %d..%d go up by one over"
          " all its %d packets after the SYN-ACK." % (args.other.split("/")[-1], len(osd), lo, hi, n))
    print("Lost on the path (in the sender capture, IPv4 ID not in the receiver capture): %d segments,"
          " the first copies of blocks %s; nftables counters: %d rules, %d packets dropped." % (
              len(lost), " ".join(map(str, lost_blocks)), len(counts), sum(counts)))
    # the server's IPv4 IDs missing from the receiver capture
    ids = sorted({p.ipid for p in pkts if p.side == "s" and not p.syn})
    missing = [i for i in range(ids[0], ids[-1] + 1) if i not in set(ids)]
    by_id = {p.ipid: p for p in osd}
    if sorted(block_of(by_id[i]) for i in missing if i in by_id) != sorted(dropped) or len(missing) != len(dropped):
        fail("IPv4 IDs missing from the receiver capture: %s" % missing)
    print("IPv4 IDs of the server missing from the receiver capture (between %d and %d): %d: %s;"
          " in the sender capture these are the first copies of the dropped blocks." % (
              ids[0], ids[-1], len(missing), " ".join(map(str, missing))))
    # holes in the receiver capture
    nxt, holes, open_holes = 1, [], []
    for p in sd:
        end = p.seq + p.len
        if p.seq > nxt:
            h = {"start": nxt, "end": p.seq, "after": p, "between": [], "fills": []}
            holes.append(h)
            open_holes.append(h)
        if p.seq < nxt:
            for h in open_holes:
                if h["start"] <= p.seq < h["end"]:
                    h["fills"].append(p)
        for h in open_holes:
            if p not in h["fills"] and p.seq >= h["end"]:
                h["between"].append(p)
        open_holes = [h for h in open_holes
                      if sum(q.len for q in h["fills"]) < h["end"] - h["start"]]
        nxt = max(nxt, end)
    if open_holes:
        fail("holes never filled: %s" % [(h["start"], h["end"]) for h in open_holes])
    print("Holes: %d, %d segments missing in all." % (len(holes), sum((h["end"] - h["start"]) // MSS for h in holes)))
    print("hole (blocks)  first frame after it  filler frame(s): block, IPv4 ID, TSval |"
          " newest segment captured in between: IPv4 ID, TSval | sender: copies of the block"
          " (IPv4 ID, lost?) | tshark on the filler")
    bad = []
    tally = {}
    fillers = 0
    for h in holes:
        b0, b1 = (h["start"] - 1) // MSS, (h["end"] - 1) // MSS - 1
        newest_id = max(q.ipid for q in h["between"])
        newest_ts = max(q.tsval for q in h["between"])
        parts = []
        for f in h["fills"]:
            fillers += 1
            # the segments captured before the filler with seq >= this hole's end
            before = [q for q in h["between"] if q.frame < f.frame]
            nid = max(q.ipid for q in before)
            nts = max(q.tsval for q in before)
            ids_newer = ((f.ipid - nid) & 0xFFFF) < 0x8000 and f.ipid != nid
            if not ids_newer or f.tsval < nts:
                bad.append(f.frame)
            copies = osent[block_of(f)]
            lab = label(labels, f.frame)
            tally[lab] = tally.get(lab, 0) + 1
            parts.append("%d: block %d, ID %d, TSval %d | between: ID %d, TSval %d (%s) | sender: %s | %s" % (
                f.frame, block_of(f), f.ipid, f.tsval, nid, nts,
                "TSval newer" if f.tsval > nts else "TSval same ms",
                ", ".join("%d%s" % (c.ipid, " lost" if c.ipid not in rx_ids else "") for c in copies), lab))
        print("%s  %d  %s" % ("%d" % b0 if b0 == b1 else "%d-%d" % (b0, b1), h["after"].frame, "; ".join(parts)))
    if bad:
        fail("fillers not newer than the segments after the hole: %s" % bad)
    filler_frames = {f.frame for h in holes for f in h["fills"]}
    for p in sd:
        copies = osent[block_of(p)]
        if len(copies) > 1 and p.frame not in filler_frames:
            prev = max((q for q in sd if q.frame < p.frame), key=lambda q: q.frame)
            print("In order, no hole: frame %d, block %d, IPv4 ID %d, TSval %d; sender: %s; the"
                  " segment before it in the capture is frame %d (IPv4 ID %d, TSval %d); %.1f ms"
                  " between them; tshark: %s" % (
                      p.frame, block_of(p), p.ipid, p.tsval,
                      ", ".join("%d%s" % (c.ipid, " lost" if c.ipid not in rx_ids else "") for c in copies),
                      prev.frame, prev.ipid, prev.tsval, 1000 * (p.t - prev.t), label(labels, p.frame)))
    print("Every filler (%d) has a higher IPv4 ID than every segment captured after its hole, and a"
          " TSval not lower: each was sent after them, i.e. it is a resend of a segment lost before"
          " the capture point, not a reordered original." % fillers)
    print("tshark label of the fillers: %s" % ", ".join("%s %d" % kv for kv in sorted(tally.items())))
    lostseg = [p.frame for p in sd if "lost_segment" in labels.get(p.frame, [])]
    print("tshark lost_segment frames: %d (%s)" % (len(lostseg), " ".join(map(str, lostseg))))


# ------------------------------------------------------------ port reuse

def port_reuse(args):
    pkts = read(args.pcap)
    relativize(pkts, 8080)
    labels = json.load(open(args.tshark))["frames"] if args.tshark else {}
    conns = []
    for p in pkts:   # a client SYN with a new ISN starts a connection
        if p.syn and not p.ackf and not any(c[0].cport == p.cport and c[0].seq_raw == p.seq_raw for c in conns):
            conns.append([p])
        else:
            mine = [c for c in conns if c[0].cport == p.cport]
            if not mine:
                fail("frame %d: no SYN before it" % p.frame)
            mine[-1].append(p)
    ports = [c[0].cport for c in conns]
    if ports != [42301, 42301, 42302, 42302, 42303, 42303]:
        fail("connections (client ports, in order): %s" % ports)
    print("connection  client port  frames  SYN (frame, ISN raw, TSval)  SYN-ACK  first close (frame, side, flags)"
          "  last frame (time)  tshark on the SYN")
    for i, ps in enumerate(conns):
        syn = ps[0]
        sig = [(p.side, flags(p), p.len) for p in ps[:7]]
        want = [("c", "S", 0), ("s", "SA", 0), ("c", "A", 0), ("c", "A", 42), ("s", "A", 0), ("s", "A", 96),
                ("c", "A", 0)]
        if sig != want:
            fail("connection %d: first frames are %s, want %s" % (i + 1, sig, want))
        end = next(p for p in ps if p.fin or p.rst)
        print("%d  %d  %d-%d  %d, %d, %s  %d  %d, %s, %s  %d (%.3f s)  %s" % (
            i + 1, syn.cport, ps[0].frame, ps[-1].frame, syn.frame, syn.seq_raw, syn.tsval, ps[1].frame,
            end.frame, "client" if end.side == "c" else "server", flags(end), ps[-1].frame, ps[-1].t,
            " ".join(labels.get(str(syn.frame), [])) or "-"))
    checks = []
    for k in (0, 2, 4):
        old, new = conns[k], conns[k + 1]
        syn = new[0]
        port = syn.cport
        old_end = next(p for p in old if p.fin or p.rst)
        old_c = [p for p in old if p.side == "c"]
        c_nxt = max(p.seq_raw + p.len + (1 if p.syn or p.fin else 0) for p in old_c) & 0xFFFFFFFF
        gap = syn.t - old[-1].t
        newer_isn = 0 < ((syn.seq_raw - c_nxt) & 0xFFFFFFFF) < 0x80000000
        newer_ts = syn.tsval is not None and all(
            p.tsval is None or 0 < ((syn.tsval - p.tsval) & 0xFFFFFFFF) < 0x80000000 for p in old_c)
        checks += [
            (new[1].syn and new[1].ackf and new[1].side == "s", "%d: the second SYN is answered with a SYN-ACK" % port),
            (newer_isn, "%d: the second ISN is above the old client's next seq" % port),
            (newer_ts, "%d: the second SYN's TSval is above the old client's" % port),
        ]
        if port == 42301:
            checks += [
                (old_end.rst and old_end.side == "c" and not any(p.fin for p in old),
                 "42301: the first connection ends with the client's RST, no FIN"),
                (old_end is old[-1], "42301: the RST is the first connection's last packet"),
                (gap >= 20.0, "42301: the second SYN comes at least 20 s after the RST"),
            ]
        else:
            first = "s" if port == 42302 else "c"
            checks += [
                (old_end.fin and old_end.side == first and not any(p.rst for p in old),
                 "%d: the first connection is closed with FINs, the %s's first" % (
                     port, "server" if first == "s" else "client")),
                (gap < 60.0, "%d: the second SYN comes within 60 s (TIME_WAIT)" % port),
            ]
        print("%d: second SYN frame %d, %.3f s after the first connection's last packet (frame %d);"
              " first connection ended by %s %s in frame %d; old client next seq %d, new ISN %d (%+d)" % (
                  port, syn.frame, gap, old[-1].frame, "client" if old_end.side == "c" else "server",
                  "RST" if old_end.rst else "FIN", old_end.frame, c_nxt, syn.seq_raw,
                  ((syn.seq_raw - c_nxt + 0x80000000) & 0xFFFFFFFF) - 0x80000000))
    for ok, what in checks:
        if not ok:
            fail("not so: " + what)
    reused = sorted(int(k) for k, v in labels.items() if "reused_ports" in v)
    print("tshark reused_ports frames: %s" % (" ".join(map(str, reused)) or "none"))


# ------------------------------------------------------------ relay copies

COPIES_FIELDS = ["frame.number", "frame.time_relative", "ip.src", "tcp.srcport", "tcp.dstport",
                 "ip.id", "ip.len", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "tcp.window_size_value",
                 "tcp.checksum", "tcp.options.timestamp.tsval", "tcp.len"]


def relay_copies(args):
    cmd = ["tshark", "-r", args.pcap, "-T", "fields", "-E", "separator=\t"]
    for f in COPIES_FIELDS:
        cmd += ["-e", f]
    rows = [line.split("\t") for line in
            subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()]
    if len({(r[3], r[4]) for r in rows} | {(r[4], r[3]) for r in rows}) != 2:
        fail("want one connection")
    side = lambda r: "s" if r[3] == "8080" else "c"
    first, pairs = {}, []               # identity -> row index; (first, second) row indexes
    for i, r in enumerate(rows):
        ident = tuple(r[2:])
        if ident not in first:
            first[ident] = i
        elif first[ident] is None:
            fail("frame %s: a third copy" % r[0])
        else:
            pairs.append((first[ident], i))
            first[ident] = None
    once = [rows[i][0] for i in first.values() if i is not None]
    if once:
        fail("frames captured once: %s" % " ".join(once[:20]))
    gaps = [1000 * (float(rows[b][1]) - float(rows[a][1])) for a, b in pairs]
    if min(gaps) < 20 or max(gaps) > 30:
        fail("copies %.2f-%.2f ms apart, want 20-30" % (min(gaps), max(gaps)))
    same, peer, answered = [], [], 0
    for a, b in pairs:
        between = rows[a + 1:b]
        same.append(sum(1 for r in between if side(r) == side(rows[a])))
        others = [r for r in between if side(r) != side(rows[a])]
        peer.append(len(others))
        flags_a = int(rows[a][9], 16)
        space = int(rows[a][13]) + (1 if flags_a & 2 else 0) + (1 if flags_a & 1 else 0)
        end = (int(rows[a][7]) + space) & 0xFFFFFFFF
        if space and any(int(r[9], 16) & 0x10 and 0 <= (int(r[8]) - end) & 0xFFFFFFFF < 1 << 31
                         for r in others):
            answered += 1
    if answered:
        fail("%d copies come after the peer acknowledged the first copy" % answered)
    firsts = [rows[a] for a, _ in pairs]
    zero = [r for r in firsts if int(r[5], 16) == 0]
    if [int(r[9], 16) & 0x17 for r in zero] != [0x12]:
        fail("IPv4 ID 0 on %s, want only the SYN-ACK" % " ".join(r[0] for r in zero))
    for sd in "cs":
        ids = [r[5] for r in firsts if side(r) == sd and int(r[5], 16) != 0]
        if len(ids) != len(set(ids)):
            fail("%s: an IPv4 ID used twice" % sd)
    isn = int(next(r for r in firsts if side(r) == "s" and int(r[9], 16) & 2)[7])
    data = [((int(r[7]) - isn - 1) & 0xFFFFFFFF, int(r[13])) for r in firsts if side(r) == "s" and r[13] != "0"]
    blocks = sorted(rel // MSS for rel, n in data)
    if any(n != MSS or rel % MSS for rel, n in data) or blocks != list(range(len(blocks))):
        fail("the server's data is not whole blocks, each sent once")
    print("%d frames: %d packets, each captured twice (the same IPv4 ID, IP length, seq, ack, flags, window,"
          " TCP checksum and TSval), the second copy %.2f-%.2f ms after the first"
          % (len(rows), len(pairs), min(gaps), max(gaps)))
    print("first copies: client %d packets, server %d packets; server data %d blocks of %d bytes, each sent once"
          % (sum(1 for r in firsts if side(r) == "c"), sum(1 for r in firsts if side(r) == "s"), len(blocks), MSS))
    print("between the two copies of a packet: up to %d packets of the same side (%d packets with more than 8),"
          " up to %d of the peer (%d packets with at least one); none acknowledges the first copy"
          % (max(same), sum(1 for n in same if n > 8), max(peer), sum(1 for n in peer if n > 0)))
    print("IPv4 ID 0: frames %s (the SYN-ACK); every other packet has a non-zero ID, none used twice on its side"
          % ", ".join(rows[i][0] for i in (pairs[firsts.index(zero[0])])))
    print("copies (second frame:first frame):")
    line = ""
    for a, b in pairs:
        item = "%s:%s" % (rows[b][0], rows[a][0])
        if len(line) + len(item) >= 100:
            print(line)
            line = ""
        line += (" " if line else "") + item
    print(line)


# ------------------------------------------------------------ injected RST

INJ_FIELDS = ["frame.number", "frame.time_relative", "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq_raw",
              "tcp.ack_raw", "tcp.len", "ip.id", "ip.ttl", "ip.flags.df", "tcp.hdr_len", "tcp.window_size",
              "tcp.payload"]
FORGED_ID, FORGED_TTL = 0xDEAD, 255


def injected_rst(args):
    cmd = ["tshark", "-r", args.pcap, "-T", "fields", "-E", "separator=\t"]
    for f in INJ_FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    labels = tshark_labels(args.tshark)
    bad = json.load(open(args.tshark))["frames"] if args.tshark else {}
    if any("checksum_bad" in v for v in bad.values()):
        fail("a bad checksum")
    pkts = []
    for line in out.splitlines():
        c = line.split("\t")
        p = Pkt()
        p.frame, p.t, p.sport, p.dport = int(c[0]), float(c[1]), int(c[2]), int(c[3])
        fl = int(c[4], 16)
        p.syn, p.fin, p.rst, p.ackf = bool(fl & 2), bool(fl & 1), bool(fl & 4), bool(fl & 16)
        p.seq_raw, p.ack_raw, p.len = int(c[5]), int(c[6]), int(c[7])
        p.ipid, p.ttl, p.df, p.hdr = int(c[8], 16), int(c[9]), c[10] in ("1", "True"), int(c[11])
        p.win = int(c[12])
        p.marker = bytes.fromhex(c[13].replace(":", ""))[:6].decode() if c[13] else ""
        p.side = "s" if p.sport == 8080 else "c"
        p.cport = p.dport if p.side == "s" else p.sport
        p.forged = p.ipid == FORGED_ID or p.ttl != 64 or not p.df
        pkts.append(p)
    conns = {}
    for p in pkts:
        conns.setdefault(p.cport, []).append(p)
    if list(conns) != [42501, 42502, 42503]:
        fail("connections (client ports, in order of their first packet): %s" % list(conns))
    for a, b in zip(list(conns.values()), list(conns.values())[1:]):
        if a[-1].t >= b[0].t:
            fail("the connections overlap")
    forged = [p for p in pkts if p.forged]
    for p in forged:
        if not (p.side == "c" and p.ipid == FORGED_ID and p.ttl == FORGED_TTL and not p.df):
            fail("frame %d: a packet with only some of the marks of a forged one" % p.frame)
        if not (p.rst and p.ackf and not p.syn and not p.fin and p.len == 0 and p.hdr == 20):
            fail("frame %d: the forged packet is not a RST+ACK without options" % p.frame)
    seen = {}
    for p in pkts:
        if p.syn:
            seen[(p.cport, p.side)] = p.seq_raw
    rel = lambda p, side, v: (v - seen[(p.cport, side)]) & 0xFFFFFFFF
    print("frame  time  client port  side  flags  seq  ack  len  IPv4 ID  TTL  DF  request/response  tshark"
          " (seq, ack relative to the ISNs; F = forged)")
    for p in pkts:
        other = "s" if p.side == "c" else "c"
        print("%d  %.6f  %d  %s%s  %s  %d  %s  %d  0x%04x  %d  %d  %s  %s" % (
            p.frame, p.t, p.cport, "client" if p.side == "c" else "server", " F" if p.forged else "", flags(p),
            rel(p, p.side, p.seq_raw), rel(p, other, p.ack_raw) if p.ackf else "-", p.len, p.ipid, p.ttl,
            p.df, p.marker or "-", " ".join(labels.get(p.frame, [])) or "-"))
    kinds, notes = [], []
    for port, ps in conns.items():
        genuine = [p for p in ps if p.side == "c" and not p.forged]
        ids = [p.ipid for p in genuine]
        if any((b - a) & 0xFFFF != 1 for a, b in zip(ids, ids[1:])):
            fail("%d: the client's own IPv4 IDs do not go up by one per packet" % port)
        for i, p in enumerate(ps):
            if not p.forged:
                continue
            before = [q for q in ps[:i] if q.side == "c" and not q.forged]
            rcv_nxt = max((q.seq_raw + q.len + (1 if q.syn or q.fin else 0)) & 0xFFFFFFFF for q in before)
            snd = [q for q in ps[:i] if q.side == "s"]
            wnd = snd[-1].win
            off = (p.seq_raw - rcv_nxt) & 0xFFFFFFFF
            kind = "exact" if off == 0 else "in-window" if off < wnd else "out-of-window"
            after = ps[i + 1:]
            nxt_c = next(q for q in after if q.side == "c")
            if nxt_c.forged or nxt_c.seq_raw != rcv_nxt or nxt_c.len == 0 \
                    or nxt_c.ipid != (before[-1].ipid + 1) & 0xFFFF:
                fail("frame %d: the client's next packet is not its next request" % p.frame)
            srv = [q for q in after if q.side == "s" and q.t < nxt_c.t]
            at = len(notes)         # this RST's line goes before those of the server's answer
            if kind == "out-of-window" and srv:
                fail("frame %d: the server answered an out-of-window RST" % p.frame)
            if kind == "in-window":
                if not (len(srv) == 1 and srv[0] is after[0] and srv[0].ackf and srv[0].len == 0
                        and not (srv[0].rst or srv[0].fin) and srv[0].ack_raw == rcv_nxt
                        and srv[0].seq_raw == snd[-1].seq_raw + snd[-1].len):
                    fail("frame %d: no challenge ACK right after it" % p.frame)
                notes.append("%d: frame %d is the server's challenge ACK (seq SND.NXT %d, ack RCV.NXT %d), %.0f us"
                             " after the forged RST and before the client's next packet (frame %d)" % (
                                 port, srv[0].frame, rel(srv[0], "s", srv[0].seq_raw), rel(p, "c", rcv_nxt),
                                 1e6 * (srv[0].t - p.t), nxt_c.frame))
            if kind == "exact":
                if srv:
                    fail("frame %d: the server sent something after the exact RST" % p.frame)
                rst = next(q for q in after if q.side == "s")
                if not (rst is after[1] and rst.rst and not rst.ackf and rst.seq_raw == nxt_c.ack_raw
                        and rst is ps[-1]):
                    fail("frame %d: the server does not answer the next request with a RST" % p.frame)
                notes.append("%d: frame %d is the server's RST (no ACK, seq = the ack of the client's request in"
                             " frame %d, IPv4 ID 0x%04x), the connection's last packet" % (
                                 port, rst.frame, nxt_c.frame, rst.ipid))
            trig = [q for q in before if q.len > 0][-1]
            kinds.append((port, kind))
            notes.insert(at, "%d: frame %d forged RST+ACK, seq RCV.NXT%+d (%s; RCV.NXT = relative %d, the server's"
                         " window %d), %.1f ms after the client's %s (frame %d); the client's next packet is"
                         " frame %d (%s, seq RCV.NXT, IPv4 ID 0x%04x = its previous ID + 1)" % (
                             port, p.frame, off if off < 1 << 31 else off - (1 << 32), kind,
                             rel(p, "c", rcv_nxt), wnd, 1000 * (p.t - trig.t), trig.marker, trig.frame,
                             nxt_c.frame, nxt_c.marker, nxt_c.ipid))
        last = ps[-1]
        if port == 42501 and (not any(q.fin for q in ps if q.side == "c") or any(
                q.rst for q in ps if not q.forged)):
            fail("42501: not closed with FINs")
        if port == 42503:
            if any(q.forged for q in ps) or not (last.side == "c" and last.rst and last.ackf):
                fail("42503: does not end with the client's own RST")
            rcv_nxt = max((q.seq_raw + q.len + (1 if q.syn else 0)) & 0xFFFFFFFF for q in ps[:-1] if q.side == "c")
            if last.seq_raw != rcv_nxt or last.ipid != (genuine[-2].ipid + 1) & 0xFFFF:
                fail("42503: the client's RST is not at RCV.NXT with its next ID")
            notes.append("42503: frame %d is the client's own RST+ACK (seq RCV.NXT, IPv4 ID 0x%04x = its previous"
                         " ID + 1, TTL 64, DF, header %d bytes), the connection's last packet" % (
                             last.frame, last.ipid, last.hdr))
    if kinds != [(42501, "out-of-window"), (42501, "in-window"), (42502, "exact")]:
        fail("forged RSTs: %s" % kinds)
    for port, ps in conns.items():
        print("%d: frames %d-%d; %d client requests (%s), %d server responses" % (
            port, ps[0].frame, ps[-1].frame, sum(1 for q in ps if q.side == "c" and q.len),
            " ".join(str(q.frame) for q in ps if q.side == "c" and q.len),
            sum(1 for q in ps if q.side == "s" and q.len)))
    for n in notes:
        print(n)
    print("forged RSTs (IPv4 ID 0x%04x, TTL %d, no DF, no TCP options): frames %s; every other client packet: TTL 64,"
          " DF, IDs consecutive per connection" % (FORGED_ID, FORGED_TTL, " ".join(str(p.frame) for p in forged)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    ap.add_argument("pcap")
    ap.add_argument("--other")
    ap.add_argument("--tshark")
    ap.add_argument("--dropped", default="")
    ap.add_argument("--nft")
    a = ap.parse_args()
    if a.case == "simultaneous-close":
        simultaneous_close(a)
    elif a.case == "loss-after-capture":
        loss_after(a)
    elif a.case == "loss-before-capture":
        loss_before(a)
    elif a.case == "port-reuse-after-rst":
        port_reuse(a)
    elif a.case == "relay-copies":
        relay_copies(a)
    elif a.case == "injected-rst":
        injected_rst(a)
    else:
        fail("unknown case " + a.case)


if __name__ == "__main__":
    main()
