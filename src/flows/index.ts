/** Where a value sits in an EndpointPairIndex: the two endpoint numbers, smaller first. */
export interface PairKey {
  low: number;
  high: number;
}

const PORTS = 65536;

/**
 * A map keyed by an unordered pair of (address, port) endpoints, so that A→B and B→A find
 * the same entry. Addresses become small integers once (their string hash is cached by the
 * engine when the same string object comes back, as the capture decoder's address cache
 * makes it), and each endpoint the number id × 65536 + port: two Map lookups on numbers
 * per packet instead of building and hashing a string key.
 */
export class EndpointPairIndex<T> {
  private readonly addressIds = new Map<string, number>();
  private readonly entries = new Map<number, Map<number, T>>();
  private entryCount = 0;

  /** Values held. */
  get size(): number {
    return this.entryCount;
  }

  /** The key of the pair src:sport ↔ dst:dport (fills `out`, to avoid an allocation per packet). */
  key(src: string, sport: number, dst: string, dport: number, out: PairKey): PairKey {
    const a = this.addressId(src) * PORTS + sport;
    const b = this.addressId(dst) * PORTS + dport;
    if (a <= b) {
      out.low = a;
      out.high = b;
    } else {
      out.low = b;
      out.high = a;
    }
    return out;
  }

  get(key: PairKey): T | undefined {
    return this.entries.get(key.low)?.get(key.high);
  }

  set(key: PairKey, value: T): void {
    let inner = this.entries.get(key.low);
    if (inner === undefined) {
      inner = new Map();
      this.entries.set(key.low, inner);
    }
    if (!inner.has(key.high)) this.entryCount++;
    inner.set(key.high, value);
  }

  delete(key: PairKey): void {
    const inner = this.entries.get(key.low);
    if (!inner?.delete(key.high)) return;
    this.entryCount--;
    if (inner.size === 0) this.entries.delete(key.low);
  }

  /** Forget every value (the address ids stay). */
  clear(): void {
    this.entries.clear();
    this.entryCount = 0;
  }

  values(): T[] {
    const out: T[] = [];
    for (const inner of this.entries.values()) for (const v of inner.values()) out.push(v);
    return out;
  }

  private addressId(address: string): number {
    let id = this.addressIds.get(address);
    if (id === undefined) {
      id = this.addressIds.size;
      this.addressIds.set(address, id);
    }
    return id;
  }
}
