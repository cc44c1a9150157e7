//! The application commands end to end on the built binary, in a temporary data directory.

use super::common::*;

use std::path::Path;
use std::process::Output;

/// The first case number of a year's data directory.
const CASE: &str = "2021-000001";
/// A valid resident ID card number (check digit X).
const ID_NUMBER: &str = "11010519491231002X";

/// The output of a run that must succeed.
fn ok(args: &[&str]) -> String {
    let out = gongkai(args);
    assert!(
        out.status.success(),
        "gongkai {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// `gongkai application SUB --data DATA ARGS…`.
fn application_args<'a>(sub: &'a str, data: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    [&["application", sub, "--data", data], args].concat()
}

fn application(sub: &str, data: &str, args: &[&str]) -> Output {
    gongkai(&application_args(sub, data, args))
}

fn application_ok(sub: &str, data: &str, args: &[&str]) -> String {
    ok(&application_args(sub, data, args))
}

/// `application event CASE --on ON --today TODAY KIND…`.
fn event_args<'a>(case: &'a str, on: &'a str, today: &'a str, kind: &[&'a str]) -> Vec<&'a str> {
    [&[case, "--on", on, "--today", today], kind].concat()
}

/// `application letter CASE --kind KIND EXTRA…` (HTML on stdout unless EXTRA says otherwise).
fn letter_args<'a>(kind: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    [&[CASE, "--kind", kind], extra].concat()
}

/// `application register` arguments for 张三 (a natural person with a valid ID card) at
/// `agency`; `extra` adds the contact, request and delivery flags.
fn person_args<'a>(
    agency: &'a str,
    channel: &'a str,
    arrived: &'a str,
    today: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let base = [
        "--agency",
        agency,
        "--channel",
        channel,
        "--arrived",
        arrived,
        "--person",
        "张三",
        "--id-number",
        ID_NUMBER,
        "--today",
        today,
    ];
    [&base[..], extra].concat()
}

fn add_agency(data: &str, region: &str, name: &str, org_code: &str) {
    ok(&[
        "agency",
        "add",
        "--data",
        data,
        "--region",
        region,
        "--name",
        name,
        "--org-code",
        org_code,
    ]);
}

fn init(dir: &Path) -> String {
    let data = dir.join("data").display().to_string();
    ok(&["init", "--data", &data]);
    add_agency(&data, "山东省/淄博市/张店区", "张店区某局", "000000009");
    data
}

/// `report compute --data DATA ARGS…` as JSON.
fn compute(data: &str, args: &[&str]) -> serde_json::Value {
    let out = ok(&[&["report", "compute", "--data", data], args].concat());
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn register_event_show_list_compute() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    let out = application_ok(
        "register",
        &data,
        &person_args(
            "张店区某局",
            "当面",
            "2021-09-30",
            "2021-10-08",
            &[
                "--phone",
                "13800000000",
                "--request",
                "2021年部门预算",
                "--delivery",
                "email",
            ],
        ),
    );
    assert!(out.contains("申请编号 2021-000001"), "{out}");
    assert!(out.contains("due      2021-11-03"), "{out}");

    let show = application_ok("show", &data, &[CASE, "--today", "2021-10-08"]);
    assert!(show.contains("day 1 = 2021-10-08"), "{show}");
    assert!(show.contains("due in 19 working days"), "{show}");

    // A refused event: exit 2 and the domain's reason; nothing written.
    let extension = ["extension", "--days", "21", "--approver", "王主任"];
    let bad = application(
        "event",
        &data,
        &event_args(CASE, "2021-10-11", "2021-10-11", &extension),
    );
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("refused") && err.contains("20 working days"),
        "{err}"
    );

    let soon = application_ok(
        "list",
        &data,
        &["--due-soon", "30", "--today", "2021-10-08"],
    );
    assert!(soon.contains("2021-000001"), "{soon}");
    let overdue = application_ok("list", &data, &["--overdue", "--today", "2021-12-01"]);
    assert!(overdue.contains("OVERDUE"), "{overdue}");

    let decided = [
        "decided",
        "--outcome",
        "granted",
        "--basis",
        "《条例》第三十六条第（二）项",
    ];
    application_ok(
        "event",
        &data,
        &event_args(CASE, "2021-10-12", "2021-10-12", &decided),
    );
    let v = compute(
        &data,
        &[
            "--agency",
            "张店区某局",
            "--year",
            "2021",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["table3"]["granted"]["total"], 1);
    assert_eq!(v["table3"]["carried_forward"]["total"], 0);
    assert_eq!(
        v["source"]["cells"]["table3.granted.natural_person"]["records"][0],
        "2021-000001"
    );
    let r = compute(&data, &["--region", "山东省/淄博市", "--year", "2021"]);
    assert_eq!(r["agency"], "淄博市");
    assert_eq!(r["table3"]["granted"]["total"], 1);
    let t31 = v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["rule"] == "T3-1")
        .all(|c| c["passed"] == true);
    assert!(t31, "T3-1 holds");
}

