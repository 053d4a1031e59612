#!/usr/bin/env python3
"""Scripted TCP client and server for scripts/make-anomaly-fixtures.sh.

The scenarios reuse the helpers of peer.py (same directory).  Where the script
has to act in the middle of a scenario (add or delete an nftables rule, start
tcpdump), the client prints a tag on stdout and waits for a line on stdin
before it goes on ("sync points").

    anomaly-peer.py server SCENARIO LISTEN_ADDR PORT
    anomaly-peer.py client SCENARIO SRC_ADDR SRC_PORT DST_ADDR DST_PORT

Scenarios:
  bulk       the client sends a request; the server answers with BULK_BLOCKS
             blocks of one MSS each.  The client does not read until all of it
             is in its receive buffer, so reading never changes the window.
             Every block starts with the marker "BLKnnnnn" (block number), so
             the script can drop one chosen segment with nftables.
  ack-loss   the same with ACKLOSS_BLOCKS blocks; sync points "established"
             (before the request) and "received" (all data read).
  slow-read  the client sets SO_RCVBUF to SLOW_RCVBUF and reads nothing for
             SLOW_PAUSE s while the server sends SLOW_BYTES (the window goes to
             0); then it reads SLOW_CHUNK bytes every SLOW_STEP s until it has
             everything.
  keepalive  request/response, then SO_KEEPALIVE probes (idle 1 s, interval
             1 s) during KEEPALIVE_IDLE s of silence; then the client closes.
  midstream  two request/response rounds; sync point "exchanged" between
             them (the script starts tcpdump there); then the client closes.
  rst-inject request/response, then the client namespace sends a crafted RST
             whose seq is inside the server's window but not the next
             expected one (RFC 5961 challenge ACK).  Then the client aborts
             with SO_LINGER {1, 0} (RST).
  client-close  as in peer.py.
The server prints "listening" once it accepts connections.
"""
import fcntl
import os
import socket
import struct
import sys
import termios
import time

sys.dont_write_bytecode = True    # no __pycache__ next to the peers
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer  # noqa: E402  (the helpers and the plain scenarios)

STEP = peer.STEP
REQUEST = peer.REQUEST
BULK_BLOCKS = 210           # 210 x 1448 = 304,080 bytes
ACKLOSS_BLOCKS = 10         # one initial congestion window
SLOW_BYTES = 200 * 1024
SLOW_RCVBUF = 65536         # the kernel doubles it
SLOW_PAUSE = 2.0
SLOW_CHUNK = 16384
SLOW_STEP = 0.05
KEEPALIVE_IDLE = 3.5
RST_OFFSET = 1000           # injected RST: seq = expected + this


def blocks(n, size):
    """n blocks of size bytes, each starting with BLKnnnnn (its number)."""
    out = []
    for i in range(n):
        head = b"BLK%05d" % i
        fill = bytes((i + j) & 0x7F | 0x20 for j in range(size - len(head)))
        out.append(head + fill)
    return b"".join(out)


def cubic(s):
    """CUBIC on this socket, whatever the machine's default is (a namespace
    inherits it; BBR paces its segments, which makes the packet order depend
    on timing).  Root may pick any built-in algorithm."""
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")
    return s


def mss_of(s):
    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)


def sync(tag):
    """Tell the script we reached TAG and wait until it says go on."""
    print(tag, flush=True)
    if not sys.stdin.readline():
        raise RuntimeError("script went away at sync point " + tag)


def wait_buffered(s, n, timeout=20.0):
    """Wait, without reading, until n bytes are in the receive queue."""
    end = time.monotonic() + timeout
    while True:
        avail = struct.unpack("i", fcntl.ioctl(s, termios.FIONREAD, b"\0\0\0\0"))[0]
        if avail >= n:
            return
        if time.monotonic() > end:
            raise RuntimeError("only %d of %d bytes arrived" % (avail, n))
        time.sleep(0.01)


# ---------------------------------------------------------------- server side

