//! `gongkai report compute --data DIR --agency X --year Y`: the annual report computed from
//! the data directory (table 三 from the cases, section 一 and table 二 from the catalogue),
//! every computed cell with the ids of the records it counts.

use super::init::block_on;
use super::report::RenderFormat;
use crate::output::write_output;
use clap::Args;
use gongkai_app::{App, report};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ComputeArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The agency's name or organisation code.
    #[arg(long, required_unless_present = "region", conflicts_with = "region")]
    pub agency: Option<String>,
    /// A region's path (山东省/淄博市): its tables 二/三/四 from the data of every agency below
    /// it that uses gongkai (the roll-up of the units' published reports is `report rollup`).
    #[arg(long)]
    pub region: Option<String>,
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
        let report = match (&args.agency, &args.region) {
            (Some(agency), _) => report::compute(&app, agency, args.year).await,
            (None, Some(region)) => report::compute_region_path(&app, region, args.year).await,
            (None, None) => unreachable_args(),
        };
        let fonts = app.settings.fonts.fonts();
        app.db.close().await;
        let report = report?;
        let doc = report::export::render(&report, args.format.format(), &fonts)?;
        write_output(args.output.as_deref(), &doc)?;
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}

/// clap requires one of --agency and --region.
fn unreachable_args() -> gongkai_app::error::Result<gongkai_core::report::AnnualReport> {
    Err(gongkai_app::AppError::invalid(
        "give --agency or --region",
        "请指定 --agency 或 --region",
    ))
}
