/**
 * The local workspace page in a real headless Chromium: one person walks a contract through
 * both approvals by switching between the seller, the legal and the finance approver.
 * Screenshots of each step go to test-results/ (gitignored); the Bulgarian run's as workspace-bg-*.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';
import { LOCAL_BOT_TOKEN, startLocalWorkspace, type LocalWorkspace } from '../src/workspace/server.ts';
import { WORDS } from '../src/workspace/page/words.js';
import { englishIn, englishPhrases } from './helpers/bulgarian.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-results');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) {
  process.stderr.write(`browser.test.ts: skipped, no Chromium at ${CHROMIUM} (apt-get install -y chromium; CI installs it)\n`);
}

let dir: string;
let ws: LocalWorkspace;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(150); // let the last render and fonts settle
  await page.screenshot({ path: join(SHOTS, `workspace-${name}.png`) });
}

async function switchTo(name: string): Promise<void> {
  await page.click('#who');
  await page.click(`#people li:has-text("${name}")`);
  await expect.poll(() => page.textContent('#who')).toContain(name);
}

async function openChannel(name: string): Promise<void> {
  await page.click(`#nav a:has(.label:text-is("${name}"))`);
  await expect.poll(() => page.textContent('#conv-title')).toContain(name);
}

async function type(text: string): Promise<void> {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

/** A second page, as another person might open it: its own locale, size and user. */
async function openPage(opts: { user: string; conv: string; width?: number; locale?: string }): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: opts.width ?? 1280, height: 860 }, locale: opts.locale ?? 'en-GB', timezoneId: 'Europe/Sofia' });
  p.setDefaultTimeout(10_000);
  p.on('pageerror', (e) => pageErrors.push(e.message));
  await p.goto(`http://127.0.0.1:${ws.port}/?user=${opts.user}#${opts.conv}`);
  await p.locator('#conv-title').filter({ hasText: /\S/ }).waitFor();
  return p;
}

/** Runs `fn` on a page of its own (see openPage), closed afterwards. */
async function withPage(opts: Parameters<typeof openPage>[0], fn: (p: Page) => Promise<void>): Promise<void> {
  const p = await openPage(opts);
  try {
    await fn(p);
  } finally {
    await p.close();
  }
}

/** The bot posts `message` to `channel` through the Slack stand-in's Web API, as dealdesk's jobs do. */
async function botPosts(channel: string, message: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${ws.emu.apiUrl}chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${LOCAL_BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ channel, ...message }) });
  const body = (await res.json()) as { ok: boolean; ts: string };
  expect(body.ok).toBe(true);
  return body.ts;
}

let approved: number | undefined;

const request = (id: number) => page.locator('#messages .msg', { has: page.locator(`.bk-header:has-text("Contract #${id} ")`) });

