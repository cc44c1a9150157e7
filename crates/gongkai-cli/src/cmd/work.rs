//! `gongkai work add|list|remove`: the agency's disclosure work recorded as it happens —
//! meetings, trainings, and the documents governing the work — from which the annual report's
//! section 一 paragraph and `figures` are computed (docs/work-records.md).

use super::actor::ActorArg;
use super::init::block_on;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::work::{self, WorkInput, WorkView};
use gongkai_app::{App, today_in_china};
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::work::WorkKind;
use std::path::PathBuf;
use std::process::ExitCode;
use time::{Date, OffsetDateTime};

#[derive(Subcommand)]
pub enum WorkCommand {
    /// Record a meeting, a training or a document of the agency's work; prints the record.
    Add(Box<AddArgs>),
    /// List the agency's records, of one year or all.
    List(ListArgs),
    /// Remove a record (kept, marked removed with the reason, no longer counted).
    Remove(RemoveArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_iso_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

fn kind_arg(s: &str) -> Result<WorkKind, String> {
    WorkKind::parse(s).ok_or_else(|| {
        format!(
            "unknown kind {s:?}: one of {}",
            WorkKind::ALL.map(|k| k.key()).join(", ")
        )
    })
}

#[derive(Args)]
pub struct AddArgs {
    /// The data directory (see `gongkai init`).
    #[arg(long)]
    pub data: PathBuf,
    /// The agency's name or organisation code.
    #[arg(long)]
    pub agency: String,
    /// superior_meeting (参加上级会议、培训), promotion_meeting (召开推进会议), training (组织培训),
    /// rule (工作制度), implementation_plan (工作实施方案) or training_plan (培训计划).
    #[arg(long, value_parser = kind_arg)]
    pub kind: WorkKind,
    /// The day it was held, or the document issued (YYYY-MM-DD).
    #[arg(long, value_parser = date_arg)]
    pub on: Date,
    /// The subject of the meeting or training, or the document's title.
    #[arg(long)]
    pub title: String,
    /// How many took part (meetings and trainings).
    #[arg(long)]
    pub participants: Option<i64>,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub data: PathBuf,
    #[arg(long)]
    pub agency: String,
    /// Held in this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Removed records too, marked.
    #[arg(long)]
    pub removed: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct RemoveArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The record's id (as `work list` prints it).
    pub id: i64,
    /// Why it is removed.
    #[arg(long)]
    pub reason: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub fn run(cmd: WorkCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            WorkCommand::Add(a) => add(*a).await,
            WorkCommand::List(a) => list(a).await,
            WorkCommand::Remove(a) => remove(a).await,
        }
    })?
}

async fn add(a: AddArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let input = WorkInput {
            agency: a.agency,
            kind: a.kind,
            on: a.on,
            title: a.title,
            participants: a.participants,
            note: a.note,
        };
        Ok::<_, anyhow::Error>(
            work::add(&app, &actor, input, today, OffsetDateTime::now_utc()).await?,
        )
    }
    .await;
    app.db.close().await;
    print_records(&[done?], a.format)
}

async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(work::list(&app, &actor, &a.agency, a.year, a.removed).await?)
    }
    .await;
    app.db.close().await;
    let records = done?;
    if records.is_empty() && a.format == Format::Text {
        eprintln!("no work records");
    }
    print_records(&records, a.format)
}

async fn remove(a: RemoveArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(
            work::remove(&app, &actor, a.id, &a.reason, OffsetDateTime::now_utc()).await?,
        )
    }
    .await;
    app.db.close().await;
    print_records(&[done?], a.format)
}

/// One line a record: id, day, kind, title, participants, and the removal when removed.
fn print_records(records: &[WorkView], format: Format) -> anyhow::Result<ExitCode> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(records)?),
        Format::Text => {
            for r in records {
                let participants = r.participants.map(|n| format!("{n}人")).unwrap_or_default();
                let removed = r
                    .removed
                    .as_ref()
                    .map(|x| format!("已删除（{}：{}）", x.by, x.reason))
                    .unwrap_or_default();
                say!(
                    "{}\t{}\t{}\t{}\t{participants}\t{removed}",
                    r.id,
                    iso(r.on),
                    r.kind_label,
                    r.title
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
