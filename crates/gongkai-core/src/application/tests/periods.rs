//! The other party's periods (issue: the clock closes no case before the law allows): worked
//! examples on real calendar years, named after the article they implement, and a property
//! test over arbitrary event sequences.

use super::super::*;
use super::{cal, decided, ev, refused};
use crate::fee::FeeBasis;
use proptest::prelude::*;
use time::Date;
use time::macros::date;

fn law() -> Law<'static> {
    static CAL: std::sync::LazyLock<crate::calendar::Calendar> = std::sync::LazyLock::new(cal);
    Law::new(&CAL)
}

fn posted(received_on: Option<Date>) -> Service {
    Service {
        by: ServedBy::Post,
        received_on,
    }
}

fn fee_notice(on: Date, service: Service) -> Event {
    ev(
        on,
        EventKind::FeeNoticeIssued {
            amount_yuan: 10,
            basis: FeeBasis::PerVolume { pages: 31 },
            service,
        },
    )
}

fn supplement(on: Date, period: u32, service: Service) -> Event {
    ev(
        on,
        EventKind::SupplementRequested {
            items: vec!["所需信息的名称或文号".into()],
            period_working_days: period,
            service,
        },
    )
}

fn consult(on: Date, service: Service) -> Event {
    ev(
        on,
        EventKind::ConsultationOpened {
            kind: ConsultKind::ThirdParty,
            party: "某公司".into(),
            service,
        },
    )
}

fn answered(on: Date, answer: ConsultAnswer) -> Event {
    ev(
        on,
        EventKind::ConsultationAnswered {
            kind: ConsultKind::ThirdParty,
            party: "某公司".into(),
            answer,
        },
    )
}

fn reasons(on: Date, period: u32) -> Event {
    ev(
        on,
        EventKind::ReasonsRequested {
            period_working_days: period,
            service: Service::default(),
        },
    )
}

fn at(r: Date, log: &[Event], today: Date) -> Clock {
    clock(Channel::InPerson, r, log, law(), today).expect("clock")
}

#[test]
fn fee_109_unpaid_is_refused_until_the_payment_period_has_run_out() {
    // Notice handed over Fri 2021-03-05: 20 working days 03-08 … 04-02 (清明 04-03…05 after).
    let r = date!(2021 - 03 - 01);
    let notice = fee_notice(date!(2021 - 03 - 05), Service::default());
    let c = at(r, std::slice::from_ref(&notice), date!(2021 - 03 - 10));
    assert_eq!(c.fee_payment_due, Some(Due::On(date!(2021 - 04 - 02))));
    assert!(
        c.working_zh().contains(
            "申请人应自收到文书之日（2021-03-05）起20个工作日内缴纳费用，至2021-04-02（周五）"
        ),
        "{}",
        c.working_zh()
    );
    for day in [date!(2021 - 03 - 05), date!(2021 - 04 - 02)] {
        for closing in [
            ev(day, EventKind::FeeUnpaid),
            decided(day, Outcome::OtherFeeUnpaid),
        ] {
            let e = refused(r, &[notice.clone(), closing]);
            assert!(
                e.en.contains("runs until 2021-04-02")
                    && e.en.contains("recorded as passed from 2021-04-03"),
                "{e}"
            );
            assert!(e.zh.contains("缴费期限至2021-04-02届满，2021-04-03起方可登记逾期"));
        }
    }
    let s = replay(
        r,
        &[
            notice.clone(),
            ev(date!(2021 - 04 - 06), EventKind::FeeUnpaid),
        ],
        law(),
    )
    .expect("period over");
    assert_eq!(s.outcome, Some(Outcome::OtherFeeUnpaid));
    // Before it is over the case is paused; after, it needs action.
    let c = at(r, std::slice::from_ref(&notice), date!(2021 - 04 - 06));
    assert!(matches!(c.status, ClockStatus::Paused { .. }));
    assert_eq!(
        c.attention,
        vec![Attention::FeeLapsed {
            until: date!(2021 - 04 - 02)
        }]
    );
}

