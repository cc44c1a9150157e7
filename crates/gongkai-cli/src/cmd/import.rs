//! `gongkai report import FILE`: a published report (text, Markdown, HTML, DOCX, PDF) read
//! into the interchange format, with the place of every cell and the rule results; or shown
//! as a readable report with the suspicious cells marked (`gongkai_app::import` writes the
//! documents).

use super::actor::ActorArg;
use crate::output::write_output;
use clap::{Args, ValueEnum};
use gongkai_app::import::{self, Options};
use std::path::PathBuf;
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
    /// Store the report in this data directory as the report of --agency for its year.
    #[arg(long, requires = "agency")]
    pub data: Option<PathBuf>,
    /// The unit (name or organisation code) whose report this is; needs --data.
    #[arg(long, requires = "data")]
    pub agency: Option<String>,
    /// The report's year, when the file does not say it (else it must agree).
    #[arg(long, requires = "data")]
    pub year: Option<i32>,
    #[command(flatten)]
    pub actor: ActorArg,
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
            ..Options::default()
        }
    }
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    if let (Some(data), Some(unit)) = (&args.data, &args.agency) {
        return super::supervision::import_unit(
            &args.file,
            data,
            unit,
            args.year,
            &args.actor,
            &args.limits.options(),
        );
    }
    let imported = import::import_file(&args.file, &args.limits.options())?;
    let format = match args.format {
        ImportFormat::Json => import::ImportFormat::Json,
        ImportFormat::Md => import::ImportFormat::Markdown,
        ImportFormat::Html => import::ImportFormat::Html,
    };
    let doc = import::document(&imported, format);
    write_output(args.output.as_deref(), doc.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
