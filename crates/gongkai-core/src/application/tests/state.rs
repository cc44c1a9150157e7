use super::super::*;
use super::{cal, decided, ev, refused};
use crate::fee::FeeBasis;
use time::macros::date;

#[test]
fn impossible_events_are_refused_with_a_reason() {
    let r = date!(2021 - 03 - 01);
    let d = date!(2021 - 03 - 05);
    // A decision on a withdrawn case.
    let e = refused(
        r,
        &[
            ev(d, EventKind::Withdrawn { reason: None }),
            decided(d, Outcome::Granted),
        ],
    );
    assert_eq!(e.seq, 2);
    assert!(e.en.contains("withdrawn on 2021-03-05"), "{e}");
    assert!(e.zh.contains("撤回"), "{}", e.zh);
    // A second extension.
    let ext = |n| {
        ev(
            d,
            EventKind::ExtensionApproved {
                working_days: n,
                approver: "王主任".into(),
            },
        )
    };
    let e = refused(r, &[ext(5), ext(5)]);
    assert!(e.en.contains("only one"), "{e}");
    // An extension over 20 days, and one without approver.
    assert!(refused(r, &[ext(21)]).en.contains("1 to 20"));
    assert!(
        refused(
            r,
            &[ev(
                d,
                EventKind::ExtensionApproved {
                    working_days: 5,
                    approver: " ".into()
                }
            )]
        )
        .en
        .contains("head")
    );
    // An extension after the period ended (due 2021-03-29).
    assert!(
        refused(
            r,
            &[ev(
                date!(2021 - 03 - 30),
                EventKind::ExtensionApproved {
                    working_days: 5,
                    approver: "王".into()
                }
            )]
        )
        .en
        .contains("ended on 2021-03-29")
    );
    // A supplement received before it was requested.
    assert!(
        refused(r, &[ev(d, EventKind::SupplementReceived)])
            .en
            .contains("no 补正 was requested")
    );
    // A second supplement request.
    let req = ev(
        d,
        EventKind::SupplementRequested {
            items: vec!["x".into()],
            period_working_days: 5,
            service: Service::default(),
        },
    );
    let e = refused(
        r,
        &[
            req.clone(),
            ev(d, EventKind::SupplementReceived),
            req.clone(),
        ],
    );
    assert!(e.en.contains("only once"), "{e}");
    // Not supplemented, recorded before the period is over (5 working days → 2021-03-12).
    assert!(
        refused(
            r,
            &[
                req.clone(),
                ev(date!(2021 - 03 - 12), EventKind::SupplementNotReceived)
            ]
        )
        .en
        .contains("runs until 2021-03-12")
    );
    // A decision while the 补正 is outstanding.
    assert!(
        refused(r, &[req.clone(), decided(d, Outcome::Granted)])
            .en
            .contains("outstanding")
    );
    // Events out of order, before receipt.
    assert!(
        refused(r, &[decided(date!(2021 - 02 - 28), Outcome::Granted)])
            .en
            .contains("before the receipt")
    );
    assert!(
        refused(
            r,
            &[ext(5), decided(date!(2021 - 03 - 04), Outcome::Granted)]
        )
        .en
        .contains("before the previous")
    );
    // A fee with the wrong amount; paying with no notice.
    let fee = |amount| {
        ev(
            d,
            EventKind::FeeNoticeIssued {
                amount_yuan: amount,
                basis: FeeBasis::PerVolume { pages: 31 },
                service: Service::default(),
            },
        )
    };
    assert!(refused(r, &[fee(20)]).en.contains("is 10 yuan"));
    assert!(
        refused(r, &[ev(d, EventKind::FeePaid)])
            .en
            .contains("no fee notice")
    );
    // Decisions with the wrong preconditions.
    assert!(
        refused(r, &[decided(d, Outcome::UnableStillUnclear)])
            .en
            .contains("still_unclear")
    );
    assert!(
        refused(r, &[decided(d, Outcome::OtherFeeUnpaid)])
            .en
            .contains("fee")
    );
    assert!(
        refused(
            r,
            &[ev(
                d,
                EventKind::Decided {
                    outcome: Outcome::Granted,
                    legal_basis: "".into()
                }
            )]
        )
        .en
        .contains("legal basis")
    );
    // Delivering before deciding, twice after.
    let deliver = ev(
        d,
        EventKind::ReplyDelivered {
            method: Delivery::Post,
        },
    );
    assert!(
        refused(r, std::slice::from_ref(&deliver))
            .en
            .contains("no decision")
    );
    assert!(
        refused(
            r,
            &[
                decided(d, Outcome::Granted),
                deliver.clone(),
                deliver.clone()
            ]
        )
        .en
        .contains("already delivered")
    );
    // Appending a future event.
    let e = CaseState::check_append(
        r,
        &[],
        &decided(date!(2021 - 04 - 01), Outcome::Granted),
        Law::new(&cal()),
        date!(2021 - 03 - 10),
    )
    .expect_err("future");
    assert!(e.en.contains("future"));
}

