//! A report as a file in any of gongkai's formats (docs/export.md): HTML, Markdown, text and
//! the interchange JSON from `gongkai-report`, DOCX, XLSX and PDF from `gongkai-export`. The
//! CLI (`report export`, `report render`), the portal and the back office all come here.

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::report::{AnnualReport, check};
pub use gongkai_export::Fonts;
use gongkai_export::{ExportError, ExportFormat};
use gongkai_report::DocFormat;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[fonts]` in `gongkai.toml`: where the PDF's Chinese fonts are looked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontSettings {
    /// Directories searched in order (default: Debian's Noto CJK, then /usr/share/fonts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dirs: Vec<PathBuf>,
}

impl FontSettings {
    pub fn fonts(&self) -> Fonts {
        if self.dirs.is_empty() {
            Fonts::default()
        } else {
            Fonts::new(self.dirs.clone())
        }
    }
}

/// A file format a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text(DocFormat),
    Office(ExportFormat),
    /// Every cell of tables 二/三/四 and every figure, one a line, for open data.
    Csv,
}

impl Format {
    pub const KEYS: [&'static str; 8] = ["html", "md", "txt", "json", "csv", "docx", "xlsx", "pdf"];

    pub fn from_key(key: &str) -> Option<Format> {
        if key == "csv" {
            return Some(Format::Csv);
        }
        ExportFormat::from_key(key)
            .map(Format::Office)
            .or_else(|| DocFormat::from_key(key).map(Format::Text))
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text(DocFormat::Html) => "html",
            Format::Text(DocFormat::Markdown) => "md",
            Format::Text(DocFormat::Text) => "txt",
            Format::Text(DocFormat::Json) => "json",
            Format::Office(f) => f.key(),
            Format::Csv => "csv",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Text(DocFormat::Html) => "text/html; charset=utf-8",
            Format::Text(DocFormat::Markdown) => "text/markdown; charset=utf-8",
            Format::Text(DocFormat::Text) => "text/plain; charset=utf-8",
            Format::Text(DocFormat::Json) => "application/json; charset=utf-8",
            Format::Office(f) => f.media_type(),
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// Writes `report` in `format`, its rule results included (failing cells marked in HTML,
/// listed in the others, a sheet in XLSX). Refused with what to do when the PDF has no font.
pub fn render(report: &AnnualReport, format: Format, fonts: &Fonts) -> Result<Vec<u8>> {
    let findings = check(report, None);
    match format {
        Format::Text(f) => {
            // An imported report's gaps are marked and listed as the import's own documents
            // show them (JSON keeps them in `source.unreadable`).
            let unreadable: Vec<gongkai_report::UnreadableCell> = report
                .gaps
                .iter()
                .map(|g| gongkai_report::UnreadableCell {
                    cell: match g.of {
                        gongkai_core::report::GapOf::Cell(c) => Some(c),
                        _ => None,
                    },
                    message: g.message.clone(),
                })
                .collect();
            let notes = gongkai_report::Annotations {
                checks: Some(&findings),
                unreadable: &unreadable,
                cell_href: None,
            };
            Ok(gongkai_report::render_annotated(report, f, &notes).into_bytes())
        }
        Format::Csv => Ok(cells_csv(report).into_bytes()),
        Format::Office(f) => {
            gongkai_export::export(report, f, Some(&findings), fonts).map_err(|e| match e {
                ExportError::NoFont { .. } => AppError::refused(
                    e.to_string(),
                    "找不到可用于PDF的中文字体：请安装 fonts-noto-cjk 字体包，或在 gongkai.toml 的 [fonts] dirs 中指定字体目录",
                ),
                other => AppError::internal("cannot write the report file", other),
            })
        }
    }
}

/// The report's figures as open data (docs/export.md#csv): UTF-8 with a byte-order mark, one
/// line per cell of tables 二/三/四 in the layout's order — its JSON path, its label, the value
/// as a number (amounts in 万元) and its state (`数值`, `空白`, `不适用`, `无法读取`, `无效`) —
/// then one line per figure of `figures`.
pub fn cells_csv(report: &AnnualReport) -> String {
    use gongkai_core::report::{GapOf, Value};
    let mut out = String::from("\u{feff}");
    out.push_str(&crate::csv::line(&["单元格", "项目", "数值", "状态"]));
    let unread: Vec<_> = report
        .gaps
        .iter()
        .filter_map(|g| match g.of {
            GapOf::Cell(c) => Some(c),
            _ => None,
        })
        .collect();
    for at in report.cell_refs() {
        let value = &report.cell(at).value;
        let (number, state) = match value {
            Value::Blank if unread.contains(&at) => (String::new(), "无法读取"),
            Value::Blank => (String::new(), "空白"),
            Value::NotApplicable => (String::new(), "不适用"),
            Value::Invalid(_) => (String::new(), "无效"),
            v => (v.to_string(), "数值"),
        };
        out.push_str(&crate::csv::line(&[
            at.path(),
            at.label_zh(report.layout),
            number,
            state.to_string(),
        ]));
    }
    for (key, n) in &report.figures.counts {
        out.push_str(&crate::csv::line(&[
            format!("figures.{key}"),
            String::new(),
            n.to_string(),
            "数值".to_string(),
        ]));
    }
    for (key, d) in &report.figures.amounts {
        out.push_str(&crate::csv::line(&[
            format!("figures.{key}"),
            String::new(),
            d.to_string(),
            "数值".to_string(),
        ]));
    }
    out
}

/// [`render`] with the data directory's font settings.
pub fn render_with(app: &App, report: &AnnualReport, format: Format) -> Result<Vec<u8>> {
    render(report, format, &app.settings.fonts.fonts())
}

/// The file name a report is downloaded as: `{agency}{year}年政府信息公开工作年度报告.{ext}`,
/// with the version when it is not the first.
pub fn file_name(report: &AnnualReport, version: Option<i32>, format: Format) -> String {
    let v = match version {
        Some(n) if n > 1 => format!("（第{n}版）"),
        _ => String::new(),
    };
    format!(
        "{}{}政府信息公开工作年度报告{v}.{}",
        report.agency_display(),
        report.year_display(),
        format.extension()
    )
}

#[cfg(test)]
mod csv_tests {
    use super::cells_csv;
    use gongkai_core::report::{AnnualReport, Cell, CellRef, Gap, GapOf, T3Col, T3Row, Value};

    #[test]
    fn each_cell_says_its_state() {
        let mut r = AnnualReport::new("某局", 2021);
        let at = |row| CellRef::T3(row, T3Col::Total);
        r.set(at(T3Row::Granted), Cell::count(3));
        r.set(at(T3Row::Partial), Cell::new(Value::NotApplicable));
        r.set(
            at(T3Row::DeniedStateSecret),
            Cell::new(Value::Invalid("约3".into())),
        );
        r.gaps.push(Gap {
            of: GapOf::Cell(at(T3Row::CarriedOver)),
            label: "表三".into(),
            message: "not read".into(),
            near: None,
        });
        r.figures.counts.insert("trainings_held".into(), 2);
        let csv = cells_csv(&r);
        let state = |path: &str| {
            csv.lines()
                .find(|l| l.starts_with(&format!("{path},")))
                .map(|l| l.rsplit(',').take(2).collect::<Vec<_>>())
                .unwrap_or_else(|| panic!("{path}"))
        };
        assert_eq!(state("table3.granted.total"), ["数值", "3"]);
        assert_eq!(state("table3.partial.total"), ["不适用", ""]);
        assert_eq!(state("table3.denied.state_secret.total"), ["无效", ""]);
        assert_eq!(state("table3.carried_over.total"), ["无法读取", ""]);
        assert_eq!(state("table3.new_received.total"), ["空白", ""]);
        assert!(csv.ends_with("figures.trainings_held,,2,数值\r\n"), "{csv}");
    }
}
