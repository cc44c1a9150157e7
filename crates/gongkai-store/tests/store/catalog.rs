//! The catalogue repository on both backends: typed ids in and out, every step, validity
//! change, table 二 entry, document version and settings change recorded with its user's id
//! and display name, and the migration that gave the free-text names of earlier versions ids.

use gongkai_core::catalog::{
    Action, CatalogConfig, CatalogItem, DocumentKind, ItemContent, ItemInput, NormativeInput,
    NormativeKind, Sanitizer, Signer, ValidityStatus,
};
use gongkai_core::ids::{AgencyId, ItemId, UserId};
use gongkai_core::report::{Layout, T2Key};
use gongkai_core::user::Role;
use gongkai_store::repo::catalog::{self as repo, ItemFilter};
use gongkai_store::repo::user::{self, NewUser};
use gongkai_store::testing::{TestDb, agency};
use gongkai_store::{Db, StoreError, db_test, on_db};
use time::OffsetDateTime;
use time::macros::{date, datetime};

const T: OffsetDateTime = datetime!(2021-06-01 09:00 +08:00);

/// Keeps text as it is (the store stores what the app sanitised).
struct AsIs;
impl Sanitizer for AsIs {
    fn sanitize(&self, html: &str) -> String {
        html.to_string()
    }
}

async fn signer(db: &Db, name: &str, display: &str) -> Signer {
    let mut tx = db.begin().await.expect("tx");
    let u = user::insert(
        &mut tx,
        &NewUser {
            name: name.into(),
            display_name: display.into(),
            roles: vec![Role::Entry, Role::Review, Role::Secrecy],
            agency: None,
            region: None,
        },
    )
    .await
    .expect("user");
    tx.commit().await.expect("commit");
    Signer::from(&u.actor)
}

fn draft(agency: AgencyId, by: &Signer, interprets: Option<ItemId>) -> CatalogItem {
    let input = ItemInput {
        title: "张店区公共机构节能管理办法".into(),
        publisher: "测试机关".into(),
        formed_on: Some(date!(2021 - 05 - 31)),
        column: if interprets.is_some() {
            "政策解读".into()
        } else {
            "政策文件".into()
        },
        summary: "测试。".into(),
        body_html: "<p>正文</p>".into(),
        normative: interprets.is_none().then_some(NormativeInput {
            kind: NormativeKind::NormativeDoc,
            status: ValidityStatus::Valid,
            effective_on: Some(date!(2021 - 06 - 01)),
            ends_on: None,
        }),
        interprets,
        ..ItemInput::default()
    };
    let kind = input.normative.as_ref().map(|n| n.kind);
    let parsed = ItemContent::parse(&input, &CatalogConfig::default(), &AsIs).expect("valid");
    CatalogItem::create(agency, parsed, kind, by, T).expect("draft")
}

async fn insert(db: &Db, item: &CatalogItem) -> ItemId {
    let mut tx = db.begin().await.expect("tx");
    let id = repo::insert_item(&mut tx, item).await.expect("insert");
    tx.commit().await.expect("commit");
    id
}

