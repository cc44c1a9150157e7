//! T-FAULT-1..4 (docs/reliability.md#crash-and-fault-tests-t-crash-t-fault; RL-9): the
//! database fails under a running server — the disk full, the database files unwritable,
//! another writer holding the lock, the PostgreSQL server stopped — and a citizen submits the
//! online application form. Each time: `503` with the Chinese notice, no receipt and no stored
//! row; the form as typed with the same idempotency key and `Retry-After` (when PostgreSQL is
//! down, the agency cannot be read to show the form again: a page says the same); pages that
//! only read still answer where the database can be read; nothing in the log says the server
//! panicked. When the fault clears the same form goes through without restarting the server,
//! as a new application (proving the failed attempt stored nothing); SQLite's
//! `integrity_check` says `ok` and the audit chain verifies. The time from clearing the fault
//! to the first stored submission is printed (`T-FAULT-n …`).
//!
//! Mounting a tmpfs and setting the immutable attribute need root (CI runs as root); a run
//! without root skips those two with a line on the terminal, unless `GONGKAI_REQUIRE_FAULTS=1`
//! or `CI` is set (`scripts/test.sh` sets the former), when it fails instead.

use super::common::*;
use super::served::*;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Written past the test harness's capture, so the line shows in the test run's output.
fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn faults_required() -> bool {
    std::env::var("GONGKAI_REQUIRE_FAULTS").is_ok_and(|v| !v.is_empty() && v != "0")
        || std::env::var_os("CI").is_some()
}

