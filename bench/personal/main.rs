//! Online submissions with the applicant's personal data sealed (docs/personal-data.md):
//! submissions per second through `submit_online` (one durable transaction each, SQLite with
//! `synchronous=FULL`, and PostgreSQL when TEST_PG_URL is set), next to what sealing alone
//! costs per submission — AES-256-GCM of the ID number, phone, e-mail and address, the keyed
//! 查询码 and fingerprint — against writing the same applicant as plain JSON (encryption off).
//!
//! Run: `cargo bench -p gongkai-app --bench personal` (`-- --n N`, default 2,000).

use gongkai_app::application::online::submit_online;
use gongkai_app::secrets::{KeyOrigin, Keyring, Purpose};
use gongkai_app::{App, agency, personal, user};
use gongkai_core::application::{OnlineApplication, OnlineForm};
use std::time::Instant;
use time::macros::date;

fn form(i: usize) -> OnlineApplication {
    OnlineForm {
        applicant_type: "natural_person".into(),
        name: format!("张三{i}"),
        id_type: "resident_id_card".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800000000".into(),
        email: "zhangsan@example.com".into(),
        address: "北京市西城区某街1号".into(),
        description: format!("2021年部门预算（第{i}份）"),
        delivery: "email".into(),
        media: vec!["email".into()],
        accept_other: true,
        ..OnlineForm::default()
    }
    .parse(date!(2026 - 01 - 01))
    .expect("valid form")
}

async fn submissions(app: &App, n: usize) -> f64 {
    let admin = user::actor(app, Some("operator")).await.expect("operator");
    let a = agency::add_agency(
        app,
        &admin,
        "山东省/淄博市/张店区",
        "张店区某局",
        Some("000000009"),
    )
    .await
    .expect("agency");
    let forms: Vec<OnlineApplication> = (0..n).map(form).collect();
    let start = Instant::now();
    for (i, f) in forms.iter().enumerate() {
        submit_online(
            app,
            a.id,
            &format!("bench-{i:020}"),
            f,
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("submitted");
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn per_op(n: usize, f: impl Fn(usize)) -> f64 {
    let start = Instant::now();
    for i in 0..n {
        f(i);
    }
    start.elapsed().as_secs_f64() * 1e6 / n as f64
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n = args
        .iter()
        .position(|a| a == "--n")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000usize);

    let keys = Keyring::generate(KeyOrigin::Memory).expect("key");
    let applicant = form(0).applicant().clone();
    let m = 20_000;
    let sealed = per_op(m, |_| {
        let (s, _) = personal::seal_applicant(&keys, &applicant).expect("seal");
        let _ = keys.mac(Purpose::QueryCode, &[b"2026-000001", b"ABCDEFGHJKMNP"]);
        let _ = keys.mac(Purpose::Fingerprint, &[b"1", s.as_bytes(), b"{}"]);
        std::hint::black_box(s);
    });
    let plain = per_op(m, |_| {
        std::hint::black_box(serde_json::to_string(&applicant).expect("json"));
    });
    let stored = personal::seal_applicant(&keys, &applicant).expect("seal").0;
    let opened = per_op(m, |_| {
        std::hint::black_box(personal::open_applicant(&keys, &stored).expect("open"));
    });
    let clear = serde_json::to_string(&applicant).expect("json");
    let parsed = per_op(m, |_| {
        std::hint::black_box(
            serde_json::from_str::<gongkai_core::application::Applicant>(&clear).expect("json"),
        );
    });

    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = App::init(&dir.path().join("sqlite"), None)
        .await
        .expect("init");
    let sqlite_rate = submissions(&sqlite, n).await;
    sqlite.db.close().await;
    let pg_rate = match gongkai_store::testing::TestDb::postgres().await {
        Some(pg) => {
            let url = pg.postgres_url().expect("url");
            let app = App::init(&dir.path().join("pg"), Some(&url))
                .await
                .expect("init");
            let r = submissions(&app, n).await;
            app.db.close().await;
            pg.cleanup().await;
            Some(r)
        }
        None => None,
    };

    println!("| what | per submission / record |");
    println!("|---|---|");
    println!("| seal applicant + keyed 查询码 + fingerprint (encryption on) | {sealed:.1} µs |");
    println!("| applicant as plain JSON (encryption off) | {plain:.1} µs |");
    println!("| open a sealed applicant | {opened:.1} µs |");
    println!("| parse a plain applicant | {parsed:.1} µs |");
    println!();
    println!("| backend | submissions/s (sealed, durable) | sealing's share of a submission |");
    println!("|---|---|---|");
    let share = |rate: f64| (sealed - plain) / (1e6 / rate) * 100.0;
    println!(
        "| SQLite | {sqlite_rate:.0} | {:.2} % |",
        share(sqlite_rate)
    );
    if let Some(r) = pg_rate {
        println!("| PostgreSQL | {r:.0} | {:.2} % |", share(r));
    }
}
