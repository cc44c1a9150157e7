//! End-to-end tests of `gongkai report …` on the built binary, against the corpus.

use super::common::*;

use serde_json::Value;

/// Every table cell of a document, keyed by its path, as compare_report.py reads them.
fn cells(doc: &Value) -> Vec<(String, Value)> {
    fn walk(prefix: String, v: &Value, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(m) => m
                .iter()
                .for_each(|(k, x)| walk(format!("{prefix}.{k}"), x, out)),
            other => out.push((prefix, other.clone())),
        }
    }
    let mut out = Vec::new();
    for t in ["table2", "table3", "table4"] {
        walk(t.to_string(), &doc[t], &mut out);
    }
    out
}

#[test]
fn seed_json_equals_the_expected_cells() {
    let o = gongkai(&[
        "report",
        "render",
        "examples/seed-2021.json",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let actual: Value = serde_json::from_slice(&o.stdout).expect("json");
    let expected = seed_expected();
    let exp = cells(&expected);
    let act: std::collections::BTreeMap<String, Value> = cells(&actual).into_iter().collect();
    assert_eq!(exp.len(), 200);
    for (path, v) in exp {
        assert_eq!(act.get(&path), Some(&v), "{path}");
    }
    assert_eq!(actual["proactive"], expected["proactive"]);
    assert_eq!(actual["figures"], expected["figures"]);
}

/// Normalises text for comparison: the seed was copied from a web page, with spaces around
/// digits and half-width brackets in places.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

#[test]
fn seed_text_and_tables_are_reproduced() {
    let seed = std::fs::read_to_string(
        repo().join("testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.txt"),
    )
    .expect("seed");
    let o = gongkai(&[
        "report",
        "render",
        "examples/seed-2021.json",
        "--format",
        "txt",
    ]);
    assert!(o.status.success());
    let rendered = squash(&stdout(&o));
    // Every narrative line of the seed (outside the tables) appears in the rendering.
    let table_start = seed.find("二、主动公开政府信息情况").expect("table 二");
    let table_end = seed
        .find("五、政府信息公开工作存在的主要问题及改进情况")
        .expect("section 五");
    // Section 五's heading: the seed prints the 2019 wording, gongkai the 2021 format's.
    assert!(rendered.contains("五、存在的主要问题及改进情况"));
    for line in seed[..table_start]
        .lines()
        .chain(seed[table_end..].lines().skip(1))
    {
        let l = squash(line);
        if !l.is_empty() {
            assert!(rendered.contains(&l), "missing: {line}");
        }
    }
    for label in [
        "第二十条第（一）项",
        "本年收费金额（单位：万元）",
        "3.危及“三安全一稳定”",
        "复议后起诉",
        "（七）总计",
    ] {
        assert!(rendered.contains(label), "{label}");
    }
    let o = gongkai(&[
        "report",
        "render",
        "examples/seed-2021.json",
        "--format",
        "html",
    ]);
    let html = stdout(&o);
    assert!(html.contains("<h2>三、收到和处理政府信息公开申请情况</h2>"));
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("共公开政务信息 85 次（条）"));
    let o = gongkai(&[
        "report",
        "render",
        "examples/seed-2021.json",
        "--format",
        "md",
    ]);
    assert!(
        stdout(&o).contains("| 一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |")
    );
}

#[test]
fn render_writes_to_a_file_with_o() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.html");
    let o = gongkai(&[
        "report",
        "render",
        "examples/seed-2021.json",
        "--format",
        "html",
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
    assert!(
        std::fs::read_to_string(out)
            .expect("written")
            .starts_with("<!DOCTYPE html>")
    );
}

#[test]
fn check_passes_the_seed_and_the_consistent_corpus() {
    for file in [
        SEED_EXPECTED,
        "testdata/corpus/dev/008.expected.json",
        "testdata/corpus/dev/101.expected.json",
        "testdata/corpus/dev/107.expected.json",
        "testdata/corpus/dev/119.expected.json",
    ] {
        let o = gongkai(&["report", "check", file]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stdout(&o));
    }
}

fn failing(file: &str) -> Vec<Value> {
    let o = gongkai(&["report", "check", file, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{file}");
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] != "pass" && c["status"] != "not_applicable")
        .cloned()
        .collect()
}

fn has(checks: &[Value], rule: &str, status: &str, cell: &str) -> bool {
    checks.iter().any(|c| {
        c["rule"] == rule
            && c["status"] == status
            && (c["cells"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|x| x == cell)
                || c["problem_cells"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|x| x == cell))
    })
}

#[test]
fn check_reports_the_violations_the_corpus_notes_describe() {
    // 009: table 四 totals of 0 beside non-zero parts.
    let c = failing("testdata/corpus/dev/009.expected.json");
    assert!(has(&c, "T4-1", "fail", "table4.review.total"));
    assert!(has(
        &c,
        "T4-3",
        "fail",
        "table4.litigation.after_review.total"
    ));
    assert_eq!(c.len(), 2, "{c:#?}");
    // 014: the 总计 column is blank for every outcome row.
    let c = failing("testdata/corpus/dev/014.expected.json");
    assert!(has(&c, "T3-4", "fail", "table3.granted.total"));
    assert!(has(&c, "T3-2", "unassessable", "table3.granted.total"));
    // 109: a 总计 column that disagrees with its rows.
    let c = failing("testdata/corpus/dev/109.expected.json");
    for row in [
        "new_received",
        "granted",
        "unable.not_held",
        "total_processed",
    ] {
        assert!(
            has(&c, "T3-3", "fail", &format!("table3.{row}.total")),
            "{row}"
        );
    }
    assert!(has(&c, "T3-2", "fail", "table3.total_processed.total"));
    // 011 and 115: one blank carry-forward cell, reported as blank rather than read as 0.
    let c = failing("testdata/corpus/dev/011.expected.json");
    assert!(has(&c, "T3-4", "fail", "table3.carried_forward.total"));
    assert!(has(
        &c,
        "T3-1",
        "unassessable",
        "table3.carried_forward.total"
    ));
    assert!(
        !c.iter()
            .any(|x| x["rule"] == "T3-1" && x["status"] == "fail")
    );
    let c = failing("testdata/corpus/dev/115.expected.json");
    assert!(has(
        &c,
        "T3-4",
        "fail",
        "table3.carried_forward.legal.commercial"
    ));
}

#[test]
fn check_in_english_and_with_previous_year() {
    let o = gongkai(&[
        "report",
        "check",
        "testdata/corpus/dev/009.expected.json",
        "--lang",
        "en",
    ]);
    assert!(stdout(&o).contains("administrative review total must equal"));
    let o = gongkai(&[
        "report",
        "check",
        SEED_EXPECTED,
        "--previous",
        "testdata/corpus/dev/009.expected.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--previous must be the report for 2020"));
}

#[test]
fn bad_input_names_the_file_and_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("syntax.json", "{\"agency\": ", "line 1"),
        (
            "negative.json",
            r#"{"agency":"甲","year":2021,"table3":{"granted":{"total":-3}}}"#,
            "table3.granted.total",
        ),
        (
            "unknown.json",
            r#"{"agency":"甲","year":2021,"table4":{"review.sum":1}}"#,
            "table4.review.sum",
        ),
        (
            "layout.json",
            r#"{"agency":"甲","year":2021,"layout":"2019","table3":{"other.other":{"total":1}}}"#,
            "table3.other.other",
        ),
    ];
    for (name, text, needle) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let o = gongkai(&["report", "check", path.to_str().expect("utf8")]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(err.contains(name) && err.contains(needle), "{name}: {err}");
        assert!(!err.contains("panicked"));
    }
    let o = gongkai(&["report", "check", "/nonexistent/report.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/report.json"));
}

