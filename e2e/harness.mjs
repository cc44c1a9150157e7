// What both browser tests share: Debian Chromium through playwright-core (no browser download),
// a watch on every page for what must never happen (a JavaScript or console error, a 5xx, a
// request to another host), full-page screenshots, navigation helpers and the step runner.
//
// Environment: E2E_BASE_URL (the running server, required), E2E_SCREENSHOTS (folder for the
// PNGs, default e2e/screenshots), E2E_CHROMIUM (default /usr/bin/chromium).

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const BASE = new URL(process.env.E2E_BASE_URL ?? '');
export const SHOTS = path.resolve(process.env.E2E_SCREENSHOTS ?? 'e2e/screenshots');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export const url = (p) => new URL(p, BASE).href;
export const text = async (locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

mkdirSync(SHOTS, { recursive: true });

export const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

// What must never happen, collected over every page of every context.
const problems = [];
const notes = new Set();
function watch(context) {
  context.on('request', (req) => {
    const u = new URL(req.url());
    if (u.protocol === 'data:' || u.protocol === 'about:') return;
    if (u.host !== BASE.host) problems.push(`request to another host: ${req.method()} ${req.url()}`);
  });
  context.on('response', (res) => {
    if (res.status() >= 500) problems.push(`${res.status()} from ${res.url()}`);
  });
  context.on('page', (page) => {
    page.on('pageerror', (err) => problems.push(`JavaScript error on ${page.url()}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const where = msg.location()?.url;
      problems.push(`console error on ${page.url()}: ${msg.text()}${where && where !== page.url() ? ` (${where})` : ''}`);
    });
  });
}

export async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  watch(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(15_000);
  return page;
}

export async function shot(page, name) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Runs `act` and waits for the page it leads to to load (redirects followed); returns the
 * document's response. Checks that the URL then matches `to` (a RegExp or an exact URL). */
export async function navigation(page, act, to) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && !(r.status() >= 300 && r.status() < 400)),
    act(),
  ]);
  await page.waitForLoadState('load');
  const now = page.url();
  if (to instanceof RegExp) assert.match(now, to, 'the page reached');
  else if (to) assert.equal(now, to, 'the page reached');
  return res;
}

/** Clicks a link and waits for the page it leads to. */
export async function follow(page, locator, to) {
  await locator.waitFor({ state: 'visible' });
  return navigation(page, () => locator.click(), to);
}

/** Runs the steps in order (each: name, optional `from` — a URL, or a function giving one, to
 * load first when an earlier step failed — and the check), then the check that nothing that
 * must never happen happened; prints TAP-like lines and sets the exit status. */
export async function runSteps(page, steps) {
  let passed = 0;
  let failed = 0;
  let pageOk = true;
  for (const [i, [name, from, run]] of steps.entries()) {
    const n = i + 1;
    const t0 = Date.now();
    try {
      if (!pageOk && from) {
        const start = typeof from === 'function' ? from() : from;
        if (!start) throw new Error('skipped: an earlier step it needs failed');
        await page.goto(start, { waitUntil: 'load' });
      }
      await run();
      passed++;
      pageOk = true;
      console.log(`ok ${n} - ${name} (${Date.now() - t0} ms)`);
    } catch (err) {
      failed++;
      pageOk = false;
      const msg = (err?.message ?? String(err)).split('\n').slice(0, 6).join('\n    ');
      console.log(`not ok ${n} - ${name}\n    ${msg}\n    at ${page.url()}`);
      await page.screenshot({ path: path.join(SHOTS, `failed-${n}.png`), fullPage: true }).catch(() => {});
    }
  }

  // Last step: nothing that must never happen happened on any page above.
  {
    const n = steps.length + 1;
    if (problems.length === 0) {
      passed++;
      console.log(`ok ${n} - no JavaScript or console error, no 5xx, no request to another host`);
    } else {
      failed++;
      console.log(`not ok ${n} - no JavaScript or console error, no 5xx, no request to another host\n    ${problems.join('\n    ')}`);
    }
  }

  await browser.close();
  for (const note of notes) console.log(note);
  console.log(`screenshots: ${SHOTS}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
