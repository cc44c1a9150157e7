use super::*;
use crate::calendar::Calendar;
use crate::fee::FeeBasis;
use crate::report::{T3Col, T3Row};
use proptest::prelude::*;
use time::Date;
use time::macros::date;

fn cal() -> Calendar {
    Calendar::builtin()
}

fn ev(on: Date, kind: EventKind) -> Event {
    Event { on, kind }
}

fn decided(on: Date, outcome: Outcome) -> Event {
    ev(
        on,
        EventKind::Decided {
            outcome,
            legal_basis: "《中华人民共和国政府信息公开条例》第三十六条".into(),
        },
    )
}

fn refused(received: Date, log: &[Event]) -> Refusal {
    replay(received, log, &cal()).expect_err("refused")
}

#[test]
fn worked_example_received_the_day_before_national_day_2021() {
    let c = clock(
        Channel::Online,
        date!(2021 - 09 - 30),
        &[],
        &cal(),
        date!(2021 - 10 - 20),
    )
    .expect("clock");
    assert_eq!(c.reply_due, Due::On(date!(2021 - 11 - 03)));
    assert_eq!(c.due, Due::On(date!(2021 - 11 - 03)));
    assert_eq!(c.supplement_notice_due, Due::On(date!(2021 - 10 - 15)));
    assert_eq!(
        c.status,
        ClockStatus::OnTime {
            due: date!(2021 - 11 - 03),
            remaining: 10
        }
    );
    let en = c.working_en();
    assert!(en.contains("received 2021-09-30 (Thu)"), "{en}");
    assert!(
        en.contains("day 1 = 2021-10-08 (Fri), the first working day after 国庆节"),
        "{en}"
    );
    assert!(en.contains("due 2021-11-03 (Wed)"), "{en}");
    let zh = c.working_zh();
    assert!(
        zh.contains("第1个工作日为2021-10-08（周五）（国庆节后第一个工作日）"),
        "{zh}"
    );
    assert!(zh.contains("还有10个工作日到期"), "{zh}");
}

#[test]
fn worked_example_spring_festival_2024_and_overdue() {
    // Received Thu 2024-02-08: day 1 is 02-09 (除夕, a working day), day 2 is Sun 02-18 (调休),
    // 春节 02-10…02-17 in between.
    let c = clock(
        Channel::InPerson,
        date!(2024 - 02 - 08),
        &[],
        &cal(),
        date!(2024 - 03 - 18),
    )
    .expect("clock");
    assert_eq!(
        cal().add_working_days(date!(2024 - 02 - 08), 20),
        Ok(date!(2024 - 03 - 13))
    );
    assert_eq!(c.due, Due::On(date!(2024 - 03 - 13)));
    assert_eq!(
        c.status,
        ClockStatus::Overdue {
            due: date!(2024 - 03 - 13),
            by: 3
        }
    );
}

#[test]
fn consultation_time_is_not_counted() {
    let r = date!(2021 - 03 - 01);
    let log = [
        ev(
            date!(2021 - 03 - 05),
            EventKind::ConsultationOpened {
                kind: ConsultKind::ThirdParty,
                party: "某公司".into(),
            },
        ),
        ev(
            date!(2021 - 03 - 19),
            EventKind::ConsultationAnswered {
                kind: ConsultKind::ThirdParty,
                party: "某公司".into(),
                answer: ConsultAnswer::Objected,
            },
        ),
    ];
    let c = clock(Channel::Mail, r, &log, &cal(), date!(2021 - 03 - 10)).expect("clock");
    // 10 working days (03-08…03-19) are excluded: 2021-03-29 + 10 working days.
    assert_eq!(cal().add_working_days(r, 20), Ok(date!(2021 - 03 - 29)));
    assert_eq!(c.due, Due::On(date!(2021 - 04 - 13)));
    assert_eq!(c.excluded.len(), 1);
    assert_eq!(c.excluded[0].working_days, Some(10));
    // While it is open, the due date is unknown and the remaining days are shown.
    let c = clock(Channel::Mail, r, &log[..1], &cal(), date!(2021 - 03 - 10)).expect("clock");
    assert_eq!(c.due, Due::Paused { remaining: 16 });
    assert_eq!(c.status, ClockStatus::Paused { remaining: 16 });
    // A decision while it is open is refused.
    let e = refused(
        r,
        &[
            log[0].clone(),
            decided(date!(2021 - 03 - 10), Outcome::Granted),
        ],
    );
    assert!(e.en.contains("still open"), "{e}");
}

