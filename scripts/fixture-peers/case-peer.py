#!/usr/bin/env python3
"""Scripted TCP client and server for scripts/make-case-fixtures.sh.

The scenarios reuse the helpers of peer.py and anomaly-peer.py (same
directory).

    case-peer.py server SCENARIO LISTEN_ADDR PORT [ARG]
    case-peer.py client SCENARIO SRC_ADDR SRC_PORT DST_ADDR DST_PORT [ARG]

Scenarios:
  simclose   ARG is a CLOCK_MONOTONIC time T0 (seconds, the same clock in all
             network namespaces).  SIMCLOSE_ROUNDS connections one after the
             other, round i from client port SRC_PORT+i.  Each round is a
             request (42 bytes) and a response (96 bytes); then the server
             calls close() at T0 + i*SIMCLOSE_ROUND and the client at
             SIMCLOSE_SKEW later, both waiting for that moment by spinning on
             the clock.  With the one-way delay of the relay in the switch
             (relay.py, SIMCLOSE_SKEW below the delay) each FIN leaves before
             the other one arrives: the FINs cross.  Each side then waits for
             EOF and closes its socket, which is in TIME_WAIT by then.
  bulk       as in anomaly-peer.py, with ARG blocks of one MSS (each starting
             with the marker "BLKnnnnn") instead of 210.  The client waits
             until all of it is in its receive buffer before it reads, then
             closes first.
  portreuse  ARG is the wait in seconds (default PORTREUSE_WAIT) between the
             RST that ends the first connection and the second SYN.  Three
             pairs of connections, each pair from one fixed client port
             (SO_REUSEADDR), one pair after the other:
               SRC_PORT    request/response, then the client aborts
                           (SO_LINGER {1, 0}: RST, no TIME_WAIT); ARG s
                           later the same port connects again (new ISN),
                           request/response, the client closes first.
               SRC_PORT+1  request/response, the server closes first, so
                           the server is in TIME_WAIT when the client
                           connects again from the same port
                           PORTREUSE_TW_WAIT s later (Linux accepts the SYN
                           in TIME_WAIT: ISN or TSval above the old ones).
               SRC_PORT+2  request/response, the client closes first, so
                           the client is in TIME_WAIT when it connects again
                           PORTREUSE_TW_WAIT s later (needs
                           net.ipv4.tcp_tw_reuse=1 in the client's
                           namespace; Linux then takes over the TIME_WAIT
                           tuple, ISN above the old one).
             The second connection of the last two pairs closes as the
             first did.
  copies     bulk as above, ARG blocks, closed so that every packet but the
             SYN-ACK carries a non-zero IPv4 ID (for a capture on both ports
             of relay.py, where each packet is seen twice): the ACKs of a
             socket in TIME_WAIT, or orphaned in FIN_WAIT_2, have ID 0, so
             the server calls shutdown(SHUT_WR) after the data and waits for
             EOF, and the client closes only once it has read everything and
             the server's FIN.  (Linux sends the SYN-ACK with DF and ID 0
             whatever the listener's IP_MTU_DISCOVER.)
  injectrst  three connections, one after the other, from SRC_PORT,
             SRC_PORT+1 and SRC_PORT+2, each a series of requests (REQ_LEN
             bytes, starting "REQ nn") each answered by a response (RSP_LEN
             bytes, "RSP nn"), INJECT_PAUSE s apart.  The RSTs in the
             client's name are forged by fixture-peers/inject-rst.py in the
             switch, not here; the peers only check that each connection
             ends as it must:
               SRC_PORT    INJECT_A_REQUESTS requests, then the client
                           closes first (FIN): the forged RSTs did not end
                           it on either side.
               SRC_PORT+1  the server's socket is reset (a forged RST with
                           the exact seq) while it waits for request
                           INJECT_B_RESET; the client sends that request
                           and gets ECONNRESET (the server's RST).
               SRC_PORT+2  INJECT_C_REQUESTS requests, then the client
                           aborts (SO_LINGER {1, 0}, a genuine RST); the
                           server gets ECONNRESET.
The server prints "listening" once it accepts connections.
"""
import importlib.util
import os
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True    # no __pycache__ next to the peers
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peer  # noqa: E402

_spec = importlib.util.spec_from_file_location("anomaly_peer", os.path.join(HERE, "anomaly-peer.py"))
ap = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ap)

