// `tcpdump -l -n ... | tcptrace-explain -`: each transition must be printed as soon as the
// line that proves it has arrived, not when the input ends. Runs the built CLI (npm test
// builds it first) and writes tcpdump's lines into its standard input with pauses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, startBinary } from '../helpers/cli.js';

/** The packet lines of a text rendered from http-client-close.pcap (-v: two lines each). */
function packets(variant: string): string[] {
  const text = readFileSync(join(ROOT, 'fixtures', 'text', `http-client-close.pcap.${variant}.txt`), 'utf8');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\d\d:/.test(line)) out.push(`${line}\n`);
    else if (line.startsWith('    ') && out.length > 0) out[out.length - 1] = `${out[out.length - 1]!}${line}\n`;
  }
  return out;
}

function startCli(): {
  write: (s: string) => void;
  end: () => void;
  waitFor: (text: string) => Promise<void>;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = startBinary(['-']);
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    write: (s) => child.stdin.write(s),
    end: () => child.stdin.end(),
    output: () => out,
    exit,
    waitFor: async (text) => {
      const deadline = Date.now() + 5000;
      while (!out.includes(text)) {
        if (Date.now() > deadline) throw new Error(`no "${text}" within 5 s; got:\n${out}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

describe('live tcpdump text on a pipe', () => {
  for (const variant of ['n', 'v']) {
    it(`prints each transition when its line arrives (tcpdump -l ${variant === 'v' ? '-n -v' : '-n'})`, async () => {
      const lines = packets(variant);
      expect(lines).toHaveLength(11);
      const cli = startCli();
      cli.write(lines[0]!);
      await cli.waitFor('CLOSED      → SYN_SENT');
      expect(cli.output()).not.toContain('SYN_RCVD');
      cli.write(lines[1]!);
      await cli.waitFor('LISTEN      → SYN_RCVD');
      cli.write(lines[2]!);
      await cli.waitFor('SYN_RCVD    → ESTABLISHED');
      for (const line of lines.slice(3, 8)) cli.write(line);
      await cli.waitFor('ESTABLISHED → FIN_WAIT_1');
      expect(cli.output()).not.toContain('FIN_WAIT_2');
      cli.write(lines[8]!);
      await cli.waitFor('FIN_WAIT_1  → FIN_WAIT_2');
      cli.write(lines[9]!);
      await cli.waitFor('FIN_WAIT_2  → TIME_WAIT');
      cli.write(lines[10]!);
      await cli.waitFor('LAST_ACK    → CLOSED');
      expect(cli.output()).not.toContain('final:');
      cli.end();
      expect(await cli.exit).toBe(0);
      expect(cli.output()).toContain('final: client TIME_WAIT, server CLOSED');
    });
  }
});
