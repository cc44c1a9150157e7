//! PDF checked with poppler: text in order (pdftotext -layout), embedded fonts (pdffonts),
//! pages rendered to PNG (pdftoppm) for a person to look at.

use crate::common::{distinct_2019, distinct_2021, findings, run_tool, seed, with_gaps};
use gongkai_core::report::format::spec;
use gongkai_core::report::{AnnualReport, Layout, T2Key, T3Col};
use gongkai_export::{ExportError, ExportFormat, Fonts, export};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn write_pdf(r: &AnnualReport, dir: &Path, name: &str) -> PathBuf {
    let bytes = export(r, ExportFormat::Pdf, None, &Fonts::default()).expect("PDF typeset");
    assert!(bytes.starts_with(b"%PDF-"));
    let path = dir.join(name);
    std::fs::write(&path, &bytes).expect("PDF written");
    path
}

fn pdftotext(path: &Path, mode: &str) -> String {
    run_tool(
        "pdftotext",
        &[OsStr::new(mode), path.as_os_str(), OsStr::new("-")],
    )
}

fn check_pdf(r: &AnnualReport, path: &Path) {
    check_text(r, &pdftotext(path, "-layout"), &pdftotext(path, "-raw"));
}

/// The numbers of a line: its whitespace-separated tokens that are whole numbers.
fn numbers(line: &str) -> Vec<String> {
    line.split_whitespace()
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit()) && !t.ends_with('.'))
        .map(str::to_string)
        .collect()
}

/// Text without the spaces pdftotext puts between characters.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `layout`: `pdftotext -layout`, where rows stay on their lines; `raw`: `pdftotext -raw`, in
/// content order, where the lines of a wrapped cell follow each other.
fn check_text(r: &AnnualReport, layout: &str, raw: &str) {
    let text = layout;
    let flat = squeeze(text);
    let cells = squeeze(raw);
    assert!(flat.contains(&squeeze(&r.title())), "title");
    for key in [
        "overview",
        "proactive",
        "applications",
        "review_litigation",
        "problems",
        "other",
    ] {
        let h = gongkai_report::paragraphs::section_heading(r.layout, key);
        assert!(flat.contains(&h), "heading {h}");
    }
    for label in [
        spec().table3.column_group.as_str(),
        "法人或其他组织",
        "商业企业",
        "未经复议直接起诉",
        "复议后起诉",
        "行政复议",
        "三、本年度办理结果",
    ] {
        assert!(cells.contains(label), "label {label}");
    }
    for &row in r.table3.rows() {
        assert!(
            cells.contains(&squeeze(row.label())),
            "row label {}",
            row.label()
        );
    }
    // Table 三 row by row: each row's seven values on one line, the rows in printed order.
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    for &row in r.table3.rows() {
        // Blank, `/` and unreadable cells print no number.
        let printed: Vec<String> = T3Col::ALL
            .iter()
            .map(|&c| r.table3.get(row, c).value.to_string())
            .collect();
        let want = numbers(&printed.join(" "));
        let found = lines[from..]
            .iter()
            .position(|l| numbers(l) == want)
            .unwrap_or_else(|| panic!("row {row:?} {want:?} not found after line {from}:\n{text}"));
        from += found + 1;
    }
}

fn png_dir() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("GONGKAI_EXPORT_PNG_DIR") {
        Some(d) => {
            std::fs::create_dir_all(&d).expect("PNG directory");
            (None, PathBuf::from(d))
        }
        None => {
            let t = tempfile::tempdir().expect("temp dir");
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    }
}

#[test]
fn pdf_distinct_values_read_back_in_row_order_with_fonts_embedded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = distinct_2021();
    let path = write_pdf(&r, dir.path(), "distinct.pdf");
    check_pdf(&r, &path);
    // Table 四's values, in column order, on one line.
    let text = pdftotext(&path, "-layout");
    let t4: Vec<String> = gongkai_core::report::T4Col::all()
        .map(|c| r.table4.get(c).value.to_string())
        .collect();
    assert!(
        text.lines().any(|l| numbers(l) == t4),
        "table 四 values:\n{text}"
    );
    // Every font embedded (subset), and the CJK ones among them.
    let fonts = run_tool("pdffonts", &[path.as_os_str()]);
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [encoding…] emb sub uni object ID: emb is the fifth from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "not embedded: {row}");
    }
    assert!(
        fonts.contains("NotoSerifCJK") && fonts.contains("NotoSansCJK"),
        "{fonts}"
    );
    assert!(
        fonts.contains("Bold"),
        "bold faces used for title and headings: {fonts}"
    );
}

