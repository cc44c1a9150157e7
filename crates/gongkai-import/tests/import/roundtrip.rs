//! What gongkai renders, gongkai reads back: every corpus report rendered as HTML, Markdown
//! and text by gongkai-report (a layout unlike the originals: its own merged headers, tables
//! and wrapping) imports to the same cells, agency, year and layout.

use gongkai_core::report::json::{from_str, to_json};
use gongkai_import::{Options, import_bytes};
use gongkai_report::DocFormat;
use std::path::Path;

fn documents() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = vec![root.join("examples/seed-2021.json")];
    for dir in ["testdata/corpus/dev", "testdata/corpus/seed"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("corpus dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

#[test]
fn rendered_reports_import_to_the_same_cells() {
    let mut failures = Vec::new();
    for path in documents() {
        let report = from_str(&std::fs::read_to_string(&path).expect("read")).expect("document");
        let want = to_json(&report, None);
        for (format, ext) in [
            (DocFormat::Html, "html"),
            (DocFormat::Markdown, "md"),
            (DocFormat::Text, "txt"),
        ] {
            let doc = gongkai_report::render(&report, format, None);
            let name = format!("{} as {ext}", path.display());
            let imported = match import_bytes(doc.as_bytes(), Some(ext), &Options::default()) {
                Ok(i) => i,
                Err(e) => {
                    failures.push(format!("{name}: {e}"));
                    continue;
                }
            };
            let got = to_json(&imported.report, None);
            for member in ["agency", "year", "layout", "table2", "table3", "table4"] {
                if want[member] != got[member] {
                    failures.push(format!(
                        "{name}: {member} differs: want {} got {}",
                        want[member], got[member]
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A 2019-layout report with decreases in 本年增/减 renders as `-18` in HTML, Markdown and
/// text, and reads back as the same signed cells.
#[test]
fn rendered_decreases_import_as_negative_changes() {
    use gongkai_core::report::{Cell, Layout, T2Key, Value};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text =
        std::fs::read_to_string(root.join("testdata/corpus/dev/014.expected.json")).expect("read");
    let mut report = from_str(&text).expect("document");
    assert_eq!(report.layout, Layout::Y2019);
    let changes: Vec<T2Key> = T2Key::all(Layout::Y2019)
        .into_iter()
        .filter(|k| k.is_signed())
        .collect();
    assert_eq!(changes.len(), 5);
    for (i, &key) in changes.iter().enumerate() {
        report
            .table2
            .set(key, Cell::new(Value::signed([-18, -3, 0, 7, -1][i])));
    }
    let want = to_json(&report, None);
    for (format, ext) in [
        (DocFormat::Html, "html"),
        (DocFormat::Markdown, "md"),
        (DocFormat::Text, "txt"),
    ] {
        let doc = gongkai_report::render(&report, format, None);
        assert!(doc.contains("-18"), "{ext}");
        let imported = import_bytes(doc.as_bytes(), Some(ext), &Options::default())
            .unwrap_or_else(|e| panic!("{ext}: {e}"));
        let got = to_json(&imported.report, None);
        assert_eq!(want["table2"], got["table2"], "{ext}");
    }
}