#[test]
fn fee_109_payment_period_is_configurable_and_runs_from_the_receipt() {
    let r = date!(2021 - 03 - 01);
    let calendar = cal();
    // 10 working days from Fri 03-05: 03-08 … 03-19.
    let short = Law::with_periods(
        &calendar,
        Periods {
            fee_payment_days: 10,
        },
    );
    let notice = fee_notice(date!(2021 - 03 - 05), Service::default());
    let c = clock(
        Channel::InPerson,
        r,
        std::slice::from_ref(&notice),
        short,
        date!(2021 - 03 - 08),
    )
    .expect("clock");
    assert_eq!(c.fee_payment_due, Some(Due::On(date!(2021 - 03 - 19))));
    assert!(
        replay(
            r,
            &[notice, ev(date!(2021 - 03 - 22), EventKind::FeeUnpaid)],
            short
        )
        .is_ok()
    );
    // Posted, receipt unknown: not known when the period ends, so not closable.
    let notice = fee_notice(date!(2021 - 03 - 05), posted(None));
    let c = at(r, std::slice::from_ref(&notice), date!(2021 - 05 - 10));
    assert_eq!(c.fee_payment_due, Some(Due::ReceiptUnknown));
    assert_eq!(c.attention, vec![Attention::ReceiptUnknown { letter: 1 }]);
    let e = refused(
        r,
        &[
            notice.clone(),
            ev(date!(2021 - 05 - 10), EventKind::FeeUnpaid),
        ],
    );
    assert!(
        e.en.contains("receipt of letter 1, which is not recorded"),
        "{e}"
    );
    // The return receipt says Wed 03-10: 20 working days end Thu 04-08 (清明 04-03…05).
    let receipt = ev(
        date!(2021 - 03 - 12),
        EventKind::LetterReceived {
            target: 1,
            received_on: date!(2021 - 03 - 10),
        },
    );
    let c = at(r, &[notice.clone(), receipt.clone()], date!(2021 - 03 - 12));
    assert_eq!(c.fee_payment_due, Some(Due::On(date!(2021 - 04 - 08))));
    assert!(c.attention.is_empty());
    assert!(
        refused(
            r,
            &[
                notice.clone(),
                receipt.clone(),
                ev(date!(2021 - 04 - 08), EventKind::FeeUnpaid)
            ]
        )
        .en
        .contains("runs until 2021-04-08")
    );
    assert!(
        replay(
            r,
            &[
                notice,
                receipt,
                ev(date!(2021 - 04 - 09), EventKind::FeeUnpaid)
            ],
            law()
        )
        .is_ok()
    );
}

#[test]
fn letter_received_names_an_open_letter_and_a_possible_day() {
    let r = date!(2021 - 03 - 01);
    let notice = fee_notice(date!(2021 - 03 - 05), posted(None));
    let receipt = |on: Date, target: u32, received_on: Date| {
        ev(
            on,
            EventKind::LetterReceived {
                target,
                received_on,
            },
        )
    };
    let d = date!(2021 - 03 - 12);
    // Not a letter; before it was sent; after the day recorded.
    assert!(
        refused(r, &[notice.clone(), receipt(d, 2, d)])
            .en
            .contains("not a letter")
    );
    assert!(
        refused(r, &[notice.clone(), receipt(d, 1, date!(2021 - 03 - 04))])
            .en
            .contains("sent on 2021-03-05")
    );
    assert!(
        refused(r, &[notice.clone(), receipt(d, 1, date!(2021 - 03 - 13))])
            .en
            .contains("not 2021-03-13")
    );
    // Twice.
    let once = receipt(d, 1, date!(2021 - 03 - 09));
    assert!(
        refused(r, &[notice.clone(), once.clone(), once.clone()])
            .en
            .contains("already recorded")
    );
    // After the fee was paid, its receipt no longer moves anything.
    let e = refused(
        r,
        &[
            notice.clone(),
            ev(d, EventKind::FeePaid),
            receipt(d, 1, date!(2021 - 03 - 09)),
        ],
    );
    assert!(e.en.contains("already been recorded"), "{e}");
    // A receipt date in the future cannot be appended.
    let e = CaseState::check_append(
        r,
        std::slice::from_ref(&notice),
        &receipt(d, 1, date!(2021 - 03 - 09)),
        law(),
        date!(2021 - 03 - 08),
    )
    .expect_err("future");
    assert!(e.en.contains("2021-03-12 is in the future"), "{e}");
}

