//! A case as the front ends see it, and its JSON view (`application show --format json`, the
//! API). Store rows stay in the store; ids are typed; dates are `YYYY-MM-DD`.

use super::Intake;
use crate::agency::AgencyView;
use gongkai_core::application::{
    Applicant, Attention, Channel, Clock, Due, Event, Excluded, ExcludedReason, Outcome, Phase,
};
use gongkai_core::calendar::iso;
use gongkai_core::ids::{ApplicationId, UserId};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use time::{Date, OffsetDateTime};

/// A case with its parsed parts, its events and its clock at a given day.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: ApplicationId,
    /// 申请编号.
    pub number: String,
    pub agency: AgencyView,
    /// 收到申请之日 (Art. 31).
    pub received_on: Date,
    pub channel: Channel,
    pub applicant: Applicant,
    pub intake: Intake,
    /// The stored projection of the log (what table 三 counts).
    pub status: Phase,
    pub outcome: Option<Outcome>,
    pub closed_on: Option<Date>,
    pub events: Vec<RecordedEvent>,
    pub clock: Clock,
}

/// One event of the log with who recorded it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    /// 1-based position in the log.
    pub seq: u32,
    pub event: Event,
    /// The display name of the user who recorded it, at the time.
    pub actor: Option<String>,
    pub actor_id: Option<UserId>,
    /// Why, for a correction or a withdrawal.
    pub reason: Option<String>,
    /// For a correction: the position of the event it replaces or retracts.
    pub corrects: Option<u32>,
    pub recorded_at: OffsetDateTime,
}

impl Case {
    /// The JSON form with the applicant's ID number, phone and address masked (PI-7): what
    /// every list, export and `show` prints.
    pub fn view(&self) -> CaseView<'_> {
        CaseView(self, false)
    }

    /// The JSON form with the full identity: only for a caller who went through
    /// [`super::reveal_identity`], which records the access.
    pub fn view_full(&self) -> CaseView<'_> {
        CaseView(self, true)
    }
}

/// The JSON form of a case; the flag says whether the identity is shown in full.
pub struct CaseView<'a>(pub &'a Case, bool);

#[derive(Serialize)]
struct CaseJson<'a> {
    id: ApplicationId,
    number: &'a str,
    /// The agency's name (`agency_id` names it for programs).
    agency: &'a str,
    agency_id: gongkai_core::ids::AgencyId,
    received_on: String,
    channel: &'static str,
    applicant: Applicant,
    intake: &'a Intake,
    status: &'static str,
    outcome: Option<&'static str>,
    closed_on: Option<String>,
    clock: ClockView<'a>,
    events: Vec<EventJson<'a>>,
}

#[derive(Serialize)]
struct EventJson<'a> {
    seq: u32,
    event: &'a Event,
    actor: Option<&'a str>,
    actor_id: Option<UserId>,
    reason: Option<&'a str>,
    corrects: Option<u32>,
    #[serde(with = "time::serde::rfc3339")]
    recorded_at: OffsetDateTime,
}

impl Serialize for CaseView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        CaseJson {
            id: c.id,
            number: &c.number,
            agency: &c.agency.name,
            agency_id: c.agency.id,
            received_on: iso(c.received_on),
            channel: c.channel.key(),
            applicant: if self.1 {
                c.applicant.clone()
            } else {
                masked(&c.applicant)
            },
            intake: &c.intake,
            status: c.status.key(),
            outcome: c.outcome.map(Outcome::key),
            closed_on: c.closed_on.map(iso),
            clock: ClockView(&c.clock),
            events: c
                .events
                .iter()
                .map(|e| EventJson {
                    seq: e.seq,
                    event: &e.event,
                    actor: e.actor.as_deref(),
                    actor_id: e.actor_id,
                    reason: e.reason.as_deref(),
                    corrects: e.corrects,
                    recorded_at: e.recorded_at,
                })
                .collect(),
        }
        .serialize(s)
    }
}

/// A due date as JSON: `{"on": "2021-11-03"}`, `{"paused": {"remaining": 16}}`,
/// `"awaiting_supplement"`, `{"no_calendar": 2027}` or `"receipt_unknown"`.
pub struct DueView(pub Due);

