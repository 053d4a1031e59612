/**
 * Plain text cut into lines of at most `width` columns at spaces, the first line starting
 * after `firstUsed` columns already taken, the others indented by `indent` spaces. A word
 * longer than a line stays whole (numbers and kind ids must not be broken).
 */
export function wrapText(text: string, width: number, indent: number, firstUsed = indent): string[] {
  return wrapUnits(text.split(' '), ' ', width, indent, firstUsed);
}

/**
 * Like wrapText, for units that should stay whole ("6 packets, 42 B"), joined by
 * `separator`; a unit longer than a whole line is broken at its spaces after all.
 */
export function wrapUnits(units: string[], separator: string, width: number, indent: number, firstUsed = indent): string[] {
  const lines: string[] = [];
  let line = '';
  let used = firstUsed;
  for (const unit of units) {
    if (unit === '') continue;
    const words = separator !== ' ' && columns(unit) > width - indent ? unit.split(' ') : [unit];
    words.forEach((word, k) => {
      const join = k === 0 ? separator : ' ';
      const wordWidth = columns(word);
      if (line !== '' && used + join.length + wordWidth > width) {
        lines.push(k === 0 ? `${line}${separator.trimEnd()}` : line);
        line = '';
        used = indent;
      }
      if (line !== '') {
        line += join;
        used += join.length;
      }
      line += word;
      used += wordWidth;
    });
  }
  lines.push(line);
  return lines;
}

function columns(text: string): number {
  return [...text].length;
}
