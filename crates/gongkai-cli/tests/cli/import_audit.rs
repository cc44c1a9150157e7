//! End-to-end tests of `gongkai report import` and `gongkai audit` on the built binary.

use super::common::*;

use serde_json::Value;
use std::path::PathBuf;

#[test]
fn import_writes_the_interchange_format_with_evidence_and_checks() {
    let o = gongkai(&["report", "import", "testdata/corpus/dev/008.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["format"], "gongkai.annual-report/1");
    assert_eq!(doc["agency"], "淮安市人民政府");
    assert_eq!(doc["table3"]["new_received"]["total"], 3119);
    assert_eq!(doc["source"]["file"], "008.txt");
    assert_eq!(doc["source"]["kind"], "txt");
    let ev = &doc["source"]["cells"]["table3.new_received.total"];
    assert_eq!(ev["kind"], "imported");
    assert_eq!(ev["text"], "3119");
    assert!(ev["line"].as_u64().is_some_and(|l| l > 100), "{ev}");
    assert!(doc["checks"].as_array().is_some_and(|c| !c.is_empty()));
    assert_eq!(doc["source"]["unreadable"], Value::Array(vec![]));
}

#[test]
fn import_names_missing_cells_with_their_place() {
    // 109 has no 规章 row in table 二.
    let o = gongkai(&["report", "import", "testdata/corpus/dev/109.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let unreadable = doc["source"]["unreadable"].as_array().expect("list");
    assert_eq!(unreadable.len(), 3);
    assert_eq!(unreadable[0]["cell"], "table2.art20_1.rules.issued");
    let msg = unreadable[0]["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("表二") && msg.contains("规章") && msg.contains("near table 1"),
        "{msg}"
    );
    // HTML evidence is table/row/column.
    let ev = &doc["source"]["cells"]["table3.granted.total"];
    assert!(
        ev["table"].is_u64() && ev["row"].is_u64() && ev["column"].is_u64(),
        "{ev}"
    );
}

#[test]
fn import_as_markdown_and_html_marks_failing_cells() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("009.html");
    let o = gongkai(&[
        "report",
        "import",
        "testdata/corpus/dev/009.txt",
        "--format",
        "html",
        "-o",
        out.to_str().expect("utf-8 path"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(html.contains("洪泽区人民政府"));
    assert!(html.contains("T4-1"), "the failing rule is listed");
    let o = gongkai(&[
        "report",
        "import",
        "testdata/corpus/dev/115.html",
        "--format",
        "md",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.contains("无法读取的单元格") && md.contains("规章"),
        "{md}"
    );
}

#[test]
fn import_bad_input_is_one_line_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.html");
    std::fs::write(&empty, "").expect("write");
    let o = gongkai(&["report", "import", empty.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("empty.html") && err.contains("empty file"),
        "{err}"
    );

    let big = dir.path().join("big.txt");
    std::fs::write(&big, vec![b'a'; 2 * 1024 * 1024]).expect("write");
    let o = gongkai(&[
        "report",
        "import",
        big.to_str().expect("utf-8"),
        "--max-size",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("over the 1 MB limit"), "{}", stderr(&o));

    let png = dir.path().join("scan.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n0000").expect("write");
    let o = gongkai(&["report", "import", png.to_str().expect("utf-8")]);
    assert!(
        stderr(&o).contains("unsupported file type"),
        "{}",
        stderr(&o)
    );
}

/// A one-page PDF with no text at all, as a scanner without OCR produces (no image needed).
fn blank_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        "<< /Length 0 >>\nstream\n\nendstream",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[test]
fn bi_im_12_scanned_pdf_is_said_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scan = dir.path().join("scan.pdf");
    std::fs::write(&scan, blank_pdf()).expect("write");
    let o = gongkai(&["report", "import", scan.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("scan.pdf") && err.contains("scanned PDF"),
        "{err}"
    );
}

#[test]
fn audit_exit_codes_and_tables() {
    // Every file read and passed: 0.
    let o = gongkai(&[
        "audit",
        "testdata/corpus/dev/008.txt",
        "testdata/corpus/dev/119.html",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(
        table.contains("淮安市人民政府") && table.contains("200/200"),
        "{table}"
    );
    assert!(
        stderr(&o).is_empty(),
        "no progress bar when stderr is not a terminal"
    );

    // A report that fails a rule: 1 (009 prints table 四 totals of 0 beside non-zero parts).
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("audit.csv");
    let json = dir.path().join("audit.json");
    let o = gongkai(&[
        "audit",
        "testdata/corpus/dev/009.txt",
        "testdata/corpus/dev/101.docx",
        "--csv",
        csv.to_str().expect("utf-8"),
        "--json",
        json.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let csv = std::fs::read_to_string(&csv).expect("csv written");
    assert!(csv.starts_with("file,kind,agency,year,layout,cells_read"));
    assert!(
        csv.contains(
            "testdata/corpus/dev/009.txt,txt,洪泽区人民政府,2023,2021,186,186,2,T4-1 T4-3,0,"
        ),
        "{csv}"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("JSON");
    assert_eq!(
        doc["files"][0]["failed_rules"],
        serde_json::json!(["T4-1", "T4-3"])
    );
    assert_eq!(doc["files"][1]["kind"], "docx");

    // A file that cannot be read: 2, and the batch goes on.
    let bad = dir.path().join("notes.txt");
    std::fs::write(&bad, "会议纪要\n").expect("write");
    let o = gongkai(&[
        "audit",
        bad.to_str().expect("utf-8"),
        "testdata/corpus/dev/107.html",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("平潭综合实验区金井片区管理局"));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("notes.txt") && err.contains("not an annual report"),
        "{err}"
    );
}

#[test]
fn audit_walks_folders() {
    let o = gongkai(&["audit", "testdata/corpus/seed"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("淄博市张店区机关事务服务中心"));
    assert!(!stdout(&o).contains("expected.json"));
}

#[test]
fn audit_checks_consecutive_years_of_one_agency() {
    // 119 (2024) and a 2025 report of the same agency whose 上年结转 disagrees with 2024's
    // 结转下年度继续办理.
    let dir = tempfile::tempdir().expect("tempdir");
    let base = repo().join("testdata/corpus/dev/119.expected.json");
    let mut next: Value =
        serde_json::from_str(&std::fs::read_to_string(&base).expect("read")).expect("JSON");
    next["year"] = 2025.into();
    next["table3"]["carried_over"]["natural_person"] = 3.into();
    let next_json = dir.path().join("next.json");
    std::fs::write(&next_json, next.to_string()).expect("write");
    let prev_txt = dir.path().join("119-2024.txt");
    let next_txt = dir.path().join("119-2025.txt");
    for (from, to) in [(&base, &prev_txt), (&next_json, &next_txt)] {
        let o = gongkai(&[
            "report",
            "render",
            from.to_str().expect("utf-8"),
            "--format",
            "txt",
            "-o",
            to.to_str().expect("utf-8"),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let json = dir.path().join("audit.json");
    let o = gongkai(&[
        "audit",
        dir.path().to_str().expect("utf-8"),
        "--json",
        json.to_str().expect("utf-8"),
    ]);
    assert!(stdout(&o).contains("T3-X"), "{}", stdout(&o));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("JSON");
    let files = doc["files"].as_array().expect("files");
    let later = files
        .iter()
        .find(|f| f["year"] == 2025)
        .expect("the 2025 report");
    // T3-X for the carry-over; T2-X too, since the copy keeps 2024's 现行有效件数.
    let warnings = later["warnings"].as_array().expect("warnings");
    assert!(warnings.contains(&"T3-X".into()), "{warnings:?}");
    assert!(
        later["previous_year_file"]
            .as_str()
            .is_some_and(|f| f.ends_with("119-2024.txt"))
    );
}

/// The seed report rendered as text by the CLI, with `edit` applied to the text.
fn seed_text(dir: &std::path::Path, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let o = gongkai(&["report", "render", SEED_EXPECTED, "--format", "txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.join(name);
    std::fs::write(&path, edit(stdout(&o))).expect("write");
    path
}

/// The seed's text without its title line: the agency is named nowhere.
fn without_title(text: String) -> String {
    let title = "淄博市张店区机关事务服务中心2021年政府信息公开工作年度报告";
    let mut t = text.replacen(title, "政府信息公开工作情况", 1);
    t.push_str("\n本报告统计期限自2021年1月1日起至2021年12月31日止。\n");
    t
}

/// `report import X -o out.json`, then `report check` (exit 0 or 1, never 2) and `report
/// render` of the output.
fn import_then_check(file: &str, dir: &std::path::Path) -> Value {
    let out = dir.join("out.json");
    let out_s = out.to_str().expect("utf-8");
    let o = gongkai(&["report", "import", file, "-o", out_s]);
    assert!(o.status.success(), "{file}: {}", stderr(&o));
    let o = gongkai(&["report", "check", out_s]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{file}: report check exited {:?}: {}{}",
        o.status.code(),
        stdout(&o),
        stderr(&o)
    );
    let rendered = dir.join("rendered");
    let rendered_s = rendered.to_str().expect("utf-8");
    for format in ["html", "md", "txt", "json", "docx", "xlsx"] {
        let o = gongkai(&[
            "report", "render", out_s, "--format", format, "-o", rendered_s,
        ]);
        assert!(o.status.success(), "{file} as {format}: {}", stderr(&o));
    }
    serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON")
}

#[test]
fn every_import_of_the_corpus_is_a_valid_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for sub in ["testdata/corpus/dev", "testdata/corpus/seed"] {
        for e in std::fs::read_dir(repo().join(sub)).expect("corpus") {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            let ext = name.rsplit('.').next().unwrap_or("");
            if ["txt", "md", "html", "docx", "pdf"].contains(&ext) {
                files.push(format!("{sub}/{name}"));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 15, "{files:?}");
    for f in &files {
        import_then_check(f, dir.path());
    }
}

#[test]
fn an_agency_found_nowhere_is_a_gap_that_check_and_render_accept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = seed_text(dir.path(), "untitled.txt", without_title);
    let doc = import_then_check(file.to_str().expect("utf-8"), dir.path());
    assert_eq!(doc["agency"], Value::Null);
    assert_eq!(doc["year"], 2021);
    let gap = &doc["source"]["unreadable"][0];
    assert_eq!(
        (&gap["cell"], &gap["field"]),
        (&Value::Null, &"agency".into())
    );
    let out = dir.path().join("out.json");
    let o = gongkai(&["report", "check", out.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("（未识别机关名称）"), "{}", stdout(&o));
    let o = gongkai(&[
        "report",
        "render",
        out.to_str().expect("utf-8"),
        "--format",
        "html",
    ]);
    assert!(stdout(&o).contains("（未识别机关名称）2021年政府信息公开工作年度报告"));
    // The gap is listed in the rendered page, as the import's own HTML lists it.
    assert!(stdout(&o).contains("无法读取的单元格") && stdout(&o).contains("机关名称"));

    // Named in the body instead: found there, with the sentence as evidence.
    let file = seed_text(dir.path(), "body.txt", |t| {
        without_title(t).replacen(
            "一、总体情况",
            "2021年，淄博市张店区机关事务服务中心（以下简称“我中心”）认真贯彻落实《条例》。\n\n一、总体情况",
            1,
        )
    });
    let doc = import_then_check(file.to_str().expect("utf-8"), dir.path());
    assert_eq!(doc["agency"], "淄博市张店区机关事务服务中心");
    assert_eq!(doc["source"]["agency"]["from"], "text");
    assert!(
        doc["source"]["agency"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("以下简称")),
        "{}",
        doc["source"]["agency"]
    );
}

/// A year printed nowhere the reader looks: the import is written with `"year": null` and its
/// gap, `report check` judges the tables (exit 0 for the seed) and prints 「（未识别年度）」, the
/// renders list the gap, and `audit` lists the file with its year as 未识别.
#[test]
fn a_year_found_nowhere_is_a_gap_that_check_render_and_audit_accept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = seed_text(dir.path(), "no-year.txt", |t| {
        t.replacen(
            "淄博市张店区机关事务服务中心2021年政府信息公开工作年度报告",
            "淄博市张店区机关事务服务中心政府信息公开工作年度报告",
            1,
        )
    });
    let doc = import_then_check(file.to_str().expect("utf-8"), dir.path());
    assert_eq!(doc["year"], Value::Null);
    assert_eq!(doc["agency"], "淄博市张店区机关事务服务中心");
    assert_eq!(doc["layout"], "2021");
    let gaps = doc["source"]["unreadable"].as_array().expect("gaps");
    assert!(
        gaps.iter()
            .any(|g| g["cell"].is_null() && g["field"] == "year"),
        "{gaps:?}"
    );
    let out = dir.path().join("out.json");
    let out_s = out.to_str().expect("utf-8");
    let o = gongkai(&["report", "check", out_s, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(
        (v["year"].clone(), v["failed"].clone()),
        (Value::Null, 0.into())
    );
    // The title as printed is kept; the gap is listed with the unread cells.
    let o = gongkai(&["report", "render", out_s, "--format", "txt"]);
    let text = stdout(&o);
    assert!(text.starts_with("淄博市张店区机关事务服务中心政府信息公开工作年度报告"));
    assert!(text.contains("无法读取的单元格\n年度: "), "{text}");
    let o = gongkai(&["report", "check", out_s]);
    assert!(
        stdout(&o).contains("淄博市张店区机关事务服务中心 （未识别年度）"),
        "{}",
        stdout(&o)
    );
    // No previous year can be compared with an unknown year.
    let o = gongkai(&["report", "check", out_s, "--previous", SEED_EXPECTED]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("year is not known"), "{}", stderr(&o));
    let o = gongkai(&["audit", file.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("未识别"), "{}", stdout(&o));
}

/// Table 四 not read is the reader's gap, not the report's failure: T4-4 and T4-1…3 cannot
/// be assessed, the audit counts them apart and exits 0; a table 四 printed blank fails.
#[test]
fn unread_cells_are_not_failures_but_printed_blanks_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cut = seed_text(dir.path(), "no-table4.txt", |t| {
        let start = t.find("四、政府信息公开行政复议").expect("table 四");
        let end = t.find("五、").expect("section 五");
        format!("{}{}", &t[..start], &t[end..])
    });
    // Table 四 printed with empty cells: the seed with table4 blank, rendered as HTML.
    let mut seed = seed_expected();
    for (_, v) in seed["table4"].as_object_mut().expect("table4").iter_mut() {
        *v = Value::Null;
    }
    let blank_json = dir.path().join("blank.json");
    std::fs::write(&blank_json, seed.to_string()).expect("write");
    let blank = dir.path().join("blank-table4.html");
    let o = gongkai(&[
        "report",
        "render",
        blank_json.to_str().expect("utf-8"),
        "--format",
        "html",
        "-o",
        blank.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json = dir.path().join("audit.json");
    let csv = dir.path().join("audit.csv");
    let o = gongkai(&[
        "audit",
        cut.to_str().expect("utf-8"),
        "--json",
        json.to_str().expect("utf-8"),
        "--csv",
        csv.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let table = stdout(&o);
    assert!(table.contains("未读取致无法判断"), "{table}");
    assert!(table.contains("因单元格未读取无法完全判断 1"), "{table}");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("JSON");
    let f = &doc["files"][0];
    assert_eq!(f["rules_failed"], 0, "{f}");
    let unread: Vec<&str> = f["unread_rules"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        unread.contains(&"T4-4") && unread.contains(&"T4-1"),
        "{unread:?}"
    );
    assert_eq!(f["rules_unread"], unread.len());
    assert!(
        f["unread_checks"][0]["unread_cells"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    let csv = std::fs::read_to_string(&csv).expect("csv");
    assert!(
        csv.lines()
            .next()
            .is_some_and(|h| h.contains(",rules_unread,unread_rules,"))
    );

    // `report check` of the import says the same.
    let out = dir.path().join("cut.json");
    let o = gongkai(&[
        "report",
        "import",
        cut.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = gongkai(&["report", "check", out.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.contains("T4-4") && text.contains("未读取"), "{text}");
    let o = gongkai(&[
        "report",
        "check",
        out.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["failed"], 0);
    assert!(v["unread"].as_u64().is_some_and(|n| n >= 4), "{v}");

    // Printed blank: the report's own failure.
    let o = gongkai(&["audit", blank.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("T4-4"), "{}", stdout(&o));
}
