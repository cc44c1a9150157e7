//! `gongkai application register|event|show|list|letter`: applications (依申请公开).

use super::init::block_on;
use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::application::{self, Case, Due, Registration, RequestedInfo};
use gongkai_app::{App, today_in_china};
use gongkai_core::application::{
    Applicant, Channel, ClockStatus, ConsultAnswer, ConsultKind, Contact, Delivery, Due as DueDate,
    Event, EventKind, ExcludedReason, IdType, OrgKind, Outcome, ReceiptFacts,
};
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::fee::FeeBasis;
use std::path::PathBuf;
use std::process::ExitCode;
use time::Date;

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
    Letter(super::letter::LetterArgs),
    /// Check that every case's stored status and outcome agree with its event log (exit 1 when
    /// one does not); --fix rewrites them from the log.
    CheckProjections {
        #[command(flatten)]
        data: DataArg,
        #[arg(long)]
        fix: bool,
    },
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_iso_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

fn channel_arg(s: &str) -> Result<Channel, String> {
    Channel::parse(s).ok_or_else(|| {
        format!(
            "unknown channel {s:?}: one of {}",
            Channel::ALL.map(|c| c.key()).join(", ")
        )
    })
}

fn delivery_arg(s: &str) -> Result<Delivery, String> {
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

#[derive(Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// The agency's name or organisation code.
    #[arg(long)]
    pub agency: String,
    /// in_person (当面), mail (邮寄), ordinary_letter (平信), online (网络), fax (传真), email (电子邮件).
    #[arg(long, value_parser = channel_arg)]
    pub channel: Channel,
    /// The day it arrived (handed in, signed for, received).
    #[arg(long, value_parser = date_arg)]
    pub arrived: Date,
    /// The day it was confirmed with the applicant (平信, 网络, 传真; Art. 31).
    #[arg(long, value_parser = date_arg)]
    pub confirmed: Option<Date>,
    /// A natural person's name (with --id-type and --id-number).
    #[arg(long, conflicts_with = "org")]
    pub person: Option<String>,
    /// resident_id_card, residence_permit, foreign_permanent_residence, passport, hk_macao_permit, taiwan_permit, other.
    #[arg(long, default_value = "resident_id_card")]
    pub id_type: String,
    #[arg(long)]
    pub id_number: Option<String>,
    /// An organisation's name (with --org-kind, --credit-code, --contact-person).
    #[arg(long)]
    pub org: Option<String>,
    /// commercial, research, social_welfare, legal_service, other.
    #[arg(long)]
    pub org_kind: Option<String>,
    #[arg(long)]
    pub credit_code: Option<String>,
    #[arg(long)]
    pub contact_person: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub postcode: Option<String>,
    /// What information is requested (所需信息的内容描述).
    #[arg(long)]
    pub request: String,
    /// How to obtain it: collect, post, express, email, fax.
    #[arg(long, value_parser = delivery_arg, default_value = "post")]
    pub delivery: Delivery,
    /// Today's date (default: today in China); for back-office entry of past cases and tests.
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
}

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

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub data: DataArg,
    pub id: String,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub data: DataArg,
    #[arg(long)]
    pub agency: Option<String>,
    /// Cases due within N working days (default 5).
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "5", conflicts_with = "overdue")]
    pub due_soon: Option<u32>,
    /// Cases past their due date.
    #[arg(long)]
    pub overdue: bool,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
}

pub fn run(cmd: ApplicationCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            ApplicationCommand::Register(a) => register(*a).await,
            ApplicationCommand::Event(a) => event(a).await,
            ApplicationCommand::Show(a) => show(a).await,
            ApplicationCommand::List(a) => list(a).await,
            ApplicationCommand::Letter(a) => super::letter::run(a).await,
            ApplicationCommand::CheckProjections { data, fix } => {
                let app = App::open(&data.data).await?;
                let differing = application::check_projections(&app, fix).await;
                app.db.close().await;
                let differing = differing?;
                for n in &differing {
                    println!(
                        "{n}\t{}",
                        if fix {
                            "rewritten from its log"
                        } else {
                            "differs from its log"
                        }
                    );
                }
                Ok(if differing.is_empty() || fix {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
        }
    })?
}

