//! `gongkai catalog …`: the catalogue (政府信息公开目录) — create items, move them through
//! 拟稿 → 保密审查 → 审核 → 发布, list and show them, print the approval form, record table 二
//! entries and keep the 指南 / 制度 documents. `--format json` prints JSON for scripts.
//!
//! This module holds the command enum, its dispatch and the helpers every subcommand shares;
//! the subcommands live in modules named after what they do. Every state-changing command acts
//! as a user (`--as NAME`, or `--by NAME` as before; default the local operator), and the use
//! cases and their views are `gongkai_app::catalog`'s.

mod config;
mod docs;
mod items;
mod reports;
mod validity;
mod view;
mod workflow;

pub use config::{ConfigArgs, DemoArgs};
pub use docs::DocCommand;
pub use items::{CreateArgs, ListArgs, ReviseArgs, ShowArgs};
pub use reports::{FormArgs, StatsArgs, Table2Args};
pub use validity::{AttachArgs, ValidityArgs};
pub use workflow::ActArgs;

use crate::output::{read_file, write_output};
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::App;
use gongkai_app::agency::AgencyView;
use gongkai_core::catalog::ValidityStatus;
use gongkai_core::user::Actor;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::{Date, OffsetDateTime};

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Create a draft item (拟稿).
    Create(CreateArgs),
    /// Replace a draft's content (修改; only while drafting).
    Revise(ReviseArgs),
    /// Take a workflow step: submit, clear-secrecy, approve, publish, return, withdraw.
    Act(ActArgs),
    /// Record a change of 有效性 of a 规章 / 行政规范性文件.
    Validity(ValidityArgs),
    /// Attach a file to a draft (type and size checked).
    Attach(AttachArgs),
    /// List an agency's items.
    List(ListArgs),
    /// Show one item with its steps and flags.
    Show(ShowArgs),
    /// Print the approval form 《政府信息公开发布审批表》 as HTML or DOCX.
    Form(FormArgs),
    /// Section 一's counts by column for a year, and the sentence quoting them.
    Stats(StatsArgs),
    /// Enter a table 二 cell that is not computed from the catalogue (e.g. 行政许可 decisions).
    Table2(Table2Args),
    /// The agency's 政府信息公开指南 and 制度 texts.
    #[command(subcommand)]
    Doc(DocCommand),
    /// Load the demo agency, its staff users and its 2021 catalogue into a data directory.
    Demo(DemoArgs),
    /// Show the agency's catalogue settings (columns, subjects, genres, 索引号 pattern,
    /// attachment limits), or replace them with `--set FILE` (JSON; keys not given keep
    /// their defaults).
    Config(ConfigArgs),
}

#[derive(Args, Clone)]
pub struct DataArgs {
    /// The data directory (see `gongkai init`).
    #[arg(long)]
    pub data: PathBuf,
}

/// Who a state-changing catalogue command acts as.
#[derive(Args, Clone, Debug, Default)]
pub struct ActAs {
    /// Act as this user: a user name, or a display name only one active user has (`--by` is
    /// the older name of this option). Default: the local operator set by `gongkai init`.
    #[arg(long = "as", value_name = "NAME", visible_alias = "by")]
    pub as_user: Option<String>,
}

impl ActAs {
    /// The acting user; a name that is no active user is refused.
    async fn resolve(&self, app: &App) -> anyhow::Result<Actor> {
        Ok(gongkai_app::user::actor(app, self.as_user.as_deref()).await?)
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutFormat {
    Text,
    Json,
}

pub fn run(cmd: CatalogCommand) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(run_async(cmd))?;
    Ok(ExitCode::SUCCESS)
}

async fn open(data: &DataArgs) -> anyhow::Result<App> {
    Ok(App::open(&data.data).await?)
}

fn date(field: &str, s: &Option<String>) -> anyhow::Result<Option<Date>> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => gongkai_core::calendar::parse_iso_date(s)
            .map(Some)
            .with_context(|| format!("--{field} {s:?} is not a date (YYYY-MM-DD)")),
    }
}

/// Prints a view as JSON (its `Serialize` form, made by `serde_json::to_value`) or as text.
fn print(format: OutFormat, view: &Json, text: impl FnOnce() -> String) -> anyhow::Result<()> {
    let out = match format {
        OutFormat::Json => format!("{}\n", serde_json::to_string_pretty(view)?),
        OutFormat::Text => text(),
    };
    write_output(None, out.as_bytes())
}

/// Opens the data directory and finds the agency named by `key` (name or organisation code).
async fn open_agency(data: &DataArgs, key: &str) -> anyhow::Result<(App, AgencyView)> {
    let app = open(data).await?;
    let agency = gongkai_app::agency::find(&app, key).await?;
    Ok((app, agency))
}

/// Reads a file that must be UTF-8 text (an HTML body, a JSON settings file).
fn read_text(path: &Path) -> anyhow::Result<String> {
    String::from_utf8(read_file(path)?)
        .with_context(|| format!("{} is not UTF-8 text", path.display()))
}

/// Parses a 有效性 given as option `--{flag}`.
fn validity_status(flag: &str, s: &str) -> anyhow::Result<ValidityStatus> {
    ValidityStatus::from_key(s)
        .with_context(|| format!("--{flag} {s:?}: use valid, expired or repealed"))
}

async fn run_async(cmd: CatalogCommand) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    match cmd {
        CatalogCommand::Create(a) => items::create(a, now).await,
        CatalogCommand::Revise(a) => items::revise(a, now).await,
        CatalogCommand::Act(a) => workflow::act(a, now).await,
        CatalogCommand::Validity(a) => validity::change(a, now).await,
        CatalogCommand::Attach(a) => validity::attach(a, now).await,
        CatalogCommand::List(a) => items::list(a).await,
        CatalogCommand::Show(a) => items::show(a).await,
        CatalogCommand::Form(a) => reports::form(a).await,
        CatalogCommand::Stats(a) => reports::stats(a).await,
        CatalogCommand::Table2(a) => reports::table2(a).await,
        CatalogCommand::Doc(c) => docs::run(c).await,
        CatalogCommand::Config(a) => config::config(a).await,
        CatalogCommand::Demo(a) => config::demo(a).await,
    }
}
