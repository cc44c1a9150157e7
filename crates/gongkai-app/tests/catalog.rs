//! Catalogue use cases on both backends: 索引号 uniqueness under concurrent publication, refused
//! transitions that write nothing, and the seed agency's section 一 and table 二 computed from the
//! demo catalogue.

use gongkai_app::catalog::{self, CatalogAppError, demo};
use gongkai_core::catalog::{Action, CatalogError, ItemInput, Stage};
use gongkai_core::report::AnnualReport;
use gongkai_store::repo::catalog::{self as repo, ItemFilter};
use gongkai_store::{Db, StoreError, db_test};
use std::collections::BTreeSet;
use time::OffsetDateTime;
use time::macros::{date, datetime};

const T: OffsetDateTime = datetime!(2021-06-01 09:00 +08:00);

use gongkai_store::testing::agency;

fn input(title: &str) -> ItemInput {
    ItemInput {
        title: title.into(),
        publisher: "测试机关".into(),
        formed_on: Some(date!(2021 - 05 - 31)),
        column: "业务动态".into(),
        summary: "测试。".into(),
        body_html: "<p>正文</p>".into(),
        ..ItemInput::default()
    }
}

async fn approved(db: &Db, agency_id: i64, title: &str) -> i64 {
    let item = catalog::create_item(db, agency_id, &input(title), "拟稿人", T)
        .await
        .expect("create");
    let id: i64 = item.id.parse().expect("numeric id");
    catalog::act(db, id, Action::Submit, "拟稿人", T, None)
        .await
        .expect("submit");
    catalog::act(db, id, Action::ClearSecrecy, "保密员", T, None)
        .await
        .expect("secrecy");
    catalog::act(db, id, Action::Approve, "审核人", T, None)
        .await
        .expect("approve");
    id
}

db_test!(
    index_numbers_unique_under_concurrent_publication,
    |db| async move {
        let a = agency(&db, "测试机关", "000014349").await;
        let mut ids = Vec::new();
        for n in 0..10 {
            ids.push(approved(&db, a, &format!("信息{n}")).await);
        }
        // Two writers publish five items each at the same time.
        let (left, right) = ids.split_at(5);
        let run = |db: Db, ids: Vec<i64>| {
            tokio::spawn(async move {
                let mut out = Vec::new();
                for id in ids {
                    let item = catalog::publish(&db, id, "发布人", T)
                        .await
                        .expect("publish");
                    out.push(item.index_number.expect("assigned"));
                }
                out
            })
        };
        let w1 = run(db.clone(), left.to_vec());
        let w2 = run(db.clone(), right.to_vec());
        let mut numbers = w1.await.expect("writer 1");
        numbers.extend(w2.await.expect("writer 2"));
        let distinct: BTreeSet<String> = numbers.iter().cloned().collect();
        let expected: BTreeSet<String> =
            (1..=10).map(|n| format!("000014349/2021-{n:05}")).collect();
        assert_eq!(distinct, expected);
        // And in the database.
        let stored: BTreeSet<String> = repo::list_items(&db, a, &ItemFilter::default())
            .await
            .expect("list")
            .into_iter()
            .filter_map(|i| i.index_number)
            .collect();
        assert_eq!(stored, expected);

        // Two writers race to publish the same item: exactly one wins, one number is used.
        let id = approved(&db, a, "同一条信息").await;
        let p1 = tokio::spawn({
            let db = db.clone();
            async move { catalog::publish(&db, id, "甲", T).await }
        });
        let p2 = tokio::spawn({
            let db = db.clone();
            async move { catalog::publish(&db, id, "乙", T).await }
        });
        let results = [p1.await.expect("task"), p2.await.expect("task")];
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        let item = repo::find_item(&db, id).await.expect("item");
        assert_eq!(item.index_number.as_deref(), Some("000014349/2021-00011"));
        assert_eq!(
            item.workflow
                .steps()
                .iter()
                .filter(|s| s.action == Action::Publish)
                .count(),
            1
        );

        // A withdrawn item keeps its number; the next publication does not reuse it.
        catalog::act(&db, id, Action::Withdraw, "审核人", T, Some("信息有误"))
            .await
            .expect("withdraw");
        let next = approved(&db, a, "下一条").await;
        let item = catalog::publish(&db, next, "发布人", T)
            .await
            .expect("publish");
        assert_eq!(item.index_number.as_deref(), Some("000014349/2021-00012"));
    }
);

