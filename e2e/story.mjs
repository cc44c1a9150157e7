// Browser test of an application's whole story (依申请公开), as the citizen and the clerk live it:
// the citizen applies online and gets a receipt (申请编号 + 查询码) → the status page says it
// awaits confirmation → the clerk signs in, sees it on the dashboard and confirms receipt → asks
// for a 补正 → the citizen's status page shows it with the clock stopped → the supplement is
// recorded → the clerk decides 部分公开 → the citizen downloads the reply letter → `gongkai report
// compute` counts the case in 部分公开 under 自然人. Then the back office behind the annual report
// (the published 2021 report, the work records, 建议提案, the 领导小组 and assessments) and the
// catalogue's 定期清理 (the demo campaign; the clerk keeps one more item); and the public's
// feedback: a citizen comments on an item page and sees the confirmation, the clerk finds it in
// 公众评议 and answers publicly, the citizen sees the answer on the item page. Last, the clerk binds
// an authenticator (动态验证码) and signs in with its code. Screenshots of every step.
//
// Environment: as e2e/harness.mjs, plus E2E_DATA (the demo server's data directory, for the demo
// staff account in demo-account.txt) and E2E_BIN (the gongkai binary, for `report compute`).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { follow, navigation, newPage, runSteps, shot, text, url } from './harness.mjs';

const DATA = process.env.E2E_DATA ?? '';
const BIN = process.env.E2E_BIN ?? '';
const AGENCY = '淄博市张店区机关事务服务中心';
const [STAFF_USER, STAFF_PASSWORD] = readFileSync(path.join(DATA, 'demo-account.txt'), 'utf8').trim().split('\n');
const YEAR = new Date(Date.now() + 8 * 3600_000).getUTCFullYear(); // the year in Beijing

// The demo's organisation records and review campaign (data/demo/zhangdian-2021-organisation.json).
const ORGANISATION_2021 = '加强组织领导。调整淄博市张店区机关事务服务中心政务公开工作领导小组，由中心主任陈立新任组长，副主任赵强任副组长，成员3人。由副主任赵强分管政务公开工作，明确办公室王明负责政府信息公开日常工作，做到有领导分管、专人负责。';
const ASSESSMENT_2021 = '工作考核情况。2021年开展政务公开工作考核2次，对5个科室进行考核，发现问题2个，已全部整改。';
const CAMPAIGN = '2022年上半年政府信息定期清理';
// What a citizen writes about an item of the 栏目 财政信息, and the clerk's public answer.
const FEEDBACK_ITEM = '淄博市张店区机关事务服务中心2021年部门预算公开';
const FEEDBACK_COMMENT = '希望在部门预算中同时说明公务用车运行维护费的测算依据。';
const FEEDBACK_ANSWER = '感谢您的建议。公务用车运行维护费的测算依据将在2022年部门预算公开时一并说明。';

