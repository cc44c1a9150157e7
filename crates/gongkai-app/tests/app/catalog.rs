//! Catalogue use cases on both backends: 索引号 uniqueness under concurrent publication, refused
//! transitions that write nothing, separation of duties by user id and the roles each step
//! needs, and the seed agency's section 一 and table 二 computed from the demo catalogue.

use gongkai_app::catalog::{self, ItemFilter, ValidityInput, demo};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::{App, AppError, user};
use gongkai_core::catalog::{Action, CatalogError, ItemInput, Signer, Stage};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::report::AnnualReport;
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::catalog as repo;
use gongkai_store::{Db, StoreError, db_test};
use std::collections::BTreeSet;
use std::sync::Arc;
use time::OffsetDateTime;
use time::macros::{date, datetime};

const T: OffsetDateTime = datetime!(2021-06-01 09:00 +08:00);

/// An app over the test database whose first user, `operator`, is an administrator.
pub(crate) async fn setup(db: Db) -> App {
    // The calendar is read at construction; the directory is not used afterwards.
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::with_db(dir.path(), db).expect("app");
    user::first_admin(&app, "operator", None)
        .await
        .expect("operator");
    app
}

/// The user `name` (display name `display`, or the name) with `roles`, added on first use.
pub(crate) async fn person(app: &App, name: &str, display: Option<&str>, roles: &[Role]) -> Actor {
    if !user::list(app)
        .await
        .expect("users")
        .iter()
        .any(|u| u.name == name)
    {
        user::add(
            app,
            &gongkai_app::user::first_security(app)
                .await
                .expect("security"),
            user::NewUserInput {
                name: name.into(),
                display_name: display.map(str::to_string),
                roles: roles.to_vec(),
                agency: None,
                region: None,
            },
        )
        .await
        .expect("user");
    }
    user::actor(app, Some(name)).await.expect("actor")
}

/// The staff of these tests: a drafter (录入), a confidentiality reviewer (保密审查), a
/// reviewer and a publisher (审核).
pub(crate) struct Staff {
    pub(crate) drafter: Actor,
    pub(crate) secrecy: Actor,
    pub(crate) reviewer: Actor,
    pub(crate) publisher: Actor,
}

pub(crate) async fn staff(app: &App) -> Staff {
    Staff {
        drafter: person(app, "拟稿人", None, &[Role::Entry]).await,
        secrecy: person(app, "保密员", None, &[Role::Secrecy]).await,
        reviewer: person(app, "审核人", None, &[Role::Review, Role::Entry]).await,
        publisher: person(app, "发布人", None, &[Role::Review]).await,
    }
}

pub(crate) async fn agency(app: &App, name: &str, code: &str) -> AgencyId {
    AgencyId::new(gongkai_store::testing::agency(&app.db, name, code).await)
}

