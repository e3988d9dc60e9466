/**
 * Text helpers for Slack mrkdwn. Slack needs only `&`, `<` and `>` escaped in text it renders
 * (docs.slack.dev "Formatting text for app surfaces" → "Escaping text").
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const ELLIPSIS = '…';
const FENCE = '```';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Shortens `text` to at most `max` characters, ending with `…`. The cut never splits a user-perceived
 * character (a surrogate pair, a flag, a ZWJ emoji), an entity (`&amp;`), or a Slack escape (`<@U1>`,
 * `<http://x|label>`), and an open ``` code block is closed so the rest of the message is not swallowed.
 */
export function truncate(text: string, max: number, ellipsis: string = ELLIPSIS): string {
  if (text.length <= max) return text;
  if (max <= ellipsis.length) return text.slice(0, safeCut(text, max));
  let kept = text.slice(0, safeCut(text, max - ellipsis.length));
  if (fenceIsOpen(kept)) {
    const closing = `\n${FENCE}`;
    kept = text.slice(0, safeCut(text, Math.max(0, max - ellipsis.length - closing.length)));
    if (fenceIsOpen(kept)) return `${kept}${ellipsis}${closing}`;
  }
  return `${kept}${ellipsis}`;
}

/**
 * Joins lines with `\n` while the result fits in `max`, then says how many were left out
 * (`…and 12 more`). Whole lines only: a diff listing cut mid-line reads as a different change.
 */
export function joinLinesWithin(
  lines: readonly string[],
  max: number,
  more: (n: number) => string = (n) => `…and ${n} more`,
): string {
  const all = lines.join('\n');
  if (all.length <= max) return all;
  let out = '';
  let k = 0;
  for (; k < lines.length; k++) {
    const candidate = k === 0 ? lines[0]! : `${out}\n${lines[k]}`;
    if (`${candidate}\n${more(lines.length - k - 1)}`.length > max) break;
    out = candidate;
  }
  const note = more(lines.length - k);
  if (out !== '') return `${out}\n${note}`;
  // Even the first line is too long: show what fits of it rather than nothing.
  const room = max - note.length - 1;
  return room > ELLIPSIS.length
    ? `${truncate(lines[0]!, room)}\n${more(lines.length - 1)}`
    : truncate(note, max);
}

/** The largest index ≤ `budget` where `text` may be cut. */
function safeCut(text: string, budget: number): number {
  let cut = 0;
  // A grapheme is at most a few dozen code units; looking a little past the budget is enough.
  for (const { index, segment } of graphemes.segment(text.slice(0, budget + 64))) {
    if (index + segment.length > budget) break;
    cut = index + segment.length;
  }
  const kept = text.slice(0, cut);
  const openEscape = kept.lastIndexOf('<');
  if (openEscape !== -1 && kept.indexOf('>', openEscape) === -1 && text.indexOf('>', openEscape) !== -1) {
    cut = openEscape;
  }
  const amp = text.slice(0, cut).lastIndexOf('&');
  if (amp !== -1 && amp > cut - 5) {
    const entity = /^&(amp|lt|gt);/.exec(text.slice(amp));
    if (entity && amp + entity[0].length > cut) cut = amp;
  }
  return cut;
}

function fenceIsOpen(text: string): boolean {
  return text.split(FENCE).length % 2 === 0;
}
