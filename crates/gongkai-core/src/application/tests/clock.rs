use super::super::*;
use super::{cal, decided, ev, refused};
use proptest::prelude::*;
use time::Date;
use time::macros::date;

#[test]
fn worked_example_received_the_day_before_national_day_2021() {
    let c = clock(
        Channel::Online,
        date!(2021 - 09 - 30),
        &[],
        Law::new(&cal()),
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
        Law::new(&cal()),
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
            by: Some(3)
        }
    );
}

#[test]
fn worked_example_spring_festival_2020_extended_for_covid() {
    // 春节 2020 ran 01-24 … 02-02 after the extension (国办发明电〔2020〕1号); 02-01 (Sat) was no
    // longer a working day.
    let c = clock(
        Channel::InPerson,
        date!(2020 - 01 - 23),
        &[],
        Law::new(&cal()),
        date!(2020 - 02 - 03),
    )
    .expect("clock");
    assert_eq!(c.due, Due::On(date!(2020 - 02 - 28)));
    assert!(
        c.working_en()
            .contains("day 1 = 2020-02-03 (Mon), the first working day after 春节")
    );
    assert_eq!(
        c.status,
        ClockStatus::OnTime {
            due: date!(2020 - 02 - 28),
            remaining: 19
        }
    );
}

#[test]
fn worked_example_new_year_2023_across_the_year_end() {
    // The 2023 notice makes 2022-12-31 … 2023-01-02 元旦.
    let c = clock(
        Channel::Mail,
        date!(2022 - 12 - 30),
        &[],
        Law::new(&cal()),
        date!(2022 - 12 - 30),
    )
    .expect("clock");
    assert!(
        c.working_en()
            .contains("day 1 = 2023-01-03 (Tue), the first working day after 元旦")
    );
    // 春节 01-21…01-27 is skipped; 01-28 (Sat) and 01-29 (Sun) are 调休 working days 15 and 16.
    assert_eq!(c.due, Due::On(date!(2023 - 02 - 02)));
}

#[test]
fn a_due_date_in_a_year_without_data_is_flagged_not_guessed() {
    let c = clock(
        Channel::InPerson,
        date!(2026 - 12 - 10),
        &[],
        Law::new(&cal()),
        date!(2026 - 12 - 10),
    )
    .expect("clock");
    assert_eq!(c.due, Due::NoCalendar { year: 2027 });
    assert_eq!(c.status, ClockStatus::Unknown { year: 2027 });
    assert!(
        c.working_en()
            .contains("the calendar for 2027 is not loaded"),
        "{}",
        c.working_en()
    );
    assert!(c.working_zh().contains("尚未载入2027年节假日安排"));
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
                service: Service::default(),
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
    let c = clock(
        Channel::Mail,
        r,
        &log,
        Law::new(&cal()),
        date!(2021 - 03 - 10),
    )
    .expect("clock");
    // 10 working days (03-08…03-19) are excluded: 2021-03-29 + 10 working days.
    assert_eq!(cal().add_working_days(r, 20), Ok(date!(2021 - 03 - 29)));
    assert_eq!(c.due, Due::On(date!(2021 - 04 - 13)));
    assert_eq!(c.excluded.len(), 1);
    assert_eq!(c.excluded[0].working_days, Some(10));
    // While it is open, the due date is unknown and the remaining days are shown.
    let c = clock(
        Channel::Mail,
        r,
        &log[..1],
        Law::new(&cal()),
        date!(2021 - 03 - 10),
    )
    .expect("clock");
    assert_eq!(c.due, Due::Paused { remaining: 16 });
    assert_eq!(c.status, ClockStatus::Paused { remaining: 16 });
    assert!(
        c.working_en()
            .contains("15 working days from receiving the letter (2021-03-05) to answer: until 2021-03-26 (Fri)"),
        "{}",
        c.working_en()
    );
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
                service: Service::default(),
            },
        ),
        ev(date!(2021 - 03 - 10), EventKind::SupplementReceived),
    ];
    let c = clock(
        Channel::InPerson,
        r,
        &log,
        Law::new(&cal()),
        date!(2021 - 03 - 11),
    )
    .expect("clock");
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
        Law::new(&cal()),
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
    let c = clock(
        Channel::Online,
        r,
        &log,
        Law::new(&cal()),
        date!(2021 - 11 - 04),
    )
    .expect("clock");
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

fn covered_day() -> impl Strategy<Value = Date> {
    // Receipts 2019-01-01 … 2026-09-30, so that 20 + 20 working days stay inside 2026.
    (0i64..2830).prop_map(|n| date!(2019 - 01 - 01) + time::Duration::days(n))
}