db_test!(steps_record_user_ids_and_ids_are_typed, |db| async move {
    let a = AgencyId::new(agency(&db, "测试机关", "000014349").await);
    // Two users share a display name; the store keeps them apart by id.
    let first = signer(&db, "zhangwei1", "张伟").await;
    let second = signer(&db, "zhangwei2", "张伟").await;
    let id = insert(&db, &draft(a, &first, None)).await;
    let mut item = repo::find_item(&db, id).await.expect("load");
    assert_eq!((item.id, item.agency), (id, a));
    assert_eq!(item.workflow.drafter(), &first);
    let mut tx = db.begin().await.expect("tx");
    item.act(Action::Submit, &first, T, None).expect("submit");
    item.act(Action::ClearSecrecy, &second, T, Some("不涉密"))
        .expect("the other 张伟");
    let validity = gongkai_core::catalog::Validity::new(
        ValidityStatus::Repealed,
        Some(date!(2021 - 06 - 01)),
        Some(date!(2022 - 01 - 01)),
    )
    .expect("validity");
    item.change_validity(validity, &second, T, Some("被替代"))
        .expect("change");
    repo::save_item(&mut tx, &item, gongkai_core::catalog::Stage::Draft)
        .await
        .expect("save");
    tx.commit().await.expect("commit");
    let stored = repo::find_item(&db, id).await.expect("reload");
    assert_eq!(stored, item);
    let by: Vec<&Signer> = stored.workflow.steps().iter().map(|s| &s.by).collect();
    assert_eq!(by, [&first, &first, &second]);
    let history = stored.normative.as_ref().expect("normative").history();
    assert_eq!(history[1].by, second);
    // The id columns beside the names.
    let (drafter, drafter_id): (String, Option<i64>) = on_db!(&db, |p| {
        sqlx::query_as("SELECT drafter, drafter_id FROM catalog_item WHERE id = $1")
            .bind(id.get())
            .fetch_one(p)
            .await
            .expect("row")
    });
    assert_eq!(
        (drafter.as_str(), drafter_id),
        ("张伟", Some(first.id.get()))
    );
    // A 政策解读 links by typed id; the links are listed per agency.
    let reading = insert(&db, &draft(a, &second, Some(id))).await;
    let loaded = repo::find_item(&db, reading).await.expect("load");
    assert_eq!(loaded.content.interprets, Some(id));
    assert_eq!(
        repo::interpretations_of(&db, id).await.expect("links"),
        [reading]
    );
    assert_eq!(
        repo::interpretation_links(&db, a).await.expect("links"),
        [(id, reading)]
    );
    assert_eq!(
        repo::list_items(&db, a, &ItemFilter::default())
            .await
            .expect("list")
            .len(),
        2
    );
    assert!(matches!(
        repo::find_item(&db, ItemId::new(9999)).await,
        Err(StoreError::NotFound { .. })
    ));

    // Attachments belong to their item by typed id.
    let meta = CatalogConfig::default()
        .attachments
        .check("方案.pdf", b"%PDF-1.7\n")
        .expect("a PDF");
    let mut tx = db.begin().await.expect("tx");
    let att = repo::insert_attachment(&mut tx, reading, &meta, b"%PDF-1.7\n", "ab")
        .await
        .expect("attachment");
    tx.commit().await.expect("commit");
    let listed = repo::list_attachments(&db, reading).await.expect("list");
    assert_eq!(
        listed.iter().map(|a| (a.id, a.item)).collect::<Vec<_>>(),
        [(att, reading)]
    );
    let (stored_att, content) = repo::attachment_content(&db, att).await.expect("content");
    assert_eq!(
        (stored_att.size, content.as_slice()),
        (9, &b"%PDF-1.7\n"[..])
    );

    // Table 二 entries, document versions and settings record who by id too.
    let key = T2Key::find(Layout::Y2021, "art20_5", "admin_license", "decisions").expect("key");
    let mut tx = db.begin().await.expect("tx");
    let entry = repo::insert_table2_entry(&mut tx, a, 2021, key, "3", &second, Some("台账"))
        .await
        .expect("entry");
    let doc = repo::put_document(&mut tx, a, DocumentKind::Guide, "指南", "<p>x</p>", &first)
        .await
        .expect("document");
    repo::put_settings(&mut tx, a, "{}", &second)
        .await
        .expect("settings");
    tx.commit().await.expect("commit");
    assert_eq!(
        (entry.entered_by.as_str(), entry.entered_by_id),
        ("张伟", Some(second.id))
    );
    assert_eq!(
        repo::table2_entries(&db, a, 2021).await.expect("entries"),
        [entry]
    );
    assert_eq!(
        (doc.kind, doc.version, doc.updated_by_id),
        (DocumentKind::Guide, 1, Some(first.id))
    );
    assert_eq!(
        repo::documents(&db, a, Some(DocumentKind::Guide))
            .await
            .expect("docs"),
        [doc]
    );
    let settings_by: Option<i64> = on_db!(&db, |p| {
        sqlx::query_scalar("SELECT updated_by_id FROM catalog_settings WHERE agency_id = $1")
            .bind(a.get())
            .fetch_one(p)
            .await
            .expect("settings row")
    });
    assert_eq!(settings_by, Some(second.id.get()));

    // A step that names no user cannot be checked for separation of duties: refused on load.
    on_db!(&db, |p| {
        sqlx::query("UPDATE catalog_step SET actor_id = NULL WHERE item_id = $1 AND seq = 3")
            .bind(id.get())
            .execute(p)
            .await
            .expect("update");
    });
    let err = repo::find_item(&db, id).await.expect_err("no user");
    assert!(
        matches!(&err, StoreError::Inconsistent(m) if m.contains("step 3 names no user")),
        "{err}"
    );
});

