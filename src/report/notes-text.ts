import type { AnomalyKind } from '../events.js';
import type { ChalkInstance } from 'chalk';
import { ANOMALY_EXPLANATIONS, explainAnomaly } from '../explain/anomalies.js';
import type { TeachingNote } from '../explain/teaching.js';
import { keepPhrasesTogether, wrapParagraph } from './wrap.js';

const NOTE_INDENT = 2;
const LIST_INDENT = 4;

/**
 * `--explain`'s closing section: the teaching notes, then the catalogue entry of each
 * anomaly kind the report showed, every paragraph wrapped to the width.
 */
export function renderTeaching(
  notes: readonly TeachingNote[],
  kinds: readonly AnomalyKind[],
  chalk: ChalkInstance,
  width: number,
): string[] {
  const order: string[] = Object.keys(ANOMALY_EXPLANATIONS);
  // In the catalogue's order, which follows a connection's life: opening, closing, data, windows, the capture.
  const entries = [...kinds]
    .sort((x, y) => order.indexOf(x) - order.indexOf(y))
    .map((kind) => ({ kind, e: explainAnomaly(kind) }));
  if (notes.length === 0 && entries.length === 0) return [];
  const heading = 'Notes: the TCP behind this report';
  const lines: string[] = [chalk.bold(heading), chalk.dim('─'.repeat(Math.min(heading.length, width)))];
  for (const note of notes) {
    lines.push('', ...title(`${note.title} (${note.refs})`, chalk, width));
    lines.push(...wrapParagraph(note.text, width, NOTE_INDENT));
  }
  for (const { kind, e } of entries) {
    lines.push('', ...title(`${kind}: ${e.title}`, chalk, width));
    lines.push(...wrapParagraph(e.meaning, width, NOTE_INDENT));
    lines.push(`${' '.repeat(NOTE_INDENT)}${chalk.dim('Likely causes, most likely first:')}`);
    const item = (text: string): string => keepPhrasesTogether(text, width - LIST_INDENT - 3);
    e.causes.forEach((cause, i) => lines.push(...wrapParagraph(`${i + 1}. ${item(cause)}`, width, LIST_INDENT, 3)));
    lines.push(`${' '.repeat(NOTE_INDENT)}${chalk.dim('What to check:')}`);
    for (const check of e.check) lines.push(...wrapParagraph(`- ${item(check)}`, width, LIST_INDENT, 2));
    const refs = wrapParagraph(`References: ${e.refs.join('; ')}`, width, NOTE_INDENT, 2);
    refs[0] =
      `${' '.repeat(NOTE_INDENT)}${chalk.dim('References:')}` + refs[0]!.slice(NOTE_INDENT + 'References:'.length);
    lines.push(...refs);
  }
  return lines;
}

function title(text: string, chalk: ChalkInstance, width: number): string[] {
  return wrapParagraph(text, width, 0, NOTE_INDENT).map((l) => chalk.bold(l));
}