def serve(scenario, c):
    if scenario in ("bulk", "ack-loss"):
        n = BULK_BLOCKS if scenario == "bulk" else ACKLOSS_BLOCKS
        peer.recv_exact(c, len(REQUEST))
        c.sendall(blocks(n, mss_of(c)))
        peer.recv_eof(c)            # client FIN; our ACK of it is delayed
        time.sleep(STEP)
        c.close()
    elif scenario == "slow-read":
        peer.recv_exact(c, len(REQUEST))
        c.sendall(blocks(SLOW_BYTES // 1024, 1024))
        peer.recv_eof(c)
        time.sleep(STEP)
        c.close()
    elif scenario in ("keepalive", "client-close"):
        peer.serve_one("client-close", c)
    elif scenario == "midstream":
        for _ in range(2):
            peer.recv_exact(c, len(REQUEST))
            time.sleep(STEP)
            c.sendall(peer.RESPONSE)
        peer.recv_eof(c)
        time.sleep(STEP)
        c.close()
    elif scenario == "rst-inject":
        peer.serve_one("rst-abort", c)
    else:
        raise SystemExit("unknown scenario " + scenario)


def server(scenario, addr, port):
    ls = socket.socket(peer.family(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(8)
    print("listening", flush=True)
    c, _peer = ls.accept()
    serve(scenario, cubic(c))
    ls.close()


# ---------------------------------------------------------------- client side

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Sniffer:
    """An AF_PACKET socket on eth0 that remembers the last TCP segment of one
    4-tuple in each direction (IPv4 only)."""

    def __init__(self, ifname="eth0"):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
        self.sock.bind((ifname, 0))
        self.sock.setblocking(False)

    def last(self, src, sport, dst, dport):
        """(seq, ack, payload length, flags) of the newest segment src -> dst."""
        found = None
        want = (socket.inet_aton(src), sport, socket.inet_aton(dst), dport)
        while True:
            try:
                frame = self.sock.recv(65535)
            except BlockingIOError:
                break
            ip = frame[14:]
            if len(ip) < 40 or ip[9] != 6:
                continue
            ihl = (ip[0] & 15) * 4
            tcp = ip[ihl:]
            sp, dp, seq, ack, off = struct.unpack("!HHIIB", tcp[:13])
            if (ip[12:16], sp, ip[16:20], dp) != want:
                continue
            tot = struct.unpack("!H", ip[2:4])[0]
            found = (seq, ack, tot - ihl - (off >> 4) * 4, tcp[13])
        return found


def send_rst(src, sport, dst, dport, seq, ack):
    """Send one RST+ACK from src:sport to dst:dport through a raw socket."""
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, 0x14, 0, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(hdr))
    hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    r.sendto(hdr, (dst, 0))
    r.close()


def connect(src, sport, dst, dport, *opts):
    """peer.connect, with CUBIC and the socket options (level, name, value)
    set before connect()."""
    s = cubic(socket.socket(peer.family(dst), socket.SOCK_STREAM))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    for level, name, value in opts:
        s.setsockopt(level, name, value)
    s.bind((src, sport))
    s.connect((dst, dport))
    return s


def client(scenario, src, sport, dst, dport):
    if scenario == "client-close":
        peer.client("client-close", src, sport, dst, dport, 0)
    elif scenario == "bulk":
        s = connect(src, sport, dst, dport)
        want = blocks(BULK_BLOCKS, mss_of(s))
        time.sleep(STEP)
        s.sendall(REQUEST)
        wait_buffered(s, len(want))
        if peer.recv_exact(s, len(want)) != want:
            raise RuntimeError("bulk: data differs")
        time.sleep(STEP)
        s.close()                   # client FIN first
        time.sleep(STEP * 3)
    elif scenario == "ack-loss":
        s = connect(src, sport, dst, dport)
        want = blocks(ACKLOSS_BLOCKS, mss_of(s))
        time.sleep(STEP)
        sync("established")         # the script starts dropping our ACKs
        s.sendall(REQUEST)
        if peer.recv_exact(s, len(want)) != want:
            raise RuntimeError("ack-loss: data differs")
        sync("received")            # the script stops dropping them later
        s.close()
        time.sleep(STEP * 3)
    elif scenario == "slow-read":
        s = connect(src, sport, dst, dport, (socket.SOL_SOCKET, socket.SO_RCVBUF, SLOW_RCVBUF))
        time.sleep(STEP)
        s.sendall(REQUEST)
        time.sleep(SLOW_PAUSE)      # read nothing: the window closes
        got = b""
        while len(got) < SLOW_BYTES:
            got += peer.recv_exact(s, min(SLOW_CHUNK, SLOW_BYTES - len(got)))
            time.sleep(SLOW_STEP)
        if got != blocks(SLOW_BYTES // 1024, 1024):
            raise RuntimeError("slow-read: data differs")
        time.sleep(STEP)
        s.close()
        time.sleep(STEP * 3)
    elif scenario == "keepalive":
        s = connect(src, sport, dst, dport, (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),
                    (socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1),
                    (socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1))
        peer.exchange_then(s)
        time.sleep(KEEPALIVE_IDLE)  # idle: keep-alive probes and their ACKs
        s.close()
        time.sleep(STEP * 3)
    elif scenario == "midstream":
        s = connect(src, sport, dst, dport)
        peer.exchange_then(s)
        sync("exchanged")           # the script starts tcpdump now
        peer.exchange_then(s)
        time.sleep(STEP)
        s.close()
        time.sleep(STEP * 3)
    elif scenario == "rst-inject":
        sn = Sniffer()
        s = connect(src, sport, dst, dport)
        peer.exchange_then(s)
        time.sleep(STEP)
        last = sn.last(dst, dport, src, sport)     # the server's response
        if last is None:
            raise RuntimeError("rst-inject: did not see the server's segments")
        seq, ack, plen, flags = last
        # The server expects `ack` next (it acked all our data); send seq
        # ack+RST_OFFSET, inside its window: RFC 5961 says answer with a
        # challenge ACK and do not reset.
        send_rst(src, sport, dst, dport, (ack + RST_OFFSET) & 0xFFFFFFFF, (seq + plen) & 0xFFFFFFFF)
        time.sleep(STEP)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()                   # the real abortive close: exact RST
        time.sleep(STEP)
    else:
        raise SystemExit("unknown scenario " + scenario)


def main(argv):
    if len(argv) >= 4 and argv[0] == "server":
        server(argv[1], argv[2], int(argv[3]))
    elif len(argv) >= 6 and argv[0] == "client":
        client(argv[1], argv[2], int(argv[3]), argv[4], int(argv[5]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
