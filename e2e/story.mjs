// Browser test of an application's whole story (依申请公开), as the citizen and the clerk live it:
// the citizen applies online and gets a receipt (申请编号 + 查询码) → the status page says it
// awaits confirmation → the clerk signs in, sees it on the dashboard and confirms receipt → asks
// for a 补正 → the citizen's status page shows it with the clock stopped → the supplement is
// recorded → the clerk decides 部分公开 → the citizen downloads the reply letter → `gongkai report
// compute` counts the case in 部分公开 under 自然人. Screenshots of every step.
//
// Environment: as e2e/harness.mjs, plus E2E_DATA (the demo server's data directory, for the demo
// staff account in demo-account.txt) and E2E_BIN (the gongkai binary, for `report compute`).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { follow, navigation, newPage, runSteps, shot, text, url } from './harness.mjs';

const DATA = process.env.E2E_DATA ?? '';
const BIN = process.env.E2E_BIN ?? '';
const AGENCY = '淄博市张店区机关事务服务中心';
const [STAFF_USER, STAFF_PASSWORD] = readFileSync(path.join(DATA, 'demo-account.txt'), 'utf8').trim().split('\n');
const YEAR = new Date(Date.now() + 8 * 3600_000).getUTCFullYear(); // the year in Beijing

const citizen = await newPage();
const clerk = await newPage();
const state = {}; // number, code, caseUrl

/** Submits the form holding `button` and waits for the page it leads to. */
async function submit(page, button, to) {
  const res = await navigation(page, () => button.click(), to);
  assert.ok(res.status() < 400, `${page.url()} answered ${res.status()}: ${await text(page.locator('main'))}`);
  return res;
}

/** The citizen's status page, looked up with the receipt's number and code. */
async function lookUp() {
  await citizen.goto(url('/status'), { waitUntil: 'load' });
  await citizen.fill('#number', state.number);
  await citizen.fill('#code', state.code);
  await submit(citizen, citizen.locator('main button[type=submit]'), /\/status$/);
  return text(citizen.locator('main'));
}

/** The case page's URL, with any fragment (a recorded event leads back to the timeline). */
const caseUrlPattern = () => new RegExp(`^${state.caseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(#.*)?$`);

/** Records one event on the case page through its form (`fill` sets the form's fields). */
async function record(form, fill) {
  await clerk.goto(state.caseUrl, { waitUntil: 'load' });
  // Each event's form sits in its own <details>, opened by its summary, as a clerk does.
  await clerk.locator(`details#form-${form} > summary`).click();
  const f = clerk.locator(`form[action$="/events/${form}"]`);
  await f.waitFor({ state: 'visible' });
  await fill(f);
  await submit(clerk, f.locator('button[type=submit]'), caseUrlPattern());
}