fn applicant(a: &RegisterArgs, today: Date) -> anyhow::Result<Applicant> {
    let contact = Contact {
        phone: a.phone.clone(),
        email: a.email.clone(),
        address: a.address.clone(),
        postcode: a.postcode.clone(),
    };
    let applicant = match (&a.person, &a.org) {
        (Some(name), None) => {
            let id_type = IdType::parse(&a.id_type)
                .ok_or_else(|| anyhow!("unknown --id-type {}", a.id_type))?;
            let number = a
                .id_number
                .as_deref()
                .ok_or_else(|| anyhow!("--person needs --id-number"))?;
            Applicant::person(name, id_type, number, contact, today)
        }
        (None, Some(name)) => {
            let kind = a
                .org_kind
                .as_deref()
                .ok_or_else(|| anyhow!("--org needs --org-kind (commercial, research, social_welfare, legal_service, other)"))?;
            let kind = OrgKind::parse(kind).ok_or_else(|| anyhow!("unknown --org-kind {kind}"))?;
            let code = a
                .credit_code
                .as_deref()
                .ok_or_else(|| anyhow!("--org needs --credit-code"))?;
            let person = a
                .contact_person
                .as_deref()
                .ok_or_else(|| anyhow!("--org needs --contact-person"))?;
            Applicant::organisation(name, kind, code, person, contact)
        }
        _ => bail!(
            "give the applicant: --person NAME (a natural person) or --org NAME (an organisation)"
        ),
    };
    applicant.map_err(|e| anyhow!("invalid applicant: {e}"))
}

