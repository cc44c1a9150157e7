//! `gongkai remedy add|decide|list|show`: remedy cases (行政复议, 行政诉讼) against the agency's
//! disclosure work, which table 四 of the annual report counts
//! (docs/rules/annual-report.md#table-四-remedy-cases).

use super::actor::ActorArg;
use super::init::block_on;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::remedy::{self, DecisionInput, RemedyFilter, RemedyInput, RemedyView};
use gongkai_app::{App, today_in_china};
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::remedy::{RemedyKind, RemedyOutcome};
use std::path::PathBuf;
use std::process::ExitCode;
use time::Date;

#[derive(Subcommand)]
pub enum RemedyCommand {
    /// Record a 行政复议 or 行政诉讼 case; prints its number (复议-YYYY-NNNN, 诉讼-YYYY-NNNN).
    Add(Box<AddArgs>),
    /// Record the decision (审结) of a case; a decided case is corrected with --reason.
    Decide(DecideArgs),
    /// List remedy cases: an agency's or all you may see, by year of filing, pending only.
    List(ListArgs),
    /// Show a case with its history.
    Show(ShowArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_iso_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

fn kind_arg(s: &str) -> Result<RemedyKind, String> {
    RemedyKind::parse(s).ok_or_else(|| {
        format!(
            "unknown kind {s:?}: one of {}",
            RemedyKind::ALL.map(|k| k.arg()).join(", ")
        )
    })
}

fn outcome_arg(s: &str) -> Result<RemedyOutcome, String> {
    RemedyOutcome::parse(s).ok_or_else(|| {
        format!(
            "unknown outcome {s:?}: one of {} (a case without a decision is pending)",
            RemedyOutcome::ALL.map(|o| o.key()).join(", ")
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
    /// review (行政复议), litigation-direct (未经复议直接起诉) or litigation-after-review (复议后起诉).
    #[arg(long, value_parser = kind_arg)]
    pub kind: RemedyKind,
    /// The 申请编号 of the application the case concerns.
    #[arg(long, value_name = "NUMBER")]
    pub application: Option<String>,
    /// What the case is about, when it concerns no application.
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// For litigation-after-review: the number of the review case it follows.
    #[arg(long, value_name = "N")]
    pub after_review: Option<String>,
    /// The 复议机关 or 人民法院 handling it.
    #[arg(long)]
    pub body: String,
    /// The day the review was applied for or the suit filed (YYYY-MM-DD).
    #[arg(long, value_parser = date_arg)]
    pub filed: Date,
    /// 案号 or 文号.
    #[arg(long)]
    pub case_number: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// The court accepted a direct suit against 不予公开 filed from 2024-01-01 although
    /// 行政复议法 (2023) Art. 23(4) requires review first; recorded with the case.
    #[arg(long)]
    pub court_accepted_direct: bool,
    /// Why the court's acceptance (e.g. its 受理通知书), with --court-accepted-direct.
    #[arg(long, requires = "court_accepted_direct")]
    pub override_note: Option<String>,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct DecideArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The case's number (复议-2024-0001).
    pub number: String,
    /// The day of the decision (复议决定, 判决, 裁定).
    #[arg(long, value_parser = date_arg)]
    pub on: Date,
    /// upheld (结果维持), corrected (结果纠正) or other (其他结果).
    #[arg(long, value_parser = outcome_arg)]
    pub outcome: RemedyOutcome,
    /// Why, when correcting a recorded decision.
    #[arg(long)]
    pub reason: Option<String>,
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
    /// One agency (name or organisation code).
    #[arg(long)]
    pub agency: Option<String>,
    /// Filed in this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only cases not yet decided (尚未审结).
    #[arg(long)]
    pub pending: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct ShowArgs {
    #[arg(long)]
    pub data: PathBuf,
    pub number: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub fn run(cmd: RemedyCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            RemedyCommand::Add(a) => add(*a).await,
            RemedyCommand::Decide(a) => decide(a).await,
            RemedyCommand::List(a) => list(a).await,
            RemedyCommand::Show(a) => show(a).await,
        }
    })?
}

async fn add(a: AddArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let input = RemedyInput {
            agency: a.agency,
            kind: a.kind,
            application: a.application,
            subject: a.subject,
            after_review: a.after_review,
            body: a.body,
            filed_on: a.filed,
            case_number: a.case_number,
            note: a.note,
            court_accepted_direct: a.court_accepted_direct,
            override_note: a.override_note,
        };
        Ok::<_, anyhow::Error>(remedy::add(&app, &actor, input, today).await?)
    }
    .await;
    app.db.close().await;
    print_case(&done?, a.format)
}

async fn decide(a: DecideArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let input = DecisionInput {
            on: a.on,
            outcome: a.outcome,
            reason: a.reason,
        };
        Ok::<_, anyhow::Error>(remedy::decide(&app, &actor, &a.number, input, today).await?)
    }
    .await;
    app.db.close().await;
    print_case(&done?, a.format)
}

async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let filter = RemedyFilter {
            agency: a.agency,
            year: a.year,
            pending_only: a.pending,
        };
        Ok::<_, anyhow::Error>(remedy::list(&app, &actor, &filter).await?)
    }
    .await;
    app.db.close().await;
    let cases = done?;
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&cases)?),
        Format::Text => {
            for c in &cases {
                say!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    c.number,
                    c.kind_label,
                    iso(c.filed_on),
                    c.outcome_label,
                    c.decided_on.map(iso).unwrap_or_default(),
                    concerns(c),
                    c.agency
                );
            }
            if cases.is_empty() {
                eprintln!("no remedy cases");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(a: ShowArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(remedy::show(&app, &actor, &a.number).await?)
    }
    .await;
    app.db.close().await;
    print_case(&done?, a.format)
}

