/**
 * The IPv4 Identification that tcpdump -v prints in the IP header's parentheses:
 * "IP (tos 0x0, ttl 64, id 10280, offset 0, flags [DF], proto TCP (6), length 60)"
 * (print-ip.c). Undefined when the text has none.
 */
export function printedIpId(text: string): number | undefined {
  const tos = text.indexOf('(tos 0x');
  if (tos < 0) return undefined;
  const at = text.indexOf(', id ', tos);
  if (at < 0) return undefined;
  let id = 0;
  let i = at + 5;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) break;
    id = id * 10 + c;
  }
  return i > at + 5 && id <= 0xffff ? id : undefined;
}
