/**
 * Plain text cut into lines of at most `width` columns at spaces, the first line starting
 * after `firstUsed` columns already taken, the others indented by `indent` spaces. A word
 * longer than a line stays whole (numbers and kind ids must not be broken).
 */
export function wrapText(text: string, width: number, indent: number, firstUsed = indent): string[] {
  return wrapUnits(text.split(' '), ' ', width, indent, firstUsed);
}

/** Like wrapText, for units that must stay whole ("6 packets, 42 B"), joined by `separator`. */
export function wrapUnits(units: string[], separator: string, width: number, indent: number, firstUsed = indent): string[] {
  const lines: string[] = [];
  let line = '';
  let used = firstUsed;
  const gap = [...separator].length;
  for (const word of units) {
    if (word === '') continue;
    const wordWidth = [...word].length;
    if (line !== '' && used + gap + wordWidth > width) {
      lines.push(separator === ' ' ? line : `${line}${separator.trimEnd()}`);
      line = '';
      used = indent;
    }
    if (line !== '') {
      line += separator;
      used += gap;
    }
    line += word;
    used += wordWidth;
  }
  lines.push(line);
  return lines;
}
