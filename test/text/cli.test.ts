// The built CLI on tcpdump text: analysed like a capture, warnings on stderr, and binary
// data after text ending with exit status 2 and one clear line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, spawnCli } from '../helpers/cli.js';

const run = (args: string[], input?: Buffer) => spawnCli(args, input === undefined ? {} : { input });

const text = readFileSync(join(ROOT, 'fixtures', 'text', 'http-client-close.pcap.n.txt'));

describe('tcptrace-explain on tcpdump text', () => {
  it('reports a text file like its capture', () => {
    const r = run(['--format', 'json', join(ROOT, 'fixtures', 'text', 'http-client-close.pcap.v.txt')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as {
      inputs: { format: string; packets: number }[];
      connections: { final: unknown }[];
    };
    expect(doc.inputs[0]).toMatchObject({ format: 'tcpdump-text', packets: 11 });
    expect(doc.connections[0]!.final).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
  });

  it('ends binary data after text with exit status 2, naming the line, after reporting what came before', () => {
    const garbage = Buffer.from(
      Array.from({ length: 600 }, (_, i) => (i * 151 + 7) % 256).filter((b) => b !== 0 && b !== 10),
    );
    const r = run(['-'], Buffer.concat([text, garbage]));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('tcptrace-explain: <stdin>: line 13: binary data, not tcpdump text\n');
    expect(r.stdout).toContain('final: client TIME_WAIT, server CLOSED');
  });

  it('reads binary data forced as text (--input-format text) as an error, not a crash', () => {
    const r = run(['--input-format', 'text', '-'], Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3]));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('tcptrace-explain: <stdin>: line 1: binary data, not tcpdump text\n');
  });

  it('warns about unreadable TCP lines with their line numbers, and goes on', () => {
    const bad = Buffer.from('10:00:00.000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], win 1, length 0\n');
    const r = run(['-'], Buffer.concat([text, bad]));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'tcptrace-explain: warning: <stdin>: line 13: cannot read this TCP line: no seq number, ' +
        'although the segment has SYN, FIN, RST or data\n',
    );
    expect(r.stdout).toContain('final: client TIME_WAIT, server CLOSED');
  });
});
