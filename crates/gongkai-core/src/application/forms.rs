//! Which event forms a case offers in its current state: the back office shows one form per
//! event the state machine can accept now (docs/back-office.md). This is a guide for the
//! screen, not the law: what depends on a period having run out (逾期未补正, 逾期未缴费, 逾期未
//! 提出意见) is offered once its precondition exists, and the state machine
//! ([`super::CaseState::check_append`]) still decides, refusing with its reason.

use super::clock::ExcludedReason;
use super::{CaseState, Event, EventKind, Phase, effective_events};

/// One form of the case page, named after the event it records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventForm {
    SupplementRequested,
    SupplementReceived,
    SupplementNotReceived,
    ExtensionApproved,
    ConsultationOpened,
    ConsultationAnswered,
    FeeNoticeIssued,
    FeePaid,
    FeeUnpaid,
    LetterReceived,
    ReasonsRequested,
    ReasonsReceived,
    ReasonsNotReceived,
    ReplyPeriodSet,
    Decided,
    Withdrawn,
    ReplyDelivered,
    Correction,
}

impl EventForm {
    pub const ALL: [EventForm; 18] = [
        EventForm::SupplementRequested,
        EventForm::SupplementReceived,
        EventForm::SupplementNotReceived,
        EventForm::ExtensionApproved,
        EventForm::ConsultationOpened,
        EventForm::ConsultationAnswered,
        EventForm::FeeNoticeIssued,
        EventForm::FeePaid,
        EventForm::FeeUnpaid,
        EventForm::LetterReceived,
        EventForm::ReasonsRequested,
        EventForm::ReasonsReceived,
        EventForm::ReasonsNotReceived,
        EventForm::ReplyPeriodSet,
        EventForm::Decided,
        EventForm::Withdrawn,
        EventForm::ReplyDelivered,
        EventForm::Correction,
    ];

    /// The key in the form's address: the event's key with `-` for `_`.
    pub fn key(self) -> &'static str {
        match self {
            EventForm::SupplementRequested => "supplement-requested",
            EventForm::SupplementReceived => "supplement-received",
            EventForm::SupplementNotReceived => "supplement-not-received",
            EventForm::ExtensionApproved => "extension-approved",
            EventForm::ConsultationOpened => "consultation-opened",
            EventForm::ConsultationAnswered => "consultation-answered",
            EventForm::FeeNoticeIssued => "fee-notice-issued",
            EventForm::FeePaid => "fee-paid",
            EventForm::FeeUnpaid => "fee-unpaid",
            EventForm::LetterReceived => "letter-received",
            EventForm::ReasonsRequested => "reasons-requested",
            EventForm::ReasonsReceived => "reasons-received",
            EventForm::ReasonsNotReceived => "reasons-not-received",
            EventForm::ReplyPeriodSet => "reply-period-set",
            EventForm::Decided => "decided",
            EventForm::Withdrawn => "withdrawn",
            EventForm::ReplyDelivered => "reply-delivered",
            EventForm::Correction => "correction",
        }
    }

    pub fn parse(s: &str) -> Option<EventForm> {
        EventForm::ALL.into_iter().find(|f| f.key() == s)
    }

    /// The form that records events of `kind`.
    pub fn of(kind: &EventKind) -> EventForm {
        match kind {
            EventKind::SupplementRequested { .. } => EventForm::SupplementRequested,
            EventKind::SupplementReceived => EventForm::SupplementReceived,
            EventKind::SupplementNotReceived => EventForm::SupplementNotReceived,
            EventKind::ExtensionApproved { .. } => EventForm::ExtensionApproved,
            EventKind::ConsultationOpened { .. } => EventForm::ConsultationOpened,
            EventKind::ConsultationAnswered { .. } => EventForm::ConsultationAnswered,
            EventKind::FeeNoticeIssued { .. } => EventForm::FeeNoticeIssued,
            EventKind::FeePaid => EventForm::FeePaid,
            EventKind::FeeUnpaid => EventForm::FeeUnpaid,
            EventKind::LetterReceived { .. } => EventForm::LetterReceived,
            EventKind::ReasonsRequested { .. } => EventForm::ReasonsRequested,
            EventKind::ReasonsReceived => EventForm::ReasonsReceived,
            EventKind::ReasonsNotReceived => EventForm::ReasonsNotReceived,
            EventKind::ReplyPeriodSet { .. } => EventForm::ReplyPeriodSet,
            EventKind::Decided { .. } => EventForm::Decided,
            EventKind::Withdrawn { .. } => EventForm::Withdrawn,
            EventKind::ReplyDelivered { .. } => EventForm::ReplyDelivered,
            EventKind::Correction { .. } => EventForm::Correction,
        }
    }

    /// The form's heading.
    pub fn label(self) -> &'static str {
        match self {
            EventForm::SupplementRequested => "告知补正（条例第三十条）",
            EventForm::SupplementReceived => "收到补正",
            EventForm::SupplementNotReceived => "逾期未补正（视为放弃申请）",
            EventForm::ExtensionApproved => "延期答复（经负责人同意，条例第三十三条）",
            EventForm::ConsultationOpened => "征求意见（条例第三十二条、第三十四条）",
            EventForm::ConsultationAnswered => "收到意见或逾期未提出意见",
            EventForm::FeeNoticeIssued => "发出收费通知",
            EventForm::FeePaid => "缴纳费用",
            EventForm::FeeUnpaid => "逾期未缴费",
            EventForm::LetterReceived => "文书送达（回执）",
            EventForm::ReasonsRequested => "要求说明理由（条例第三十五条）",
            EventForm::ReasonsReceived => "收到理由说明",
            EventForm::ReasonsNotReceived => "逾期未说明理由",
            EventForm::ReplyPeriodSet => "确定延迟答复期限（条例第三十五条）",
            EventForm::Decided => "作出答复",
            EventForm::Withdrawn => "申请人撤回申请",
            EventForm::ReplyDelivered => "送达答复",
            EventForm::Correction => "更正",
        }
    }
}

