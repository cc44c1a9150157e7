//! `gongkai feedback list|answer|reject`: the public's feedback from the portal (公众评议) and
//! its moderation, which section 一(五) of the annual report counts (docs/feedback.md).
//! Citizens submit on the portal only; these commands are the agency's side.

use super::actor::ActorArg;
use super::init::block_on;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::feedback::{self, FeedbackView};
use gongkai_app::{App, today_in_china};
use gongkai_core::feedback::{Action, State};
use std::path::PathBuf;
use std::process::ExitCode;
use time::OffsetDateTime;

#[derive(Subcommand)]
pub enum FeedbackCommand {
    /// List the agency's feedback of a year, with each one's history.
    List(ListArgs),
    /// Answer one: publicly (shown with the answer on its page), or with --private not shown.
    Answer(AnswerArgs),
    /// Set one aside as spam or of no content (not counted in the report).
    Reject(RejectArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

fn state_arg(s: &str) -> Result<State, String> {
    State::parse(s).ok_or_else(|| {
        format!(
            "unknown state {s:?}: one of {}",
            State::ALL.map(|x| x.key()).join(", ")
        )
    })
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The agency's name or organisation code.
    #[arg(long)]
    pub agency: String,
    /// Received in this year (default: this year).
    #[arg(long)]
    pub year: Option<i32>,
    /// pending, published, private or rejected.
    #[arg(long, value_parser = state_arg)]
    pub state: Option<State>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct AnswerArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The feedback's id (as `feedback list` prints it).
    pub id: i64,
    /// The answer.
    #[arg(long)]
    pub text: String,
    /// Answer without publishing (the answer went to the contact given).
    #[arg(long)]
    pub private: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct RejectArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The feedback's id (as `feedback list` prints it).
    pub id: i64,
    /// Why it is set aside.
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub fn run(cmd: FeedbackCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            FeedbackCommand::List(a) => list(a).await,
            FeedbackCommand::Answer(a) => {
                let action = if a.private {
                    Action::AnswerPrivately
                } else {
                    Action::Publish
                };
                decide(a.data, a.id, action, a.text, a.format, a.actor).await
            }
            FeedbackCommand::Reject(a) => {
                let reason = a.reason.unwrap_or_default();
                decide(a.data, a.id, Action::Reject, reason, a.format, a.actor).await
            }
        }
    })?
}

async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let year = a.year.unwrap_or_else(|| today_in_china().year());
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(feedback::list(&app, &actor, &a.agency, year, a.state).await?)
    }
    .await;
    app.db.close().await;
    let all = done?;
    if all.is_empty() && a.format == Format::Text {
        eprintln!("no feedback");
    }
    print(&all, a.format)
}

async fn decide(
    data: PathBuf,
    id: i64,
    action: Action,
    text: String,
    format: Format,
    actor: ActorArg,
) -> anyhow::Result<ExitCode> {
    let app = App::open(&data).await?;
    let done = async {
        let actor = actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(
            feedback::moderate(&app, &actor, id, action, &text, OffsetDateTime::now_utc()).await?,
        )
    }
    .await;
    app.db.close().await;
    print(&[done?], format)
}

/// One line each: id, received, rating, state, where, nickname, comment; then the answer.
fn print(all: &[FeedbackView], format: Format) -> anyhow::Result<ExitCode> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(all)?),
        Format::Text => {
            for f in all {
                let target = match (&f.item_id, &f.item_title) {
                    (Some(id), Some(title)) => format!("信息{id}《{title}》"),
                    (Some(id), None) => format!("信息{id}"),
                    _ => format!("栏目“{}”", f.column),
                };
                let comment: String = f
                    .comment
                    .chars()
                    .map(|c| if c.is_whitespace() { ' ' } else { c })
                    .collect();
                say!(
                    "{}\t{}\t{}\t{}\t{target}\t{}\t{comment}",
                    f.id,
                    f.received_at,
                    f.rating_label,
                    f.state_label,
                    f.nickname.as_deref().unwrap_or("网友"),
                );
                if let Some(answer) = &f.answer {
                    say!("\t答复：{answer}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
