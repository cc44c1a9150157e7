//! `gongkai application pending|confirm|reject`: online applications waiting for the agency
//! to confirm receipt (条例 Art. 31; docs/online-applications.md). Confirming registers the
//! application under its 申请编号 with the confirmation day as the receipt date.

use super::text::due_text;
use super::{DataArg, date_arg};
use crate::cmd::actor::ActorArg;
use clap::{Args, ValueEnum};
use gongkai_app::application::online::{self, beijing_time};
use gongkai_app::{App, today_in_china};
use gongkai_core::calendar::iso;
use std::process::ExitCode;
use time::Date;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PendingFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct PendingArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// Only this agency's (its name or organisation code).
    #[arg(long)]
    pub agency: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: PendingFormat,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct ConfirmArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// The 申请编号 of the online submission.
    pub number: String,
    /// The day receipt was confirmed with the applicant: the receipt date (Art. 31).
    #[arg(long, value_parser = date_arg)]
    pub on: Date,
    /// Today's date (default: today in China).
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct RejectArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// The 申请编号 of the online submission.
    pub number: String,
    /// Why it is not an application (shown to the applicant on the status page).
    #[arg(long)]
    pub reason: String,
    #[arg(long, value_parser = date_arg)]
    pub on: Date,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub(super) async fn pending(a: PendingArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data.data).await?;
    let actor = a.actor.resolve(&app).await?;
    let list = online::pending(&app, &actor, a.agency.as_deref()).await;
    app.db.close().await;
    let list = list?;
    match a.format {
        PendingFormat::Json => println!("{}", serde_json::to_string_pretty(&list)?),
        PendingFormat::Text => {
            if list.is_empty() {
                say!("no online applications awaiting confirmation");
            }
            for s in &list {
                say!(
                    "{}  {}  {}  {} ({})  {}",
                    s.number,
                    beijing_time(s.submitted_at),
                    s.agency,
                    s.applicant.name(),
                    s.applicant.t3_col().label(),
                    s.request.description.lines().next().unwrap_or_default()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn confirm(a: ConfirmArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data.data).await?;
    let actor = a.actor.resolve(&app).await?;
    let case = online::confirm_online(&app, &actor, &a.number, a.on, today).await;
    app.db.close().await;
    let case = case?;
    say!("申请编号 {}", case.number);
    say!("agency   {}", case.agency.name);
    say!(
        "received {} (channel {}, arrived {})",
        iso(case.received_on),
        case.channel.label(),
        iso(case.intake.receipt.arrived_on)
    );
    say!("due      {}", due_text(case.clock.due));
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn reject(a: RejectArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data.data).await?;
    let actor = a.actor.resolve(&app).await?;
    let v = online::reject_online(&app, &actor, &a.number, &a.reason, a.on, today).await;
    app.db.close().await;
    let v = v?;
    say!("申请编号 {}", v.number);
    say!("status   {} ({})", v.status.label(), v.status.key());
    say!("reason   {}", v.reject_reason.unwrap_or_default());
    Ok(ExitCode::SUCCESS)
}
