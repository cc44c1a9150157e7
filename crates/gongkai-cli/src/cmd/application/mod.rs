//! `gongkai application register|event|show|list|letter|pending|confirm|reject|reissue-code|check-projections`: applications
//! (依申请公开). One module per subcommand; the shared argument parsers live here.

mod event;
mod letter;
mod list;
mod online;
mod projections;
mod register;
mod reissue;
mod show;
mod text;

use super::init::block_on;
use clap::{Args, Subcommand};
use gongkai_core::application::{Channel, Delivery};
use gongkai_core::calendar::parse_iso_date;
use std::path::PathBuf;
use std::process::ExitCode;
use time::Date;

use event::EventArgs;
use letter::LetterArgs;
use list::ListArgs;
use register::RegisterArgs;
use show::ShowArgs;

#[derive(Subcommand)]
pub enum ApplicationCommand {
    /// Register an application; prints its 申请编号 and 查询码 (shown once).
    Register(Box<RegisterArgs>),
    /// Record what happened to a case (补正, extension, consultation, fee, decision, …).
    Event(EventArgs),
    /// Show a case: due dates and how they were computed, excluded periods, status, events.
    Show(ShowArgs),
    /// List open cases: all, due soon, or overdue.
    List(ListArgs),
    /// Generate a letter (告知书/答复书) for a case as HTML or DOCX.
    Letter(LetterArgs),
    /// List online applications awaiting confirmation of receipt (Art. 31).
    Pending(online::PendingArgs),
    /// Confirm receipt of an online application: registers it, received on --on.
    Confirm(online::ConfirmArgs),
    /// Record that an online submission is not an application, with the reason.
    Reject(online::RejectArgs),
    /// Re-issue the 查询码 of a case or of an online submission awaiting confirmation: prints
    /// the new code once; the old one stops working.
    ReissueCode(reissue::ReissueArgs),
    /// Check that every case's stored status and outcome agree with its event log (exit 1 when
    /// one does not); --fix rewrites them from the log.
    CheckProjections {
        #[command(flatten)]
        data: DataArg,
        #[arg(long)]
        fix: bool,
    },
}

pub(super) fn date_arg(s: &str) -> Result<Date, String> {
    parse_iso_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

pub(super) fn channel_arg(s: &str) -> Result<Channel, String> {
    Channel::parse(s).ok_or_else(|| {
        format!(
            "unknown channel {s:?}: one of {}",
            Channel::ALL.map(|c| c.key()).join(", ")
        )
    })
}

pub(super) fn delivery_arg(s: &str) -> Result<Delivery, String> {
    Delivery::parse(s).ok_or_else(|| {
        format!(
            "unknown delivery {s:?}: one of {}",
            Delivery::ALL.map(|d| d.key()).join(", ")
        )
    })
}

#[derive(Args)]
pub struct DataArg {
    /// The data directory (see `gongkai init`).
    #[arg(long)]
    pub data: PathBuf,
}

pub fn run(cmd: ApplicationCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            ApplicationCommand::Register(a) => register::register(*a).await,
            ApplicationCommand::Event(a) => event::event(a).await,
            ApplicationCommand::Show(a) => show::show(a).await,
            ApplicationCommand::List(a) => list::list(a).await,
            ApplicationCommand::Letter(a) => letter::run(a).await,
            ApplicationCommand::Pending(a) => online::pending(a).await,
            ApplicationCommand::Confirm(a) => online::confirm(a).await,
            ApplicationCommand::Reject(a) => online::reject(a).await,
            ApplicationCommand::ReissueCode(a) => reissue::reissue(a).await,
            ApplicationCommand::CheckProjections { data, fix } => {
                projections::check(data, fix).await
            }
        }
    })?
}
