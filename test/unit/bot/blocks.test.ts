import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actions,
  type Block,
  button,
  confirmDialog,
  context,
  divider,
  escapeMrkdwn,
  fieldsSection,
  fitBlocks,
  header,
  joinLinesWithin,
  section,
  truncate,
  validateMessage,
} from '../../../src/bot/blocks/index.ts';

describe('escapeMrkdwn', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['<script>', '&lt;script&gt;'],
    ['<@U123> &amp;', '&lt;@U123&gt; &amp;amp;'],
    ['*bold* _it_ `code`', '*bold* _it_ `code`'],
  ])('%j → %j', (input, out) => expect(escapeMrkdwn(input)).toBe(out));
});

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['abcdefghijk', 10, 'abcdefghi…'],
    // a surrogate pair (😀 is 2 UTF-16 units) is never split
    ['abcdefgh😀xyz', 10, 'abcdefgh…'],
    // a ZWJ family emoji stays whole or goes whole
    ['ab👨‍👩‍👧z', 6, 'ab…'],
    // entities stay whole
    ['abcdef &amp; more', 10, 'abcdef …'],
    ['abcdefgh&lt;x', 11, 'abcdefgh…'],
    // Slack escapes stay whole
    ['hi <@U123456|someone> there', 12, 'hi …'],
    ['see <https://example.com/x|link>', 20, 'see …'],
    // a lone `<` that is not an escape is cut normally
    ['a < b and more text', 10, 'a < b and…'],
  ])('%j to %i → %j', (input, max, out) => {
    const t = truncate(input, max);
    expect(t).toBe(out);
    expect(t.length).toBeLessThanOrEqual(max);
  });

  it('closes an open code fence so the rest of the message is not swallowed', () => {
    const t = truncate(`Diff:\n\`\`\`\n${'+ route orders\n'.repeat(50)}\`\`\``, 100);
    expect(t.length).toBeLessThanOrEqual(100);
    expect(t.endsWith('…\n```')).toBe(true);
    expect(t.split('```').length % 2).toBe(1);
  });

  it('property: never longer than max, a prefix of the input (plus markers), no broken surrogates', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 2, max: 120 }),
        (s, max) => {
          const t = truncate(s, max);
          expect(t.length).toBeLessThanOrEqual(max);
          if (s.length <= max) expect(t).toBe(s);
          else expect(s.startsWith(t.replace(/…(\n```)?$/, ''))).toBe(true);
          expect(t).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
          expect(t).not.toMatch(/(^|[^\ud800-\udbff])[\udc00-\udfff]/);
        },
      ),
    );
  });
});

describe('joinLinesWithin', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `+ route r${i}`);
  it('keeps whole lines and says how many were left out', () => {
    const out = joinLinesWithin(lines, 60);
    expect(out.length).toBeLessThanOrEqual(60);
    const shownLines = out.split('\n');
    const note = shownLines.pop()!;
    expect(note).toBe(`…and ${30 - shownLines.length} more`);
    expect(shownLines).toEqual(lines.slice(0, shownLines.length));
  });
  it('returns everything when it fits', () => expect(joinLinesWithin(['a', 'b'], 10)).toBe('a\nb'));
  it('cuts an over-long first line rather than showing nothing', () => {
    const out = joinLinesWithin(['x'.repeat(100), 'y'], 40);
    expect(out).toMatch(/^x+…\n…and 1 more$/);
    expect(out.length).toBeLessThanOrEqual(40);
  });
});

describe('builders truncate to Slack limits and pass the validator', () => {
  const long = (n: number) => 'x'.repeat(n);
  /** [name, block, check, problems the validator still reports (whole-message size only)] */
  const cases: [string, Block, (b: Block) => void, string[]?][] = [
    [
      'header 150',
      header(long(500)),
      (b) => expect((b as { text: { text: string } }).text.text).toHaveLength(150),
    ],
    ['section text 3000', section(long(5000)), (b) => expect(JSON.stringify(b)).toContain(`${long(2999)}…`)],
    [
      'section fields ≤10 × 2000',
      fieldsSection(Array.from({ length: 14 }, () => long(2500))),
      (b) => {
        const fields = (b as { fields: { text: string }[] }).fields;
        expect(fields).toHaveLength(10);
        for (const f of fields) expect(f.text).toHaveLength(2000);
      },
      // each field is within its limit, but 10 × 2000 is past the ~12k whole-message cap
      ['msg_blocks_too_long'],
    ],
    [
      'context ≤10 elements',
      context(Array.from({ length: 12 }, (_, i) => `e${i}`)),
      (b) => expect((b as { elements: unknown[] }).elements).toHaveLength(10),
    ],
    [
      'button text 75, value 2000, ids 255; confirm 100/300/30/30',
      actions(
        [
          button({
            text: long(100),
            actionId: long(300),
            value: long(3000),
            style: 'danger',
            confirm: confirmDialog({ title: long(200), text: long(400), confirm: long(40), deny: long(40) }),
          }),
        ],
        long(300),
      ),
      (b) => {
        const a = b as unknown as {
          block_id: string;
          elements: {
            text: { text: string };
            action_id: string;
            value: string;
            confirm: Record<string, { text: string }>;
          }[];
        };
        const el = a.elements[0]!;
        expect(a.block_id).toHaveLength(255);
        expect(el.text.text).toHaveLength(75);
        expect(el.action_id).toHaveLength(255);
        expect(el.value).toHaveLength(2000);
        expect(el.confirm.title!.text).toHaveLength(100);
        expect(el.confirm.text!.text).toHaveLength(300);
        expect(el.confirm.confirm!.text).toHaveLength(30);
        expect(el.confirm.deny!.text).toHaveLength(30);
      },
    ],
    ['empty section text becomes a dash', section(''), (b) => expect(JSON.stringify(b)).toContain('"—"')],
    ['divider', divider(), (b) => expect(b).toEqual({ type: 'divider' })],
  ];
  it.each(cases)('%s', (_, block, check, remaining = []) => {
    check(block);
    expect(validateMessage({ text: 'fallback', blocks: [block] }).map((p) => p.code)).toEqual(remaining);
  });
});

describe('fitBlocks', () => {
  it('keeps at most 50 blocks, the last one saying how many were left out', () => {
    const blocks = Array.from({ length: 80 }, (_, i) => section(`line ${i}`));
    const fitted = fitBlocks(blocks);
    expect(fitted).toHaveLength(50);
    expect(JSON.stringify(fitted[49])).toContain('31 more not shown');
    expect(validateMessage({ text: 't', blocks: fitted })).toEqual([]);
  });

  it('keeps the total block text under ~12k characters', () => {
    const blocks = Array.from({ length: 10 }, () => section('y'.repeat(2900)));
    expect(validateMessage({ text: 't', blocks }).map((p) => p.code)).toContain('msg_blocks_too_long');
    const fitted = fitBlocks(blocks);
    expect(fitted.length).toBe(5);
    expect(validateMessage({ text: 't', blocks: fitted })).toEqual([]);
  });

  it('returns small messages unchanged', () => {
    const blocks = [header('h'), section('s')];
    expect(fitBlocks(blocks)).toEqual(blocks);
  });
});