#[test]
fn schema_lists_the_table_keys() {
    let o = gongkai(&["report", "schema"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(v["properties"]["table3"]["properties"]["denied.security_stability"].is_object());
    assert!(v["properties"]["table2"]["properties"]["art20_9"].is_object());
}

/// A 2019-layout document whose 本年增/减 is negative is checked and rendered (exit 0 or 1,
/// never 2), and -18 is printed as -18.
#[test]
fn signed_change_is_checked_and_rendered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("testdata/corpus/dev/014.expected.json"))
            .expect("014"),
    )
    .expect("json");
    assert_eq!(doc["layout"], "2019");
    doc["table2"]["art20_5"]["admin_license"]["change"] = serde_json::json!(-18);
    let path = dir.path().join("signed.json");
    std::fs::write(&path, doc.to_string()).expect("write");
    let file = path.to_str().expect("utf8");
    let o = gongkai(&["report", "check", file, "--format", "json"]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let t2_1 = v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["rule"] == "T2-1")
        .cloned()
        .expect("T2-1");
    assert_eq!(t2_1["status"], "pass", "{t2_1}");
    for format in ["html", "md", "txt", "json"] {
        let o = gongkai(&["report", "render", file, "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        assert!(stdout(&o).contains("-18"), "{format}");
    }
    let o = gongkai(&["report", "render", file, "--format", "json"]);
    let again: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        again["table2"]["art20_5"]["admin_license"]["change"],
        serde_json::json!(-18)
    );
    let xlsx = dir.path().join("signed.xlsx");
    let o = gongkai(&[
        "report",
        "render",
        file,
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `report check` and `render` read their file through the same bounded reader as the importer
/// (docs/reliability.md): a device or a FIFO is refused at once, never read without end.
#[test]
fn bi_im_10_check_and_render_refuse_what_is_not_a_regular_file() {
    for args in [
        vec!["report", "check", "/dev/zero"],
        vec!["report", "render", "/dev/zero", "--format", "json"],
    ] {
        let out = gongkai(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
    }
}