#[test]
fn unknown_agency_and_uninitialised_dir_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nothing").display().to_string();
    let out = gongkai(&["agency", "list", "--data", &missing]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("gongkai init"));

    let data = init(dir.path());
    let again = gongkai(&["init", "--data", &data]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already initialised"));

    let out = application(
        "register",
        &data,
        &person_args(
            "不存在的局",
            "in_person",
            "2021-03-01",
            "2021-03-01",
            &["--phone", "1", "--request", "x"],
        ),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("agency not found: 不存在的局"));
}

#[test]
fn letters_for_each_stage_as_html_and_docx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    application_ok(
        "register",
        &data,
        &[
            "--agency",
            "000000009",
            "--channel",
            "mail",
            "--arrived",
            "2021-09-30",
            "--org",
            "某某律师事务所",
            "--org-kind",
            "legal_service",
            "--credit-code",
            "91350100M000100Y43",
            "--contact-person",
            "李四",
            "--email",
            "li@example.com",
            "--request",
            "某项目环评报告",
            "--today",
            "2021-09-30",
        ],
    );
    let ev = |on: &str, kind: &[&str]| {
        application_ok("event", &data, &event_args(CASE, on, "2021-12-31", kind));
    };
    ev(
        "2021-10-11",
        &["extension", "--days", "20", "--approver", "王主任"],
    );
    let third_party = ["--kind", "third_party", "--party", "某公司"];
    ev(
        "2021-10-12",
        &[&["consultation-opened"], &third_party[..]].concat(),
    );
    // Without a decision there is no reply letter: the error names what is missing.
    let out = application("letter", &data, &letter_args("reply", &[]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("decision"));
    ev(
        "2021-10-20",
        &[
            &["consultation-answered"],
            &third_party[..],
            &["--answer", "objected"],
        ]
        .concat(),
    );
    ev(
        "2021-10-21",
        &[
            "decided",
            "--outcome",
            "denied.third_party",
            "--basis",
            "《条例》第十五条",
        ],
    );

    let letter = |kind: &str| application_ok("letter", &data, &letter_args(kind, &[]));
    let ext = letter("extension");
    assert!(
        ext.contains("延期答复告知书") && ext.contains("某某律师事务所"),
        "{ext}"
    );
    let consult = letter("consult-third-party");
    assert!(
        consult.contains("某公司") && consult.contains("15个工作日"),
        "{consult}"
    );
    let reply = letter("reply");
    assert!(
        reply.contains("政府信息不予公开告知书") && reply.contains("2021年10月21日"),
        "{reply}"
    );
    let docx = dir.path().join("reply.docx").display().to_string();
    application_ok(
        "letter",
        &data,
        &letter_args("reply", &["--format", "docx", "-o", &docx]),
    );
    let bytes = std::fs::read(&docx).expect("docx written");
    assert!(bytes.starts_with(b"PK"));
}

/// `init --database postgres://…` on a schema of the test server (when TEST_PG_URL is set;
/// required in CI).
#[test]
fn init_on_postgresql() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let Some(pg) = rt.block_on(gongkai_store::testing::TestDb::postgres()) else {
        eprintln!("TEST_PG_URL is not set: PostgreSQL leg skipped");
        return;
    };
    let url = pg.postgres_url().expect("a PostgreSQL test database");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("pg").display().to_string();
    let out = ok(&["init", "--data", &data, "--database", &url]);
    assert!(out.contains("PostgreSQL"), "{out}");
    add_agency(&data, "北京市/北京市/东城区", "东城区某局", "123456789");
    let out = application_ok(
        "register",
        &data,
        &person_args(
            "东城区某局",
            "in_person",
            "2024-02-09",
            "2024-02-09",
            &["--phone", "1", "--request", "x"],
        ),
    );
    // 2024-02-09 (除夕) was a working day; 春节 02-10…02-17; 02-18 (Sun) a working day.
    assert!(out.contains("申请编号 2024-000001"), "{out}");
    assert!(out.contains("due      2024-03-14"), "{out}");
    assert!(!std::path::Path::new(&data).join("gongkai.db").exists());
    rt.block_on(pg.cleanup());
}

