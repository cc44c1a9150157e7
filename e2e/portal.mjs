// Browser test of the public portal, as a citizen walks it: home page → agency → 年报 (the
// published report, its downloads) → 法定主动公开内容 →
// the 栏目 业务动态 → an item → back → search (a word from the item's body; a 文号 typed with other
// brackets) → 关怀版 → the keyboard. Headless Debian Chromium through playwright-core (no browser
// download). Every step is checked; a failed step is reported and the walk goes on from a known
// page, so one broken feature does not hide the others. Throughout, no JavaScript error, no console
// error, no 5xx and no request to another host may occur.
//
// Environment: E2E_BASE_URL (the running portal, e.g. http://127.0.0.1:8080/, required),
// E2E_SCREENSHOTS (folder for the full-page PNGs, default e2e/screenshots),
// E2E_CHROMIUM (default /usr/bin/chromium). scripts/e2e.sh starts a demo server and sets them.
// Exit status: 0 when every step passed, 1 otherwise; the last line reads `e2e: N passed, N failed`.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, follow, navigation, newPage, runSteps, shot, text, url } from './harness.mjs';

// What the demo data holds (data/demo/): the seed agency, its 栏目 业务动态 with 28 items, a word
// of one of those items' bodies, and an item whose 文号 is stored with 〔〕.
const AGENCY = '淄博市张店区机关事务服务中心';
const COLUMN = '业务动态';
const COLUMN_COUNT = '共28条';
const BODY_WORD = '元旦';
const DOC_NO_TYPED = '张机事发(2021)5号';
const DOC_NO_STORED = '张机事发〔2021〕5号';

/** Types a query into the header's search box and submits it with Enter, as a citizen does. */
async function search(page, query) {
  const box = page.locator('form.search #q');
  await box.fill(query);
  const res = await navigation(page, () => box.press('Enter'), /\/search\?/);
  assert.equal(new URL(page.url()).searchParams.get('q'), query, 'the form submits the query as q');
  assert.equal(res.status(), 200, `the search page ${page.url()} answers ${res.status()} "${await page.title()}"`);
}

async function resultLinks(page) {
  const count = page.locator('p.count');
  await count.waitFor();
  const links = page.locator('ol.results a[href^="/items/"]');
  const n = await links.count();
  assert.ok(n > 0, `ol.results holds no link to an item (count says "${await text(count)}")`);
  return links;
}

// ---------------------------------------------------------------------------------------------
// The walk. Each step: name, optional `from` (a URL to load first when an earlier step failed, so
// the page is in a known state), and the check.

const page = await newPage();
const state = {}; // what earlier steps found: agencyUrl, listUrl, itemUrl, itemTitle, docNoItemUrl