#[test]
fn supplement_art_30_notice_after_the_reply_deadline_is_refused() {
    // Received Mon 2021-03-01: a 补正 notice is due by 03-10 (7 working days), the reply by
    // 03-29 (20 working days).
    let r = date!(2021 - 03 - 01);
    let e = refused(
        r,
        &[supplement(date!(2021 - 03 - 30), 10, Service::default())],
    );
    assert!(e.en.contains("the reply was due on 2021-03-29"), "{e}");
    assert!(e.zh.contains("答复期限已于2021-03-29届满"), "{}", e.zh);
    // With an extension the reply is due later, and so is the last day for a notice.
    let ext = ev(
        date!(2021 - 03 - 20),
        EventKind::ExtensionApproved {
            working_days: 5,
            approver: "王主任".into(),
        },
    );
    let e = refused(
        r,
        &[
            ext,
            supplement(date!(2021 - 04 - 07), 10, Service::default()),
        ],
    );
    assert!(e.en.contains("the reply was due on 2021-04-06"), "{e}");
    // After the 7-day limit but before the deadline: recorded, its lateness stated.
    let c = at(
        r,
        &[supplement(date!(2021 - 03 - 15), 10, Service::default())],
        date!(2021 - 03 - 16),
    );
    assert!(
        c.working_en()
            .contains("after the 7-working-day limit 2021-03-10"),
        "{}",
        c.working_en()
    );
}

#[test]
fn supplement_art_30_lapse_needs_its_end_to_be_known() {
    // 2026-12-16 + 15 working days needs the 2027 notice, which is not loaded.
    let r = date!(2026 - 12 - 10);
    let log = [supplement(date!(2026 - 12 - 16), 15, Service::default())];
    let e = refused(
        r,
        &[
            log[0].clone(),
            ev(date!(2027 - 03 - 01), EventKind::SupplementNotReceived),
        ],
    );
    assert!(e.en.contains("needs the calendar for 2027"), "{e}");
    assert!(e.zh.contains("需按2027年节假日安排计算"), "{}", e.zh);
    let e = refused(
        r,
        &[
            log[0].clone(),
            decided(date!(2027 - 03 - 01), Outcome::OtherNoCorrection),
        ],
    );
    assert!(e.en.contains("needs the calendar for 2027"), "{e}");
    assert_eq!(
        at(r, &log, date!(2026 - 12 - 17)).undetermined_period(),
        Some(2027)
    );
    // Posted with no receipt recorded: refused too, and flagged.
    let r = date!(2024 - 02 - 01);
    let log = [supplement(date!(2024 - 02 - 05), 10, posted(None))];
    assert!(
        refused(
            r,
            &[
                log[0].clone(),
                ev(date!(2024 - 04 - 01), EventKind::SupplementNotReceived)
            ]
        )
        .en
        .contains("not recorded")
    );
    let c = at(r, &log, date!(2024 - 04 - 01));
    assert_eq!(c.supplement_due, Some(Due::ReceiptUnknown));
    assert_eq!(c.attention, vec![Attention::ReceiptUnknown { letter: 1 }]);
    // Received Thu 02-08: 10 working days across 春节 2024 (02-09, then 02-10…02-17 off, Sun
    // 02-18 a 调休 working day, 02-19…02-23, 02-26…02-28) end Wed 02-28, three working days later
    // than from the day sent (02-23): the period runs from the receipt.
    let log = [
        log[0].clone(),
        ev(
            date!(2024 - 02 - 09),
            EventKind::LetterReceived {
                target: 1,
                received_on: date!(2024 - 02 - 08),
            },
        ),
    ];
    let c = at(r, &log, date!(2024 - 02 - 20));
    assert_eq!(c.supplement_due, Some(Due::On(date!(2024 - 02 - 28))));
    assert!(
        c.working_en().contains(
            "the applicant may supplement until 2024-02-28 (Wed) (10 working days after 2024-02-08)"
        ),
        "{}",
        c.working_en()
    );
}

