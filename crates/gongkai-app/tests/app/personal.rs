//! Personal data at rest (docs/personal-data.md), on SQLite and PostgreSQL data directories:
//! owner-only files, sealed ID numbers, phones and addresses, the keyed 查询码, a key file
//! that must match its database, rotation, and the one-time sealing of an older directory.

use gongkai_app::application::{self, CaseFilter, Registration, RequestedInfo};
use gongkai_app::data_dir::DataDirError;
use gongkai_app::error::Localized;
use gongkai_app::secrets::{KEY_FILE, Keyring};
use gongkai_app::{App, AppError, agency, personal, user};
use gongkai_core::application::{Applicant, Channel, Contact, Delivery, IdType, ReceiptFacts};
use gongkai_store::{Db, on_db};
use std::path::{Path, PathBuf};
use time::macros::date;

const ID: &str = "11010519491231002X";
const PHONE: &str = "13912345678";
const STREET: &str = "龙门街道八号院";

fn person() -> Applicant {
    Applicant::person(
        "张三",
        IdType::ResidentIdCard,
        ID,
        Contact {
            phone: Some(PHONE.into()),
            address: Some(format!("北京市西城区{STREET}")),
            ..Contact::default()
        },
        date!(2026 - 01 - 01),
    )
    .expect("valid applicant")
}

/// A data directory (SQLite, or PostgreSQL at `url`) with one agency and one application;
/// returns the directory, the 申请编号 and the 查询码.
async fn with_case(root: &Path, url: Option<&str>) -> (PathBuf, String, String) {
    let data = root.join("data");
    let app = App::init(&data, url).await.expect("init");
    let admin = user::actor(&app, Some("operator")).await.expect("operator");
    agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/张店区",
        "张店区机关事务服务中心",
        Some("000000009"),
    )
    .await
    .expect("agency");
    let r = application::register(
        &app,
        &admin,
        Registration {
            agency: "张店区机关事务服务中心".into(),
            channel: Channel::InPerson,
            receipt: ReceiptFacts {
                arrived_on: date!(2026 - 03 - 02),
                confirmed_on: None,
            },
            applicant: person(),
            request: RequestedInfo {
                description: "2025年部门预算".into(),
                delivery: Delivery::Email,
            },
        },
        date!(2026 - 03 - 02),
    )
    .await
    .expect("register");
    app.db.close().await;
    (data, r.number, r.query_code)
}

async fn stored_applicant(db: &Db) -> String {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, String>("SELECT applicant FROM application")
            .fetch_one(pool)
            .await
            .expect("applicant")
    })
}

