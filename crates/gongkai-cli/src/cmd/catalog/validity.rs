//! Changes to a published or drafted item besides its workflow: the 有效性 of a 规章 /
//! 行政规范性文件, and attached files.

use super::items::print_item;
use super::{ActAs, DataArgs, OutFormat, date, open, validity_status};
use crate::output::read_file;
use anyhow::bail;
use clap::Args;
use gongkai_app::catalog::{self, ValidityInput};
use gongkai_core::ids::ItemId;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

#[derive(Args)]
pub struct ValidityArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The item's id (as `catalog list` shows it).
    pub id: ItemId,
    /// valid (有效), expired (失效), repealed (废止).
    #[arg(long)]
    pub status: String,
    #[arg(long)]
    pub effective_on: Option<String>,
    #[arg(long)]
    pub ends_on: Option<String>,
    #[command(flatten)]
    pub actor: ActAs,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct AttachArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The item's id (as `catalog list` shows it).
    pub id: ItemId,
    pub file: PathBuf,
    /// The display name (default: the file's name).
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub actor: ActAs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub(super) async fn change(a: ValidityArgs, now: OffsetDateTime) -> anyhow::Result<()> {
    let input = ValidityInput {
        status: validity_status("status", &a.status)?,
        effective_on: date("effective-on", &a.effective_on)?,
        ends_on: date("ends-on", &a.ends_on)?,
        reason: a.reason.clone(),
    };
    let app = open(&a.data).await?;
    let actor = a.actor.resolve(&app).await?;
    let v = catalog::change_validity(&app, &actor, a.id, &input, now).await?;
    print_item(&v, a.format)
}

pub(super) async fn attach(a: AttachArgs, now: OffsetDateTime) -> anyhow::Result<()> {
    let bytes = read_file(&a.file)?;
    let name = match &a.name {
        Some(n) => n.clone(),
        None => file_name(&a.file)?,
    };
    let app = open(&a.data).await?;
    let actor = a.actor.resolve(&app).await?;
    let v = catalog::attach(&app, &actor, a.id, &name, &bytes, now).await?;
    print_item(&v, a.format)
}

fn file_name(path: &Path) -> anyhow::Result<String> {
    match path.file_name().and_then(|n| n.to_str()) {
        Some(n) => Ok(n.to_string()),
        None => bail!("{} has no usable file name: give --name", path.display()),
    }
}