/// An event a correction may name (docs/back-office.md#corrections): its 1-based position in
/// the log, the event as recorded, and the version in force after the corrections so far
/// (`None` once retracted; a retracted event can be put back by correcting it again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionTarget {
    pub seq: u32,
    pub recorded: Event,
    pub current: Option<Event>,
}

/// The events of `log` a correction may name: every event that is not itself a correction, in
/// log order (what the state machine's [`effective_events`] accepts as a target).
pub fn correction_targets(log: &[Event]) -> Vec<CorrectionTarget> {
    let effective = effective_events(log).unwrap_or_default();
    log.iter()
        .enumerate()
        .filter(|(_, e)| !matches!(e.kind, EventKind::Correction { .. }))
        .map(|(i, e)| {
            let seq = i as u32 + 1;
            CorrectionTarget {
                seq,
                recorded: e.clone(),
                current: effective
                    .iter()
                    .find(|(s, _)| *s == seq)
                    .map(|(_, e)| e.clone()),
            }
        })
        .collect()
}

/// The forms a case offers now, in the order of [`EventForm::ALL`]. `log_len` is the number
/// of events recorded (a correction needs one to name).
pub fn offered_forms(state: &CaseState, log_len: usize) -> Vec<EventForm> {
    use EventForm as F;
    let open_pause = |pred: fn(&ExcludedReason) -> bool| {
        state
            .pauses
            .iter()
            .any(|p| p.to.is_none() && pred(&p.reason))
    };
    let consulting = open_pause(|r| matches!(r, ExcludedReason::Consultation { .. }));
    let any_pause = state.pauses.iter().any(|p| p.to.is_none());
    let unreceived_letter = state.letters.iter().any(|l| l.received().is_none());
    let reasons_open = state.reasons.is_some_and(|r| r.answered.is_none());
    let mut out: Vec<EventForm> = Vec::new();
    match state.phase {
        Phase::Concluded | Phase::Withdrawn => {
            if state.reply_delivered_on.is_none() {
                out.push(F::ReplyDelivered);
            }
        }
        Phase::AwaitingSupplement => {
            out.extend([F::SupplementReceived, F::SupplementNotReceived]);
            if unreceived_letter {
                out.push(F::LetterReceived);
            }
            out.push(F::Withdrawn);
        }
        Phase::Processing => {
            if state.supplement.is_none() && !any_pause {
                out.push(F::SupplementRequested);
            }
            if state.extension.is_none() && state.reasonable_period.is_none() {
                out.push(F::ExtensionApproved);
            }
            out.push(F::ConsultationOpened);
            if consulting {
                out.push(F::ConsultationAnswered);
            }
            if state.fee.is_none() {
                out.push(F::FeeNoticeIssued);
            }
            if state.fee_pending() {
                out.extend([F::FeePaid, F::FeeUnpaid]);
            }
            if unreceived_letter {
                out.push(F::LetterReceived);
            }
            if state.reasons.is_none() {
                out.push(F::ReasonsRequested);
            }
            if reasons_open {
                out.extend([F::ReasonsReceived, F::ReasonsNotReceived]);
            }
            if state
                .reasons
                .is_some_and(|r| r.answered.is_some_and(|a| a.1))
                && state.reasonable_period.is_none()
            {
                out.push(F::ReplyPeriodSet);
            }
            if !any_pause {
                out.push(F::Decided);
            }
            out.push(F::Withdrawn);
        }
    }
    if log_len > 0 {
        out.push(F::Correction);
    }
    out.sort_by_key(|f| EventForm::ALL.iter().position(|a| a == f));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{
        ConsultAnswer, ConsultKind, Event, EventKind, Law, Outcome, Service, replay,
    };
    use crate::calendar::Calendar;
    use time::macros::date;

    fn state(log: &[Event]) -> CaseState {
        let cal = Calendar::builtin();
        replay(date!(2021 - 03 - 01), log, Law::new(&cal)).expect("replay")
    }

    fn ev(on: time::Date, kind: EventKind) -> Event {
        Event { on, kind }
    }

    #[test]
    fn every_form_has_a_distinct_key_that_parses() {
        let keys: std::collections::HashSet<_> = EventForm::ALL.iter().map(|f| f.key()).collect();
        assert_eq!(keys.len(), EventForm::ALL.len());
        for f in EventForm::ALL {
            assert_eq!(EventForm::parse(f.key()), Some(f));
            assert!(!f.label().is_empty());
        }
        assert_eq!(EventForm::parse("nonsense"), None);
    }

    #[test]
    fn every_kind_has_its_form_and_corrections_name_the_other_events() {
        let log = [
            ev(
                date!(2021 - 03 - 02),
                EventKind::ExtensionApproved {
                    working_days: 10,
                    approver: "李主任".into(),
                },
            ),
            ev(date!(2021 - 03 - 03), EventKind::Withdrawn { reason: None }),
            ev(
                date!(2021 - 03 - 04),
                EventKind::Correction {
                    target: 1,
                    reason: "天数有误".into(),
                    replacement: Some(Box::new(ev(
                        date!(2021 - 03 - 02),
                        EventKind::ExtensionApproved {
                            working_days: 15,
                            approver: "李主任".into(),
                        },
                    ))),
                },
            ),
            ev(
                date!(2021 - 03 - 04),
                EventKind::Correction {
                    target: 2,
                    reason: "误登记".into(),
                    replacement: None,
                },
            ),
        ];
        for e in &log {
            assert_eq!(EventForm::of(&e.kind).key().replace('-', "_"), e.kind.key());
        }
        let t = correction_targets(&log);
        assert_eq!(t.iter().map(|t| t.seq).collect::<Vec<_>>(), vec![1, 2]);
        assert!(matches!(
            t[0].current.as_ref().map(|e| &e.kind),
            Some(EventKind::ExtensionApproved {
                working_days: 15,
                ..
            })
        ));
        assert_eq!(t[0].recorded, log[0]);
        assert_eq!(t[1].current, None, "retracted");
    }

    #[test]
    fn a_new_case_offers_the_openings_and_the_decision_but_no_correction() {
        let got = offered_forms(&state(&[]), 0);
        use EventForm as F;
        assert_eq!(
            got,
            vec![
                F::SupplementRequested,
                F::ExtensionApproved,
                F::ConsultationOpened,
                F::FeeNoticeIssued,
                F::ReasonsRequested,
                F::Decided,
                F::Withdrawn,
            ]
        );
        for f in [
            F::SupplementReceived,
            F::FeePaid,
            F::ReplyDelivered,
            F::Correction,
        ] {
            assert!(!got.contains(&f), "{f:?}");
        }
    }

    #[test]
    fn awaiting_a_supplement_offers_only_its_answers_and_withdrawal() {
        let log = [ev(
            date!(2021 - 03 - 02),
            EventKind::SupplementRequested {
                items: vec!["文号".into()],
                period_working_days: 10,
                service: Service::default(),
            },
        )];
        use EventForm as F;
        assert_eq!(
            offered_forms(&state(&log), log.len()),
            vec![
                F::SupplementReceived,
                F::SupplementNotReceived,
                F::Withdrawn,
                F::Correction
            ]
        );
    }

    #[test]
    fn an_open_consultation_withholds_the_decision_and_offers_its_answer() {
        let mut log = vec![ev(
            date!(2021 - 03 - 05),
            EventKind::ConsultationOpened {
                kind: ConsultKind::ThirdParty,
                party: "某公司".into(),
                service: Service::default(),
            },
        )];
        let got = offered_forms(&state(&log), log.len());
        assert!(got.contains(&EventForm::ConsultationAnswered));
        assert!(!got.contains(&EventForm::Decided));
        assert!(!got.contains(&EventForm::SupplementRequested));
        log.push(ev(
            date!(2021 - 03 - 19),
            EventKind::ConsultationAnswered {
                kind: ConsultKind::ThirdParty,
                party: "某公司".into(),
                answer: ConsultAnswer::Objected,
            },
        ));
        let got = offered_forms(&state(&log), log.len());
        assert!(got.contains(&EventForm::Decided));
        assert!(!got.contains(&EventForm::ConsultationAnswered));
    }

    #[test]
    fn a_decided_case_offers_delivery_once_then_only_correction() {
        let mut log = vec![ev(
            date!(2021 - 03 - 10),
            EventKind::Decided {
                outcome: Outcome::Partial,
                legal_basis: "条例第三十七条".into(),
            },
        )];
        use EventForm as F;
        assert_eq!(
            offered_forms(&state(&log), log.len()),
            vec![F::ReplyDelivered, F::Correction]
        );
        log.push(ev(
            date!(2021 - 03 - 11),
            EventKind::ReplyDelivered {
                method: crate::application::Delivery::Post,
            },
        ));
        assert_eq!(offered_forms(&state(&log), log.len()), vec![F::Correction]);
    }

    #[test]
    fn every_offered_form_of_a_fresh_case_is_accepted_for_some_input() {
        // The forms that need no period to have run out: each accepted by the state machine.
        let cal = Calendar::builtin();
        let law = Law::new(&cal);
        let on = date!(2021 - 03 - 02);
        let kinds = [
            EventKind::SupplementRequested {
                items: vec!["文号".into()],
                period_working_days: 10,
                service: Service::default(),
            },
            EventKind::ExtensionApproved {
                working_days: 10,
                approver: "李主任".into(),
            },
            EventKind::ReasonsRequested {
                period_working_days: 10,
                service: Service::default(),
            },
            EventKind::Decided {
                outcome: Outcome::Granted,
                legal_basis: "条例第三十六条第（二）项".into(),
            },
            EventKind::Withdrawn { reason: None },
        ];
        for kind in kinds {
            CaseState::check_append(date!(2021 - 03 - 01), &[], &ev(on, kind), law, on)
                .expect("accepted");
        }
    }
}
