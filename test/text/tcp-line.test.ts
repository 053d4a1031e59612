// The TCP header text of one line, as printed (no relative-number recovery here).
import { describe, expect, it } from 'vitest';
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../../src/segment.js';
import type { PrintedSegment } from '../../src/text/printed-segment.js';
import { TcpLineParser, type TcpLineKind } from '../../src/text/tcp-line.js';

function read(line: string): { kind: TcpLineKind; tcp: PrintedSegment; problem: string } {
  const parser = new TcpLineParser();
  const kind = parser.read(line, 0);
  return { kind, tcp: structuredClone(parser.tcp), problem: parser.problem };
}

function tcp(line: string): PrintedSegment {
  const r = read(line);
  if (r.kind !== 'segment') throw new Error(`${r.kind}: ${r.problem}`);
  return r.tcp;
}

describe('modern TCP line (print-tcp.c tcp_print(), tcpdump ≥ 4)', () => {
  it('reads endpoints, flags, seq range, ack, win, options and length', () => {
    const t = tcp(
      '19:40:16.597087 IP 10.99.0.1.40001 > 10.99.0.2.8080: Flags [P.], seq 1:43, ack 1, win 63, ' +
        'options [nop,nop,TS val 910052365 ecr 4140928374], length 42: HTTP: GET /index.html HTTP/1.1',
    );
    expect(t).toMatchObject({
      src: '10.99.0.1',
      sport: 40001,
      dst: '10.99.0.2',
      dport: 8080,
      flags: PSH | ACK,
      hasSeq: true,
      seq: 1,
      ack: 1,
      win: 63,
      len: 42,
      urp: 0,
      checksum: 'unknown',
      truncated: false,
      options: { tsval: 910052365, tsecr: 4140928374 },
    });
  });

  it('reads a SYN with its options', () => {
    const t = tcp(
      'IP 10.99.0.1.40001 > 10.99.0.2.8080: Flags [S], seq 1446066274, win 64240, ' +
        'options [mss 1460,sackOK,TS val 910052165 ecr 0,nop,wscale 10], length 0',
    );
    expect(t).toMatchObject({
      flags: SYN,
      seq: 1446066274,
      win: 64240,
      len: 0,
      options: { mss: 1460, sackOk: true, tsval: 910052165, tsecr: 0, wscale: 10 },
    });
  });

  it('has no seq on a pure ACK (shown only with -vv)', () => {
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [.], ack 1, win 63, length 0')).toMatchObject({
      flags: ACK,
      hasSeq: false,
      ack: 1,
    });
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [.], seq 1, ack 1, win 63, length 0')).toMatchObject({
      hasSeq: true,
      seq: 1,
    });
  });

  it('reads every flag letter, "none", and urg', () => {
    expect(tcp('IP 1.1.1.1.1 > 2.2.2.2.2: Flags [FSRP.UEW], seq 1, ack 2, win 3, urg 0, length 0').flags).toBe(
      FIN | SYN | RST | PSH | ACK | URG | ECE | CWR,
    );
    expect(tcp('IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S.Ee], seq 1, ack 2, win 3, length 0').flags).toBe(
      SYN | ACK | ECE | AE,
    );
    expect(tcp('IP 1.1.1.1.1 > 2.2.2.2.2: Flags [none], win 3, length 0').flags).toBe(0);
    expect(
      tcp('IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.U], seq 1:101, ack 1, win 65535, urg 3, length 100: HTTP'),
    ).toMatchObject({ flags: PSH | ACK | URG, urp: 3, len: 100 });
  });

  it('reads -v checksums: correct and incorrect', () => {
    expect(tcp('    10.0.0.1.1 > 10.0.0.2.2: Flags [S], cksum 0x6c5b (correct), seq 1, win 1, length 0').checksum).toBe(
      'ok',
    );
    expect(
      tcp(
        '    10.0.0.1.1 > 10.0.0.2.2: Flags [P.], cksum 0xb4af (incorrect -> 0xe1fa), seq 101:201, ack 1, ' +
          'win 65535, length 100: HTTP',
      ),
    ).toMatchObject({ checksum: 'bad', seq: 101, len: 100 });
  });

  it('reads SACK blocks as printed', () => {
    expect(
      tcp(
        'IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1, win 65535, ' +
          'options [nop,nop,sack 2 {101:201}{301:401}], length 0',
      ).options?.sack,
    ).toEqual([
      { left: 101, right: 201 },
      { left: 301, right: 401 },
    ]);
  });

  it('reads TCP Fast Open cookies, and skips options it does not keep, nested ones too', () => {
    expect(
      tcp('IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 1, win 1400, options [exp-tfo cookiereq], length 0').options,
    ).toEqual({ tfo: '' });
    expect(
      tcp(
        'IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S.], seq 1, ack 2, win 1, ' +
          'options [exp-tfo cookie 090909090000,nop,nop], length 0',
      ).options,
    ).toEqual({ tfo: '090909090000' });
    expect(
      tcp(
        'IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 1, win 1, options [mptcp 12 capable v1 flags [H] ' +
          "{0x1,0x2},mss 1400,md5 shared secret not supplied with -M, can't check - 0badcafe,wscale 7], length 0",
      ).options,
    ).toEqual({ mss: 1400, wscale: 7 });
  });

  it('keeps the numbers after the length: the application summary is not read', () => {
    expect(
      tcp(
        'IP 192.168.1.11.33779 > 209.87.249.18.53: Flags [P.], seq 1:59, ack 1, win 64240, ' +
          'length 58 17177+ [1au] A? www.tcpdump.org. (56)',
      ),
    ).toMatchObject({ len: 58, ack: 1 });
    expect(
      tcp('IP 1.1.1.1.1 > 2.2.2.2.2: Flags [P.], seq 1:59, ack 1, win 1, length 58: MPTCP ack 99 seq 77').ack,
    ).toBe(1);
  });

  it('marks truncation, and reads what came before it', () => {
    expect(
      tcp(
        '    48.48.48.48.12336 > 48.48.48.48.12336: Flags [.Ue], seq 808464432:808476688, ack 808464432, ' +
          'win 12336, urg 12336, options [unknown-48 0x3030303030303030 [|tcp]',
      ),
    ).toMatchObject({ truncated: true, seq: 808464432, len: 12256, ack: 808464432 });
    expect(
      tcp('IP 1.1.1.1.1 > 2.2.2.2.2: Flags [R.], seq 1, ack 2, win 0, length 58 [RST+ some text] [|tcp]').truncated,
    ).toBe(true);
  });

  it('reads a SYN whose option list ends in "[bad opt]" and has no length', () => {
    expect(
      tcp(
        'IP 182.181.202.230.52750 > 83.253.102.83.63764: Flags [S], seq 3757264999, win 8192, ' +
          'options [mss 1452,nop,wscale 2,nop,nop,scps[bad opt]]',
      ),
    ).toMatchObject({ flags: SYN, seq: 3757264999, len: 0, options: { mss: 1452, wscale: 2 } });
  });
});

