//! Changes to a published or drafted item besides its workflow: the 有效性 of a 规章 /
//! 行政规范性文件, and attached files.

use super::items::show_changed;
use super::{DataArgs, OutFormat, date, open, validity_status};
use crate::output::read_file;
use anyhow::bail;
use clap::Args;
use gongkai_app::catalog;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

#[derive(Args)]
pub struct ValidityArgs {
    #[command(flatten)]
    pub data: DataArgs,
    pub id: i64,
    /// valid (有效), expired (失效), repealed (废止).
    #[arg(long)]
    pub status: String,
    #[arg(long)]
    pub effective_on: Option<String>,
    #[arg(long)]
    pub ends_on: Option<String>,
    #[arg(long)]
    pub by: String,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct AttachArgs {
    #[command(flatten)]
    pub data: DataArgs,
    pub id: i64,
    pub file: PathBuf,
    /// The display name (default: the file's name).
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub(super) async fn change(a: ValidityArgs, now: OffsetDateTime) -> anyhow::Result<()> {
    let app = open(&a.data).await?;
    let status = validity_status("status", &a.status)?;
    let done = catalog::change_validity(
        &app.db,
        a.id,
        status,
        date("effective-on", &a.effective_on)?,
        date("ends-on", &a.ends_on)?,
        &a.by,
        now,
        a.reason.as_deref(),
    )
    .await;
    show_changed(&app, a.id, a.format, done).await
}

pub(super) async fn attach(a: AttachArgs) -> anyhow::Result<()> {
    let app = open(&a.data).await?;
    let bytes = read_file(&a.file)?;
    let name = match &a.name {
        Some(n) => n.clone(),
        None => file_name(&a.file)?,
    };
    let done = catalog::attach(&app.db, a.id, &name, &bytes).await;
    show_changed(&app, a.id, a.format, done).await
}

fn file_name(path: &Path) -> anyhow::Result<String> {
    match path.file_name().and_then(|n| n.to_str()) {
        Some(n) => Ok(n.to_string()),
        None => bail!("{} has no usable file name: give --name", path.display()),
    }
}
