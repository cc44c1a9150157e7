//! The annual report over HTTP, on both backends (docs/back-office.md#the-annual-report,
//! docs/rules/annual-report.md#workflow): a clerk writes and clears a section, an incomplete
//! report is refused with the rule and cells named, the report is submitted, returned with a
//! reason, resubmitted, approved and published by someone else than its submitter; the portal
//! then lists it and serves its files, a published report's text is frozen, and a correction
//! publishes version 2 with version 1 unchanged byte for byte. Forged posts and another
//! agency's users change nothing.

use super::office_kit::{Browser, Got, PW, Site, T0, encode, hidden};
use axum::http::{StatusCode, header};
use gongkai_app::catalog::{self, Table2Input};
use gongkai_app::report::workflow;
use gongkai_app::{auth, user};
use gongkai_core::ids::AgencyId;
use gongkai_core::user::Role;
use gongkai_store::db_test;

const YEAR: i32 = 2023;
const INTRO: &str = "本报告由张店区某局根据条例编制，此为临时文字。";
const PROBLEMS: &str = "存在的主要问题：公开内容的规范性有待提高。\n改进措施：加强培训。";
const RETURNED_FIX: &str =
    "存在的主要问题：主动公开的时效性有待提高。\n改进措施：建立台账，按月通报。";
const CORRECTED: &str = "更正后的第六部分：本年度未收取信息处理费，承办建议提案2件。";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The text of a section's textarea on the report page (as the page escapes it).
fn textarea(body: &str, key: &str) -> String {
    let at = body
        .find(&format!("<textarea id=\"body-{key}\""))
        .unwrap_or_else(|| panic!("no section {key} in {body}"));
    let rest = &body[at..];
    let rest = &rest[rest.find('>').expect("end of tag") + 1..];
    rest[..rest.find("</textarea>").expect("end of textarea")].to_string()
}

/// The state shown on the report page.
fn state(body: &str) -> &str {
    let at = body
        .find("<td id=\"report-state\">")
        .unwrap_or_else(|| panic!("no state in {body}"));
    let rest = &body[at + "<td id=\"report-state\">".len()..];
    &rest[..rest.find("</td>").expect("end of state")]
}

/// The error shown on the report page.
fn error(body: &str) -> &str {
    let at = body
        .find("<p class=\"error\" role=\"alert\" id=\"report-error\">")
        .unwrap_or_else(|| panic!("no error in {body}"));
    let rest = &body[at..];
    let rest = &rest[rest.find('>').expect("tag") + 1..];
    &rest[..rest.find("</p>").expect("end of error")]
}

fn content_type(got: &Got) -> &str {
    got.headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The id of 张店区某局, from the link of the staff list of reports.
async fn zhangdian(site: &Site, b: &mut Browser) -> i64 {
    let list = site.get(b, "/staff/reports").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let end = list
        .body
        .find(&format!("/{YEAR}\">张店区某局</a>"))
        .unwrap_or_else(|| panic!("no 张店区某局 {YEAR} in {}", list.body));
    let start = list.body[..end].rfind("/staff/reports/").expect("link") + "/staff/reports/".len();
    list.body[start..end].parse().expect("agency id")
}

/// A user of 张店区某局 with `roles`, password [`PW`].
async fn colleague(site: &Site, name: &str, display: &str, roles: &[Role]) {
    user::add(
        &site.app,
        &site.security,
        user::NewUserInput {
            name: name.into(),
            display_name: Some(display.into()),
            roles: roles.to_vec(),
            agency: Some("张店区某局".into()),
            region: None,
        },
    )
    .await
    .expect(name);
    auth::set_password(&site.app, &site.security, name, PW, T0)
        .await
        .expect("password");
}

/// Enters, as `clerk`, the table 二 cells nobody else computes (as the app's report tests do).
async fn complete_table2(site: &Site, clerk: &str, agency: i64) {
    let actor = user::actor(&site.app, Some(clerk)).await.expect(clerk);
    for cell in [
        "art20_5.admin_license.decisions",
        "art20_6.admin_penalty.decisions",
        "art20_6.admin_coercion.decisions",
        "art20_8.admin_fees.fee_amount",
    ] {
        catalog::enter_table2(
            &site.app,
            &actor,
            &Table2Input {
                agency: AgencyId::new(agency),
                year: YEAR,
                cell: cell.into(),
                value: "0".into(),
                note: Some("业务台账".into()),
            },
        )
        .await
        .expect(cell);
    }
}

/// The number of recorded workflow steps (as 管理员 sees them).
async fn steps(site: &Site) -> usize {
    workflow::status(&site.app, &site.admin, "000000009", YEAR)
        .await
        .expect("status")
        .steps
        .len()
}

struct Desk<'a> {
    site: &'a Site,
    path: String,
}

