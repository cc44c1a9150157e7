//! End-to-end tests of `gongkai report import` and `gongkai audit` on the built binary.

use super::common::*;

use serde_json::Value;

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
