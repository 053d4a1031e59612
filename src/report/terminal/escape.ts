// Text that comes from the input (host names and other words of a text line, file names,
// warnings quoting a line) must not drive the terminal it is printed on: C0 and C1 controls,
// DEL and the bidirectional overrides and isolates (which reorder what a reader sees,
// CVE-2021-42574) are shown as escapes instead.

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

function escapeOne(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code === 0x1b) return '\\e';
  if (code === 0x09) return '\\t';
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** The text with every control or direction-changing character written as an escape (`\e`, `\x07`, `\u{202e}`). */
export function escapeControls(text: string): string {
  // Nearly every text is clean: test first, so that no new string is made for it.
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, escapeOne);
}
