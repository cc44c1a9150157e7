//! `gongkai application letter ID --kind … --format html|docx -o FILE`.

use crate::output::write_output;
use anyhow::bail;
use clap::{Args, ValueEnum};
use gongkai_app::{App, letters, today_in_china};
use gongkai_core::calendar::parse_iso_date;
use gongkai_letters::LetterKind;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LetterFormat {
    Html,
    Docx,
}

#[derive(Args)]
pub struct LetterArgs {
    /// The data directory (see `gongkai init`).
    #[arg(long)]
    pub data: PathBuf,
    /// The 申请编号.
    pub id: String,
    /// receipt, supplement, reasons, extension, consult-third-party, consult-co-maker,
    /// consult-notice, fee, reply.
    #[arg(long)]
    pub kind: String,
    #[arg(long, value_enum, default_value = "html")]
    pub format: LetterFormat,
    /// Write to this file (required for DOCX).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Today's date (default: today in China).
    #[arg(long)]
    pub today: Option<String>,
}

pub async fn run(a: LetterArgs) -> anyhow::Result<ExitCode> {
    let Some(kind) = LetterKind::parse(&a.kind) else {
        bail!(
            "unknown letter kind {}: one of {}",
            a.kind,
            LetterKind::ALL.map(|k| k.key()).join(", ")
        );
    };
    let today = match &a.today {
        Some(s) => parse_iso_date(s)
            .ok_or_else(|| anyhow::anyhow!("--today {s:?} is not a date (YYYY-MM-DD)"))?,
        None => today_in_china(),
    };
    if a.format == LetterFormat::Docx && a.output.is_none() {
        bail!("a DOCX letter needs -o FILE");
    }
    let app = App::open(&a.data).await?;
    let letter = letters::letter(&app, &a.id, kind, today).await;
    app.db.close().await;
    let letter = letter?;
    let bytes = match a.format {
        LetterFormat::Html => gongkai_letters::to_html(&letter).into_bytes(),
        LetterFormat::Docx => gongkai_letters::to_docx(&letter)?,
    };
    write_output(a.output.as_deref(), &bytes)?;
    Ok(ExitCode::SUCCESS)
}
