//! `gongkai report narrative|status|submit|return|approve|publish|correct|published|export`
//! and `report render` end to end on the demo data directory, whose 2021 report the demo
//! publishes through the workflow (docs/rules/annual-report.md#workflow, docs/export.md).
//! Submit and correct need 录入 or 负责人, return, approve and publish need 审核 or 负责人;
//! the submitter neither approves nor publishes; a published version never changes, and a
//! correction published again is the next version.

use super::common::*;

use serde_json::Value;
use std::path::Path;
use std::process::Output;

const AGENCY: &str = "淄博市张店区机关事务服务中心";
/// A row label of table 三 as the PDF sets it.
const T3_LABEL: &str = "本年新收政府信息公开申请数量";

fn ok(args: &[&str]) -> Vec<u8> {
    let out = gongkai(args);
    assert!(
        out.status.success(),
        "gongkai {args:?} failed: {}",
        stderr(&out)
    );
    out.stdout
}

fn ok_json(args: &[&str]) -> Value {
    serde_json::from_slice(&ok(args)).expect("JSON output")
}

/// Asserts that `out` was refused as an error (exit 2) and returns its standard error.
fn refused(out: &Output, what: &str) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "{what} should be refused with exit status 2: {}",
        stderr(out)
    );
    stderr(out)
}

/// A data directory made by `gongkai init --demo`, and the path of the directory.
fn demo_dir() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("d").display().to_string();
    let out = String::from_utf8(ok(&["init", "--data", &data, "--demo"])).expect("UTF-8");
    assert!(out.contains("demo data loaded"), "{out}");
    (dir, data)
}

/// Runs `report <sub> --data … --agency … --year …` with `args`.
fn report(sub: &[&str], data: &str, year: i32, args: &[&str]) -> Output {
    let year = year.to_string();
    gongkai(
        &[
            sub,
            &["--data", data, "--agency", AGENCY, "--year", &year],
            args,
        ]
        .concat(),
    )
}

fn report_ok(sub: &[&str], data: &str, year: i32, args: &[&str]) -> Vec<u8> {
    let out = report(sub, data, year, args);
    assert!(
        out.status.success(),
        "report {sub:?} {year} {args:?} failed: {}",
        stderr(&out)
    );
    out.stdout
}

fn status(data: &str, year: i32) -> Value {
    let year = year.to_string();
    ok_json(&[
        "report", "status", "--data", data, "--agency", AGENCY, "--year", &year, "--format", "json",
    ])
}

/// Takes a workflow step (`submit`, `approve`, …) as user `by`.
fn step(data: &str, year: i32, action: &str, by: &str, reason: Option<&str>) -> Value {
    let mut args = vec!["--as", by, "--format", "json"];
    if let Some(r) = reason {
        args.extend(["--reason", r]);
    }
    serde_json::from_slice(&report_ok(&["report", action], data, year, &args)).expect("status JSON")
}

fn published(data: &str, year: i32, version: Option<i32>) -> Vec<u8> {
    match version {
        Some(v) => report_ok(
            &["report", "published"],
            data,
            year,
            &["--version", &v.to_string()],
        ),
        None => report_ok(&["report", "published"], data, year, &[]),
    }
}

fn narrative(data: &str, year: i32) -> Value {
    serde_json::from_slice(&report_ok(
        &["report", "narrative", "show"],
        data,
        year,
        &["--format", "json"],
    ))
    .expect("narrative JSON")
}

fn section<'a>(sections: &'a Value, key: &str) -> &'a Value {
    sections
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no section {key}: {sections}"))
}

fn set_section(data: &str, year: i32, key: &str, file: &Path, by: &str) -> Output {
    report(
        &["report", "narrative", "set"],
        data,
        year,
        &[
            "--section",
            key,
            "--file",
            file.to_str().expect("UTF-8 path"),
            "--as",
            by,
        ],
    )
}

