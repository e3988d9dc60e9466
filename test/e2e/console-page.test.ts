// biome-ignore-all lint/performance/useDomNodeTextContent: Locator.innerText is playwright's (text as the page shows it), not the DOM property
/**
 * The console's page in headless Chromium, fed through the Slack Web API as a bot would feed it (a real
 * @slack/web-api WebClient against the console, no bot behind it): every Block Kit element the page
 * draws, mrkdwn, attachments' colour bars, threads, ephemerals for their person only, uploaded files,
 * confirm dialogs, the composer's grammar hints and history, and a payload Slack would refuse shown as
 * an error. One console and one browser for the file.
 */
import { webApi } from '@slack/bolt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actions,
  button,
  confirmDialog,
  context,
  divider,
  fieldsSection,
  header,
  section,
} from '../../src/bot/blocks/index.ts';
import { type SlackConsole, startConsole } from '../../src/console/index.ts';
import { launchChromium } from './browser.ts';

const PEOPLE = [
  { id: 'U0OLIVIA', name: 'olivia', role: 'operator on prod' },
  { id: 'U0VERA', name: 'vera', role: 'viewer on prod' },
];

let console_: SlackConsole;
let browser: Browser;
let page: Page;
let client: InstanceType<typeof webApi.WebClient>;
const channel = 'C0SNAPGATE';

beforeAll(async () => {
  [console_, browser] = await Promise.all([
    startConsole({ signingSecret: 's', token: 'xoxb-page-test', people: PEOPLE }),
    launchChromium(),
  ]);
  client = new webApi.WebClient('xoxb-page-test', {
    slackApiUrl: console_.apiUrl,
    retryConfig: { retries: 0 },
  });
  page = await browser.newPage();
  await page.goto(console_.url);
  await page.locator('#live.on').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await console_?.close();
});

const msg = (text: RegExp) => page.locator('#messages .msg').filter({ hasText: text }).last();

describe('the console page draws what Slack would', () => {
  it('header, fields, context, divider, buttons with style and confirm, mrkdwn, a colour bar, live', async () => {
    await client.chat.postMessage({
      channel,
      text: 'Card: fallback only',
      blocks: [header('Backup of prod')],
      attachments: [
        {
          color: '#2eb67d',
          blocks: [
            section('*Bold* and `code` and <https://example.com|a link> for <@U0OLIVIA> :white_check_mark:'),
            fieldsSection(['*Connection*\n`prod`', '*Type*\nmanual']),
            divider(),
            context(['small print &lt;tag&gt;']),
            actions([
              button({
                text: 'Approve',
                actionId: 'approve',
                value: 'r-1',
                style: 'primary',
                confirm: confirmDialog({
                  title: 'Approve this?',
                  text: 'Really *restore*?',
                  confirm: 'Yes',
                  deny: 'No',
                }),
              }),
              button({ text: 'Reject', actionId: 'reject', value: 'r-1', style: 'danger' }),
            ]),
          ],
        },
      ],
    });
    const card = msg(/Backup of prod/);
    await card.waitFor();
    expect(await card.locator('.block-header').innerText()).toBe('Backup of prod');
    // a message with blocks does not show its fallback text
    expect(await card.innerText()).not.toContain('fallback only');
    expect(await card.locator('b', { hasText: 'Bold' }).count()).toBe(1);
    expect(await card.locator('code', { hasText: 'code' }).count()).toBe(1);
    expect(await card.locator('a[href="https://example.com"]').innerText()).toBe('a link');
    expect(await card.locator('.mention').first().innerText()).toBe('@olivia');
    expect(await card.innerText()).toContain('✅');
    expect(await card.locator('.fields .text').count()).toBe(2);
    expect(await card.locator('hr.divider').count()).toBe(1);
    expect(await card.locator('.block-context').innerText()).toBe('small print <tag>');
    expect(await card.locator('.attachment .bar').getAttribute('style')).toContain('#2eb67d');
    expect(await card.locator('button.btn.primary').innerText()).toBe('Approve');
    expect(await card.locator('button.btn.danger').innerText()).toBe('Reject');

    // the confirm dialog reads as Slack's, and No sends nothing
    await card.locator('button.btn.primary').click();
    await expect(page.locator('#confirm-title').innerText()).resolves.toBe('Approve this?');
    expect(await page.locator('#confirm-text b').innerText()).toBe('restore');
    await page.click('#confirm-deny');
    expect(await page.locator('dialog#confirm').isVisible()).toBe(false);

    // edited in place
    const ts = (await card.getAttribute('data-ts'))!;
    await client.chat.update({ channel, ts, text: 'x', blocks: [header('Backup of prod: done')] });
    await expect
      .poll(() =>
        msg(/Backup of prod/)
          .locator('.block-header')
          .innerText(),
      )
      .toBe('Backup of prod: done');
    expect(await page.locator('#messages .msg').count()).toBe(1);
  });

  it('threads in the side panel, files open in the page, ephemerals only for their person', async () => {
    const root = await client.chat.postMessage({ channel, text: 'Root of a thread' });
    await client.chat.postMessage({ channel, thread_ts: root.ts!, text: 'a reply in the thread' });
    await client.filesUploadV2({
      channel_id: channel,
      thread_ts: root.ts!,
      content: '+ route orders\n- consumer rogue\n',
      filename: 'plan.txt',
      title: 'Restore plan',
    });
    await client.chat.postEphemeral({ channel, user: 'U0VERA', text: 'Only for vera' });
    const rootMsg = msg(/Root of a thread/);
    await rootMsg.locator('button.replies', { hasText: '2 replies' }).click();
    await expect(page.locator('#thread-messages').innerText()).resolves.toContain('a reply in the thread');
    expect(await page.locator('#messages').innerText()).not.toContain('a reply in the thread');
    await page.locator('#thread .filechip').click();
    await expect
      .poll(() => page.locator('#file-content').innerText())
      .toMatch(/^\+ route orders\n- consumer rogue\n?$/);
    await page.click('#file button[value="close"]');
    await page.click('#thread-close');

    await expect.poll(() => page.locator('.msg.ephemeral').count()).toBe(0);
    await page.selectOption('#user', 'U0VERA');
    await expect(page.locator('.msg.ephemeral').innerText()).resolves.toMatch(
      /Only visible to you[\s\S]*Only for vera/,
    );
    await page.selectOption('#user', 'U0OLIVIA');
    await expect.poll(() => page.locator('.msg.ephemeral').count()).toBe(0);
  });

  it('the composer hints the grammar and keeps a history', async () => {
    await page.click('#command');
    await page.fill('#command', '/kong back');
    await expect(page.locator('#hints').innerText()).resolves.toMatch(
      /\/kong backup <connection>[\s\S]*\/kong backups/,
    );
    await page.fill('#command', '/kong connections');
    await page.press('#command', 'Enter'); // no bot connected: the page says so
    await page.locator('.notice.error', { hasText: 'not connected' }).waitFor();
    await page.press('#command', 'ArrowUp');
    expect(await page.inputValue('#command')).toBe('/kong connections');
  });

  it('a payload Slack would refuse is refused and shown as an error', async () => {
    // raw blocks: the builders would fit the text to the limit
    const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }];
    await expect(client.chat.postMessage({ channel, text: 't', blocks: tooLong })).rejects.toThrow(
      /invalid_blocks/,
    );
    await expect(page.locator('.notice.error', { hasText: '3001' }).innerText()).resolves.toMatch(
      /chat.postMessage: .*3001 characters/,
    );
    console_.slack.problems.length = 0;
  });
});
