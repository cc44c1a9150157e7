//! `gongkai report compute --data DIR --agency X --year Y`: the annual report computed from
//! the data directory (table 三 from the cases, section 一 and table 二 from the catalogue),
//! every computed cell with the ids of the records it counts.

use super::init::block_on;
use super::report::RenderFormat;
use crate::output::write_output;
use clap::Args;
use gongkai_app::{App, report};
use gongkai_core::report::{Finding, check};
use gongkai_report::DocFormat;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ComputeArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The agency's name or organisation code.
    #[arg(long)]
    pub agency: String,
    #[arg(long)]
    pub year: i32,
    #[arg(long, value_enum, default_value = "json")]
    pub format: RenderFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: ComputeArgs) -> anyhow::Result<ExitCode> {
    block_on(async move {
        let app = App::open(&args.data).await?;
        let report = report::compute(&app, &args.agency, args.year).await?;
        app.db.close().await;
        let findings: Vec<Finding> = check(&report, None);
        let format = match args.format {
            RenderFormat::Html => DocFormat::Html,
            RenderFormat::Md => DocFormat::Markdown,
            RenderFormat::Txt => DocFormat::Text,
            RenderFormat::Json => DocFormat::Json,
        };
        let doc = gongkai_report::render(&report, format, Some(&findings));
        write_output(args.output.as_deref(), doc.as_bytes())?;
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}