#[test]
fn init_demo_then_compute_the_seed_agencys_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("demo").display().to_string();
    ok(&["init", "--data", &data, "--demo"]);
    let v = compute(
        &data,
        &["--agency", "淄博市张店区机关事务服务中心", "--year", "2021"],
    );
    assert_eq!(v["proactive"]["total"], 85);
    // The seed agency had no applications in 2021: table 三 is computed as zeros, not blank.
    assert_eq!(v["table3"]["new_received"]["total"], 0);
    assert_eq!(v["table3"]["carried_forward"]["total"], 0);
}

/// Registers 张三's application at 张店区某局 on `arrived` (in person).
fn register_person(data: &str, arrived: &str, today: &str) {
    application_ok(
        "register",
        data,
        &person_args(
            "张店区某局",
            "当面",
            arrived,
            today,
            &[
                "--phone",
                "13800000000",
                "--request",
                "2021年部门预算",
                "--delivery",
                "email",
            ],
        ),
    );
}

#[test]
fn fee_109_payment_period_from_the_receipt_of_the_notice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    register_person(&data, "2021-03-01", "2021-03-01");
    // Sent by post Fri 03-05; the applicant's receipt is not known yet.
    let notice = ["fee-notice", "--pages", "31", "--sent-by", "post"];
    application_ok(
        "event",
        &data,
        &event_args(CASE, "2021-03-05", "2021-03-05", &notice),
    );
    let needs = application_ok("list", &data, &["--needs-action", "--today", "2021-03-08"]);
    assert!(
        needs.contains(CASE) && needs.contains("letter 1"),
        "{needs}"
    );
    let unpaid = application(
        "event",
        &data,
        &event_args(CASE, "2021-05-10", "2021-05-10", &["fee-unpaid"]),
    );
    assert_eq!(unpaid.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unpaid.stderr).contains("not recorded"),
        "{}",
        String::from_utf8_lossy(&unpaid.stderr)
    );
    // The return receipt says Wed 03-10: payment is due Thu 04-08 (清明 04-03…05).
    let receipt = [
        "letter-received",
        "--target",
        "1",
        "--received",
        "2021-03-10",
    ];
    application_ok(
        "event",
        &data,
        &event_args(CASE, "2021-03-12", "2021-03-12", &receipt),
    );
    let show = application_ok(
        "show",
        &data,
        &[CASE, "--today", "2021-03-12", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&show).expect("JSON");
    assert_eq!(v["clock"]["fee_payment_due"]["on"], "2021-04-08");
    assert_eq!(
        v["clock"]["excluded"][0]["letter_received_on"],
        "2021-03-10"
    );
    let early = application(
        "event",
        &data,
        &event_args(CASE, "2021-04-08", "2021-04-08", &["fee-unpaid"]),
    );
    assert_eq!(early.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&early.stderr).contains("from 2021-04-09"));
    let text = application_ok("show", &data, &[CASE, "--today", "2021-04-09"]);
    assert!(text.contains("payment due        2021-04-08"), "{text}");
    assert!(text.contains("needs action"), "{text}");
    application_ok(
        "event",
        &data,
        &event_args(CASE, "2021-04-09", "2021-04-09", &["fee-unpaid"]),
    );
}