proptest! {
    #[test]
    fn a_due_date_is_always_a_working_day(r in covered_day(), ext in proptest::option::of(1u32..=20), open in 1i64..10, len in 0i64..20) {
        let cal = cal();
        let mut log = vec![
            ev(r + time::Duration::days(open), EventKind::ConsultationOpened { kind: ConsultKind::CoMaker, party: "某局".into(), service: Service::default() }),
            ev(r + time::Duration::days(open + len), EventKind::ConsultationAnswered { kind: ConsultKind::CoMaker, party: "某局".into(), answer: ConsultAnswer::Consented }),
        ];
        if let Some(n) = ext {
            log.insert(0, ev(r, EventKind::ExtensionApproved { working_days: n, approver: "主任".into() }));
        }
        let c = clock(Channel::InPerson, r, &log, Law::new(&cal), r).expect("valid log");
        for due in [Some(c.due), Some(c.reply_due), c.extended_due].into_iter().flatten() {
            let d = due.date().expect("computed");
            prop_assert_eq!(cal.is_working_day(d), Ok(true));
            prop_assert!(d > r);
        }
    }

    #[test]
    fn an_excluded_period_never_makes_the_due_date_earlier(r in covered_day(), open in 0i64..30, len in 0i64..30) {
        let cal = cal();
        let plain = clock(Channel::InPerson, r, &[], Law::new(&cal), r).expect("clock").due.date().expect("due");
        let log = [
            ev(r + time::Duration::days(open), EventKind::ConsultationOpened { kind: ConsultKind::ThirdParty, party: "甲".into(), service: Service::default() }),
            ev(r + time::Duration::days(open + len), EventKind::ConsultationAnswered { kind: ConsultKind::ThirdParty, party: "甲".into(), answer: ConsultAnswer::Consented }),
        ];
        let paused = clock(Channel::InPerson, r, &log, Law::new(&cal), r).expect("clock").due.date().expect("due");
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
            ev(asked, EventKind::SupplementRequested { items: vec!["x".into()], period_working_days: 15, service: Service::default() }),
            ev(received, EventKind::SupplementReceived),
        ];
        let c = clock(Channel::InPerson, r, &log, Law::new(&cal), received).expect("clock");
        prop_assert_eq!(c.due, Due::On(cal.add_working_days(received, 20).expect("covered")));
    }
}

fn supplement_requested(on: Date, period_working_days: u32) -> Event {
    ev(
        on,
        EventKind::SupplementRequested {
            items: vec!["所需信息的名称".into()],
            period_working_days,
            service: Service::default(),
        },
    )
}

#[test]
fn worked_example_pending_supplement_states_the_applicants_deadline() {
    // Requested Mon 2024-02-05 with 10 working days across 春节 2024.
    let r = date!(2024 - 02 - 01);
    let log = [supplement_requested(date!(2024 - 02 - 05), 10)];
    let c = clock(
        Channel::InPerson,
        r,
        &log,
        Law::new(&cal()),
        date!(2024 - 02 - 06),
    )
    .expect("clock");
    assert_eq!(c.supplement_due, Some(Due::On(date!(2024 - 02 - 23))));
    let en = c.working_en();
    assert!(
        en.contains(
            "the applicant may supplement until 2024-02-23 (Fri) (10 working days after 2024-02-05)"
        ),
        "{en}"
    );
    let zh = c.working_zh();
    assert!(
        zh.contains("申请人应于2024-02-23（周五）前补正（自2024-02-05起10个工作日）"),
        "{zh}"
    );
    assert!(!en.contains("not loaded"), "{en}");
}

#[test]
fn a_supplement_deadline_in_a_year_without_data_is_flagged_not_guessed() {
    // 2026-12-16 + 15 working days runs past 26 December: the 2027 notice is needed.
    let r = date!(2026 - 12 - 10);
    let log = [supplement_requested(date!(2026 - 12 - 16), 15)];
    let c = clock(
        Channel::InPerson,
        r,
        &log,
        Law::new(&cal()),
        date!(2026 - 12 - 17),
    )
    .expect("clock");
    assert_eq!(c.supplement_due, Some(Due::NoCalendar { year: 2027 }));
    assert_eq!(c.status, ClockStatus::AwaitingSupplement { until: None });
    let en = c.working_en();
    assert!(
        en.contains(
            "the applicant's deadline to supplement (15 working days after 2026-12-16) needs the calendar for 2027, which is not loaded: not guessed"
        ),
        "{en}"
    );
    assert!(!en.contains("may supplement until"), "{en}");
    let zh = c.working_zh();
    assert!(
        zh.contains(
            "申请人补正期限（自2026-12-16起15个工作日）需按2027年节假日安排计算，该年安排尚未载入，不作推测"
        ),
        "{zh}"
    );
    // Once a 2027 notice is loaded (here a minimal one: only 元旦 off) the date is computed:
    // 12-17…12-31 give 11 working days, 01-01 is off, 01-04…01-07 give the last four.
    let mut cal = cal();
    cal.load_year(
        r#"{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#,
    )
    .expect("2027");
    let c = clock(
        Channel::InPerson,
        r,
        &log,
        Law::new(&cal),
        date!(2026 - 12 - 17),
    )
    .expect("clock");
    assert_eq!(c.supplement_due, Some(Due::On(date!(2027 - 01 - 07))));
    assert!(
        c.working_en()
            .contains("may supplement until 2027-01-07 (Thu) (15 working days after 2026-12-16)"),
        "{}",
        c.working_en()
    );
}