/// Whether the test can run: `why_not` is `None` when the fault can be made here, otherwise the
/// reason, which skips the test (or fails it when faults are required).
fn can_run(why_not: Option<String>) -> bool {
    match why_not {
        None => true,
        Some(reason) if faults_required() => {
            panic!(
                "this fault test is required (GONGKAI_REQUIRE_FAULTS or CI) but cannot run: {reason}"
            )
        }
        Some(reason) => {
            let test = std::thread::current()
                .name()
                .unwrap_or("a fault test")
                .to_string();
            report(&format!("skipped: {reason} ({test})"));
            false
        }
    }
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// What the server logs when the database refused an application.
const NOT_STORED: &str = "an online application was not stored";

fn run(cmd: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .map_err(|e| format!("{cmd}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// A citizen's form sent while the database fails: `503`, the notice, no receipt, the form as
/// typed with the same key.
fn refused_while_down(browser: &Browser, addr: std::net::SocketAddr, key: &str, log: &Path) -> Got {
    let log = || std::fs::read_to_string(log).unwrap_or_default();
    let got = match browser.submit(addr, key).expect("an answer") {
        Submitted::Refused(got) => got,
        Submitted::Acknowledged(r) => {
            panic!(
                "acknowledged while the database fails: {r:?}; the server's log: {}",
                log()
            )
        }
    };
    assert_eq!(got.status, 503, "{}\nthe server's log: {}", got.body, log());
    assert!(
        got.body.contains("本次提交没有保存"),
        "{}\nthe server's log: {}",
        got.body,
        log()
    );
    assert!(
        !got.body.contains("class=\"number\""),
        "no receipt: {}",
        got.body
    );
    got
}

/// [`refused_while_down`] when the form could be shown again (the agency could be read).
fn form_kept(got: &Got, key: &str, log: &Path) {
    let log = || std::fs::read_to_string(log).unwrap_or_default();
    assert_eq!(
        got.header("retry-after"),
        Some("30"),
        "{}\nthe server's log: {}",
        got.body,
        log()
    );
    assert_eq!(hidden(&got.body, "idempotency_key").as_deref(), Some(key));
    assert!(
        got.body.contains(&format!("2025年部门预算（{key}）")),
        "the form as typed: {}",
        got.body
    );
}

/// After the fault cleared: the first form sent during the fault goes through as a new
/// application (its code shown, so the failed attempt had stored nothing), tried for up to a
/// minute; the time that took. Then the other forms sent during the fault, and [`AFTER`] new
/// ones — more than the pool's connections, which serve in turn — so that a connection left
/// unusable by the fault would be met: every one must be acknowledged as new at once.
fn stored_after(
    browser: &Browser,
    addr: std::net::SocketAddr,
    keys: &[String],
    log: &Path,
) -> (Vec<(String, Receipt)>, Duration) {
    let log = || std::fs::read_to_string(log).unwrap_or_default();
    let cleared = Instant::now();
    let new = |key: &str, s: Submitted| match s {
        Submitted::Acknowledged(Some(r)) => {
            assert!(
                r.code.is_some(),
                "{key} had been stored while the database failed"
            );
            Some(r)
        }
        Submitted::Acknowledged(None) => panic!("no receipt page from a running server"),
        Submitted::Refused(got) => {
            assert_eq!(got.status, 503, "{}\nthe server's log: {}", got.body, log());
            None
        }
    };
    let first = loop {
        if let Some(r) = new(&keys[0], browser.submit(addr, &keys[0]).expect("an answer")) {
            break r;
        }
        assert!(
            cleared.elapsed() < Duration::from_secs(60),
            "still refused a minute after the fault cleared: {}",
            log()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let took = cleared.elapsed();
    let mut stored = vec![(keys[0].clone(), first)];
    let later = (0..AFTER).map(|i| format!("{}-after-{i:02}", keys[0]));
    for key in keys[1..].iter().cloned().chain(later) {
        let r = new(&key, browser.submit(addr, &key).expect("an answer"))
            .unwrap_or_else(|| panic!("{key} refused after the fault cleared: {}", log()));
        stored.push((key, r));
    }
    (stored, took)
}

/// Forms sent after a fault cleared, beyond those sent during it.
const AFTER: usize = 8;

/// None of the keys is stored; SQLite's verdict, if any, is `ok`.
fn not_stored(data: &Path, pg_url: Option<&str>, keys: &[String]) {
    let (rows, verdict) = stored(data, pg_url);
    for key in keys {
        assert!(rows.iter().all(|(k, _)| k != key), "{key} was stored");
    }
    if let Some(v) = verdict {
        assert_eq!(v, "ok");
    }
}

/// Afterwards: each key stored once under its receipt's number, `integrity_check` ok, the
/// audit chain whole, and the server's log free of panics and with the fault's cause (`cause`).
fn whole_after(
    data: &Path,
    pg_url: Option<&str>,
    receipts: &[(String, Receipt)],
    log: &Path,
    cause: &str,
) {
    let (rows, verdict) = stored(data, pg_url);
    for (key, receipt) in receipts {
        let mine: Vec<_> = rows.iter().filter(|(k, _)| k == key).collect();
        assert_eq!(mine.len(), 1, "{key}: {rows:?}");
        assert_eq!(mine[0].1, receipt.number);
    }
    if let Some(v) = verdict {
        assert_eq!(v, "ok");
    }
    audit_chain_verifies(data).expect("the audit chain verifies");
    let log = std::fs::read_to_string(log).expect("the server log");
    assert!(!log.contains("panicked"), "{log}");
    assert!(log.contains(cause), "the cause is logged: {log}");
}

/// Sends `n` forms while the database fails (`before_each` keeps the fault up): each
/// refused, the form kept; their keys.
fn during(
    browser: &Browser,
    addr: std::net::SocketAddr,
    prefix: &str,
    n: usize,
    log: &Path,
    before_each: &dyn Fn(),
) -> Vec<String> {
    (0..n)
        .map(|i| {
            before_each();
            let key = format!("{prefix}-{i:04}");
            let got = refused_while_down(browser, addr, &key, log);
            form_kept(&got, &key, log);
            key
        })
        .collect()
}

/// Pages that must keep answering while writes fail: the agency's page and its form.
fn pages_work(addr: std::net::SocketAddr, agency: i64) {
    for path in [
        format!("/agencies/{agency}"),
        format!("/agencies/{agency}/apply/online"),
    ] {
        let got = request(addr, "GET", &path, &[], b"").expect("an answer");
        assert_eq!(got.status, 200, "{path}: {}", got.body);
    }
}

/// [`pages_work`] from several clients at once (so that the pool opens connections while the
/// fault lasts, which must not stay unusable after it), and the status look-up of a stored
/// application (a POST that only reads).
fn reads_work(browser: &Browser, addr: std::net::SocketAddr, agency: i64, stored: &Receipt) {
    let readers: Vec<_> = (0..6)
        .map(|_| std::thread::spawn(move || pages_work(addr, agency)))
        .collect();
    for r in readers {
        r.join().expect("a reader");
    }
    let code = stored.code.as_deref().expect("a code");
    let got = browser.status(addr, &stored.number, code);
    assert_eq!(got.status, 200, "{}", got.body);
}

/// A first submission before the fault: the server works.
fn baseline(browser: &Browser, addr: std::net::SocketAddr, key: &str) -> Receipt {
    match browser.submit(addr, key).expect("an answer") {
        Submitted::Acknowledged(Some(r)) => r,
        other => panic!("{other:?}"),
    }
}

/// A tmpfs mounted for the test, unmounted when dropped (after the server, declared later, is
/// gone).
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("--lazy").arg(&self.0).status();
    }
}

/// Fills the filesystem of `dir` to the last byte (again: whatever was freed since is taken).
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .expect("open the filler");
    for chunk in [1 << 20, 4096, 1] {
        let buf = vec![0x5a_u8; chunk];
        while f.write_all(&buf).is_ok() {}
    }
    let _ = f.sync_all();
    path
}

#[test]
fn t_fault_1_disk_full() {
    if !can_run((!is_root()).then(|| "mounting a tmpfs needs root".to_string())) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mnt = dir.path().join("small-disk");
    std::fs::create_dir(&mnt).expect("mount point");
    run(
        "mount",
        &[
            "-t",
            "tmpfs",
            "-o",
            "size=24m,mode=0700",
            "tmpfs",
            &mnt.display().to_string(),
        ],
    )
    .expect("mount a 24 MB tmpfs");
    let _mounted = Mounted(mnt.clone());
    let data = mnt.join("data");
    let agency = data_dir(&data, None);
    let log = dir.path().join("server.log");
    let served = Served::start(&data, &log);
    let browser = Browser::open(served.addr, agency);
    let first = baseline(&browser, served.addr, "t-fault-1-baseline-0001");

    let filler = fill(&mnt);
    // A write that failed half-way keeps the space it got, and the server frees some now and
    // then: the disk is filled again before each form, so that each meets a full disk.
    let keys = during(
        &browser,
        served.addr,
        "t-fault-1-disk-full",
        4,
        &log,
        &|| {
            fill(&mnt);
        },
    );
    reads_work(&browser, served.addr, agency, &first);
    not_stored(&data, None, &keys);

    std::fs::remove_file(&filler).expect("free the space");
    let (receipts, took) = stored_after(&browser, served.addr, &keys, &log);
    served.kill();
    whole_after(&data, None, &receipts, &log, NOT_STORED);
    report(&format!(
        "T-FAULT-1 disk full (tmpfs 24 MB filled): {} forms answered 503 with the notice, no \
         receipt, reads answered; the first stored {:.0} ms after the space was freed, without a \
         restart, then {} more; integrity_check ok, audit chain ok",
        keys.len(),
        took.as_secs_f64() * 1000.0,
        receipts.len() - 1,
    ));
}

/// Whether the immutable attribute stops writes through a file already open, on the
/// filesystem of `dir` (ext4, XFS and Btrfs do; tmpfs does not): `None` when it does.
fn immutable_enforced(dir: &Path) -> Option<String> {
    use std::os::unix::fs::FileExt;
    if !is_root() {
        return Some("setting the immutable attribute needs root".into());
    }
    let probe = dir.join("probe");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(&probe)
        .expect("probe");
    let p = probe.display().to_string();
    if let Err(e) = run("chattr", &["+i", &p]) {
        return Some(format!("chattr +i: {e}"));
    }
    let refused = f.write_at(b"x", 0).is_err();
    run("chattr", &["-i", &p]).expect("chattr -i");
    (!refused).then(|| {
        format!(
            "the filesystem of {} does not enforce the immutable attribute on open files (set TMPDIR to ext4 or XFS)",
            dir.display()
        )
    })
}

/// Files made immutable for the test, made writable again when dropped.
struct Immutable(Vec<String>);

impl Immutable {
    fn set(files: &[PathBuf]) -> Immutable {
        let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        for f in &files {
            assert!(Path::new(f).exists(), "{f}");
            run("chattr", &["+i", f]).expect("chattr +i");
        }
        Immutable(files)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        for f in &self.0 {
            let _ = run("chattr", &["-i", f]);
        }
    }
}

/// The database files become unwritable under the running server. Linux refuses to remount a
/// filesystem read-only while a process holds files open for writing (`EBUSY`), and a `chmod`
/// changes nothing for files already open (nor for root), so the test sets the immutable
/// attribute on the database and its WAL (not the `-shm` index, which SQLite maps in memory):
/// every write then fails as on a read-only filesystem, which SQLite reports as an I/O error.
#[test]
fn t_fault_2_database_unwritable() {
    let dir = tempfile::tempdir().expect("tempdir");
    if !can_run(immutable_enforced(dir.path())) {
        return;
    }
    let data = dir.path().join("data");
    let agency = data_dir(&data, None);
    let log = dir.path().join("server.log");
    let served = Served::start(&data, &log);
    let browser = Browser::open(served.addr, agency);
    let first = baseline(&browser, served.addr, "t-fault-2-baseline-0001");

    let locked = Immutable::set(&[data.join("gongkai.db"), data.join("gongkai.db-wal")]);
    let keys = during(
        &browser,
        served.addr,
        "t-fault-2-read-only",
        4,
        &log,
        &|| (),
    );
    reads_work(&browser, served.addr, agency, &first);
    not_stored(&data, None, &keys);

    drop(locked);
    let (receipts, took) = stored_after(&browser, served.addr, &keys, &log);
    served.kill();
    whole_after(&data, None, &receipts, &log, NOT_STORED);
    report(&format!(
        "T-FAULT-2 database files unwritable (immutable attribute on the database and its WAL): \
         {} forms answered 503 with the notice, no receipt, reads answered; the first stored \
         {:.0} ms after the files were writable again, without a restart, then {} more; \
         integrity_check ok, audit chain ok",
        keys.len(),
        took.as_secs_f64() * 1000.0,
        receipts.len() - 1,
    ));
}

/// A PostgreSQL server of the test's own (scripts/pg.sh), stopped when dropped.
struct OwnPg(PathBuf);

impl OwnPg {
    fn script(&self, cmd: &str) -> String {
        let out = Command::new(repo().join("scripts/pg.sh"))
            .arg(cmd)
            .arg(&self.0)
            .output()
            .expect("run scripts/pg.sh");
        assert!(
            out.status.success(),
            "scripts/pg.sh {cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for OwnPg {
    fn drop(&mut self) {
        let _ = Command::new(repo().join("scripts/pg.sh"))
            .arg("stop")
            .arg(&self.0)
            .output();
    }
}

/// PostgreSQL stopped under the running server, then started again. It runs where PostgreSQL
/// tests run (`TEST_PG_URL` set, or required), but on a server of its own: stopping the shared
/// one would fail the other tests.
#[test]
fn t_fault_3_postgresql_stopped() {
    if gongkai_store::testing::pg_url().is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    {
        use std::os::unix::fs::PermissionsExt;
        // The server runs as the postgres user when the test runs as root.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
    }
    let pg = OwnPg(dir.path().join("pg"));
    let url = pg.script("start");
    assert!(url.starts_with("postgres://"), "{url}");
    let data = dir.path().join("data");
    let agency = data_dir(&data, Some(&url));
    let log = dir.path().join("server.log");
    let served = Served::start(&data, &log);
    let browser = Browser::open(served.addr, agency);
    baseline(&browser, served.addr, "t-fault-3-baseline-0001");

    pg.script("stop");
    let key = "t-fault-3-pg-stopped-0001";
    let got = refused_while_down(&browser, served.addr, key, &log);
    let keys = [key.to_string()];
    assert!(got.body.contains("申请未能提交"), "{}", got.body);
    // A page that needs the database: 503 with the general notice (or the cached page), never
    // a 500 and never the cause.
    let page =
        request(served.addr, "GET", &format!("/agencies/{agency}"), &[], b"").expect("an answer");
    assert!(
        matches!(page.status, 200 | 503),
        "{} {}",
        page.status,
        page.body
    );
    if page.status == 503 {
        assert!(page.body.contains("服务暂时不可用"), "{}", page.body);
    }
    for body in [&got.body, &page.body] {
        for cause in ["sqlx", "PoolTimedOut", "database", "panicked"] {
            assert!(!body.contains(cause), "{body}");
        }
    }

    pg.script("restart");
    let (receipts, took) = stored_after(&browser, served.addr, &keys, &log);
    served.kill();
    whole_after(
        &data,
        Some(&url),
        &receipts,
        &log,
        "gongkai-web: Unavailable",
    );
    report(&format!(
        "T-FAULT-3 PostgreSQL stopped: 503 with the notice while down (after the pool's 10 s \
         acquire timeout), no receipt, no 500; stored {:.0} ms after PostgreSQL was started \
         again, without restarting gongkai, then {} more; audit chain ok",
        took.as_secs_f64() * 1000.0,
        receipts.len() - 1,
    ));
}

/// Another process holds SQLite's write lock longer than the busy timeout (5 s).
#[test]
fn t_fault_4_database_busy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let agency = data_dir(&data, None);
    let log = dir.path().join("server.log");
    let served = Served::start(&data, &log);
    let browser = Browser::open(served.addr, agency);
    baseline(&browser, served.addr, "t-fault-4-baseline-0001");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let other = rt
        .block_on(gongkai_store::Db::connect_sqlite(&data.join("gongkai.db")))
        .expect("a second process's connection");
    let lock = rt.block_on(other.begin()).expect("BEGIN IMMEDIATE");
    // One form: each waits the busy timeout, and its audit entry as long again.
    let keys = during(&browser, served.addr, "t-fault-4-busy", 1, &log, &|| ());
    // (The status look-up is left out here: its audit entry would wait for the lock as well.)
    pages_work(served.addr, agency);
    rt.block_on(lock.rollback()).expect("release the lock");
    rt.block_on(other.close());
    not_stored(&data, None, &keys);

    let (receipts, took) = stored_after(&browser, served.addr, &keys, &log);
    served.kill();
    whole_after(&data, None, &receipts, &log, NOT_STORED);
    report(&format!(
        "T-FAULT-4 write lock held past the busy timeout: 503 with the notice, no receipt, pages \
         answered; stored {:.0} ms after the lock was released, then {} more; integrity_check \
         ok, audit chain ok",
        took.as_secs_f64() * 1000.0,
        receipts.len() - 1,
    ));
}