#[test]
fn closing_paths_give_their_outcome() {
    let r = date!(2021 - 03 - 01);
    let d = date!(2021 - 03 - 05);
    let req = ev(
        d,
        EventKind::SupplementRequested {
            items: vec!["x".into()],
            period_working_days: 5,
            service: Service::default(),
        },
    );
    let s = replay(
        r,
        &[
            req.clone(),
            ev(date!(2021 - 03 - 15), EventKind::SupplementNotReceived),
        ],
        Law::new(&cal()),
    )
    .expect("ok");
    assert_eq!(s.outcome, Some(Outcome::OtherNoCorrection));
    assert_eq!(s.concluded_on, Some(date!(2021 - 03 - 15)));
    let s = replay(
        r,
        &[
            req,
            ev(date!(2021 - 03 - 15), EventKind::SupplementReceived),
            decided(date!(2021 - 03 - 20), Outcome::UnableStillUnclear),
        ],
        Law::new(&cal()),
    )
    .expect("ok");
    assert_eq!(s.outcome, Some(Outcome::UnableStillUnclear));
    let fee = ev(
        d,
        EventKind::FeeNoticeIssued {
            amount_yuan: 100,
            basis: FeeBasis::PerItem {
                prior: 10,
                items: 1,
            },
            service: Service::default(),
        },
    );
    let s = replay(
        r,
        &[fee.clone(), ev(date!(2021 - 04 - 06), EventKind::FeeUnpaid)],
        Law::new(&cal()),
    )
    .expect("ok");
    assert_eq!(s.outcome, Some(Outcome::OtherFeeUnpaid));
    let c = clock(
        Channel::InPerson,
        r,
        &[
            fee.clone(),
            ev(date!(2021 - 03 - 12), EventKind::FeePaid),
            decided(date!(2021 - 03 - 30), Outcome::Granted),
        ],
        Law::new(&cal()),
        date!(2021 - 04 - 30),
    )
    .expect("clock");
    // 5 working days of the fee period are excluded: due 2021-04-06 (清明 04-03…05).
    assert_eq!(c.due, Due::On(date!(2021 - 04 - 06)));
    assert_eq!(
        c.status,
        ClockStatus::Concluded {
            on: date!(2021 - 03 - 30),
            late_by: 0
        }
    );
    let s = replay(
        r,
        &[ev(
            d,
            EventKind::Withdrawn {
                reason: Some("不再需要".into()),
            },
        )],
        Law::new(&cal()),
    )
    .expect("ok");
    assert_eq!(
        (s.phase, s.outcome),
        (Phase::Withdrawn, Some(Outcome::OtherOther))
    );
    assert!(!s.is_open());
}

#[test]
fn a_correction_replaces_an_event_and_needs_a_reason() {
    let r = date!(2021 - 03 - 01);
    let wrong = decided(date!(2021 - 03 - 05), Outcome::Granted);
    let fix = ev(
        date!(2021 - 03 - 08),
        EventKind::Correction {
            target: 1,
            reason: "误选答复类型".into(),
            replacement: Some(Box::new(decided(date!(2021 - 03 - 05), Outcome::Partial))),
        },
    );
    let s = replay(r, &[wrong.clone(), fix], Law::new(&cal())).expect("ok");
    assert_eq!(s.outcome, Some(Outcome::Partial));
    let retract = ev(
        date!(2021 - 03 - 08),
        EventKind::Correction {
            target: 1,
            reason: "误登记".into(),
            replacement: None,
        },
    );
    let s = replay(r, &[wrong.clone(), retract], Law::new(&cal())).expect("ok");
    assert!(s.is_open());
    let no_reason = ev(
        date!(2021 - 03 - 08),
        EventKind::Correction {
            target: 1,
            reason: " ".into(),
            replacement: None,
        },
    );
    assert!(
        refused(r, &[wrong.clone(), no_reason])
            .en
            .contains("reason")
    );
    let bad_target = ev(
        date!(2021 - 03 - 08),
        EventKind::Correction {
            target: 7,
            reason: "x".into(),
            replacement: None,
        },
    );
    assert!(
        refused(r, &[wrong, bad_target])
            .en
            .contains("earlier event")
    );
}

#[test]
fn events_round_trip_through_json() {
    let log = vec![
        ev(
            date!(2021 - 03 - 02),
            EventKind::SupplementRequested {
                items: vec!["a".into()],
                period_working_days: 10,
                service: Service::default(),
            },
        ),
        ev(
            date!(2021 - 03 - 03),
            EventKind::FeeNoticeIssued {
                amount_yuan: 10,
                basis: FeeBasis::PerVolume { pages: 31 },
                service: Service::default(),
            },
        ),
        decided(date!(2021 - 03 - 04), Outcome::DeniedThirdParty),
        ev(
            date!(2021 - 03 - 05),
            EventKind::Correction {
                target: 3,
                reason: "r".into(),
                replacement: Some(Box::new(decided(date!(2021 - 03 - 04), Outcome::Partial))),
            },
        ),
    ];
    let json = serde_json::to_string(&log).expect("json");
    assert!(
        json.contains(r#""on":"2021-03-04","type":"decided","outcome":"denied.third_party""#),
        "{json}"
    );
    let back: Vec<Event> = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, log);
}

#[test]
fn phase_keys_and_labels_are_stable_and_round_trip() {
    let pairs: Vec<(&str, &str)> = Phase::ALL.iter().map(|p| (p.key(), p.label())).collect();
    assert_eq!(
        pairs,
        [
            ("processing", "办理中"),
            ("awaiting_supplement", "待补正"),
            ("concluded", "已办结"),
            ("withdrawn", "已撤回"),
        ]
    );
    for p in Phase::ALL {
        assert_eq!(Phase::from_key(p.key()), Some(p));
    }
    assert_eq!(Phase::from_key("办理中"), None);
}
