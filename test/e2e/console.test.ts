// biome-ignore-all lint/performance/useDomNodeTextContent: Locator.innerText is playwright's (text as the page shows it), not the DOM property
/**
 * The console in a real headless Chromium, driving the real bot started by `npm start` (kong-sim with the
 * sample gateway, Redis, `snapgate serve` with workers, the console): everything a person does here goes
 * through the page — typing `/kong …`, clicking buttons and their confirm dialogs, switching person,
 * breaking the gateway in the side panel. One `npm start` and one browser for the whole file; the steps
 * build on each other (the restore uses the backup taken first).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { npmStart, type Started } from './npm-start.ts';

let started: Started;
let browser: Browser;
let page: Page;
let backupId = '';

const WAIT = { timeout: 60_000 };

/** from spawning `npm start` to the page showing it is live (the browser starts meanwhile) */
let usableMs = 0;

beforeAll(async () => {
  const t0 = performance.now();
  [started, browser] = await Promise.all([
    npmStart(['--port', '0', '--gateway-latency-ms', '1500']),
    launchChromium(),
  ]);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Every text a channel message showed, in order: cards are edited in place, so the states a card went
  // through are only seen by watching it.
  await page.addInitScript({
    content: `
      const seen = (window.seen = []);
      new MutationObserver(() => {
        for (const m of document.querySelectorAll('#messages .msg:not(.ephemeral)')) {
          const t = m.innerText;
          if (!seen.includes(t)) seen.push(t);
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });`,
  });
  await page.goto(started.url);
  await page.locator('#live.on').waitFor(WAIT);
  usableMs = performance.now() - t0;
}, 90_000);

afterAll(async () => {
  if (process.env.E2E_DEBUG) console.log(started?.output.join('\n'));
  await browser?.close();
  if (started) {
    const code = await started.stop();
    expect(code).toBe(0);
  }
});

async function as(name: 'olivia' | 'adam' | 'vera'): Promise<void> {
  const option = page.locator('#user option', { hasText: name });
  await page.selectOption('#user', (await option.getAttribute('value'))!);
}

async function kong(text: string): Promise<void> {
  await page.fill('#command', `/kong ${text}`);
  await page.press('#command', 'Enter');
}

/** The newest channel message (not an ephemeral) whose text matches. */
function card(text: RegExp): Locator {
  return page.locator('#messages .msg:not(.ephemeral)').filter({ hasText: text }).last();
}

function ephemeral(text: RegExp): Locator {
  return page.locator('.msg.ephemeral').filter({ hasText: text }).last();
}

async function clickConfirmed(button: Locator): Promise<void> {
  await button.click();
  const dialog = page.locator('dialog#confirm');
  await dialog.waitFor();
  await dialog.locator('#confirm-ok').click();
}

const seen = () => page.evaluate('window.seen') as Promise<string[]>;