describe('endpoints', () => {
  it('finds the addresses after -e MAC addresses and VLAN tags', () => {
    const t = tcp(
      '22:13:20.001000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 802.1Q-QinQ (0x88a8), length 82: ' +
        'vlan 200, p 0, ethertype 802.1Q (0x8100), vlan 100, p 0, ethertype IPv4 (0x0800), ' +
        '10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
    );
    expect(t).toMatchObject({ src: '10.0.0.2', sport: 80, dst: '10.0.0.1', dport: 40000, flags: SYN | ACK });
  });

  it('finds them after the -i any interface and direction, and MPLS or PPPoE summaries', () => {
    expect(
      tcp('1795462834.416311 ifb0  Out IP 10.99.0.1.40008 > 10.99.0.2.8080: Flags [S], seq 1, win 1, length 0'),
    ).toMatchObject({ src: '10.99.0.1', dport: 8080 });
    expect(
      tcp(
        'MPLS (label 100656, tc 6, [S], ttl 64) IP 12.4.4.4.4100 > 12.8.8.8.179: Flags [P.], seq 1:20, ack 2, ' +
          'win 1, length 19: BGP',
      ),
    ).toMatchObject({ src: '12.4.4.4', dport: 179 });
  });

  it('reads IPv6 addresses, after the -v header too, and writes them as the capture reader does', () => {
    expect(
      tcp(
        'IP6 (flowlabel 0xee7f7, hlim 64, next-header TCP (6) payload length: 40) ' +
          'fd00:99::1.40007 > fd00:99:0:0::2.8080: Flags [S], seq 1, win 1, length 0',
      ),
    ).toMatchObject({ src: 'fd00:99::1', sport: 40007, dst: 'fd00:99::2', dport: 8080 });
    expect(tcp('IP6 ::ffff:1.2.3.4.80 > 2001:DB8::1.443: Flags [S], seq 1, win 1, length 0')).toMatchObject({
      src: '::ffff:1.2.3.4',
      sport: 80,
      dst: '2001:db8::1',
    });
  });

  it('takes the addresses from "a > b:" before the ports of an IPv6 extension-header packet', () => {
    expect(
      tcp(
        'IP6 (flowlabel 0xa31ee, hlim 64, next-header HBH (0), payload length 0) ' +
          '2604:1380:4091:ce00::d > 2604:1380:4091:ce00::b: HBH (jumbo: 80040)  41851 > 43913: Flags [P.], ' +
          'seq 592820498:592900498, ack 2512896041, win 2128, length 80000',
      ),
    ).toMatchObject({
      src: '2604:1380:4091:ce00::d',
      sport: 41851,
      dst: '2604:1380:4091:ce00::b',
      dport: 43913,
      len: 80000,
    });
  });

  it('reads host names and service names (no -n)', () => {
    expect(tcp('IP client.example.com.51234 > www.example.com.https: Flags [S], seq 1, win 1, length 0')).toMatchObject(
      { src: 'client.example.com', sport: 51234, dst: 'www.example.com', dport: 443 },
    );
    expect(tcp('IP localhost.ssh > localhost.http-alt: Flags [S], seq 1, win 1, length 0')).toMatchObject({
      sport: 22,
      dport: 8080,
    });
  });

  it('reports a service name it does not know', () => {
    const r = read('IP a.example.com.51234 > b.example.com.my-service: Flags [S], seq 1, win 1, length 0');
    expect(r.kind).toBe('unknown-service');
    expect(r.problem).toContain('"my-service"');
  });
});

