//! Online submissions under load: simulated citizens fill in the online application form of
//! the real server (`gongkai_web::Server`, in process, on its own multi-thread runtime) over a
//! real data directory — SQLite with `synchronous=FULL`, and PostgreSQL when TEST_PG_URL is
//! set — 32 at a time for a fixed time: throughput and latency until the receipt page, next to
//! the disk's fsync rate measured in the same run in the SQLite file's directory (the floor).
//! Then the status page looked up over 64 connections. Every submission and look-up is
//! checked, and after the loads every receipt shown must be a stored application.
//!
//! Run: `bench/apply/run.sh` (starts a throw-away PostgreSQL with fsync on), or
//! `cargo bench -p gongkai-web --bench apply` (PostgreSQL leg when TEST_PG_URL is set).
//! Options: `-- --runs N` (default 3), `-- --duration S` seconds per load (default 10),
//! `-- --dir DIR` where the data directories go (the disk measured), `-- --clients N`
//! (default 32), `-- --connections N` (status page, default 64).
//! See bench/apply/README.md.

mod data;
mod floor;
mod http;
mod load;
mod report;

use gongkai_app::application::online;
use gongkai_core::calendar::date_in_china;
use gongkai_web::{Server, WebState};
use load::{Outcome, Receipt, Target};
use report::{Cpu, Row, Stat, WHAT, median_stat, pad, percentile, stat, table};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// Submissions confirmed by a clerk before the status loads, whose page is a case's.
const CONFIRMED: usize = 200;
/// Seconds of each fsync measurement.
const FLOOR_SECONDS: f64 = 3.0;

struct Opts {
    runs: usize,
    duration: f64,
    clients: usize,
    connections: usize,
}

fn report_errors(backend: &str, what: &str, o: &Outcome) {
    if o.error_count > 0 {
        eprintln!("  {backend} {what}: {} errors, the first:", o.error_count);
        for e in &o.errors {
            eprintln!("    {e}");
        }
    }
}

/// CPU used during a load: milliseconds per operation and cores busy, for the process less
/// the load generator's thread (the server; on PostgreSQL without the server's own processes)
/// and for that thread.
struct CpuUse {
    server_ms: f64,
    client_ms: f64,
    server_cores: f64,
    client_cores: f64,
}

fn cpu_use(before: Cpu, operations: usize, seconds: f64) -> CpuUse {
    let (server, client) = before.since();
    let n = operations.max(1) as f64;
    CpuUse {
        server_ms: server * 1e3 / n,
        client_ms: client * 1e3 / n,
        server_cores: server / seconds,
        client_cores: client / seconds,
    }
}

fn cpu_note(backend: &str, what: &str, operation: &str, v: &[CpuUse]) -> String {
    let m = |f: fn(&CpuUse) -> f64| report::median(v.iter().map(f).collect());
    format!(
        "{backend}: {what}: CPU per {operation}: gongkai process {:.2} ms ({:.2} cores busy){}, load generator {:.2} ms ({:.2} cores)",
        m(|c| c.server_ms),
        m(|c| c.server_cores),
        if backend == "postgres" {
            " without PostgreSQL's processes"
        } else {
            ""
        },
        m(|c| c.client_ms),
        m(|c| c.client_cores),
    )
}

/// What a leg gives the report.
struct Leg {
    rows: Vec<Row>,
    notes: Vec<String>,
}

