#!/usr/bin/env python3
"""Scripted TCP client and server for scripts/make-fixtures.sh.

Each scenario does exactly one thing at a time, with explicit sleeps between
steps, so that the packets on the wire come out in a fixed order.  Linux acks
in-order data at once at the start of a connection and delays the ACK of a
FIN by about 40 ms on a low-latency link (TCP_DELACK_MIN), so a 0.2 s pause
between steps is enough for every pure ACK to go out before the next step.

    peer.py server SCENARIO LISTEN_ADDR PORT
    peer.py client SCENARIO SRC_ADDR SRC_PORT DST_ADDR DST_PORT [SRC_PORT2]
    peer.py probe ADDR      (exit 0 if the path to ADDR works)

Scenarios: client-close, server-close, three-way-close, refused, half-close,
rst-abort, multi.  The server prints "listening" once it accepts connections.
"""
import socket
import struct
import sys
import threading
import time

STEP = 0.2      # pause between the steps of a scenario
REQUEST = b"GET /index.html HTTP/1.1\r\nHost: server\r\n\r\n"
BODY = b"<html><body>hello</body></html>\n"
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
            + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)
# half-close: an HTTP/1.0 response (body ends at the server's FIN) in three sends
CHUNKS = [b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n",
          b"part 1 of the body, sent in CLOSE_WAIT\n",
          b"part 2 of the body, sent in CLOSE_WAIT\n"]


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        d = s.recv(n - len(buf))
        if not d:
            raise RuntimeError("EOF after %d of %d bytes" % (len(buf), n))
        buf += d
    return buf


def recv_eof(s):
    d = s.recv(4096)
    if d:
        raise RuntimeError("expected EOF, got %d bytes" % len(d))


def connect(src, sport, dst, dport):
    s = socket.socket(family(dst), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, sport))
    s.connect((dst, dport))
    return s


# ---------------------------------------------------------------- server side

def serve_one(scenario, c):
    if scenario == "client-close":
        recv_exact(c, len(REQUEST))
        time.sleep(STEP)
        c.sendall(RESPONSE)
        recv_eof(c)                 # client FIN; our ACK of it is delayed ~40 ms
        time.sleep(STEP)            # ... so it goes out alone: 4-segment close
        c.close()
    elif scenario == "three-way-close":
        recv_exact(c, len(REQUEST))
        time.sleep(STEP)
        c.sendall(RESPONSE)
        recv_eof(c)                 # client FIN; ACK still pending (delayed)
        c.close()                   # our FIN carries that ACK: FIN, FIN+ACK, ACK
    elif scenario in ("server-close", "multi"):
        recv_exact(c, len(REQUEST))
        time.sleep(STEP)
        c.sendall(RESPONSE)
        time.sleep(STEP)
        c.close()                   # server FIN first
    elif scenario == "half-close":
        recv_exact(c, len(REQUEST))
        recv_eof(c)                 # client did shutdown(SHUT_WR)
        time.sleep(STEP)            # our delayed ACK of its FIN goes out alone
        for i, chunk in enumerate(CHUNKS):
            if i:
                time.sleep(STEP / 2)
            c.sendall(chunk)        # data in CLOSE_WAIT, client acks each
        time.sleep(STEP)
        c.close()
    elif scenario == "rst-abort":
        recv_exact(c, len(REQUEST))
        time.sleep(STEP)
        c.sendall(RESPONSE)
        try:
            d = c.recv(4096)        # the client aborts: RST
            if d:
                raise RuntimeError("unexpected data")
        except ConnectionResetError:
            pass
        c.close()
    else:
        raise SystemExit("unknown scenario " + scenario)


def server(scenario, addr, port):
    ls = socket.socket(family(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(8)
    print("listening", flush=True)
    n = 3 if scenario == "multi" else 1
    threads = []
    for _ in range(n):
        c, _peer = ls.accept()
        t = threading.Thread(target=serve_one, args=(scenario, c))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    ls.close()


# ---------------------------------------------------------------- client side

def exchange_then(s):
    """Request, wait for the whole response."""
    time.sleep(STEP)
    s.sendall(REQUEST)
    recv_exact(s, len(RESPONSE))


def client(scenario, src, sport, dst, dport, sport2):
    if scenario in ("client-close", "three-way-close"):
        s = connect(src, sport, dst, dport)
        exchange_then(s)
        time.sleep(STEP)
        s.close()                   # client FIN first
        time.sleep(STEP * 3)        # let the server finish its side
    elif scenario == "server-close":
        s = connect(src, sport, dst, dport)
        exchange_then(s)
        recv_eof(s)                 # server FIN; our ACK of it is delayed ~40 ms
        time.sleep(STEP)
        s.close()                   # our FIN from CLOSE_WAIT
    elif scenario == "refused":
        s = socket.socket(family(dst), socket.SOCK_STREAM)
        s.bind((src, sport))
        try:
            s.connect((dst, dport))
            raise SystemExit("connect() unexpectedly succeeded")
        except ConnectionRefusedError:
            pass
        s.close()
    elif scenario == "half-close":
        s = connect(src, sport, dst, dport)
        time.sleep(STEP)
        s.sendall(REQUEST)
        time.sleep(STEP)
        s.shutdown(socket.SHUT_WR)  # FIN, but keep reading
        got = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            got += d
        if got != b"".join(CHUNKS):
            raise RuntimeError("half-close: got %r" % got)
        s.close()
    elif scenario == "rst-abort":
        s = connect(src, sport, dst, dport)
        exchange_then(s)
        time.sleep(STEP)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()                   # abortive close: RST instead of FIN
    elif scenario == "multi":
        # Two overlapping connections (sport, sport2), both closed by the server
        # first, then a third one from sport again: the client socket on sport
        # went through LAST_ACK to CLOSED (no TIME_WAIT here), so it can bind
        # the same port and open the same 4-tuple with a fresh SYN and ISN.
        t0 = time.monotonic()

        def at(t):
            d = t0 + t - time.monotonic()
            if d > 0:
                time.sleep(d)
        a = connect(src, sport, dst, dport)
        at(0.1)
        b = connect(src, sport2, dst, dport)
        at(0.2)
        a.sendall(REQUEST)              # server answers at 0.4, FIN at 0.6
        at(0.3)
        b.sendall(REQUEST)              # server answers at 0.5, FIN at 0.7
        recv_exact(a, len(RESPONSE))
        recv_eof(a)
        recv_exact(b, len(RESPONSE))
        recv_eof(b)
        at(0.9)
        a.close()
        at(1.0)
        b.close()
        at(1.3)
        c = connect(src, sport, dst, dport)   # same 4-tuple as a
        exchange_then(c)
        recv_eof(c)
        time.sleep(STEP)
        c.close()
    else:
        raise SystemExit("unknown scenario " + scenario)


def probe(addr):
    """Exit 0 if a UDP datagram to a closed port of addr is refused (path works)."""
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(0.5)
    s.connect((addr, 9))
    try:
        s.send(b"x")
        s.recv(1)
    except ConnectionRefusedError:
        return 0
    except OSError:
        return 1
    return 1


def main(argv):
    if len(argv) == 2 and argv[0] == "probe":
        sys.exit(probe(argv[1]))
    if len(argv) >= 4 and argv[0] == "server":
        server(argv[1], argv[2], int(argv[3]))
    elif len(argv) >= 6 and argv[0] == "client":
        sport2 = int(argv[6]) if len(argv) > 6 else 0
        client(argv[1], argv[2], int(argv[3]), argv[4], int(argv[5]), sport2)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
