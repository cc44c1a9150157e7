//! T-CRASH-1 (docs/reliability.md#crash-and-fault-tests-t-crash-t-fault): the server is killed
//! with SIGKILL again and again while citizens submit online applications, and restarted.
//! A few client threads send the portal's form over loopback, each form with its own
//! idempotency key, and note every acknowledged submission (the `303` to the receipt, which
//! comes only after the commit: RL-2) with its 申请编号 and 查询码. After a random delay the
//! server is killed. Before it starts again the database is opened afresh and must hold every
//! acknowledged receipt under its key with the same number, no row that no client sent and no
//! key twice; SQLite's `integrity_check` must say `ok` and the audit chain must verify. After the
//! restart every form that got no answer is sent again with the same key and must give exactly
//! one application: the stored one if the commit had happened before the kill (the page says it
//! was received before), a new one otherwise (RL-4); a form acknowledged whose receipt page was
//! lost must come back as received before. At the end every 查询码 shown must still open its
//! application on the public status look-up.
//!
//! `GONGKAI_CRASH_ITERATIONS` changes the number of kills (default: 200 on SQLite, 30 on
//! PostgreSQL). The figures are printed on one line per backend (`T-CRASH-1 …`).

use super::served::*;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Client threads submitting at once.
const CLIENTS: usize = 4;
/// The longest wait before a kill, after the clients start.
const MAX_DELAY_MS: u64 = 150;