const steps = [
  ['home page lists the agencies', null, async () => {
    await page.goto(url('/'), { waitUntil: 'load' });
    assert.match(await page.title(), /政府信息公开/, 'title');
    const link = page.getByRole('link', { name: AGENCY, exact: true });
    await link.first().waitFor({ state: 'visible' });
    await shot(page, 'home');
  }],

  ['agency page shows its 政府信息公开 column', url('/'), async () => {
    await follow(page, page.locator('main').getByRole('link', { name: AGENCY, exact: true }).first(), /\/agencies\/\d+$/);
    state.agencyUrl = page.url();
    const nav = page.locator('nav.column');
    for (const name of ['政府信息公开指南', '政府信息公开制度', '法定主动公开内容', '政府信息公开年报', '依申请公开']) {
      await nav.getByRole('link', { name, exact: true }).waitFor({ state: 'visible' });
    }
    assert.match(await text(page.locator('main')), new RegExp(AGENCY), 'the agency is named on its page');
  }],

  ['政府信息公开年报 offers the published 2021 report to read and download', () => state.agencyUrl, async () => {
    await follow(page, page.locator('nav.column').getByRole('link', { name: '政府信息公开年报', exact: true }), /\/agencies\/\d+\/reports$/);
    const item = page.locator('ul.reports li#report-2021');
    await item.waitFor({ state: 'visible' });
    await shot(page, 'reports');
    const downloads = {};
    for (const a of await item.locator('.downloads a').all()) downloads[await text(a)] = await a.getAttribute('href');
    const expect = { Word: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'PK'], PDF: ['application/pdf', '%PDF'], Excel: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'PK'], JSON: ['application/json', '{'] };
    for (const [label, [type, magic]] of Object.entries(expect)) {
      assert.ok(downloads[label], `a ${label} download link among ${JSON.stringify(downloads)}`);
      const res = await page.request.get(url(downloads[label]));
      assert.equal(res.status(), 200, `${label} ${downloads[label]}`);
      assert.ok(res.headers()['content-type'].startsWith(type), `${label}: content-type ${res.headers()['content-type']}`);
      const body = await res.body();
      assert.equal(body.subarray(0, magic.length).toString(), magic, `${label} starts with ${magic}`);
    }
    await follow(page, item.getByRole('link', { name: new RegExp(`^${AGENCY}2021年政府信息公开工作年度报告$`) }), /\/reports\/2021$/);
    const main = await text(page.locator('main'));
    for (const heading of ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项']) {
      assert.ok(main.includes(heading), `the report shows ${heading}`);
    }
    await shot(page, 'report-2021');
    await page.goto(state.agencyUrl, { waitUntil: 'load' });
  }],

  ['法定主动公开内容 lists the items with facets', () => state.agencyUrl, async () => {
    await follow(page, page.locator('nav.column').getByRole('link', { name: '法定主动公开内容', exact: true }), /\/agencies\/\d+\/items$/);
    assert.equal(await text(page.locator('h1')), '法定主动公开内容');
    assert.match(await text(page.locator('p.count')), /^共\d+条/);
    assert.ok((await page.locator('table.items tbody tr').count()) > 0, 'the list has rows');
  }],

  [`栏目 ${COLUMN} narrows the list to ${COLUMN_COUNT}`, () => state.agencyUrl && `${state.agencyUrl}/items`, async () => {
    const facet = page.locator('.facets a', { hasText: new RegExp(`^${COLUMN}（\\d+）$`) });
    await follow(page, facet, /\/items\?column=/);
    state.listUrl = page.url();
    assert.match(await text(page.locator('p.count')), new RegExp(`^${COLUMN_COUNT}`), 'list count');
    assert.match(await text(page.locator('.facets [aria-current]')), new RegExp(`^${COLUMN}`), 'the chosen 栏目 is marked current');
    const rows = await page.locator('table.items tbody tr').count();
    assert.ok(rows > 0 && rows <= 28, `rows on the first page: ${rows}`);
    await shot(page, 'list');
  }],

  ['the first item shows its metadata and body', () => state.listUrl, async () => {
    const first = page.locator('table.items tbody a[href^="/items/"]').first();
    state.itemTitle = await text(first);
    await follow(page, first, /\/items\/\d+$/);
    state.itemUrl = page.url();
    assert.equal(await text(page.locator('h1')), state.itemTitle, 'the page is the item that was clicked');
    const meta = page.locator('table.meta');
    const cell = (label) => meta.locator(`th:text-is("${label}") + td`);
    assert.match(await text(cell('索引号')), /\S/, '索引号 is filled in');
    assert.match(await text(cell('发布日期')), /^\d{4}-\d{2}-\d{2}$/, '发布日期');
    assert.match(await text(cell('发布机构')), new RegExp(AGENCY), '发布机构');
    const body = await text(page.locator('article .body'));
    assert.ok(body.includes(BODY_WORD), `the body of "${state.itemTitle}" contains ${BODY_WORD} (the word searched for below): "${body}"`);
    await shot(page, 'item');
  }],

  ['the item prints as an A4 notice for the bulletin board', () => state.itemUrl, async () => {
    await follow(page, page.locator('#notice-link'), /\/items\/\d+\/notice$/);
    assert.equal(await text(page.locator('h1')), state.itemTitle, 'the notice is the item');
    const width = await page.locator('.notice-sheet').evaluate((e) => e.getBoundingClientRect().width);
    assert.ok(Math.abs(width - 794) < 3, `the sheet is A4 wide (210 mm = 794 px), not ${width}`);
    await shot(page, 'notice');
    await page.goBack({ waitUntil: 'load' });
  }],

  ["the service hall's screen fills 1920×1080 without scrollbars and turns by itself", () => state.agencyUrl, async () => {
    const screen = await newPage({ width: 1920, height: 1080 });
    try {
      await screen.goto(`${state.agencyUrl}/display?every=5`, { waitUntil: 'load' });
      const fits = await screen.evaluate(() => ({
        h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth,
        ih: window.innerHeight, iw: window.innerWidth,
      }));
      assert.ok(fits.h <= fits.ih && fits.w <= fits.iw, `no scrollbars: content ${fits.w}×${fits.h} in ${fits.iw}×${fits.ih}`);
      const first = await text(screen.locator('.display-featured h2'));
      assert.ok(first.length > 0, 'an item is shown large');
      await screen.evaluate(() => document.fonts.ready);
      await screen.screenshot({ path: path.join(SHOTS, 'display.png') });
      // The page moves on to the next item by itself (meta refresh, no script).
      await screen.waitForURL(/\/display\?slide=1&every=5$/, { timeout: 12_000 });
      const second = await text(screen.locator('.display-featured h2'));
      assert.notEqual(second, first, 'the next turn shows another item');
    } finally {
      await screen.context().close();
    }
  }],

  ['Back returns to the 栏目 list', () => state.listUrl, async () => {
    if (page.url() !== state.listUrl) await page.goBack({ waitUntil: 'load' });
    assert.equal(page.url(), state.listUrl);
    assert.match(await text(page.locator('p.count')), new RegExp(`^${COLUMN_COUNT}`));
  }],

  [`search for ${BODY_WORD} (a word of the item's body) finds the item`, () => state.listUrl, async () => {
    await search(page, BODY_WORD);
    assert.equal(await page.locator('#q').inputValue(), BODY_WORD, 'the box keeps the query');
    const links = await resultLinks(page);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.href));
    assert.ok(hrefs.includes(state.itemUrl), `the item ${state.itemUrl} is among the results: ${hrefs.join(' ')}`);
    await shot(page, 'search');
  }],

  [`search for ${DOC_NO_TYPED} finds the item numbered ${DOC_NO_STORED} first`, () => state.listUrl, async () => {
    await search(page, DOC_NO_TYPED);
    const links = await resultLinks(page);
    await shot(page, 'search-docno');
    await follow(page, links.first(), /\/items\/\d+$/);
    state.docNoItemUrl = page.url();
    const docNo = await text(page.locator('table.meta th:text-is("文号") + td'));
    assert.equal(docNo, DOC_NO_STORED, `the first result ${page.url()} has 文号 ${docNo}`);
  }],

  ['关怀版 switches on from the header and persists', () => state.itemUrl ?? url('/'), async () => {
    const before = page.url();
    const sw = page.locator('header a.care-switch');
    assert.equal(await text(sw), '关怀版');
    await follow(page, sw, before);
    assert.ok(await page.locator('body.care').count(), 'body has class care after the switch');
    assert.equal(await text(sw), '退出关怀版');
    await shot(page, 'care-item');
    await follow(page, page.locator('header a.brand'), url('/'));
    assert.ok(await page.locator('body.care').count(), 'body.care persists on the next page');
    await shot(page, 'care-home');
    await follow(page, page.locator('header a.care-switch'), url('/'));
    assert.equal(await page.locator('body.care').count(), 0, '退出关怀版 switches it off');
  }],

  ['keyboard: skip link first, then the search box, focus visible', null, async () => {
    const fresh = await newPage();
    try {
      await fresh.goto(url('/'), { waitUntil: 'load' });
      const focused = () => fresh.evaluate(() => {
        const el = document.activeElement;
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          tag: el.tagName.toLowerCase(),
          id: el.id,
          cls: el.className,
          text: (el.textContent ?? '').trim(),
          inHeader: !!el.closest('header.site'),
          outline: `${cs.outlineStyle} ${cs.outlineWidth}`,
          outlineVisible: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
          onScreen: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth,
        };
      });
      const seen = [];
      const tab = async () => {
        await fresh.keyboard.press('Tab');
        const f = await focused();
        seen.push(f);
        const label = `${f.tag}${f.id ? '#' + f.id : ''}${f.cls ? '.' + f.cls : ''} "${f.text}"`;
        assert.ok(f.outlineVisible, `focused ${label} has a visible outline (outline: ${f.outline})`);
        assert.ok(f.onScreen, `focused ${label} is on screen`);
        return f;
      };
      const first = await tab();
      assert.ok(first.tag === 'a' && first.text === '跳到正文', `first Tab focuses the skip link, not ${first.tag} "${first.text}"`);
      await shot(fresh, 'keyboard-skip');
      let f;
      do {
        f = await tab();
        assert.ok(f.inHeader, `Tab left the header before reaching the search box: ${seen.map((s) => s.tag + ' ' + (s.id || s.text)).join(' → ')}`);
      } while (f.id !== 'q' && seen.length < 6);
      assert.equal(f.id, 'q', 'Tab reaches the search box');
      // Enter on the skip link moves to the main content.
      await fresh.goto(url('/'), { waitUntil: 'load' });
      await fresh.keyboard.press('Tab');
      await fresh.keyboard.press('Enter');
      await fresh.waitForURL(/#main$/);
    } finally {
      await fresh.context().close();
    }
  }],
];

await runSteps(page, steps);
