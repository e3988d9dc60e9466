import type { types } from '@slack/bolt';
import { LIMITS } from './limits.ts';
import { truncate } from './text.ts';

/**
 * Block Kit builders that cannot produce a block Slack rejects for length: every string is cut to its
 * limit (see limits.ts) and every list to its maximum count. Text passed as mrkdwn is used as given, so
 * callers escape user-supplied parts with `escapeMrkdwn` first.
 */

export type Block = types.KnownBlock;
export type ButtonElement = types.Button;
export type ConfirmDialog = types.ConfirmationDialog;

/** Slack refuses empty text (minimum length 1); an em dash reads as "nothing here". */
const nonEmpty = (text: string): string => (text.trim() === '' ? '—' : text);

export function plainText(text: string, max: number = LIMITS.textObject): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(nonEmpty(text), max), emoji: true };
}

export function mrkdwn(text: string, max: number = LIMITS.textObject): types.MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(nonEmpty(text), max) };
}

const withBlockId = <T extends object>(block: T, blockId?: string): T =>
  blockId === undefined ? block : { ...block, block_id: truncate(blockId, LIMITS.blockId, '') };

export function header(text: string, blockId?: string): types.HeaderBlock {
  return withBlockId({ type: 'header', text: plainText(text, LIMITS.headerText) }, blockId);
}

export interface SectionOptions {
  fields?: readonly string[];
  accessory?: ButtonElement;
  blockId?: string;
}

/** A mrkdwn section; `fields` beyond the tenth are dropped (Slack's maximum), each cut to 2000. */
export function section(text: string | undefined, options: SectionOptions = {}): types.SectionBlock {
  const block: types.SectionBlock = { type: 'section' };
  if (text !== undefined) block.text = mrkdwn(text, LIMITS.sectionText);
  if (options.fields?.length) {
    block.fields = options.fields
      .slice(0, LIMITS.sectionFields)
      .map((f) => mrkdwn(f, LIMITS.sectionFieldText));
  }
  if (text === undefined && !block.fields) block.text = mrkdwn('', LIMITS.sectionText);
  if (options.accessory) block.accessory = options.accessory;
  return withBlockId(block, options.blockId);
}

/** A section of two-column fields only (`*Label*\nvalue` pairs read best). */
export function fieldsSection(fields: readonly string[], blockId?: string): types.SectionBlock {
  return section(undefined, blockId === undefined ? { fields } : { fields, blockId });
}

/** Small grey text; at most 10 elements (the rest are dropped). */
export function context(elements: readonly string[], blockId?: string): types.ContextBlock {
  const texts = (elements.length ? elements : ['']).slice(0, LIMITS.contextElements);
  return withBlockId({ type: 'context', elements: texts.map((t) => mrkdwn(t, LIMITS.textObject)) }, blockId);
}

export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

export function actions(elements: readonly ButtonElement[], blockId?: string): types.ActionsBlock {
  return withBlockId({ type: 'actions', elements: elements.slice(0, LIMITS.actionsElements) }, blockId);
}

export interface ButtonOptions {
  text: string;
  actionId: string;
  /** Opaque id only: the value is visible to and replayable by the user, so it carries no authority. */
  value?: string;
  style?: 'primary' | 'danger';
  url?: string;
  confirm?: ConfirmDialog;
}

export function button(o: ButtonOptions): ButtonElement {
  const b: ButtonElement = {
    type: 'button',
    text: plainText(o.text, LIMITS.buttonText),
    action_id: truncate(o.actionId, LIMITS.actionId, ''),
  };
  if (o.value !== undefined) b.value = truncate(o.value, LIMITS.buttonValue, '');
  if (o.style) b.style = o.style;
  if (o.url !== undefined) b.url = truncate(o.url, LIMITS.buttonUrl, '');
  if (o.confirm) b.confirm = o.confirm;
  return b;
}

export interface ConfirmOptions {
  title: string;
  text: string;
  confirm: string;
  deny: string;
  style?: 'primary' | 'danger';
}

export function confirmDialog(o: ConfirmOptions): ConfirmDialog {
  const dialog: ConfirmDialog = {
    title: plainText(o.title, LIMITS.confirmTitle),
    text: mrkdwn(o.text, LIMITS.confirmText),
    confirm: plainText(o.confirm, LIMITS.confirmButton),
    deny: plainText(o.deny, LIMITS.confirmButton),
  };
  if (o.style) dialog.style = o.style;
  return dialog;
}
