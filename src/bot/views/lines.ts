/** Long lists as a few sections of whole lines, within Slack's 3000 characters per section. */
import { type Block, fitBlocks, LIMITS, section } from '../blocks/index.ts';

export function sectionsOfLines(lines: readonly string[], max = LIMITS.sectionText): Block[] {
  const out: Block[] = [];
  let current = '';
  for (const line of lines) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length > max && current !== '') {
      out.push(section(current));
      current = line;
    } else current = next;
  }
  if (current !== '') out.push(section(current));
  return out;
}

/** Header blocks, then the lines, then footer blocks, cut to fit a message. */
export function listMessage(head: Block[], lines: readonly string[], foot: Block[] = []): Block[] {
  const body = sectionsOfLines(lines);
  const fitted = fitBlocks([...head, ...body], { maxBlocks: 50 - foot.length, maxTextChars: 11_000 });
  return [...fitted, ...foot];
}
