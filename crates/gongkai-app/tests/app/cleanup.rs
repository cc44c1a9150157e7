//! Periodic review (定期清理) on both backends: a campaign lists what is due and why (a
//! normative document's term, an ended 有效期, a removed column, a dead link, a damaged
//! attachment); each decision changes the item in the same transaction — table 二's in-force
//! count follows — and refused decisions write nothing.

use crate::catalog::{agency, input, setup, staff};
use gongkai_app::catalog::{self};
use gongkai_app::cleanup::{self, CampaignInput, DecisionInput};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::user;
use gongkai_core::catalog::{Action, NormativeInput, NormativeKind, Stage, ValidityStatus};
use gongkai_core::cleanup::{Decision, ReviewRules};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::report::{AnnualReport, Layout, T2Key, Value};
use gongkai_store::repo::catalog as repo;
use gongkai_store::{Db, db_test};
use time::OffsetDateTime;
use time::macros::{date, datetime};

const T: OffsetDateTime = datetime!(2021-06-01 09:00 +08:00);
const NOW: OffsetDateTime = datetime!(2026-12-06 10:00 +08:00);

/// Publishes a draft through every step.
async fn publish(app: &gongkai_app::App, s: &crate::catalog::Staff, id: ItemId) {
    for (action, by) in [
        (Action::Submit, &s.drafter),
        (Action::ClearSecrecy, &s.secrecy),
        (Action::Approve, &s.reviewer),
        (Action::Publish, &s.publisher),
    ] {
        catalog::act(app, by, id, action, None, T)
            .await
            .expect("step");
    }
}

/// A published 行政规范性文件 in force from `effective_on` (until `ends_on`, when given).
async fn normative(
    app: &gongkai_app::App,
    s: &crate::catalog::Staff,
    a: AgencyId,
    title: &str,
    ends_on: Option<time::Date>,
) -> ItemId {
    let mut doc = input(title);
    doc.column = "政策文件".into();
    doc.formed_on = Some(date!(2021 - 03 - 01));
    doc.normative = Some(NormativeInput {
        kind: NormativeKind::NormativeDoc,
        status: ValidityStatus::Valid,
        effective_on: Some(date!(2021 - 04 - 01)),
        ends_on,
    });
    let id = catalog::create_item(app, &s.drafter, a, &doc, T)
        .await
        .expect("create")
        .item
        .id;
    publish(app, s, id).await;
    id
}

async fn plain(
    app: &gongkai_app::App,
    s: &crate::catalog::Staff,
    a: AgencyId,
    title: &str,
    column: &str,
    body: &str,
) -> ItemId {
    let mut doc = input(title);
    doc.column = column.into();
    doc.body_html = body.into();
    let id = catalog::create_item(app, &s.drafter, a, &doc, T)
        .await
        .expect("create")
        .item
        .id;
    publish(app, s, id).await;
    id
}

fn in_force(r: &AnnualReport, col: &str) -> Value {
    let key = T2Key::find(Layout::Y2021, "art20_1", "normative_docs", col).expect("key");
    r.table2.get(key).value.clone()
}

async fn table2(app: &gongkai_app::App, a: AgencyId, year: i32) -> AnnualReport {
    let mut r = AnnualReport::new("测试机关", year);
    catalog::fill_report(app, a, year, &mut r)
        .await
        .expect("fill");
    r
}

async fn corrupt_attachment(db: &Db, item: ItemId) {
    let sql = "UPDATE catalog_attachment SET content = $1 WHERE item_id = $2";
    let damaged: &[u8] = b"%PDF-1.7\n(damaged)";
    let n = match db {
        Db::Sqlite(p) => sqlx::query(sql)
            .bind(damaged)
            .bind(item.get())
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
        Db::Postgres(p) => sqlx::query(sql)
            .bind(damaged)
            .bind(item.get())
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
    }
    .expect("damage the stored content");
    assert_eq!(n, 1);
}

