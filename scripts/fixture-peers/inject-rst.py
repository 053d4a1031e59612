#!/usr/bin/env python3
"""Forge RSTs in the client's name into live connections, for the switch
namespace of scripts/make-case-fixtures.sh (injected-rst).

    inject-rst.py SNIFF_IFACE OUT_IFACE PLAN...

Each PLAN is PORT:K:OFFSET.  The script watches the frames on SNIFF_IFACE
(AF_PACKET, both directions) and keeps, per client port, the client's next
sequence number (what the server expects next, its RCV.NXT) and the
server's next sequence number.  DELAY s (below) after it sees the client's
data segment whose payload starts with b"REQ %02d" % K on PORT, it sends,
out of OUT_IFACE, a RST+ACK in the client's name (the Ethernet and IP
addresses of that client segment) with

    seq = the client's next seq + OFFSET        (mod 2**32)
    ack = the server's next seq

and correct IPv4 and TCP checksums.  The forged packet differs from the
client's own packets in three ways that a capture shows: IPv4 ID FORGED_ID
(Linux numbers a socket's packets consecutively), TTL FORGED_TTL (Linux
uses 64) and no DF bit, and it carries no TCP options (Linux's own RST has
the timestamp option).  OUT_IFACE must lead to the server without passing
the sniffing point again.  Prints "sniffing" once the sockets are open, one
"injected ..." line per RST sent, and exits when every PLAN is done.
"""
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
SERVER_PORT = 8080
DELAY = 0.100           # s after the trigger segment: its response and ACK are done
FORGED_ID = 0xDEAD
FORGED_TTL = 255
WINDOW = 502


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def forge(eth, src, dst, sport, dport, seq, ack):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, 0x14, WINDOW, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), FORGED_ID, 0, FORGED_TTL,
                     socket.IPPROTO_TCP, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return eth + ip + tcp


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    plans = []
    for p in argv[2:]:
        port, k, off = p.split(":")
        plans.append((int(port), b"REQ %02d" % int(k), int(off)))
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sniff.bind((argv[0], 0))
    out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    out.bind((argv[1], 0))
    print("sniffing", flush=True)
    nxt = {}                # (client port, "c" | "s") -> next seq of that side
    due = []                # [time, plan index, eth, src, dst, sport, dport]
    todo = set(range(len(plans)))
    while todo:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        r, _, _ = select.select([sniff], [], [], timeout)
        if r:
            frame = sniff.recv(65535)
            if len(frame) >= 34 and struct.unpack("!H", frame[12:14])[0] == ETH_P_IP and frame[23] == 6:
                ihl = (frame[14] & 15) * 4
                t = frame[14 + ihl:]
                sport, dport, seq, ack = struct.unpack("!HHII", t[:12])
                fl = t[13]
                iplen = struct.unpack("!H", frame[16:18])[0]
                plen = iplen - ihl - (t[12] >> 4) * 4
                payload = t[(t[12] >> 4) * 4:(t[12] >> 4) * 4 + plen]
                side, cport = ("s", dport) if sport == SERVER_PORT else ("c", sport)
                end = (seq + plen + (1 if fl & 0x03 else 0)) & 0xFFFFFFFF   # SYN or FIN: +1
                old = nxt.get((cport, side))
                if old is None or 0 < ((end - old) & 0xFFFFFFFF) < 1 << 31:
                    nxt[(cport, side)] = end
                if side == "c" and plen:
                    for i in sorted(todo):
                        port, marker, _ = plans[i]
                        if port == cport and payload.startswith(marker) and all(d[1] != i for d in due):
                            due.append([time.monotonic() + DELAY, i, frame[:14], frame[26:30], frame[30:34],
                                        sport, dport])
                            due.sort()
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, i, eth, src, dst, sport, dport = due.pop(0)
            port, marker, off = plans[i]
            rcv_nxt = nxt[(port, "c")]
            seq = (rcv_nxt + off) & 0xFFFFFFFF
            ack = nxt.get((port, "s"), 0)
            out.send(forge(eth, src, dst, sport, dport, seq, ack))
            todo.discard(i)
            print("injected port=%d after=%s rcv_nxt=%d offset=%d seq=%d ack=%d ipid=0x%04x ttl=%d"
                  % (port, marker.decode(), rcv_nxt, off, seq, ack, FORGED_ID, FORGED_TTL), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
