import { describe, expect, it } from 'vitest';
import { formatIPv6 } from '../../src/capture/address.js';
import { ACK } from '../../src/segment.js';
import { decode, onlySegment, skips } from '../helpers/capture.js';
import {
  addressBytes,
  authentication,
  destinationOptions,
  fragment,
  homeAddressOption,
  hopByHop,
  ipv4,
  ipv6,
  jumboPayloadOption,
  pcapFile,
  routing,
  tcpPacket,
  tcpSegment,
} from '../helpers/packets.js';

/** Raw-IP capture (link type 101) of these datagrams. */
const raw = (...datagrams: Buffer[]): Buffer => pcapFile(datagrams, { linkType: 101 });

describe('IPv4', () => {
  it('skips over header options', () => {
    const options = Buffer.from([0x07, 11, 4, 10, 0, 0, 1, 10, 0, 0, 2]); // record route
    const s = onlySegment(raw(tcpPacket({ payloadLen: 10, ip: { options } })));
    expect([s.src, s.dst, s.len, s.checksum]).toEqual(['10.0.0.1', '10.0.0.2', 10, 'ok']);
  });

  it('takes len from the total length, ignoring link padding after it', () => {
    const padded = Buffer.concat([tcpPacket({ payloadLen: 0 }), Buffer.alloc(6, 0xee)]);
    const s = onlySegment(raw(padded));
    expect([s.len, s.truncated, s.checksum]).toEqual([0, false, 'ok']);
  });

  it('decodes a first fragment, flagged, and skips the others', () => {
    const segment = tcpSegment({ payloadLen: 100 });
    const first = ipv4({ moreFragments: true }, segment.subarray(0, 64));
    const second = ipv4({ fragmentOffset: 8 }, segment.subarray(64));
    const { segments, stats } = decode(raw(first, second));
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ ipFragment: true, len: 44, checksum: 'unknown', truncated: false });
    expect(skips(stats)).toEqual({ 'IPv4 non-first fragment': 1 });
    expect(onlySegment(raw(tcpPacket({ ip: { dontFragment: true } })))).not.toHaveProperty('ipFragment');
  });

  it('uses the frame length when the total length is 0 (TSO capture on the sending host)', () => {
    const packet = tcpPacket({ payloadLen: 3000, ip: { totalLength: 0 } });
    expect(onlySegment(raw(packet))).toMatchObject({ len: 3000, checksum: 'ok' });
  });

  it('skips what is not TCP or not a sane header', () => {
    const udp = ipv4({ protocol: 17 }, Buffer.alloc(8));
    const badVersion = ipv4({ version: 5 }, tcpSegment());
    const shortIhl = Buffer.from(tcpPacket());
    shortIhl[0] = 0x44;
    const totalBelowHeader = ipv4({ totalLength: 19 }, tcpSegment());
    const cutInHeader = tcpPacket({ ip: { options: Buffer.alloc(8, 1) } }).subarray(0, 24);
    const { stats } = decode(raw(udp, badVersion, shortIhl, totalBelowHeader, cutInHeader));
    expect(skips(stats)).toEqual({ 'not TCP': 1, 'bad IP header': 3, 'truncated before TCP header': 1 });
  });
});

