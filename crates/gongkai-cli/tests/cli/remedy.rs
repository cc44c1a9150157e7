//! `gongkai remedy add|decide|list|show` end to end on the built binary, and table 四 of
//! `report compute` counted from the remedy cases
//! (docs/rules/annual-report.md#table-四-remedy-cases).

use super::common::*;

use std::process::Output;

const TODAY: &str = "2025-06-30";

fn remedy(sub: &str, data: &str, args: &[&str]) -> Output {
    gongkai(&[&["remedy", sub, "--data", data], args].concat())
}

fn remedy_ok(sub: &str, data: &str, args: &[&str]) -> String {
    ok(&[&["remedy", sub, "--data", data], args].concat())
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).expect("JSON")
}

/// A data directory with 张店区某局 and 淄川区某局.
fn init(dir: &std::path::Path) -> String {
    let data = dir.join("data").display().to_string();
    ok(&["init", "--data", &data]);
    for (region, name, code) in [
        ("山东省/淄博市/张店区", "张店区某局", "000000009"),
        ("山东省/淄博市/淄川区", "淄川区某局", "000000017"),
    ] {
        ok(&[
            "agency",
            "add",
            "--data",
            &data,
            "--region",
            region,
            "--name",
            name,
            "--org-code",
            code,
        ]);
    }
    data
}

/// Registers 张三's application at `agency` on `arrived`; with `outcome`, decides it on
/// `decided`. Returns the 申请编号.
fn application(data: &str, agency: &str, arrived: &str, answer: Option<(&str, &str)>) -> String {
    let out = ok(&[
        "application",
        "register",
        "--data",
        data,
        "--agency",
        agency,
        "--channel",
        "当面",
        "--arrived",
        arrived,
        "--person",
        "张三",
        "--id-number",
        "11010519491231002X",
        "--phone",
        "13800000000",
        "--request",
        "2023年部门预算",
        "--delivery",
        "email",
        "--today",
        arrived,
    ]);
    let number = out
        .lines()
        .find_map(|l| l.strip_prefix("申请编号 "))
        .expect("申请编号")
        .trim()
        .to_string();
    if let Some((on, outcome)) = answer {
        ok(&[
            "application",
            "event",
            "--data",
            data,
            &number,
            "--on",
            on,
            "--today",
            on,
            "decided",
            "--outcome",
            outcome,
            "--basis",
            "《条例》第三十六条第（三）项",
        ]);
    }
    number
}

