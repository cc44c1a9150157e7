//! `gongkai cleanup start|list|show|decide`: periodic review of published information
//! (定期清理) — a campaign lists the published items due for review, each decision changes the
//! item and is recorded (docs/cleanup.md).

use super::actor::ActorArg;
use super::init::block_on;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::cleanup::{self, CampaignInput, CampaignSummary, CampaignView, DecisionInput};
use gongkai_app::{App, today_in_china};
use gongkai_core::calendar::parse_iso_date;
use gongkai_core::cleanup::{Decision, ReviewRules};
use std::path::PathBuf;
use std::process::ExitCode;
use time::{Date, OffsetDateTime};

#[derive(Subcommand)]
pub enum CleanupCommand {
    /// Start a campaign: list the agency's published items due for review, with the reasons.
    Start(StartArgs),
    /// The agency's campaigns, newest first, with what each changed.
    List(ListArgs),
    /// A campaign's items, their reasons and decisions.
    Show(ShowArgs),
    /// Decide on one listed item: keep, expire (失效), repeal (废止) or withdraw (撤回).
    Decide(DecideArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_iso_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

fn decision_arg(s: &str) -> Result<Decision, String> {
    Decision::parse(s).ok_or_else(|| {
        format!(
            "unknown decision {s:?}: one of {}",
            Decision::ALL.map(Decision::key).join(", ")
        )
    })
}

#[derive(Args)]
pub struct StartArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The agency's name or organisation code.
    #[arg(long)]
    pub agency: String,
    /// The campaign's title (default: 「YYYY-MM-DD定期清理」).
    #[arg(long)]
    pub title: Option<String>,
    /// List items other than 规章 and 行政规范性文件 published at least this many years ago.
    #[arg(long, default_value_t = ReviewRules::default().max_age_years)]
    pub older_than: u8,
    /// List 规章 and 行政规范性文件 in force for at least this many years.
    #[arg(long, default_value_t = ReviewRules::default().normative_term_years)]
    pub normative_term: u8,
    /// The day the review is made as of (default: today in Beijing).
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
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct ShowArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The campaign's id (as `cleanup list` prints it).
    pub id: i64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct DecideArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The campaign's id.
    pub id: i64,
    /// The listed item's id.
    #[arg(long)]
    pub item: i64,
    /// keep (保留), expire (标注失效), repeal (标注废止) or withdraw (撤回).
    #[arg(long, value_parser = decision_arg)]
    pub decision: Decision,
    /// The first day a 失效 or 废止 document is no longer in force (YYYY-MM-DD).
    #[arg(long, value_parser = date_arg)]
    pub on: Option<Date>,
    /// Why (required for all but keep).
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub fn run(cmd: CleanupCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            CleanupCommand::Start(a) => start(a).await,
            CleanupCommand::List(a) => list(a).await,
            CleanupCommand::Show(a) => show(a).await,
            CleanupCommand::Decide(a) => decide(a).await,
        }
    })?
}

async fn start(a: StartArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let input = CampaignInput {
            agency: a.agency,
            title: a.title,
            rules: ReviewRules {
                max_age_years: a.older_than,
                normative_term_years: a.normative_term,
            },
        };
        Ok::<_, anyhow::Error>(
            cleanup::start(&app, &actor, &input, today, OffsetDateTime::now_utc()).await?,
        )
    }
    .await;
    app.db.close().await;
    print_campaign(&done?, a.format)
}

async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(cleanup::list(&app, &actor, &a.agency).await?)
    }
    .await;
    app.db.close().await;
    let all = done?;
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&all)?),
        Format::Text if all.is_empty() => eprintln!("no campaigns"),
        Format::Text => all.iter().for_each(|c| say!("{}", line(c))),
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(a: ShowArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(cleanup::show(&app, &actor, a.id).await?)
    }
    .await;
    app.db.close().await;
    print_campaign(&done?, a.format)
}

async fn decide(a: DecideArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let input = DecisionInput {
            decision: a.decision,
            on: a.on,
            reason: a.reason,
        };
        Ok::<_, anyhow::Error>(
            cleanup::decide(
                &app,
                &actor,
                a.id,
                a.item,
                &input,
                OffsetDateTime::now_utc(),
            )
            .await?,
        )
    }
    .await;
    app.db.close().await;
    let e = done?;
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&e)?),
        Format::Text => say!(
            "{}\t{}\t{}",
            e.item_id,
            e.title,
            e.decision_label.unwrap_or("")
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// id, as-of day, title, what changed.
fn line(c: &CampaignSummary) -> String {
    format!("{}\t{}\t{}\t{}", c.id, c.as_of, c.title, c.sentence)
}

/// The campaign's line, then one line per item: id, 索引号, title, reasons, decision.
fn print_campaign(c: &CampaignView, format: Format) -> anyhow::Result<ExitCode> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(c)?),
        Format::Text => {
            say!("{}", line(&c.summary));
            for e in &c.entries {
                say!(
                    "{}\t{}\t{}\t{}\t{}",
                    e.item_id,
                    e.index_number.as_deref().unwrap_or(""),
                    e.title,
                    e.reasons.join("；"),
                    e.decision_label.unwrap_or("待处理")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
