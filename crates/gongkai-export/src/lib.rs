//! The annual report (docs/rules/annual-report.md) as DOCX, XLSX and PDF in the national
//! layout of 国办公开办函〔2021〕30号 (and the 2019 trial layout, 国办公开办函〔2019〕60号), for
//! agencies to publish or edit. docs/export.md describes the three formats and the fonts.
//!
//! Labels come from `gongkai_core::report::format::spec()`; the outline (title, sections,
//! tables) is `gongkai_report::paragraphs::outline`, and the merged cells of tables 二/三/四
//! are built once in [`grid`] and written by each format.

mod checks;
mod docx;
mod fonts;
mod grid;
mod pdf;
mod table;
mod xlsx;

pub use fonts::{DEFAULT_FONT_DIRS, Fonts};
pub use table::{TableCell, table_xlsx};

use gongkai_core::report::{AnnualReport, Finding};
use std::path::PathBuf;

/// An output format of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Docx,
    Xlsx,
    Pdf,
}

impl ExportFormat {
    pub fn from_key(key: &str) -> Option<ExportFormat> {
        match key {
            "docx" => Some(ExportFormat::Docx),
            "xlsx" => Some(ExportFormat::Xlsx),
            "pdf" => Some(ExportFormat::Pdf),
            _ => None,
        }
    }

    /// The file extension, which is also the key.
    pub fn key(self) -> &'static str {
        match self {
            ExportFormat::Docx => "docx",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Pdf => "pdf",
        }
    }

    /// The media type to serve the file with.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::Pdf => "application/pdf",
        }
    }
}

/// Why a report could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// PDF only: no font in the configured directories covers Chinese text. A PDF is never
    /// written with missing glyphs.
    #[error(
        "no usable Chinese (CJK) font found for the PDF; searched {}. Install the Debian package \
         fonts-noto-cjk (Noto Serif CJK SC and Noto Sans CJK SC, Regular and Bold), or set the \
         font directory ([fonts] dirs in gongkai.toml) to a directory holding CJK .ttc/.otf/.ttf fonts",
        searched_list(.searched)
    )]
    NoFont { searched: Vec<PathBuf> },
    #[error("cannot write the DOCX file: {0}")]
    Docx(String),
    #[error("cannot write the XLSX file: {0}")]
    Xlsx(String),
    #[error("cannot typeset the PDF file: {0}")]
    Pdf(String),
}

fn searched_list(dirs: &[PathBuf]) -> String {
    if dirs.is_empty() {
        return "no directory (none configured)".to_string();
    }
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes `report` in `format`. `checks`, when given, are listed: the XLSX gets a sheet
/// 「规则检查」 with every rule result, DOCX and PDF end with the failing and unassessable rules
/// (as the HTML rendering does). `fonts` is only read for the PDF.
pub fn export(
    report: &AnnualReport,
    format: ExportFormat,
    checks: Option<&[Finding]>,
    fonts: &Fonts,
) -> Result<Vec<u8>, ExportError> {
    match format {
        ExportFormat::Docx => docx::write(report, checks),
        ExportFormat::Xlsx => xlsx::write(report, checks),
        ExportFormat::Pdf => pdf::write(report, checks, fonts),
    }
}