describe('old TCP line (tcpdump 3.x)', () => {
  it('reads a SYN with its range and options', () => {
    expect(
      tcp(
        '23:57:35.938066 IP 127.0.0.1.55920 > 127.0.0.1.80: S 928549246:928549246(0) ' +
          'win 32767 <mss 16396,sackOK,timestamp 1306300950 0,nop,wscale 2>',
      ),
    ).toMatchObject({
      flags: SYN,
      hasSeq: true,
      seq: 928549246,
      len: 0,
      win: 32767,
      options: { mss: 16396, sackOk: true, tsval: 1306300950, tsecr: 0, wscale: 2 },
    });
  });

  it('takes ACK from the "ack N" field, not from a letter', () => {
    expect(tcp('IP 127.0.0.1.80 > 127.0.0.1.55920: S 930778609:930778609(0) ack 928549247 win 32767')).toMatchObject({
      flags: SYN | ACK,
      ack: 928549247,
    });
    expect(
      tcp('IP 127.0.0.1.55920 > 127.0.0.1.80: . ack 1 win 8192 <nop,nop,timestamp 1306300950 1306300950>'),
    ).toMatchObject({ flags: ACK, hasSeq: false, ack: 1 });
    expect(tcp('IP 127.0.0.1.55920 > 127.0.0.1.80: P 1:203(202) ack 1 win 8192')).toMatchObject({
      flags: PSH | ACK,
      seq: 1,
      len: 202,
    });
    expect(tcp('127.0.0.1.55920 > 127.0.0.1.80: F 203:203(0) ack 5560 win 8192 (DF)')).toMatchObject({
      flags: FIN | ACK,
      seq: 203,
      ack: 5560,
    });
  });

  it("reads 3.9's checksum note and the header on the same line with -v", () => {
    expect(
      tcp(
        'IP (tos 0xc0, ttl  62, id 58628, offset 0, flags [none], proto: TCP (6), length: 173) ' +
          '12.4.4.4.2051 > 12.1.1.1.179: P, cksum 0xcf18 (correct), 3293077573:3293077694(121) ' +
          'ack 3348108582 win 16384 <nop,nop,timestamp 383131 890299>: BGP, length: 121',
      ),
    ).toMatchObject({ flags: PSH | ACK, checksum: 'ok', seq: 3293077573, len: 121, ack: 3348108582, win: 16384 });
    expect(tcp('1.1.1.1.1 > 2.2.2.2.2: S [bad tcp cksum 1234!] 1:1(0) win 5').checksum).toBe('bad');
    expect(tcp('1.1.1.1.1 > 2.2.2.2.2: S [tcp sum ok] 1:1(0) win 5').checksum).toBe('ok');
  });

  it('reads urgent data, 3.x SACK ("sack sack 1 {a:b} ") and truncated options', () => {
    expect(tcp('1.1.1.1.1 > 2.2.2.2.2: P 1:2(1) ack 1 win 5 urg 1')).toMatchObject({ flags: PSH | ACK | URG, urp: 1 });
    expect(tcp('1.1.1.1.1 > 2.2.2.2.2: . ack 1 win 5 <nop,nop,sack sack 1 {5:10} >').options?.sack).toEqual([
      { left: 5, right: 10 },
    ]);
    expect(tcp('1.1.1.1.1 > 2.2.2.2.2: S 1:1(0) win 5 <mss 1460,[|tcp]>')).toMatchObject({
      truncated: true,
      options: { mss: 1460 },
    });
  });
});

