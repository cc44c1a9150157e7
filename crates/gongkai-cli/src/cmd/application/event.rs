//! `gongkai application event`: append one event to a case's log.

use super::text::status_text;
use super::{DataArg, date_arg, delivery_arg};
use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use gongkai_app::application;
use gongkai_app::{App, today_in_china};
use gongkai_core::application::{ConsultAnswer, ConsultKind, Delivery, Event, EventKind, Outcome};
use gongkai_core::calendar::iso;
use gongkai_core::fee::FeeBasis;
use std::process::ExitCode;
use time::Date;

#[derive(Args)]
pub struct EventArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// The 申请编号.
    pub id: String,
    /// The day it happened.
    #[arg(long, value_parser = date_arg)]
    pub on: Date,
    /// Who records it.
    #[arg(long)]
    pub actor: Option<String>,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[command(subcommand)]
    pub kind: EventKindArg,
}

#[derive(Subcommand)]
pub enum EventKindArg {
    /// 补正告知: the items to supplement, once and completely, and the period.
    SupplementRequested {
        #[arg(long = "item", required = true)]
        items: Vec<String>,
        /// The applicant's period in working days.
        #[arg(long)]
        period: u32,
    },
    /// The supplemented application arrived (the 20 working days restart).
    SupplementReceived,
    /// The period passed without a supplement (视为放弃申请).
    SupplementNotReceived,
    /// 延期答复 approved by the head of the disclosure office.
    Extension {
        #[arg(long)]
        days: u32,
        #[arg(long)]
        approver: String,
    },
    /// 征求意见书 sent to a third party or co-maker.
    ConsultationOpened {
        /// third_party or co_maker.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        party: String,
    },
    /// The consultation ended.
    ConsultationAnswered {
        #[arg(long)]
        kind: String,
        #[arg(long)]
        party: String,
        /// consented, objected or no_answer.
        #[arg(long)]
        answer: String,
    },
    /// 收费通知: the amount is computed by the 国办函〔2020〕109号 calculator.
    FeeNotice {
        /// 按件: items this applicant already had this calendar month.
        #[arg(long, requires = "items", conflicts_with = "pages")]
        prior: Option<u32>,
        /// 按件: items of this application.
        #[arg(long)]
        items: Option<u32>,
        /// 按量: pages.
        #[arg(long)]
        pages: Option<u32>,
    },
    FeePaid,
    FeeUnpaid,
    /// The decision (答复): one of the 21 outcomes of table 三, with its legal basis.
    Decided {
        /// The table 三 row key, e.g. granted, partial, denied.third_party, unable.not_held.
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        basis: String,
    },
    Withdrawn {
        #[arg(long)]
        reason: Option<String>,
    },
    ReplyDelivered {
        #[arg(long, value_parser = delivery_arg)]
        method: Delivery,
    },
    /// Replace (with --replacement, an event as JSON) or retract event number --target.
    Correction {
        #[arg(long)]
        target: u32,
        #[arg(long)]
        reason: String,
        /// e.g. '{"on":"2021-10-20","type":"decided","outcome":"partial","legal_basis":"…"}'.
        #[arg(long)]
        replacement: Option<String>,
    },
}

fn consult_kind(s: &str) -> anyhow::Result<ConsultKind> {
    ConsultKind::parse(s)
        .ok_or_else(|| anyhow!("unknown consultation kind {s}: third_party or co_maker"))
}

fn event_kind(k: EventKindArg) -> anyhow::Result<EventKind> {
    Ok(match k {
        EventKindArg::SupplementRequested { items, period } => EventKind::SupplementRequested {
            items,
            period_working_days: period,
        },
        EventKindArg::SupplementReceived => EventKind::SupplementReceived,
        EventKindArg::SupplementNotReceived => EventKind::SupplementNotReceived,
        EventKindArg::Extension { days, approver } => EventKind::ExtensionApproved {
            working_days: days,
            approver,
        },
        EventKindArg::ConsultationOpened { kind, party } => EventKind::ConsultationOpened {
            kind: consult_kind(&kind)?,
            party,
        },
        EventKindArg::ConsultationAnswered {
            kind,
            party,
            answer,
        } => EventKind::ConsultationAnswered {
            kind: consult_kind(&kind)?,
            party,
            answer: ConsultAnswer::parse(&answer).ok_or_else(|| {
                anyhow!("unknown answer {answer}: consented, objected or no_answer")
            })?,
        },
        EventKindArg::FeeNotice {
            prior,
            items,
            pages,
        } => {
            let basis = match (items, pages) {
                (Some(items), None) => FeeBasis::PerItem {
                    prior: prior.unwrap_or(0),
                    items,
                },
                (None, Some(pages)) => FeeBasis::PerVolume { pages },
                _ => bail!(
                    "a fee notice is per item (--items N [--prior M]) or per volume (--pages P)"
                ),
            };
            EventKind::FeeNoticeIssued {
                amount_yuan: basis.fee(),
                basis,
            }
        }
        EventKindArg::FeePaid => EventKind::FeePaid,
        EventKindArg::FeeUnpaid => EventKind::FeeUnpaid,
        EventKindArg::Decided { outcome, basis } => EventKind::Decided {
            outcome: Outcome::from_key(&outcome).ok_or_else(|| {
                anyhow!(
                    "unknown outcome {outcome}: one of {}",
                    Outcome::ALL.map(|o| o.key()).join(", ")
                )
            })?,
            legal_basis: basis,
        },
        EventKindArg::Withdrawn { reason } => EventKind::Withdrawn { reason },
        EventKindArg::ReplyDelivered { method } => EventKind::ReplyDelivered { method },
        EventKindArg::Correction {
            target,
            reason,
            replacement,
        } => EventKind::Correction {
            target,
            reason,
            replacement: match replacement {
                None => None,
                Some(json) => Some(Box::new(
                    serde_json::from_str::<Event>(&json)
                        .context("--replacement is not an event in JSON")?,
                )),
            },
        },
    })
}

pub(super) async fn event(a: EventArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let kind = event_kind(a.kind)?;
    let app = App::open(&a.data.data).await?;
    let case = application::record_event(
        &app,
        &a.id,
        Event { on: a.on, kind },
        a.actor.as_deref(),
        today,
    )
    .await?;
    let (stored, e) = case
        .events
        .last()
        .ok_or_else(|| anyhow!("the event was not stored"))?;
    println!(
        "{} event {}: {} on {}",
        case.row.number,
        stored.seq,
        e.kind.label(),
        iso(e.on)
    );
    println!("status {}", status_text(case.clock.status));
    app.db.close().await;
    Ok(ExitCode::SUCCESS)
}
