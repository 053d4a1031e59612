#!/usr/bin/env python3
"""Writes the hand-built captures of fixtures/cases/: cases no real stack can be made to show on
demand. Each packet is spelled out below; the expected result beside each capture is reasoned from
this list. Run from anywhere: python3 scripts/make-handbuilt-fixtures.py (then, for the tshark
verdict: bash -c '. scripts/fixture-lib.sh; tshark_json FILE "sentence" > FILE.tshark.json')."""
import os
import struct

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'cases')
CLIENT, SERVER = (10, 99, 0, 1), (10, 99, 0, 2)
CPORT, SPORT = 43001, 8080
FLAGS = {'F': 0x01, 'S': 0x02, 'R': 0x04, 'P': 0x08, '.': 0x10}


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def frame(src, dst, sport, dport, flags, seq, ack, payload=b'', ip_id=0, win=64240):
    bits = sum(FLAGS[c] for c in flags)
    tcp = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, bits, win, 0, 0) + payload
    pseudo = struct.pack('!4B4BBBH', *src, *dst, 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack('!H', checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack('!BBHHHBBH4B4B', 0x45, 0, 20 + len(tcp), ip_id, 0x4000, 64, 6, 0, *src, *dst)
    ip = ip[:10] + struct.pack('!H', checksum(ip)) + ip[12:]
    eth = bytes.fromhex('020000000002' '020000000001' '0800')
    return eth + ip + tcp


def write(name, packets):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, data in packets:
            sec, usec = 1_700_000_000 + int(t), round((t - int(t)) * 1e6)
            f.write(struct.pack('<IIII', sec, usec, len(data), len(data)) + data)


def c2s(flags, seq, ack, payload=b'', ip_id=0):
    return frame(CLIENT, SERVER, CPORT, SPORT, flags, seq, ack, payload, ip_id)


def s2c(flags, seq, ack, payload=b'', ip_id=0):
    return frame(SERVER, CLIENT, SPORT, CPORT, flags, seq, ack, payload, ip_id)


CI, S1, S2 = 1000, 5000, 9000
write('synack-new-isn.pcap', [
    (0.000, c2s('S', CI, 0, ip_id=1)),                      # 1 SYN
    (0.001, s2c('S.', S1, CI + 1)),                         # 2 SYN-ACK, ISN S1
    (1.001, s2c('S.', S2, CI + 1)),                         # 3 another SYN-ACK, ISN S2
    (1.002, c2s('.', CI + 1, S2 + 1, ip_id=2)),             # 4 the client answers S2
    (1.003, c2s('P.', CI + 1, S2 + 1, b'hello, world', 3)),  # 5 12 bytes
    (1.004, s2c('.', S2 + 1, CI + 13, ip_id=7)),            # 6
    (1.005, c2s('F.', CI + 13, S2 + 1, ip_id=4)),           # 7 client FIN
    (1.006, s2c('F.', S2 + 1, CI + 14, ip_id=8)),           # 8 server FIN+ACK
    (1.007, c2s('.', CI + 14, S2 + 2, ip_id=5)),            # 9 last ACK
])