describe.skipIf(!haveChromium && !process.env.CI)('the local workspace in a browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'dealdesk-browser-'));
    ws = await startLocalWorkspace({
      port: 0,
      demo: false,
      databasePath: join(dir, 'dealdesk.db'),
      env: { LOG_LEVEL: 'warn', DEALDESK_TZ: 'Europe/Sofia' },
      logger: createLogger('warn', [], () => undefined),
      outbox: { perChannelMs: 20, pollMs: 100 },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Sofia' });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await ws?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds a client, submits a contract, and both approvers approve it', async () => {
    await page.goto(`http://127.0.0.1:${ws.port}/?user=U0SELLER#C0SALES`);
    await expect.poll(() => page.textContent('#who')).toContain('Maria Petrova');
    await expect.poll(() => page.textContent('#messages')).toContain('This is the very beginning of #sales');
    await shot('01-empty-sales');

    // The composer offers the commands.
    await page.fill('#input', '/c');
    await page.waitForSelector('#hints li.hint');
    expect(await page.locator('#hints li.hint .h-cmd').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('/client'), expect.stringContaining('/contract')]));
    await shot('02-command-hints');

    await type('/client add Globex Bulgaria contact:ivan@globex.bg');
    const added = page.locator('#messages .msg.ephemeral', { hasText: 'Added client' });
    await added.waitFor();
    expect(await added.textContent()).toContain('Only visible to you');
    expect(await added.locator('.bk-header').textContent()).toMatch(/Globex Bulgaria\s+#1/);
    expect(await added.locator('.bk-btn').allTextContents()).toEqual(['Advance to qualified', 'Mark lost', 'History']);
    await shot('03-client-added');

    // Missing terms: the bot opens its form, prefilled with what was typed.
    await type('/contract new Globex Bulgaria amount:12500 EUR');
    const modal = page.locator('#modal-root .modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('New contract');
    expect(await modal.locator('[data-block-id="contract.client"] input').inputValue()).toBe('Globex Bulgaria');
    await modal.locator('[data-block-id="contract.subject"] input').fill('Steel beams for the Lozenets site, 40 t');
    await modal.locator('[data-block-id="contract.amount"] input').fill('twelve thousand');
    await modal.locator('[data-block-id="contract.net_days"] input').fill('30');
    await modal.locator('[data-block-id="contract.kind"] select').selectOption('goods');
    await modal.locator('[data-block-id="contract.settlement"] textarea').fill('Bank transfer against invoice.\n30% advance on order.');
    await modal.locator('button[data-role=submit]').click();
    // response_action: errors — shown under the field.
    const amountError = modal.locator('[data-block-id="contract.amount"] .bk-error');
    await amountError.waitFor();
    expect(await amountError.textContent()).toContain('A number such as 12500');
    await shot('04-modal-validation-error');

    await modal.locator('[data-block-id="contract.amount"] input').fill('12500');
    await modal.locator('button[data-role=submit]').click();
    // response_action: update — the same modal now shows the confirmation.
    await expect.poll(() => modal.locator('.modal-title').textContent()).toMatch(/^Contract #\d+$/);
    const id = Number(/#(\d+)/.exec((await modal.locator('.modal-title').textContent()) ?? '')![1]);
    approved = id;
    expect(await modal.locator('.modal-body').textContent()).toContain('submitted to legal and finance');
    await shot('05-modal-updated');
    await modal.locator('button[data-role=close]').click();
    await modal.waitFor({ state: 'detached' });

    // Lea, legal.
    await switchTo('Lea Ivanova');
    await openChannel('legal');
    const legal = request(id);
    await legal.locator('button.bk-btn:has-text("Approve")').waitFor();
    await shot('06-legal-request');
    await legal.locator('button.bk-btn:has-text("Approve")').click();
    await legal.locator('.replies-link').waitFor();
    await legal.locator('.replies-link').click();
    await expect.poll(() => page.textContent('#thread-body')).toContain('approved version 1 for legal');
    await shot('07-legal-approved-thread');

    // Filip, finance.
    await switchTo('Filip Georgiev');
    await openChannel('finance');
    const finance = request(id);
    await finance.locator('button.bk-btn:has-text("Approve")').click();
    // Beyond the loyalty policy, finance confirms each exception in a form first.
    const decided = finance.locator('text=ready to sign');
    const form = page.locator('#modal-root .modal');
    await Promise.race([decided.waitFor(), form.waitFor()]);
    if (await form.isVisible()) {
      for (const box of await form.locator('input[type=checkbox]').all()) await box.check();
      await shot('08-finance-exceptions');
      await form.locator('button[data-role=submit]').click();
      await form.waitFor({ state: 'detached' });
    }
    await decided.waitFor();
    expect(await finance.locator('button.bk-btn').count()).toBe(0);
    expect(await finance.textContent()).toContain('(edited)');
    await finance.locator('.replies-link').click();
    await expect.poll(() => page.textContent('#thread-body')).toContain('approved version 1 for finance');
    await expect.poll(() => page.textContent('#thread-body')).toContain('is approved by legal and finance');
    await shot('09-finance-approved-thread');

    // Back to Lea: the legal thread and card show the outcome too.
    await switchTo('Lea Ivanova');
    await openChannel('legal');
    await request(id).locator('text=ready to sign').waitFor();
    await request(id).locator('.replies-link').click();
    await expect.poll(() => page.textContent('#thread-body')).toContain('is approved by legal and finance');
    await shot('10-legal-outcome');

    // Maria: both decisions arrived by DM, and the client card shows the approved contract.
    await switchTo('Maria Petrova');
    await page.click('#nav a:has(.label:text-is("dealdesk"))');
    await expect.poll(() => page.textContent('#messages')).toContain('(finance) approved your contract');
    expect(await page.textContent('#messages')).toContain('(legal) approved your contract');
    await shot('11-maria-dm');
    await openChannel('sales');
    await type('/client Globex Bulgaria');
    const card = page.locator('#messages .msg.ephemeral', { hasText: '/client Globex Bulgaria' });
    await card.waitFor();
    expect(await card.textContent()).toMatch(new RegExp(`#${id} Steel beams for the Lozenets site, 40 t · €12,500.00 · v1 — approved`));
    expect(await card.textContent()).toContain('Stage: contract');
    await card.scrollIntoViewIfNeeded();
    await shot('12-client-card');

    // The Home tab asks the bot for its view (app_home_opened).
    await page.click('#nav a[data-conv=home]');
    await ws.emu.waitFor('views.publish', (c) => c.args.user_id === 'U0SELLER', 3000).catch(() => undefined);
    await shot('13-home');

    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('Done on a checklist ticks the task clicked, not the first open one', async () => {
    expect(approved).toBeDefined();
    await ws.driver.command('U0SELLER', 'C0SALES', `/contract sign #${approved}`);
    await withPage({ user: 'U0FINANCE', conv: 'U0FINANCE' }, async (p) => {
      await p.fill('#input', `/delivery #${approved}`);
      await p.press('#input', 'Enter');
      const list = p.locator('#messages .msg.ephemeral', { hasText: `Delivery of contract #${approved}` });
      const invoiceRow = list.locator('.bk-section', { hasText: 'Invoice' });
      await invoiceRow.locator('button.bk-btn:has-text("Done")').click();
      await invoiceRow.locator('s', { hasText: 'Invoice' }).waitFor();
      expect(await invoiceRow.textContent()).toContain('done by @Filip Georgiev');
      // The first task (sales') is still open, and nobody was refused.
      expect(await list.locator('.bk-section', { hasText: 'Dispatch' }).locator('button.bk-btn').count()).toBe(1);
      expect(await p.textContent('#messages')).not.toContain('Only sales can tick');
      await p.screenshot({ path: join(SHOTS, 'workspace-14-delivery-done.png') });
    });
  }, 60_000);

  it('shows every message time as 24-hour HH:mm, whatever the locale', async () => {
    await withPage({ user: 'U0LEGAL', conv: 'C0LEGAL', locale: 'en-US' }, async (p) => {
      await p.locator('#messages .msg .msg-time').first().waitFor();
      const times = await p.locator('#messages .msg-time').allTextContents();
      expect(times.length).toBeGreaterThan(0);
      for (const t of times) expect(t).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      expect(await p.locator('#messages .replies-link .last').first().textContent()).toMatch(/^Last reply ([01]\d|2[0-3]):[0-5]\d$/);
    });
  }, 30_000);

  it('gives each message its own header, even two from dealdesk a moment apart', async () => {
    const card = await botPosts('C0FINANCE', { text: 'Contract #90 for Acme', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Contract #90* · Acme · €1,000.00' } }] });
    const digest = await botPosts('C0FINANCE', { text: ':receipt: *2 overdue invoices* for €3,400.00 — the oldest 12 days late.' });
    await withPage({ user: 'U0FINANCE', conv: 'C0FINANCE' }, async (p) => {
      for (const ts of [card, digest]) {
        const m = p.locator(`#messages .msg[data-ts="${ts}"]`);
        await m.waitFor();
        expect(await m.getAttribute('class')).not.toContain('compact');
        expect(await m.locator('.msg-head').isVisible()).toBe(true);
        expect(await m.locator('.msg-head .msg-name').textContent()).toBe('dealdesk');
        expect(await m.locator('.msg-head .msg-time').isVisible()).toBe(true);
      }
      await p.locator(`#messages .msg[data-ts="${digest}"]`).scrollIntoViewIfNeeded();
      await p.screenshot({ path: join(SHOTS, 'workspace-15-separate-messages.png') });
    });
  }, 30_000);

  it('replies in a thread to a message that has no replies yet', async () => {
    const ts = await botPosts('C0SALES', { text: ':bar_chart: The funnel this week: 3 leads, 1 proposal.' });
    await withPage({ user: 'U0SELLER', conv: 'C0SALES' }, async (p) => {
      const m = p.locator(`#messages .msg[data-ts="${ts}"]`);
      await m.hover();
      await m.getByRole('button', { name: 'Reply in thread' }).click();
      await p.locator('#thread').waitFor();
      expect(await p.textContent('#thread-body')).toContain('The funnel this week');
      await p.fill('#thread-input', 'I will call the proposal today');
      await p.press('#thread-input', 'Enter');
      await expect.poll(() => p.textContent('#thread-body')).toContain('I will call the proposal today');
      await m.locator('.replies-link', { hasText: '1 reply' }).waitFor();
      expect(ws.emu.replies('C0SALES', ts)).toMatchObject([{ user: 'U0SELLER', text: 'I will call the proposal today', thread_ts: ts }]);
      // A reply goes to the thread only, not to the channel.
      expect(ws.emu.history('C0SALES').some((x) => x.text === 'I will call the proposal today')).toBe(false);
      await p.screenshot({ path: join(SHOTS, 'workspace-16-reply-in-thread.png') });
    });
  }, 30_000);

  it('closes the user switcher on Escape', async () => {
    await withPage({ user: 'U0SELLER', conv: 'C0SALES' }, async (p) => {
      await p.click('#who');
      await p.locator('#people').waitFor();
      await p.keyboard.press('Escape');
      await p.locator('#people').waitFor({ state: 'hidden' });
      expect(await p.getAttribute('#who', 'aria-expanded')).toBe('false');
      expect(await p.locator('#who').evaluate((el) => el === (el.ownerDocument as any).activeElement)).toBe(true);
    });
  }, 30_000);

  it('reaches the channels from a menu button on a narrow screen', async () => {
    await withPage({ user: 'U0LEGAL', conv: 'C0SALES', width: 600 }, async (p) => {
      expect(await p.locator('.sidebar').isVisible()).toBe(false);
      const menu = p.getByRole('button', { name: 'Channels and people' });
      await menu.click();
      await p.locator('.sidebar').waitFor();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await p.screenshot({ path: join(SHOTS, 'workspace-17-narrow-menu.png') });
      await p.click('#nav a:has(.label:text-is("legal"))');
      await expect.poll(() => p.textContent('#conv-title')).toContain('legal');
      await p.locator('.sidebar').waitFor({ state: 'hidden' });
      // Escape closes it too; the switcher inside it still works.
      await menu.click();
      await p.locator('.sidebar').waitFor();
      await p.keyboard.press('Escape');
      await p.locator('.sidebar').waitFor({ state: 'hidden' });
      await menu.click();
      await p.click('#who');
      await p.click('#people li:has-text("Filip Georgiev")');
      await expect.poll(() => p.textContent('#who')).toContain('Filip Georgiev');
    });
  }, 30_000);

  it('says how to start afresh when Load demo data finds clients', async () => {
    await withPage({ user: 'U0ADMIN', conv: 'C0SALES' }, async (p) => {
      await p.click('#demo');
      const note = p.locator('.toast', { hasText: 'No demo added' });
      await note.waitFor();
      expect(await note.textContent()).toContain('npm start -- --demo --reset');
      await p.waitForTimeout(3000);
      expect(await note.isVisible()).toBe(true); // long enough to read
    });
    expect(pageErrors).toEqual([]);
  }, 30_000);
});

/**
 * Once more in Bulgarian: a workspace with DEALDESK_LOCALE=bg (a Bulgarian company) in a
 * Bulgarian browser. The page's chrome is Bulgarian, no English sentence of dealdesk's catalog
 * or of the page's own words shows anywhere, and the page's switch turns both to English.
 * Screenshots go next to the English ones, as workspace-bg-*.png.
 */
describe.skipIf(!haveChromium && !process.env.CI)('the local workspace in a browser, in Bulgarian', () => {
  let bgDir: string;
  let bgWs: LocalWorkspace;
  let bgBrowser: Browser;
  let p: Page;
  const errors: string[] = [];
  const bgShot = async (name: string) => {
    await p.waitForTimeout(150);
    await p.screenshot({ path: join(SHOTS, `workspace-bg-${name}.png`) });
  };
  const bgType = async (text: string) => {
    await p.fill('#input', text);
    await p.press('#input', 'Enter');
  };
  const bgSwitchTo = async (name: string) => {
    await p.click('#who');
    await p.click(`#people li:has-text("${name}")`);
    await expect.poll(() => p.textContent('#who')).toContain(name);
  };
  const bgOpen = async (name: string) => {
    await p.click(`#nav a:has(.label:text-is("${name}"))`);
    await expect.poll(() => p.textContent('#conv-title')).toContain(name);
  };
  /** Everything the page shows (its text, and the labels people read on controls). */
  const pageText = () =>
    p.evaluate(() => {
      const doc = (globalThis as any).document;
      return [doc.body.innerText, ...[...doc.querySelectorAll('[placeholder], [aria-label], [title]')].flatMap((e: any) => [e.getAttribute('placeholder'), e.getAttribute('aria-label'), e.getAttribute('title')])].filter(Boolean).join('\n');
    });
  /** The page's own English sentences (two words or more, not a command or a name). */
  const pageEnglish = Object.values(WORDS.en).flatMap((t) => t.replace(/<[^>]+>/g, ' ').split(/\{[^}]*\}|[`·—()]/)).map((t) => t.trim()).filter((t) => /[a-z]{3,} [a-z]{2,}/i.test(t) && !t.startsWith('/') && !/dealdesk Home/.test(t));
  const noEnglish = async (where: string) => {
    const text = await pageText();
    const found = englishIn({ text }, catalogEnglish);
    expect([where, found.phrases, pageEnglish.filter((s) => text.includes(s))]).toEqual([where, [], []]);
  };
  let catalogEnglish: string[];

  beforeAll(async () => {
    catalogEnglish = englishPhrases();
    mkdirSync(SHOTS, { recursive: true });
    bgDir = mkdtempSync(join(tmpdir(), 'dealdesk-browser-bg-'));
    bgWs = await startLocalWorkspace({
      port: 0,
      demo: false,
      databasePath: join(bgDir, 'dealdesk.db'),
      env: { LOG_LEVEL: 'warn', DEALDESK_TZ: 'Europe/Sofia', DEALDESK_LOCALE: 'bg' },
      logger: createLogger('warn', [], () => undefined),
      outbox: { perChannelMs: 20, pollMs: 100 },
    });
    bgBrowser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    p = await bgBrowser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'bg-BG', timezoneId: 'Europe/Sofia' });
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await bgBrowser?.close();
    await bgWs?.stop();
    if (bgDir) rmSync(bgDir, { recursive: true, force: true });
  });

  it('walks a contract through both approvals with the page and dealdesk in Bulgarian, then the switch turns both to English', async () => {
    await p.goto(`http://127.0.0.1:${bgWs.port}/?user=U0SELLER#C0SALES`);
    await expect.poll(() => p.textContent('#who')).toContain('Мария Петрова');
    await expect.poll(() => p.textContent('#messages')).toContain('Това е самото начало на #продажби');
    // The chrome: sidebar, switcher, composer, the language switch.
    expect(await p.getAttribute('html', 'lang')).toBe('bg');
    expect(await p.textContent('#team-name')).toBe('Витоша Трейдинг');
    expect(await p.textContent('#demo')).toBe('Зареди демо данни');
    expect(await p.locator('#nav h3').allTextContents()).toEqual(['Приложения', 'Канали', 'Лични съобщения']);
    expect(await p.getAttribute('#input', 'placeholder')).toBe('Съобщение до #продажби — напишете / за команда');
    expect(await p.locator('#lang button').allTextContents()).toEqual(['English', 'Български']);
    expect(await p.getAttribute('#lang button[data-lang=bg]', 'aria-pressed')).toBe('true');
    await noEnglish('empty channel');
    await bgShot('01-empty-sales');

    await p.fill('#input', '/c');
    await p.waitForSelector('#hints li.hint');
    expect(await p.textContent('#hints')).toContain('Клиенти и фунията на продажбите');
    await bgShot('02-command-hints');

    await bgType('/client add Глобекс България ООД eik:175074752 contact:ivan@globex.bg');
    const added = p.locator('#messages .msg.ephemeral', { hasText: 'Добавен е клиент' });
    await added.waitFor();
    expect(await added.textContent()).toContain('Виждате го само вие');
    expect(await added.textContent()).toContain('Етап: потенциален');
    await noEnglish('client added');
    await bgShot('03-client-added');

    await bgType('/contract new Глобекс България ООД amount:12500 EUR');
    const modal = p.locator('#modal-root .modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('Нов договор');
    await modal.locator('[data-block-id="contract.subject"] input').fill('Стоманени греди за обекта в Лозенец, 40 т');
    await modal.locator('[data-block-id="contract.net_days"] input').fill('30');
    await modal.locator('[data-block-id="contract.kind"] select').selectOption('goods');
    await noEnglish('contract form');
    await bgShot('04-contract-form');
    await modal.locator('button[data-role=submit]').click();
    await expect.poll(() => modal.locator('.modal-title').textContent()).toMatch(/^Договор #\d+$/);
    const id = Number(/#(\d+)/.exec((await modal.locator('.modal-title').textContent()) ?? '')![1]);
    await bgShot('05-contract-submitted');
    await modal.locator('button[data-role=close]').click();
    await modal.waitFor({ state: 'detached' });

    await bgSwitchTo('Лиляна Иванова');
    await bgOpen('правна-служба');
    const legal = p.locator('#messages .msg', { has: p.locator(`.bk-header:has-text("#${id} ")`) });
    await legal.locator('button.bk-btn:has-text("Одобри")').waitFor();
    expect(await legal.locator('button.bk-btn').allTextContents()).toEqual(['Одобри', 'Поискай промени', 'Отхвърли']);
    await noEnglish('legal request');
    await bgShot('06-legal-request');
    await legal.locator('button.bk-btn:has-text("Одобри")').click();
    await legal.locator('.replies-link').waitFor();
    await legal.locator('.replies-link').click();
    await expect.poll(() => p.textContent('#thread-body')).toContain('одобри');
    await noEnglish('legal thread');
    await bgShot('07-legal-approved-thread');

    await bgSwitchTo('Филип Георгиев');
    await bgOpen('финанси');
    const finance = p.locator('#messages .msg', { has: p.locator(`.bk-header:has-text("#${id} ")`) });
    await finance.locator('button.bk-btn:has-text("Одобри")').click();
    const form = p.locator('#modal-root .modal');
    const decided = finance.locator('text=готов за подпис');
    await Promise.race([decided.waitFor(), form.waitFor()]);
    if (await form.isVisible()) {
      for (const box of await form.locator('input[type=checkbox]').all()) await box.check();
      await noEnglish('finance exceptions');
      await bgShot('08-finance-exceptions');
      await form.locator('button[data-role=submit]').click();
      await form.waitFor({ state: 'detached' });
    }
    await decided.waitFor();
    await noEnglish('finance approved');
    await bgShot('09-finance-approved');

    await bgSwitchTo('Мария Петрова');
    await p.click('#nav a[data-conv=home]');
    await bgWs.emu.waitFor('views.publish', (c) => c.args.user_id === 'U0SELLER', 3000).catch(() => undefined);
    await expect.poll(() => p.textContent('#home')).toContain('Вашите клиенти по етапи');
    await noEnglish('home');
    await bgShot('10-home');
    await p.click('#nav a:has(.label:text-is("dealdesk"))');
    await expect.poll(() => p.textContent('#messages')).toContain('одобри вашия договор');
    await noEnglish('dm');
    await bgShot('11-dm');

    // The switch: the page's chrome and dealdesk's answers to the personas, in English.
    await p.click('#lang button[data-lang=en]');
    await expect.poll(() => p.textContent('#demo')).toBe('Load demo data');
    expect(await p.getAttribute('html', 'lang')).toBe('en');
    await bgOpen('продажби');
    await bgType('/client Глобекс България ООД');
    const card = p.locator('#messages .msg.ephemeral', { hasText: 'Stage: contract' });
    await card.waitFor();
    expect(await p.evaluate(() => (globalThis as any).localStorage.getItem('dd.lang'))).toBe('en');
    await bgShot('12-switched-to-english');
    // Kept by this browser: a reload stays in English.
    await p.reload();
    await expect.poll(() => p.textContent('#demo')).toBe('Load demo data');
    await p.click('#lang button[data-lang=bg]');
    await expect.poll(() => p.textContent('#demo')).toBe('Зареди демо данни');
    expect(errors).toEqual([]);
  }, 120_000);
});
