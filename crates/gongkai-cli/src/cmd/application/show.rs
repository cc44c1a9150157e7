//! `gongkai application show`: one case as text or JSON.

use super::text::{due_text, status_text};
use super::{DataArg, date_arg};
use crate::cmd::actor::ActorArg;
use clap::{Args, ValueEnum};
use gongkai_app::application::{self, Case};
use gongkai_app::{App, today_in_china};
use gongkai_core::application::ExcludedReason;
use gongkai_core::calendar::iso;
use std::process::ExitCode;
use time::{Date, OffsetDateTime};

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
    /// Print the applicant's full ID number, phone and address (masked otherwise); the
    /// access is recorded under the acting user.
    #[arg(long)]
    pub reveal: bool,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub(super) async fn show(a: ShowArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data.data).await?;
    let done = async {
        let case = if a.reveal {
            let actor = a.actor.resolve(&app).await?;
            application::reveal_identity(&app, &actor, &a.id, OffsetDateTime::now_utc(), today)
                .await?
        } else {
            application::show(&app, &a.id, today).await?
        };
        let view = if a.reveal {
            case.view_full()
        } else {
            case.view()
        };
        anyhow::Ok(match a.format {
            // Stored text printed raw could carry escape sequences to the terminal.
            ShowFormat::Text => gongkai_core::text::escape_terminal(&show_text(&case)),
            ShowFormat::Json => format!("{}\n", serde_json::to_string_pretty(&view)?),
        })
    }
    .await;
    app.db.close().await;
    print!("{}", done?);
    Ok(ExitCode::SUCCESS)
}

fn show_text(c: &Case) -> String {
    let mut s = String::new();
    let k = &c.clock;
    s.push_str(&format!("申请编号 {}\n", c.number));
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
    if let Some(d) = k.fee_payment_due {
        s.push_str(&format!("  payment due        {}\n", due_text(d)));
    }
    if let Some(d) = k.reasons_due {
        s.push_str(&format!("  reasons due        {}\n", due_text(d)));
    }
    s.push_str(&format!("  reply due          {}\n", due_text(k.reply_due)));
    if let Some(d) = k.extended_due {
        s.push_str(&format!("  extended due       {}\n", due_text(d)));
    }
    if let Some(d) = k.reasonable_due {
        s.push_str(&format!("  Art. 35 period due {}\n", due_text(d)));
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
            ExcludedReason::Reasons => "request for reasons (Art. 35) to their arrival".into(),
        };
        s.push_str(&format!(
            "  {} – {}: {why}; {} working days not counted; the other party's period ends {}\n",
            iso(x.from),
            x.to.map(iso).unwrap_or_else(|| "open".into()),
            x.working_days
                .map(|n| n.to_string())
                .unwrap_or_else(|| "?".into()),
            due_text(x.period_end)
        ));
    }
    if !k.attention.is_empty() {
        s.push_str("\nneeds action\n");
        for a in &k.attention {
            s.push_str(&format!("  {}\n", a.line().en));
        }
    }
    s.push_str("\nhow the dates were computed\n");
    for line in &k.working {
        s.push_str(&format!("  {}\n", line.en));
    }
    s.push_str("\nevents\n");
    if c.events.is_empty() {
        s.push_str("  none\n");
    }
    for r in &c.events {
        let e = &r.event;
        s.push_str(&format!(
            "  {:>2}. {} {} ({}){}{}\n",
            r.seq,
            iso(e.on),
            e.kind.label(),
            e.kind.key(),
            r.actor
                .as_deref()
                .map(|a| format!(" by {a}"))
                .unwrap_or_default(),
            r.reason
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default(),
        ));
    }
    s
}