db_test!(
    duplicate_index_number_is_refused_by_the_database,
    |db| async move {
        let a = agency(&db, "测试机关", "000014349").await;
        let first = approved(&db, a, "一").await;
        let second = approved(&db, a, "二").await;
        let one = catalog::publish(&db, first, "发布人", T)
            .await
            .expect("publish");
        // Bypass the sequence: force the same number onto another item.
        let mut tx = db.begin().await.expect("begin");
        let mut item = repo::find_item(&mut tx, second).await.expect("load");
        item.publish(one.index_number.clone().expect("number"), "发布人", T)
            .expect("domain allows");
        let err = repo::save_item(&mut tx, &item, Stage::Approved)
            .await
            .expect_err("unique index");
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        tx.rollback().await.expect("rollback");
        // A new pattern whose numbers collide with old ones skips the numbers already issued.
        catalog::set_config(
            &db,
            a,
            r#"{"index_pattern": "{org_code}/{year}-0{seq:04}"}"#,
            "管理员",
        )
        .await
        .expect("settings");
        let item = catalog::publish(&db, second, "发布人", T)
            .await
            .expect("publish");
        assert_eq!(item.index_number.as_deref(), Some("000014349/2021-00002"));
        // The same number in another agency is fine.
        let b = agency(&db, "另一机关", "000014350").await;
        let other = approved(&db, b, "三").await;
        let item = catalog::publish(&db, other, "发布人", T)
            .await
            .expect("publish");
        assert_eq!(item.index_number.as_deref(), Some("000014350/2021-00001"));
    }
);

db_test!(refused_transitions_write_nothing, |db| async move {
    let a = agency(&db, "测试机关", "000014349").await;
    let item = catalog::create_item(&db, a, &input("草稿"), "拟稿人", T)
        .await
        .expect("create");
    let id: i64 = item.id.parse().expect("id");
    // Publishing a draft that skipped review.
    let err = catalog::publish(&db, id, "拟稿人", T)
        .await
        .expect_err("out of turn");
    assert!(matches!(
        err,
        CatalogAppError::Domain(CatalogError::OutOfTurn {
            action: Action::Publish,
            stage: Stage::Draft
        })
    ));
    catalog::act(&db, id, Action::Submit, "拟稿人", T, None)
        .await
        .expect("submit");
    // The drafter clearing their own draft.
    let err = catalog::act(&db, id, Action::ClearSecrecy, "拟稿人", T, None)
        .await
        .expect_err("own draft");
    assert!(matches!(
        err,
        CatalogAppError::Domain(CatalogError::OwnDraft { .. })
    ));
    let stored = repo::find_item(&db, id).await.expect("load");
    assert_eq!(stored.stage(), Stage::SecrecyReview);
    assert_eq!(stored.workflow.steps().len(), 2);
    // A disallowed attachment leaves the item without it.
    catalog::act(&db, id, Action::Return, "保密员", T, Some("补充附件"))
        .await
        .expect("return");
    let err = catalog::attach(&db, id, "setup.exe", b"MZ\x90")
        .await
        .expect_err("type");
    assert!(matches!(
        err,
        CatalogAppError::Domain(CatalogError::AttachmentType { .. })
    ));
    catalog::attach(&db, id, "方案.pdf", b"%PDF-1.7\n")
        .await
        .expect("pdf");
    let stored = repo::find_item(&db, id).await.expect("load");
    assert_eq!(stored.attachments.len(), 1);
    assert_eq!(
        stored
            .workflow
            .steps()
            .last()
            .and_then(|s| s.note.as_deref()),
        Some("补充附件")
    );
    // Personal information in the body is flagged for the reviewer, masked.
    let mut with_pii = input("含个人信息");
    with_pii.body_html = "<p>联系人手机13812345678</p>".into();
    let pii = catalog::create_item(&db, a, &with_pii, "拟稿人", T)
        .await
        .expect("create");
    let view = catalog::show(
        &db,
        &gongkai_core::calendar::Calendar::builtin(),
        pii.id.parse().expect("id"),
        date!(2021 - 06 - 01),
    )
    .await
    .expect("show");
    assert!(
        view.flags.iter().any(|f| f.contains("138****5678")),
        "{:?}",
        view.flags
    );
    // A bad item never reaches the database.
    let mut bad = input("坏");
    bad.column = "不存在的栏目".into();
    assert!(
        catalog::create_item(&db, a, &bad, "拟稿人", T)
            .await
            .is_err()
    );
    assert_eq!(
        repo::list_items(&db, a, &ItemFilter::default())
            .await
            .expect("list")
            .len(),
        2
    );
});

