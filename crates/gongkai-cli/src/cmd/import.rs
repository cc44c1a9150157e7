//! `gongkai report import FILE`: a published report (text, Markdown, HTML, DOCX, PDF) read
//! into the interchange format, with the place of every cell and the rule results; or shown
//! as a readable report with the suspicious cells marked.

use crate::output::write_output;
use anyhow::anyhow;
use clap::{Args, ValueEnum};
use gongkai_core::report::check;
use gongkai_core::report::json::to_json;
use gongkai_core::text::escape_html;
use gongkai_import::{Imported, Options, Unreadable};
use gongkai_report::DocFormat;
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    /// The interchange format with `source` evidence and `checks`.
    Json,
    Md,
    Html,
}

#[derive(Args)]
pub struct ImportArgs {
    /// A published report: .txt, .md, .html, .docx or .pdf (the kind is read from the bytes).
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "json")]
    pub format: ImportFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub limits: Limits,
}

/// Limits shared by `report import` and `audit`.
#[derive(Args, Clone)]
pub struct Limits {
    /// Largest file read, in MB.
    #[arg(long, value_name = "MB", default_value_t = 50)]
    pub max_size: u64,
    /// The pdftotext program (poppler-utils) used for PDF files.
    #[arg(long, value_name = "PATH", default_value = "pdftotext")]
    pub pdftotext: PathBuf,
    /// Seconds pdftotext may run on one file.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub pdf_timeout: u64,
}

impl Limits {
    pub fn options(&self) -> Options {
        Options {
            max_size: self.max_size.saturating_mul(1024 * 1024),
            pdftotext: self.pdftotext.clone(),
            pdf_timeout: std::time::Duration::from_secs(self.pdf_timeout.max(1)),
        }
    }
}

/// Imports one file; the error names the file.
pub fn import_file(path: &Path, options: &Options) -> anyhow::Result<Imported> {
    gongkai_import::import_path(path, options).map_err(|e| anyhow!("{}: {e}", path.display()))
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let imported = import_file(&args.file, &args.limits.options())?;
    let findings = check(&imported.report, None);
    let doc = match args.format {
        ImportFormat::Json => {
            let mut root = to_json(&imported.report, Some(&findings));
            add_import_evidence(&mut root, &imported);
            format!("{}\n", serde_json::to_string_pretty(&root)?)
        }
        ImportFormat::Md => {
            let mut s =
                gongkai_report::render(&imported.report, DocFormat::Markdown, Some(&findings));
            s.push_str(&unreadable_markdown(&imported.unreadable));
            s
        }
        ImportFormat::Html => {
            let s = gongkai_report::render(&imported.report, DocFormat::Html, Some(&findings));
            with_unreadable_html(s, &imported.unreadable)
        }
    };
    write_output(args.output.as_deref(), doc.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The unreadable cells as JSON: `{"cell": path|null, "label", "message", "near"}`.
pub fn unreadable_json(list: &[Unreadable]) -> Json {
    Json::Array(
        list.iter()
            .map(|u| {
                let mut o = json!({
                    "cell": u.cell.map(|c| c.path()),
                    "label": u.label,
                    "message": u.message(),
                });
                if let Some(p) = &u.near {
                    o["near"] = Json::Object(gongkai_core::report::json::place_json(p));
                }
                o
            })
            .collect(),
    )
}

/// Adds to the `source` member what only an import knows: the kind of file, how many cells
/// were read, and the cells that could not be (REPORT-JSON.md: `source` is the importer's).
fn add_import_evidence(root: &mut Json, imported: &Imported) {
    let Some(obj) = root.as_object_mut() else {
        return;
    };
    let source = obj.entry("source").or_insert_with(|| json!({}));
    source["kind"] = json!(imported.kind.key());
    source["cells_read"] = json!(imported.cells_read);
    source["cells_total"] = json!(imported.cells_total);
    source["unreadable"] = unreadable_json(&imported.unreadable);
}

fn unreadable_markdown(list: &[Unreadable]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut s = String::from("\n## 无法读取的单元格\n\n");
    for u in list {
        s.push_str(&format!("- {}\n", u.message()));
    }
    s
}

fn with_unreadable_html(doc: String, list: &[Unreadable]) -> String {
    if list.is_empty() {
        return doc;
    }
    let mut section = String::from("<section class=\"unreadable\"><h2>无法读取的单元格</h2><ul>\n");
    for u in list {
        section.push_str(&format!("<li>{}</li>\n", escape_html(&u.message())));
    }
    section.push_str("</ul></section>\n");
    match doc.rfind("</body>") {
        Some(at) => format!("{}{section}{}", &doc[..at], &doc[at..]),
        None => doc + &section,
    }
}
