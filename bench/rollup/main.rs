//! Supervision at a province's scale: 10,000 units with five years of reports each (50,000
//! reports, 10 million cells), on SQLite and on PostgreSQL. Timed: the supervisor's dashboard
//! page (`GET /staff/supervision`, through the real router, signed in), the region's roll-up
//! (aggregate and units) and one cell drilled down to every unit — next to plain SQL over the
//! same rows as the floor (the `GROUP BY` of the cells, the list of the units' rows).
//!
//! Run: `cargo bench -p gongkai-web --bench rollup` (PostgreSQL leg when TEST_PG_URL is set).
//! Options: `-- --runs N` (default 5), `-- --dir DIR` keeps the SQLite file between runs.
//! See bench/rollup/README.md.

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use gongkai_app::supervision::rollup;
use gongkai_app::{App, auth, user};
use gongkai_core::ids::RegionId;
use gongkai_core::report::AnnualReport;
use gongkai_core::user::Role;
use gongkai_store::{Db, migrate, on_db};
use gongkai_web::{WebState, router};
use sqlx::postgres::PgConnectOptions;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const CITIES: i64 = 16;
const COUNTIES: i64 = 10;
const UNITS: i64 = 10_000;
const YEARS: [i32; 5] = [2021, 2022, 2023, 2024, 2025];
const YEAR: i32 = 2025;
const PASSWORD: &str = "Bench-rollup-2025";

/// A small, fast, deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Regions, units and their projected reports, in transactions of many multi-row inserts.
async fn generate(db: &Db) {
    let t = Instant::now();
    let now = time::OffsetDateTime::now_utc();
    let mut tx = db.begin().await.expect("begin");
    gongkai_store::on_tx!(&mut tx, |c| {
        sqlx::query("INSERT INTO region (id, parent_id, level, name, created_at) VALUES (1, NULL, 'province', '某省', $1)")
            .bind(now)
            .execute(&mut *c)
            .await
            .expect("province");
        for city in 0..CITIES {
            sqlx::query("INSERT INTO region (id, parent_id, level, name, created_at) VALUES ($1, 1, 'city', $2, $3)")
                .bind(100 + city)
                .bind(format!("第{city}市"))
                .bind(now)
                .execute(&mut *c)
                .await
                .expect("city");
            for county in 0..COUNTIES {
                sqlx::query("INSERT INTO region (id, parent_id, level, name, created_at) VALUES ($1, $2, 'county', $3, $4)")
                    .bind(1000 + city * COUNTIES + county)
                    .bind(100 + city)
                    .bind(format!("第{city}市第{county}县"))
                    .bind(now)
                    .execute(&mut *c)
                    .await
                    .expect("county");
            }
        }
        for a in 1..=UNITS {
            // Half the units use gongkai (a code), half are known by their reports only.
            let code = (a % 2 == 0).then(|| format!("ORG{a:06}"));
            sqlx::query("INSERT INTO agency (id, region_id, name, org_code, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(a)
                .bind(1000 + (a - 1) % (CITIES * COUNTIES))
                .bind(format!("单位{a:05}"))
                .bind(code)
                .bind(now)
                .execute(&mut *c)
                .await
                .expect("agency");
        }
    });
    tx.commit().await.expect("commit");

    let cells: Vec<String> = AnnualReport::new("", YEAR)
        .cell_refs()
        .into_iter()
        .map(|c| c.path())
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut rows = 0u64;
    for year in YEARS {
        let mut a = 1;
        while a <= UNITS {
            let mut tx = db.begin().await.expect("begin");
            for _ in 0..50 {
                if a > UNITS {
                    break;
                }
                // 97 % of the units have reported; 4 % of those fail a rule.
                if rng.below(100) < 97 {
                    let included = rng.below(100) >= 4;
                    let received = rng.below(200) as i64;
                    gongkai_store::on_tx!(&mut tx, |c| {
                        sqlx::query(
                            "INSERT INTO unit_report (agency_id, year, origin, source_id, sha256, \
                             layout, received_at, review, included, excluded_reason, failed_rules, \
                             unread_rules, warnings, cells_unread, received, granted, concluded, \
                             carried_over, carried_forward) VALUES ($1, $2, $3, $4, $5, '2021', $6, \
                             $7, $8, $9, $10, '', '', 0, $11, $12, $13, 0, 0)",
                        )
                        .bind(a)
                        .bind(year)
                        .bind(if a % 2 == 0 { "gongkai" } else { "imported" })
                        .bind(a)
                        .bind(format!("{a:064x}"))
                        .bind(now)
                        .bind(["pending", "accepted", "returned"][rng.below(3) as usize])
                        .bind(included)
                        .bind((!included).then_some("未通过规则 T3-1，未计入汇总"))
                        .bind(if included { "" } else { "T3-1" })
                        .bind(received)
                        .bind(received / 2)
                        .bind(received)
                        .execute(&mut *c)
                        .await
                        .expect("unit report");
                        for chunk in cells.chunks(100) {
                            let mut q = sqlx::QueryBuilder::new(
                                "INSERT INTO unit_cell (agency_id, year, cell, state, value) ",
                            );
                            q.push_values(chunk, |mut b, cell| {
                                b.push_bind(a)
                                    .push_bind(year)
                                    .push_bind(cell)
                                    .push_bind("value")
                                    .push_bind((rng.next() % 50) as i64);
                            });
                            q.build().execute(&mut *c).await.expect("cells");
                        }
                    });
                    rows += cells.len() as u64;
                }
                a += 1;
            }
            tx.commit().await.expect("commit");
        }
    }
    on_db!(db, |p| {
        sqlx::query("ANALYZE").execute(p).await.expect("analyze");
    });
    eprintln!(
        "generated {rows} cells in {:.1} s ({:.0} rows/s)",
        t.elapsed().as_secs_f64(),
        rows as f64 / t.elapsed().as_secs_f64()
    );
}

async fn count(db: &Db) -> i64 {
    on_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM unit_report"
    )
    .fetch_one(p)
    .await
    .unwrap_or(0))
}

