//! `gongkai proposal add|reply|list`: NPC deputies' suggestions and CPPCC members' proposals
//! (建议提案) assigned to the agency, their replies and results, which section 六 of the annual
//! report counts (docs/proposals.md).

use super::actor::ActorArg;
use super::init::block_on;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::proposal::{self, ProposalInput, ProposalView, ReplyInput};
use gongkai_app::{App, today_in_china};
use gongkai_core::calendar::parse_iso_date;
use gongkai_core::proposal::{Handling, ProposalKind, ProposalResult};
use std::path::PathBuf;
use std::process::ExitCode;
use time::{Date, OffsetDateTime};

#[derive(Subcommand)]
pub enum ProposalCommand {
    /// Record a suggestion or proposal assigned (交办) to the agency.
    Add(Box<AddArgs>),
    /// Record its reply and result (once).
    Reply(ReplyArgs),
    /// List the agency's proposals, of one year or all.
    List(ListArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_iso_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

fn kind_arg(s: &str) -> Result<ProposalKind, String> {
    ProposalKind::parse(s)
        .ok_or_else(|| format!("unknown kind {s:?}: npc (人大代表建议) or cppcc (政协委员提案)"))
}

fn handling_arg(s: &str) -> Result<Handling, String> {
    Handling::parse(s).ok_or_else(|| format!("unknown handling {s:?}: lead (主办) or co (协办)"))
}

fn result_arg(s: &str) -> Result<ProposalResult, String> {
    ProposalResult::parse(s).ok_or_else(|| {
        format!(
            "unknown result {s:?}: one of {}",
            ProposalResult::ALL.map(|r| r.key()).join(", ")
        )
    })
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The agency's name or organisation code.
    #[arg(long)]
    pub agency: String,
    /// npc (人大代表建议) or cppcc (政协委员提案).
    #[arg(long, value_parser = kind_arg)]
    pub kind: ProposalKind,
    /// As on the 交办 form: 淄博市张店区政协十二届五次会议第104号.
    #[arg(long)]
    pub number: String,
    /// The deputy or member who made it.
    #[arg(long)]
    pub proposer: String,
    /// 案由.
    #[arg(long)]
    pub subject: String,
    /// lead (主办) or co (协办).
    #[arg(long, value_parser = handling_arg, default_value = "lead")]
    pub handling: Handling,
    /// The day it was assigned (YYYY-MM-DD).
    #[arg(long, value_parser = date_arg)]
    pub assigned: Date,
    /// The due date the 交办 sets (default: three months after it was assigned).
    #[arg(long, value_parser = date_arg)]
    pub due: Option<Date>,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct ReplyArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The proposal's id (as `proposal list` prints it).
    pub id: i64,
    /// The day of the reply (YYYY-MM-DD).
    #[arg(long, value_parser = date_arg)]
    pub on: Date,
    /// solved (已解决或采纳), planned (已列入计划拟解决), reference (留作参考) or explained.
    #[arg(long, value_parser = result_arg)]
    pub result: ProposalResult,
    /// The reply's gist.
    #[arg(long)]
    pub text: Option<String>,
    /// The published reply's catalogue item (in the 建议提案 column).
    #[arg(long, value_name = "ID")]
    pub item: Option<i64>,
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
    /// Assigned in this year.
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub fn run(cmd: ProposalCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            ProposalCommand::Add(a) => add(*a).await,
            ProposalCommand::Reply(a) => reply(a).await,
            ProposalCommand::List(a) => list(a).await,
        }
    })?
}

async fn add(a: AddArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let input = ProposalInput {
            agency: a.agency,
            kind: a.kind,
            number: a.number,
            proposer: a.proposer,
            subject: a.subject,
            handling: a.handling,
            assigned_on: a.assigned,
            due_on: a.due,
        };
        Ok::<_, anyhow::Error>(
            proposal::add(&app, &actor, input, today, OffsetDateTime::now_utc()).await?,
        )
    }
    .await;
    app.db.close().await;
    print(&[done?], a.format)
}

async fn reply(a: ReplyArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let input = ReplyInput {
            on: a.on,
            result: a.result,
            reply: a.text,
            item: a.item,
        };
        Ok::<_, anyhow::Error>(proposal::reply(&app, &actor, a.id, input, today).await?)
    }
    .await;
    app.db.close().await;
    print(&[done?], a.format)
}

async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(proposal::list(&app, &actor, &a.agency, a.year).await?)
    }
    .await;
    app.db.close().await;
    let all = done?;
    if all.is_empty() && a.format == Format::Text {
        eprintln!("no proposals");
    }
    print(&all, a.format)
}

/// One line each: id, kind, number, handling, assigned, due, result.
fn print(all: &[ProposalView], format: Format) -> anyhow::Result<ExitCode> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(all)?),
        Format::Text => {
            for p in all {
                let result = match (&p.replied_on, p.result_label) {
                    (Some(on), Some(r)) => format!("{on} 答复：{r}"),
                    _ => "尚未答复".into(),
                };
                say!(
                    "{}\t{}\t{}\t{}\t交办 {}\t期限 {}\t{result}",
                    p.id,
                    p.kind_label,
                    p.number,
                    p.handling_label,
                    p.assigned_on,
                    p.due_on
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
