import { describe, expect, it } from 'vitest';
import { type ProblemCode, validateMessage } from '../../../src/bot/blocks/index.ts';

const x = (n: number) => 'x'.repeat(n);
const md = (text: string) => ({ type: 'mrkdwn', text });
const pt = (text: string) => ({ type: 'plain_text', text });
const btn = (extra: Record<string, unknown> = {}) => ({
  type: 'button',
  text: pt('Go'),
  action_id: 'go',
  ...extra,
});

/** [name, payload, expected problems as `code path`] */
const CASES: [string, unknown, string[]][] = [
  ['plain text message', { text: 'hello' }, []],
  ['blocks with fallback text', { text: 'hi', blocks: [{ type: 'section', text: md('hi') }] }, []],
  ['blocks without text are fine (Slack only warns)', { blocks: [{ type: 'divider' }] }, []],
  [
    'attachments with colour and blocks',
    { attachments: [{ color: '#2eb67d', blocks: [{ type: 'section', text: md('ok') }] }] },
    [],
  ],
  ['nothing to show', { channel: 'C1' }, ['no_text text']],
  ['blank text only', { text: '   ' }, ['no_text text']],
  ['not an object', 'hello', ['no_text ']],
  ['text over 40k', { text: x(40_001) }, ['msg_too_long text']],
  ['blocks not an array', { text: 't', blocks: '[]' }, ['invalid_blocks blocks']],
  [
    '51 blocks',
    { text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) },
    ['invalid_blocks blocks'],
  ],
  [
    'section text 3001',
    { text: 't', blocks: [{ type: 'section', text: md(x(3001)) }] },
    ['invalid_blocks blocks[0].text.text'],
  ],
  [
    'section text empty',
    { text: 't', blocks: [{ type: 'section', text: md('') }] },
    ['invalid_blocks blocks[0].text.text'],
  ],
  [
    'section without text or fields',
    { text: 't', blocks: [{ type: 'section' }] },
    ['invalid_blocks blocks[0]'],
  ],
  [
    '11 fields',
    { text: 't', blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => md('f')) }] },
    ['invalid_blocks blocks[0].fields'],
  ],
  [
    'field 2001',
    { text: 't', blocks: [{ type: 'section', fields: [md(x(2001))] }] },
    ['invalid_blocks blocks[0].fields[0].text'],
  ],
  [
    'unknown text type',
    { text: 't', blocks: [{ type: 'section', text: { type: 'html', text: 'x' } }] },
    ['invalid_blocks blocks[0].text.type'],
  ],
  [
    'header 151',
    { text: 't', blocks: [{ type: 'header', text: pt(x(151)) }] },
    ['invalid_blocks blocks[0].text.text'],
  ],
  [
    'header in mrkdwn',
    { text: 't', blocks: [{ type: 'header', text: md('h') }] },
    ['invalid_blocks blocks[0].text.type'],
  ],
  [
    'context 11 elements',
    { text: 't', blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => md('c')) }] },
    ['invalid_blocks blocks[0].elements'],
  ],
  [
    'context empty',
    { text: 't', blocks: [{ type: 'context', elements: [] }] },
    ['invalid_blocks blocks[0].elements'],
  ],
  [
    'actions 26 elements',
    {
      text: 't',
      blocks: [
        { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => btn({ action_id: `a${i}` })) },
      ],
    },
    ['invalid_blocks blocks[0].elements'],
  ],
  [
    'button text 76',
    { text: 't', blocks: [{ type: 'actions', elements: [btn({ text: pt(x(76)) })] }] },
    ['invalid_blocks blocks[0].elements[0].text.text'],
  ],
  [
    'button value 2001',
    { text: 't', blocks: [{ type: 'actions', elements: [btn({ value: x(2001) })] }] },
    ['invalid_blocks blocks[0].elements[0].value'],
  ],
  [
    'button bad style',
    { text: 't', blocks: [{ type: 'actions', elements: [btn({ style: 'red' })] }] },
    ['invalid_blocks blocks[0].elements[0].style'],
  ],
  [
    'action_id 256',
    { text: 't', blocks: [{ type: 'actions', elements: [btn({ action_id: x(256) })] }] },
    ['invalid_blocks blocks[0].elements[0].action_id'],
  ],
  [
    'duplicate action_id in a block',
    { text: 't', blocks: [{ type: 'actions', elements: [btn(), btn()] }] },
    ['invalid_blocks blocks[0].elements[1].action_id'],
  ],
  [
    'block_id 256',
    { text: 't', blocks: [{ type: 'divider', block_id: x(256) }] },
    ['invalid_blocks blocks[0].block_id'],
  ],
  [
    'duplicate block_id',
    {
      text: 't',
      blocks: [
        { type: 'divider', block_id: 'a' },
        { type: 'divider', block_id: 'a' },
      ],
    },
    ['invalid_blocks blocks[1].block_id'],
  ],
  [
    'confirm limits 100/300/30/30',
    {
      text: 't',
      blocks: [
        {
          type: 'actions',
          elements: [
            btn({ confirm: { title: pt(x(101)), text: md(x(301)), confirm: pt(x(31)), deny: pt(x(31)) } }),
          ],
        },
      ],
    },
    [
      'invalid_blocks blocks[0].elements[0].confirm.title.text',
      'invalid_blocks blocks[0].elements[0].confirm.text.text',
      'invalid_blocks blocks[0].elements[0].confirm.confirm.text',
      'invalid_blocks blocks[0].elements[0].confirm.deny.text',
    ],
  ],
  ['unknown block type', { text: 't', blocks: [{ type: 'carousel' }] }, ['invalid_blocks blocks[0].type']],
  [
    'markdown block 12001',
    { text: 't', blocks: [{ type: 'markdown', text: x(12_001) }] },
    ['invalid_blocks blocks[0].text', 'msg_blocks_too_long blocks'],
  ],
  [
    'cumulative block text over ~12k',
    { text: 't', blocks: Array.from({ length: 5 }, () => ({ type: 'section', text: md(x(2500)) })) },
    ['msg_blocks_too_long blocks'],
  ],
  [
    'problems inside attachments are found too',
    { attachments: [{ color: '#e01e5a', blocks: [{ type: 'header', text: pt(x(200)) }] }] },
    ['invalid_blocks attachments[0].blocks[0].text.text'],
  ],
  ['attachments not an array', { text: 't', attachments: {} }, ['invalid_attachments attachments']],
];

describe('validateMessage', () => {
  it.each(CASES)('%s', (_, payload, expected) => {
    const problems = validateMessage(payload);
    expect(problems.map((p) => `${p.code} ${p.path}`)).toEqual(expected);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(0);
  });

  it('lists every problem of a payload, not just the first', () => {
    const codes: ProblemCode[] = validateMessage({
      text: x(40_001),
      blocks: [{ type: 'header', text: pt(x(151)) }, { type: 'nope' }],
    }).map((p) => p.code);
    expect(codes).toEqual(['invalid_blocks', 'invalid_blocks', 'msg_too_long']);
  });
});
