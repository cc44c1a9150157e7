//! What the catalogue feeds elsewhere: the approval form 《政府信息公开发布审批表》, section 一's
//! counts for the annual report, and the table 二 cells staff enter by hand.

use super::{ActAs, DataArgs, OutFormat, open, open_agency, print};
use crate::output::write_output;
use clap::{Args, ValueEnum};
use gongkai_app::catalog::{self, Table2Input};
use gongkai_core::ids::ItemId;
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
    /// The item's id (as `catalog list` shows it).
    pub id: ItemId,
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
    /// A count, an amount in 万元 (第（八）项), a signed count for 本年增/减 of the 2019 layout
    /// (a decrease is negative: -8), or / for not applicable.
    #[arg(long, allow_negative_numbers = true)]
    pub value: String,
    /// Who enters it (录入).
    #[command(flatten)]
    pub actor: ActAs,
    /// Where the figure comes from (ledger, system, document).
    #[arg(long)]
    pub note: Option<String>,
}

pub(super) async fn form(a: FormArgs) -> anyhow::Result<()> {
    let app = open(&a.data).await?;
    let form = catalog::approval_form(&app, a.id).await?;
    let bytes = match a.format {
        FormFormat::Html => form.to_html().into_bytes(),
        FormFormat::Docx => form.to_docx()?,
    };
    write_output(a.output.as_deref(), &bytes)
}

pub(super) async fn stats(a: StatsArgs) -> anyhow::Result<()> {
    let (app, agency) = open_agency(&a.data, &a.agency).await?;
    let stats = catalog::proactive(&app, agency.id, a.year).await?;
    print(a.format, &serde_json::to_value(&stats)?, || {
        format!("{}\n", stats.sentence)
    })
}

pub(super) async fn table2(a: Table2Args) -> anyhow::Result<()> {
    let (app, agency) = open_agency(&a.data, &a.agency).await?;
    let actor = a.actor.resolve(&app).await?;
    catalog::enter_table2(
        &app,
        &actor,
        &Table2Input {
            agency: agency.id,
            year: a.year,
            cell: a.cell,
            value: a.value,
            note: a.note,
        },
    )
    .await?;
    Ok(())
}
