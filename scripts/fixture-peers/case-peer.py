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
The server prints "listening" once it accepts connections.
"""
import importlib.util
import os
import socket
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


def at(t):
    """Return at CLOCK_MONOTONIC time t: sleep to 2 ms before, then spin."""
    d = t - time.monotonic() - 0.002
    if d > 0:
        time.sleep(d)
    while time.monotonic() < t:
        pass


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