/// The floor of the roll-up: the year's cells summed by one `GROUP BY`, every unit counted
/// (no region, no test of which units are included).
async fn floor_sums(db: &Db) -> usize {
    on_db!(db, |p| {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT cell, CAST(SUM(value) AS BIGINT) FROM unit_cell WHERE year = $1 \
             GROUP BY cell",
        )
        .bind(YEAR)
        .fetch_all(p)
        .await
        .expect("floor sums");
        rows.len()
    })
}

/// The floor of the dashboard: the units with their year's row, in one join.
async fn floor_units(db: &Db) -> usize {
    on_db!(db, |p| {
        let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT a.id, a.name, u.review FROM agency a \
             LEFT JOIN unit_report u ON u.agency_id = a.id AND u.year = $1 ORDER BY a.id",
        )
        .bind(YEAR)
        .fetch_all(p)
        .await
        .expect("floor units");
        rows.len()
    })
}

/// The floor of the drill-down: one cell's rows for the year.
async fn floor_cell(db: &Db) -> usize {
    on_db!(db, |p| {
        let rows: Vec<(i64, Option<i64>)> =
            sqlx::query_as("SELECT agency_id, value FROM unit_cell WHERE year = $1 AND cell = $2")
                .bind(YEAR)
                .bind("table3.granted.total")
                .fetch_all(p)
                .await
                .expect("floor cell");
        rows.len()
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A supervisor of the province, signed in: the session cookie.
async fn sign_in(state: &WebState, app: &App) -> String {
    // A database kept with --dir has its users from the run before.
    let operator = match user::first_admin(app, "operator", None).await {
        Ok(a) => a,
        Err(_) => user::actor(app, Some("operator")).await.expect("operator"),
    };
    if user::actor(app, Some("jiandu")).await.is_err() {
        user::add(
            app,
            &operator,
            user::NewUserInput {
                name: "jiandu".into(),
                display_name: None,
                roles: vec![Role::Supervise],
                agency: None,
                region: Some(RegionId::new(1)),
            },
        )
        .await
        .expect("supervisor");
    }
    auth::set_password(
        app,
        &operator,
        "jiandu",
        PASSWORD,
        time::OffsetDateTime::now_utc(),
    )
    .await
    .expect("password");
    let form = send(
        state,
        Request::builder().uri("/staff/signin"),
        Body::empty(),
        "",
    )
    .await;
    let cookie = form.1.clone();
    let token = hidden(&form.0, "csrf_token");
    let body = format!(
        "csrf_token={}&next=%2Fstaff&name=jiandu&password={PASSWORD}",
        urlencode(&token)
    );
    let req = Request::builder()
        .method("POST")
        .uri("/staff/signin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "http://localhost")
        .header("sec-fetch-site", "same-origin");
    let (_, set, status) = send(state, req, Body::from(body), &cookie).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed in");
    set
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn hidden(body: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = body.find(&key).expect("hidden field") + key.len();
    body[at..at + body[at..].find('"').expect("end")].to_string()
}

/// One request through the router: the body, the cookie it sets (or the one sent), status.
async fn send(
    state: &WebState,
    req: axum::http::request::Builder,
    body: Body,
    cookie: &str,
) -> (String, String, StatusCode) {
    let mut req = req.header(header::HOST, "localhost");
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    let mut req = req.body(body).expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = router(state.clone()).oneshot(req).await.expect("response");
    let status = res.status();
    let set = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body");
    let set = if set.is_empty() {
        cookie.to_string()
    } else {
        set
    };
    (String::from_utf8_lossy(&bytes).into_owned(), set, status)
}

async fn measure(db: Db, dir: &std::path::Path, backend: &str, runs: usize, out: &mut Vec<String>) {
    let app = App::with_db(dir, db).expect("app");
    let state = WebState::new(app);
    let app = state.app.clone();
    let cookie = sign_in(&state, &app).await;
    let actor = user::actor(&app, Some("jiandu")).await.expect("actor");
    let page = format!("/staff/supervision?region=1&year={YEAR}");
    let mut times: [(Vec<Duration>, Vec<Duration>); 3] = Default::default();
    for _ in 0..runs {
        let t = Instant::now();
        let (body, _, status) = send(
            &state,
            Request::builder().uri(&page),
            Body::empty(),
            &cookie,
        )
        .await;
        times[0].0.push(t.elapsed());
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("<th scope=\"row\">下级单位</th><td>10000个</td>"));
        let t = Instant::now();
        assert_eq!(floor_units(&app.db).await, UNITS as usize);
        times[0].1.push(t.elapsed());

        let t = Instant::now();
        let r = rollup::rollup(&app, &actor, "某省", YEAR)
            .await
            .expect("rollup");
        times[1].0.push(t.elapsed());
        assert_eq!(r.units.len(), UNITS as usize);
        let t = Instant::now();
        floor_sums(&app.db).await;
        times[1].1.push(t.elapsed());

        let t = Instant::now();
        let d = rollup::drill(&app, &actor, "某省", YEAR, "table3.granted.total")
            .await
            .expect("drill");
        times[2].0.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(floor_cell(&app.db).await, d.entries.len());
        times[2].1.push(t.elapsed());
    }
    for (label, (ours, floor)) in [
        "dashboard page, 10,000 units",
        "roll-up: aggregate + units",
        "one cell drilled down",
    ]
    .into_iter()
    .zip(times)
    {
        let (a, b) = (median(ours), median(floor));
        out.push(format!(
            "{backend:<9} {label:<32} {:>12.1} {:>12.1} {:>7.1}x",
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            a.as_secs_f64() / b.as_secs_f64()
        ));
    }
    app.db.close().await;
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let runs: usize = arg("--runs").and_then(|s| s.parse().ok()).unwrap_or(5);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = arg("--dir")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("bench dir");
    let mut out = vec![
        format!(
            "supervision of {UNITS} units × {} years, {YEAR}, median of {runs} runs, release build",
            YEARS.len()
        ),
        format!(
            "{:<9} {:<32} {:>12} {:>12} {:>8}",
            "backend", "what", "gongkai ms", "SQL ms", "ratio"
        ),
    ];

    let db = Db::create_sqlite(&dir.join("bench.db"))
        .await
        .expect("sqlite");
    migrate::run(&db).await.expect("migrate");
    if count(&db).await == 0 {
        generate(&db).await;
    }
    measure(db, &dir, "sqlite", runs, &mut out).await;

    match std::env::var("TEST_PG_URL") {
        Ok(url) if !url.is_empty() => {
            let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
                .await
                .expect("pg");
            sqlx::query("CREATE SCHEMA IF NOT EXISTS bench_rollup")
                .execute(&mut admin)
                .await
                .expect("schema");
            let opts = PgConnectOptions::from_str(&url)
                .expect("url")
                .options([("search_path", "bench_rollup")]);
            let db = Db::connect_postgres(opts, 4).await.expect("pg pool");
            migrate::run(&db).await.expect("migrate");
            if count(&db).await == 0 {
                generate(&db).await;
            }
            if let Db::Postgres(p) = &db {
                sqlx::query("VACUUM ANALYZE unit_cell")
                    .execute(p)
                    .await
                    .expect("vacuum");
            }
            measure(db, &dir, "postgres", runs, &mut out).await;
        }
        _ => out.push("postgres  (skipped: TEST_PG_URL is not set)".into()),
    }
    println!("{}", out.join("\n"));
}
