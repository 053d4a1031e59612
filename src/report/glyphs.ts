/** The characters a diagram is drawn with: box drawing on a UTF-8 terminal, plain ASCII elsewhere. */
export interface Glyphs {
  ascii: boolean;
  line: string;
  dash: string;
  headRight: string;
  headLeft: string;
  warn: string;
  ellipsis: string;
  to: string;
}

export const UNICODE_GLYPHS: Glyphs = {
  ascii: false,
  line: '│',
  dash: '─',
  headRight: '▶',
  headLeft: '◀',
  warn: '⚠',
  ellipsis: '…',
  to: '→',
};
export const ASCII_GLYPHS: Glyphs = {
  ascii: true,
  line: '|',
  dash: '-',
  headRight: '>',
  headLeft: '<',
  warn: '!',
  ellipsis: '...',
  to: '->',
};

const ASCII_SPELLING: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '≠': '!=',
  '≤': '<=',
  '≥': '>=',
  '–': '-',
  '—': '-',
  '−': '-',
  '×': 'x',
  '…': '...',
  '§': 'section ',
  '·': '-',
};

/** Text for a terminal that is not UTF-8 capable: the usual symbols spelled out, anything else as '?'. */
export function toAscii(text: string): string {
  return text.replace(/\P{ASCII}/gu, (ch) => ASCII_SPELLING[ch] ?? '?');
}

/**
 * Whether to draw in ASCII: `TERM=dumb`, or a locale (LC_ALL, else LC_CTYPE, else LANG) that
 * names no UTF-8 charset.
 */
export function prefersAscii(env: NodeJS.ProcessEnv): boolean {
  if (env.TERM === 'dumb') return true;
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '');
  return locale !== undefined && !/utf-?8/i.test(locale);
}