db_test!(
    a_cleanup_campaign_lists_what_is_due_and_its_decisions_change_the_items,
    |db| async move {
        let app = setup(db.clone()).await;
        let s = staff(&app).await;
        let a = agency(&app, "测试机关", "000014349").await;
        let term = normative(&app, &s, a, "公共机构节能管理办法", None).await;
        let ended = normative(&app, &s, a, "临时补助办法", Some(date!(2024 - 12 - 31))).await;
        let renamed = plain(&app, &s, a, "业务动态一则", "业务动态", "<p>正文</p>").await;
        let dead = plain(
            &app,
            &s,
            a,
            "会议通知",
            "会议公开",
            r#"<p>见<a href="/items/987654">原通知</a></p>"#,
        )
        .await;
        let alive = plain(
            &app,
            &s,
            a,
            "会议纪要",
            "会议公开",
            &format!(r#"<p>依据<a href="/items/{}">办法</a></p>"#, term.get()),
        )
        .await;
        // An attachment is added to a draft; its stored content is damaged after publication.
        let mut doc = input("附件信息");
        doc.column = "会议公开".into();
        let with_file = catalog::create_item(&app, &s.drafter, a, &doc, T)
            .await
            .expect("create")
            .item
            .id;
        catalog::attach(&app, &s.drafter, with_file, "方案.pdf", b"%PDF-1.7\n", T)
            .await
            .expect("attach");
        publish(&app, &s, with_file).await;
        corrupt_attachment(&db, with_file).await;
        // 业务动态 is removed from the agency's columns.
        let admin = user::actor(&app, Some("operator")).await.expect("admin");
        let mut columns = catalog::config(&app, a).await.expect("config").columns;
        columns.retain(|c| c != "业务动态");
        catalog::config::set_columns_and_pattern(
            &app,
            &admin,
            a,
            &columns,
            "{org_code}/{year}-{seq:05}",
        )
        .await
        .expect("columns");

        let before = table2(&app, a, 2026).await;
        assert_eq!(
            in_force(&before, "in_force"),
            Value::Count(1),
            "only the first is in force"
        );

        let input = CampaignInput {
            agency: "测试机关".into(),
            title: None,
            rules: ReviewRules {
                max_age_years: 10,
                normative_term_years: 5,
            },
        };
        let c = cleanup::start(&app, &s.reviewer, &input, date!(2026 - 12 - 06), NOW)
            .await
            .expect("campaign");
        assert_eq!(c.summary.title, "2026-12-06定期清理");
        let listed: Vec<(i64, Vec<&str>)> = c
            .entries
            .iter()
            .map(|e| (e.item_id, e.reason_keys.clone()))
            .collect();
        let mut want = vec![
            (term.get(), vec!["term_reached"]),
            (ended.get(), vec!["term_ended"]),
            (renamed.get(), vec!["column_gone"]),
            (dead.get(), vec!["dead_link"]),
            (with_file.get(), vec!["attachment_damaged"]),
        ];
        want.sort();
        let mut got = listed.clone();
        got.sort();
        assert_eq!(got, want, "{:#?}", c.entries);
        assert!(!listed.iter().any(|(id, _)| *id == alive.get()));
        let dead_entry = c
            .entries
            .iter()
            .find(|e| e.item_id == dead.get())
            .expect("listed");
        assert_eq!(
            dead_entry.reasons,
            ["正文链接/items/987654指向已撤回或不存在的信息"]
        );

        let decide = |item: ItemId, decision, on, reason: Option<&str>, by| {
            let app = &app;
            let input = DecisionInput {
                decision,
                on,
                reason: reason.map(str::to_string),
            };
            async move { cleanup::decide(app, by, c.summary.id, item.get(), &input, NOW).await }
        };

        // Refused decisions write nothing.
        let err = decide(
            renamed,
            Decision::Expire,
            Some(date!(2026 - 12 - 01)),
            Some("过时"),
            &s.reviewer,
        )
        .await
        .expect_err("a plain item has no validity");
        assert_eq!(err.zh(), "只有规章和行政规范性文件可以标注失效");
        let err = decide(
            renamed,
            Decision::Withdraw,
            None,
            Some("栏目撤销"),
            &s.drafter,
        )
        .await
        .expect_err("录入 may not withdraw");
        assert_eq!(err.kind(), ErrorKind::Forbidden);
        let err = decide(term, Decision::Repeal, None, Some("被替代"), &s.reviewer)
            .await
            .expect_err("a repeal needs its day");
        assert_eq!(err.zh(), "标注废止需填写失效或废止日期");
        // An item of another agency, in this agency's campaign.
        let b = agency(&app, "其他机关", "000014350").await;
        let foreign = plain(&app, &s, b, "其他机关的信息", "业务动态", "<p>正文</p>").await;
        let err = decide(foreign, Decision::Withdraw, None, Some("过时"), &s.reviewer)
            .await
            .expect_err("another agency's item");
        assert_eq!(
            err.zh(),
            format!(
                "目录信息{}不属于测试机关，不能在本机关的定期清理中处理",
                foreign.get()
            )
        );
        assert_eq!(
            repo::find_item(&db, foreign).await.expect("load").stage(),
            Stage::Published
        );
        let err = decide(alive, Decision::Keep, None, None, &s.reviewer)
            .await
            .expect_err("not listed");
        assert!(
            err.zh().contains("不在“2026-12-06定期清理”的清理清单中"),
            "{}",
            err.zh()
        );
        let unchanged = cleanup::show(&app, &s.reviewer, c.summary.id)
            .await
            .expect("show");
        assert_eq!(unchanged.summary.tally.pending, 5);
        assert_eq!(
            repo::find_item(&db, renamed).await.expect("load").stage(),
            Stage::Published
        );

        // The decisions.
        let e = decide(
            term,
            Decision::Repeal,
            Some(date!(2026 - 12 - 01)),
            Some("被新办法替代"),
            &s.reviewer,
        )
        .await
        .expect("repeal");
        assert_eq!(e.decision_label, Some("标注废止"));
        assert_eq!(e.effective_on.as_deref(), Some("2026-12-01"));
        decide(
            ended,
            Decision::Expire,
            Some(date!(2024 - 12 - 31)),
            Some("有效期届满"),
            &s.drafter,
        )
        .await
        .expect("expire");
        decide(
            renamed,
            Decision::Withdraw,
            None,
            Some("栏目已撤销"),
            &s.publisher,
        )
        .await
        .expect("withdraw");
        decide(dead, Decision::Keep, None, None, &s.drafter)
            .await
            .expect("keep");
        let err = decide(dead, Decision::Withdraw, None, Some("再次"), &s.publisher)
            .await
            .expect_err("decided once");
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert_eq!(err.zh(), "目录信息“会议通知”已处理（保留），不能再次处理");

        // The items changed with the decisions …
        let t = repo::find_item(&db, term).await.expect("load");
        let v = t.normative.as_ref().expect("normative").current();
        assert_eq!(
            (v.status, v.ends_on),
            (ValidityStatus::Repealed, Some(date!(2026 - 12 - 01)))
        );
        let x = repo::find_item(&db, ended).await.expect("load");
        assert_eq!(
            x.normative.as_ref().expect("normative").current().status,
            ValidityStatus::Expired
        );
        assert_eq!(
            repo::find_item(&db, renamed).await.expect("load").stage(),
            Stage::Withdrawn
        );
        assert_eq!(
            repo::find_item(&db, dead).await.expect("load").stage(),
            Stage::Published
        );
        // … and table 二 follows: the repealed document leaves the in-force count.
        let after = table2(&app, a, 2026).await;
        assert_eq!(in_force(&after, "in_force"), Value::Count(0));
        assert_eq!(in_force(&after, "repealed"), Value::Count(1));

        let c = cleanup::show(&app, &s.reviewer, c.summary.id)
            .await
            .expect("show");
        assert_eq!(
            c.summary.sentence,
            "清理信息5条，保留1条，标注失效1条，标注废止1条，撤回1条，待处理1条"
        );
        let all = cleanup::list(&app, &s.drafter, "测试机关")
            .await
            .expect("list");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].tally, c.summary.tally);
        // A second campaign no longer lists what was decided away (the withdrawn item, the
        // repealed and expired documents); what was kept is listed again.
        let again = cleanup::start(&app, &s.drafter, &input, date!(2026 - 12 - 06), NOW)
            .await
            .expect("second campaign");
        let mut ids: Vec<i64> = again.entries.iter().map(|e| e.item_id).collect();
        ids.sort();
        let mut want = vec![dead.get(), with_file.get()];
        want.sort();
        assert_eq!(ids, want);
    }
);

