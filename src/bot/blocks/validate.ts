import { LIMITS } from './limits.ts';

/**
 * Checks a message payload (chat.postMessage / chat.update / chat.postEphemeral / response_url body)
 * against Slack's limits, listing every problem instead of stopping at the first. The fake Slack server
 * runs it on every payload; `code` is the error Slack answers for that kind of problem.
 */
export type ProblemCode =
  | 'invalid_blocks'
  | 'msg_blocks_too_long'
  | 'no_text'
  | 'msg_too_long'
  | 'invalid_attachments';

export interface MessageProblem {
  code: ProblemCode;
  /** Where, e.g. `blocks[3].fields[10]` or `attachments[0].blocks[2].text.text` */
  path: string;
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly problems: MessageProblem[] = [];
  blockText = 0;

  add(path: string, message: string, code: ProblemCode = 'invalid_blocks'): undefined {
    this.problems.push({ code, path, message });
  }

  maxLen(path: string, value: unknown, max: number, what: string): undefined {
    if (typeof value === 'string' && value.length > max)
      this.add(path, `${what} is ${value.length} characters (max ${max})`);
  }

  /** A text object: `{ type: plain_text|mrkdwn, text }`, 1..max characters. */
  text(path: string, value: unknown, max: number, only?: 'plain_text'): undefined {
    if (!isObj(value)) return this.add(path, 'text object missing');
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn')
      return this.add(`${path}.type`, `unknown text type ${String(value.type)}`);
    if (only && value.type !== only) this.add(`${path}.type`, `must be ${only}`);
    if (typeof value.text !== 'string' || value.text.length === 0)
      return this.add(`${path}.text`, 'text must be a non-empty string');
    this.blockText += value.text.length;
    this.maxLen(`${path}.text`, value.text, max, 'text');
  }

  confirm(path: string, value: unknown): undefined {
    if (!isObj(value)) return this.add(path, 'confirm must be an object');
    this.text(`${path}.title`, value.title, LIMITS.confirmTitle, 'plain_text');
    this.text(`${path}.text`, value.text, LIMITS.confirmText);
    this.text(`${path}.confirm`, value.confirm, LIMITS.confirmButton, 'plain_text');
    this.text(`${path}.deny`, value.deny, LIMITS.confirmButton, 'plain_text');
  }

  element(path: string, el: unknown, actionIds: Set<string>): undefined {
    if (!isObj(el)) return this.add(path, 'element must be an object');
    if (typeof el.action_id === 'string') {
      this.maxLen(`${path}.action_id`, el.action_id, LIMITS.actionId, 'action_id');
      if (actionIds.has(el.action_id)) this.add(`${path}.action_id`, `duplicate action_id ${el.action_id}`);
      actionIds.add(el.action_id);
    }
    if (el.confirm !== undefined) this.confirm(`${path}.confirm`, el.confirm);
    if (el.type !== 'button') return; // other interactive elements: only ids and confirm are checked
    this.text(`${path}.text`, el.text, LIMITS.buttonText, 'plain_text');
    this.maxLen(`${path}.value`, el.value, LIMITS.buttonValue, 'value');
    this.maxLen(`${path}.url`, el.url, LIMITS.buttonUrl, 'url');
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
      this.add(`${path}.style`, 'style must be primary or danger');
  }