describe('pasted and retyped lines (spec §7)', () => {
  it('reads lower-case flags, flag words, and "ack" as the ACK flag', () => {
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [s.], seq 1, ack 2, win 3, length 0').flags).toBe(SYN | ACK);
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [SYN, ACK], seq 1, ack 2, win 3, length 0').flags).toBe(SYN | ACK);
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [ack], ack 2, win 3, length 0').flags).toBe(ACK);
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [.P], seq 1:3, ack 2, win 3, length 2').flags).toBe(PSH | ACK);
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: flags [ew], seq 1, win 3, length 0').flags).toBe(ECE | CWR);
  });

  it('reads thousands separators where no field follows the comma', () => {
    expect(
      tcp('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [P.], seq 1,000,001:1,001,001, ack 2,000,001, win 65,535, length 1,000'),
    ).toMatchObject({ seq: 1000001, len: 1000, ack: 2000001, win: 65535 });
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [P.], seq 1:101,ack 1, win 5, length 100')).toMatchObject({
      seq: 1,
      len: 100,
      ack: 1,
      win: 5,
    });
  });

  it('reads missing spaces, "win:N", the arrow typed as →, and stray text after the last field', () => {
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2:Flags [S], seq 7, win:100, length:0 <- the SYN')).toMatchObject({
      flags: SYN,
      seq: 7,
      win: 100,
      len: 0,
    });
    expect(tcp('IP 10.0.0.1.1 → 10.0.0.2.2: Flags [S], seq 7, win 100, length 0')).toMatchObject({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      seq: 7,
    });
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: [S.], seq 7, ack 9, win 100, length 0').flags).toBe(SYN | ACK);
  });

  it('takes an "ack N" field without the ACK flag as ACK (the old format\'s rule)', () => {
    expect(tcp('IP 10.0.0.1.1 > 10.0.0.2.2: Flags [P], seq 1:2, ack 9, win 1, length 1').flags).toBe(PSH | ACK);
  });

  it('says why a line that claims to be TCP cannot be read', () => {
    const cases: [string, string][] = [
      ['IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], win 1, length 0', 'no seq number'],
      ['IP 10.0.0.1.1 > 10.0.0.2.2: Flags [.], win 1, length 0', 'no ack number'],
      ['IP 10.0.0.1.1 > 10.0.0.2.2: Flags [Sx], seq 1, win 1, length 0', 'unknown TCP flags [Sx]'],
      ['IP 10.0.0.1.1 > 10.0.0.2.2: Flags [P.], seq 1:2, ack 99999999999, win 1, length 1', 'larger than 32 bits'],
      ['IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S', 'no closing'],
    ];
    for (const [line, why] of cases) {
      const r = read(line);
      expect(r.kind, line).toBe('unparsable');
      expect(r.problem, line).toContain(why);
    }
  });
});

describe('TCP text that is not a segment, and text that is not TCP', () => {
  it('-q lines', () => {
    expect(read('IP 131.155.215.69.46656 > 137.116.81.94.80: tcp 0').kind).toBe('quiet');
  });

  it('a header cut by the snap length, a bad header length, a non-first fragment', () => {
    expect(read('    48.48.48.48.12336 > 48.48.48.48.12336:  [|tcp]').kind).toBe('header-truncated');
    expect(read('IP 1.1.1.1.1 > 2.2.2.2.2:  tcp 12 [bad hdr length 8 - too short, < 20]').kind).toBe('bad-header');
    expect(read('IP 10.0.0.1 > 10.0.0.2: ip-proto-6').kind).toBe('fragment');
  });

  it('other protocols, even when they print brackets or "Flags" words', () => {
    for (const line of [
      'IP 10.0.0.1.53 > 10.0.0.2.33000: 1234 1/0/0 A 1.2.3.4 (45)',
      'IP 10.0.0.1.5353 > 224.0.0.251.5353: UDP, length 10',
      '    20.0.0.1.12618 > 20.0.0.2.6081: [no cksum] Geneve, Flags [C], vni 0xa, ' +
        'options [class Standard (0x0) type 0x80(C) len 8 data 0000000c]',
      '    10.254.127.194 > 10.254.214.82: GREv0, Flags [none], length 248',
      '    10.25.132.11.60345 > 10.25.132.13.4789: VXLAN, flags [I] (0x08), vni 5001',
      'IP 10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 tcp port 80 unreachable, length 36',
      'ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28',
      '86:f3:74:e2:8b:b5 > ca:09:8d:82:19:fe, ethertype ARP (0x0806), length 42: ' +
        'Request who-has 10.99.0.2 tell 10.99.0.1, length 28',
      '\t0x0000:  4500 003c 1b68 4000 4006 2152 7f00 0001',
      'reading from file x.pcap, link-type EN10MB (Ethernet), snapshot length 262144',
      'GET / HTTP/1.1 > something: else',
    ])
      expect(read(line).kind, line).toBe('none');
  });
});