pub(crate) fn input(title: &str) -> ItemInput {
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

pub(crate) async fn approved(app: &App, s: &Staff, agency_id: AgencyId, title: &str) -> ItemId {
    let id = catalog::create_item(app, &s.drafter, agency_id, &input(title), T)
        .await
        .expect("create")
        .item
        .id;
    catalog::act(app, &s.drafter, id, Action::Submit, None, T)
        .await
        .expect("submit");
    catalog::act(app, &s.secrecy, id, Action::ClearSecrecy, None, T)
        .await
        .expect("secrecy");
    catalog::act(app, &s.reviewer, id, Action::Approve, None, T)
        .await
        .expect("approve");
    id
}

db_test!(
    index_numbers_unique_under_concurrent_publication,
    |db| async move {
        let app = Arc::new(setup(db.clone()).await);
        let s = staff(&app).await;
        let a = agency(&app, "测试机关", "000014349").await;
        let mut ids = Vec::new();
        for n in 0..10 {
            ids.push(approved(&app, &s, a, &format!("信息{n}")).await);
        }
        // Two writers publish five items each at the same time.
        let (left, right) = ids.split_at(5);
        let run = |app: Arc<App>, by: Actor, ids: Vec<ItemId>| {
            tokio::spawn(async move {
                let mut out = Vec::new();
                for id in ids {
                    let item = catalog::publish(&app, &by, id, T).await.expect("publish");
                    out.push(item.item.index_number.expect("assigned"));
                }
                out
            })
        };
        let w1 = run(app.clone(), s.publisher.clone(), left.to_vec());
        let w2 = run(app.clone(), s.publisher.clone(), right.to_vec());
        let mut numbers = w1.await.expect("writer 1");
        numbers.extend(w2.await.expect("writer 2"));
        let distinct: BTreeSet<String> = numbers.iter().cloned().collect();
        let expected: BTreeSet<String> =
            (1..=10).map(|n| format!("000014349/2021-{n:05}")).collect();
        assert_eq!(distinct, expected);
        // And in the database.
        let stored: BTreeSet<String> = repo::list_items(&db, a, &repo::ItemFilter::default())
            .await
            .expect("list")
            .into_iter()
            .filter_map(|i| i.index_number)
            .collect();
        assert_eq!(stored, expected);

        // Two writers race to publish the same item: exactly one wins, one number is used.
        let id = approved(&app, &s, a, "同一条信息").await;
        let first = person(&app, "甲", None, &[Role::Review]).await;
        let second = person(&app, "乙", None, &[Role::Review]).await;
        let p1 = tokio::spawn({
            let app = app.clone();
            async move { catalog::publish(&app, &first, id, T).await }
        });
        let p2 = tokio::spawn({
            let app = app.clone();
            async move { catalog::publish(&app, &second, id, T).await }
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
        catalog::act(&app, &s.reviewer, id, Action::Withdraw, Some("信息有误"), T)
            .await
            .expect("withdraw");
        let next = approved(&app, &s, a, "下一条").await;
        let item = catalog::publish(&app, &s.publisher, next, T)
            .await
            .expect("publish");
        assert_eq!(
            item.item.index_number.as_deref(),
            Some("000014349/2021-00012")
        );
    }
);

db_test!(
    duplicate_index_number_is_refused_by_the_database,
    |db| async move {
        let app = setup(db.clone()).await;
        let s = staff(&app).await;
        let a = agency(&app, "测试机关", "000014349").await;
        let first = approved(&app, &s, a, "一").await;
        let second = approved(&app, &s, a, "二").await;
        let one = catalog::publish(&app, &s.publisher, first, T)
            .await
            .expect("publish");
        // Bypass the sequence: force the same number onto another item.
        let mut tx = db.begin().await.expect("begin");
        let mut item = repo::find_item(&mut tx, second).await.expect("load");
        item.publish(
            one.item.index_number.clone().expect("number"),
            &Signer::from(&s.publisher),
            T,
        )
        .expect("domain allows");
        let err = repo::save_item(&mut tx, &item, Stage::Approved)
            .await
            .expect_err("unique index");
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        tx.rollback().await.expect("rollback");
        // A new pattern whose numbers collide with old ones skips the numbers already issued.
        let admin = person(&app, "管理员", None, &[Role::Admin]).await;
        catalog::set_config(
            &app,
            &admin,
            a,
            r#"{"index_pattern": "{org_code}/{year}-0{seq:04}"}"#,
        )
        .await
        .expect("settings");
        let item = catalog::publish(&app, &s.publisher, second, T)
            .await
            .expect("publish");
        assert_eq!(
            item.item.index_number.as_deref(),
            Some("000014349/2021-00002")
        );
        // The same number in another agency is fine.
        let b = agency(&app, "另一机关", "000014350").await;
        let other = approved(&app, &s, b, "三").await;
        let item = catalog::publish(&app, &s.publisher, other, T)
            .await
            .expect("publish");
        assert_eq!(
            item.item.index_number.as_deref(),
            Some("000014350/2021-00001")
        );
    }
);

db_test!(refused_transitions_write_nothing, |db| async move {
    let app = setup(db.clone()).await;
    let s = staff(&app).await;
    // The drafter may also review other people's drafts, so what refuses below is the rule.
    let drafter = person(
        &app,
        "拟稿兼审核",
        Some("拟稿人"),
        &[Role::Entry, Role::Secrecy, Role::Review],
    )
    .await;
    let a = agency(&app, "测试机关", "000014349").await;
    let item = catalog::create_item(&app, &drafter, a, &input("草稿"), T)
        .await
        .expect("create");
    let id = item.item.id;
    // Publishing a draft that skipped review.
    let err = catalog::publish(&app, &drafter, id, T)
        .await
        .expect_err("out of turn");
    assert!(matches!(
        err,
        AppError::Catalog(CatalogError::OutOfTurn {
            action: Action::Publish,
            stage: Stage::Draft
        })
    ));
    catalog::act(&app, &drafter, id, Action::Submit, None, T)
        .await
        .expect("submit");
    // The drafter clearing their own draft.
    let err = catalog::act(&app, &drafter, id, Action::ClearSecrecy, None, T)
        .await
        .expect_err("own draft");
    assert!(matches!(
        err,
        AppError::Catalog(CatalogError::OwnDraft { .. })
    ));
    let stored = repo::find_item(&db, id).await.expect("load");
    assert_eq!(stored.stage(), Stage::SecrecyReview);
    assert_eq!(stored.workflow.steps().len(), 2);
    // A disallowed attachment leaves the item without it.
    catalog::act(&app, &s.secrecy, id, Action::Return, Some("补充附件"), T)
        .await
        .expect("return");
    let err = catalog::attach(&app, &drafter, id, "setup.exe", b"MZ\x90", T)
        .await
        .expect_err("type");
    assert!(matches!(
        err,
        AppError::Catalog(CatalogError::AttachmentType { .. })
    ));
    catalog::attach(&app, &drafter, id, "方案.pdf", b"%PDF-1.7\n", T)
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
    let pii = catalog::create_item(&app, &drafter, a, &with_pii, T)
        .await
        .expect("create");
    let view = catalog::show(&app, pii.item.id, date!(2021 - 06 - 01))
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
        catalog::create_item(&app, &drafter, a, &bad, T)
            .await
            .is_err()
    );
    assert_eq!(
        repo::list_items(&db, a, &repo::ItemFilter::default())
            .await
            .expect("list")
            .len(),
        2
    );
});

// Two users are both called 张伟 (user names zhangwei1 and zhangwei2): the second may review
// and approve the first's draft — no false "own draft" — while the first still cannot
// approve their own; a user without the role is refused; the steps record the user ids.
db_test!(separation_of_duties_compares_user_ids, |db| async move {
    let app = setup(db.clone()).await;
    let a = agency(&app, "测试机关", "000014349").await;
    let roles = [Role::Entry, Role::Secrecy, Role::Review];
    let first = person(&app, "zhangwei1", Some("张伟"), &roles).await;
    let second = person(&app, "zhangwei2", Some("张伟"), &roles).await;
    let clerk = person(&app, "clerk", Some("录入员"), &[Role::Entry]).await;
    assert_ne!(first.id, second.id);
    assert_eq!(first.display_name, second.display_name);

    let id = catalog::create_item(&app, &first, a, &input("张伟拟稿"), T)
        .await
        .expect("create")
        .item
        .id;
    catalog::act(&app, &first, id, Action::Submit, None, T)
        .await
        .expect("submit");
    // The drafter cannot clear their own draft; their namesake can.
    let err = catalog::act(&app, &first, id, Action::ClearSecrecy, None, T)
        .await
        .expect_err("own draft");
    assert!(matches!(
        err,
        AppError::Catalog(CatalogError::OwnDraft {
            action: Action::ClearSecrecy,
            ..
        })
    ));
    catalog::act(&app, &second, id, Action::ClearSecrecy, None, T)
        .await
        .expect("the other 张伟 clears it");
    // The first still cannot approve their own draft; a clerk (录入 only) may not approve.
    let err = catalog::act(&app, &first, id, Action::Approve, None, T)
        .await
        .expect_err("own draft");
    assert_eq!(err.kind(), ErrorKind::Refused);
    assert_eq!(err.zh(), "拟稿人不能对本人拟稿的信息进行“审核通过”");
    let err = catalog::act(&app, &clerk, id, Action::Approve, None, T)
        .await
        .expect_err("no role");
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(
        err.zh(),
        "录入员无权审核目录信息（需要“审核”或“负责人”角色）"
    );
    assert!(err.en().contains("clerk may not approve"), "{}", err.en());
    let stored = repo::find_item(&db, id).await.expect("load");
    assert_eq!(stored.stage(), Stage::Review);
    assert_eq!(stored.workflow.steps().len(), 3);
    // The other 张伟 approves; the drafter publishes (publication is not a review decision).
    catalog::act(&app, &second, id, Action::Approve, Some("同意发布"), T)
        .await
        .expect("the other 张伟 approves");
    let published = catalog::publish(&app, &first, id, T)
        .await
        .expect("publish");
    let by: Vec<(Action, i64, &str)> = published
        .item
        .workflow
        .steps()
        .iter()
        .map(|s| (s.action, s.by.id.get(), s.by.name.as_str()))
        .collect();
    let (one, two) = (first.id.get(), second.id.get());
    assert_eq!(
        by,
        [
            (Action::Create, one, "张伟"),
            (Action::Submit, one, "张伟"),
            (Action::ClearSecrecy, two, "张伟"),
            (Action::Approve, two, "张伟"),
            (Action::Publish, one, "张伟"),
        ]
    );
    // As stored: the ids survive a reload, and the JSON view names both.
    let shown = catalog::show(&app, id, date!(2021 - 06 - 01))
        .await
        .expect("show");
    assert_eq!(shown.item, published.item);
    let json = serde_json::to_value(&shown).expect("json");
    assert_eq!(json["steps"][2]["by"], "张伟");
    assert_eq!(json["steps"][2]["by_id"], two);
    assert_eq!(json["steps"][0]["by_id"], one);

    // Each step needs its role, and a refusal writes nothing.
    let secrecy_only = person(&app, "baomi", Some("保密员"), &[Role::Secrecy]).await;
    let err = catalog::create_item(&app, &secrecy_only, a, &input("无权拟稿"), T)
        .await
        .expect_err("no 录入");
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert!(err.zh().contains("需要“录入”角色"), "{}", err.zh());
    let draft = catalog::create_item(&app, &clerk, a, &input("录入员拟稿"), T)
        .await
        .expect("create")
        .item
        .id;
    catalog::act(&app, &clerk, draft, Action::Submit, None, T)
        .await
        .expect("submit");
    let err = catalog::act(&app, &clerk, draft, Action::ClearSecrecy, None, T)
        .await
        .expect_err("no 保密审查");
    assert!(err.zh().contains("需要“保密审查”角色"), "{}", err.zh());
    let err = catalog::set_config(&app, &clerk, a, "{}")
        .await
        .expect_err("not 管理员");
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(
        repo::find_item(&db, draft)
            .await
            .expect("load")
            .workflow
            .steps()
            .len(),
        2
    );
    // The first 张伟 may review the second's draft.
    let theirs = catalog::create_item(&app, &second, a, &input("另一张伟拟稿"), T)
        .await
        .expect("create")
        .item
        .id;
    catalog::act(&app, &second, theirs, Action::Submit, None, T)
        .await
        .expect("submit");
    catalog::act(&app, &first, theirs, Action::ClearSecrecy, None, T)
        .await
        .expect("clear");
    catalog::act(&app, &first, theirs, Action::Approve, None, T)
        .await
        .expect("approve");
});

db_test!(demo_catalogue_reproduces_the_seed, |db| async move {
    let app = setup(db).await;
    let operator = user::actor(&app, Some("operator")).await.expect("operator");
    let summary = demo::load_demo(&app, &operator).await.expect("load demo");
    assert_eq!(summary.items, 85);
    let mut report = AnnualReport::new(demo::DEMO_AGENCY, 2021);
    catalog::fill_report(&app, summary.agency_id, 2021, &mut report)
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
    let counts = catalog::proactive(&app, summary.agency_id, 2021)
        .await
        .expect("counts");
    assert_eq!(
        counts.sentence,
        "共公开政务信息85条。其中政策文件1条、机构职能1条、领导信息1条、规划计划1条、会议公开13条、\
         建议提案2条、财政信息3条、重点领域信息公开11条、政策解读7条、互动交流3条、人事信息6条、\
         业务动态28条、政务公开保障机制8条。"
    );
    // Every item went through the workflow and none was published late.
    let views = catalog::list(
        &app,
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
    // The demo staff are users; the steps record them by id.
    let users = user::list(&app).await.expect("users");
    let named = |n: &str| {
        users
            .iter()
            .find(|u| u.name == n)
            .map(|u| (u.id, u.display_name.clone()))
            .expect(n)
    };
    let (wang, wang_name) = named("wangming");
    let (zhao, _) = named("zhaoqiang");
    assert_eq!(wang_name, "王明");
    assert!(views.iter().all(|v| {
        let steps = v.item.workflow.steps();
        steps[0].by.id == wang && steps[3].by.id == zhao && steps[4].by.id == wang
    }));
    // The policy links to its interpretation; the guide and four rules are stored.
    assert!(
        views
            .iter()
            .any(|v| v.item.content.column == "政策文件" && v.interpretations.len() == 1)
    );
    assert_eq!(
        catalog::documents(&app, summary.agency_id, None)
            .await
            .expect("docs")
            .len(),
        5
    );
    // Loading again is refused rather than doubling the counts.
    assert!(demo::load_demo(&app, &operator).await.is_err());
});

db_test!(validity_history_feeds_table2, |db| async move {
    use gongkai_core::catalog::{NormativeInput, NormativeKind, ValidityStatus};
    use gongkai_core::report::{Layout, T2Key, Value};
    let app = setup(db.clone()).await;
    let s = staff(&app).await;
    let a = agency(&app, "测试机关", "000014349").await;
    let mut doc = input("张店区公共机构节能管理办法");
    doc.column = "政策文件".into();
    doc.formed_on = Some(date!(2021 - 03 - 01));
    doc.normative = Some(NormativeInput {
        kind: NormativeKind::NormativeDoc,
        status: ValidityStatus::Valid,
        effective_on: Some(date!(2021 - 04 - 01)),
        ends_on: None,
    });
    let item = catalog::create_item(&app, &s.drafter, a, &doc, T)
        .await
        .expect("create");
    let id = item.item.id;
    for (action, by) in [
        (Action::Submit, &s.drafter),
        (Action::ClearSecrecy, &s.secrecy),
        (Action::Approve, &s.reviewer),
        (Action::Publish, &s.publisher),
    ] {
        catalog::act(&app, by, id, action, None, T)
            .await
            .expect("step");
    }
    // A 废止日期 before the 实施日期 is refused and nothing is recorded.
    let err = catalog::change_validity(
        &app,
        &s.reviewer,
        id,
        &ValidityInput {
            status: ValidityStatus::Repealed,
            effective_on: Some(date!(2021 - 04 - 01)),
            ends_on: Some(date!(2021 - 03 - 01)),
            reason: Some("被替代".into()),
        },
        T,
    )
    .await
    .expect_err("repeal before effective");
    assert!(matches!(
        err,
        AppError::Catalog(CatalogError::RepealBeforeEffective { .. })
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
    catalog::fill_report(&app, a, 2021, &mut r2021)
        .await
        .expect("fill");
    assert_eq!(cell(&r2021, "issued"), Value::Count(1));
    assert_eq!(cell(&r2021, "in_force"), Value::Count(1));

    catalog::change_validity(
        &app,
        &s.reviewer,
        id,
        &ValidityInput {
            status: ValidityStatus::Repealed,
            effective_on: Some(date!(2021 - 04 - 01)),
            ends_on: Some(date!(2022 - 06 - 30)),
            reason: Some("被新办法替代".into()),
        },
        datetime!(2022-06-30 09:00 +08:00),
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
    assert_eq!(history[1].by, Signer::from(&s.reviewer));
    // 2021 unchanged (still in force at its end); 2022 shows the repeal.
    let mut r2021 = AnnualReport::new("测试机关", 2021);
    catalog::fill_report(&app, a, 2021, &mut r2021)
        .await
        .expect("fill");
    assert_eq!(cell(&r2021, "in_force"), Value::Count(1));
    let mut r2022 = AnnualReport::new("测试机关", 2022);
    catalog::fill_report(&app, a, 2022, &mut r2022)
        .await
        .expect("fill");
    assert_eq!(cell(&r2022, "issued"), Value::Count(0));
    assert_eq!(cell(&r2022, "repealed"), Value::Count(1));
    assert_eq!(cell(&r2022, "in_force"), Value::Count(0));
});