async fn refused(data: &Path) -> DataDirError {
    match App::open(data).await {
        Ok(_) => panic!("{} opened", data.display()),
        Err(AppError::DataDir(e)) => e,
        Err(other) => panic!("not a data-directory error: {other:?}"),
    }
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

/// Everything the database holds on disk, its WAL included.
fn database_bytes(data: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["gongkai.db", "gongkai.db-wal"] {
        if let Ok(b) = std::fs::read(data.join(name)) {
            all.extend(b);
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[cfg(unix)]
#[tokio::test]
async fn pi_data_directory_and_database_files_are_owner_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (data, _, _) = with_case(dir.path(), None).await;
    assert_eq!(mode(&data), 0o700, "the data directory");
    for f in ["gongkai.toml", KEY_FILE, "gongkai.db"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    // The WAL and shared-memory files follow the database's mode while it is open; a file
    // an older version left readable by others is tightened at open.
    let db = data.join("gongkai.db");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    let app = App::open(&data).await.expect("open");
    application::show(&app, "2026-000001", date!(2026 - 03 - 03))
        .await
        .expect("show");
    for f in ["gongkai.db", "gongkai.db-wal", "gongkai.db-shm"] {
        let p = data.join(f);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{f}");
        }
    }
    app.db.close().await;
}

#[tokio::test]
async fn db_dc_2_no_id_number_phone_or_address_in_the_database_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (data, number, code) = with_case(dir.path(), None).await;
    let bytes = database_bytes(&data);
    assert!(!bytes.is_empty());
    for secret in [ID, PHONE, STREET, &code] {
        assert!(
            !contains(&bytes, secret),
            "{secret} is in the database file"
        );
    }
    assert!(contains(&bytes, "张三"), "the name stays searchable");
    let app = App::open(&data).await.expect("open");
    let today = date!(2026 - 03 - 03);
    // Opened for those who may see it; masked in the JSON every list and `show` prints.
    let case = application::show(&app, &number, today).await.expect("show");
    assert_eq!(case.applicant, person());
    let json = serde_json::to_string(&case.view()).expect("json");
    assert!(
        !json.contains(ID) && !json.contains(PHONE) && !json.contains(STREET),
        "{json}"
    );
    assert!(json.contains("110105********002X"), "{json}");
    let full = serde_json::to_string(&case.view_full()).expect("json");
    assert!(full.contains(ID) && full.contains(PHONE));
    // The 查询码 still works (keyed hash), and a clerk still finds the case by the whole ID
    // number (blind index), lower-case x included, but not by a fragment.
    application::lookup(&app, &number, &code, today)
        .await
        .expect("look-up with the code");
    let admin = user::actor(&app, Some("operator")).await.expect("operator");
    for (search, found) in [(ID.to_lowercase(), 1), ("19491231".to_string(), 0)] {
        let list = application::list_cases(
            &app,
            &admin,
            &CaseFilter {
                search: Some(search.clone()),
                page: 1,
                ..CaseFilter::default()
            },
            today,
        )
        .await
        .expect("list");
        assert_eq!(list.total, found, "search {search}");
    }
    app.db.close().await;
}

async fn rotation_and_key_checks(url: Option<&str>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (data, number, code) = with_case(dir.path(), url).await;
    let today = date!(2026 - 03 - 03);
    let app = App::open(&data).await.expect("open");
    let before = stored_applicant(&app.db).await;
    assert!(before.contains("enc:a1:k1:"), "{before}");
    let rotated = personal::rotate_keys(&app).await.expect("rotate");
    assert_eq!(
        (rotated.key, rotated.kept.clone(), rotated.resealed),
        (2, vec![1], 1)
    );
    let after = stored_applicant(&app.db).await;
    assert!(
        after.contains("enc:a1:k2:") && !after.contains("enc:a1:k1:"),
        "{after}"
    );
    app.db.close().await;
    // Reopened with the rotated file: the case reads, the code issued under k1 still works.
    let app = App::open(&data).await.expect("reopen");
    assert_eq!(app.keys.ids(), vec![1, 2]);
    let case = application::lookup(&app, &number, &code, today)
        .await
        .expect("old code");
    assert_eq!(case.applicant, person());
    app.db.close().await;
    // Another installation's key file is refused, and so is a missing one: nothing is
    // written with a key that cannot read the data.
    let key = data.join(KEY_FILE);
    let mine = std::fs::read_to_string(&key).expect("key file");
    let other = Keyring::generate(gongkai_app::secrets::KeyOrigin::Memory).expect("key");
    std::fs::write(&key, other.to_text()).expect("write");
    let e = refused(&data).await;
    assert!(matches!(e, DataDirError::KeyMismatch { id: 1, .. }), "{e}");
    assert!(e.zh().contains("密钥"), "{}", e.zh());
    std::fs::remove_file(&key).expect("remove");
    let e = refused(&data).await;
    assert!(matches!(e, DataDirError::KeysMissing { .. }), "{e}");
    assert!(e.to_string().contains("k1, k2"), "{e}");
    assert!(!key.exists(), "no new key file was made");
    std::fs::write(&key, mine).expect("restore");
    App::open(&data).await.expect("restored").db.close().await;
}

#[tokio::test]
async fn mp_5_key_rotation_and_a_wrong_key_file_on_sqlite() {
    rotation_and_key_checks(None).await;
}

#[tokio::test]
async fn mp_5_key_rotation_and_a_wrong_key_file_on_postgresql() {
    let Some(pg) = gongkai_store::testing::TestDb::postgres().await else {
        return;
    };
    let url = pg.postgres_url().expect("a PostgreSQL test database");
    rotation_and_key_checks(Some(&url)).await;
    pg.cleanup().await;
}

#[tokio::test]
async fn an_older_directory_is_sealed_once_on_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (data, number, _) = with_case(dir.path(), None).await;
    // What a version before sealing left: the applicant in clear, no key file, no checks.
    let app = App::open(&data).await.expect("open");
    let clear = serde_json::to_string(&person()).expect("json");
    on_db!(&app.db, |pool| {
        sqlx::query("UPDATE application SET applicant = $1, id_index = NULL")
            .bind(&clear)
            .execute(pool)
            .await
            .expect("clear");
        sqlx::query("DELETE FROM secret_key_check")
            .execute(pool)
            .await
            .expect("checks");
    });
    app.db.close().await;
    std::fs::remove_file(data.join(KEY_FILE)).expect("remove key");
    let app = App::open(&data).await.expect("open the older directory");
    assert!(data.join(KEY_FILE).exists(), "a key was made");
    let stored = stored_applicant(&app.db).await;
    assert!(
        !stored.contains(ID) && stored.contains("enc:a1:k1:"),
        "{stored}"
    );
    let case = application::show(&app, &number, date!(2026 - 03 - 03))
        .await
        .expect("show");
    assert_eq!(case.applicant, person());
    app.db.close().await;
}

/// Text hygiene at the boundary (issue: a request of only zero-width spaces was accepted):
/// a registration whose description is only invisible characters, or whose applicant's name
/// carries an escape sequence, is refused with its Chinese message and nothing is stored.
#[tokio::test]
async fn bi_u_2_invisible_descriptions_and_control_characters_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (data, _, _) = with_case(dir.path(), None).await;
    let app = App::open(&data).await.expect("open");
    let admin = user::actor(&app, Some("operator")).await.expect("operator");
    let reg = |description: &str, applicant: Applicant| Registration {
        agency: "张店区机关事务服务中心".into(),
        channel: Channel::InPerson,
        receipt: ReceiptFacts {
            arrived_on: date!(2026 - 03 - 03),
            confirmed_on: None,
        },
        applicant,
        request: RequestedInfo {
            description: description.into(),
            delivery: Delivery::Email,
        },
    };
    let e = application::register(
        &app,
        &admin,
        reg("\u{200B}\u{200B}\u{3000}", person()),
        date!(2026 - 03 - 03),
    )
    .await
    .expect_err("zero-width only");
    assert!(e.zh().contains("请填写所需信息的内容描述"), "{}", e.zh());
    let e = application::register(
        &app,
        &admin,
        reg("预算\u{1b}[2J", person()),
        date!(2026 - 03 - 03),
    )
    .await
    .expect_err("escape sequence");
    assert!(e.zh().contains("控制字符"), "{}", e.zh());
    let bad_name = Applicant::person(
        "张\u{1b}[31m三",
        IdType::ResidentIdCard,
        ID,
        Contact {
            phone: Some(PHONE.into()),
            ..Contact::default()
        },
        date!(2026 - 01 - 01),
    )
    .expect_err("control in a name");
    assert!(
        bad_name.message_zh().contains("控制字符"),
        "{}",
        bad_name.message_zh()
    );
    let list = application::list_cases(
        &app,
        &admin,
        &CaseFilter {
            page: 1,
            ..CaseFilter::default()
        },
        date!(2026 - 03 - 03),
    )
    .await
    .expect("list");
    assert_eq!(list.total, 1, "nothing more was stored");
    app.db.close().await;
}
