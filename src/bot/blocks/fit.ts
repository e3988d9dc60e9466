import { type Block, context } from './builders.ts';
import { LIMITS } from './limits.ts';
import { blockTextLength } from './validate.ts';

export interface FitOptions {
  maxBlocks?: number;
  maxTextChars?: number;
  /** The note that replaces what was left out. */
  omitted?: (n: number) => string;
}

/**
 * Keeps a message within Slack's 50 blocks and ~12k characters of block text by dropping blocks from
 * the end and saying how many were left out. The leading blocks (header, summary) matter most, so the
 * cut is at the tail; the full content belongs in a file uploaded to the thread.
 */
export function fitBlocks(blocks: readonly Block[], options: FitOptions = {}): Block[] {
  const maxBlocks = options.maxBlocks ?? LIMITS.blocksPerMessage;
  const maxText = options.maxTextChars ?? LIMITS.messageBlockText;
  const omitted = options.omitted ?? ((n: number) => `…${n} more not shown here`);
  if (blocks.length <= maxBlocks && blockTextLength(blocks) <= maxText) return [...blocks];
  let keep = Math.min(blocks.length, maxBlocks - 1);
  const fits = (n: number) =>
    blockTextLength([...blocks.slice(0, n), context([omitted(blocks.length - n)])]) <= maxText;
  while (keep > 0 && !fits(keep)) keep--;
  return [...blocks.slice(0, keep), context([omitted(blocks.length - keep)])];
}
