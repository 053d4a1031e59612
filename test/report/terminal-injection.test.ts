// Nothing that comes from the input reaches a terminal as a control character: host names and
// other words of a tcpdump text line are printed with their controls escaped, in every text
// view and in the warnings on stderr. (JSON escapes C0 controls by construction.)
import { describe, expect, it } from 'vitest';
import { escapeControls } from '../../src/report/terminal/escape.js';
import { runCli } from '../helpers/cli.js';
import { ESC, stripSgr } from '../helpers/terminal.js';

const HOSTILE_HOST = `ev${ESC}[31mil\u202eho`;
const LINES = [
  'IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0',
  `IP ${HOSTILE_HOST}.1234 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0`,
  `IP 10.0.0.2.80 > ${HOSTILE_HOST}.1234: Flags [S.], seq 9, ack 2, win 1, length 0`,
  'IP x\u0007y.1 > z\u009bq.2: Flags [S], seq 1, win 1, length 0',
  `IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [Z${ESC}[2J], seq 1, win 1, length 0`,
];
const TEXT = `${LINES.join('\n')}\n`;

/** C0 (but the line feed), DEL, C1 and the bidi overrides and isolates. */
const RAW_CONTROL = new RegExp(
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  '[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]',
);

describe('escapeControls', () => {
  it('writes ESC as \\e, other C0/C1 and DEL as \\xHH, bidi controls as \\u{…}', () => {
    expect(escapeControls(`a${ESC}[2Jb`)).toBe('a\\e[2Jb');
    expect(escapeControls('\u0007\u007f\u009b\t\r\n')).toBe('\\x07\\x7f\\x9b\\t\\r\\n');
    expect(escapeControls('x\u202ey\u2066z\u200f')).toBe('x\\u{202e}y\\u{2066}z\\u{200f}');
  });

  it('leaves clean text alone, whatever its script', () => {
    for (const text of ['10.0.0.1', 'fd00::1', 'www.example.com', 'héllo-wörld', 'サーバー']) {
      expect(escapeControls(text)).toBe(text);
    }
  });
});

describe('no control character from a text line reaches the terminal', () => {
  it.each([[[]], [['-q']], [['--ladder']], [['--summary']], [['--explain']]])('%j', async (view: string[]) => {
    const r = await runCli(['--input-format', 'text', ...view, '-'], { input: TEXT });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('ev\\e[31mil\\u{202e}ho');
    expect(r.stderr).toContain('unknown TCP flags [Z\\e[2J]');
  });

  it('with colour on, the only escape sequences are the report’s own colours', async () => {
    const r = await runCli(['--color', '--input-format', 'text', '-'], { input: TEXT });
    expect(r.stdout).toContain('ev\\e[31mil');
    expect(stripSgr(r.stdout)).not.toMatch(RAW_CONTROL);
    expect(r.stdout).not.toContain(`${ESC}[2J`);
  });

  it('also when the text is recognised by itself (the controls come after the first lines)', async () => {
    const clean = Array.from({ length: 12 }, () => LINES[0]).join('\n');
    const r = await runCli(['-q', '-'], { input: `${clean}\n${TEXT}` });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ev\\e[31mil\\u{202e}ho');
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  });
});
