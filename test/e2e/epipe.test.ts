import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACK, RST, SYN } from '../../src/segment.js';
import { ethernet, pcapFile, tcpPacket } from '../helpers/packets.js';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin', 'tcptrace-explain.js');

/** Thousands of refused connections: far more output than a pipe buffer holds. */
function manyConnections(count: number): Buffer {
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const sport = 10000 + i;
    frames.push(ethernet(tcpPacket({ sport, dport: 80, seq: i * 7, flags: SYN })));
    frames.push(
      ethernet(
        tcpPacket({
          src: '10.0.0.2',
          dst: '10.0.0.1',
          sport: 80,
          dport: sport,
          seq: 0,
          ack: i * 7 + 1,
          flags: RST | ACK,
        }),
      ),
    );
  }
  return pcapFile(frames);
}

describe('writing into a closed pipe', () => {
  it('`| head -1` ends quietly with status 0 and no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tte-epipe-'));
    const file = join(dir, 'many.pcap');
    writeFileSync(file, manyConnections(20000));
    for (const format of ['text', 'ndjson']) {
      const errFile = join(dir, `${format}.err`);
      const r = spawnSync(
        'bash',
        [
          '--noprofile',
          '--norc',
          '-c',
          `"${process.execPath}" "${bin}" --format ${format} "${file}" 2>"${errFile}" | head -1 >/dev/null; echo \${PIPESTATUS[0]}`,
        ],
        {
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
        },
      );
      expect(r.stdout.trim()).toBe('0');
      expect(readFileSync(errFile, 'utf8')).toBe('');
    }
  });
});