/// One backend: the server over a new data directory in `dir`, loaded with submissions, then
/// the status page. `durable`: whether the backend's commits reach the disk (a PostgreSQL with
/// fsync off answers the targets with "n/a").
fn leg(dir: &Path, backend: &str, pg: Option<&str>, opt: &Opts, durable: bool) -> Leg {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (addr, agency, app) = rt.block_on(async {
        let (app, agency) = data::prepare(dir, pg).await;
        app.db
            .check_profile()
            .await
            .expect("the durability profile");
        // As `gongkai serve` does.
        let state = WebState::open(app).await.expect("state");
        let app = state.app.clone();
        let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0)), state)
            .await
            .expect("bind");
        let addr = server.local_addr().expect("addr");
        tokio::spawn(server.run(std::future::pending()));
        (addr, agency, app)
    });
    // The load generator: one thread of its own (the server's runtime has the cores' workers).
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let target = Arc::new(Target { addr, agency });
    let seq = Arc::new(AtomicU64::new(1));
    let warm_up = opt.duration.min(2.0);
    let mut receipts: Vec<Receipt> = Vec::new();
    let mut errors = 0;

    let o = client.block_on(load::submissions(
        target.clone(),
        opt.clients,
        warm_up,
        seq.clone(),
    ));
    report_errors(backend, "warm-up", &o);
    errors += o.error_count;
    receipts.extend(o.receipts);
    let (mut post, mut full) = (Vec::new(), Vec::new());
    let mut run_errors = 0;
    let mut cpu = Vec::new();
    for run in 0..opt.runs {
        let before = Cpu::now();
        let o = client.block_on(load::submissions(
            target.clone(),
            opt.clients,
            opt.duration,
            seq.clone(),
        ));
        cpu.push(cpu_use(before, o.receipts.len(), opt.duration));
        let p = stat(o.rate(), o.samples.iter().map(|s| s.0).collect());
        let f = stat(o.rate(), o.samples.iter().map(|s| s.1).collect());
        eprintln!(
            "  {backend} run {}: {:.0} submissions/s, to the receipt p50 {:.1} ms p99 {:.1} ms, with the form p99 {:.1} ms{}",
            run + 1,
            p.rate,
            p.p50,
            p.p99,
            f.p99,
            if o.error_count > 0 {
                format!(", {} errors", o.error_count)
            } else {
                String::new()
            }
        );
        report_errors(backend, "submissions", &o);
        run_errors += o.error_count;
        post.push(p);
        full.push(f);
        receipts.extend(o.receipts);
    }
    errors += run_errors;
    let submissions_cpu = cpu_note(backend, "submissions", "submission", &cpu);

    // Nothing acknowledged is lost: every receipt shown is a stored submission.
    let stored = rt.block_on(data::stored_numbers(&app));
    let stored_set: HashSet<&str> = stored.iter().map(String::as_str).collect();
    let shown: HashSet<&str> = receipts.iter().map(|r| r.number.as_str()).collect();
    let missing = shown.difference(&stored_set).count();
    let kept = missing == 0 && shown.len() == receipts.len() && stored.len() >= shown.len();
    let mut notes = vec![format!(
        "{backend}: {} receipts shown ({} distinct numbers), {} submissions stored, {missing} shown but not stored{}: {}",
        receipts.len(),
        shown.len(),
        stored.len(),
        if stored.len() > shown.len() {
            format!(
                " ({} stored without a receipt shown: their requests failed after the commit)",
                stored.len() - shown.len()
            )
        } else {
            String::new()
        },
        if kept && stored.len() == shown.len() {
            "nothing acknowledged was lost, stored = acknowledged"
        } else if kept {
            "nothing acknowledged was lost"
        } else {
            "LOST OR DUPLICATED RECEIPTS"
        }
    )];
    notes.push(submissions_cpu);
    assert!(!receipts.is_empty(), "{backend}: no submission succeeded");

    // A clerk confirms the first ones (through the app layer): their status page is a case's.
    let (cases, pending) = receipts.split_at(CONFIRMED.min(receipts.len() / 2));
    rt.block_on(async {
        let op = gongkai_app::user::actor(&app, None)
            .await
            .expect("operator");
        let today = date_in_china(time::OffsetDateTime::now_utc());
        for r in cases {
            online::confirm_online(&app, &op, &r.number, today, today)
                .await
                .expect("confirm");
        }
    });
    let mut status_rows = Vec::new();
    for (what, pairs) in [
        ("status page, pending submission", pending),
        ("status page, confirmed case", cases),
    ] {
        let pairs = Arc::new(pairs.to_vec());
        let o = client.block_on(load::lookups(
            target.clone(),
            opt.connections,
            warm_up.min(1.0),
            pairs.clone(),
        ));
        report_errors(backend, "status warm-up", &o);
        errors += o.error_count;
        let mut runs = Vec::new();
        let mut errs = 0;
        let mut cpu = Vec::new();
        for run in 0..opt.runs {
            let before = Cpu::now();
            let o = client.block_on(load::lookups(
                target.clone(),
                opt.connections,
                opt.duration,
                pairs.clone(),
            ));
            cpu.push(cpu_use(before, o.samples.len(), opt.duration));
            let s = stat(o.rate(), o.samples.iter().map(|s| s.0).collect());
            eprintln!(
                "  {backend} run {}: {what}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
                run + 1,
                s.rate,
                s.p50,
                s.p99
            );
            report_errors(backend, what, &o);
            errs += o.error_count;
            runs.push(s);
        }
        notes.push(cpu_note(backend, what, "look-up", &cpu));
        status_rows.push((what, median_stat(&runs), errs));
    }
    rt.shutdown_timeout(Duration::from_secs(5));
    if errors > 0 {
        notes.push(format!(
            "{backend}: {errors} errors in warm-ups (see above)"
        ));
    }

    let p = median_stat(&post);
    let f = median_stat(&full);
    let target = |ok: bool| durable.then_some(ok);
    let mut rows = vec![
        Row {
            backend: backend.into(),
            what: format!("submission, POST → receipt, {} clients", opt.clients),
            stat: p,
            target: if durable {
                "≥ 100/s, p99 < 250 ms"
            } else {
                "n/a: fsync is off"
            },
            holds: target(p.rate >= 100.0 && p.p99 < 250.0 && run_errors == 0 && kept),
            errors: run_errors,
        },
        Row {
            backend: backend.into(),
            what: "submission with the form GET".into(),
            stat: f,
            target: "",
            holds: None,
            errors: 0,
        },
    ];
    for (what, s, errs) in status_rows {
        rows.push(Row {
            backend: backend.into(),
            what: format!("{what}, {} conns", opt.connections),
            stat: s,
            target: "p99 < 20 ms",
            holds: Some(s.p99 < 20.0 && errs == 0),
            errors: errs,
        });
    }
    Leg { rows, notes }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let number = |name: &str, default: usize| {
        arg(name)
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
            .max(1)
    };
    let opt = Opts {
        runs: number("--runs", 3),
        duration: arg("--duration")
            .and_then(|s| s.parse().ok())
            .unwrap_or(10.0_f64)
            .max(1.0),
        clients: number("--clients", 32),
        connections: number("--connections", 64),
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = arg("--dir")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("data"));
    std::fs::create_dir_all(&dir).expect("bench dir");

    let mut out = vec![format!(
        "apply: online submissions with {} clients, the status page with {} connections, {} s per load, median of {} runs, release build",
        opt.clients, opt.connections, opt.duration, opt.runs
    )];

    // The floor, in the directory that holds the SQLite file.
    let sqlite_dir = dir.join("sqlite");
    std::fs::create_dir_all(&sqlite_dir).expect("sqlite dir");
    let one = floor::fsync_rate(&sqlite_dir, 1, FLOOR_SECONDS);
    let many = floor::fsync_rate(&sqlite_dir, opt.clients, FLOOR_SECONDS);
    out.push(format!(
        "floor: write 4 KiB + fsync in a loop, in {} ({}), {FLOOR_SECONDS} s each",
        sqlite_dir.display(),
        floor::file_system(&sqlite_dir)
    ));
    let setup = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let pg = std::env::var("TEST_PG_URL").ok().filter(|u| !u.is_empty());
    let pg_durable = pg.as_deref().map(|url| {
        let (line, durable) = setup.block_on(data::pg_settings(url));
        out.push(line);
        durable
    });
    out.push(format!(
        "{:<9} {} {:>8} {:>8} {:>8}  {} holds?",
        "backend",
        pad("what", WHAT),
        "per s",
        "p50 ms",
        "p99 ms",
        pad("target", 22)
    ));
    let mut rows = vec![
        Row {
            backend: "disk".into(),
            what: "fsync floor: 1 thread".into(),
            stat: Stat {
                rate: one.per_s,
                p50: percentile(&one.latencies, 0.5),
                p99: percentile(&one.latencies, 0.99),
            },
            target: "",
            holds: None,
            errors: 0,
        },
        Row {
            backend: "disk".into(),
            what: format!("fsync floor: {} threads, a file each", opt.clients),
            stat: Stat {
                rate: many.per_s,
                p50: percentile(&many.latencies, 0.5),
                p99: percentile(&many.latencies, 0.99),
            },
            target: "",
            holds: None,
            errors: 0,
        },
    ];
    let mut notes = Vec::new();
    let sqlite = leg(&sqlite_dir, "sqlite", None, &opt, true);
    rows.extend(sqlite.rows);
    notes.extend(sqlite.notes);
    match (&pg, pg_durable) {
        (Some(url), Some(durable)) => {
            let l = leg(&dir.join("postgres"), "postgres", Some(url), &opt, durable);
            rows.extend(l.rows);
            notes.extend(l.notes);
        }
        _ => notes.push("postgres: skipped (TEST_PG_URL is not set)".into()),
    }
    out.extend(table(&rows));
    out.push(
        "per s: fsyncs, submissions (each GET form + POST + GET receipt) or look-ups per second; \
         a submission's latency runs from the POST's start to the receipt page's end"
            .into(),
    );
    out.extend(notes);
    println!("{}", out.join("\n"));
}