impl Desk<'_> {
    /// The report page as `b` sees it (200), and its form token.
    async fn open(&self, b: &mut Browser) -> (String, String) {
        let page = self.site.get(b, &self.path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let token = hidden(&page.body, "csrf_token");
        (page.body, token)
    }

    /// Follows a redirect back to the report page and checks its notice.
    async fn after(&self, b: &mut Browser, got: Got, done: &str, notice: &str) -> String {
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        assert_eq!(got.location(), format!("{}?done={done}", self.path));
        let page = self.site.get(b, got.location()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body
                .contains(&format!("<p class=\"notice\" role=\"status\">{notice}</p>")),
            "{notice}: {}",
            page.body
        );
        page.body
    }

    async fn section(&self, b: &mut Browser, key: &str, body: &str, what: &str) -> Got {
        let (_, token) = self.open(b).await;
        self.site
            .post(
                b,
                &format!("{}/narrative", self.path),
                &[
                    ("csrf_token", &token),
                    ("section", key),
                    ("body", body),
                    ("do", what),
                ],
            )
            .await
    }

    async fn step(&self, b: &mut Browser, action: &str, reason: &str) -> Got {
        let (_, token) = self.open(b).await;
        self.site
            .post(
                b,
                &format!("{}/step", self.path),
                &[
                    ("csrf_token", &token),
                    ("action", action),
                    ("reason", reason),
                ],
            )
            .await
    }
}

/// A public download: 200, its media type, and its bytes.
async fn download(site: &Site, path: &str, media: &str) -> Vec<u8> {
    let got = site.get(&mut Browser::default(), path).await;
    assert_eq!(got.status, StatusCode::OK, "{path}: {}", got.body);
    assert!(
        content_type(&got).starts_with(media),
        "{path}: {:?}",
        got.headers
    );
    assert!(got.bytes.len() > 1000, "{path}: {} bytes", got.bytes.len());
    got.bytes
}