#[test]
fn supplement_art_30_lapsed_period_needs_action() {
    // Requested Mon 2024-02-05 for 10 working days: until Fri 02-23.
    let r = date!(2024 - 02 - 01);
    let log = [supplement(date!(2024 - 02 - 05), 10, Service::default())];
    assert!(at(r, &log, date!(2024 - 02 - 23)).attention.is_empty());
    let c = at(r, &log, date!(2024 - 02 - 26));
    assert_eq!(
        c.status,
        ClockStatus::AwaitingSupplement {
            until: Some(date!(2024 - 02 - 23))
        }
    );
    assert_eq!(
        c.attention,
        vec![Attention::SupplementLapsed {
            until: date!(2024 - 02 - 23)
        }]
    );
    assert!(
        c.working_zh()
            .contains("待处理：申请人补正期限已于2024-02-23届满")
    );
    // Closed, nothing is asked of the staff.
    let closed = [
        log[0].clone(),
        ev(date!(2024 - 02 - 26), EventKind::SupplementNotReceived),
    ];
    assert!(at(r, &closed, date!(2024 - 03 - 01)).attention.is_empty());
}

#[test]
fn consultation_art_32_runs_from_the_third_partys_receipt_and_flags_its_lapse() {
    let r = date!(2021 - 03 - 01);
    // Posted Fri 03-05, receipt unknown: the clock stops, the end of the party's period is
    // not known, and the staff are asked to record the receipt.
    let open = consult(date!(2021 - 03 - 05), posted(None));
    let c = at(r, std::slice::from_ref(&open), date!(2021 - 03 - 08));
    assert_eq!(c.excluded[0].period_end, Due::ReceiptUnknown);
    assert_eq!(c.attention, vec![Attention::ReceiptUnknown { letter: 1 }]);
    assert!(c.working_en().contains("its receipt is not recorded yet"));
    // "No answer" needs the 15 working days to have run from the receipt (Tue 03-09): until
    // Tue 03-30.
    let receipt = ev(
        date!(2021 - 03 - 10),
        EventKind::LetterReceived {
            target: 1,
            received_on: date!(2021 - 03 - 09),
        },
    );
    let log = [open.clone(), receipt.clone()];
    let c = at(r, &log, date!(2021 - 03 - 30));
    assert_eq!(c.excluded[0].period_end, Due::On(date!(2021 - 03 - 30)));
    assert!(c.attention.is_empty());
    let e = refused(
        r,
        &[
            open.clone(),
            receipt.clone(),
            answered(date!(2021 - 03 - 30), ConsultAnswer::NoAnswer),
        ],
    );
    assert!(e.en.contains("runs until 2021-03-30"), "{e}");
    // An answer may come any time; silence is recorded from 03-31.
    assert!(
        replay(
            r,
            &[
                open.clone(),
                receipt.clone(),
                answered(date!(2021 - 03 - 12), ConsultAnswer::Objected)
            ],
            law()
        )
        .is_ok()
    );
    assert!(
        replay(
            r,
            &[
                open.clone(),
                receipt.clone(),
                answered(date!(2021 - 03 - 31), ConsultAnswer::NoAnswer)
            ],
            law()
        )
        .is_ok()
    );
    // Past its end the clock stays stopped, and the case needs action.
    let c = at(r, &log, date!(2021 - 04 - 06));
    assert!(matches!(c.status, ClockStatus::Paused { .. }));
    assert_eq!(
        c.attention,
        vec![Attention::ConsultationLapsed {
            kind: ConsultKind::ThirdParty,
            party: "某公司".into(),
            until: date!(2021 - 03 - 30)
        }]
    );
}

