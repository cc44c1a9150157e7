//! The annual report as documents: HTML (A4, CSS embedded), Markdown, plain text and the
//! interchange JSON. Labels come from `gongkai_core::report::format::spec()`.

mod html;
mod markdown;
/// The document outline (title, sections, tables in printed order) that every renderer follows;
/// public for the DOCX/XLSX/PDF writers of `gongkai-export`.
pub mod paragraphs;
mod table_rows;
mod text;

use gongkai_core::report::{AnnualReport, CellRef, Finding};

/// An output format of `report render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    Html,
    Markdown,
    Text,
    Json,
}

impl DocFormat {
    pub fn from_key(key: &str) -> Option<DocFormat> {
        match key {
            "html" => Some(DocFormat::Html),
            "md" | "markdown" => Some(DocFormat::Markdown),
            "txt" | "text" => Some(DocFormat::Text),
            "json" => Some(DocFormat::Json),
            _ => None,
        }
    }
}

/// A cell that could not be found or read in a source document (an import), with the
/// message that says what it is and where the reader looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableCell {
    /// The cell; `None` for the agency or year.
    pub cell: Option<CellRef>,
    pub message: String,
}

/// What a document shows besides the report itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Annotations<'a> {
    /// Rule results: the cells of failing rules marked, the failing rules listed (JSON:
    /// `checks`).
    pub checks: Option<&'a [Finding]>,
    /// Cells that could not be read: marked in the tables (HTML) and listed under
    /// 无法读取的单元格 (HTML, Markdown, text). The interchange JSON carries them in its
    /// `source` member, which is the importer's to write, so JSON leaves them out.
    pub unreadable: &'a [UnreadableCell],
    /// When set, every value cell of the HTML tables links to this prefix followed by the
    /// cell's JSON path (the region's aggregate drilling down to its units).
    pub cell_href: Option<&'a str>,
}

/// Renders a report. `checks`, when given, are marked in the document (failed cells) and
/// listed (JSON `checks`).
pub fn render(report: &AnnualReport, format: DocFormat, checks: Option<&[Finding]>) -> String {
    render_annotated(
        report,
        format,
        &Annotations {
            checks,
            unreadable: &[],
            cell_href: None,
        },
    )
}

/// The report as an HTML fragment, `<article class="report">…</article>`, for a page with its own
/// stylesheet (the portal's year page, the back office's preview); checks marked as in
/// [`render`].
pub fn html_article(report: &AnnualReport, checks: Option<&[Finding]>) -> String {
    html::article(
        report,
        &Annotations {
            checks,
            unreadable: &[],
            cell_href: None,
        },
    )
}

/// [`html_article`] with every annotation: unreadable cells marked and listed, and value
/// cells linked when [`Annotations::cell_href`] is set.
pub fn html_article_annotated(report: &AnnualReport, notes: &Annotations<'_>) -> String {
    html::article(report, notes)
}

/// Renders a report with its annotations (rule results, unreadable cells).
pub fn render_annotated(
    report: &AnnualReport,
    format: DocFormat,
    notes: &Annotations<'_>,
) -> String {
    match format {
        DocFormat::Html => html::render(report, notes),
        DocFormat::Markdown => markdown::render(report, notes),
        DocFormat::Text => text::render(report, notes.unreadable),
        DocFormat::Json => {
            let mut s = serde_json::to_string_pretty(&gongkai_core::report::json::to_json(
                report,
                notes.checks,
            ))
            .unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

/// The heading of the list of unreadable cells (the office formats use the same words).
pub const UNREADABLE_HEADING: &str = "无法读取的单元格";

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::report::{Cell, Layout, T2Key, Value};

    /// A 2020 report (2019 layout) whose 行政许可 本年增/减 is -18, every other cell blank.
    fn with_decrease() -> AnnualReport {
        let mut r = AnnualReport::new("测试县人民政府办公室", 2020);
        let key = T2Key::find(Layout::Y2019, "art20_5", "admin_license", "change").expect("key");
        r.table2.set(key, Cell::new(Value::signed(-18)));
        r
    }

    #[test]
    fn signed_change_renders_as_minus_18_in_every_format() {
        let r = with_decrease();
        let html = render(&r, DocFormat::Html, None);
        assert!(
            html.contains("data-cell=\"table2.art20_5.admin_license.change\">-18</td>"),
            "{html}"
        );
        let md = render(&r, DocFormat::Markdown, None);
        assert!(
            md.lines()
                .any(|l| l.starts_with("| 行政许可 |") && l.contains("| -18 |")),
            "{md}"
        );
        let text = render(&r, DocFormat::Text, None);
        assert!(
            text.lines()
                .any(|l| l.starts_with("行政许可") && l.split('\t').any(|c| c == "-18")),
            "{text}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&r, DocFormat::Json, None)).expect("JSON");
        assert_eq!(
            json["table2"]["art20_5"]["admin_license"]["change"],
            serde_json::json!(-18)
        );
    }
}
