//! The application commands end to end on the built binary, in a temporary data directory.

use super::common::*;

use std::path::Path;

fn ok(args: &[&str]) -> String {
    let out = gongkai(args);
    assert!(
        out.status.success(),
        "gongkai {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn init(dir: &Path) -> String {
    let data = dir.join("data").display().to_string();
    ok(&["init", "--data", &data]);
    ok(&[
        "agency",
        "add",
        "--data",
        &data,
        "--region",
        "山东省/淄博市/张店区",
        "--name",
        "张店区某局",
        "--org-code",
        "000000009",
    ]);
    data
}

#[test]
fn register_event_show_list_compute() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    let out = ok(&[
        "application",
        "register",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--channel",
        "当面",
        "--arrived",
        "2021-09-30",
        "--person",
        "张三",
        "--id-number",
        "11010519491231002X",
        "--phone",
        "13800000000",
        "--request",
        "2021年部门预算",
        "--delivery",
        "email",
        "--today",
        "2021-10-08",
    ]);
    assert!(out.contains("申请编号 2021-000001"), "{out}");
    assert!(out.contains("due      2021-11-03"), "{out}");

    let show = ok(&[
        "application",
        "show",
        "--data",
        &data,
        "2021-000001",
        "--today",
        "2021-10-08",
    ]);
    assert!(show.contains("day 1 = 2021-10-08"), "{show}");
    assert!(show.contains("due in 19 working days"), "{show}");

    // A refused event: exit 2 and the domain's reason; nothing written.
    let bad = gongkai(&[
        "application",
        "event",
        "--data",
        &data,
        "2021-000001",
        "--on",
        "2021-10-11",
        "--today",
        "2021-10-11",
        "extension",
        "--days",
        "21",
        "--approver",
        "王主任",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("refused") && err.contains("20 working days"),
        "{err}"
    );

    let soon = ok(&[
        "application",
        "list",
        "--data",
        &data,
        "--due-soon",
        "30",
        "--today",
        "2021-10-08",
    ]);
    assert!(soon.contains("2021-000001"), "{soon}");
    let overdue = ok(&[
        "application",
        "list",
        "--data",
        &data,
        "--overdue",
        "--today",
        "2021-12-01",
    ]);
    assert!(overdue.contains("OVERDUE"), "{overdue}");

    ok(&[
        "application",
        "event",
        "--data",
        &data,
        "2021-000001",
        "--on",
        "2021-10-12",
        "--today",
        "2021-10-12",
        "decided",
        "--outcome",
        "granted",
        "--basis",
        "《条例》第三十六条第（二）项",
    ]);
    let json = ok(&[
        "report",
        "compute",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--year",
        "2021",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["table3"]["granted"]["total"], 1);
    assert_eq!(v["table3"]["carried_forward"]["total"], 0);
    assert_eq!(
        v["source"]["cells"]["table3.granted.natural_person"]["records"][0],
        "2021-000001"
    );
    let region = ok(&[
        "report",
        "compute",
        "--data",
        &data,
        "--region",
        "山东省/淄博市",
        "--year",
        "2021",
    ]);
    let r: serde_json::Value = serde_json::from_str(&region).expect("JSON");
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

    let out = gongkai(&[
        "application",
        "register",
        "--data",
        &data,
        "--agency",
        "不存在的局",
        "--channel",
        "in_person",
        "--arrived",
        "2021-03-01",
        "--person",
        "张三",
        "--id-number",
        "11010519491231002X",
        "--phone",
        "1",
        "--request",
        "x",
        "--today",
        "2021-03-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("agency not found: 不存在的局"));
}

#[test]
fn letters_for_each_stage_as_html_and_docx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    ok(&[
        "application",
        "register",
        "--data",
        &data,
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
    ]);
    let ev = |args: &[&str]| {
        let mut all = vec![
            "application",
            "event",
            "--data",
            &data,
            "2021-000001",
            "--today",
            "2021-12-31",
        ];
        all.extend_from_slice(args);
        ok(&all);
    };
    ev(&[
        "--on",
        "2021-10-11",
        "extension",
        "--days",
        "20",
        "--approver",
        "王主任",
    ]);
    ev(&[
        "--on",
        "2021-10-12",
        "consultation-opened",
        "--kind",
        "third_party",
        "--party",
        "某公司",
    ]);
    // Without a decision there is no reply letter: the error names what is missing.
    let out = gongkai(&[
        "application",
        "letter",
        "--data",
        &data,
        "2021-000001",
        "--kind",
        "reply",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("decision"));
    ev(&[
        "--on",
        "2021-10-20",
        "consultation-answered",
        "--kind",
        "third_party",
        "--party",
        "某公司",
        "--answer",
        "objected",
    ]);
    ev(&[
        "--on",
        "2021-10-21",
        "decided",
        "--outcome",
        "denied.third_party",
        "--basis",
        "《条例》第十五条",
    ]);

    let ext = ok(&[
        "application",
        "letter",
        "--data",
        &data,
        "2021-000001",
        "--kind",
        "extension",
    ]);
    assert!(
        ext.contains("延期答复告知书") && ext.contains("某某律师事务所"),
        "{ext}"
    );
    let consult = ok(&[
        "application",
        "letter",
        "--data",
        &data,
        "2021-000001",
        "--kind",
        "consult-third-party",
    ]);
    assert!(
        consult.contains("某公司") && consult.contains("15个工作日"),
        "{consult}"
    );
    let reply = ok(&[
        "application",
        "letter",
        "--data",
        &data,
        "2021-000001",
        "--kind",
        "reply",
    ]);
    assert!(
        reply.contains("政府信息不予公开告知书") && reply.contains("2021年10月21日"),
        "{reply}"
    );
    let docx = dir.path().join("reply.docx");
    ok(&[
        "application",
        "letter",
        "--data",
        &data,
        "2021-000001",
        "--kind",
        "reply",
        "--format",
        "docx",
        "-o",
        &docx.display().to_string(),
    ]);
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
    ok(&[
        "agency",
        "add",
        "--data",
        &data,
        "--region",
        "北京市/北京市/东城区",
        "--name",
        "东城区某局",
        "--org-code",
        "123456789",
    ]);
    let out = ok(&[
        "application",
        "register",
        "--data",
        &data,
        "--agency",
        "东城区某局",
        "--channel",
        "in_person",
        "--arrived",
        "2024-02-09",
        "--person",
        "张三",
        "--id-number",
        "11010519491231002X",
        "--phone",
        "1",
        "--request",
        "x",
        "--today",
        "2024-02-09",
    ]);
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
    let json = ok(&[
        "report",
        "compute",
        "--data",
        &data,
        "--agency",
        "淄博市张店区机关事务服务中心",
        "--year",
        "2021",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["proactive"]["total"], 85);
    // The seed agency had no applications in 2021: table 三 is computed as zeros, not blank.
    assert_eq!(v["table3"]["new_received"]["total"], 0);
    assert_eq!(v["table3"]["carried_forward"]["total"], 0);
}
