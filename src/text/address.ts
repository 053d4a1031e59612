// Host text as the capture reader writes it, so that the same connection gets the same
// endpoints from a pcap and from its printed text. IPv4 addresses and names stay as they
// are; IPv6 addresses are rewritten in RFC 5952 form (tcpdump's own formatter also writes
// IPv4-compatible addresses as ::a.b.c.d, and pasted text may use upper case or zeros).

import { formatIPv6 } from '../capture/address.js';

/** Slots of the cache of host names read from bytes (direct-mapped, like the capture's AddressCache). */
const CACHE_BITS = 12;
const CACHE_SIZE = 1 << CACHE_BITS;
/** Distinct host texts remembered from decoded lines; past this the map starts over. */
const TEXT_CACHE_LIMIT = 65_536;
const HASH_MULTIPLIER = 0x9e3779b1;
const HIGHEST_ASCII = 0x7e;

/**
 * Host names of the lines, as canonical text (canonicalHost()). The same host gives the
 * same string object again: no allocation, its hash computed once for every Map it keys
 * (here and in the flow table), and never a slice of a line (which would keep the whole
 * chunk of input it came from alive).
 */
export class HostNames {
  private readonly slotBytes: (Buffer | undefined)[] = new Array<Buffer | undefined>(CACHE_SIZE).fill(undefined);
  private readonly slotNames: string[] = new Array<string>(CACHE_SIZE).fill('');
  private readonly texts = new Map<string, string>();

  /** The host written in bytes[start, end); undefined when they are not all ASCII. */
  fromBytes(bytes: Buffer, start: number, end: number): string | undefined {
    let hash = end - start;
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      if (b > HIGHEST_ASCII) return undefined;
      hash = Math.imul(hash ^ b, HASH_MULTIPLIER);
    }
    const slot = hash >>> (32 - CACHE_BITS);
    const known = this.slotBytes[slot];
    if (known?.length === end - start) {
      let i = 0;
      while (i < known.length && known[i] === bytes[start + i]) i++;
      if (i === known.length) return this.slotNames[slot]!;
    }
    const text = bytes.toString('latin1', start, end);
    const name = canonicalHost(text);
    this.slotBytes[slot] = Buffer.from(text, 'latin1');
    this.slotNames[slot] = name;
    return name;
  }

  /** The host written in line[start, end). */
  fromText(line: string, start: number, end: number): string {
    const text = line.slice(start, end);
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    const own = Buffer.from(text).toString();
    const name = canonicalHost(own);
    if (this.texts.size >= TEXT_CACHE_LIMIT) this.texts.clear();
    this.texts.set(own, name);
    return name;
  }
}

const scratch = Buffer.alloc(16);

/** IPv6 addresses in RFC 5952 form; anything else as it is. */
export function canonicalHost(host: string): string {
  return host.includes(':') && parseIPv6(host, scratch) ? formatIPv6(scratch, 0) : host;
}

/** RFC 4291 §2.2 text (with "::" and an embedded dotted quad) into out; false if malformed. */
export function parseIPv6(text: string, out: Buffer): boolean {
  const groups: number[] = [];
  let tail = text;
  let v4: number[] | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    v4 = text
      .slice(lastColon + 1)
      .split('.')
      .map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : -1));
    if (v4.length !== 4 || v4.some((b) => b < 0 || b > 255)) return false;
    tail = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = tail.split('::');
  if (halves.length > 2) return false;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === undefined || rest === undefined) return false;
  const fill = 8 - head.length - rest.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return false;
  groups.push(...head, ...new Array<number>(fill).fill(0), ...rest);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(groups[i]!, 2 * i);
  if (v4 !== undefined) out.set(v4, 12);
  return true;
}
