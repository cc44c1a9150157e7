//! What the catalogue feeds elsewhere: the approval form 《政府信息公开发布审批表》, section 一's
//! counts for the annual report, and the table 二 cells staff enter by hand.

use super::{DataArgs, OutFormat, explain, open, open_agency, print};
use crate::output::write_output;
use clap::{Args, ValueEnum};
use gongkai_app::catalog;
use serde_json::json;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormFormat {
    Html,
    Docx,
}

#[derive(Args)]
pub struct FormArgs {
    #[command(flatten)]
    pub data: DataArgs,
    pub id: i64,
    #[arg(long, value_enum, default_value = "html")]
    pub format: FormFormat,
    /// Write to this file (required for DOCX unless standard output is redirected).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub agency: String,
    #[arg(long)]
    pub year: i32,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct Table2Args {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub agency: String,
    #[arg(long)]
    pub year: i32,
    /// The cell as sub.row.col, e.g. art20_5.admin_license.decisions or art20_8.admin_fees.fee_amount.
    #[arg(long)]
    pub cell: String,
    /// A count, an amount in 万元 (第（八）项), or / for not applicable.
    #[arg(long)]
    pub value: String,
    #[arg(long)]
    pub by: String,
    /// Where the figure comes from (ledger, system, document).
    #[arg(long)]
    pub note: Option<String>,
}

pub(super) async fn form(a: FormArgs) -> anyhow::Result<()> {
    let app = open(&a.data).await?;
    let form = catalog::approval_form(&app.db, a.id)
        .await
        .map_err(explain)?;
    let bytes = match a.format {
        FormFormat::Html => form.to_html().into_bytes(),
        FormFormat::Docx => form.to_docx()?,
    };
    write_output(a.output.as_deref(), &bytes)
}

pub(super) async fn stats(a: StatsArgs) -> anyhow::Result<()> {
    let (app, agency) = open_agency(&a.data, &a.agency).await?;
    let counts = catalog::proactive(&app.db, agency.id, a.year)
        .await
        .map_err(explain)?;
    let mut by_category = serde_json::Map::new();
    for (c, ids) in &counts.by_column {
        by_category.insert(c.clone(), json!(ids.len()));
    }
    let json = json!({
        "agency": agency.name,
        "year": a.year,
        "total": counts.total(),
        "by_category": by_category,
        "sentence": counts.sentence(),
    });
    print(a.format, &json, || format!("{}\n", counts.sentence()))
}

pub(super) async fn table2(a: Table2Args) -> anyhow::Result<()> {
    let (app, agency) = open_agency(&a.data, &a.agency).await?;
    catalog::enter_table2(
        &app.db,
        agency.id,
        a.year,
        &a.cell,
        &a.value,
        &a.by,
        a.note.as_deref(),
    )
    .await
    .map_err(explain)?;
    Ok(())
}