fn export(data: &str, year: i32, format: &str, out: &Path, args: &[&str]) -> Output {
    report(
        &["report", "export"],
        data,
        year,
        &[
            &["--format", format, "-o", out.to_str().expect("UTF-8 path")],
            args,
        ]
        .concat(),
    )
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of a PDF by `pdftotext`, without line breaks or spaces (table cells wrap).
fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn demo_publishes_the_seed_report_as_version_1() {
    let (_dir, data) = demo_dir();

    let st = status(&data, 2021);
    assert_eq!(st["agency"], AGENCY);
    assert_eq!(st["state"], "published");
    let actions: Vec<(&str, &str)> = st["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["action"].as_str().expect("a string"),
                s["by"].as_str().expect("a string"),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [("submit", "王明"), ("approve", "赵强"), ("publish", "赵强")]
    );
    let versions = st["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 1, "{st}");
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions[0]["published_by"], "赵强");
    assert_eq!(versions[0]["reason"], Value::Null);
    // The operator (every role) may only open a correction of a published report.
    assert_eq!(st["actions"], serde_json::json!(["correct"]));

    let text =
        String::from_utf8(report_ok(&["report", "status"], &data, 2021, &[])).expect("UTF-8");
    assert!(text.contains("已发布 (published)"), "{text}");
    assert!(text.contains("第1版"), "{text}");

    // The published document is the seed's tables, with its sections and rule results.
    let doc_bytes = published(&data, 2021, None);
    let doc: Value = serde_json::from_slice(&doc_bytes).expect("published JSON");
    let seed = seed_expected();
    assert_eq!(doc["format"], "gongkai.annual-report/1");
    assert_eq!(doc["agency"], AGENCY);
    assert_eq!(doc["year"], 2021);
    for table in ["proactive", "table2", "table3", "table4"] {
        assert_eq!(doc[table], seed[table], "{table} differs from the seed");
    }
    for key in ["intro", "overview", "problems", "other"] {
        assert!(
            doc["sections"][key].as_str().is_some_and(|s| !s.is_empty()),
            "section {key}: {}",
            doc["sections"]
        );
    }
    assert_eq!(published(&data, 2021, Some(1)), doc_bytes);
    // Exported as JSON, the published version is the same bytes; -o writes them too.
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("r.json");
    assert!(export(&data, 2021, "json", &json, &[]).status.success());
    assert_eq!(read(&json), doc_bytes, "export --format json = published");
    let out = dir.path().join("published.json");
    report_ok(
        &["report", "published"],
        &data,
        2021,
        &["-o", out.to_str().expect("UTF-8 path")],
    );
    assert_eq!(read(&out), doc_bytes);
    // The version's hash is the hash of the document as printed.
    let sha = std::process::Command::new("sha256sum")
        .arg(&out)
        .output()
        .expect("sha256sum runs");
    assert!(
        String::from_utf8_lossy(&sha.stdout)
            .starts_with(versions[0]["sha256"].as_str().expect("a string")),
        "sha256 of the published document"
    );

    // No version 2 yet, and no published report for 2022.
    let err = refused(
        &report(&["report", "published"], &data, 2021, &["--version", "2"]),
        "version 2",
    );
    assert!(err.contains("2021 v2"), "{err}");
    refused(
        &report(&["report", "published"], &data, 2022, &[]),
        "published 2022",
    );
}

#[test]
fn a_correction_is_published_as_version_2_and_version_1_never_changes() {
    let (dir, data) = demo_dir();
    let v1 = published(&data, 2021, None);
    let v1_doc: Value = serde_json::from_slice(&v1).expect("JSON");
    let text = "2022年1月更正：本机关政府信息公开工作仍存在信息更新不够及时的问题。\n下一步将加强培训，完善发布审核机制。";
    let file = dir.path().join("problems.txt");
    // Windows line ends, trailing blanks and a blank line are cleaned.
    std::fs::write(
        &file,
        format!("{}  \r\n\r\n", text.replace('\n', "\r\n")).as_bytes(),
    )
    .expect("writes the file");
    let before = narrative(&data, 2021);

    // A published report's text cannot be edited without a correction: nothing changes.
    let err = refused(
        &set_section(&data, 2021, "problems", &file, "wangming"),
        "editing a published report",
    );
    assert!(err.contains("已发布") && err.contains("更正"), "{err}");
    assert!(err.contains("open a correction first"), "{err}");
    assert_eq!(narrative(&data, 2021), before);
    assert_eq!(
        status(&data, 2021)["steps"]
            .as_array()
            .expect("an array")
            .len(),
        3
    );

    // A correction needs a reason, and the role 录入 or 负责人 (李华 is 保密审查 only).
    let err = refused(
        &report(&["report", "correct"], &data, 2021, &["--as", "wangming"]),
        "correct without a reason",
    );
    assert!(err.contains("更正须说明理由"), "{err}");
    let err = refused(
        &report(
            &["report", "correct"],
            &data,
            2021,
            &["--as", "lihua", "--reason", "数据有误"],
        ),
        "correct as 保密审查",
    );
    assert!(err.contains("李华无权") && err.contains("录入"), "{err}");
    assert_eq!(status(&data, 2021)["state"], "published");

    let reason = "第五部分表述不准确，予以更正";
    let st = step(&data, 2021, "correct", "wangming", Some(reason));
    assert_eq!(st["state"], "draft");
    assert_eq!(st["steps"][3]["reason"], reason);
    // Reopened: the published version is still served as it was.
    assert_eq!(published(&data, 2021, None), v1);

    let out = set_section(&data, 2021, "problems", &file, "wangming");
    assert!(out.status.success(), "{}", stderr(&out));
    let after = narrative(&data, 2021);
    let problems = section(&after, "problems");
    assert_eq!(problems["text"], text);
    assert_eq!(problems["stored"], true);
    for key in ["intro", "overview", "other"] {
        assert_eq!(section(&after, key), section(&before, key), "{key}");
    }
    let shown = String::from_utf8(report_ok(
        &["report", "narrative", "show"],
        &data,
        2021,
        &["--section", "五"],
    ))
    .expect("UTF-8");
    assert!(
        shown.starts_with("## 五、存在的主要问题及改进情况\n") && shown.contains(text),
        "{shown}"
    );

    // The draft carries the new text; the published version does not.
    let draft_md = dir.path().join("draft.md");
    assert!(
        export(&data, 2021, "md", &draft_md, &["--draft"])
            .status
            .success()
    );
    let md = String::from_utf8(read(&draft_md)).expect("UTF-8");
    assert!(md.contains("下一步将加强培训，完善发布审核机制。"), "{md}");
    let published_md = dir.path().join("published.md");
    assert!(
        export(&data, 2021, "md", &published_md, &[])
            .status
            .success()
    );
    let md = String::from_utf8(read(&published_md)).expect("UTF-8");
    assert!(!md.contains("下一步将加强培训，完善发布审核机制。"), "{md}");

    assert_eq!(
        step(&data, 2021, "submit", "wangming", None)["state"],
        "submitted"
    );
    assert_eq!(
        step(&data, 2021, "approve", "zhaoqiang", None)["state"],
        "approved"
    );
    let st = step(&data, 2021, "publish", "zhaoqiang", None);
    assert_eq!(st["state"], "published");
    let versions = st["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2, "{st}");
    assert_eq!(versions[1]["version"], 2);
    assert_eq!(versions[1]["reason"], reason);
    assert_eq!(versions[1]["published_by"], "赵强");
    assert_ne!(versions[0]["sha256"], versions[1]["sha256"]);

    // Version 1 byte for byte; version 2 is current and carries the correction.
    assert_eq!(published(&data, 2021, Some(1)), v1);
    let v2 = published(&data, 2021, Some(2));
    assert_eq!(published(&data, 2021, None), v2);
    let v2_doc: Value = serde_json::from_slice(&v2).expect("JSON");
    assert_eq!(v2_doc["sections"]["problems"], text);
    assert_ne!(v1_doc["sections"]["problems"], text);
    for key in ["proactive", "table2", "table3", "table4"] {
        assert_eq!(v2_doc[key], v1_doc[key], "{key}");
    }
    let json = dir.path().join("v1.json");
    assert!(
        export(&data, 2021, "json", &json, &["--version", "1"])
            .status
            .success()
    );
    assert_eq!(read(&json), v1);
    let text_status =
        String::from_utf8(report_ok(&["report", "status"], &data, 2021, &[])).expect("UTF-8");
    assert!(
        text_status.contains(&format!("更正理由：{reason}")),
        "{text_status}"
    );

    // Published again: editing is refused again and changes nothing.
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "又一次修改").expect("writes the file");
    refused(
        &set_section(&data, 2021, "problems", &other, "wangming"),
        "editing version 2",
    );
    assert_eq!(section(&narrative(&data, 2021), "problems")["text"], text);
    assert_eq!(published(&data, 2021, None), v2);
}

#[test]
fn steps_out_of_role_order_or_duty_are_refused() {
    let (dir, data) = demo_dir();
    step(&data, 2021, "correct", "wangming", Some("补充说明"));
    step(&data, 2021, "submit", "wangming", None);

    // The submitter may not approve (王明 has 审核, but submitted it).
    let err = refused(
        &report(&["report", "approve"], &data, 2021, &["--as", "wangming"]),
        "approving one's own submission",
    );
    assert!(err.contains("报告由本人提交"), "{err}");
    assert!(err.contains("submitted by the same user"), "{err}");
    // 李华 (保密审查) may not approve at all.
    let err = refused(
        &report(&["report", "approve"], &data, 2021, &["--as", "lihua"]),
        "approving as 保密审查",
    );
    assert!(err.contains("李华无权") && err.contains("审核"), "{err}");
    // Nothing to publish before approval.
    let err = refused(
        &report(&["report", "publish"], &data, 2021, &["--as", "zhaoqiang"]),
        "publishing before approval",
    );
    assert!(err.contains("已提交待审核"), "{err}");
    assert_eq!(status(&data, 2021)["state"], "submitted");

    // Approved by 赵强, still not published by the submitter.
    step(&data, 2021, "approve", "zhaoqiang", None);
    let err = refused(
        &report(&["report", "publish"], &data, 2021, &["--as", "wangming"]),
        "publishing one's own submission",
    );
    assert!(err.contains("报告由本人提交"), "{err}");

    // A return needs a reason; returned, the text is editable again.
    let err = refused(
        &report(&["report", "return"], &data, 2021, &["--as", "zhaoqiang"]),
        "return without a reason",
    );
    assert!(err.contains("须说明理由"), "{err}");
    let st = step(&data, 2021, "return", "zhaoqiang", Some("请补充第五部分"));
    assert_eq!(st["state"], "returned");
    assert_eq!(st["versions"].as_array().expect("an array").len(), 1);

    // An unknown section is refused naming the ones there are, and nothing is stored.
    let before = narrative(&data, 2021);
    let file = dir.path().join("t.txt");
    std::fs::write(&file, "内容").expect("writes the file");
    let err = refused(
        &set_section(&data, 2021, "问题", &file, "wangming"),
        "an unknown section",
    );
    assert!(err.contains("没有“问题”这一部分"), "{err}");
    assert!(err.contains("unknown section"), "{err}");
    assert_eq!(narrative(&data, 2021), before);
    let err = refused(
        &report(
            &["report", "narrative", "show"],
            &data,
            2021,
            &["--section", "problem"],
        ),
        "showing an unknown section",
    );
    assert!(err.contains("unknown section"), "{err}");

    // 2022 has no table 二 entries: its submission is refused naming the rule and the cells.
    let st = status(&data, 2022);
    assert_eq!(st["state"], "draft");
    assert_eq!(st["steps"], serde_json::json!([]));
    let err = refused(
        &report(&["report", "submit"], &data, 2022, &["--as", "wangming"]),
        "submitting an incomplete report",
    );
    assert!(err.contains("不能提交") && err.contains("T2-1"), "{err}");
    for cell in [
        "table2.art20_5.admin_license.decisions",
        "table2.art20_8.admin_fees.fee_amount",
    ] {
        assert!(err.contains(cell), "{cell}: {err}");
    }
    assert_eq!(status(&data, 2022)["steps"], serde_json::json!([]));
}

#[test]
fn exports_and_renders_office_files() {
    let (dir, data) = demo_dir();
    let path = |name: &str| dir.path().join(name);

    for (format, magic) in [("docx", &b"PK"[..]), ("xlsx", b"PK"), ("pdf", b"%PDF")] {
        let out = path(&format!("r.{format}"));
        let o = export(&data, 2021, format, &out, &[]);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert!(read(&out).starts_with(magic), "{format} magic");
    }
    let text = pdf_text(&path("r.pdf"));
    assert!(text.contains(AGENCY), "agency name in the PDF");
    assert!(text.contains(T3_LABEL), "table 三 in the PDF");
    for format in ["html", "md", "txt"] {
        let out = path(&format!("r.{format}"));
        assert!(export(&data, 2021, format, &out, &[]).status.success());
        let s = String::from_utf8(read(&out)).expect("UTF-8");
        assert!(s.contains(AGENCY) && s.contains(T3_LABEL), "{format}");
    }

    // 2022 is not published: refused with the way to the draft, which exports.
    let err = refused(
        &export(&data, 2022, "docx", &path("2022.docx"), &[]),
        "exporting an unpublished year",
    );
    assert!(err.contains("--draft"), "{err}");
    assert!(!path("2022.docx").exists());
    let o = export(&data, 2022, "docx", &path("2022.docx"), &["--draft"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(&path("2022.docx")).starts_with(b"PK"));
    let o = export(&data, 2022, "json", &path("2022.json"), &["--draft"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let draft: Value = serde_json::from_slice(&read(&path("2022.json"))).expect("JSON");
    assert_eq!(draft["year"], 2022);
    assert_eq!(draft["agency"], AGENCY);
    // --draft and --version exclude each other.
    let o = export(
        &data,
        2021,
        "json",
        &path("x.json"),
        &["--draft", "--version", "1"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!path("x.json").exists());

    // `report render` works on the published document.
    let published_json = path("published.json");
    std::fs::write(&published_json, published(&data, 2021, None)).expect("writes the file");
    let doc = published_json.to_str().expect("UTF-8 path");
    for (format, magic) in [("docx", &b"PK"[..]), ("xlsx", b"PK"), ("pdf", b"%PDF")] {
        let out = path(&format!("rendered.{format}"));
        ok(&[
            "report",
            "render",
            doc,
            "--format",
            format,
            "-o",
            out.to_str().expect("UTF-8 path"),
        ]);
        assert!(read(&out).starts_with(magic), "render {format}");
    }
    assert!(pdf_text(&path("rendered.pdf")).contains(T3_LABEL));

    // Without a CJK font the PDF is refused with what to do, and no file is written:
    // `report render --fonts DIR`, and `report export` with `[fonts] dirs` in gongkai.toml.
    let empty = path("no-fonts");
    std::fs::create_dir(&empty).expect("creates the directory");
    let nofont = path("nofont.pdf");
    let err = refused(
        &gongkai(&[
            "report",
            "render",
            doc,
            "--format",
            "pdf",
            "--fonts",
            empty.to_str().expect("UTF-8 path"),
            "-o",
            nofont.to_str().expect("UTF-8 path"),
        ]),
        "render without fonts",
    );
    assert!(err.contains("找不到可用于PDF的中文字体"), "{err}");
    assert!(err.contains("fonts-noto-cjk"), "{err}");
    assert!(!nofont.exists());

    let toml = Path::new(&data).join("gongkai.toml");
    let mut settings = String::from_utf8(read(&toml)).expect("UTF-8");
    settings.push_str(&format!(
        "\n[fonts]\ndirs = [{:?}]\n",
        empty.to_str().expect("UTF-8 path")
    ));
    std::fs::write(&toml, settings).expect("writes the file");
    let err = refused(
        &export(&data, 2021, "pdf", &nofont, &[]),
        "export without fonts",
    );
    assert!(err.contains("找不到可用于PDF的中文字体"), "{err}");
    assert!(err.contains("[fonts] dirs"), "{err}");
    assert!(!nofont.exists());
    // The other formats need no font.
    let o = export(&data, 2021, "docx", &path("still.docx"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}
