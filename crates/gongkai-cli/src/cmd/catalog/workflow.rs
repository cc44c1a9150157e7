//! Workflow steps: submit, clear-secrecy, approve, publish, return, withdraw.

use super::items::print_item;
use super::{ActAs, DataArgs, OutFormat, open};
use clap::{Args, ValueEnum};
use gongkai_app::catalog;
use gongkai_core::catalog::Action;
use gongkai_core::ids::ItemId;
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
    /// The item's id (as `catalog list` shows it).
    pub id: ItemId,
    #[arg(value_enum)]
    pub step: StepArg,
    /// Who takes the step: submit needs 录入, clear-secrecy 保密审查, the others 审核 or 负责人;
    /// nobody reviews their own draft.
    #[command(flatten)]
    pub actor: ActAs,
    /// The opinion, or the reason (required for return and withdraw).
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub(super) async fn act(a: ActArgs, now: OffsetDateTime) -> anyhow::Result<()> {
    let app = open(&a.data).await?;
    let actor = a.actor.resolve(&app).await?;
    let v = catalog::act(&app, &actor, a.id, a.step.action(), a.note.as_deref(), now).await?;
    print_item(&v, a.format)
}