db_test!(
    staff_write_submit_return_publish_and_correct_the_annual_report,
    |db| async move {
        let site = Site::new(db).await;
        // 张店区某局's head of office may submit and review, but not both for one submission.
        colleague(&site, "zhuren", "吴主任", &[Role::Entry, Role::Review]).await;
        let mut luru = site.signed_in("luru").await;
        let mut shenhe = site.signed_in("shenhe").await;
        let mut zhuren = site.signed_in("zhuren").await;
        let mut citizen = Browser::default();

        // The list shows the clerk's own agency for last year, a draft.
        let list = site.get(&mut luru, "/staff/reports").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("2023年度报告"), "{}", list.body);
        assert!(!list.body.contains("淄川区某局"), "{}", list.body);
        let id = zhangdian(&site, &mut luru).await;
        assert!(
            list.body.contains(&format!(
                "<a href=\"/staff/reports/{id}/{YEAR}\">张店区某局</a></td><td>草稿</td>"
            )),
            "{}",
            list.body
        );
        let desk = Desk {
            site: &site,
            path: format!("/staff/reports/{id}/{YEAR}"),
        };
        let public = format!("/agencies/{id}/reports");

        // Nothing is public before a publication.
        let none = site.get(&mut citizen, &public).await;
        assert_eq!(none.status, StatusCode::OK, "{}", none.body);
        assert!(none.body.contains("暂无已发布的年度报告"), "{}", none.body);
        assert!(!none.body.contains(&format!("/reports/{YEAR}")));
        for p in ["", "/json", "/docx", "/pdf", "?v=1"] {
            let got = site.get(&mut citizen, &format!("{public}/{YEAR}{p}")).await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "{p}: {}", got.body);
        }

        // 1. The page: a draft with the generated text; the clerk writes 引言 and sees it…
        let (page, _) = desk.open(&mut luru).await;
        assert_eq!(state(&page), "草稿");
        assert!(page.contains("id=\"step-submit\""));
        assert!(!page.contains("id=\"step-approve\""));
        let drafted = textarea(&page, "intro");
        assert!(drafted.contains("张店区某局"), "{drafted}");
        assert!(!page.contains(INTRO));
        let saved = desk.section(&mut luru, "intro", INTRO, "save").await;
        let page = desk.after(&mut luru, saved, "saved", "已保存。").await;
        assert_eq!(textarea(&page, "intro"), INTRO);
        assert!(page.contains("<button type=\"submit\" name=\"do\" value=\"clear\">"));
        // …in the draft's own page too.
        let preview = site
            .get(&mut luru, &format!("{}/draft/html", desk.path))
            .await;
        assert_eq!(preview.status, StatusCode::OK);
        assert!(preview.body.contains(INTRO), "{}", preview.body);
        // Clearing it brings the generated draft back.
        let cleared = desk.section(&mut luru, "intro", "", "clear").await;
        let page = desk
            .after(&mut luru, cleared, "cleared", "已恢复为自动生成的草稿。")
            .await;
        assert_eq!(textarea(&page, "intro"), drafted);
        assert!(!page.contains(INTRO));
        // An empty save is refused with what to do instead.
        let empty = desk.section(&mut luru, "intro", "  \n", "save").await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{}", empty.body);
        assert!(empty.body.contains("请选择清除"), "{}", empty.body);
        let saved = desk.section(&mut luru, "problems", PROBLEMS, "save").await;
        let page = desk.after(&mut luru, saved, "saved", "已保存。").await;
        assert_eq!(textarea(&page, "problems"), PROBLEMS);

        // 6. The clerk downloads the draft before anything is published.
        let docx = site
            .get(&mut luru, &format!("{}/draft/docx", desk.path))
            .await;
        assert_eq!(docx.status, StatusCode::OK, "{}", docx.body);
        assert_eq!(content_type(&docx), DOCX);
        assert!(docx.bytes.starts_with(b"PK") && docx.bytes.len() > 1000);
        assert!(
            docx.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap_or("")
                .starts_with("attachment; filename=\"report-2023.docx\"")
        );

        // 2. Table 二's entered cells are blank: the submission is refused, the rule and the
        // cells named, and nothing recorded.
        assert!(page.contains("【须改正，否则不能提交】"), "{page}");
        let refused = desk.step(&mut luru, "submit", "").await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        let message = error(&refused.body);
        assert!(
            message.contains("不能提交")
                && message.contains("T2-1")
                && message.contains("art20_5.admin_license.decisions"),
            "{message}"
        );
        assert_eq!(state(&refused.body), "草稿");
        assert_eq!(steps(&site).await, 0);
        let (page, _) = desk.open(&mut luru).await;
        assert_eq!(state(&page), "草稿");
        assert!(!page.contains("id=\"report-log\""));

        // 3. Complete, it is submitted by 李录, who may not approve it (not a reviewer).
        complete_table2(&site, "luru", id).await;
        let (page, _) = desk.open(&mut luru).await;
        assert!(!page.contains("【须改正，否则不能提交】"), "{page}");
        let submitted = desk.step(&mut luru, "submit", "").await;
        let page = desk
            .after(&mut luru, submitted, "submit", "已提交审核。")
            .await;
        assert_eq!(state(&page), "已提交待审核");
        assert!(page.contains("正文不可修改；如需修改，请先退回"), "{page}");
        assert!(
            page.contains("<textarea id=\"body-problems\" name=\"body\" rows=\"10\" readonly>")
        );
        assert!(!page.contains("id=\"step-approve\""), "{page}");
        let own = desk.step(&mut luru, "approve", "").await;
        assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.body);
        assert!(
            error(&own.body).contains("李录无权对年度报告审核通过"),
            "{}",
            own.body
        );
        assert_eq!(state(&own.body), "已提交待审核");
        // While submitted, the text is frozen.
        let frozen = desk.section(&mut luru, "problems", "改一下", "save").await;
        assert_eq!(frozen.status, StatusCode::CONFLICT, "{}", frozen.body);
        assert!(
            frozen.body.contains("不能修改正文（如需修改，请先退回）"),
            "{}",
            frozen.body
        );

        // 赵审 returns it: a reason is required, and shown.
        let (page, _) = desk.open(&mut shenhe).await;
        for s in ["return", "approve"] {
            assert!(page.contains(&format!("id=\"step-{s}\"")), "{s}: {page}");
        }
        assert!(!page.contains("id=\"step-submit\""));
        let bare = desk.step(&mut shenhe, "return", "  ").await;
        assert_eq!(bare.status, StatusCode::BAD_REQUEST, "{}", bare.body);
        assert!(
            error(&bare.body).contains("退回修改须说明理由"),
            "{}",
            bare.body
        );
        assert_eq!(steps(&site).await, 1);
        let returned = desk
            .step(&mut shenhe, "return", "第五部分要写具体措施")
            .await;
        let page = desk
            .after(&mut shenhe, returned, "return", "已退回修改。")
            .await;
        assert_eq!(state(&page), "已退回修改");
        assert!(
            page.contains("赵审 退回修改：第五部分要写具体措施"),
            "{page}"
        );
        let (page, _) = desk.open(&mut luru).await;
        assert!(page.contains("退回修改：第五部分要写具体措施"), "{page}");
        // Editable again.
        let fixed = desk
            .section(&mut luru, "problems", RETURNED_FIX, "save")
            .await;
        desk.after(&mut luru, fixed, "saved", "已保存。").await;

        // 吴主任 resubmits; as the submitter, 吴主任 may not approve it though a reviewer.
        let again = desk.step(&mut zhuren, "submit", "").await;
        let page = desk
            .after(&mut zhuren, again, "submit", "已提交审核。")
            .await;
        assert!(!page.contains("id=\"step-approve\""), "{page}");
        assert!(page.contains("id=\"step-return\""), "{page}");
        let own = desk.step(&mut zhuren, "approve", "").await;
        assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.body);
        assert_eq!(
            error(&own.body),
            "报告由本人提交，应由其他审核人员审核和发布"
        );
        assert_eq!(state(&own.body), "已提交待审核");
        assert_eq!(steps(&site).await, 3);

        // Nor may 赵审 publish before approving; then approves and publishes.
        let early = desk.step(&mut shenhe, "publish", "").await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
        assert!(error(&early.body).contains("不能发布"), "{}", early.body);
        let approved = desk.step(&mut shenhe, "approve", "").await;
        let page = desk
            .after(&mut shenhe, approved, "approve", "已审核通过。")
            .await;
        assert_eq!(state(&page), "已审核待发布");
        let published = desk.step(&mut shenhe, "publish", "").await;
        let page = desk
            .after(
                &mut shenhe,
                published,
                "publish",
                "已发布，门户网站“政府信息公开年报”栏目即时显示。",
            )
            .await;
        assert_eq!(state(&page), "已发布");
        assert!(page.contains("第1版（<a href=\"/agencies/"), "{page}");
        assert!(page.contains("第1版，2024-05-06"), "{page}");

        // 4. A published report's text is frozen: the save is refused and changes nothing.
        let late = desk
            .section(&mut luru, "problems", "发布后改写", "save")
            .await;
        assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
        assert!(
            error(&late.body)
                .contains("报告当前为“已发布”，不能修改正文（已发布的版本不可修改，请先办理更正）"),
            "{}",
            late.body
        );
        let (page, _) = desk.open(&mut luru).await;
        assert_eq!(textarea(&page, "problems"), RETURNED_FIX);
        assert!(page.contains("id=\"step-correct\""), "{page}");
        let list = site.get(&mut luru, "/staff/reports").await;
        assert!(
            list.body.contains("张店区某局</a></td><td>已发布</td>"),
            "{}",
            list.body
        );

        // The portal lists the year and serves the report and its files.
        let listed = site.get(&mut citizen, &public).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        assert!(
            listed.body.contains(&format!(
                "<a href=\"{public}/{YEAR}\">张店区某局2023年政府信息公开工作年度报告</a>"
            )),
            "{}",
            listed.body
        );
        assert!(!listed.body.contains("（第2版）"));
        let year = site.get(&mut citizen, &format!("{public}/{YEAR}")).await;
        assert_eq!(year.status, StatusCode::OK, "{}", year.body);
        assert!(content_type(&year).starts_with("text/html"));
        assert!(year.body.contains("张店区某局"), "{}", year.body);
        assert!(
            year.body.contains("主动公开的时效性有待提高"),
            "{}",
            year.body
        );
        assert!(year.body.contains("第1版（现行版本）"), "{}", year.body);
        assert!(!year.body.contains("历次版本"), "{}", year.body);
        let docx = download(&site, &format!("{public}/{YEAR}/docx"), DOCX).await;
        assert!(docx.starts_with(b"PK"));
        let xlsx = download(&site, &format!("{public}/{YEAR}/xlsx"), XLSX).await;
        assert!(xlsx.starts_with(b"PK"));
        let pdf = download(&site, &format!("{public}/{YEAR}/pdf"), "application/pdf").await;
        assert!(pdf.starts_with(b"%PDF"));
        let first = download(&site, &format!("{public}/{YEAR}/json"), "application/json").await;
        let doc: serde_json::Value = serde_json::from_slice(&first).expect("json");
        assert_eq!(doc["year"], YEAR);
        assert!(String::from_utf8_lossy(&first).contains("主动公开的时效性有待提高"));
        let unknown = site
            .get(&mut citizen, &format!("{public}/{YEAR}/exe"))
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        // 5. A correction needs a reason; it reopens the report, and the next publication is
        // version 2.
        let bare = desk.step(&mut luru, "correct", "").await;
        assert_eq!(bare.status, StatusCode::BAD_REQUEST, "{}", bare.body);
        assert!(
            error(&bare.body).contains("更正须说明理由"),
            "{}",
            bare.body
        );
        let reopened = desk
            .step(&mut luru, "correct", "补充第六部分提案办理情况")
            .await;
        let page = desk
            .after(
                &mut luru,
                reopened,
                "correct",
                "已开始更正：修改后重新提交审核，发布时生成新版本。",
            )
            .await;
        assert_eq!(state(&page), "草稿");
        let saved = desk.section(&mut luru, "other", CORRECTED, "save").await;
        desk.after(&mut luru, saved, "saved", "已保存。").await;
        // The published version is still what the portal serves meanwhile.
        let meanwhile = site
            .get(&mut citizen, &format!("{public}/{YEAR}/json"))
            .await;
        assert_eq!(meanwhile.bytes, first);
        let resubmitted = desk.step(&mut luru, "submit", "").await;
        desk.after(&mut luru, resubmitted, "submit", "已提交审核。")
            .await;
        let approved = desk.step(&mut shenhe, "approve", "").await;
        desk.after(&mut shenhe, approved, "approve", "已审核通过。")
            .await;
        let published = desk.step(&mut shenhe, "publish", "").await;
        let page = desk
            .after(
                &mut shenhe,
                published,
                "publish",
                "已发布，门户网站“政府信息公开年报”栏目即时显示。",
            )
            .await;
        assert!(page.contains("第2版（<a href=\"/agencies/"), "{page}");
        assert!(
            page.contains("更正理由：补充第六部分提案办理情况"),
            "{page}"
        );

        // The portal: version 2 is current, version 1 a link away and unchanged byte for byte.
        let listed = site.get(&mut citizen, &public).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        for want in [
            "张店区某局2023年政府信息公开工作年度报告</a>（第2版）".to_string(),
            "历次版本（2）".into(),
            format!("<a href=\"{public}/{YEAR}?v=1\">在线阅读</a>"),
            format!("<a href=\"{public}/{YEAR}?v=2\">在线阅读</a>"),
            "第2版，2024-05-06".into(),
            "更正理由：补充第六部分提案办理情况".into(),
        ] {
            assert!(listed.body.contains(&want), "{want}: {}", listed.body);
        }
        let current = site.get(&mut citizen, &format!("{public}/{YEAR}")).await;
        assert_eq!(current.status, StatusCode::OK);
        assert!(current.body.contains(CORRECTED), "{}", current.body);
        assert!(
            current.body.contains("第2版（现行版本）"),
            "{}",
            current.body
        );
        assert!(
            current
                .body
                .contains(&format!("<a href=\"{public}/{YEAR}?v=1\">第1版</a>")),
            "{}",
            current.body
        );
        let old = site
            .get(&mut citizen, &format!("{public}/{YEAR}?v=1"))
            .await;
        assert_eq!(old.status, StatusCode::OK, "{}", old.body);
        assert!(!old.body.contains(CORRECTED), "{}", old.body);
        assert!(old.body.contains("主动公开的时效性有待提高"));
        assert!(old.body.contains("第1版（已被第2版更正"), "{}", old.body);
        let v1 = download(
            &site,
            &format!("{public}/{YEAR}/json?v=1"),
            "application/json",
        )
        .await;
        assert_eq!(v1, first, "version 1 byte for byte");
        let v2 = download(&site, &format!("{public}/{YEAR}/json"), "application/json").await;
        assert_ne!(v2, first);
        assert!(String::from_utf8_lossy(&v2).contains(CORRECTED));
        let docx2 = site
            .get(&mut citizen, &format!("{public}/{YEAR}/docx"))
            .await;
        assert!(
            docx2.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap_or("")
                .contains(&percent("（第2版）")),
            "{:?}",
            docx2.headers
        );
        let none = site
            .get(&mut citizen, &format!("{public}/{YEAR}?v=3"))
            .await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
    }
);

