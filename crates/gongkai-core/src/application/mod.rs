//! Applications (依申请公开, Regulation Art. 27–45): who applied and how, what happened to the
//! case as an append-only list of events, which events the state allows, and the statutory
//! clock derived from the events, the working-day calendar and the periods in force
//! (`docs/rules/deadlines.md`).
//!
//! Nothing here is stored: the store keeps the intake and the event log, and calls
//! [`replay`] / [`CaseState::check`] before appending and [`clock`] to show due dates.

mod applicant;
mod channel;
mod clock;
mod event;
mod forms;
mod guards;
mod law;
mod online;
mod outcome;
mod service;
mod state;
mod working;

pub use applicant::{
    Applicant, ApplicantError, Contact, IdType, NaturalPerson, OrgKind, Organisation,
};
pub use channel::{Channel, Delivery, ReceiptError, ReceiptFacts};
pub use clock::{Attention, Clock, ClockStatus, Due, Excluded, ExcludedReason, Line, Pause, clock};
pub use event::{ConsultAnswer, ConsultKind, Event, EventKind};
pub use forms::{CorrectionTarget, EventForm, correction_targets, offered_forms};
pub use law::{
    CONSULTATION_DAYS, FEE_PAYMENT_DAYS, Law, MAX_APPLICANT_PERIOD_DAYS, MAX_EXTENSION_DAYS,
    MAX_REASONABLE_PERIOD_DAYS, Periods, REPLY_DAYS, SUPPLEMENT_NOTICE_DAYS,
};
pub use online::{
    ApplicantType, FieldError, FormErrors, Medium, OnlineApplication, OnlineForm, Provision, field,
    max_chars,
};
pub use outcome::Outcome;
pub use service::{Served, ServedBy, Service};
pub use state::{CaseState, Fee, Phase, Reasons, Refusal, Supplement, effective_events, replay};

/// Serde for `time::Date` as `YYYY-MM-DD` (the store's JSON and the API use it).
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::calendar::iso(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        crate::calendar::parse_iso_date(&s)
            .ok_or_else(|| D::Error::custom(format!("{s:?} is not a date (YYYY-MM-DD)")))
    }
}

/// Serde for `Option<time::Date>` as `YYYY-MM-DD` or null.
pub mod iso_date_opt {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&crate::calendar::iso(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => crate::calendar::parse_iso_date(&s)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("{s:?} is not a date (YYYY-MM-DD)"))),
        }
    }
}

#[cfg(test)]
mod tests;
