import { ChunkedReader, MAX_RECORD_BYTES, plural } from './records.js';
import { DEFAULT_TSRESOL, ticksToTime, timestampScale } from './timestamp.js';
import type { TimeOut, TimestampScale } from './timestamp.js';

// pcapng (draft-ietf-opsawg-pcapng). Every block: type, total length, body, total length
// again (§3.1). A file is one or more sections, each opened by a Section Header Block that
// fixes the byte order and starts a new list of interfaces (§4.1).

const BLOCK_SECTION_HEADER = 0x0a0d0d0a;
const BLOCK_INTERFACE = 0x00000001;
const BLOCK_OBSOLETE_PACKET = 0x00000002;
const BLOCK_SIMPLE_PACKET = 0x00000003;
const BLOCK_INTERFACE_STATISTICS = 0x00000005;
const BLOCK_ENHANCED_PACKET = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const MIN_BLOCK_BYTES = 12;

const OPT_END = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
const OPT_ISB_IFDROP = 5;
const OPT_ISB_OSDROP = 7;

interface CaptureInterface {
  linkType: number;
  snaplen: number;
  scale: TimestampScale;
  /** Latest cumulative drop counters from Interface Statistics Blocks (§4.6). */
  ifDrop: number;
  osDrop: number;
}

export class PcapngReader extends ChunkedReader {
  private inSection = false;
  private littleEndian = true;
  private interfaces: CaptureInterface[] = [];
  /** Drops reported by interfaces of the sections already closed. */
  private droppedInEarlierSections = 0;
  /** Timestamp of the last packet, given to Simple Packet Blocks, which have none (§4.4). */
  private readonly time: TimeOut = { sec: 0, nsec: 0 };

  protected parse(buf: Buffer, off: number, end: number, base: number): number {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (end - off >= MIN_BLOCK_BYTES) {
      const length = this.blockLength(view, off, base + off);
      if (end - off < length) break;
      const le = this.littleEndian;
      const trailer = view.getUint32(off + length - 4, le);
      if (trailer !== length) {
        throw this.error(
          `block length ${length} does not match its trailing copy ${trailer}: the file is damaged here`,
          base + off,
        );
      }
      switch (view.getUint32(off, le)) {
        case BLOCK_ENHANCED_PACKET:
          this.readPacket(view, buf, off, length, base, view.getUint32(off + 8, le));
          break;
        case BLOCK_OBSOLETE_PACKET:
          this.readPacket(view, buf, off, length, base, view.getUint16(off + 8, le));
          break;
        case BLOCK_SIMPLE_PACKET:
          this.readSimplePacket(view, buf, off, length, base);
          break;
        case BLOCK_SECTION_HEADER:
          this.readSectionHeader(view, off, base);
          break;
        case BLOCK_INTERFACE:
          this.readInterface(view, off, length);
          break;
        case BLOCK_INTERFACE_STATISTICS:
          this.readStatistics(view, off, length);
          break;
        default:
          // Name resolution, decryption secrets, custom, journal... blocks: nothing for us.
          break;
      }
      off += length;
    }
    return off;
  }

  protected unitLength(buf: Buffer, have: number, start: number): number {
    if (have < MIN_BLOCK_BYTES) return MIN_BLOCK_BYTES;
    return this.blockLength(new DataView(buf.buffer, buf.byteOffset, buf.byteLength), 0, start);
  }

  protected finish(rest: Buffer, restStart: number, size: number): void {
    if (!this.inSection && rest.length < MIN_BLOCK_BYTES) {
      throw this.error(`the file is ${plural(size, 'byte')} long, too short for a pcapng section header block`, 0);
    }
    if (rest.length > 0) {
      const what =
        rest.length < MIN_BLOCK_BYTES
          ? `its header: ${rest.length} of ${MIN_BLOCK_BYTES} bytes`
          : `${this.unitLength(rest, rest.length, restStart) - rest.length} bytes missing`;
      this.sink.warning(
        `byte ${restStart}: the last block is cut short (${what}): ` +
          `the capture was cut short; the ${plural(this.frame, 'packet')} before it are kept`,
      );
    }
    const dropped = this.droppedInEarlierSections + this.droppedInSection();
    if (dropped > 0) {
      this.sink.warning(
        `the capture itself lost ${plural(dropped, 'packet')} (interface statistics ` +
          'report drops): gaps in this file may be capture losses, not network losses',
      );
    }
  }

