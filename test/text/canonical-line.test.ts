// The fast path for canonical TCP lines must read every line it accepts exactly as the
// general parser does, and must accept the lines tcpdump prints by default (else the
// text input is slow without anyone noticing).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostNames } from '../../src/text/address.js';
import { CanonicalLineReader } from '../../src/text/canonical-line.js';
import { newPrefix, parsePrefix } from '../../src/text/prefix.js';
import { newPrintedSegment } from '../../src/text/printed-segment.js';
import { TcpLineParser } from '../../src/text/tcp-line.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

const fixtures = new URL('../../fixtures/text/', import.meta.url).pathname;
const corpus = corpusPath('tcpdump');

function textFiles(dir: string, ending: string): [string, string][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ending))
    .map((f) => [f, join(dir, f)]);
}

/** Where the general reader starts on this line: after the number and stamp, if any. */
function bodyStart(bytes: Buffer): number {
  const prefix = newPrefix();
  return parsePrefix(bytes, 0, bytes.length, prefix) ? prefix.bodyStart : 0;
}

/** Reads every line of the files both ways; returns how many lines the fast path took. */
function checkAgainstGeneral(files: [string, string][]): number {
  const canonical = new CanonicalLineReader(new HostNames());
  const general = new TcpLineParser();
  const fast = newPrintedSegment();
  let accepted = 0;
  for (const [name, path] of files) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const bytes = Buffer.from(line);
      const from = bodyStart(bytes);
      if (!canonical.read(bytes, from, bytes.length, fast)) continue;
      accepted++;
      expect(general.read(bytes.toString('utf8', from), 0), `${name}: ${line}`).toBe('segment');
      expect(fast, `${name}: ${line}`).toEqual(general.tcp);
    }
  }
  return accepted;
}

describe('the canonical-line fast path', () => {
  it('reads every line it accepts as the general parser does, in every fixture text', () => {
    expect(checkAgainstGeneral(textFiles(fixtures, '.txt'))).toBeGreaterThan(500);
  });

  it('accepts the TCP lines of tcpdump -n, -n -S, -n -v, -n -e, -n -tttt and -# -n -tt output', () => {
    const canonical = new CanonicalLineReader(new HostNames());
    const out = newPrintedSegment();
    for (const file of readdirSync(fixtures).filter((f) => /\.pcap(ng)?\.[\w-]+\.txt$/.test(f))) {
      const lines = readFileSync(join(fixtures, file), 'utf8')
        .split('\n')
        .filter((l) => l.includes(': Flags ['));
      const missed = lines.filter((line) => {
        const bytes = Buffer.from(line);
        return !canonical.read(bytes, bodyStart(bytes), bytes.length, out);
      });
      expect(missed, file).toEqual([]);
    }
  });

  it('leaves everything else to the general parser', () => {
    const canonical = new CanonicalLineReader(new HostNames());
    const out = newPrintedSegment();
    for (const line of [
      'IP 10.0.0.1.1 > 10.0.0.2.2: Flags [s.], seq 1, ack 2, win 3, length 0',
      'IP 10.0.0.1.1 > 10.0.0.2.2: Flags [P.], seq 1,000:2,000, ack 1, win 3, length 1000',
      'IP 10.0.0.1.1 > 10.0.0.2.2:Flags [S], seq 1, win 3, length 0',
      'IP a.example.com.51234 > b.example.com.https: Flags [S], seq 1, win 1, length 0',
      'IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 1, win 1400, options [exp-tfo cookiereq], length 0',
      'IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], win 1, length 0',
      'IP 10.0.0.1.1 > 10.0.0.2.2: Flags [.], seq 1, win 1, length 0',
      'IP 127.0.0.1.55920 > 127.0.0.1.80: S 928549246:928549246(0) win 32767',
      'IP 131.155.215.69.46656 > 137.116.81.94.80: tcp 0',
      'IP 10.0.0.1.53 > 10.0.0.2.33000: 1234 1/0/0 A 1.2.3.4 (45)',
      'IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 1, options [mss 1460,[|tcp]',
      'IP 10.0.0.1.1 > 10.0.0.2.2: Flags [P.], seq 1:2, ack 1 [ack 5 != 0 while ACK flag not set], win 1, length 1',
    ]) {
      const bytes = Buffer.from(line);
      expect(canonical.read(bytes, 0, bytes.length, out), line).toBe(false);
    }
  });
});

describeCorpus('tcpdump', 'the canonical-line fast path on the tcpdump test suite', () => {
  it('reads every line it accepts as the general parser does, in every corpus text', () => {
    const files = [...textFiles(corpus, '.out'), ...textFiles(join(corpus, 'legacy-3.9.8'), '.out')];
    expect(checkAgainstGeneral(files)).toBeGreaterThan(500);
  });
});
