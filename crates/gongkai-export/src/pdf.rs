//! The report as PDF, typeset by typst as a library: the static template `report.typ` reads
//! the report from a virtual `/data.json` that this module writes, so no report text is ever
//! spliced into markup. Fonts come from [`crate::fonts`]; typst embeds the subsets used.

use crate::fonts::{FontSet, Fonts, font_set};
use crate::grid::{self, Grid, Role};
use crate::{ExportError, checks};
use gongkai_core::report::{AnnualReport, Finding};
use gongkai_report::paragraphs::{Block, outline};
use serde_json::{Value as Json, json};
use std::sync::Arc;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

const TEMPLATE: &str = include_str!("report.typ");

struct ReportWorld {
    library: LazyHash<Library>,
    fonts: Arc<FontSet>,
    main: Source,
    data_id: FileId,
    data: Bytes,
}

fn file_id(path: &str) -> Result<FileId, ExportError> {
    let vpath = VirtualPath::new(path).map_err(|e| ExportError::Pdf(format!("{path}: {e:?}")))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_with_slash().into())
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn role_key(role: Role) -> &'static str {
    match role {
        Role::Caption => "caption",
        Role::Header => "header",
        Role::Label => "label",
        Role::Group => "group",
        Role::VerticalGroup => "vertical",
        Role::Value(_) => "value",
    }
}

fn table_json(grid: &Grid) -> Json {
    let cells: Vec<Json> = grid
        .spans
        .iter()
        .map(|s| {
            json!({
                "x": s.col, "y": s.row, "colspan": s.cols, "rowspan": s.rows,
                "role": role_key(s.role), "text": s.text,
            })
        })
        .collect();
    json!({ "kind": "table", "widths": grid.widths, "header_rows": grid.header_rows, "cells": cells })
}

/// The document as the template reads it: fonts, then the blocks in printed order.
fn data(report: &AnnualReport, checks: Option<&[Finding]>, fonts: &FontSet) -> Json {
    let text = |kind: &str, t: &str| json!({ "kind": kind, "text": t });
    let mut blocks: Vec<Json> = outline(report)
        .into_iter()
        .map(|b| match b {
            Block::Title(t) => text("title", &t),
            Block::Heading(h) => text("heading", &h),
            Block::Paragraph(p) => text("paragraph", p),
            Block::Table2 => table_json(&grid::table2(report)),
            Block::Table3 => table_json(&grid::table3(report)),
            Block::Table4 => table_json(&grid::table4(report)),
        })
        .collect();
    for (title, lines) in checks::notes(report, checks) {
        blocks.push(text("heading", title));
        blocks.extend(lines.iter().map(|p| text("note", p)));
    }
    json!({
        "title": report.title(),
        "agency": report.agency_display(),
        "fonts": { "serif": fonts.serif, "sans": fonts.sans },
        "blocks": blocks,
    })
}

fn diagnostics(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Typesets the report as PDF. Fails with [`ExportError::NoFont`] before typesetting when no
/// Chinese font is found.
pub fn write(
    report: &AnnualReport,
    checks: Option<&[Finding]>,
    fonts: &Fonts,
) -> Result<Vec<u8>, ExportError> {
    let fonts = font_set(fonts)?;
    let data = serde_json::to_vec(&data(report, checks, &fonts))
        .map_err(|e| ExportError::Pdf(e.to_string()))?;
    let world = ReportWorld {
        library: LazyHash::new(Library::default()),
        main: Source::new(file_id("/report.typ")?, TEMPLATE.to_string()),
        data_id: file_id("/data.json")?,
        data: Bytes::new(data),
        fonts,
    };
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|e| ExportError::Pdf(diagnostics(&e)))?;
    let options = PdfOptions {
        creator: Smart::Custom(Some("gongkai".to_string())),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| ExportError::Pdf(diagnostics(&e)))
}