  block(path: string, b: unknown, blockIds: Set<string>): undefined {
    if (!isObj(b)) return this.add(path, 'block must be an object');
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string') this.add(`${path}.block_id`, 'block_id must be a string');
      else {
        this.maxLen(`${path}.block_id`, b.block_id, LIMITS.blockId, 'block_id');
        if (blockIds.has(b.block_id)) this.add(`${path}.block_id`, `duplicate block_id ${b.block_id}`);
        blockIds.add(b.block_id);
      }
    }
    const actionIds = new Set<string>();
    switch (b.type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) this.add(path, 'section needs text or fields');
        if (b.text !== undefined) this.text(`${path}.text`, b.text, LIMITS.sectionText);
        if (b.fields !== undefined)
          this.list(`${path}.fields`, b.fields, LIMITS.sectionFields, (p, f) =>
            this.text(p, f, LIMITS.sectionFieldText),
          );
        if (b.accessory !== undefined) this.element(`${path}.accessory`, b.accessory, actionIds);
        return;
      case 'header':
        return this.text(`${path}.text`, b.text, LIMITS.headerText, 'plain_text');
      case 'context':
        return this.list(`${path}.elements`, b.elements, LIMITS.contextElements, (p, e) =>
          isObj(e) && e.type === 'image'
            ? this.maxLen(`${p}.alt_text`, e.alt_text, LIMITS.imageAltText, 'alt_text')
            : this.text(p, e, LIMITS.textObject),
        );
      case 'actions':
        return this.list(`${path}.elements`, b.elements, LIMITS.actionsElements, (p, e) =>
          this.element(p, e, actionIds),
        );
      case 'image':
        return this.maxLen(`${path}.alt_text`, b.alt_text, LIMITS.imageAltText, 'alt_text');
      case 'markdown':
        if (typeof b.text !== 'string' || b.text === '')
          return this.add(`${path}.text`, 'markdown block needs text');
        this.blockText += b.text.length;
        return this.maxLen(`${path}.text`, b.text, LIMITS.markdownBlockText, 'markdown text');
      case 'divider':
      case 'rich_text':
      case 'file':
      case 'video':
        return;
      default:
        this.add(`${path}.type`, `unknown block type ${String(b.type)}`);
    }
  }

  list(
    path: string,
    value: unknown,
    max: number,
    each: (path: string, item: unknown) => undefined,
  ): undefined {
    if (!Array.isArray(value) || value.length === 0) return this.add(path, 'must be a non-empty array');
    if (value.length > max) this.add(path, `${value.length} items (max ${max})`);
    for (const [i, item] of value.entries()) each(`${path}[${i}]`, item);
  }

  blocks(path: string, value: unknown): number {
    if (!Array.isArray(value)) {
      this.add(path, 'blocks must be an array');
      return 0;
    }
    const ids = new Set<string>();
    for (const [i, b] of value.entries()) this.block(`${path}[${i}]`, b, ids);
    return value.length;
  }
}

export function validateMessage(payload: unknown): MessageProblem[] {
  const c = new Checker();
  if (!isObj(payload)) {
    c.add('', 'payload must be an object', 'no_text');
    return c.problems;
  }
  let blockCount = 0;
  if (payload.blocks !== undefined) {
    blockCount = c.blocks('blocks', payload.blocks);
    if (blockCount > LIMITS.blocksPerMessage)
      c.add('blocks', `${blockCount} blocks (max ${LIMITS.blocksPerMessage})`);
  }
  if (payload.attachments !== undefined) {
    if (!Array.isArray(payload.attachments))
      c.add('attachments', 'attachments must be an array', 'invalid_attachments');
    else
      for (const [i, a] of payload.attachments.entries()) {
        if (isObj(a) && a.blocks !== undefined) blockCount += c.blocks(`attachments[${i}].blocks`, a.blocks);
      }
  }
  if (c.blockText > LIMITS.messageBlockText) {
    c.add(
      'blocks',
      `${c.blockText} characters of block text (Slack refuses about ${LIMITS.messageBlockText})`,
      'msg_blocks_too_long',
    );
  }
  const text = payload.text;
  if (text !== undefined && typeof text !== 'string') c.add('text', 'text must be a string', 'no_text');
  if (typeof text === 'string' && text.length > LIMITS.messageText)
    c.add('text', `text is ${text.length} characters (max ${LIMITS.messageText})`, 'msg_too_long');
  const hasText = typeof text === 'string' && text.trim() !== '';
  if (!hasText && blockCount === 0 && !Array.isArray(payload.attachments))
    c.add('text', 'a message needs text, blocks or attachments', 'no_text');
  return c.problems;
}

/** Total characters of text in a list of blocks, as `validateMessage` counts them. */
export function blockTextLength(blocks: readonly unknown[]): number {
  const c = new Checker();
  c.blocks('blocks', blocks);
  return c.blockText;
}