#[test]
fn pdf_seed_report_and_pages_rendered() {
    let (_keep, out) = png_dir();
    let r = seed();
    let path = write_pdf(&r, &out, "seed-2021.pdf");
    check_pdf(&r, &path);
    let size = std::fs::metadata(&path).expect("PDF").len();
    assert!(
        size < 400_000,
        "subset fonts keep the PDF small: {size} bytes"
    );
    let prefix = out.join("seed-2021");
    run_tool(
        "pdftoppm",
        &[
            OsStr::new("-png"),
            OsStr::new("-r"),
            OsStr::new("60"),
            OsStr::new("-f"),
            OsStr::new("1"),
            OsStr::new("-l"),
            OsStr::new("2"),
            path.as_os_str(),
            prefix.as_os_str(),
        ],
    );
    let pngs: Vec<_> = std::fs::read_dir(&out)
        .expect("PNG directory")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("seed-2021-"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .collect();
    assert_eq!(
        pngs.len(),
        2,
        "pages 1 and 2 rendered into {}",
        out.display()
    );
    assert!(
        pngs.iter()
            .all(|p| p.metadata().is_ok_and(|m| m.len() > 1000))
    );
}

#[test]
fn pdf_2019_layout_and_failing_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = distinct_2019();
    let checks = findings(&r);
    let bytes = export(&r, ExportFormat::Pdf, Some(&checks), &Fonts::default()).expect("PDF");
    let path = dir.path().join("2019.pdf");
    std::fs::write(&path, bytes).expect("written");
    check_pdf(&r, &path);
    let flat = squeeze(&pdftotext(&path, "-raw"));
    assert!(flat.contains("五、政府信息公开工作存在的主要问题及改进情况"));
    assert!(flat.contains("第二十条第（九）项") && flat.contains("采购总金额"));
    assert!(flat.contains("（六）其他处理"));
    assert!(flat.contains("约3") && flat.contains("勾稽关系检查") && flat.contains("未通过"));
    // The signed 本年增/减 cells print their minus sign.
    let change = T2Key::find(Layout::Y2019, "art20_5", "admin_license", "change").expect("key");
    let printed = r.table2.get(change).value.to_string();
    assert!(
        printed.starts_with('-') && flat.contains(&printed),
        "{printed}"
    );
}

#[test]
fn pdf_without_a_cjk_font_is_refused() {
    let empty = tempfile::tempdir().expect("temp dir");
    let err = export(
        &seed(),
        ExportFormat::Pdf,
        None,
        &Fonts::in_dir(empty.path()),
    )
    .expect_err("no font, no PDF");
    assert!(matches!(err, ExportError::NoFont { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&empty.path().display().to_string()), "{msg}");
    assert!(
        msg.contains("fonts-noto-cjk") && msg.contains("[fonts] dir"),
        "{msg}"
    );
    // DOCX and XLSX need no font.
    for f in [ExportFormat::Docx, ExportFormat::Xlsx] {
        assert!(export(&seed(), f, None, &Fonts::in_dir(empty.path())).is_ok());
    }
}

#[test]
fn format_keys() {
    for f in [ExportFormat::Docx, ExportFormat::Xlsx, ExportFormat::Pdf] {
        assert_eq!(ExportFormat::from_key(f.key()), Some(f));
    }
    assert_eq!(ExportFormat::from_key("html"), None);
}

/// An imported report's gaps are listed after the tables, and the title prints the
/// placeholders for the agency and the year the reader could not find.
#[test]
fn pdf_lists_what_the_reader_could_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (r, _) = with_gaps();
    let path = write_pdf(&r, dir.path(), "gaps");
    let flat = squeeze(&pdftotext(&path, "-raw"));
    assert!(
        flat.contains("（未识别机关名称）（未识别年度）政府信息公开工作年度报告"),
        "{flat}"
    );
    assert!(flat.contains("无法读取的单元格"));
    for g in &r.gaps {
        assert!(flat.contains(&squeeze(&g.message)), "{}", g.message);
    }
}