/// Percent-encodes UTF-8 as the `filename*` of a download does.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

db_test!(
    forged_posts_and_another_agencys_users_change_no_annual_report,
    |db| async move {
        let site = Site::new(db).await;
        let mut luru = site.signed_in("luru").await;
        let id = zhangdian(&site, &mut luru).await;
        let desk = Desk {
            site: &site,
            path: format!("/staff/reports/{id}/{YEAR}"),
        };
        complete_table2(&site, "luru", id).await;
        let (page, token) = desk.open(&mut luru).await;
        let drafted = textarea(&page, "intro");

        // 7. Without the form's token, or with a wrong one, refused (403) and nothing written.
        let wrong = "00".repeat(64);
        for t in ["", wrong.as_str()] {
            let mut pairs = vec![("section", "intro"), ("body", INTRO), ("do", "save")];
            if !t.is_empty() {
                pairs.push(("csrf_token", t));
            }
            let got = site
                .post(&mut luru, &format!("{}/narrative", desk.path), &pairs)
                .await;
            assert_eq!(got.status, StatusCode::FORBIDDEN, "{t:?}: {}", got.body);
            let mut pairs = vec![("action", "submit"), ("reason", "")];
            if !t.is_empty() {
                pairs.push(("csrf_token", t));
            }
            let got = site
                .post(&mut luru, &format!("{}/step", desk.path), &pairs)
                .await;
            assert_eq!(got.status, StatusCode::FORBIDDEN, "{t:?}: {}", got.body);
        }
        // Another user's token is not this session's.
        let mut shenhe = site.signed_in("shenhe").await;
        let theirs = site.token(&mut shenhe).await;
        let got = site
            .post(
                &mut luru,
                &format!("{}/step", desk.path),
                &[("csrf_token", &theirs), ("action", "submit")],
            )
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN, "{}", got.body);
        // And a valid token from another site is not same-origin.
        let cross = site
            .send(
                &mut luru,
                axum::http::Request::builder()
                    .method("POST")
                    .uri(format!("{}/step", desk.path))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "cross-site"),
                axum::body::Body::from(encode(&[
                    ("csrf_token", token.as_str()),
                    ("action", "submit"),
                ])),
            )
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN, "{}", cross.body);
        let (page, _) = desk.open(&mut luru).await;
        assert_eq!(state(&page), "草稿");
        assert_eq!(textarea(&page, "intro"), drafted);
        assert_eq!(steps(&site).await, 0);

        // Another agency's user (录入 and 审核 of 淄川区某局) neither sees nor touches the
        // report: it does not exist for them (404), and their own list has only their agency.
        let mut qita = site.signed_in("qita").await;
        let list = site.get(&mut qita, "/staff/reports").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("淄川区某局"), "{}", list.body);
        assert!(!list.body.contains("张店区某局"), "{}", list.body);
        for path in [
            desk.path.clone(),
            format!("{}/draft/docx", desk.path),
            format!("{}/draft/json", desk.path),
        ] {
            let got = site.get(&mut qita, &path).await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}: {}", got.body);
            assert!(!got.body.contains("张店区某局"), "{path}: {}", got.body);
        }
        let token = site.token(&mut qita).await;
        let got = site
            .post(
                &mut qita,
                &format!("{}/narrative", desk.path),
                &[
                    ("csrf_token", &token),
                    ("section", "intro"),
                    ("body", INTRO),
                    ("do", "save"),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{}", got.body);
        for action in ["submit", "approve"] {
            let got = site
                .post(
                    &mut qita,
                    &format!("{}/step", desk.path),
                    &[("csrf_token", &token), ("action", action), ("reason", "")],
                )
                .await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "{action}: {}", got.body);
        }
        let (page, _) = desk.open(&mut luru).await;
        assert_eq!(state(&page), "草稿");
        assert_eq!(textarea(&page, "intro"), drafted);
        assert_eq!(steps(&site).await, 0);

        // A 保密审查-only user of the agency reads the report but may not write it (403).
        let mut baomi = site.signed_in("baomi").await;
        let (page, token) = desk.open(&mut baomi).await;
        assert!(!page.contains("class=\"staff-step\""), "{page}");
        let got = site
            .post(
                &mut baomi,
                &format!("{}/narrative", desk.path),
                &[
                    ("csrf_token", &token),
                    ("section", "intro"),
                    ("body", INTRO),
                    ("do", "save"),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN, "{}", got.body);
        assert!(got.body.contains("王保无权编写年度报告"), "{}", got.body);
        let got = site
            .post(
                &mut baomi,
                &format!("{}/step", desk.path),
                &[("csrf_token", &token), ("action", "submit"), ("reason", "")],
            )
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN, "{}", got.body);
        assert_eq!(steps(&site).await, 0);

        // Unknown agencies, years, steps and formats.
        for path in [
            format!("/staff/reports/999999/{YEAR}"),
            format!("/staff/reports/x/{YEAR}"),
            format!("/staff/reports/{id}/x"),
            format!("/staff/reports/{id}/{YEAR}/draft/exe"),
        ] {
            let got = site.get(&mut luru, &path).await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}: {}", got.body);
        }
        let (_, token) = desk.open(&mut luru).await;
        let got = site
            .post(
                &mut luru,
                &format!("{}/step", desk.path),
                &[("csrf_token", &token), ("action", "delete")],
            )
            .await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{}", got.body);
        assert!(got.body.contains("未知的办理步骤"), "{}", got.body);
        let got = site.get(&mut luru, "/staff/reports?year=1999").await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{}", got.body);
    }
);
