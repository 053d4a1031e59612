import { describe, expect, it } from 'vitest';
import { printedIpId } from '../../src/text/ip-id.js';

describe('the IPv4 ID in a -v IP header', () => {
  it('reads it from the parenthesised header', () => {
    expect(printedIpId('IP (tos 0x0, ttl 64, id 10280, offset 0, flags [DF], proto TCP (6), length 60)')).toBe(10280);
    expect(
      printedIpId('12:00:00.000001 IP (tos 0x10, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 52)'),
    ).toBe(0);
  });

  it('finds none without -v, in IPv6 headers, or when the number is damaged', () => {
    expect(printedIpId('IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1, win 65535, length 0')).toBeUndefined();
    expect(
      printedIpId('IP6 (flowlabel 0x12345, hlim 64, next-header TCP (6) payload length: 40) fd00::1.4 > fd00::2.80:'),
    ).toBeUndefined();
    expect(printedIpId('IP (tos 0x0, ttl 64, id 99999, offset 0')).toBeUndefined();
    expect(printedIpId('IP (tos 0x0, ttl 64, id , offset 0')).toBeUndefined();
  });
});