/// xorshift64*: the kill delays (the seed is printed with the figures).
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_nanos() as u64;
        Rng(t | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn iterations(default: usize) -> usize {
    std::env::var("GONGKAI_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one client saw until the server went away.
#[derive(Default)]
struct ClientRun {
    acknowledged: Vec<(String, Option<Receipt>)>,
    /// The form in flight when the connection failed: no answer, so not acknowledged.
    unanswered: Option<String>,
    /// Any answer other than `303`: a failure of the test.
    refused: Vec<String>,
}

fn client(
    addr: std::net::SocketAddr,
    browser: Browser,
    prefix: String,
    stop: Arc<AtomicBool>,
) -> ClientRun {
    let mut run = ClientRun::default();
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let key = format!("{prefix}-{n:05}");
        match browser.submit(addr, &key) {
            Ok(Submitted::Acknowledged(receipt)) => run.acknowledged.push((key, receipt)),
            Ok(Submitted::Refused(got)) => {
                run.refused
                    .push(format!("{key}: {} {}", got.status, got.body));
                break;
            }
            Err(_) => {
                run.unanswered = Some(key);
                break;
            }
        }
    }
    run
}

/// Every key the clients sent and what is known of it.
#[derive(Default)]
struct Ledger {
    /// Acknowledged, with the receipt as shown (the number; the code when it was shown).
    receipts: HashMap<String, Receipt>,
    /// Acknowledged, but the receipt page was lost with the server.
    acknowledged_blind: HashSet<String>,
    /// Sent without an answer.
    unanswered: Vec<String>,
    // Figures.
    acknowledged: usize,
    retried: usize,
    retried_stored: usize,
    retried_new: usize,
}

impl Ledger {
    fn knows(&self, key: &str) -> bool {
        self.receipts.contains_key(key)
            || self.acknowledged_blind.contains(key)
            || self.unanswered.iter().any(|k| k == key)
    }

    /// Sends again every form left without a known receipt; each must give one application.
    fn retry(&mut self, addr: std::net::SocketAddr, browser: &Browser) {
        for key in std::mem::take(&mut self.unanswered) {
            let receipt = acknowledged(browser.submit(addr, &key), &key);
            self.retried += 1;
            if receipt.code.is_some() {
                self.retried_new += 1;
            } else {
                self.retried_stored += 1;
            }
            self.acknowledged += 1;
            self.receipts.insert(key, receipt);
        }
        for key in std::mem::take(&mut self.acknowledged_blind) {
            let receipt = acknowledged(browser.submit(addr, &key), &key);
            assert_eq!(
                receipt.code, None,
                "{key} was acknowledged before the kill, yet sending it again made a new application {}",
                receipt.number
            );
            self.receipts.insert(key, receipt);
        }
    }
}

fn acknowledged(s: std::io::Result<Submitted>, key: &str) -> Receipt {
    match s {
        Ok(Submitted::Acknowledged(Some(r))) => r,
        Ok(Submitted::Acknowledged(None)) => panic!("{key}: no receipt page from a running server"),
        Ok(Submitted::Refused(got)) => panic!("{key}: {} {}", got.status, got.body),
        Err(e) => panic!("{key}: {e}"),
    }
}

/// The database after a kill, against the ledger: panics, naming the iteration, on an
/// acknowledged receipt missing or under another number, a key or a number stored twice, a row
/// no client sent, a failed `integrity_check` or an audit chain that does not verify.
fn check(data: &Path, pg_url: Option<&str>, ledger: &Ledger, when: &str) {
    let (rows, verdict) = stored(data, pg_url);
    if let Some(v) = verdict {
        assert_eq!(v, "ok", "{when}: integrity_check");
    }
    let keys = by_key(&rows);
    let numbers: HashSet<&String> = rows.iter().map(|(_, n)| n).collect();
    assert_eq!(keys.len(), rows.len(), "{when}: a key stored twice");
    assert_eq!(numbers.len(), rows.len(), "{when}: a 申请编号 given twice");
    let lost: Vec<String> = ledger
        .receipts
        .iter()
        .filter(|(k, r)| keys.get(*k) != Some(&r.number))
        .map(|(k, r)| format!("{k} ({})", r.number))
        .chain(
            ledger
                .acknowledged_blind
                .iter()
                .filter(|k| !keys.contains_key(*k))
                .cloned(),
        )
        .collect();
    assert!(lost.is_empty(), "{when}: acknowledged and lost: {lost:?}");
    let strays: Vec<&String> = keys.keys().filter(|k| !ledger.knows(k)).collect();
    assert!(
        strays.is_empty(),
        "{when}: stored but never sent: {strays:?}"
    );
    if let Err(e) = audit_chain_verifies(data) {
        panic!("{when}: the audit chain does not verify: {e}");
    }
}

/// Runs `n` kill-and-restart iterations on an initialised data directory; the summary line.
fn crash_loop(data: &Path, pg_url: Option<&str>, agency: i64, n: usize, backend: &str) -> String {
    let started = Instant::now();
    let mut rng = Rng::seeded();
    let seed = rng.0;
    let log = data.with_extension("server.log");
    let mut ledger = Ledger::default();
    let mut served = Served::start(data, &log);
    let browser = Browser::open(served.addr, agency);
    let mut kills_with_unanswered = 0;
    let (mut starting, mut checking) = (Duration::ZERO, Duration::ZERO);
    for iter in 0..n {
        let when = format!("{backend} iteration {iter} (seed {seed})");
        ledger.retry(served.addr, &browser);
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (addr, b, stop) = (served.addr, browser.clone(), stop.clone());
                let prefix = format!("t-crash-1-{iter:04}-{c}");
                std::thread::spawn(move || client(addr, b, prefix, stop))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(rng.next() % (MAX_DELAY_MS + 1)));
        served.kill();
        stop.store(true, Ordering::Relaxed);
        let mut unanswered = 0;
        for c in clients {
            let run = c.join().expect("a client thread");
            assert!(run.refused.is_empty(), "{when}: {:?}", run.refused);
            for (key, receipt) in run.acknowledged {
                ledger.acknowledged += 1;
                match receipt {
                    Some(r) => {
                        assert!(
                            r.code.is_some(),
                            "{when}: {key} was new, its code not shown"
                        );
                        ledger.receipts.insert(key, r);
                    }
                    None => {
                        ledger.acknowledged_blind.insert(key);
                    }
                }
            }
            if let Some(key) = run.unanswered {
                unanswered += 1;
                ledger.unanswered.push(key);
            }
        }
        if unanswered > 0 {
            kills_with_unanswered += 1;
        }
        let t = Instant::now();
        check(data, pg_url, &ledger, &when);
        checking += t.elapsed();
        let t = Instant::now();
        served = Served::start(data, &log);
        starting += t.elapsed();
    }
    // The last kill's forms, then every code shown still opens its application.
    ledger.retry(served.addr, &browser);
    let mut codes = 0;
    let t = Instant::now();
    for r in ledger.receipts.values() {
        if let Some(code) = &r.code {
            let got = browser.status(served.addr, &r.number, code);
            assert_eq!(got.status, 200, "{}: {}", r.number, got.body);
            assert!(got.body.contains("\"pending\""), "{}", got.body);
            codes += 1;
        }
    }
    checking += t.elapsed();
    served.kill();
    check(
        data,
        pg_url,
        &ledger,
        &format!("{backend} at the end (seed {seed})"),
    );
    assert!(ledger.acknowledged > 0, "no submission was acknowledged");
    let integrity = if pg_url.is_none() {
        "integrity_check failures=0, "
    } else {
        ""
    };
    format!(
        "T-CRASH-1 {backend}: {n} SIGKILL iterations survived ({kills_with_unanswered} with a form in flight), \
         {} acknowledged, {} retried ({} had been stored, {} new), lost=0, duplicates=0, \
         {integrity}audit chain verified after every kill, \
         {codes} 查询码 checked, {:.1} s ({:.1} s starting the server, {:.1} s checking) (seed {seed})",
        ledger.acknowledged,
        ledger.retried,
        ledger.retried_stored,
        ledger.retried_new,
        started.elapsed().as_secs_f64(),
        starting.as_secs_f64(),
        checking.as_secs_f64(),
    )
}

/// Written past the test harness's capture, so the figures show in CI's log.
fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[test]
fn t_crash_1_sigkill_during_online_submissions_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let agency = data_dir(&data, None);
    let line = crash_loop(&data, None, agency, iterations(200), "SQLite");
    report(&line);
}

#[test]
fn t_crash_1_sigkill_during_online_submissions_postgresql() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let Some(pg) = rt.block_on(gongkai_store::testing::TestDb::postgres()) else {
        return;
    };
    let url = pg.postgres_url().expect("a PostgreSQL test database");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let agency = data_dir(&data, Some(&url));
    let line = crash_loop(&data, Some(&url), agency, iterations(30), "PostgreSQL");
    report(&line);
    rt.block_on(pg.cleanup());
}
