#!/usr/bin/env python3
"""A two-port Ethernet relay with a fixed one-way delay, for the switch
namespace of scripts/make-case-fixtures.sh (netem and nfqueue are not
available there).

    relay.py IFACE_A IFACE_B DELAY_MS

Every frame received on one interface (AF_PACKET, any protocol) is sent out
of the other one DELAY_MS later.  Frames keep their order in each direction.
Frames the relay sent itself (packet type OUTGOING) are not relayed back.
The interfaces must not be bridge ports (else the bridge forwards them at
once as well).  Prints "relaying" once both sockets are open; runs until
killed.
"""
import heapq
import itertools
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    delay = float(argv[2]) / 1000.0
    socks = {}
    for name in argv[:2]:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.setblocking(False)
        socks[name] = s
    a, b = (socks[n] for n in argv[:2])
    other = {a.fileno(): b, b.fileno(): a}
    queue = []                  # (due, order, out socket, frame)
    order = itertools.count()
    print("relaying", flush=True)
    while True:
        timeout = None
        if queue:
            timeout = max(0.0, queue[0][0] - time.monotonic())
        ready, _, _ = select.select([a, b], [], [], timeout)
        now = time.monotonic()
        for s in ready:
            while True:
                try:
                    frame, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                heapq.heappush(queue, (now + delay, next(order), other[s.fileno()], frame))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            out.send(frame)


if __name__ == "__main__":
    main(sys.argv[1:])
