//! Letters for a case: the case's facts mapped onto [`LetterData`], composed by
//! `gongkai-letters`. The letter is dated by the event it belongs to (the 补正 request, the
//! extension, the consultation, the fee notice, the decision), else today.

use crate::App;
use crate::application::{Case, show};
use crate::error::Result;
use gongkai_core::application::{ConsultKind, Event, EventKind};
use gongkai_letters::{Letter, LetterData, LetterKind, compose};
use time::Date;

/// Composes the letter of `kind` for the case `number`.
pub async fn letter(app: &App, number: &str, kind: LetterKind, today: Date) -> Result<Letter> {
    let case = show(app, number, today).await?;
    Ok(compose(kind, &letter_data(&case, kind, today))?)
}

fn last_event(case: &Case, pred: impl Fn(&EventKind) -> bool) -> Option<&Event> {
    case.events
        .iter()
        .rev()
        .map(|r| &r.event)
        .find(|e| pred(&e.kind))
}

/// The facts of the case that letters use.
pub fn letter_data(case: &Case, kind: LetterKind, today: Date) -> LetterData {
    let state = &case.clock.state;
    let consult = |want: Option<ConsultKind>| {
        last_event(
            case,
            |k| matches!(k, EventKind::ConsultationOpened { kind, .. } if want.is_none_or(|w| w == *kind)),
        )
    };
    let consultation = match kind {
        LetterKind::ConsultThirdParty => consult(Some(ConsultKind::ThirdParty)),
        LetterKind::ConsultCoMaker => consult(Some(ConsultKind::CoMaker)),
        _ => consult(None),
    };
    let party = consultation.and_then(|e| match &e.kind {
        EventKind::ConsultationOpened { party, .. } => Some(party.clone()),
        _ => None,
    });
    let fee_event = last_event(case, |k| matches!(k, EventKind::FeeNoticeIssued { .. }));
    let (fee_amount, fee_basis) = match fee_event.map(|e| &e.kind) {
        Some(EventKind::FeeNoticeIssued {
            amount_yuan, basis, ..
        }) => (Some(*amount_yuan), Some(basis.label().to_string())),
        _ => (None, None),
    };
    // The payment period runs from the applicant's receipt of the notice
    // (`docs/rules/deadlines.md`); printed when it is known.
    let fee_due = case.clock.fee_payment_due.and_then(|d| d.date());
    let date = match kind {
        LetterKind::Receipt => Some(case.received_on),
        LetterKind::Supplement => state.supplement.as_ref().map(|s| s.requested_on),
        LetterKind::Extension => state.extension.as_ref().map(|e| e.2),
        LetterKind::ConsultThirdParty | LetterKind::ConsultCoMaker | LetterKind::ConsultNotice => {
            consultation.map(|e| e.on)
        }
        LetterKind::Fee => fee_event.map(|e| e.on),
        LetterKind::Reply => state.concluded_on,
        LetterKind::Reasons => Some(today),
    };
    let supplement = state.supplement.as_ref();
    LetterData {
        agency: case.agency.name.clone(),
        number: case.number.clone(),
        applicant: case.applicant.name().to_string(),
        received_on: Some(case.received_on),
        channel: case.channel.label().to_string(),
        request: case.intake.request.description.clone(),
        delivery: case.intake.request.delivery.label().to_string(),
        date,
        due: case.clock.reply_due.date(),
        supplement_items: supplement.map(|s| s.items.clone()).unwrap_or_default(),
        supplement_period: supplement.map(|s| s.period_working_days),
        supplement_due: case.clock.supplement_due.and_then(|d| d.date()),
        extension_days: state.extension.as_ref().map(|e| e.0),
        extended_due: case.clock.extended_due.and_then(|d| d.date()),
        party,
        fee_amount,
        fee_basis,
        fee_due,
        outcome: state.outcome,
        legal_basis: state.legal_basis.clone(),
    }
}
