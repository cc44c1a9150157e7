//! Table 三 from the cases at scale: one agency with 100,000 cases over five years and a
//! region of 1,000 agencies with 1,000,000 cases, on SQLite and on PostgreSQL, next to a
//! plain SQL GROUP BY over the same rows as the floor (counts only, no record ids).
//!
//! Run: `cargo bench -p gongkai-app --bench table3` (PostgreSQL leg when TEST_PG_URL is set).
//! Options: `-- --runs N` (default 5), `-- --dir DIR` keeps the SQLite file between runs.
//! See bench/table3/README.md.

use gongkai_app::report::table3_from_groups;
use gongkai_core::report::{OtherShape, T3Col, T3Row, Value};
use gongkai_store::repo::application::{Scope, t3_groups, year_bounds};
use gongkai_store::{Db, migrate, on_db};
use sqlx::postgres::PgConnectOptions;
use std::str::FromStr;
use std::time::{Duration, Instant};
use time::{Date, Month};

const AGENCIES: i64 = 1_000;
const CASES: i64 = 1_000_000;
const BIG_AGENCY_CASES: i64 = 100_000;
const YEAR: i32 = 2021;
const KINDS: [&str; 6] = [
    "natural_person",
    "legal.commercial",
    "legal.research",
    "legal.social_welfare",
    "legal.legal_service",
    "legal.other",
];

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

struct Row {
    agency: i64,
    number: String,
    kind: &'static str,
    received: Date,
    closed: Option<(String, Date)>,
}

fn outcome_keys() -> Vec<&'static str> {
    T3Row::rows(OtherShape::Split)
        .iter()
        .filter(|r| r.is_outcome())
        .map(|r| r.key())
        .collect()
}

/// Case `i`: agency 1 holds the first 100,000, the other 999 share the rest; received
/// uniformly over 2019–2023; 90 % concluded 1–45 days later (some across the new year).
fn case(i: i64, rng: &mut Rng, outcomes: &[&'static str], start: Date) -> Row {
    let agency = if i < BIG_AGENCY_CASES {
        1
    } else {
        2 + (i - BIG_AGENCY_CASES) % (AGENCIES - 1)
    };
    let received = start + time::Duration::days(rng.below(5 * 365) as i64);
    let kind = match rng.below(100) {
        0..=79 => KINDS[0],
        80..=91 => KINDS[1],
        92..=93 => KINDS[2],
        94..=95 => KINDS[3],
        96..=97 => KINDS[4],
        _ => KINDS[5],
    };
    let closed = (rng.below(10) < 9).then(|| {
        let o = if rng.below(2) == 0 {
            outcomes[0]
        } else {
            outcomes[rng.below(outcomes.len() as u64) as usize]
        };
        (
            o.to_string(),
            received + time::Duration::days(1 + rng.below(45) as i64),
        )
    });
    Row {
        agency,
        number: format!("B{i:07}"),
        kind,
        received,
        closed,
    }
}

const BATCH: usize = 1_000;

/// Regions, agencies and the cases, in transactions of 50 statements of 1,000 rows.
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
        for city in 0..10i64 {
            sqlx::query("INSERT INTO region (id, parent_id, level, name, created_at) VALUES ($1, 1, 'city', $2, $3)")
                .bind(10 + city)
                .bind(format!("第{city}市"))
                .bind(now)
                .execute(&mut *c)
                .await
                .expect("city");
            for county in 0..10i64 {
                sqlx::query("INSERT INTO region (id, parent_id, level, name, created_at) VALUES ($1, $2, 'county', $3, $4)")
                    .bind(100 + city * 10 + county)
                    .bind(10 + city)
                    .bind(format!("第{city}市第{county}县"))
                    .bind(now)
                    .execute(&mut *c)
                    .await
                    .expect("county");
            }
        }
        for a in 1..=AGENCIES {
            sqlx::query("INSERT INTO agency (id, region_id, name, org_code, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(a)
                .bind(100 + (a - 1) % 100)
                .bind(format!("机关{a:04}"))
                .bind(format!("ORG{a:06}"))
                .bind(now)
                .execute(&mut *c)
                .await
                .expect("agency");
        }
    });
    tx.commit().await.expect("commit");

    let sql = insert_sql(BATCH);
    let outcomes = outcome_keys();
    let start = Date::from_calendar_date(2019, Month::January, 1).expect("date");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut i = 0i64;
    while i < CASES {
        let mut tx = db.begin().await.expect("begin");
        for _ in 0..50 {
            if i >= CASES {
                break;
            }
            let rows: Vec<Row> = (0..BATCH as i64)
                .map(|k| case(i + k, &mut rng, &outcomes, start))
                .collect();
            i += BATCH as i64;
            gongkai_store::on_tx!(&mut tx, |c| {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
                for r in &rows {
                    let status = if r.closed.is_some() {
                        "concluded"
                    } else {
                        "processing"
                    };
                    q = q
                        .bind(r.agency)
                        .bind(&r.number)
                        .bind(r.received)
                        .bind(r.kind)
                        .bind(status)
                        .bind(r.closed.as_ref().map(|c| c.0.as_str()))
                        .bind(r.closed.as_ref().map(|c| c.1));
                }
                q.execute(&mut *c).await.expect("insert batch");
            });
        }
        tx.commit().await.expect("commit");
    }
    on_db!(db, |p| {
        sqlx::query("ANALYZE").execute(p).await.expect("analyze");
    });
    eprintln!(
        "generated {CASES} cases in {:.1} s ({:.0} rows/s)",
        t.elapsed().as_secs_f64(),
        CASES as f64 / t.elapsed().as_secs_f64()
    );
}