describe('IPv6', () => {
  it('walks hop-by-hop, destination options, routing and AH headers to TCP', () => {
    const s = onlySegment(
      raw(
        tcpPacket({
          dst: '2001:db8::2',
          payloadLen: 5,
          ip: { extensions: [hopByHop(), destinationOptions(), routing(0, 0, ['2001:db8::99']), authentication()] },
        }),
      ),
    );
    expect([s.src, s.dst, s.len, s.checksum]).toEqual(['2001:db8::1', '2001:db8::2', 5, 'ok']);
    expect(s.ipId).toBeUndefined(); // IPv6 has no Identification field outside fragments
  });

  it('checks the checksum against the final destination of a routing header with segments left', () => {
    const final = '2001:db8::f';
    const segment = tcpSegment({ src: '2001:db8::1', dst: final, payloadLen: 8 });
    for (const header of [
      routing(0, 2, ['2001:db8::5', final]),
      routing(2, 1, [final]),
      routing(4, 1, [final, '2001:db8::5']),
    ]) {
      const s = onlySegment(raw(ipv6({ src: '2001:db8::1', dst: '2001:db8::9', extensions: [header] }, segment)));
      expect([s.dst, s.checksum]).toEqual(['2001:db8::9', 'ok']);
    }
    const unknownType = onlySegment(raw(ipv6({ dst: '2001:db8::9', extensions: [routing(3, 1, [final])] }, segment)));
    expect(unknownType.checksum).toBe('unknown');
  });

  it('checks the checksum against a Home Address option (Mobile IPv6)', () => {
    const segment = tcpSegment({ src: '2001:db8:ab::1', dst: '2001:db8::2' });
    const s = onlySegment(
      raw(
        ipv6(
          {
            src: '2001:db8:c0a::1',
            dst: '2001:db8::2',
            extensions: [destinationOptions(homeAddressOption('2001:db8:ab::1'))],
          },
          segment,
        ),
      ),
    );
    expect([s.src, s.checksum]).toEqual(['2001:db8:c0a::1', 'ok']);
  });

  it('decodes a first fragment, flagged; skips non-first fragments; an atomic fragment is whole', () => {
    const segment = tcpSegment({ src: '2001:db8::1', dst: '2001:db8::2', payloadLen: 100 });
    const first = ipv6({ extensions: [fragment(0, true)] }, segment.subarray(0, 64));
    const second = ipv6({ extensions: [fragment(8, false)] }, segment.subarray(64));
    const atomic = ipv6({ extensions: [fragment(0, false)] }, segment);
    const { segments, stats } = decode(raw(first, second, atomic));
    expect(segments.map((s) => [s.frame, s.len, s.checksum, s.ipFragment])).toEqual([
      [1, 44, 'unknown', true],
      [3, 100, 'ok', undefined],
    ]);
    expect(skips(stats)).toEqual({ 'IPv6 non-first fragment': 1 });
  });

  it('reads a jumbogram length from the hop-by-hop Jumbo Payload option', () => {
    const segment = tcpSegment({ src: '2001:db8::1', dst: '2001:db8::2', payloadLen: 70000 });
    const s = onlySegment(
      raw(ipv6({ payloadLength: 0, extensions: [hopByHop(jumboPayloadOption(8 + segment.length))] }, segment)),
    );
    expect([s.len, s.checksum, s.truncated]).toEqual([70000, 'ok', false]);
  });

  it('uses the frame length when the payload length is 0 without a jumbo option (TSO)', () => {
    const segment = tcpSegment({ src: '2001:db8::1', dst: '2001:db8::2', payloadLen: 80000 });
    expect(onlySegment(raw(ipv6({ payloadLength: 0 }, segment)))).toMatchObject({ len: 80000, checksum: 'ok' });
  });

  it('skips other protocols, bad versions, chains cut short or longer than the payload', () => {
    const udp = ipv6({ protocol: 17 }, Buffer.alloc(8));
    const noNext = ipv6({ protocol: 59 }, Buffer.alloc(0));
    const esp = ipv6({ protocol: 50 }, Buffer.alloc(16));
    const badVersion = ipv6({ version: 4 }, tcpSegment());
    const cutInChain = ipv6({ extensions: [hopByHop(Buffer.alloc(20))] }, tcpSegment()).subarray(0, 50);
    const chainPastPayload = ipv6({ payloadLength: 4, extensions: [hopByHop()] }, tcpSegment());
    const { stats } = decode(raw(udp, noNext, esp, badVersion, cutInChain, chainPastPayload));
    expect(skips(stats)).toEqual({ 'not TCP': 3, 'bad IP header': 2, 'truncated before TCP header': 1 });
  });
});

describe('IPv6 address text (RFC 5952)', () => {
  it.each([
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::abcd:ef01', 'fe80::abcd:ef01'],
    ['::ffff:192.0.2.33', '::ffff:192.0.2.33'],
    ['::ffff:0:0', '::ffff:0.0.0.0'],
    ['::192.0.2.33', '::c000:221'],
  ])('%s → %s', (input, text) => {
    expect(formatIPv6(addressBytes(input), 0)).toBe(text);
  });

  it('returns the same string object for a repeated address', () => {
    const { segments } = decode(
      raw(
        tcpPacket({ src: '2001:db8::1', dst: '2001:db8::2', flags: ACK }),
        tcpPacket({ src: '2001:db8::1', dst: '2001:db8::2', flags: ACK }),
      ),
    );
    expect(segments[0]!.src).toBe(segments[1]!.src);
  });
});
