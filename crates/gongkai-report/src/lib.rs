//! The annual report as documents: HTML (A4, CSS embedded), Markdown, plain text and the
//! interchange JSON. Labels come from `gongkai_core::report::format::spec()`.

mod html;
mod markdown;
mod paragraphs;
mod table_rows;
mod text;

use gongkai_core::report::{AnnualReport, Finding};

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

/// Renders a report. `checks`, when given, are marked in the document (failed cells) and
/// listed (JSON `checks`).
pub fn render(report: &AnnualReport, format: DocFormat, checks: Option<&[Finding]>) -> String {
    match format {
        DocFormat::Html => html::render(report, checks),
        DocFormat::Markdown => markdown::render(report, checks),
        DocFormat::Text => text::render(report),
        DocFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&gongkai_core::report::json::to_json(report, checks))
                    .unwrap_or_default();
            s.push('\n');
            s
        }
    }
}