/// The 申请编号, or the subject when the case concerns no application.
fn concerns(c: &RemedyView) -> String {
    match (&c.application, &c.subject) {
        (Some(n), _) => format!("申请编号 {n}"),
        (None, Some(s)) => s.clone(),
        (None, None) => String::new(),
    }
}

fn print_case(c: &RemedyView, format: Format) -> anyhow::Result<ExitCode> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(c)?),
        Format::Text => print!("{}", case_text(c)),
    }
    Ok(ExitCode::SUCCESS)
}

fn case_text(c: &RemedyView) -> String {
    let mut s = String::new();
    let mut line = |k: &str, v: &str| s.push_str(&format!("{k:<9}{v}\n"));
    line("number", &c.number);
    line("kind", &format!("{} ({})", c.kind_label, c.kind.arg()));
    line("agency", &c.agency);
    if let Some(n) = &c.application {
        line("申请编号", n);
    }
    if let Some(subject) = &c.subject {
        line("subject", subject);
    }
    if let Some(r) = &c.after_review {
        line("after", &format!("review {r}"));
    }
    line("body", &c.body);
    if let Some(n) = &c.case_number {
        line("案号", n);
    }
    line("filed", &iso(c.filed_on));
    match c.decided_on {
        Some(on) => line("decided", &format!("{} {}", iso(on), c.outcome_label)),
        None => line("status", c.outcome_label),
    }
    if c.court_accepted_direct {
        let note = c
            .override_note
            .as_deref()
            .map(|n| format!("：{n}"))
            .unwrap_or_default();
        line(
            "override",
            &format!("法院已直接受理（未经复议，复议前置不适用）{note}"),
        );
    }
    if let Some(note) = &c.note {
        line("note", note);
    }
    for h in &c.history {
        let decision = match (h.decided_on, h.outcome_label) {
            (Some(on), Some(label)) => format!(" {} {label}", iso(on)),
            _ => String::new(),
        };
        let reason = h
            .reason
            .as_deref()
            .map(|r| format!(" — 理由：{r}"))
            .unwrap_or_default();
        line(
            "history",
            &format!(
                "{}. {}{decision} by {} at {} (Beijing time){reason}",
                h.seq,
                h.what_label,
                h.actor,
                h.at.to_offset(gongkai_core::calendar::BEIJING)
                    .format(time::macros::format_description!(
                        "[year]-[month]-[day] [hour]:[minute]"
                    ))
                    .unwrap_or_default()
            ),
        );
    }
    s
}