#[test]
fn a_received_supplement_restarts_the_count() {
    let r = date!(2021 - 03 - 01);
    let log = [
        ev(
            date!(2021 - 03 - 03),
            EventKind::SupplementRequested {
                items: vec!["文件名称".into()],
                period_working_days: 10,
            },
        ),
        ev(date!(2021 - 03 - 10), EventKind::SupplementReceived),
    ];
    let c = clock(Channel::InPerson, r, &log, &cal(), date!(2021 - 03 - 11)).expect("clock");
    assert_eq!(c.count_from, date!(2021 - 03 - 10));
    assert_eq!(
        c.due,
        Due::On(
            cal()
                .add_working_days(date!(2021 - 03 - 10), 20)
                .expect("2021")
        )
    );
    let c = clock(
        Channel::InPerson,
        r,
        &log[..1],
        &cal(),
        date!(2021 - 03 - 04),
    )
    .expect("clock");
    assert_eq!(c.due, Due::AwaitingSupplement);
    assert_eq!(
        c.status,
        ClockStatus::AwaitingSupplement {
            until: Some(date!(2021 - 03 - 17))
        }
    );
}

#[test]
fn extension_adds_working_days() {
    let r = date!(2021 - 09 - 30);
    let log = [ev(
        date!(2021 - 10 - 29),
        EventKind::ExtensionApproved {
            working_days: 20,
            approver: "王主任".into(),
        },
    )];
    let c = clock(Channel::Online, r, &log, &cal(), date!(2021 - 11 - 04)).expect("clock");
    assert_eq!(c.reply_due, Due::On(date!(2021 - 11 - 03)));
    assert_eq!(c.extended_due, Some(Due::On(date!(2021 - 12 - 01))));
    assert_eq!(
        c.status,
        ClockStatus::OnTime {
            due: date!(2021 - 12 - 01),
            remaining: 19
        }
    );
    assert!(
        c.working_en()
            .contains("extension of 20 working days approved 2021-10-29 (Fri) by 王主任")
    );
}

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
        &cal(),
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
        },
    );
    let s = replay(
        r,
        &[
            req.clone(),
            ev(date!(2021 - 03 - 15), EventKind::SupplementNotReceived),
        ],
        &cal(),
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
        &cal(),
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
        },
    );
    let s = replay(
        r,
        &[fee.clone(), ev(date!(2021 - 04 - 06), EventKind::FeeUnpaid)],
        &cal(),
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
        &cal(),
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
        &cal(),
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
    let s = replay(r, &[wrong.clone(), fix], &cal()).expect("ok");
    assert_eq!(s.outcome, Some(Outcome::Partial));
    let retract = ev(
        date!(2021 - 03 - 08),
        EventKind::Correction {
            target: 1,
            reason: "误登记".into(),
            replacement: None,
        },
    );
    let s = replay(r, &[wrong.clone(), retract], &cal()).expect("ok");
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
            },
        ),
        ev(
            date!(2021 - 03 - 03),
            EventKind::FeeNoticeIssued {
                amount_yuan: 10,
                basis: FeeBasis::PerVolume { pages: 31 },
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
fn outcomes_map_to_the_21_leaf_rows() {
    let rows: std::collections::BTreeSet<T3Row> = Outcome::ALL.iter().map(|o| o.t3_row()).collect();
    assert_eq!(rows.len(), 21);
    for o in Outcome::ALL {
        assert_eq!(Outcome::from_key(o.key()), Some(o));
        assert_eq!(Outcome::from_t3_row(o.t3_row()), Some(o));
    }
    assert_eq!(
        Outcome::Partial.label(),
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    );
    assert_eq!(
        Outcome::DeniedThirdParty.group_label(),
        Some("（三）不予公开")
    );
    assert_eq!(Outcome::from_t3_row(T3Row::NewReceived), None);
}

#[test]
fn applicant_columns_and_validation() {
    let contact = Contact {
        phone: Some("13800000000".into()),
        ..Contact::default()
    };
    let today = date!(2026 - 11 - 28);
    let p = Applicant::person(
        "张三",
        IdType::ResidentIdCard,
        "11010519491231002x",
        contact.clone(),
        today,
    )
    .expect("valid");
    assert_eq!(p.t3_col(), T3Col::NaturalPerson);
    let Applicant::Person(pp) = &p else {
        panic!("person")
    };
    assert_eq!(pp.id_number, "11010519491231002X");
    let e = Applicant::person(
        "张三",
        IdType::ResidentIdCard,
        "110105194912310021",
        contact.clone(),
        today,
    )
    .expect_err("bad");
    assert_eq!(e.message_zh(), "证件号码校验位错误：应为 X，实际为 1");
    assert!(
        Applicant::person(
            "张三",
            IdType::Passport,
            "E12345678",
            contact.clone(),
            today
        )
        .is_ok()
    );
    assert!(Applicant::person("张三", IdType::Passport, "E1", Contact::default(), today).is_err());
    let o = Applicant::organisation(
        "某律师事务所",
        OrgKind::LegalService,
        "91110108MA0000001D",
        "李四",
        contact.clone(),
    )
    .expect("valid");
    assert_eq!(o.t3_col(), T3Col::LegalService);
    for k in OrgKind::ALL {
        assert_eq!(OrgKind::parse(k.label()), Some(k));
    }
    assert_eq!(OrgKind::Other.label(), "其他");
    assert!(
        Applicant::organisation(
            "某公司",
            OrgKind::Commercial,
            "91110108MA0000001E",
            "李四",
            contact
        )
        .is_err()
    );
}

#[test]
fn receipt_dates_follow_article_31() {
    let arrived = date!(2021 - 09 - 28);
    let confirmed = date!(2021 - 09 - 30);
    let facts = ReceiptFacts {
        arrived_on: arrived,
        confirmed_on: Some(confirmed),
    };
    assert_eq!(Channel::InPerson.receipt_date(facts), Ok(arrived));
    assert_eq!(Channel::Mail.receipt_date(facts), Ok(arrived));
    assert_eq!(Channel::Email.receipt_date(facts), Ok(arrived));
    assert_eq!(Channel::OrdinaryLetter.receipt_date(facts), Ok(confirmed));
    assert_eq!(Channel::Online.receipt_date(facts), Ok(confirmed));
    assert_eq!(Channel::Fax.receipt_date(facts), Ok(confirmed));
    let unconfirmed = ReceiptFacts {
        arrived_on: arrived,
        confirmed_on: None,
    };
    assert!(matches!(
        Channel::Online.receipt_date(unconfirmed),
        Err(ReceiptError::NotConfirmed { .. })
    ));
    let backwards = ReceiptFacts {
        arrived_on: confirmed,
        confirmed_on: Some(arrived),
    };
    assert!(Channel::InPerson.receipt_date(backwards).is_err());
    for c in Channel::ALL {
        assert_eq!(Channel::parse(c.label()), Some(c));
    }
}

fn covered_day() -> impl Strategy<Value = Date> {
    // Receipts 2019-01-01 … 2026-09-30, so that 20 + 20 working days stay inside 2026.
    (0i64..2830).prop_map(|n| date!(2019 - 01 - 01) + time::Duration::days(n))
}

proptest! {
    #[test]
    fn a_due_date_is_always_a_working_day(r in covered_day(), ext in proptest::option::of(1u32..=20), open in 1i64..10, len in 0i64..20) {
        let cal = cal();
        let mut log = vec![
            ev(r + time::Duration::days(open), EventKind::ConsultationOpened { kind: ConsultKind::CoMaker, party: "某局".into() }),
            ev(r + time::Duration::days(open + len), EventKind::ConsultationAnswered { kind: ConsultKind::CoMaker, party: "某局".into(), answer: ConsultAnswer::NoAnswer }),
        ];
        if let Some(n) = ext {
            log.insert(0, ev(r, EventKind::ExtensionApproved { working_days: n, approver: "主任".into() }));
        }
        let c = clock(Channel::InPerson, r, &log, &cal, r).expect("valid log");
        for due in [Some(c.due), Some(c.reply_due), c.extended_due].into_iter().flatten() {
            let d = due.date().expect("computed");
            prop_assert_eq!(cal.is_working_day(d), Ok(true));
            prop_assert!(d > r);
        }
    }

    #[test]
    fn an_excluded_period_never_makes_the_due_date_earlier(r in covered_day(), open in 0i64..30, len in 0i64..30) {
        let cal = cal();
        let plain = clock(Channel::InPerson, r, &[], &cal, r).expect("clock").due.date().expect("due");
        let log = [
            ev(r + time::Duration::days(open), EventKind::ConsultationOpened { kind: ConsultKind::ThirdParty, party: "甲".into() }),
            ev(r + time::Duration::days(open + len), EventKind::ConsultationAnswered { kind: ConsultKind::ThirdParty, party: "甲".into(), answer: ConsultAnswer::Consented }),
        ];
        let paused = clock(Channel::InPerson, r, &log, &cal, r).expect("clock").due.date().expect("due");
        prop_assert!(paused >= plain);
        let excluded = cal.working_days_between(r + time::Duration::days(open), r + time::Duration::days(open + len)).expect("covered");
        if open + len < 20 {
            // Entirely inside the period: the due date moves by exactly the excluded days.
            prop_assert_eq!(cal.working_days_between(plain, paused), Ok(excluded));
        }
    }

    #[test]
    fn a_received_supplement_restarts_from_its_day(r in covered_day(), ask in 0i64..7, back in 0i64..15) {
        let cal = cal();
        let asked = r + time::Duration::days(ask);
        let received = asked + time::Duration::days(back);
        let log = [
            ev(asked, EventKind::SupplementRequested { items: vec!["x".into()], period_working_days: 15 }),
            ev(received, EventKind::SupplementReceived),
        ];
        let c = clock(Channel::InPerson, r, &log, &cal, received).expect("clock");
        prop_assert_eq!(c.due, Due::On(cal.add_working_days(received, 20).expect("covered")));
    }
}
