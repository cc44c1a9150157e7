//! `gongkai application register`: intake of one application.

use super::text::due_text;
use super::{DataArg, channel_arg, date_arg, delivery_arg};
use crate::cmd::actor::ActorArg;
use anyhow::{anyhow, bail};
use clap::Args;
use gongkai_app::application::{self, Registration, RequestedInfo};
use gongkai_app::{App, today_in_china};
use gongkai_core::application::{
    Applicant, Channel, Contact, Delivery, IdType, OrgKind, ReceiptFacts,
};
use gongkai_core::calendar::iso;
use std::process::ExitCode;
use time::Date;

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
    #[command(flatten)]
    pub actor: ActorArg,
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

pub(super) async fn register(a: RegisterArgs) -> anyhow::Result<ExitCode> {
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
    let actor = a.actor.resolve(&app).await?;
    let reg = application::register(
        &app,
        &actor,
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
    say!("申请编号 {}", reg.number);
    say!(
        "查询码   {}  (shown once; only a digest is stored)",
        reg.query_code
    );
    say!("agency   {}", reg.agency.name);
    say!("received {}", iso(reg.received_on));
    say!("due      {}", due_text(reg.clock.due));
    app.db.close().await;
    Ok(ExitCode::SUCCESS)
}
