import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, startBinary } from '../helpers/cli.js';
import { ANSI_CODE } from '../helpers/terminal.js';

/** Splits a classic little-endian pcap into its header and its records. */
function pcapRecords(buf: Buffer): { header: Buffer; records: Buffer[] } {
  const records: Buffer[] = [];
  let off = 24;
  while (off < buf.length) {
    const len = 16 + buf.readUInt32LE(off + 8);
    records.push(buf.subarray(off, off + len));
    off += len;
  }
  return { header: buf.subarray(0, 24), records };
}

describe('live input on a pipe', () => {
  it('prints each transition as soon as the packet that proves it arrives, before the input ends', async () => {
    const { header, records } = pcapRecords(readFileSync(join(ROOT, 'fixtures', 'http-client-close.pcap')));
    const child = startBinary(['-']);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
    });
    const waitFor = async (text: string): Promise<void> => {
      const deadline = Date.now() + 5000;
      while (!out.includes(text)) {
        if (Date.now() > deadline) throw new Error(`no "${text}" within 5 s; got:\n${out}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    child.stdin.write(header);
    child.stdin.write(records[0]);
    await waitFor('CLOSED      → SYN_SENT');
    expect(out).not.toContain('SYN_RCVD');
    child.stdin.write(records[1]);
    await waitFor('LISTEN      → SYN_RCVD');
    child.stdin.write(records[2]);
    await waitFor('SYN_RCVD    → ESTABLISHED');
    expect(out).not.toContain('final:');
    for (const r of records.slice(3)) child.stdin.write(r);
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toContain('final: client TIME_WAIT, server CLOSED');
  });

  it('--format ndjson writes each event line as soon as it is known, and no prose or colour', async () => {
    const { header, records } = pcapRecords(readFileSync(join(ROOT, 'fixtures', 'http-client-close.pcap')));
    const child = startBinary(['--format', 'ndjson', '-'], { NO_COLOR: '', FORCE_COLOR: '3' });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
    });
    const lines = (): { type: string; to?: string }[] =>
      out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { type: string; to?: string });
    const waitFor = async (test: () => boolean, what: string): Promise<void> => {
      const deadline = Date.now() + 5000;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`no ${what} within 5 s; got:\n${out}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    child.stdin.write(header);
    child.stdin.write(records[0]);
    await waitFor(() => lines().some((e) => e.type === 'transition' && e.to === 'SYN_SENT'), 'SYN_SENT transition');
    expect(lines().map((e) => e.type)).toEqual(['connection', 'transition']);
    for (const r of records.slice(1)) child.stdin.write(r);
    child.stdin.end();
    expect(await new Promise<number | null>((resolve) => child.on('close', resolve))).toBe(0);
    expect(out).not.toMatch(ANSI_CODE);
    expect(lines().at(-1)?.type).toBe('summary');
  });
});