#[test]
fn art_35_reasons_stop_the_clock_and_a_reasonable_period_replaces_the_deadline() {
    let r = date!(2021 - 03 - 01);
    // Asked Wed 03-03 with 5 working days (until 03-10); reasons arrive Wed 03-10.
    let ask = reasons(date!(2021 - 03 - 03), 5);
    let c = at(r, std::slice::from_ref(&ask), date!(2021 - 03 - 05));
    assert_eq!(c.reasons_due, Some(Due::On(date!(2021 - 03 - 10))));
    assert!(matches!(c.status, ClockStatus::Paused { .. }));
    // No decision while it is outstanding.
    assert!(
        refused(
            r,
            &[
                ask.clone(),
                decided(date!(2021 - 03 - 05), Outcome::Granted)
            ]
        )
        .en
        .contains("request for reasons is outstanding")
    );
    let got = ev(date!(2021 - 03 - 10), EventKind::ReasonsReceived);
    // 5 working days (03-04…03-10) are not counted: 20 working days end 04-06 instead of 03-29
    // (清明 04-03…05).
    let c = at(r, &[ask.clone(), got.clone()], date!(2021 - 03 - 11));
    assert_eq!(c.reply_due, Due::On(date!(2021 - 04 - 06)));
    // The reasons are reasonable but 20 days are not enough: 40 working days, counted the same
    // way, end 05-06 (劳动节 05-01…05; Sun 04-25 a 调休 working day).
    let set = |n| {
        ev(
            date!(2021 - 03 - 11),
            EventKind::ReplyPeriodSet { working_days: n },
        )
    };
    let c = at(
        r,
        &[ask.clone(), got.clone(), set(40)],
        date!(2021 - 03 - 11),
    );
    assert_eq!(c.reasonable_due, Some(Due::On(date!(2021 - 05 - 06))));
    assert_eq!(c.due, Due::On(date!(2021 - 05 - 06)));
    assert!(c.working_zh().contains(
        "确定延迟答复的合理期限40个工作日（条例第三十五条）：应于2021-05-06（周四）前答复"
    ));
    // Bounds, and the order of things.
    assert!(
        refused(r, &[ask.clone(), got.clone(), set(20)])
            .en
            .contains("longer than the 20")
    );
    assert!(
        refused(r, &[ask.clone(), got.clone(), set(121)])
            .en
            .contains("at most 120")
    );
    assert!(
        refused(r, &[ask.clone(), set(40)])
            .en
            .contains("after the applicant's reasons")
    );
    assert!(
        refused(r, &[set(40)])
            .en
            .contains("after the applicant's reasons")
    );
    assert!(
        refused(r, &[ask.clone(), reasons(date!(2021 - 03 - 04), 5)])
            .en
            .contains("once")
    );
    assert!(
        refused(r, &[reasons(date!(2021 - 03 - 03), 61)])
            .en
            .contains("1 to 60")
    );
    assert!(
        refused(r, &[reasons(date!(2021 - 03 - 30), 5)])
            .en
            .contains("reply was due on 2021-03-29")
    );
}

#[test]
fn art_35_not_processed_follows_reasons_answered_or_lapsed() {
    let r = date!(2021 - 03 - 01);
    let ask = reasons(date!(2021 - 03 - 03), 5);
    // Without asking for reasons first.
    assert!(
        refused(
            r,
            &[decided(
                date!(2021 - 03 - 05),
                Outcome::NotProcessedMassRepeat
            )]
        )
        .en
        .contains("request for reasons")
    );
    // Silence recorded before the period is over (until 03-10).
    assert!(
        refused(
            r,
            &[
                ask.clone(),
                ev(date!(2021 - 03 - 10), EventKind::ReasonsNotReceived)
            ]
        )
        .en
        .contains("runs until 2021-03-10")
    );
    let c = at(r, std::slice::from_ref(&ask), date!(2021 - 03 - 11));
    assert_eq!(
        c.attention,
        vec![Attention::ReasonsLapsed {
            until: date!(2021 - 03 - 10)
        }]
    );
    let s = replay(
        r,
        &[
            ask.clone(),
            ev(date!(2021 - 03 - 11), EventKind::ReasonsNotReceived),
            decided(date!(2021 - 03 - 12), Outcome::NotProcessedMassRepeat),
        ],
        law(),
    )
    .expect("lawful");
    assert_eq!(s.outcome, Some(Outcome::NotProcessedMassRepeat));
    // Reasons given and found unreasonable.
    assert!(
        replay(
            r,
            &[
                ask,
                ev(date!(2021 - 03 - 08), EventKind::ReasonsReceived),
                decided(date!(2021 - 03 - 09), Outcome::NotProcessedMassRepeat),
            ],
            law(),
        )
        .is_ok()
    );
}

