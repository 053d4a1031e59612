import { describe, expect, it } from 'vitest';
import { SYN } from '../../src/segment.js';
import { decode, onlySegment, skips } from '../helpers/capture.js';
import { bsdLoop, bsdNull, ethernet, linuxSll, linuxSll2, pcapFile, tcpPacket } from '../helpers/packets.js';

const v4 = tcpPacket({ src: '192.0.2.1', dst: '198.51.100.7', sport: 1234, dport: 443, flags: SYN, seq: 7 });
const v6 = tcpPacket({ src: '2001:db8::1', dst: '2001:db8::2', sport: 1234, dport: 443, flags: SYN, seq: 7 });

function endpoints(frame: Buffer, linkType: number): string {
  const s = onlySegment(pcapFile([frame], { linkType }));
  expect(s.checksum).toBe('ok');
  return `${s.src}.${s.sport} > ${s.dst}.${s.dport}`;
}

const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ''), 'hex');
const V4 = '192.0.2.1.1234 > 198.51.100.7.443';
const V6 = '2001:db8::1.1234 > 2001:db8::2.443';

describe('link layers', () => {
  it('Ethernet (1), IPv4 and IPv6', () => {
    expect(endpoints(ethernet(v4), 1)).toBe(V4);
    expect(endpoints(ethernet(v6), 1)).toBe(V6);
  });

  it('Ethernet with stacked VLAN tags (802.1ad, 0x9100, 802.1Q)', () => {
    expect(endpoints(ethernet(v4, { vlans: [[0x8100, 10]] }), 1)).toBe(V4);
    expect(
      endpoints(
        ethernet(v6, {
          vlans: [
            [0x88a8, 100],
            [0x8100, 20],
          ],
        }),
        1,
      ),
    ).toBe(V6);
    expect(
      endpoints(
        ethernet(v4, {
          vlans: [
            [0x9100, 1],
            [0x88a8, 2],
            [0x8100, 3],
          ],
        }),
        1,
      ),
    ).toBe(V4);
  });

  it('Ethernet 802.3 with LLC/SNAP', () => {
    const frame = Buffer.concat([
      hex('020000000002 020000000001'),
      Buffer.from([0, v4.length + 8]),
      hex('aaaa03 000000 0800'),
      v4,
    ]);
    expect(endpoints(frame, 1)).toBe(V4);
  });

  it('Ethernet carrying MPLS labels and PPPoE', () => {
    const labels = hex('0001d0ff 0002e1ff'); // two labels, the second with bottom-of-stack
    expect(endpoints(ethernet(Buffer.concat([labels, v4]), { type: 0x8847 }), 1)).toBe(V4);
    expect(endpoints(ethernet(Buffer.concat([labels, v6]), { type: 0x8848, vlans: [[0x8100, 5]] }), 1)).toBe(V6);
    const pppoe = Buffer.concat([hex('1100 0001'), Buffer.from([0, v6.length + 2]), hex('0057'), v6]);
    expect(endpoints(ethernet(pppoe, { type: 0x8864 }), 1)).toBe(V6);
  });

  it('Linux cooked v1 (113) and v2 (276)', () => {
    expect(endpoints(linuxSll(v4), 113)).toBe(V4);
    expect(endpoints(linuxSll(v6), 113)).toBe(V6);
    expect(endpoints(linuxSll2(v4), 276)).toBe(V4);
    expect(endpoints(linuxSll2(v6), 276)).toBe(V6);
  });

  it('BSD loopback (0) in either byte order, with every AF_INET6 value', () => {
    for (const bigEndian of [false, true]) {
      expect(endpoints(bsdNull(v4, 2, bigEndian), 0)).toBe(V4);
      for (const family of [24, 28, 30]) expect(endpoints(bsdNull(v6, family, bigEndian), 0)).toBe(V6);
    }
  });

  it('OpenBSD loopback (108), network byte order', () => {
    expect(endpoints(bsdLoop(v4, 2), 108)).toBe(V4);
    expect(endpoints(bsdLoop(v6, 24), 108)).toBe(V6);
  });

  it('raw IP (101, 12, 14), IPv4 (228), IPv6 (229)', () => {
    for (const linkType of [101, 12, 14]) {
      expect(endpoints(v4, linkType)).toBe(V4);
      expect(endpoints(v6, linkType)).toBe(V6);
    }
    expect(endpoints(v4, 228)).toBe(V4);
    expect(endpoints(v6, 229)).toBe(V6);
  });

  it('PPP (9, 50) with and without address/control, compressed protocol, MPLS; Cisco HDLC (104); PPPoE (51)', () => {
    expect(endpoints(Buffer.concat([hex('ff03 0021'), v4]), 9)).toBe(V4);
    expect(endpoints(Buffer.concat([hex('0057'), v6]), 9)).toBe(V6);
    expect(endpoints(Buffer.concat([hex('21'), v4]), 9)).toBe(V4);
    expect(endpoints(Buffer.concat([hex('ff03 0281 00001140'), v4]), 50)).toBe(V4);
    expect(endpoints(Buffer.concat([hex('0f00 0800'), v4]), 104)).toBe(V4);
    expect(endpoints(Buffer.concat([hex('1100 0001 0000 0021'), v4]), 51)).toBe(V4);
  });

  it('IP over InfiniBand (242)', () => {
    const header = (type: number): Buffer =>
      Buffer.concat([Buffer.alloc(40, 0xab), Buffer.from([type >> 8, type & 0xff, 0, 0])]);
    expect(endpoints(Buffer.concat([header(0x0800), v4]), 242)).toBe(V4);
    expect(endpoints(Buffer.concat([header(0x86dd), v6]), 242)).toBe(V6);
  });

  it('skips what is not IP, and link headers cut short', () => {
    const arp = ethernet(Buffer.alloc(28), { type: 0x0806 });
    const llcNotSnap = Buffer.concat([hex('020000000002 020000000001 0026 4242030000000000'), Buffer.alloc(30)]);
    const { stats } = decode(
      pcapFile([arp, llcNotSnap, ethernet(v4).subarray(0, 13), ethernet(v4, { vlans: [[0x8100, 1]] }).subarray(0, 16)]),
    );
    expect(skips(stats)).toEqual({ 'not IP': 2, 'truncated before TCP header': 2 });
    const rawNotIp = decode(pcapFile([Buffer.from([0x50, 0, 0, 0])], { linkType: 101 }));
    expect(skips(rawNotIp.stats)).toEqual({ 'bad IP header': 1 });
    const loopbackOther = decode(pcapFile([bsdNull(v4, 7)], { linkType: 0 }));
    expect(skips(loopbackOther.stats)).toEqual({ 'not IP': 1 });
  });

  it('counts packets of an unsupported link type and warns once at the end, with its name', () => {
    const radiotap = decode(pcapFile([Buffer.alloc(40), Buffer.alloc(40), Buffer.alloc(40)], { linkType: 127 }));
    expect(radiotap.stats).toMatchObject({ packets: 3, tcpSegments: 0, skipped: 3 });
    expect(skips(radiotap.stats)).toEqual({ 'link type 127 (IEEE 802.11 radiotap)': 3 });
    expect(radiotap.warnings).toEqual(['link type 127 (IEEE 802.11 radiotap) is not supported; 3 packets skipped']);
    const unnamed = decode(pcapFile([Buffer.alloc(40)], { linkType: 300 }));
    expect(unnamed.warnings).toEqual(['link type 300 is not supported; 1 packet skipped']);
  });
});