#[test]
fn remedy_commands_and_table4() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    let denied = application(
        &data,
        "张店区某局",
        "2023-11-01",
        Some(("2023-11-20", "denied.process_info")),
    );

    // 复议前置: a direct suit of 2024 against 不予公开 is refused, Chinese first, exit 2.
    let direct = [
        "--agency",
        "张店区某局",
        "--kind",
        "litigation-direct",
        "--application",
        &denied,
        "--body",
        "淄博市张店区人民法院",
        "--filed",
        "2024-02-01",
        "--today",
        TODAY,
    ];
    let bad = remedy("add", &data, &direct);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    let zh = err.find("错误：").expect("Chinese message");
    let en = err.find("error:").expect("English message");
    assert!(zh < en, "{err}");
    assert!(
        err.contains("应当先申请行政复议") && err.contains("--court-accepted-direct"),
        "{err}"
    );
    assert!(
        remedy_ok("list", &data, &[]).is_empty(),
        "nothing was written"
    );
    // The court accepted it directly: recorded.
    let accepted = remedy_ok(
        "add",
        &data,
        &[
            &direct[..],
            &[
                "--court-accepted-direct",
                "--override-note",
                "（2024）鲁0303行初5号受理通知书",
                "--case-number",
                "（2024）鲁0303行初5号",
            ],
        ]
        .concat(),
    );
    assert!(accepted.contains("诉讼-2024-0001"), "{accepted}");
    assert!(accepted.contains("法院已直接受理"), "{accepted}");

    // A review filed in December, decided in January.
    let review = json(&remedy_ok(
        "add",
        &data,
        &[
            "--agency",
            "张店区某局",
            "--kind",
            "review",
            "--application",
            &denied,
            "--body",
            "淄博市张店区人民政府",
            "--filed",
            "2024-12-20",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    ));
    assert_eq!(review["number"], "复议-2024-0001");
    assert_eq!(review["outcome_label"], "尚未审结");
    remedy_ok(
        "decide",
        &data,
        &[
            "复议-2024-0001",
            "--on",
            "2025-01-10",
            "--outcome",
            "upheld",
            "--today",
            TODAY,
        ],
    );
    // A suit after the review, on the review's application.
    let after = json(&remedy_ok(
        "add",
        &data,
        &[
            "--agency",
            "000000009",
            "--kind",
            "litigation-after-review",
            "--after-review",
            "复议-2024-0001",
            "--body",
            "淄博市中级人民法院",
            "--filed",
            "2025-01-20",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    ));
    assert_eq!(after["number"], "诉讼-2025-0001");
    assert_eq!(after["application"], denied.as_str());

    // A second decision is a correction: refused without a reason, kept with one.
    let again = [
        "复议-2024-0001",
        "--on",
        "2025-01-10",
        "--outcome",
        "corrected",
        "--today",
        TODAY,
    ];
    let bad = remedy("decide", &data, &again);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("须说明理由"), "{}", stderr(&bad));
    remedy_ok(
        "decide",
        &data,
        &[&again[..], &["--reason", "复议决定书为撤销，录入有误"]].concat(),
    );
    let shown = json(&remedy_ok(
        "show",
        &data,
        &["复议-2024-0001", "--format", "json"],
    ));
    assert_eq!(shown["outcome"], "corrected");
    let history = shown["history"].as_array().expect("history");
    assert_eq!(history.len(), 3);
    assert_eq!(history[1]["outcome"], "upheld");
    assert_eq!(history[2]["what"], "corrected");
    assert_eq!(history[2]["reason"], "复议决定书为撤销，录入有误");
    let text = remedy_ok("show", &data, &["复议-2024-0001"]);
    assert!(text.contains("更正") && text.contains("理由"), "{text}");

    // Lists: by year, pending, as JSON.
    let y2024 = remedy_ok("list", &data, &["--year", "2024"]);
    assert_eq!(y2024.lines().count(), 2, "{y2024}");
    let pending = json(&remedy_ok(
        "list",
        &data,
        &["--agency", "张店区某局", "--pending", "--format", "json"],
    ));
    let numbers: Vec<&str> = pending
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["number"].as_str())
        .collect();
    assert_eq!(numbers, ["诉讼-2025-0001", "诉讼-2024-0001"]);

    // Table 四 of 2024: the review is pending (decided in 2025), the direct suit pending; the
    // records each cell counts are in the source.
    let compute = |year: &str| {
        json(&ok(&[
            "report",
            "compute",
            "--data",
            &data,
            "--agency",
            "张店区某局",
            "--year",
            year,
            "--format",
            "json",
        ]))
    };
    let r = compute("2024");
    assert_eq!(r["table4"]["review.pending"], 1);
    assert_eq!(r["table4"]["review.upheld"], 0);
    assert_eq!(r["table4"]["review.total"], 1);
    assert_eq!(r["table4"]["litigation.direct.pending"], 1);
    assert_eq!(r["table4"]["litigation.after_review.total"], 0);
    let cells = &r["source"]["cells"];
    assert_eq!(
        cells["table4.review.pending"]["records"][0],
        "复议-2024-0001"
    );
    assert_eq!(
        cells["table4.litigation.direct.total"]["records"][0],
        "诉讼-2024-0001"
    );
    let t4_ok = r["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["rule"].as_str().is_some_and(|id| id.starts_with("T4")))
        .all(|c| c["passed"] == true);
    assert!(t4_ok, "T4 rules hold: {}", r["checks"]);
    let r = compute("2025");
    assert_eq!(r["table4"]["review.total"], 0);
    assert_eq!(r["table4"]["litigation.after_review.pending"], 1);
}

#[test]
fn remedy_bad_input_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    let theirs = application(&data, "淄川区某局", "2024-02-01", None);
    let base = |kind: &'static str| {
        vec![
            "--agency",
            "张店区某局",
            "--kind",
            kind,
            "--body",
            "淄博市张店区人民政府",
            "--filed",
            "2024-03-01",
            "--today",
            TODAY,
        ]
    };
    // Another agency's application.
    let out = remedy(
        "add",
        &data,
        &[&base("review")[..], &["--application", &theirs]].concat(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("不是张店区某局的申请"),
        "{}",
        stderr(&out)
    );
    // Neither an application nor a subject (BI-F-2).
    let out = remedy("add", &data, &base("review"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("案由"), "{}", stderr(&out));
    // An unknown kind or outcome: clap's error, exit 2.
    let out = remedy("add", &data, &base("appeal"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("litigation-after-review"),
        "{}",
        stderr(&out)
    );
    let out = remedy(
        "decide",
        &data,
        &[
            "复议-2024-0001",
            "--on",
            "2024-04-01",
            "--outcome",
            "pending",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    // An unknown case.
    let out = remedy("show", &data, &["复议-2024-0009"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("未找到"), "{}", stderr(&out));
    assert!(remedy_ok("list", &data, &[]).is_empty(), "nothing written");
}
