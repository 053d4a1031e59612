import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACK, RST, SYN } from '../../src/segment.js';
import { BIN } from '../helpers/cli.js';
import { ethernet, pcapFile, tcpPacket } from '../helpers/packets.js';

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
          `"${process.execPath}" "${BIN}" --format ${format} "${file}" 2>"${errFile}" ` +
            `| head -1 >/dev/null; echo \${PIPESTATUS[0]}`,
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

/** Runs the command with its stdout into a reader that has already gone; returns its status and stderr. */
function intoClosedPipe(args: string): { status: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tte-epipe-'));
  const errFile = join(dir, 'err');
  // `true` exits at once, long before node has started: every write meets a closed pipe.
  const r = spawnSync(
    'bash',
    [
      '--noprofile',
      '--norc',
      '-c',
      `"${process.execPath}" "${BIN}" ${args} 2>"${errFile}" | true; echo \${PIPESTATUS[0]}`,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } },
  );
  return { status: r.stdout.trim(), stderr: readFileSync(errFile, 'utf8') };
}

describe('every path that writes to stdout ends quietly when the reader has gone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tte-epipe-'));
  const damaged = join(dir, 'damaged.pcap');
  // Two thousand refused connections, then a record header claiming a 1 GB packet.
  const good = manyConnections(2000);
  const bad = Buffer.alloc(16);
  bad.writeUInt32LE(0x40000000, 8);
  bad.writeUInt32LE(0x40000000, 12);
  writeFileSync(damaged, Buffer.concat([good, bad]));
  it.each([
    ['--help', '--help'],
    ['--version', '--version'],
  ])('%s', (_name, args) => {
    expect(intoClosedPipe(args)).toEqual({ status: '0', stderr: '' });
  });

  // The damage is still said (one line, no stack trace); the closed pipe decides the status.
  it.each([
    ['a damaged input: part of the report, then the error', `"${damaged}"`],
    ['a damaged input, as JSON', `--format json "${damaged}"`],
  ])('%s', (_name, args) => {
    const r = intoClosedPipe(args);
    expect(r.status).toBe('0');
    expect(r.stderr).toMatch(/^(tcptrace-explain: [^\n]*damaged\.pcap: byte 280024: [^\n]*\n)?$/);
  });

  it('the damaged input, read to the end, is exit 2 with its one line', () => {
    const r = spawnSync(process.execPath, [BIN, damaged], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^tcptrace-explain: .*damaged\.pcap.*\n$/);
  });
});
