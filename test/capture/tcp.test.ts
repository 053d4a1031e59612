import { describe, expect, it } from 'vitest';
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../../src/segment.js';
import { decode, onlySegment, skips } from '../helpers/capture.js';
import {
  eol,
  ethernet,
  fastOpen,
  fastOpenExperimental,
  ipv4,
  mss,
  nop,
  pcapFile,
  sack,
  sackOk,
  tcpOption,
  tcpPacket,
  tcpSegment,
  timestamps,
  wscale,
} from '../helpers/packets.js';
import type { TcpSpec } from '../helpers/packets.js';
import { anyNumber } from '../helpers/matchers.js';

const segmentOf = (spec: TcpSpec): ReturnType<typeof onlySegment> => onlySegment(pcapFile([ethernet(tcpPacket(spec))]));
const optionsOf = (options: Buffer[] | Buffer): ReturnType<typeof onlySegment>['options'] =>
  segmentOf({ options }).options;

describe('TCP header', () => {
  it('decodes every field', () => {
    const s = segmentOf({
      src: '192.0.2.1',
      dst: '192.0.2.2',
      sport: 51234,
      dport: 443,
      seq: 0xfffffff0,
      ack: 0x80000001,
      flags: ACK | PSH | URG,
      win: 1234,
      urp: 77,
      payloadLen: 200,
    });
    expect(s).toEqual({
      frame: 1,
      sec: 1_700_000_000,
      nsec: 0,
      timeIsEpoch: true,
      src: '192.0.2.1',
      dst: '192.0.2.2',
      sport: 51234,
      dport: 443,
      flags: ACK | PSH | URG,
      seq: 0xfffffff0,
      ack: 0x80000001,
      len: 200,
      win: 1234,
      urp: 77,
      options: undefined,
      truncated: false,
      checksum: 'ok',
      seqRelative: false,
      ipId: anyNumber,
      checksumField: anyNumber,
      payloadCaptured: 200,
      payloadSum: (0x6161 * 100) % 0xffff, // 100 words 0x6161, folded (RFC 1071)
    });
  });

  it('reads all nine flags, AE included, and ignores the reserved bits', () => {
    const all = FIN | SYN | RST | PSH | ACK | URG | ECE | CWR | AE;
    expect(segmentOf({ flags: all }).flags).toBe(all);
    expect(segmentOf({ flags: 0xe00 | SYN }).flags).toBe(SYN);
    expect(segmentOf({ flags: AE | ACK }).flags).toBe(AE | ACK);
  });

  it('marks a bad checksum', () => {
    expect(segmentOf({ badChecksum: true, payloadLen: 3 }).checksum).toBe('bad');
    expect(segmentOf({ payloadLen: 3 }).checksum).toBe('ok');
  });

  it('decodes a segment cut by the snap length: len from the IP length, truncated, checksum unknown', () => {
    const frame = ethernet(tcpPacket({ seq: 500, payloadLen: 1000, options: [timestamps(1, 2)] }));
    const s = onlySegment(pcapFile([frame], { snaplen: 96 }));
    expect(s).toMatchObject({
      seq: 500,
      len: 1000,
      truncated: true,
      checksum: 'unknown',
      options: { tsval: 1, tsecr: 2 },
    });
    // 96 captured = 14 Ethernet + 20 IPv4 + 32 TCP + 30 payload bytes, summed as 15 words 0x6161.
    expect([s.payloadCaptured, s.payloadSum]).toEqual([30, (0x6161 * 15) % 0xffff]);
  });

  it('keeps the options that were captured when the snap length cuts the option list', () => {
    const frame = ethernet(
      tcpPacket({ flags: SYN, options: [mss(1460), sackOk(), timestamps(5, 0), nop(), wscale(7)] }),
    );
    const s = onlySegment(pcapFile([frame], { snaplen: 14 + 20 + 20 + 8 }));
    expect(s.options).toEqual({ mss: 1460, sackOk: true });
    expect(s.truncated).toBe(true);
  });

  it('skips a data offset below 5 or beyond the segment, and headers cut before 20 bytes', () => {
    const belowFive = ethernet(tcpPacket({ dataOffset: 4 }));
    const beyond = ethernet(ipv4({}, tcpSegment({ dataOffset: 15 })));
    const tooShort = ethernet(ipv4({}, tcpSegment().subarray(0, 16)));
    const cut = ethernet(tcpPacket()).subarray(0, 14 + 20 + 10);
    const { stats } = decode(pcapFile([belowFive, beyond, tooShort, cut]));
    expect(skips(stats)).toEqual({ 'bad TCP header': 3, 'truncated before TCP header': 1 });
  });
});

describe('TCP options', () => {
  it('is undefined without options, or with padding only', () => {
    expect(optionsOf([])).toBeUndefined();
    expect(optionsOf([nop(), nop(), nop(), nop()])).toBeUndefined();
    expect(optionsOf([eol(), Buffer.from([2, 4, 5, 0xb4])])).toBeUndefined();
  });

  it('decodes MSS, window scale, SACK permitted and timestamps', () => {
    expect(optionsOf([mss(1460), sackOk(), timestamps(0xfffffffe, 7), nop(), wscale(14)])).toEqual({
      mss: 1460,
      sackOk: true,
      tsval: 0xfffffffe,
      tsecr: 7,
      wscale: 14,
    });
  });

  it('decodes SACK blocks', () => {
    expect(
      optionsOf([
        nop(),
        nop(),
        sack([
          [1000, 2000],
          [0xfffffff0, 16],
          [5, 6],
        ]),
      ]),
    ).toEqual({
      sack: [
        { left: 1000, right: 2000 },
        { left: 0xfffffff0, right: 16 },
        { left: 5, right: 6 },
      ],
    });
  });

  it('decodes TCP Fast Open, kind 34 and experimental 254/0xF989, cookie requests too', () => {
    expect(optionsOf([fastOpen('0102030405060708')])).toEqual({ tfo: '0102030405060708' });
    expect(optionsOf([fastOpen('')])).toEqual({ tfo: '' });
    expect(optionsOf([fastOpenExperimental('a1b2c3d4')])).toEqual({ tfo: 'a1b2c3d4' });
    expect(optionsOf([fastOpenExperimental('')])).toEqual({ tfo: '' });
  });

  it('keeps unknown options, and known kinds with a wrong length, as kind and length', () => {
    const otherExperiment = tcpOption(254, Buffer.from([0x12, 0x34, 0]));
    const md5 = tcpOption(19, Buffer.alloc(16));
    const badMss = tcpOption(2, Buffer.from([5]));
    expect(optionsOf([md5, otherExperiment, badMss, mss(536)])).toEqual({
      mss: 536,
      unknown: [
        { kind: 19, len: 18 },
        { kind: 254, len: 5 },
        { kind: 2, len: 3 },
      ],
    });
  });

  it('stops at a malformed length but keeps the segment and the options before', () => {
    expect(optionsOf([mss(1400), Buffer.from([3, 1, 0, 0])])).toEqual({ mss: 1400 });
    expect(optionsOf([wscale(2), Buffer.from([8, 40, 0])])).toEqual({ wscale: 2 });
    expect(optionsOf([Buffer.from([2, 0, 0, 0])])).toBeUndefined();
  });

  it('stops at the end-of-option-list', () => {
    expect(optionsOf([wscale(3), eol(), mss(100)])).toEqual({ wscale: 3 });
  });
});