/// One INSERT of `rows` rows, 7 binds each.
fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO application (agency_id, number, query_code_hash, received_on, channel, \
         applicant_kind, applicant, request, status, outcome, closed_on, created_at) VALUES ",
    );
    for r in 0..rows {
        let b = r * 7;
        if r > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "(${}, ${}, 'x', ${}, 'in_person', ${}, '{{}}', '{{}}', ${}, ${}, ${}, '2021-01-01T00:00:00Z')",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5,
            b + 6,
            b + 7
        ));
    }
    sql
}

/// The floor: counts per (applicant kind, outcome or 结转下年, new or carried over) in SQL.
async fn group_by(db: &Db, scope: Scope) -> u64 {
    let (first, last) = year_bounds(YEAR).expect("year");
    let filter = match scope {
        Scope::Agency(_) => "agency_id = $1",
        Scope::Region(_) => {
            "agency_id IN (SELECT g.id FROM agency g JOIN sub ON g.region_id = sub.id)"
        }
    };
    let id = match scope {
        Scope::Agency(id) | Scope::Region(id) => id,
    };
    let sql = format!(
        "WITH RECURSIVE sub(id) AS (SELECT id FROM region WHERE id = $1 \
         UNION ALL SELECT r.id FROM region r JOIN sub ON r.parent_id = sub.id) \
         SELECT applicant_kind, \
           CASE WHEN closed_on IS NOT NULL AND closed_on <= $2 THEN outcome ELSE 'carried_forward' END AS o, \
           CASE WHEN received_on >= $3 THEN 1 ELSE 0 END AS is_new, COUNT(*) AS n \
         FROM application WHERE {filter} AND received_on <= $2 AND (closed_on IS NULL OR closed_on >= $3) \
         GROUP BY 1, 2, 3"
    );
    let rows: Vec<(String, String, i32, i64)> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .bind(last)
            .bind(first)
            .fetch_all(p)
            .await
            .expect("group by")
    });
    rows.iter().map(|r| r.3 as u64).sum()
}

/// gongkai: the rows of the year, classified, every cell with its record ids.
async fn gongkai(db: &Db, scope: Scope) -> u64 {
    let groups = t3_groups(db, scope, YEAR).await.expect("groups");
    let t = table3_from_groups(&groups, OtherShape::Split).expect("table");
    let n = |row| match t.get(row, T3Col::Total).value {
        Value::Count(n) => n,
        _ => 0,
    };
    assert_eq!(
        n(T3Row::NewReceived) + n(T3Row::CarriedOver),
        n(T3Row::TotalProcessed) + n(T3Row::CarriedForward),
        "T3-1"
    );
    n(T3Row::NewReceived) + n(T3Row::CarriedOver)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn measure(db: &Db, backend: &str, runs: usize, out: &mut Vec<String>) {
    for (label, scope) in [
        ("one agency, 100,000 cases", Scope::Agency(1)),
        ("region, 1,000 agencies, 1,000,000 cases", Scope::Region(1)),
    ] {
        let mut ours = Vec::new();
        let mut floor = Vec::new();
        let mut counted = (0, 0);
        for _ in 0..runs {
            let t = Instant::now();
            counted.0 = gongkai(db, scope).await;
            ours.push(t.elapsed());
            let t = Instant::now();
            counted.1 = group_by(db, scope).await;
            floor.push(t.elapsed());
        }
        assert_eq!(
            counted.0, counted.1,
            "gongkai and GROUP BY count the same cases"
        );
        let (a, b) = (median(ours), median(floor));
        out.push(format!(
            "{backend:<9} {label:<40} {:>9} {:>12.1} {:>14.1} {:>7.1}x",
            counted.0,
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            a.as_secs_f64() / b.as_secs_f64()
        ));
    }
}

async fn count(db: &Db) -> i64 {
    on_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM application"
    )
    .fetch_one(p)
    .await
    .unwrap_or(0))
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
        format!("table 三 for {YEAR}, median of {runs} runs, release build"),
        format!(
            "{:<9} {:<40} {:>9} {:>12} {:>14} {:>8}",
            "backend", "scope", "cases", "gongkai ms", "GROUP BY ms", "ratio"
        ),
    ];

    let db = Db::create_sqlite(&dir.join("bench.db"))
        .await
        .expect("sqlite");
    migrate::run(&db).await.expect("migrate");
    if count(&db).await != CASES {
        generate(&db).await;
    }
    measure(&db, "sqlite", runs, &mut out).await;
    db.close().await;

    match std::env::var("TEST_PG_URL") {
        Ok(url) if !url.is_empty() => {
            let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
                .await
                .expect("pg");
            sqlx::query("CREATE SCHEMA IF NOT EXISTS bench_table3")
                .execute(&mut admin)
                .await
                .expect("schema");
            let opts = PgConnectOptions::from_str(&url)
                .expect("url")
                .options([("search_path", "bench_table3")]);
            let db = Db::connect_postgres(opts, 4).await.expect("pg pool");
            migrate::run(&db).await.expect("migrate");
            if count(&db).await != CASES {
                generate(&db).await;
            }
            // Index-only scans need the visibility map that (auto)vacuum maintains.
            if let Db::Postgres(p) = &db {
                sqlx::query("VACUUM ANALYZE application")
                    .execute(p)
                    .await
                    .expect("vacuum");
            }
            measure(&db, "postgres", runs, &mut out).await;
            db.close().await;
        }
        _ => out.push("postgres  (skipped: TEST_PG_URL is not set)".into()),
    }
    println!("{}", out.join("\n"));
}