#[test]
fn overdue_cases_stay_overdue_when_todays_calendar_is_missing() {
    // From 2026-12-26 the 2027 notice is needed to count working days; a case due in 2022 is
    // overdue all the same.
    let r = date!(2022 - 03 - 01);
    let c = at(r, &[], date!(2026 - 12 - 28));
    assert_eq!(
        c.status,
        ClockStatus::Overdue {
            due: date!(2022 - 03 - 29),
            by: None
        }
    );
    assert!(c.working_zh().contains("已于2022-03-29到期，已超期"));
}

#[test]
fn numeric_arguments_are_bounded() {
    let r = date!(2021 - 03 - 01);
    let d = date!(2021 - 03 - 02);
    for p in [0, MAX_APPLICANT_PERIOD_DAYS + 1] {
        let e = refused(r, &[supplement(d, p, Service::default())]);
        assert!(e.en.contains("1 to 60"), "{e}");
        assert!(e.zh.contains("补正期限应为1至60个工作日"), "{}", e.zh);
    }
    let huge = |basis| {
        ev(
            d,
            EventKind::FeeNoticeIssued {
                amount_yuan: 0,
                basis,
                service: Service::default(),
            },
        )
    };
    for basis in [
        FeeBasis::PerItem {
            prior: 0,
            items: u32::MAX,
        },
        FeeBasis::PerItem {
            prior: u32::MAX,
            items: 11,
        },
        FeeBasis::PerVolume { pages: u32::MAX },
    ] {
        let e = refused(r, &[huge(basis)]);
        assert!(e.en.contains("must be at most"), "{e}");
    }
}

// ---- property: nothing closes before the period it depends on has run out ----

/// One candidate event, as offsets and choices; applied only when the state machine accepts
/// it, so the final log is an arbitrary accepted sequence.
#[derive(Debug, Clone)]
enum Step {
    Supplement { period: u32, post: bool },
    SupplementReceived,
    SupplementNotReceived,
    Consult { post: bool },
    Answer { silent: bool },
    Fee { post: bool },
    FeePaid,
    FeeUnpaid,
    Receipt { target: u32, late: i64 },
    Reasons { period: u32 },
    ReasonsReceived,
    ReasonsNotReceived,
    Decide(Outcome),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1u32..20, any::<bool>()).prop_map(|(period, post)| Step::Supplement { period, post }),
        Just(Step::SupplementReceived),
        Just(Step::SupplementNotReceived),
        any::<bool>().prop_map(|post| Step::Consult { post }),
        any::<bool>().prop_map(|silent| Step::Answer { silent }),
        any::<bool>().prop_map(|post| Step::Fee { post }),
        Just(Step::FeePaid),
        Just(Step::FeeUnpaid),
        (1u32..8, 0i64..10).prop_map(|(target, late)| Step::Receipt { target, late }),
        (1u32..15).prop_map(|period| Step::Reasons { period }),
        Just(Step::ReasonsReceived),
        Just(Step::ReasonsNotReceived),
        prop_oneof![
            Just(Outcome::OtherNoCorrection),
            Just(Outcome::OtherFeeUnpaid),
            Just(Outcome::NotProcessedMassRepeat),
            Just(Outcome::Granted),
        ]
        .prop_map(Step::Decide),
    ]
}