#[test]
fn art_33_overdue_list_is_complete_or_says_it_is_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    register_person(&data, "2022-03-01", "2022-03-01");
    // Late December 2026 needs the 2027 notice to count working days: the old case is
    // overdue all the same.
    let out = application("list", &data, &["--overdue", "--today", "2026-12-28"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2022-000001") && stdout.contains("OVERDUE since 2022-03-29"),
        "{stdout}"
    );
    // A case whose due date needs 2027: listed as undetermined, exit 1.
    register_person(&data, "2026-12-10", "2026-12-10");
    let out = application("list", &data, &["--overdue", "--today", "2026-12-28"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2026-000001\t2026-12-10\tundetermined: the holiday calendar for 2027"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("incomplete"));
}

#[test]
fn event_numbers_are_bounded_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    register_person(&data, "2021-03-01", "2021-03-01");
    for (kind, needle) in [
        (
            &["supplement-requested", "--item", "文号", "--period", "61"][..],
            "1 to 60",
        ),
        (&["reasons-requested", "--period", "0"][..], "1 to 60"),
        (&["fee-notice", "--items", "100000"][..], "at most 1000"),
        (
            &["fee-notice", "--pages", "4000000000"][..],
            "at most 1000000",
        ),
        (
            &["extension", "--days", "99", "--approver", "王"][..],
            "1 to 20",
        ),
    ] {
        let out = application(
            "event",
            &data,
            &event_args(CASE, "2021-03-02", "2021-03-02", kind),
        );
        assert_eq!(out.status.code(), Some(2), "{kind:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{kind:?}: {err}");
    }
    let out = application(
        "list",
        &data,
        &["--due-soon", "100000", "--today", "2021-03-02"],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// PI-7 and MP-5 on the command line: `show --format json` masks the identity, `--reveal`
/// prints it in full and is recorded; `key rotate` re-seals the record under a new key and the
/// case still reads; `key status` names the keys, never their bytes.
#[test]
fn pi_7_show_masks_reveal_is_recorded_and_keys_rotate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    application_ok(
        "register",
        &data,
        &person_args(
            "张店区某局",
            "当面",
            "2021-09-30",
            "2021-10-08",
            &["--phone", "13912345678", "--request", "2021年部门预算"],
        ),
    );
    let masked = application_ok("show", &data, &[CASE, "--format", "json"]);
    assert!(
        !masked.contains(ID_NUMBER) && !masked.contains("13912345678"),
        "{masked}"
    );
    assert!(
        masked.contains("110105********002X") && masked.contains("139****5678"),
        "{masked}"
    );
    let full = application_ok("show", &data, &[CASE, "--format", "json", "--reveal"]);
    assert!(
        full.contains(ID_NUMBER) && full.contains("13912345678"),
        "{full}"
    );

    let rotated = ok(&["key", "rotate", "--data", &data]);
    assert!(
        rotated.contains("key k2 is now current; 1 applicant record(s) re-sealed"),
        "{rotated}"
    );
    let status = ok(&["key", "status", "--data", &data]);
    assert!(
        status.contains("current  k2") && status.contains("k1, k2"),
        "{status}"
    );
    let key_file = std::fs::read_to_string(Path::new(&data).join("secret.key")).expect("keys");
    for line in key_file.lines().filter(|l| l.starts_with('k')) {
        let hex = line.split_whitespace().nth(1).expect("key");
        assert!(!status.contains(hex), "status printed a key");
    }
    let again = application_ok("show", &data, &[CASE, "--format", "json", "--reveal"]);
    assert!(again.contains(ID_NUMBER), "{again}");
}

/// DB-AU-1 on the command line: a command that changes the data directory is recorded (who,
/// `cli`, the command, the outcome), a read-only one is not; `audit-log verify` exits 0 on an
/// intact chain and 1 naming the first bad entry once an entry is edited behind its back.
#[test]
fn db_au_1_commands_are_recorded_and_the_chain_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    application_ok(
        "register",
        &data,
        &person_args(
            "张店区某局",
            "当面",
            "2021-09-30",
            "2021-10-08",
            &["--phone", "13912345678", "--request", "2021年部门预算"],
        ),
    );
    application_ok("list", &data, &[]);
    let bad = application(
        "event",
        &data,
        &event_args(CASE, "2021-10-09", "2021-10-09", &["nonsense"]),
    );
    assert_eq!(bad.status.code(), Some(2));
    let list = ok(&["audit-log", "list", "--data", &data]);
    let lines: Vec<&str> = list.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("cli agency add") && l.contains("success")),
        "{list}"
    );
    assert!(
        lines.iter().any(|l| l.contains("cli application register")
            && l.contains("success")
            && l.contains("cli")),
        "{list}"
    );
    assert!(!list.contains("cli application list"), "{list}");
    assert!(
        !list.contains(ID_NUMBER) && !list.contains("13912345678"),
        "{list}"
    );
    let verified = ok(&["audit-log", "verify", "--data", &data]);
    assert!(
        verified.starts_with("ok: ") && verified.contains("chain intact"),
        "{verified}"
    );

    // Behind the application's back: the triggers dropped and one entry edited.
    let db = Path::new(&data).join("gongkai.db");
    let sql =
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = '某人' WHERE seq = 2;";
    // scripts/setup.sh installs the sqlite3 shell.
    let edited = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg(sql)
        .status();
    assert!(
        edited.is_ok_and(|s| s.success()),
        "sqlite3 could not edit the database"
    );
    let out = gongkai(&["audit-log", "verify", "--data", &data]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("BROKEN at entry 2") && text.contains("edited"),
        "{text}"
    );
}