/// A catalogue as the release before users left it (migrations up to 0100), its steps signed
/// with free text; after the users migration it loads with each step's user id.
async fn migrates_catalogue_names(t: TestDb) {
    let db = &t.db;
    let a = agency(db, "张店区某局", "000000009").await;
    let now = time::OffsetDateTime::now_utc();
    let item_id: i64 = on_db!(db, |p| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO catalog_item (agency_id, title, publisher, formed_on, column_name, \
             summary, body_html, keywords, drafter, stage, created_at, updated_at) \
             VALUES ($1, '通知', '某局', $2, '业务动态', '概述', '<p>x</p>', '[]', ' 王明 ', \
             'secrecy_review', $3, $3) RETURNING id",
        )
        .bind(a)
        .bind(date!(2021 - 03 - 01))
        .bind(now)
        .fetch_one(p)
        .await
        .expect("item");
        for (seq, action, from, to, actor) in [
            (1, "create", None, "draft", " 王明 "),
            (2, "submit", Some("draft"), "secrecy_review", "王明"),
        ] {
            sqlx::query(
                "INSERT INTO catalog_step (item_id, seq, action, from_stage, to_stage, actor, \
                 at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(id)
            .bind(seq)
            .bind(action)
            .bind(from)
            .bind(to)
            .bind(actor)
            .bind(now)
            .execute(p)
            .await
            .expect("step");
        }
        id
    });
    gongkai_store::migrate::run(db)
        .await
        .expect("the users migration");
    let wang = user::find_by_name(db, "王明")
        .await
        .expect("find")
        .expect("王明 became a user")
        .actor;
    let item = repo::find_item(db, ItemId::new(item_id))
        .await
        .expect("loads");
    assert_eq!(item.workflow.drafter(), &Signer::new(wang.id, "王明"));
    assert!(item.workflow.steps().iter().all(|s| s.by.id == wang.id));
    // The drafter still cannot clear their own draft; another user can.
    let mut again = item.clone();
    assert!(
        again
            .act(
                Action::ClearSecrecy,
                &Signer::new(wang.id, "王明"),
                now,
                None
            )
            .is_err()
    );
    again
        .act(
            Action::ClearSecrecy,
            &Signer::new(UserId::new(wang.id.get() + 100), "王明"),
            now,
            None,
        )
        .expect("another user");
    t.cleanup().await;
}

#[tokio::test]
async fn catalogue_names_become_user_ids_sqlite() {
    migrates_catalogue_names(TestDb::sqlite_to(Some(100)).await).await;
}

#[tokio::test]
async fn catalogue_names_become_user_ids_postgres() {
    if let Some(t) = TestDb::postgres_to(Some(100)).await {
        migrates_catalogue_names(t).await;
    }
}

/// A published, since repealed, item as the release before the public lists left it
/// (migrations up to 0101): after migration 0102 it is listed by its Beijing publication day
/// and its current 有效性.
async fn migrates_public_listing(t: TestDb) {
    use gongkai_store::repo::catalog::{PublicQuery, PublicScope};
    let db = &t.db;
    let a = AgencyId::new(agency(db, "张店区某局", "000000010").await);
    // 20:00 UTC is 04:00 the next day in Beijing.
    let published = datetime!(2023-03-01 20:00 UTC);
    on_db!(db, |p| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO catalog_item (agency_id, title, publisher, formed_on, column_name, \
             summary, body_html, keywords, normative_kind, drafter, stage, index_number, \
             published_at, created_at, updated_at) \
             VALUES ($1, '办法', '某局', $2, '政策文件', '概述', '<p>x</p>', '[]', \
             'normative_docs', '王明', 'published', 'X-2023-00001', $3, $3, $3) RETURNING id",
        )
        .bind(a.get())
        .bind(date!(2023 - 02 - 20))
        .bind(published)
        .fetch_one(p)
        .await
        .expect("item");
        for (seq, status) in [(1, "valid"), (2, "repealed")] {
            sqlx::query(
                "INSERT INTO catalog_validity (item_id, seq, status, actor, at, created_at) \
                 VALUES ($1, $2, $3, '王明', $4, $4)",
            )
            .bind(id)
            .bind(seq)
            .bind(status)
            .bind(published)
            .execute(p)
            .await
            .expect("validity");
        }
    });
    gongkai_store::migrate::run(db)
        .await
        .expect("the public listing migration");
    let facets = repo::published_facets(db, PublicScope::Agency(a))
        .await
        .expect("facets");
    assert_eq!(facets.days, vec![(date!(2023 - 03 - 02), 1)]);
    let query = PublicQuery {
        validity: Some(ValidityStatus::Repealed),
        year: Some(2023),
        limit: 10,
        ..PublicQuery::default()
    };
    let (rows, total) = repo::published_page(db, PublicScope::Agency(a), &query)
        .await
        .expect("page");
    assert_eq!((rows.len(), total), (1, 1));
    assert_eq!(rows[0].validity, Some(ValidityStatus::Repealed));
    assert_eq!(rows[0].published_on, date!(2023 - 03 - 02));
    t.cleanup().await;
}

#[tokio::test]
async fn public_listing_backfills_day_and_validity_sqlite() {
    migrates_public_listing(TestDb::sqlite_to(Some(101)).await).await;
}

#[tokio::test]
async fn public_listing_backfills_day_and_validity_postgres() {
    if let Some(t) = TestDb::postgres_to(Some(101)).await {
        migrates_public_listing(t).await;
    }
}