  /** Reads and checks the length of the block at `off` (at least 12 bytes present). */
  private blockLength(view: DataView, off: number, at: number): number {
    const type = view.getUint32(off, true);
    if (type === BLOCK_SECTION_HEADER) {
      // The section header's own byte-order magic says how to read its length.
      const magic = view.getUint32(off + 8, true);
      if (magic === BYTE_ORDER_MAGIC) this.littleEndian = true;
      else if (magic === 0x4d3c2b1a) this.littleEndian = false;
      else
        throw this.error(
          `section header block with a bad byte-order magic 0x${magic.toString(16).padStart(8, '0')}`,
          at + 8,
        );
    } else if (!this.inSection) {
      throw this.error(
        'not a pcapng file: it does not start with a section header ' +
          `block (block type 0x${type.toString(16).padStart(8, '0')})`,
        at,
      );
    }
    const length = view.getUint32(off + 4, this.littleEndian);
    if (length < MIN_BLOCK_BYTES || length % 4 !== 0 || length > MAX_RECORD_BYTES) {
      const why =
        length < MIN_BLOCK_BYTES ? 'is less than 12' : length % 4 !== 0 ? 'is not a multiple of 4' : 'exceeds 256 MiB';
      throw this.error(`block length ${length} ${why}: the file is damaged here`, at);
    }
    return length;
  }

  private readSectionHeader(view: DataView, off: number, base: number): void {
    const major = view.getUint16(off + 12, this.littleEndian);
    if (major !== 1) {
      throw this.error(
        `unsupported pcapng version ${major}.${view.getUint16(off + 14, this.littleEndian)}`,
        base + off + 12,
      );
    }
    this.droppedInEarlierSections += this.droppedInSection();
    this.interfaces = [];
    this.inSection = true;
  }

  private readInterface(view: DataView, off: number, length: number): void {
    const le = this.littleEndian;
    let tsresol = DEFAULT_TSRESOL;
    let offsetSeconds = 0;
    forEachOption(view, off + 16, off + length - 4, le, (code, at, len) => {
      if (code === OPT_IF_TSRESOL && len >= 1) tsresol = view.getUint8(at);
      else if (code === OPT_IF_TSOFFSET && len >= 8) offsetSeconds = Number(view.getBigInt64(at, le));
    });
    this.interfaces.push({
      linkType: view.getUint16(off + 8, le),
      snaplen: view.getUint32(off + 12, le),
      scale: timestampScale(tsresol, offsetSeconds),
      ifDrop: 0,
      osDrop: 0,
    });
  }

  /** Enhanced (§4.3) and obsolete (type 2, appendix) packet blocks share this layout from byte 12 on. */
  private readPacket(
    view: DataView,
    buf: Buffer,
    off: number,
    length: number,
    base: number,
    interfaceId: number,
  ): void {
    const le = this.littleEndian;
    const iface = this.interfaces[interfaceId];
    if (iface === undefined) throw this.noInterface(interfaceId, base + off);
    const caplen = view.getUint32(off + 20, le);
    if (caplen > length - 32) {
      throw this.error(
        `captured length ${caplen} does not fit in its ${length}-byte packet block: the file is damaged here`,
        base + off,
      );
    }
    const time = this.time;
    ticksToTime(view.getUint32(off + 12, le), view.getUint32(off + 16, le), iface.scale, time);
    this.sink.record(
      ++this.frame,
      time.sec,
      time.nsec,
      caplen,
      view.getUint32(off + 24, le),
      iface.linkType,
      buf,
      off + 28,
    );
  }

  private readSimplePacket(view: DataView, buf: Buffer, off: number, length: number, base: number): void {
    const iface = this.interfaces[0];
    if (iface === undefined) throw this.noInterface(0, base + off);
    const origLen = view.getUint32(off + 8, this.littleEndian);
    let caplen = Math.min(origLen, length - 16);
    if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
    this.sink.record(++this.frame, this.time.sec, this.time.nsec, caplen, origLen, iface.linkType, buf, off + 12);
  }

  private readStatistics(view: DataView, off: number, length: number): void {
    const le = this.littleEndian;
    const interfaceId = view.getUint32(off + 8, le);
    const iface = this.interfaces[interfaceId];
    if (iface === undefined) return; // statistics of an unknown interface: nothing to attach them to
    forEachOption(view, off + 20, off + length - 4, le, (code, at, len) => {
      // The counters are cumulative since the capture started: keep the latest.
      if (code === OPT_ISB_IFDROP && len >= 8) iface.ifDrop = Number(view.getBigUint64(at, le));
      else if (code === OPT_ISB_OSDROP && len >= 8) iface.osDrop = Number(view.getBigUint64(at, le));
    });
  }

  private droppedInSection(): number {
    let dropped = 0;
    for (const iface of this.interfaces) dropped += iface.ifDrop + iface.osDrop;
    return dropped;
  }

  private noInterface(interfaceId: number, at: number): Error {
    return this.error(
      `packet of interface ${interfaceId}, but the section ` +
        `describes only ${plural(this.interfaces.length, 'interface')}`,
      at,
    );
  }
}

/** Walks an option list (§3.5): code, length, value padded to 4 bytes; stops at opt_endofopt or damage. */
function forEachOption(
  view: DataView,
  off: number,
  end: number,
  le: boolean,
  visit: (code: number, at: number, length: number) => void,
): void {
  while (end - off >= 4) {
    const code = view.getUint16(off, le);
    const length = view.getUint16(off + 2, le);
    if (code === OPT_END || off + 4 + length > end) return;
    visit(code, off + 4, length);
    off += 4 + ((length + 3) & ~3);
  }
}