fn event_of(s: &Step, on: Date) -> Event {
    let service = |post: bool| {
        if post {
            posted(None)
        } else {
            Service::default()
        }
    };
    let kind = match s {
        Step::Supplement { period, post } => EventKind::SupplementRequested {
            items: vec!["x".into()],
            period_working_days: *period,
            service: service(*post),
        },
        Step::SupplementReceived => EventKind::SupplementReceived,
        Step::SupplementNotReceived => EventKind::SupplementNotReceived,
        Step::Consult { post } => return consult(on, service(*post)),
        Step::Answer { silent } => {
            let a = if *silent {
                ConsultAnswer::NoAnswer
            } else {
                ConsultAnswer::Consented
            };
            return answered(on, a);
        }
        Step::Fee { post } => return fee_notice(on, service(*post)),
        Step::FeePaid => EventKind::FeePaid,
        Step::FeeUnpaid => EventKind::FeeUnpaid,
        Step::Receipt { target, late } => EventKind::LetterReceived {
            target: *target,
            received_on: on - time::Duration::days(*late),
        },
        Step::Reasons { period } => EventKind::ReasonsRequested {
            period_working_days: *period,
            service: Service::default(),
        },
        Step::ReasonsReceived => EventKind::ReasonsReceived,
        Step::ReasonsNotReceived => EventKind::ReasonsNotReceived,
        Step::Decide(o) => return decided(on, *o),
    };
    ev(on, kind)
}

/// The end of the period letter `seq` gave, from the final state.
fn period_end(s: &CaseState, seq: u32, days: u32) -> Date {
    let received = s
        .letter(seq)
        .and_then(|l| l.received())
        .expect("a lapse is accepted only once the receipt is known");
    cal()
        .add_working_days(received, days)
        .expect("a lapse is accepted only once the calendar is known")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]
    #[test]
    fn no_case_closes_before_the_period_its_outcome_depends_on(
        r in (0i64..2800).prop_map(|n| date!(2019 - 01 - 01) + time::Duration::days(n)),
        steps in proptest::collection::vec((prop_oneof![0i64..4, 10i64..40], step()), 1..24),
    ) {
        let mut log: Vec<Event> = Vec::new();
        let mut on = r;
        let mut silences: Vec<(u32, Date)> = Vec::new();
        for (gap, s) in &steps {
            on += time::Duration::days(*gap);
            let e = event_of(s, on);
            let mut next = log.clone();
            next.push(e.clone());
            if replay(r, &next, law()).is_ok() {
                log = next;
                if let EventKind::ConsultationAnswered { answer: ConsultAnswer::NoAnswer, .. } = e.kind {
                    // The consultation letter this answers is the last one opened.
                    let letter = log.iter().rposition(|x| matches!(x.kind, EventKind::ConsultationOpened { .. }))
                        .expect("an answer needs an open consultation") as u32 + 1;
                    silences.push((letter, on));
                }
            }
        }
        let s = replay(r, &log, law()).expect("accepted");
        let days = law().periods.fee_payment_days;
        match (s.outcome, s.concluded_on) {
            (Some(Outcome::OtherNoCorrection), Some(closed)) => {
                let sup = s.supplement.as_ref().expect("a 补正 was requested");
                prop_assert!(closed > period_end(&s, sup.letter, sup.period_working_days));
            }
            (Some(Outcome::OtherFeeUnpaid), Some(closed)) => {
                let fee = s.fee.expect("a fee notice was issued");
                prop_assert!(closed > period_end(&s, fee.letter, days));
            }
            (Some(Outcome::NotProcessedMassRepeat), Some(closed)) => {
                let rs = s.reasons.expect("reasons were asked");
                let (answered_on, given) = rs.answered.expect("answered or lapsed");
                prop_assert!(answered_on <= closed);
                if !given {
                    prop_assert!(answered_on > period_end(&s, rs.letter, rs.period_working_days));
                }
            }
            _ => {}
        }
        if let Some((answered_on, false)) = s.reasons.and_then(|r| r.answered) {
            let rs = s.reasons.expect("asked");
            prop_assert!(answered_on > period_end(&s, rs.letter, rs.period_working_days));
        }
        for (letter, silent_on) in silences {
            prop_assert!(silent_on > period_end(&s, letter, CONSULTATION_DAYS));
        }
    }
}
