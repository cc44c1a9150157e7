//! `gongkai application event`: append one event to a case's log.

use super::text::status_text;
use super::{DataArg, date_arg, delivery_arg};
use crate::cmd::actor::ActorArg;
use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use gongkai_app::application;
use gongkai_app::{App, today_in_china};
use gongkai_core::application::{
    ConsultAnswer, ConsultKind, Delivery, Event, EventKind, Outcome, ServedBy, Service,
};
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
    #[command(flatten)]
    pub actor: ActorArg,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[command(subcommand)]
    pub kind: EventKindArg,
}

/// How a letter that starts the other party's period was sent, and when it was received.
#[derive(Args, Clone, Copy)]
pub struct ServiceArgs {
    /// in-person (the default), post, express, email, fax or online.
    #[arg(long, value_parser = served_by_arg, default_value = "in-person")]
    pub sent_by: ServedBy,
    /// The day the other party received it (post or courier: from the return receipt; later
    /// with `letter-received`). In person, email, fax and online letters arrive the day sent.
    #[arg(long, value_parser = date_arg)]
    pub received: Option<Date>,
}

impl From<ServiceArgs> for Service {
    fn from(a: ServiceArgs) -> Service {
        Service {
            by: a.sent_by,
            received_on: a.received,
        }
    }
}

fn served_by_arg(s: &str) -> Result<ServedBy, String> {
    ServedBy::parse(s).ok_or_else(|| {
        format!(
            "unknown way of sending {s:?}: one of {}",
            ServedBy::ALL.map(|m| m.key().replace('_', "-")).join(", ")
        )
    })
}

#[derive(Subcommand)]
pub enum EventKindArg {
    /// 补正告知: the items to supplement, once and completely, and the period.
    SupplementRequested {
        #[arg(long = "item", required = true)]
        items: Vec<String>,
        /// The applicant's period in working days (1 to 60), from the receipt of the notice.
        #[arg(long)]
        period: u32,
        #[command(flatten)]
        service: ServiceArgs,
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
        #[command(flatten)]
        service: ServiceArgs,
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
        #[command(flatten)]
        service: ServiceArgs,
    },
    FeePaid,
    /// The payment period (20 working days from the receipt of the notice) has passed unpaid.
    FeeUnpaid,
    /// The other party received letter number --target on --received (its return receipt).
    LetterReceived {
        #[arg(long)]
        target: u32,
        #[arg(long, value_parser = date_arg)]
        received: Date,
    },
    /// Art. 35: ask the applicant to state reasons for mass or repeated applications.
    ReasonsRequested {
        /// The applicant's period in working days (1 to 60), from the receipt of the letter.
        #[arg(long)]
        period: u32,
        #[command(flatten)]
        service: ServiceArgs,
    },
    /// Art. 35: the applicant's reasons arrived.
    ReasonsReceived,
    /// Art. 35: the applicant's period passed without reasons.
    ReasonsNotReceived,
    /// Art. 35: the reasons are reasonable; the reply is due --days working days from the
    /// receipt (more than 20, at most 120), counted like the Art. 33 period.
    ReplyPeriodSet {
        #[arg(long)]
        days: u32,
    },
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
        EventKindArg::SupplementRequested {
            items,
            period,
            service,
        } => EventKind::SupplementRequested {
            items,
            period_working_days: period,
            service: service.into(),
        },
        EventKindArg::SupplementReceived => EventKind::SupplementReceived,
        EventKindArg::SupplementNotReceived => EventKind::SupplementNotReceived,
        EventKindArg::Extension { days, approver } => EventKind::ExtensionApproved {
            working_days: days,
            approver,
        },
        EventKindArg::ConsultationOpened {
            kind,
            party,
            service,
        } => EventKind::ConsultationOpened {
            kind: consult_kind(&kind)?,
            party,
            service: service.into(),
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
            service,
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
            // Bounded before the fee is computed, so a typing slip is refused, not charged.
            if let Err((en, _)) = basis.check() {
                bail!("{en}");
            }
            EventKind::FeeNoticeIssued {
                amount_yuan: basis.fee(),
                basis,
                service: service.into(),
            }
        }
        EventKindArg::FeePaid => EventKind::FeePaid,
        EventKindArg::FeeUnpaid => EventKind::FeeUnpaid,
        EventKindArg::LetterReceived { target, received } => EventKind::LetterReceived {
            target,
            received_on: received,
        },
        EventKindArg::ReasonsRequested { period, service } => EventKind::ReasonsRequested {
            period_working_days: period,
            service: service.into(),
        },
        EventKindArg::ReasonsReceived => EventKind::ReasonsReceived,
        EventKindArg::ReasonsNotReceived => EventKind::ReasonsNotReceived,
        EventKindArg::ReplyPeriodSet { days } => EventKind::ReplyPeriodSet { working_days: days },
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
    let actor = a.actor.resolve(&app).await?;
    let case =
        application::record_event(&app, &actor, &a.id, Event { on: a.on, kind }, today).await?;
    let last = case
        .events
        .last()
        .ok_or_else(|| anyhow!("the event was not stored"))?;
    say!(
        "{} event {}: {} on {}",
        case.number,
        last.seq,
        last.event.kind.label(),
        iso(last.event.on)
    );
    say!("status {}", status_text(case.clock.status));
    app.db.close().await;
    Ok(ExitCode::SUCCESS)
}