db_test!(demo_catalogue_reproduces_the_seed, |db| async move {
    let summary = demo::load_demo(&db).await.expect("load demo");
    assert_eq!(summary.items, 85);
    let mut report = AnnualReport::new(demo::DEMO_AGENCY, 2021);
    catalog::fill_report(&db, summary.agency_id, 2021, &mut report)
        .await
        .expect("fill");
    let ours = gongkai_core::report::json::to_json(&report, None);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json"
    );
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("seed")).expect("json");
    assert_eq!(ours["proactive"], expected["proactive"]);
    assert_eq!(ours["table2"], expected["table2"]);
    let counts = catalog::proactive(&db, summary.agency_id, 2021)
        .await
        .expect("counts");
    assert_eq!(
        counts.sentence(),
        "共公开政务信息85条。其中政策文件1条、机构职能1条、领导信息1条、规划计划1条、会议公开13条、\
         建议提案2条、财政信息3条、重点领域信息公开11条、政策解读7条、互动交流3条、人事信息6条、\
         业务动态28条、政务公开保障机制8条。"
    );
    // Every item went through the workflow and none was published late.
    let views = catalog::list(
        &db,
        &gongkai_core::calendar::Calendar::builtin(),
        summary.agency_id,
        &ItemFilter::default(),
        date!(2022 - 01 - 10),
    )
    .await
    .expect("list");
    assert!(
        views
            .iter()
            .all(|v| v.item.stage() == Stage::Published && v.item.workflow.steps().len() == 5)
    );
    assert!(
        views.iter().all(|v| v.flags.is_empty()),
        "{:?}",
        views.iter().find(|v| !v.flags.is_empty()).map(|v| &v.flags)
    );
    // The policy links to its interpretation; the guide and four rules are stored.
    assert!(
        views
            .iter()
            .any(|v| v.item.content.column == "政策文件" && v.interpretations.len() == 1)
    );
    assert_eq!(
        catalog::documents(&db, summary.agency_id, None)
            .await
            .expect("docs")
            .len(),
        5
    );
    // Loading again is refused rather than doubling the counts.
    assert!(demo::load_demo(&db).await.is_err());
});

db_test!(validity_history_feeds_table2, |db| async move {
    use gongkai_core::catalog::{NormativeInput, NormativeKind, ValidityStatus};
    use gongkai_core::report::{Layout, T2Key, Value};
    let a = agency(&db, "测试机关", "000014349").await;
    let mut doc = input("张店区公共机构节能管理办法");
    doc.column = "政策文件".into();
    doc.formed_on = Some(date!(2021 - 03 - 01));
    doc.normative = Some(NormativeInput {
        kind: NormativeKind::NormativeDoc,
        status: ValidityStatus::Valid,
        effective_on: Some(date!(2021 - 04 - 01)),
        ends_on: None,
    });
    let item = catalog::create_item(&db, a, &doc, "拟稿人", T)
        .await
        .expect("create");
    let id: i64 = item.id.parse().expect("id");
    for (action, by) in [
        (Action::Submit, "拟稿人"),
        (Action::ClearSecrecy, "保密员"),
        (Action::Approve, "审核人"),
        (Action::Publish, "拟稿人"),
    ] {
        catalog::act(&db, id, action, by, T, None)
            .await
            .expect("step");
    }
    // A 废止日期 before the 实施日期 is refused and nothing is recorded.
    let err = catalog::change_validity(
        &db,
        id,
        ValidityStatus::Repealed,
        Some(date!(2021 - 04 - 01)),
        Some(date!(2021 - 03 - 01)),
        "审核人",
        T,
        Some("被替代"),
    )
    .await
    .expect_err("repeal before effective");
    assert!(matches!(
        err,
        CatalogAppError::Domain(CatalogError::RepealBeforeEffective { .. })
    ));
    let stored = repo::find_item(&db, id).await.expect("load");
    assert_eq!(
        stored.normative.as_ref().map(|n| n.history().len()),
        Some(1)
    );

    let cell = |r: &AnnualReport, col: &str| {
        let key = T2Key::find(Layout::Y2021, "art20_1", "normative_docs", col).expect("key");
        r.table2.get(key).value.clone()
    };
    let mut r2021 = AnnualReport::new("测试机关", 2021);
    catalog::fill_report(&db, a, 2021, &mut r2021)
        .await
        .expect("fill");
    assert_eq!(cell(&r2021, "issued"), Value::Count(1));
    assert_eq!(cell(&r2021, "in_force"), Value::Count(1));

    catalog::change_validity(
        &db,
        id,
        ValidityStatus::Repealed,
        Some(date!(2021 - 04 - 01)),
        Some(date!(2022 - 06 - 30)),
        "审核人",
        datetime!(2022-06-30 09:00 +08:00),
        Some("被新办法替代"),
    )
    .await
    .expect("repeal");
    let stored = repo::find_item(&db, id).await.expect("load");
    let history = stored
        .normative
        .as_ref()
        .map(|n| n.history().to_vec())
        .unwrap_or_default();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].reason.as_deref(), Some("被新办法替代"));
    // 2021 unchanged (still in force at its end); 2022 shows the repeal.
    let mut r2021 = AnnualReport::new("测试机关", 2021);
    catalog::fill_report(&db, a, 2021, &mut r2021)
        .await
        .expect("fill");
    assert_eq!(cell(&r2021, "in_force"), Value::Count(1));
    let mut r2022 = AnnualReport::new("测试机关", 2022);
    catalog::fill_report(&db, a, 2022, &mut r2022)
        .await
        .expect("fill");
    assert_eq!(cell(&r2022, "issued"), Value::Count(0));
    assert_eq!(cell(&r2022, "repealed"), Value::Count(1));
    assert_eq!(cell(&r2022, "in_force"), Value::Count(0));
});
