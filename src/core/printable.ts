/**
 * Text from outside (an artifact header, a file name, a gateway's message) made safe to print on a
 * terminal: control characters — C0 (ESC starts every terminal escape sequence), DEL, C1 — and the Unicode
 * bidi controls that reorder what a reader sees are shown as `\uXXXX`, so nothing reaches the terminal as a
 * command and the reader sees that something odd was there. Newlines and tabs are kept only in multi-line
 * text.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(UNSAFE, (c) => {
    if (options.multiline && (c === '\n' || c === '\t')) return c;
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
