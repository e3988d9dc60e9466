/** The message shape every view returns: fallback text for notifications plus blocks or a coloured card. */
import type { types } from '@slack/bolt';
import type { Block } from '../blocks/index.ts';

export interface SlackMessage {
  /** Notification and screen-reader fallback; Slack wants it even when blocks are given. */
  text: string;
  blocks?: Block[];
  /** One attachment carrying the status colour as its side bar, with the card's blocks inside. */
  attachments?: types.MessageAttachment[];
}

/**
 * A card whose colour bar shows the status (Slack renders `color` only on attachments). The first block
 * (the headline) is the message's own block: Slack shows a message's `text` above its attachments unless
 * the message has blocks, so without it every card would read its headline twice.
 */
export function colouredCard(text: string, color: string, blocks: Block[]): SlackMessage {
  const [headline, ...rest] = blocks;
  if (!headline || rest.length === 0) return { text, attachments: [{ color, fallback: text, blocks }] };
  return { text, blocks: [headline], attachments: [{ color, fallback: text, blocks: rest }] };
}