db_test!(
    a_campaign_refuses_bad_settings_and_users_without_the_role,
    |db| async move {
        let app = setup(db.clone()).await;
        let s = staff(&app).await;
        agency(&app, "测试机关", "000014349").await;
        let bad = CampaignInput {
            agency: "测试机关".into(),
            title: None,
            rules: ReviewRules {
                max_age_years: 0,
                normative_term_years: 5,
            },
        };
        let err = cleanup::start(&app, &s.reviewer, &bad, date!(2026 - 12 - 06), NOW)
            .await
            .expect_err("zero years");
        assert_eq!(err.zh(), "信息发布年限应在1至50年之间");
        let ok = CampaignInput {
            rules: ReviewRules::default(),
            ..bad
        };
        let err = cleanup::start(&app, &s.secrecy, &ok, date!(2026 - 12 - 06), NOW)
            .await
            .expect_err("保密审查 alone may not");
        assert_eq!(err.kind(), ErrorKind::Forbidden);
        assert!(
            cleanup::list(&app, &s.reviewer, "测试机关")
                .await
                .expect("list")
                .is_empty(),
            "nothing stored"
        );
        let c = cleanup::start(&app, &s.reviewer, &ok, date!(2026 - 12 - 06), NOW)
            .await
            .expect("an empty catalogue");
        assert!(c.entries.is_empty());
        assert_eq!(c.summary.sentence, "清理信息0条");
    }
);

