import { InputError } from '../errors.js';

/**
 * Receives the packet records of a capture file, in file order: the lower layer under the
 * TCP decoder, also used alone by the benchmark.
 * The record's bytes are `buf[offset, offset + caplen)`; `buf` is only valid during the
 * call (it may be the reader's reusable carry-over buffer), so copy whatever you keep.
 */
export interface RecordSink {
  record(
    frame: number,
    sec: number,
    nsec: number,
    caplen: number,
    origLen: number,
    linkType: number,
    buf: Buffer,
    offset: number,
  ): void;
  warning(message: string): void;
}

/** A push parser of capture-file bytes into packet records. Throws InputError on damaged input. */
export interface RecordReader {
  push(chunk: Buffer): void;
  end(): void;
}

/** No record or block is larger than this; a larger length field means damage. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** A carry buffer that held a record this large is dropped afterwards, so memory goes back down. */
const CARRY_KEEP_BYTES = 4 * 1024 * 1024;

/**
 * Chunk handling shared by the pcap and pcapng readers. Complete units (file header,
 * record, block) are decoded straight from the chunk they arrived in; only the one unit
 * that straddles two chunks is copied, into a carry buffer, until it is complete.
 */
export abstract class ChunkedReader implements RecordReader {
  protected readonly name: string;
  protected readonly sink: RecordSink;
  /** Frame number of the last packet record delivered (1-based, every record counts). */
  protected frame = 0;
  /** Input offset of the first byte of the next chunk. */
  private position = 0;
  private carry: Buffer = Buffer.alloc(0);
  private carryLength = 0;
  /** Input offset of carry[0]. */
  private carryStart = 0;

  constructor(name: string, sink: RecordSink) {
    this.name = name;
    this.sink = sink;
  }

  push(chunk: Buffer): void {
    let off = 0;
    if (this.carryLength > 0) {
      off = this.completeCarry(chunk);
      if (off < 0) {
        this.position += chunk.length;
        return;
      }
    }
    const stop = this.parse(chunk, off, chunk.length, this.position);
    if (stop < chunk.length) {
      this.carryLength = 0;
      this.appendCarry(chunk, stop, chunk.length - stop);
      this.carryStart = this.position + stop;
    }
    this.position += chunk.length;
  }

  end(): void {
    this.finish(this.carry.subarray(0, this.carryLength), this.carryStart, this.position);
    this.carryLength = 0;
  }

  /**
   * Decodes every complete unit in buf[off, end), where buf[i] is input byte base + i.
   * Returns the offset of the first unit that is not complete (end if none).
   */
  protected abstract parse(buf: Buffer, off: number, end: number, base: number): number;

  /**
   * Length of the unit starting at buf[0], of which `have` bytes are present: its total
   * length once the header saying so is there, else the bytes needed to read that header.
   * Throws InputError (at input byte `start`) on an impossible length.
   */
  protected abstract unitLength(buf: Buffer, have: number, start: number): number;

  /**
   * End of input. `rest` holds the bytes of an incomplete last unit (input byte `restStart`
   * on), `size` is the input's length.
   */
  protected abstract finish(rest: Buffer, restStart: number, size: number): void;

  protected error(message: string, at: number): InputError {
    return new InputError(this.name, message, `byte ${at}`);
  }

  /** Feeds the carried unit from the chunk; returns where the chunk's own units start, -1 if it was used up. */
  private completeCarry(chunk: Buffer): number {
    let off = 0;
    for (;;) {
      const need = this.unitLength(this.carry, this.carryLength, this.carryStart);
      if (this.carryLength >= need) break;
      if (off >= chunk.length) return -1;
      const take = Math.min(need - this.carryLength, chunk.length - off);
      this.appendCarry(chunk, off, take);
      off += take;
    }
    this.parse(this.carry, 0, this.carryLength, this.carryStart);
    this.carryLength = 0;
    if (this.carry.length > CARRY_KEEP_BYTES) this.carry = Buffer.alloc(0);
    return off;
  }

  private appendCarry(chunk: Buffer, from: number, count: number): void {
    const needed = this.carryLength + count;
    if (needed > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.carry.length * 2, 4096));
      this.carry.copy(grown, 0, 0, this.carryLength);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryLength, from, from + count);
    this.carryLength = needed;
  }
}

/** "1 packet" / "12 packets". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