const steps = [
  ['the citizen applies online and gets a receipt with 申请编号 and 查询码', null, async () => {
    await citizen.goto(url('/agencies/1/apply'), { waitUntil: 'load' });
    await navigation(citizen, () => citizen.locator('main a[href$="/apply/online"]').first().click(), /\/apply\/online$/);
    await citizen.check('input[name=applicant_type][value=natural_person]');
    await citizen.fill('#name', '王小明');
    await citizen.fill('#id_number', '11010519491231002X');
    await citizen.fill('#phone', '13800138000');
    await citizen.fill('#description', '2021年张店区机关公务用车购置经费的预算和决算文件');
    await citizen.check('input[name=media][value=paper]');
    await citizen.check('input[name=delivery][value=collect]');
    await shot(citizen, 'story-01-form');
    await submit(citizen, citizen.locator('main button[type=submit]'), /\/apply\/receipt\//);
    state.number = await text(citizen.locator('dd.number'));
    state.code = await text(citizen.locator('dd.code'));
    assert.match(state.number, /^\d{4}-\d{6}$/, '申请编号');
    assert.match(state.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}$/, '查询码');
    await shot(citizen, 'story-02-receipt');
  }],

  ['the status page says it awaits confirmation', null, async () => {
    const main = await lookUp();
    assert.match(main, /待确认/, main);
    await shot(citizen, 'story-03-awaiting');
  }],

  ['the clerk signs in and sees the submission on the dashboard', null, async () => {
    await clerk.goto(url('/staff'), { waitUntil: 'load' });
    assert.match(clerk.url(), /\/staff\/signin/, 'signing in first');
    await clerk.fill('#name', STAFF_USER);
    await clerk.fill('#password', STAFF_PASSWORD);
    await submit(clerk, clerk.locator('form.staff-form button[type=submit]'), /\/staff$/);
    await shot(clerk, 'story-04-dashboard');
    const pending = Number(await text(clerk.locator('#count-online')));
    assert.ok(pending >= 1, `网上申请待确认 counts ${pending}`);
  }],

  ['the clerk confirms receipt: the case starts with its clock', null, async () => {
    await follow(clerk, clerk.locator('main a[href="/staff/online"]').first(), /\/staff\/online$/);
    assert.match(await text(clerk.locator('main')), new RegExp(state.number), 'the submission is listed');
    await shot(clerk, 'story-05-online');
    const confirm = clerk.locator(`form[action="/staff/online/${state.number}/confirm"]`);
    await submit(clerk, confirm.locator('button[type=submit]'), new RegExp(`/staff/cases/${state.number}$`));
    state.caseUrl = clerk.url();
    const main = await text(clerk.locator('main'));
    assert.match(main, /办理中/, main);
    assert.match(main, /答复期限|应于/, 'the due date is shown');
  }],

  ['the clerk requests a 补正 (once, completely)', null, async () => {
    await record('supplement-requested', async (f) => {
      await f.locator('textarea[name=items]').fill('请明确所需预算文件的年度和文件名称');
      await f.locator('input[name=period]').fill('15');
      await f.locator('select[name=sent_by]').selectOption('online');
    });
    assert.match(await text(clerk.locator('main')), /待补正|等待申请人补正/);
    await shot(clerk, 'story-06-case-supplement');
  }],

  ['the citizen sees the 补正 and the stopped clock', null, async () => {
    const main = await lookUp();
    assert.match(main, /等待申请人补正/, main);
    assert.match(main, /告知补正/, main);
    await shot(citizen, 'story-07-status-supplement');
  }],

  ['the supplement is recorded: the 20 working days start again', null, async () => {
    await record('supplement-received', async () => {});
    const main = await text(clerk.locator('main'));
    assert.match(main, /收到补正/, main);
    assert.match(main, /办理中/, main);
  }],

  ['the clerk decides 部分公开 with its legal basis', null, async () => {
    await record('decided', async (f) => {
      await f.locator('select[name=outcome]').selectOption('partial');
      await f.locator('input[name=legal_basis]').fill('《中华人民共和国政府信息公开条例》第三十七条');
    });
    const main = await text(clerk.locator('main'));
    assert.match(main, /办结/, main);
    assert.match(main, /部分公开/, main);
    await shot(clerk, 'story-08-case-decided');
  }],

  ['the citizen downloads the reply letter', null, async () => {
    const main = await lookUp();
    assert.match(main, /办结/, main);
    assert.match(main, /部分公开/, main);
    await shot(citizen, 'story-09-status-decided');
    const letters = citizen.locator('ul.letters li');
    const n = await letters.count();
    let reply = null;
    for (let i = 0; i < n; i++) {
      if (!/补正/.test(await text(letters.nth(i)))) reply = letters.nth(i);
    }
    assert.ok(reply, `a reply letter among ${n} letters`);
    const [download] = await Promise.all([
      citizen.waitForEvent('download'),
      reply.locator('button[value=docx]').click(),
    ]);
    const file = path.join(DATA, 'reply.docx');
    await download.saveAs(file);
    assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK', 'a DOCX (zip) file');
  }],

  [`report compute for ${YEAR} counts the case in 部分公开 under 自然人`, null, async () => {
    const out = execFileSync(BIN, ['report', 'compute', '--data', DATA, '--agency', AGENCY, '--year', String(YEAR), '--format', 'json'], { encoding: 'utf8' });
    const cells = JSON.parse(out).source.cells;
    const records = (key) => cells[key]?.records ?? [];
    assert.ok(records('table3.partial.natural_person').includes(state.number), `部分公开 × 自然人 counts ${state.number}`);
    assert.ok(records('table3.new_received.natural_person').includes(state.number), 'received this year');
  }],

  ['the clerk opens the published 2021 annual report in the back office', null, async () => {
    await clerk.goto(url('/staff/reports?year=2021'), { waitUntil: 'load' });
    const row = clerk.locator('#report-list tbody tr', { hasText: AGENCY });
    assert.match(await text(row), /已发布/, 'the seed agency\'s 2021 report is published');
    await shot(clerk, 'story-10-reports');
    await follow(clerk, row.getByRole('link', { name: AGENCY, exact: true }), /\/staff\/reports\/\d+\/2021$/);
    assert.equal(await text(clerk.locator('#report-state')), '已发布');
    assert.match(await text(clerk.locator('#report-versions')), /第1版/, 'version 1 is listed');
    assert.ok(await clerk.locator('#step-correct').count(), 'a published report offers 更正');
    assert.ok(await clerk.locator('#body-overview[readonly]').count(), 'the text of a published report is read-only');
    await shot(clerk, 'story-11-report');
  }],

  ["the clerk opens the year's work records behind section 一's figures", null, async () => {
    await follow(clerk, clerk.locator('#work-link'), /\/staff\/work\?agency=\d+&year=2021$/);
    const paragraph = await text(clerk.locator('#work-paragraph'));
    assert.ok(paragraph.includes('2021年参加上级政务公开工作专题会及业务推进培训会7次，召开政务公开推进会议2次，组织全体人员开展政务公开培训1次'), paragraph);
    assert.equal(await clerk.locator('#work-list tbody tr').count(), 16, 'the demo records of 2021');
    await shot(clerk, 'story-12-work');
  }],

  ["the clerk opens the year's 建议提案 behind section 六", url('/staff/reports?year=2021'), async () => {
    await clerk.goto(url('/staff/reports?year=2021'), { waitUntil: 'load' });
    const row = clerk.locator('#report-list tbody tr', { hasText: AGENCY });
    await follow(clerk, row.getByRole('link', { name: AGENCY, exact: true }), /\/staff\/reports\/\d+\/2021$/);
    await follow(clerk, clerk.locator('#proposals-link'), /\/staff\/proposals\?agency=\d+&year=2021$/);
    const sentence = await text(clerk.locator('#proposal-sentence'));
    assert.ok(sentence.includes('政协委员提案1件（淄博市张店区政协十二届五次会议第104号提案），办理结果为：已列入计划拟解决1件'), sentence);
    await shot(clerk, 'story-13-proposals');
  }],
];

await runSteps(citizen, steps);
