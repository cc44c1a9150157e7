//! Data directories: init, reopen, refusal to initialise twice, extra holiday notices.

use gongkai_app::{App, AppError};
use time::macros::date;

#[tokio::test]
async fn init_reopen_and_refuse_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let app = App::init(&data, None).await.expect("init");
    assert_eq!(app.settings.database.url, "sqlite:gongkai.db");
    app.db.close().await;
    assert!(data.join("gongkai.db").exists());
    let again = App::init(&data, None).await;
    assert!(matches!(again, Err(AppError::DataDir { .. })));
    let bad = App::init(&dir.path().join("other"), Some("mysql://x")).await;
    assert!(matches!(bad, Err(AppError::Invalid(_))));
    let app = App::open(&data).await.expect("reopen");
    app.db.check_profile().await.expect("durable profile");
    app.db.close().await;
    let missing = App::open(&dir.path().join("nothing")).await;
    assert!(
        missing
            .err()
            .is_some_and(|e| e.to_string().contains("gongkai init"))
    );
}

#[tokio::test]
async fn a_new_years_notice_is_loaded_from_the_data_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let app = App::init(&data, None).await.expect("init");
    assert!(!app.calendar.covers(date!(2027 - 06 - 01)));
    app.db.close().await;
    let holidays = data.join("holidays").join("cn");
    std::fs::create_dir_all(&holidays).expect("mkdir");
    std::fs::write(
        holidays.join("2027.json"),
        r#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#,
    )
    .expect("write");
    let app = App::open(&data).await.expect("reopen");
    assert!(app.calendar.covers(date!(2027 - 06 - 01)));
    assert_eq!(
        app.calendar.is_working_day(date!(2027 - 01 - 01)),
        Ok(false)
    );
    app.db.close().await;
}