describe('the console drives the real bot in Chromium', () => {
  it('npm start reaches a usable page in under 30 s', () => {
    if (process.env.E2E_DEBUG)
      console.log(
        `npm start: ready ${started.spawnToReadyMs.toFixed(0)} ms after spawn, page live at ${usableMs.toFixed(0)} ms`,
      );
    expect(started.spawnToReadyMs).toBeLessThan(30_000);
    expect(usableMs).toBeLessThan(30_000);
  });

  it('an operator backs up: the card goes pending → running → completed with counts', async () => {
    await as('olivia');
    await kong('backup prod');
    const done = card(/Completed.*backup of/);
    await done.waitFor(WAIT);
    const states = (await seen())
      .filter((t) => /backup of/.test(t))
      .map((t) => /(Pending|Running|Completed)/.exec(t)?.[1]);
    expect(states.indexOf('Completed')).toBeGreaterThan(0);
    expect(states.slice(0, states.indexOf('Completed'))).toEqual(expect.arrayContaining(['Running']));
    expect(states[0]).toMatch(/Pending|Running/);
    const text = await done.innerText();
    expect(text).toMatch(/28 entities \(7 plugins, 5 routes/);
    backupId = /Backup id\s+([0-9a-f-]{36})/.exec(text)![1]!;
    // the queued answer is for the operator only
    await expect(ephemeral(/queued/).innerText()).resolves.toMatch(/Backup .* of prod queued/);
    await as('vera');
    await expect.poll(() => page.locator('.msg.ephemeral').count()).toBe(0);
    await as('olivia');
    // the thread carries the result with the counts per kind
    await done.locator('button.replies').click();
    await expect(page.locator('#thread-messages').innerText()).resolves.toMatch(/services: 3[\s\S]*/);
    await page.click('#thread-close');
  });

  it("the viewer's backup is refused, only to her, and nothing is queued", async () => {
    const cards = await page.locator('#messages .msg:not(.ephemeral)').count();
    await as('vera');
    await kong('backup prod');
    const refusal = ephemeral(/operator/);
    await refusal.waitFor(WAIT);
    expect(await refusal.innerText()).toMatch(/Only visible to you/);
    expect(await page.locator('#messages .msg:not(.ephemeral)').count()).toBe(cards);
  });

  it('break the gateway → a restore plan with its diff → the requester cannot approve → the approver does → zero drift', async () => {
    const total = page.locator('#gateway-total');
    await expect.poll(() => total.innerText(), WAIT).toBe('28');
    await page.click('button[data-break="delete-route"]');
    await expect.poll(() => total.innerText(), WAIT).toBe('27');
    await page.click('button[data-break="add-consumer"]');
    await expect.poll(() => total.innerText(), WAIT).toBe('28');

    await as('olivia');
    await kong(`restore prod ${backupId} --reason "e2e drill"`);
    const plan = card(/Awaiting approval.*restore of/);
    await plan.waitFor(WAIT);
    const planText = await plan.innerText();
    expect(planText).toMatch(/2 changes: 1 create, 0 update, 1 delete/);
    expect(planText).toMatch(/create route catalog-items/);
    expect(planText).toMatch(/delete consumer rogue-/);

    // the requester's own Approve is refused (after the confirm dialog Slack shows)
    await clickConfirmed(plan.getByRole('button', { name: 'Approve' }));
    await expect(ephemeral(/yourself/).innerText()).resolves.toMatch(
      /You asked for the restore of prod, so you cannot approve it yourself: a second person must/,
    );
    expect(await card(/restore of/).innerText()).toMatch(/Awaiting approval/);

    await as('adam');
    await clickConfirmed(card(/Awaiting approval.*restore of/).getByRole('button', { name: 'Approve' }));
    // mid-restore: the card shows the run's progress, the thread the plan file and the pre-restore backup
    const running = card(/Restoring.*restore of/);
    await running.waitFor(WAIT);
    await running.locator('button.replies').click();
    await page.locator('#thread .filechip').waitFor(WAIT);
    await page.locator('#thread-messages').getByText('Pre-restore backup').waitFor(WAIT);
    if (process.env.E2E_SCREENSHOT) await page.screenshot({ path: process.env.E2E_SCREENSHOT });
    // the uploaded plan opens in the page: the full diff, secrets masked
    await page.locator('#thread .filechip').first().click();
    await expect.poll(() => page.locator('#file-content').innerText(), WAIT).toMatch(/catalog-items/);
    expect(await page.locator('#file-content').innerText()).toMatch(/rogue-/);
    await page.click('#file button[value="close"]');
    await page.click('#thread-close');
    await card(/Completed.*restore of/).waitFor({ timeout: 90_000 });
    expect(await card(/Completed.*restore of/).innerText()).toMatch(/The restore made 2 changes/);
    await expect.poll(() => total.innerText(), WAIT).toBe('28');

    // zero drift: the backup and the live gateway agree again
    await kong(`diff prod ${backupId}`);
    await card(/No differences/).waitFor(WAIT);
  }, 180_000);

  it('no payload the bot sent broke a Block Kit limit or went unanswered', async () => {
    expect(await page.locator('.notice.error').allInnerTexts()).toEqual([]);
  });
});