SIMCLOSE_ROUNDS = 12
SIMCLOSE_ROUND = 1.0        # s between the rounds' close times
SIMCLOSE_LEAD = 0.6         # the client connects this long before the close time
SIMCLOSE_SKEW = 0.010       # the client closes this much after the server
PORTREUSE_WAIT = 20.0       # s from the RST to the second SYN on the same port
PORTREUSE_TW_WAIT = 2.5     # s from the close to the SYN while TIME_WAIT lasts (> 1 s for tcp_tw_reuse)
# How the server ends each of the 6 connections, in the order the client makes them.
PORTREUSE_SERVER = ["reset", "client-close", "server-close", "client-close", "client-close", "client-close"]


def at(t):
    """Return at CLOCK_MONOTONIC time t: sleep to 2 ms before, then spin."""
    d = t - time.monotonic() - 0.002
    if d > 0:
        time.sleep(d)
    while time.monotonic() < t:
        pass


def portreuse_server(ls):
    for how in PORTREUSE_SERVER:
        c, _ = ls.accept()
        ap.cubic(c)
        peer.recv_exact(c, len(peer.REQUEST))
        c.sendall(peer.RESPONSE)
        if how == "reset":
            try:
                if c.recv(4096):
                    raise RuntimeError("portreuse: data instead of the RST")
                raise RuntimeError("portreuse: FIN instead of the RST")
            except ConnectionResetError:
                pass
        elif how == "server-close":
            c.shutdown(socket.SHUT_WR)      # our FIN first: TIME_WAIT is ours
            peer.recv_eof(c)
        else:
            peer.recv_eof(c)                # the client's FIN first
        c.close()


def portreuse_client(src, sport, dst, dport, wait):
    def exchange(port):
        s = ap.connect(src, port, dst, dport)
        s.sendall(peer.REQUEST)
        if peer.recv_exact(s, len(peer.RESPONSE)) != peer.RESPONSE:
            raise RuntimeError("portreuse: response differs")
        time.sleep(peer.STEP)
        return s

    def client_close(s):
        s.shutdown(socket.SHUT_WR)          # our FIN first: TIME_WAIT is ours
        peer.recv_eof(s)
        s.close()
        time.sleep(peer.STEP)

    s = exchange(sport)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()                               # RST: the port is free at once
    time.sleep(wait)
    client_close(exchange(sport))
    s = exchange(sport + 1)                 # the server closes first
    peer.recv_eof(s)
    s.close()
    time.sleep(PORTREUSE_TW_WAIT)           # the server is in TIME_WAIT
    client_close(exchange(sport + 1))
    client_close(exchange(sport + 2))
    time.sleep(PORTREUSE_TW_WAIT)           # we are in TIME_WAIT
    client_close(exchange(sport + 2))


def copies_server(ls, n):
    c, _ = ls.accept()
    ap.cubic(c)
    peer.recv_exact(c, len(peer.REQUEST))
    c.sendall(ap.blocks(n, ap.mss_of(c)))
    c.shutdown(socket.SHUT_WR)      # our FIN; the client's FIN is acked from this socket
    peer.recv_eof(c)
    c.close()


def copies_client(src, sport, dst, dport, n):
    s = ap.connect(src, sport, dst, dport)
    want = ap.blocks(n, ap.mss_of(s))
    time.sleep(peer.STEP)
    s.sendall(peer.REQUEST)
    if peer.recv_exact(s, len(want)) != want:
        raise RuntimeError("copies: data differs")
    peer.recv_eof(s)                # the server's FIN
    time.sleep(peer.STEP)
    s.close()                       # from CLOSE_WAIT: LAST_ACK
    time.sleep(peer.STEP)


INJECT_PAUSE = 0.2          # s after each response before the next request
REQ_LEN, RSP_LEN = 100, 60
INJECT_A_REQUESTS = 8
INJECT_B_RESET = 4          # the server is reset before this request
INJECT_C_REQUESTS = 3


def inject_msg(tag, i, n):
    return (b"%s %02d " % (tag, i)).ljust(n, b".")


def injectrst_server(ls):
    for want in ("close", "reset", "reset"):
        c, _ = ls.accept()
        ap.cubic(c)
        i, how = 0, None
        while how is None:
            try:
                got = c.recv(REQ_LEN, socket.MSG_WAITALL)
            except ConnectionResetError:
                how = "reset"
                break
            if not got:
                how = "close"
                break
            i += 1
            if got != inject_msg(b"REQ", i, REQ_LEN):
                raise RuntimeError("injectrst: request %d differs" % i)
            c.sendall(inject_msg(b"RSP", i, RSP_LEN))
        if how != want:
            raise RuntimeError("injectrst: connection ended by %s after %d requests, want %s" % (how, i, want))
        c.close()


