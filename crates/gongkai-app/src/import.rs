//! Importing a published report: one file read into the report model with the place of every
//! cell, and the documents an import produces — the interchange JSON with the importer's
//! `source` evidence and the rule results, or Markdown/HTML with the failing cells marked and
//! the unreadable cells listed (docs/report-json.md, "source").

use gongkai_core::report::json::{place_json, to_json};
use gongkai_core::report::{Finding, check};
use gongkai_report::{Annotations, DocFormat, UnreadableCell, render_annotated};
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::path::{Path, PathBuf};

pub use gongkai_import::{ImportError, Imported, Kind, Options, Unreadable};

/// A file that could not be imported: the file and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {error}", path.display())]
pub struct ImportFileError {
    pub path: PathBuf,
    pub error: ImportError,
}

/// Imports one file (the kind is read from the bytes); the error names the file.
pub fn import_file(path: &Path, options: &Options) -> Result<Imported, ImportFileError> {
    gongkai_import::import_path(path, options).map_err(|error| ImportFileError {
        path: path.to_path_buf(),
        error,
    })
}

/// The documents an import can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// The interchange format with `source` evidence and `checks`.
    Json,
    /// The report with failing cells marked, the failing rules and the unreadable cells listed.
    Markdown,
    /// The same as an A4 HTML page.
    Html,
}

/// The imported report as a document of `format`, with the rule results (no previous year).
pub fn document(imported: &Imported, format: ImportFormat) -> String {
    let findings = check(&imported.report, None);
    match format {
        ImportFormat::Json => {
            let doc = json_document(imported, &findings);
            format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
        }
        ImportFormat::Markdown | ImportFormat::Html => {
            let unreadable: Vec<UnreadableCell> = imported
                .unreadable
                .iter()
                .map(|u| UnreadableCell {
                    cell: u.cell(),
                    message: u.message(),
                })
                .collect();
            let notes = Annotations {
                checks: Some(&findings),
                unreadable: &unreadable,
                cell_href: None,
            };
            let doc_format = if format == ImportFormat::Html {
                DocFormat::Html
            } else {
                DocFormat::Markdown
            };
            render_annotated(&imported.report, doc_format, &notes)
        }
    }
}

/// The interchange document of an import: the report with `checks`, and in its `source`
/// member (the importer's) the kind of file, how many cells were read and the cells that
/// could not be.
pub fn json_document(imported: &Imported, findings: &[Finding]) -> Json {
    let mut root = to_json(&imported.report, Some(findings));
    if let Some(obj) = root.as_object_mut() {
        let source = obj
            .entry("source")
            .or_insert_with(|| Json::Object(Map::new()));
        if let (Some(source), Json::Object(evidence)) = (
            source.as_object_mut(),
            serde_json::to_value(ImportEvidenceView::new(imported)).unwrap_or_default(),
        ) {
            source.extend(evidence);
            // An import always says what it could not read, if only that it read everything.
            source
                .entry("unreadable")
                .or_insert_with(|| Json::Array(Vec::new()));
        }
    }
    root
}

/// What only an import knows about its report (added to the document's `source`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportEvidenceView {
    /// The kind of file read: `txt`, `md`, `html`, `docx`, `pdf`.
    pub kind: &'static str,
    pub cells_read: usize,
    pub cells_total: usize,
    /// The same list as the report's gaps, which the core writer puts in `source.unreadable`
    /// (so that it survives a round trip); not written twice.
    #[serde(skip_serializing)]
    pub unreadable: Vec<UnreadableView>,
}

impl ImportEvidenceView {
    pub fn new(imported: &Imported) -> ImportEvidenceView {
        ImportEvidenceView {
            kind: imported.kind.key(),
            cells_read: imported.cells_read,
            cells_total: imported.cells_total,
            unreadable: UnreadableView::list(&imported.unreadable),
        }
    }
}

/// A cell that could not be read: `{"cell": path|null, "label", "message", "near"}` (`near`,
/// where the importer looked, only when known).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnreadableView {
    /// The cell's path (`table2.art20_1.rules.issued`); `null` for the agency or year.
    pub cell: Option<String>,
    /// `agency` or `year` when the cell is `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    pub label: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near: Option<Map<String, Json>>,
}

impl UnreadableView {
    pub fn new(u: &Unreadable) -> UnreadableView {
        UnreadableView {
            cell: u.cell().map(|c| c.path()),
            field: u.gap().of.field(),
            label: u.label.clone(),
            message: u.message(),
            near: u.near.as_ref().map(place_json),
        }
    }

    pub fn list(list: &[Unreadable]) -> Vec<UnreadableView> {
        list.iter().map(UnreadableView::new).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn import(name: &str) -> Imported {
        import_file(
            &repo().join("testdata/corpus/dev").join(name),
            &Options::default(),
        )
        .expect("imported")
    }

    #[test]
    fn the_json_document_carries_the_import_evidence() {
        let imported = import("109.html");
        let doc: Json =
            serde_json::from_str(&document(&imported, ImportFormat::Json)).expect("JSON");
        let source = &doc["source"];
        assert_eq!(source["file"], "109.html");
        assert_eq!(source["kind"], "html");
        assert_eq!(source["cells_read"], imported.cells_read);
        let unreadable = source["unreadable"].as_array().expect("list");
        assert_eq!(unreadable.len(), imported.unreadable.len());
        assert_eq!(unreadable[0]["cell"], "table2.art20_1.rules.issued");
        assert!(unreadable[0]["near"]["table"].is_u64(), "{}", unreadable[0]);
        assert!(source["cells"]["table3.granted.total"].is_object());
        assert!(doc["checks"].as_array().is_some_and(|c| !c.is_empty()));
    }

    #[test]
    fn markdown_and_html_list_the_unreadable_cells_inside_the_document() {
        let imported = import("115.html");
        assert!(!imported.unreadable.is_empty());
        let first = imported.unreadable[0].message();
        let md = document(&imported, ImportFormat::Markdown);
        assert!(
            md.contains("## 无法读取的单元格") && md.contains(&first),
            "{md}"
        );
        let html = document(&imported, ImportFormat::Html);
        let list = html.find("<aside class=\"unreadable\">").expect("listed");
        assert!(list < html.find("</body>").expect("body"));
        assert!(html.contains(&gongkai_core::text::escape_html(&first)));
    }

    #[test]
    fn a_failed_import_names_the_file() {
        let err = import_file(Path::new("/nonexistent/report.txt"), &Options::default())
            .expect_err("missing");
        assert!(
            err.to_string().starts_with("/nonexistent/report.txt: "),
            "{err}"
        );
    }
}