db_test!(
    the_demo_campaign_is_open_and_changes_no_figure_of_the_seed,
    |db| async move {
        let s = crate::work::setup(db).await;
        let app = &s.app;
        let agency = gongkai_app::catalog::demo::DEMO_AGENCY;
        let all = cleanup::list(app, &s.wang, agency).await.expect("list");
        assert_eq!(all.len(), 1);
        let c = cleanup::show(app, &s.wang, all[0].id).await.expect("show");
        assert_eq!(c.summary.title, "2022年上半年政府信息定期清理");
        assert_eq!(c.summary.as_of, "2022-06-30");
        assert_eq!(c.summary.started_by, "王明");
        // The items published a year or more before 2022-06-30: three kept, the rest open.
        assert_eq!(c.entries.len(), 41);
        assert_eq!(c.summary.sentence, "清理信息41条，保留3条，待处理38条");
        assert!(
            c.entries
                .iter()
                .filter(|e| e.decision.is_some())
                .all(|e| e.decision == Some("keep") && e.column == "政务公开保障机制")
        );
        // Nothing kept or left open changes what the seed states.
        let seed: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json"
        ))
        .expect("seed");
        let computed = gongkai_app::report::compute(app, agency, 2021)
            .await
            .expect("compute");
        let ours = gongkai_core::report::json::to_json(&computed, None);
        for part in ["proactive", "table2"] {
            assert_eq!(ours[part], seed[part], "{part}");
        }
    }
);
