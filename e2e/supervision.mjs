// Browser test of a region's supervision, as the 政务公开办 of 淄博市 lives it: the supervisor
// (an account added with the CLI beside the running server) signs in, sees the units below the
// city and where each report stands, imports the published report of a unit that does not use
// gongkai, returns it with reasons, reads the city's aggregate and follows a number down to the
// units and on to where each unit's figure came from. Screenshots of every step.
//
// Environment: as e2e/harness.mjs, plus E2E_DATA (the demo server's data directory) and E2E_BIN
// (the gongkai binary, to add the supervisor).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { follow, navigation, newPage, runSteps, shot, text, url } from './harness.mjs';

const DATA = process.env.E2E_DATA ?? '';
const BIN = process.env.E2E_BIN ?? '';
const USER = 'e2e-jiandu';
const PASSWORD = 'Zibo-supervision-2025';
const UNIT = '淄博市张店区教育和体育局';
const REPORT = path.resolve('examples/seed-2021.json');

execFileSync(BIN, ['user', 'add', '--data', DATA, '--name', USER, '--display-name', '吴监督',
  '--roles', 'supervise', '--region', '山东省/淄博市'], { stdio: 'pipe' });
execFileSync(BIN, ['user', 'passwd', '--data', DATA, USER], { input: `${PASSWORD}\n`, stdio: 'pipe' });

const page = await newPage();
const state = {}; // unitUrl

async function submit(button, to) {
  const res = await navigation(page, () => button.click(), to);
  assert.ok(res.status() < 400, `${page.url()} answered ${res.status()}: ${await text(page.locator('main'))}`);
}

const steps = [
  ['the supervisor signs in and sees the units below the city', null, async () => {
    await page.goto(url('/staff/supervision?year=2021'), { waitUntil: 'load' });
    assert.match(page.url(), /\/staff\/signin/, 'signing in first');
    await page.fill('#name', USER);
    await page.fill('#password', PASSWORD);
    await submit(page.locator('main button[type=submit]'), /\/staff\/supervision\?year=2021$/);
    const main = await text(page.locator('main'));
    assert.ok(main.includes('山东省/淄博市 2021年度 年报汇总'), main);
    assert.ok(main.includes(UNIT) && main.includes('未报送'), main);
    await shot(page, 'supervision-01-dashboard');
  }],
  ['a unit that does not use gongkai: its published report is imported', url('/staff/supervision?year=2021'), async () => {
    await page.fill('#i-agency', UNIT);
    await page.setInputFiles('#i-file', REPORT);
    await submit(page.locator('#import-form button[type=submit]'), /\/staff\/supervision\/units\/\d+\/2021\?done=imported$/);
    state.unitUrl = page.url().replace(/\?.*$/, '');
    const main = await text(page.locator('main'));
    assert.ok(main.includes('已导入') && main.includes('待审核') && main.includes('计入汇总'), main);
    await shot(page, 'supervision-02-imported');
  }],
  ['the supervisor returns it with reasons', () => state.unitUrl, async () => {
    await page.fill('#reasons', 'T3-2：办理结果之和与总计不符\n请核对后重新报送');
    await submit(page.locator('#review-return'), /\?done=return$/);
    const main = await text(page.locator('main'));
    assert.ok(main.includes('已退回') && main.includes('T3-2：办理结果之和与总计不符'), main);
    await shot(page, 'supervision-03-returned');
  }],
  ["the city's aggregate, every number a link to the units", url('/staff/supervision?year=2021'), async () => {
    await page.goto(url('/staff/supervision?year=2021'), { waitUntil: 'load' });
    await follow(page, page.locator('#rollup-link'), /\/staff\/supervision\/rollup\?/);
    const main = await text(page.locator('main'));
    assert.ok(main.includes('淄博市2021年政府信息公开工作年度报告'), main);
    await shot(page, 'supervision-04-rollup');
    await follow(page, page.locator('main a[href*="cell=table3.granted.total"]').first(), /\/staff\/supervision\/cell\?/);
    const cell = await text(page.locator('main'));
    assert.ok(cell.includes(UNIT) && cell.includes('计入'), cell);
    await shot(page, 'supervision-05-cell');
  }],
  ["a unit's number traced to where it came from", null, async () => {
    await follow(page, page.locator('#cell-units a[href*="/cell?cell=table3.granted.total"]').first(),
      /\/staff\/supervision\/units\/\d+\/2021\/cell\?cell=table3\.granted\.total$/);
    const main = await text(page.locator('main'));
    assert.ok(main.includes('（一）予以公开') && main.includes('来源'), main);
    await shot(page, 'supervision-06-unit-cell');
  }],
];

await runSteps(page, steps);