async fn register(a: RegisterArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    if a.channel.needs_confirmation() && a.confirmed.is_none() {
        bail!(
            "an application by {} ({}) counts as received on the day of confirmation (Art. 31): add --confirmed DATE",
            a.channel.label(),
            a.channel.key()
        );
    }
    let applicant = applicant(&a, today)?;
    let app = App::open(&a.data.data).await?;
    let reg = application::register(
        &app,
        Registration {
            agency: a.agency.clone(),
            channel: a.channel,
            receipt: ReceiptFacts {
                arrived_on: a.arrived,
                confirmed_on: a.confirmed,
            },
            applicant,
            request: RequestedInfo {
                description: a.request.clone(),
                delivery: a.delivery,
            },
        },
        today,
    )
    .await?;
    println!("申请编号 {}", reg.number);
    println!(
        "查询码   {}  (shown once; only a digest is stored)",
        reg.query_code
    );
    println!("agency   {}", reg.agency.name);
    println!("received {}", iso(reg.received_on));
    println!("due      {}", due_text(reg.clock.due));
    app.db.close().await;
    Ok(ExitCode::SUCCESS)
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

async fn event(a: EventArgs) -> anyhow::Result<ExitCode> {
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

async fn show(a: ShowArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data.data).await?;
    let case = application::show(&app, &a.id, today).await?;
    let out = match a.format {
        ShowFormat::Text => show_text(&case),
        ShowFormat::Json => format!("{}\n", serde_json::to_string_pretty(&case_json(&case))?),
    };
    print!("{out}");
    app.db.close().await;
    Ok(ExitCode::SUCCESS)
}

fn due_text(d: DueDate) -> String {
    match d {
        DueDate::On(d) => iso(d),
        DueDate::Paused { remaining } => {
            format!("paused ({remaining} working days left when the clock runs again)")
        }
        DueDate::AwaitingSupplement => {
            "waiting for the supplement (补正); the count restarts when it arrives".into()
        }
        DueDate::NoCalendar { year } => format!("unknown: no holiday calendar for {year}"),
    }
}

fn status_text(s: ClockStatus) -> String {
    match s {
        ClockStatus::OnTime { due, remaining: 0 } => format!("on time, due today ({})", iso(due)),
        ClockStatus::OnTime { due, remaining } => {
            format!("on time, due in {remaining} working days ({})", iso(due))
        }
        ClockStatus::Overdue { due, by } => {
            format!("OVERDUE by {by} working days (due {})", iso(due))
        }
        ClockStatus::Paused { remaining } => format!("clock paused, {remaining} working days left"),
        ClockStatus::AwaitingSupplement { until } => match until {
            Some(d) => format!("waiting for the supplement until {}", iso(d)),
            None => "waiting for the supplement".into(),
        },
        ClockStatus::Concluded { on, late_by: 0 } => format!("concluded on {} (on time)", iso(on)),
        ClockStatus::Concluded { on, late_by } => {
            format!("concluded on {} ({late_by} working days late)", iso(on))
        }
        ClockStatus::Unknown { year } => format!("unknown: no holiday calendar for {year}"),
    }
}

fn show_text(c: &Case) -> String {
    let mut s = String::new();
    let k = &c.clock;
    s.push_str(&format!("申请编号 {}\n", c.row.number));
    s.push_str(&format!("agency   {}\n", c.agency.name));
    s.push_str(&format!(
        "applicant {} ({})\n",
        c.applicant.name(),
        c.applicant.t3_col().label()
    ));
    s.push_str(&format!("request  {}\n", c.intake.request.description));
    s.push_str(&format!(
        "channel  {} ({}); delivery {}\n",
        c.channel.label(),
        c.channel.key(),
        c.intake.request.delivery.label()
    ));
    s.push_str(&format!("status   {}\n", status_text(k.status)));
    if let Some(o) = k.state.outcome {
        s.push_str(&format!("outcome  {} ({})\n", o.label(), o.key()));
    }
    s.push_str("\ndue dates\n");
    s.push_str(&format!(
        "  补正 notice by      {}\n",
        due_text(k.supplement_notice_due)
    ));
    if let Some(d) = k.supplement_due {
        s.push_str(&format!("  supplement due     {}\n", due_text(d)));
    }
    s.push_str(&format!("  reply due          {}\n", due_text(k.reply_due)));
    if let Some(d) = k.extended_due {
        s.push_str(&format!("  extended due       {}\n", due_text(d)));
    }
    s.push_str(&format!("  due (in force)     {}\n", due_text(k.due)));
    s.push_str("\nexcluded periods\n");
    if k.excluded.is_empty() {
        s.push_str("  none\n");
    }
    for x in &k.excluded {
        let why = match &x.reason {
            ExcludedReason::Consultation { kind, party } => {
                format!("consultation with {} {party}", kind.label())
            }
            ExcludedReason::Fee => "fee notice to payment".into(),
        };
        s.push_str(&format!(
            "  {} – {}: {why}; {} working days not counted\n",
            iso(x.from),
            x.to.map(iso).unwrap_or_else(|| "open".into()),
            x.working_days
                .map(|n| n.to_string())
                .unwrap_or_else(|| "?".into())
        ));
    }
    s.push_str("\nhow the dates were computed\n");
    for line in &k.working {
        s.push_str(&format!("  {}\n", line.en));
    }
    s.push_str("\nevents\n");
    if c.events.is_empty() {
        s.push_str("  none\n");
    }
    for (stored, e) in &c.events {
        s.push_str(&format!(
            "  {:>2}. {} {} ({}){}{}\n",
            stored.seq,
            iso(e.on),
            e.kind.label(),
            e.kind.key(),
            stored
                .actor
                .as_deref()
                .map(|a| format!(" by {a}"))
                .unwrap_or_default(),
            stored
                .reason
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default(),
        ));
    }
    s
}

fn due_json(d: DueDate) -> serde_json::Value {
    match d {
        DueDate::On(d) => serde_json::json!({"on": iso(d)}),
        DueDate::Paused { remaining } => serde_json::json!({"paused": {"remaining": remaining}}),
        DueDate::AwaitingSupplement => serde_json::json!("awaiting_supplement"),
        DueDate::NoCalendar { year } => serde_json::json!({"no_calendar": year}),
    }
}

fn case_json(c: &Case) -> serde_json::Value {
    let k = &c.clock;
    serde_json::json!({
        "number": c.row.number,
        "agency": c.agency.name,
        "received_on": iso(c.row.received_on),
        "channel": c.channel.key(),
        "applicant": c.applicant,
        "intake": c.intake,
        "status": c.row.status,
        "outcome": c.row.outcome,
        "closed_on": c.row.closed_on.map(iso),
        "clock": {
            "count_from": iso(k.count_from),
            "supplement_notice_due": due_json(k.supplement_notice_due),
            "supplement_due": k.supplement_due.map(due_json),
            "reply_due": due_json(k.reply_due),
            "extended_due": k.extended_due.map(due_json),
            "due": due_json(k.due),
            "status": status_text(k.status),
            "working": k.working.iter().map(|l| serde_json::json!({"en": l.en, "zh": l.zh})).collect::<Vec<_>>(),
        },
        "events": c.events.iter().map(|(s, e)| serde_json::json!({
            "seq": s.seq, "event": e, "actor": s.actor, "reason": s.reason,
            "recorded_at": s.recorded_at.to_string(),
        })).collect::<Vec<_>>(),
    })
}

async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let due = match (a.due_soon, a.overdue) {
        (Some(n), _) => Due::Soon(n),
        (None, true) => Due::Overdue,
        (None, false) => Due::Open,
    };
    let app = App::open(&a.data.data).await?;
    let cases = application::list_due(&app, a.agency.as_deref(), due, today).await?;
    for c in &cases {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            c.row.number,
            iso(c.row.received_on),
            due_text(c.clock.due),
            status_text(c.clock.status),
            c.agency.name
        );
    }
    if cases.is_empty() {
        eprintln!("no cases");
    }
    app.db.close().await;
    Ok(ExitCode::SUCCESS)
}