def injectrst_client(src, sport, dst, dport):
    def exchange(s, i):
        s.sendall(inject_msg(b"REQ", i, REQ_LEN))
        if peer.recv_exact(s, RSP_LEN) != inject_msg(b"RSP", i, RSP_LEN):
            raise RuntimeError("injectrst: response %d differs" % i)
        time.sleep(INJECT_PAUSE)

    s = ap.connect(src, sport, dst, dport)
    time.sleep(INJECT_PAUSE)
    for i in range(1, INJECT_A_REQUESTS + 1):
        exchange(s, i)
    s.shutdown(socket.SHUT_WR)          # our FIN first
    peer.recv_eof(s)
    s.close()
    time.sleep(INJECT_PAUSE)

    s = ap.connect(src, sport + 1, dst, dport)
    time.sleep(INJECT_PAUSE)
    for i in range(1, INJECT_B_RESET):
        exchange(s, i)
    try:
        exchange(s, INJECT_B_RESET)     # the server's socket is gone: its RST
        raise RuntimeError("injectrst: the server answered after the exact forged RST")
    except ConnectionResetError:
        pass
    s.close()
    time.sleep(INJECT_PAUSE)

    s = ap.connect(src, sport + 2, dst, dport)
    time.sleep(INJECT_PAUSE)
    for i in range(1, INJECT_C_REQUESTS + 1):
        exchange(s, i)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()                           # a genuine RST
    time.sleep(INJECT_PAUSE)


def server(scenario, addr, port, arg):
    ls = socket.socket(peer.family(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(8)
    print("listening", flush=True)
    if scenario == "simclose":
        t0 = float(arg)
        for i in range(SIMCLOSE_ROUNDS):
            c, _ = ls.accept()
            ap.cubic(c)
            peer.recv_exact(c, len(peer.REQUEST))
            c.sendall(peer.RESPONSE)
            at(t0 + i * SIMCLOSE_ROUND)
            c.shutdown(socket.SHUT_WR)      # our FIN (server first)
            peer.recv_eof(c)                # the client's FIN
            c.close()
    elif scenario == "portreuse":
        portreuse_server(ls)
    elif scenario == "copies":
        copies_server(ls, int(arg))
    elif scenario == "injectrst":
        injectrst_server(ls)
    elif scenario == "bulk":
        c, _ = ls.accept()
        ap.cubic(c)
        peer.recv_exact(c, len(peer.REQUEST))
        c.sendall(ap.blocks(int(arg), ap.mss_of(c)))
        peer.recv_eof(c)            # client FIN; our ACK of it is delayed
        time.sleep(peer.STEP)
        c.close()
    else:
        raise SystemExit("unknown scenario " + scenario)
    ls.close()


def client(scenario, src, sport, dst, dport, arg):
    if scenario == "simclose":
        t0 = float(arg)
        for i in range(SIMCLOSE_ROUNDS):
            t = t0 + i * SIMCLOSE_ROUND
            at(t - SIMCLOSE_LEAD)
            s = ap.connect(src, sport + i, dst, dport)
            s.sendall(peer.REQUEST)
            if peer.recv_exact(s, len(peer.RESPONSE)) != peer.RESPONSE:
                raise RuntimeError("simclose: response differs")
            if time.monotonic() > t - 0.1:
                raise RuntimeError("simclose: round %d exchange too slow" % i)
            at(t + SIMCLOSE_SKEW)
            s.shutdown(socket.SHUT_WR)      # our FIN, before the server's arrives
            peer.recv_eof(s)
            s.close()
        time.sleep(0.2)
    elif scenario == "portreuse":
        portreuse_client(src, sport, dst, dport, float(arg) if arg else PORTREUSE_WAIT)
    elif scenario == "copies":
        copies_client(src, sport, dst, dport, int(arg))
    elif scenario == "injectrst":
        injectrst_client(src, sport, dst, dport)
    elif scenario == "bulk":
        n = int(arg)
        s = ap.connect(src, sport, dst, dport)
        want = ap.blocks(n, ap.mss_of(s))
        time.sleep(peer.STEP)
        s.sendall(peer.REQUEST)
        ap.wait_buffered(s, len(want))
        if peer.recv_exact(s, len(want)) != want:
            raise RuntimeError("bulk: data differs")
        time.sleep(peer.STEP)
        s.close()                   # client FIN first
        time.sleep(peer.STEP * 3)
    else:
        raise SystemExit("unknown scenario " + scenario)


def main(argv):
    if len(argv) >= 4 and argv[0] == "server":
        server(argv[1], argv[2], int(argv[3]), argv[4] if len(argv) > 4 else "")
    elif len(argv) >= 6 and argv[0] == "client":
        client(argv[1], argv[2], int(argv[3]), argv[4], int(argv[5]), argv[6] if len(argv) > 6 else "")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