impl Serialize for DueView {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Due::On(d) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("on", &iso(d))?;
                m.end()
            }
            Due::Paused { remaining } => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("paused", &serde_json::json!({ "remaining": remaining }))?;
                m.end()
            }
            Due::AwaitingSupplement => s.serialize_str("awaiting_supplement"),
            Due::NoCalendar { year } => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("no_calendar", &year)?;
                m.end()
            }
            Due::ReceiptUnknown => s.serialize_str("receipt_unknown"),
        }
    }
}

/// The clock as JSON.
pub struct ClockView<'a>(pub &'a Clock);

#[derive(Serialize)]
struct Text<'a> {
    zh: &'a str,
    en: &'a str,
}

#[derive(Serialize)]
struct StatusJson<'a> {
    key: &'static str,
    zh: &'a str,
    en: &'a str,
}

#[derive(Serialize)]
struct ExcludedJson {
    from: String,
    to: Option<String>,
    reason: &'static str,
    party: Option<String>,
    letter: u32,
    letter_received_on: Option<String>,
    period_end: DueView,
    working_days: Option<u32>,
}

#[derive(Serialize)]
struct AttentionJson {
    key: &'static str,
    zh: String,
    en: String,
}

#[derive(Serialize)]
struct ClockJson<'a> {
    count_from: String,
    supplement_notice_due: DueView,
    supplement_due: Option<DueView>,
    fee_payment_due: Option<DueView>,
    reasons_due: Option<DueView>,
    reply_due: DueView,
    extended_due: Option<DueView>,
    reasonable_due: Option<DueView>,
    due: DueView,
    status: StatusJson<'a>,
    excluded: Vec<ExcludedJson>,
    attention: Vec<AttentionJson>,
    working: Vec<Text<'a>>,
}

fn excluded_json(x: &Excluded) -> ExcludedJson {
    let (reason, party) = match &x.reason {
        ExcludedReason::Consultation { kind, party } => (kind.key(), Some(party.clone())),
        ExcludedReason::Fee => ("fee", None),
        ExcludedReason::Reasons => ("reasons", None),
    };
    ExcludedJson {
        from: iso(x.from),
        to: x.to.map(iso),
        reason,
        party,
        letter: x.letter,
        letter_received_on: x.letter_received_on.map(iso),
        period_end: DueView(x.period_end),
        working_days: x.working_days,
    }
}

fn attention_json(a: &Attention) -> AttentionJson {
    let l = a.line();
    AttentionJson {
        key: a.key(),
        zh: l.zh,
        en: l.en,
    }
}

impl Serialize for ClockView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let k = self.0;
        ClockJson {
            count_from: iso(k.count_from),
            supplement_notice_due: DueView(k.supplement_notice_due),
            supplement_due: k.supplement_due.map(DueView),
            fee_payment_due: k.fee_payment_due.map(DueView),
            reasons_due: k.reasons_due.map(DueView),
            reply_due: DueView(k.reply_due),
            extended_due: k.extended_due.map(DueView),
            reasonable_due: k.reasonable_due.map(DueView),
            due: DueView(k.due),
            status: StatusJson {
                key: k.status.key(),
                zh: &k.status_line.zh,
                en: &k.status_line.en,
            },
            excluded: k.excluded.iter().map(excluded_json).collect(),
            attention: k.attention.iter().map(attention_json).collect(),
            working: k
                .working
                .iter()
                .map(|l| Text {
                    zh: &l.zh,
                    en: &l.en,
                })
                .collect(),
        }
        .serialize(s)
    }
}

/// The applicant with ID number, phone, e-mail and address masked (PI-7).
fn masked(a: &Applicant) -> Applicant {
    use super::mask::{mask_address, mask_email, mask_id, mask_phone};
    let contact = |c: &gongkai_core::application::Contact| gongkai_core::application::Contact {
        phone: c.phone.as_deref().map(mask_phone),
        email: c.email.as_deref().map(mask_email),
        address: c.address.as_deref().map(mask_address),
        postcode: c.postcode.clone(),
    };
    match a {
        Applicant::Person(p) => {
            let mut p = p.clone();
            p.id_number = mask_id(&p.id_number);
            p.contact = contact(&p.contact);
            Applicant::Person(p)
        }
        Applicant::Organisation(o) => {
            let mut o = o.clone();
            o.contact = contact(&o.contact);
            Applicant::Organisation(o)
        }
    }
}