/** The TOTP code (RFC 6238: HMAC-SHA1, 6 digits, 30 s) of a base32 secret at `ms`, as an authenticator app shows it. */
function totp(secret, ms) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/\s+/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

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

  ["the clerk opens the 领导小组 and the assessments behind section 一's 组织领导 and 考核", url('/staff/reports?year=2021'), async () => {
    await clerk.goto(url('/staff/reports?year=2021'), { waitUntil: 'load' });
    const row = clerk.locator('#report-list tbody tr', { hasText: AGENCY });
    await follow(clerk, row.getByRole('link', { name: AGENCY, exact: true }), /\/staff\/reports\/\d+\/2021$/);
    await follow(clerk, clerk.locator('#organisation-link'), /\/staff\/organisation\?agency=\d+&year=2021$/);
    assert.equal(await text(clerk.locator('#organisation-agency')), AGENCY);
    // The seed: 「调整…领导小组，明确专人负责政府信息公开的日常工作，做到有领导分管、专人负责」.
    const sentence = await text(clerk.locator('#organisation-sentence'));
    assert.equal(sentence, ORGANISATION_2021, sentence);
    const assessment = await text(clerk.locator('#assessment-sentence'));
    assert.equal(assessment, ASSESSMENT_2021, assessment);
    const people = clerk.locator('#appointment-list tbody tr');
    assert.equal(await people.count(), 9, 'the demo appointments');
    assert.equal(await clerk.locator('#appointment-list tbody tr.removed').count(), 2, 'two ended on 2021-04-26');
    assert.match(await text(clerk.locator('#appointment-list tbody tr.removed').first()), /2019-03-15 至 2021-04-26/);
    const results = clerk.locator('#round-list tbody tr');
    assert.equal(await results.count(), 10, 'two rounds of five sections');
    assert.match(await text(clerk.locator('#round-list')), /2021-07-30已整改/, 'a finding put right');
    await shot(clerk, 'story-14-organisation');
  }],

  ['the clerk opens 定期清理 and the demo campaign, and keeps one more item', url('/staff/catalog/items'), async () => {
    await clerk.goto(url('/staff/catalog/items'), { waitUntil: 'load' });
    await follow(clerk, clerk.locator('#cleanup-link'), /\/staff\/cleanup\?agency=\d+$/);
    assert.equal(await text(clerk.locator('#cleanup-agency')), AGENCY);
    const row = clerk.locator('#campaign-list tbody tr', { hasText: CAMPAIGN });
    assert.match(await text(row), /2022-06-30/, 'the campaign day');
    assert.match(await text(row), /清理信息41条，保留3条，待处理38条/, 'its tally');
    await shot(clerk, 'story-15-cleanup');
    await follow(clerk, row.getByRole('link', { name: CAMPAIGN, exact: true }), /\/staff\/cleanup\/\d+$/);
    assert.equal(await text(clerk.locator('h1')), CAMPAIGN);
    const entries = clerk.locator('#cleanup-entries tbody tr');
    assert.equal(await entries.count(), 41, 'the items published a year or more before 2022-06-30');
    assert.equal(await clerk.locator('#cleanup-entries tbody tr details').count(), 38, 'open entries offer a decision');
    const leaders = entries.filter({ hasText: '淄博市张店区机关事务服务中心领导信息' });
    assert.match(await text(leaders), /发布于2021-06-30，已超过1年/, 'the reason it is listed');
    await leaders.locator('details > summary').click();
    await leaders.locator('select[name=decision]').selectOption('keep');
    await leaders.locator('input[name=reason]').fill('领导信息现行有效');
    await shot(clerk, 'story-16-campaign');
    await submit(clerk, leaders.locator('button[type=submit]'), /\/staff\/cleanup\/\d+(\?.*)?(#.*)?$/);
    assert.match(await text(clerk.locator('main p.notice')), /已处理/);
    assert.match(await text(clerk.locator('#cleanup-sentence')), /清理信息41条，保留4条，待处理37条/);
    assert.match(await text(clerk.locator('#cleanup-entries tbody tr', { hasText: '淄博市张店区机关事务服务中心领导信息' })), /保留/);
    await shot(clerk, 'story-17-campaign-kept');
  }],

  ['a citizen posts feedback on an item page and sees the confirmation', null, async () => {
    await citizen.goto(url('/agencies/1/items?column=' + encodeURIComponent('财政信息')), { waitUntil: 'load' });
    await follow(citizen, citizen.locator('table.items tbody a', { hasText: FEEDBACK_ITEM }), /\/items\/\d+$/);
    state.itemUrl = citizen.url();
    const block = citizen.locator('#feedback');
    assert.match(await text(block), /暂无公开答复的评议/, 'nothing answered yet');
    await citizen.check('input[name=rating][value=basic]');
    await citizen.fill('#feedback-comment', FEEDBACK_COMMENT);
    await citizen.fill('#feedback-nickname', '张女士');
    await shot(citizen, 'story-18-feedback-form');
    await submit(citizen, citizen.locator('form.feedback-form button[type=submit]'), /\/feedback\/received(\?.*)?$/);
    assert.match(await text(citizen.locator('#feedback-received')), /感谢您的评议/);
    await shot(citizen, 'story-19-feedback-received');
  }],

  ['the clerk finds it in 公众评议 and answers it publicly', url('/staff'), async () => {
    await clerk.goto(url('/staff'), { waitUntil: 'load' });
    await follow(clerk, clerk.locator('nav.staff-nav').getByRole('link', { name: '公众评议', exact: true }), /\/staff\/feedback$/);
    const row = clerk.locator('#feedback-list tbody tr', { hasText: FEEDBACK_COMMENT });
    assert.equal(await row.count(), 1, 'the submission is listed once');
    assert.match(await text(row), /待处理/);
    assert.match(await text(row), /基本满意/);
    assert.match(await text(row), new RegExp(FEEDBACK_ITEM));
    assert.match(await text(clerk.locator('main')), /本年收到1条（不含无效），已答复0条，不满意0条/, 'the year\'s counts');
    await shot(clerk, 'story-20-feedback-moderation');
    await row.locator('select[name=action]').selectOption('publish');
    await row.locator('textarea[name=text]').fill(FEEDBACK_ANSWER);
    await submit(clerk, row.locator('button[type=submit]'), /\/staff\/feedback\?.*done=publish$/);
    assert.match(await text(clerk.locator('main p.notice')), /已公开答复/);
    const answered = clerk.locator('#feedback-list tbody tr', { hasText: FEEDBACK_COMMENT });
    assert.match(await text(answered), /已公开答复/);
    assert.match(await text(answered), new RegExp(`答复：${FEEDBACK_ANSWER}`));
    assert.match(await text(clerk.locator('#feedback-sentence')), new RegExp(`${YEAR}年度通过门户网站收到公众评议1条，已答复1条，其中不满意评价0条，目前未收到不良评议。`));
    await shot(clerk, 'story-21-feedback-answered');
  }],

  ['the citizen sees the public answer on the item page', () => state.itemUrl, async () => {
    await citizen.goto(state.itemUrl, { waitUntil: 'load' });
    const entry = citizen.locator('#feedback ol.feedback-list li');
    assert.equal(await entry.count(), 1, 'one answered submission');
    assert.match(await text(entry.locator('.feedback-meta')), /张女士.*评价：基本满意/);
    assert.equal(await text(entry.locator('.feedback-comment')), FEEDBACK_COMMENT);
    assert.match(await text(entry.locator('.feedback-answer')), new RegExp(`答复（\\d{4}-\\d{2}-\\d{2}）：${FEEDBACK_ANSWER}`));
    await entry.scrollIntoViewIfNeeded();
    await shot(citizen, 'story-22-feedback-public');
  }],

  ['the clerk binds an authenticator on 账号安全 and signs in with its code', url('/staff/account'), async () => {
    await clerk.goto(url('/staff'), { waitUntil: 'load' });
    await follow(clerk, clerk.locator('nav.staff-nav').getByRole('link', { name: '账号安全', exact: true }), /\/staff\/account$/);
    assert.equal(await clerk.locator('figure.qr svg').count(), 1, 'a QR code to scan');
    const secret = await text(clerk.locator('#totp-secret'));
    assert.match(secret, /^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$/, 'the secret grouped by four');
    await clerk.fill('#code', totp(secret, Date.now()));
    await shot(clerk, 'story-23-second-factor-enrol');
    await submit(clerk, clerk.locator('main form button[type=submit]'), /\/staff\/account\?ok=enrolled$/);
    assert.match(await text(clerk.locator('main p.notice')), /已绑定动态验证码/);
    // Signed out and in again: the password, then the code of the next step (the current one
    // was used by the enrolment, and each code is accepted once).
    await submit(clerk, clerk.locator('form.staff-nav-user button[type=submit]'), /\/staff\/signin\?out=1$/);
    await clerk.fill('#name', STAFF_USER);
    await clerk.fill('#password', STAFF_PASSWORD);
    await submit(clerk, clerk.locator('main form button[type=submit]'), /\/staff\/signin$/);
    assert.match(await text(clerk.locator('main h1')), /动态验证码/);
    assert.equal(await clerk.locator('figure.qr').count(), 0, 'no secret shown once enrolled');
    await clerk.fill('#code', totp(secret, Date.now() + 30_000));
    await shot(clerk, 'story-24-second-factor-code');
    await submit(clerk, clerk.locator('main form button[type=submit]'), /\/staff$/);
    assert.match(await text(clerk.locator('main h1')), /工作台/);
  }],
];

await runSteps(citizen, steps);
