import type { Side } from '../events.js';
import { EndpointPairIndex, type PairKey } from './index.js';

/** How a connection ended: a RST, a RST refusing its SYN, FINs both ways, or otherwise. */
export type EndHow = 'reset' | 'refused' | 'fins' | 'closed';

/** How and where a connection ended (both sides CLOSED). */
export interface Ending {
  how: EndHow;
  /** The side that sent the RST (for 'reset' and 'refused'). */
  side: Side;
  frame: number;
}

/**
 * What is kept of a connection after the flow table retired it: flat numbers and shared
 * strings only (no per-connection objects or text), the same fields as `PreviousConnection`.
 */
export interface Tombstone extends PairKey {
  id: number;
  /** Capture time of its last packet. */
  last: number;
  /** Its client (the address string is the decoder's shared one), to tell which side sends a new SYN. */
  clientAddr: string;
  clientPort: number;
  endHow: EndHow | undefined;
  endSide: Side;
  endFrame: number;
  clientNxt: number | undefined;
  serverNxt: number | undefined;
  clientIsn: number | undefined;
  serverIsn: number | undefined;
}

/** Tombstones kept at most, by default. */
export const MAX_TOMBSTONES = 65_536;

/**
 * The retired connections of the last 2×MSL, by port pair, so that a SYN on a pair whose
 * connection is gone still reports `port-reuse` (RFC 9293 §3.6.1: before 2×MSL has passed,
 * segments of the old connection may still be about).
 *
 * Bounded: a ring of at most `cap` tombstones in the order they were added, the oldest
 * dropped first when it is full or when it is older than `lifetime` (capture time since the
 * old connection's last packet). A tombstone is one flat object plus its index entry and
 * ring slot: about 350 bytes measured (node 20), so at most about 25 MB at the default cap
 * (test/flows/table.test.ts checks the count), whatever the number of connections in the
 * capture. Nothing is done per packet: tombstones are added when a closed connection is
 * retired and looked up only when a new connection opens on a SYN.
 */
export class TombstoneRing {
  /** Keyed by the flow table's own keys (never by `key()` here, so no address ids of its own). */
  private readonly index = new EndpointPairIndex<Tombstone>();
  /** Slot `head` holds the oldest; grows up to `cap` and then wraps. */
  private readonly ring: (Tombstone | undefined)[] = [];
  private head = 0;
  private count = 0;
  private readonly cap: number;
  private readonly lifetime: number;

  constructor(cap: number, lifetimeSeconds: number) {
    this.cap = Math.max(1, Math.floor(cap));
    this.lifetime = lifetimeSeconds;
  }

  /** Tombstones that a lookup can still find. */
  get size(): number {
    return this.index.size;
  }

  /** Remember a retired connection (replaces an older tombstone of the same port pair). */
  add(stone: Tombstone, now: number): void {
    if (this.expired(stone, now)) return;
    this.dropExpired(now);
    if (this.count === this.cap) this.dropOldest();
    const at = (this.head + this.count) % this.cap;
    // Until the ring has its full length the tombstones fill [head, ring.length).
    if (at === this.ring.length) this.ring.push(stone);
    else this.ring[at] = stone;
    this.count++;
    this.index.set(stone, stone);
  }

  /** The tombstone of this port pair, if it is younger than the lifetime; it is forgotten either way. */
  take(key: PairKey, now: number): Tombstone | undefined {
    const stone = this.index.get(key);
    if (stone === undefined) return undefined;
    this.index.delete(key); // its ring slot is freed when its turn comes
    return this.expired(stone, now) ? undefined : stone;
  }

  clear(): void {
    this.index.clear();
    this.ring.length = 0;
    this.head = 0;
    this.count = 0;
  }

  private expired(stone: Tombstone, now: number): boolean {
    return now - stone.last > this.lifetime;
  }

  /** Tombstones are added in retirement order, so the oldest are at the head (lookups check the rest). */
  private dropExpired(now: number): void {
    while (this.count > 0 && this.expired(this.ring[this.head]!, now)) this.dropOldest();
  }

  private dropOldest(): void {
    const stone = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    if (this.index.get(stone) === stone) this.index.delete(stone);
    this.head = (this.head + 1) % this.cap;
    this.count--;
  }
}
