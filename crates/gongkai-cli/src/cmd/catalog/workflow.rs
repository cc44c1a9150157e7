//! Workflow steps: submit, clear-secrecy, approve, publish, return, withdraw.

use super::items::show_changed;
use super::{DataArgs, OutFormat, open};
use clap::{Args, ValueEnum};
use gongkai_app::catalog;
use gongkai_core::catalog::Action;
use time::OffsetDateTime;

#[derive(Clone, Copy, ValueEnum)]
pub enum StepArg {
    Submit,
    ClearSecrecy,
    Approve,
    Publish,
    Return,
    Withdraw,
}

impl StepArg {
    fn action(self) -> Action {
        match self {
            StepArg::Submit => Action::Submit,
            StepArg::ClearSecrecy => Action::ClearSecrecy,
            StepArg::Approve => Action::Approve,
            StepArg::Publish => Action::Publish,
            StepArg::Return => Action::Return,
            StepArg::Withdraw => Action::Withdraw,
        }
    }
}

#[derive(Args)]
pub struct ActArgs {
    #[command(flatten)]
    pub data: DataArgs,
    pub id: i64,
    #[arg(value_enum)]
    pub step: StepArg,
    /// Who takes the step.
    #[arg(long)]
    pub by: String,
    /// The opinion, or the reason (required for return and withdraw).
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub(super) async fn act(a: ActArgs, now: OffsetDateTime) -> anyhow::Result<()> {
    let app = open(&a.data).await?;
    let done = catalog::act(
        &app.db,
        a.id,
        a.step.action(),
        &a.by,
        now,
        a.note.as_deref(),
    )
    .await;
    show_changed(&app, a.id, a.format, done).await
}
