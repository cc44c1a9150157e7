//! Regions and agencies on both backends.

use gongkai_store::repo::agency::{self, NewAgency, NewRegion, RegionLevel};
use gongkai_store::{Db, StoreError, db_test};

async fn zhangdian(db: &Db) -> agency::Region {
    agency::ensure_region_path(db, &["山东省", "淄博市", "张店区"])
        .await
        .expect("create the region path")
}

db_test!(region_path_is_created_once_with_levels, |db| async move {
    let county = zhangdian(&db).await;
    assert_eq!(county.level, RegionLevel::County);
    let again = zhangdian(&db).await;
    assert_eq!(county.id, again.id);
    let path = agency::region_path(&db, county.id).await.expect("path");
    let names: Vec<&str> = path.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["山东省", "淄博市", "张店区"]);
    assert_eq!(path[0].level, RegionLevel::Province);
    assert_eq!(path[1].level, RegionLevel::City);
    assert_eq!(agency::list_regions(&db).await.expect("list").len(), 3);
});

db_test!(region_level_must_descend, |db| async move {
    let county = zhangdian(&db).await;
    let mut tx = db.begin().await.expect("begin");
    let err = agency::insert_region(
        &mut tx,
        &NewRegion {
            parent_id: Some(county.id),
            level: RegionLevel::City,
            name: "错层市".into(),
            code: None,
        },
    )
    .await
    .expect_err("a city under a county is refused");
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    let err = agency::insert_region(
        &mut tx,
        &NewRegion {
            parent_id: None,
            level: RegionLevel::County,
            name: "无上级县".into(),
            code: None,
        },
    )
    .await
    .expect_err("a county without a parent is refused");
    assert!(err.to_string().contains("needs a parent"), "{err}");
});

db_test!(
    agencies_are_unique_and_found_by_code_or_name,
    |db| async move {
        let county = zhangdian(&db).await;
        let mut tx = db.begin().await.expect("begin");
        let a = agency::insert_agency(
            &mut tx,
            &NewAgency {
                region_id: county.id,
                name: "张店区机关事务服务中心".into(),
                org_code: Some("12370303MB2852349X".into()),
            },
        )
        .await
        .expect("insert");
        tx.commit().await.expect("commit");

        assert_eq!(
            agency::find_agency_by_key(&db, "张店区机关事务服务中心")
                .await
                .expect("by name"),
            a
        );
        assert_eq!(
            agency::find_agency_by_key(&db, "12370303MB2852349X")
                .await
                .expect("by code"),
            a
        );
        let err = agency::find_agency_by_key(&db, "不存在的机关")
            .await
            .expect_err("unknown");
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");

        let mut tx = db.begin().await.expect("begin");
        let err = agency::insert_agency(
            &mut tx,
            &NewAgency {
                region_id: county.id,
                name: "另一个机关".into(),
                org_code: Some("12370303MB2852349X".into()),
            },
        )
        .await
        .expect_err("duplicate code");
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        drop(tx);

        // The same name in another region is allowed, and then the name alone is ambiguous.
        let other = agency::ensure_region_path(&db, &["山东省", "淄博市", "淄川区"])
            .await
            .expect("region");
        let mut tx = db.begin().await.expect("begin");
        agency::insert_agency(
            &mut tx,
            &NewAgency {
                region_id: other.id,
                name: "张店区机关事务服务中心".into(),
                org_code: Some("000000000".into()),
            },
        )
        .await
        .expect("same name elsewhere");
        tx.commit().await.expect("commit");
        let err = agency::find_agency_by_key(&db, "张店区机关事务服务中心")
            .await
            .expect_err("ambiguous");
        assert!(err.to_string().contains("organisation code"), "{err}");

        let city = agency::find_child_region(&db, None, "山东省")
            .await
            .expect("find")
            .expect("exists");
        assert_eq!(
            agency::agencies_in_region(&db, city.id)
                .await
                .expect("in region")
                .len(),
            2
        );
        assert_eq!(
            agency::agencies_in_region(&db, county.id)
                .await
                .expect("in county")
                .len(),
            1
        );
    }
);

db_test!(rl_1_durability_profile, |db| async move {
    db.check_profile()
        .await
        .expect("the connection profile is durable");
    if let Db::Sqlite(p) = &db {
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(p)
            .await
            .expect("pragma");
        assert_eq!(sync, 2, "synchronous=FULL");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(p)
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(p)
            .await
            .expect("pragma");
        assert!(busy >= 5000);
    }
});

#[tokio::test]
async fn rl_1_profile_check_refuses_synchronous_normal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.path().join("weak.db"))
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
        .foreign_keys(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .expect("open");
    let err = Db::Sqlite(pool)
        .check_profile()
        .await
        .expect_err("NORMAL is refused");
    assert!(err.to_string().contains("synchronous"), "{err}");
}
