import { ChunkedReader, MAX_RECORD_BYTES, plural } from './records.js';

// Classic libpcap format: a 24-byte file header, then records of a 16-byte header
// (ts_sec, ts_frac, caplen, origlen) and caplen bytes. The magic number gives the byte
// order and whether ts_frac counts micro- or nanoseconds (draft-ietf-opsawg-pcap §4, §5).

const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
const MAGIC_MICRO_SWAPPED = 0xd4c3b2a1;
const MAGIC_NANO_SWAPPED = 0x4d3cb2a1;
/** Largest snap length of today's tools: caplen may exceed a small snaplen, but not by much. */
const TYPICAL_MAX_SNAPLEN = 262144;
const SNAPLEN_SLACK = 4;

export class PcapReader extends ChunkedReader {
  private headerDone = false;
  private littleEndian = true;
  /** ts_frac units per second: 1e6 or 1e9. */
  private fracPerSecond = 1e6;
  private nsPerFrac = 1000;
  private linkType = 0;
  private maxCaplen = 0;

  protected parse(buf: Buffer, off: number, end: number, base: number): number {
    if (!this.headerDone) {
      if (end - off < FILE_HEADER_BYTES) return off;
      this.readFileHeader(buf, off, base);
      off += FILE_HEADER_BYTES;
    }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const le = this.littleEndian;
    const limit = this.maxCaplen;
    const linkType = this.linkType;
    const fracPerSecond = this.fracPerSecond;
    const nsPerFrac = this.nsPerFrac;
    const sink = this.sink;
    while (end - off >= RECORD_HEADER_BYTES) {
      const caplen = view.getUint32(off + 8, le);
      if (caplen > limit) throw this.badCaplen(caplen, base + off);
      const data = off + RECORD_HEADER_BYTES;
      if (end - data < caplen) break;
      let sec = view.getUint32(off, le);
      let frac = view.getUint32(off + 4, le);
      if (frac >= fracPerSecond) {
        // An invalid fraction (tcpdump prints "(invalid us)"): carry it into the seconds.
        sec += Math.floor(frac / fracPerSecond);
        frac %= fracPerSecond;
      }
      sink.record(++this.frame, sec, frac * nsPerFrac, caplen, view.getUint32(off + 12, le), linkType, buf, data);
      off = data + caplen;
    }
    return off;
  }

  protected unitLength(buf: Buffer, have: number, start: number): number {
    if (!this.headerDone) return FILE_HEADER_BYTES;
    if (have < RECORD_HEADER_BYTES) return RECORD_HEADER_BYTES;
    const caplen = this.littleEndian ? buf.readUInt32LE(8) : buf.readUInt32BE(8);
    if (caplen > this.maxCaplen) throw this.badCaplen(caplen, start);
    return RECORD_HEADER_BYTES + caplen;
  }

  protected finish(rest: Buffer, restStart: number, size: number): void {
    if (!this.headerDone) {
      throw this.error(
        `the file is ${plural(size, 'byte')} long, shorter than the ${FILE_HEADER_BYTES}-byte pcap file header`,
        0,
      );
    }
    if (rest.length === 0) return;
    if (rest.length < RECORD_HEADER_BYTES) {
      this.sink.warning(
        `byte ${restStart}: the file ends inside a record header (${rest.length} of ${RECORD_HEADER_BYTES} ` +
          `bytes): the capture was cut short; the ${plural(this.frame, 'packet')} before it are kept`,
      );
      return;
    }
    const need = this.unitLength(rest, rest.length, restStart);
    this.sink.warning(
      `byte ${restStart}: the last record is cut short (${need - rest.length} of its ${need} bytes missing): ` +
        `the capture was cut short; the ${plural(this.frame, 'packet')} before it are kept`,
    );
  }

  private readFileHeader(buf: Buffer, off: number, base: number): void {
    const magic = buf.readUInt32BE(off);
    switch (magic) {
      case MAGIC_MICRO:
      case MAGIC_NANO:
        this.littleEndian = false;
        break;
      case MAGIC_MICRO_SWAPPED:
      case MAGIC_NANO_SWAPPED:
        this.littleEndian = true;
        break;
      default:
        throw this.error(`not a pcap file: magic number 0x${magic.toString(16).padStart(8, '0')}`, base + off);
    }
    const nano = magic === MAGIC_NANO || magic === MAGIC_NANO_SWAPPED;
    this.fracPerSecond = nano ? 1e9 : 1e6;
    this.nsPerFrac = nano ? 1 : 1000;
    const le = this.littleEndian;
    const major = le ? buf.readUInt16LE(off + 4) : buf.readUInt16BE(off + 4);
    const minor = le ? buf.readUInt16LE(off + 6) : buf.readUInt16BE(off + 6);
    if (major !== 2) throw this.error(`unsupported pcap version ${major}.${minor} (only 2.x exists)`, base + off + 4);
    const snaplen = le ? buf.readUInt32LE(off + 16) : buf.readUInt32BE(off + 16);
    // The link-type field also carries FCS information in its upper bits (draft §5, LinkType and
    // additional information).
    this.linkType = (le ? buf.readUInt32LE(off + 20) : buf.readUInt32BE(off + 20)) & 0xffff;
    this.maxCaplen = Math.min(MAX_RECORD_BYTES, Math.max(snaplen, TYPICAL_MAX_SNAPLEN) * SNAPLEN_SLACK);
    this.headerDone = true;
  }

  private badCaplen(caplen: number, at: number): Error {
    return this.error(
      `record length ${caplen} exceeds the limit of ${this.maxCaplen} bytes: the file is damaged here`,
      at,
    );
  }
}
