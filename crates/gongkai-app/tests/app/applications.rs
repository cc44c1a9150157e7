//! Applications end to end through the use cases, on SQLite and PostgreSQL.

use gongkai_app::application::{self, Case, Due, Registration, RequestedInfo};
use gongkai_app::{App, AppError, agency, report, user};
use gongkai_core::application::{
    Applicant, Attention, Channel, ClockStatus, Contact, Delivery, Event, EventKind, IdType,
    OrgKind, Outcome, ReceiptFacts, ServedBy, Service,
};
use gongkai_core::fee::FeeBasis;
use gongkai_core::report::{Source, T3Col, T3Row, Value, check};
use gongkai_core::user::{Actor, Role};
use gongkai_store::{Db, db_test};
use time::Date;
use time::macros::date;

const AGENCY: &str = "张店区机关事务服务中心";

async fn setup(db: Db) -> App {
    // The calendar is read at construction; the directory is not used afterwards.
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::with_db(dir.path(), db).expect("app");
    let admin = user::first_admin(&app, "operator", None)
        .await
        .expect("operator");
    agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/张店区",
        AGENCY,
        Some("000000009"),
    )
    .await
    .expect("agency");
    app
}

fn person() -> Applicant {
    Applicant::person(
        "张三",
        IdType::ResidentIdCard,
        "11010519491231002X",
        Contact {
            phone: Some("13800000000".into()),
            ..Contact::default()
        },
        date!(2026 - 01 - 01),
    )
    .expect("valid applicant")
}

fn company() -> Applicant {
    Applicant::organisation(
        "某某科技有限公司",
        OrgKind::ALL[0],
        "91350100M000100Y43",
        "李四",
        Contact {
            email: Some("li@example.com".into()),
            ..Contact::default()
        },
    )
    .expect("valid organisation")
}

async fn register(app: &App, applicant: Applicant, on: Date) -> String {
    application::register(
        app,
        &operator(app).await,
        Registration {
            agency: AGENCY.into(),
            channel: Channel::InPerson,
            receipt: ReceiptFacts {
                arrived_on: on,
                confirmed_on: None,
            },
            applicant,
            request: RequestedInfo {
                description: "2021年部门预算".into(),
                delivery: Delivery::Email,
            },
        },
        on,
    )
    .await
    .expect("register")
    .number
}

/// The test data directory's first user (every staff role and 管理员).
async fn operator(app: &App) -> Actor {
    user::actor(app, Some("operator")).await.expect("operator")
}

/// Records an event as the user named `who` (a 录入 user, added on first use) or else as the
/// operator.
async fn record(
    app: &App,
    number: &str,
    event: Event,
    who: Option<&str>,
    today: Date,
) -> Result<Case, AppError> {
    let actor = match who {
        None => operator(app).await,
        Some(name) => match user::actor(app, Some(name)).await {
            Ok(a) => a,
            Err(_) => {
                let input = user::NewUserInput {
                    name: name.to_string(),
                    display_name: None,
                    roles: vec![Role::Entry],
                    agency: None,
                    region: None,
                };
                user::add(
                    app,
                    &gongkai_app::user::first_security(app)
                        .await
                        .expect("security"),
                    input,
                )
                .await
                .expect("user");
                user::actor(app, Some(name)).await.expect("actor")
            }
        },
    };
    application::record_event(app, &actor, number, event, today).await
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

db_test!(bi_d_due_date_across_national_day, |db| async move {
    let app = setup(db).await;
    let number = register(&app, person(), date!(2021 - 09 - 30)).await;
    let case = application::show(&app, &number, date!(2021 - 10 - 08))
        .await
        .expect("show");
    assert_eq!(case.clock.due.date(), Some(date!(2021 - 11 - 03)));
    assert!(
        case.clock.working_en().contains("2021-11-03"),
        "{}",
        case.clock.working_en()
    );
    assert!(matches!(case.clock.status, ClockStatus::OnTime { .. }));
    assert_eq!(case.received_on, date!(2021 - 09 - 30));
    // The query code is not stored in clear: a keyed hash under the current key.
    let row = gongkai_store::repo::application::find_by_number(&app.db, &number)
        .await
        .expect("row");
    assert!(
        row.query_code_hash.starts_with("h1:k1:"),
        "{}",
        row.query_code_hash
    );
    assert_eq!(row.query_code_hash.len(), "h1:k1:".len() + 64);
});

db_test!(refused_events_write_nothing, |db| async move {
    let app = setup(db).await;
    let today = date!(2021 - 12 - 31);
    let number = register(&app, person(), date!(2021 - 09 - 01)).await;

    // A supplement received before it was requested.
    let err = record(
        &app,
        &number,
        ev(date!(2021 - 09 - 02), EventKind::SupplementReceived),
        None,
        today,
    )
    .await
    .expect_err("refused");
    assert!(matches!(err, AppError::Refused(_)), "{err}");

    // An extension over 20 working days.
    let long = ev(
        date!(2021 - 09 - 20),
        EventKind::ExtensionApproved {
            working_days: 21,
            approver: "王主任".into(),
        },
    );
    assert!(matches!(
        record(&app, &number, long, None, today).await,
        Err(AppError::Refused(_))
    ));

    // One extension is fine, a second is refused.
    let ext = ev(
        date!(2021 - 09 - 20),
        EventKind::ExtensionApproved {
            working_days: 20,
            approver: "王主任".into(),
        },
    );
    record(&app, &number, ext.clone(), Some("公开专员"), today)
        .await
        .expect("first extension");
    let err = record(&app, &number, ext, None, today)
        .await
        .expect_err("second extension");
    assert!(matches!(err, AppError::Refused(_)), "{err}");

    // A decision on a withdrawn case.
    record(
        &app,
        &number,
        ev(date!(2021 - 09 - 22), EventKind::Withdrawn { reason: None }),
        None,
        today,
    )
    .await
    .expect("withdraw");
    let err = record(
        &app,
        &number,
        decided(date!(2021 - 09 - 23), Outcome::Granted),
        None,
        today,
    )
    .await
    .expect_err("decision after withdrawal");
    let AppError::Refused(r) = &err else {
        panic!("{err}")
    };
    assert!(!r.zh.is_empty());

    let case = application::show(&app, &number, today).await.expect("show");
    assert_eq!(case.events.len(), 2, "only the accepted events are stored");
    assert_eq!(case.status.key(), "withdrawn");
    assert_eq!(case.outcome.map(|o| o.key()), Some("other.other"));
});

db_test!(unknown_agency_is_refused, |db| async move {
    let app = setup(db).await;
    let err = application::register(
        &app,
        &operator(&app).await,
        Registration {
            agency: "不存在的局".into(),
            channel: Channel::InPerson,
            receipt: ReceiptFacts {
                arrived_on: date!(2021 - 03 - 01),
                confirmed_on: None,
            },
            applicant: person(),
            request: RequestedInfo {
                description: "x".into(),
                delivery: Delivery::Collect,
            },
        },
        date!(2021 - 03 - 01),
    )
    .await
    .expect_err("unknown agency");
    assert!(err.to_string().contains("agency not found"), "{err}");
    let err = report::compute(&app, "不存在的局", 2021)
        .await
        .expect_err("unknown agency");
    assert!(err.to_string().contains("not found"), "{err}");
});

db_test!(corrections_are_new_events, |db| async move {
    let app = setup(db).await;
    let today = date!(2021 - 12 - 31);
    let number = register(&app, person(), date!(2021 - 03 - 01)).await;
    record(
        &app,
        &number,
        decided(date!(2021 - 03 - 10), Outcome::Granted),
        None,
        today,
    )
    .await
    .expect("decide");
    let fix = ev(
        date!(2021 - 03 - 11),
        EventKind::Correction {
            target: 1,
            reason: "结果录入错误".into(),
            replacement: Some(Box::new(decided(date!(2021 - 03 - 10), Outcome::Partial))),
        },
    );
    let case = record(&app, &number, fix, Some("审核人"), today)
        .await
        .expect("correct");
    assert_eq!(case.events.len(), 2);
    assert_eq!(case.events[1].reason.as_deref(), Some("结果录入错误"));
    assert_eq!(case.events[1].corrects, Some(case.events[0].seq));
    assert_eq!(case.outcome.map(|o| o.key()), Some("partial"));
});

db_test!(due_soon_and_overdue_lists, |db| async move {
    let app = setup(db).await;
    let late = register(&app, person(), date!(2021 - 03 - 01)).await;
    let fresh = register(&app, person(), date!(2021 - 04 - 06)).await;
    let done = register(&app, person(), date!(2021 - 03 - 02)).await;
    let today = date!(2021 - 04 - 06);
    record(
        &app,
        &done,
        decided(date!(2021 - 03 - 05), Outcome::Granted),
        None,
        today,
    )
    .await
    .expect("decide");
    let overdue = application::list_due(&app, None, Due::Overdue, today)
        .await
        .expect("overdue");
    assert_eq!(
        overdue
            .cases
            .iter()
            .map(|c| c.number.as_str())
            .collect::<Vec<_>>(),
        [late.as_str()]
    );
    let soon = application::list_due(&app, Some(AGENCY), Due::Soon(30), today)
        .await
        .expect("soon");
    assert_eq!(
        soon.cases
            .iter()
            .map(|c| c.number.as_str())
            .collect::<Vec<_>>(),
        [fresh.as_str()]
    );
    assert!(
        application::list_due(&app, None, Due::Soon(5), today)
            .await
            .expect("soon")
            .cases
            .is_empty()
    );
});

db_test!(table3_from_cases_with_carry_over, |db| async move {
    let app = setup(db).await;
    let today = date!(2022 - 03 - 01);
    // 2020: received, decided in 2021 → carried over into 2021 and granted in 2021.
    let a = register(&app, person(), date!(2020 - 12 - 29)).await;
    record(
        &app,
        &a,
        decided(date!(2021 - 01 - 12), Outcome::Granted),
        None,
        today,
    )
    .await
    .expect("a");
    // 2021: company, partly disclosed in 2021.
    let b = register(&app, company(), date!(2021 - 05 - 06)).await;
    record(
        &app,
        &b,
        decided(date!(2021 - 05 - 20), Outcome::Partial),
        None,
        today,
    )
    .await
    .expect("b");
    // 2021: received late December, decided in 2022 → carried forward.
    let c = register(&app, person(), date!(2021 - 12 - 28)).await;
    record(
        &app,
        &c,
        decided(date!(2022 - 01 - 10), Outcome::UnableNotHeld),
        None,
        today,
    )
    .await
    .expect("c");
    // 2020, decided in 2020: not in the 2021 table.
    let d = register(&app, person(), date!(2020 - 06 - 01)).await;
    record(
        &app,
        &d,
        decided(date!(2020 - 06 - 10), Outcome::Granted),
        None,
        today,
    )
    .await
    .expect("d");

    let r = report::compute(&app, AGENCY, 2021).await.expect("compute");
    let t = &r.table3;
    let n = |row, col| match t.get(row, col).value {
        Value::Count(n) => n,
        ref v => panic!("{v:?}"),
    };
    assert_eq!(n(T3Row::NewReceived, T3Col::Total), 2);
    assert_eq!(n(T3Row::CarriedOver, T3Col::NaturalPerson), 1);
    assert_eq!(n(T3Row::Granted, T3Col::NaturalPerson), 1);
    assert_eq!(n(T3Row::Partial, T3Col::Total), 1);
    assert_eq!(n(T3Row::TotalProcessed, T3Col::Total), 2);
    assert_eq!(n(T3Row::CarriedForward, T3Col::NaturalPerson), 1);
    assert_eq!(n(T3Row::DeniedStateSecret, T3Col::Total), 0);
    let company_col = Applicant::t3_col(&company());
    assert_eq!(n(T3Row::Partial, company_col), 1);
    assert_eq!(
        t.get(T3Row::CarriedForward, T3Col::Total).source,
        Some(Source::Computed {
            records: vec![c.clone()]
        })
    );
    let findings = check(&r, None);
    for f in findings.iter().filter(|f| f.rule.id.starts_with("T3")) {
        assert!(
            !f.is_error_failure(),
            "{} fails: {}",
            f.rule.id,
            f.message(gongkai_core::report::rules::Lang::En)
        );
    }

    // 2022 carries c over and concludes it; 2020's table holds a and d as new.
    let r22 = report::compute(&app, AGENCY, 2022).await.expect("2022");
    assert_eq!(
        r22.table3.get(T3Row::CarriedOver, T3Col::Total).value,
        Value::Count(1)
    );
    assert_eq!(
        r22.table3.get(T3Row::UnableNotHeld, T3Col::Total).value,
        Value::Count(1)
    );
    let r20 = report::compute(&app, AGENCY, 2020).await.expect("2020");
    assert_eq!(
        r20.table3.get(T3Row::NewReceived, T3Col::Total).value,
        Value::Count(2)
    );
    assert_eq!(
        r20.table3.get(T3Row::CarriedForward, T3Col::Total).value,
        Value::Count(1)
    );
    let _ = (b, d);
});

db_test!(concurrent_writers_on_one_case_serialise, |db| async move {
    let app = std::sync::Arc::new(setup(db).await);
    let today = date!(2021 - 12 - 31);
    // Two registrations at once get two numbers.
    let (a, b) = tokio::join!(
        register(&app, person(), date!(2021 - 09 - 01)),
        register(&app, company(), date!(2021 - 09 - 01))
    );
    assert_ne!(a, b);
    // Two officers approve an extension at the same moment: one wins, the other is refused
    // by the state machine on the log that includes the winner's event.
    let ext = |who: &'static str| {
        let app = app.clone();
        let number = a.clone();
        tokio::spawn(async move {
            let e = ev(
                date!(2021 - 09 - 20),
                EventKind::ExtensionApproved {
                    working_days: 10,
                    approver: who.into(),
                },
            );
            record(&app, &number, e, Some(who), today).await
        })
    };
    let (r1, r2) = tokio::join!(ext("王主任"), ext("李主任"));
    let results = [r1.expect("task"), r2.expect("task")];
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(AppError::Refused(_))))
    );
    let case = application::show(&app, &a, today).await.expect("show");
    assert_eq!(case.events.len(), 1);
});

db_test!(rl_6_lookup_by_number_and_query_code, |db| async move {
    let app = setup(db).await;
    let reg = application::register(
        &app,
        &operator(&app).await,
        Registration {
            agency: AGENCY.into(),
            channel: Channel::Online,
            receipt: ReceiptFacts {
                arrived_on: date!(2021 - 03 - 01),
                confirmed_on: Some(date!(2021 - 03 - 02)),
            },
            applicant: person(),
            request: RequestedInfo {
                description: "x".into(),
                delivery: Delivery::Email,
            },
        },
        date!(2021 - 03 - 02),
    )
    .await
    .expect("register");
    // Art. 31: online applications count from the day both sides confirmed.
    assert_eq!(reg.received_on, date!(2021 - 03 - 02));
    let today = date!(2021 - 03 - 03);
    let case = application::lookup(&app, &reg.number, &reg.query_code.to_lowercase(), today)
        .await
        .expect("the right code opens the case");
    assert_eq!(case.number, reg.number);
    let wrong = application::lookup(&app, &reg.number, "0000-0000-00000", today)
        .await
        .expect_err("wrong code");
    let unknown = application::lookup(&app, "2099-000001", &reg.query_code, today)
        .await
        .expect_err("unknown number");
    assert!(wrong.to_string().contains("not found") && unknown.to_string().contains("not found"));
});

db_test!(projections_match_the_event_log, |db| async move {
    let app = setup(db.clone()).await;
    let today = date!(2021 - 12 - 31);
    let a = register(&app, person(), date!(2021 - 03 - 01)).await;
    record(
        &app,
        &a,
        decided(date!(2021 - 03 - 10), Outcome::Granted),
        None,
        today,
    )
    .await
    .expect("decide");
    register(&app, person(), date!(2021 - 03 - 02)).await;
    assert!(
        application::check_projections(&app, false)
            .await
            .expect("check")
            .is_empty()
    );
    // Damage the projection behind the log's back: the check finds it and the fix restores it.
    gongkai_store::on_db!(&db, |p| {
        sqlx::query(
            "UPDATE application SET status = 'processing', outcome = NULL, closed_on = NULL",
        )
        .execute(p)
        .await
        .expect("damage");
    });
    assert_eq!(
        application::check_projections(&app, true)
            .await
            .expect("fix"),
        std::slice::from_ref(&a)
    );
    assert!(
        application::check_projections(&app, false)
            .await
            .expect("check")
            .is_empty()
    );
    let case = application::show(&app, &a, today).await.expect("show");
    assert_eq!(case.outcome.map(|o| o.key()), Some("granted"));
});

fn posted() -> Service {
    Service {
        by: ServedBy::Post,
        received_on: None,
    }
}

db_test!(
    fee_109_unpaid_only_after_the_payment_period,
    |db| async move {
        let app = setup(db).await;
        let number = register(&app, person(), date!(2021 - 03 - 01)).await;
        let today = date!(2021 - 06 - 30);
        let notice = ev(
            date!(2021 - 03 - 05),
            EventKind::FeeNoticeIssued {
                amount_yuan: 10,
                basis: FeeBasis::PerVolume { pages: 31 },
                service: posted(),
            },
        );
        record(&app, &number, notice, None, today)
            .await
            .expect("notice");
        // Posted: until its receipt is recorded the period's end is unknown; the case needs action.
        let unpaid = |on| ev(on, EventKind::FeeUnpaid);
        let err = record(&app, &number, unpaid(date!(2021 - 05 - 10)), None, today)
            .await
            .expect_err("receipt unknown");
        assert!(err.to_string().contains("not recorded"), "{err}");
        let list = application::list_due(&app, None, Due::NeedsAction, date!(2021 - 03 - 12))
            .await
            .expect("needs action");
        assert_eq!(list.cases.len(), 1);
        assert_eq!(
            list.cases[0].clock.attention,
            [Attention::ReceiptUnknown { letter: 1 }]
        );
        // The return receipt: Wed 03-10, so payment is due Thu 04-08 (清明 04-03…05).
        let case = record(
            &app,
            &number,
            ev(
                date!(2021 - 03 - 12),
                EventKind::LetterReceived {
                    target: 1,
                    received_on: date!(2021 - 03 - 10),
                },
            ),
            Some("公开专员"),
            today,
        )
        .await
        .expect("receipt");
        assert_eq!(
            case.clock.fee_payment_due,
            Some(gongkai_core::application::Due::On(date!(2021 - 04 - 08)))
        );
        let err = record(&app, &number, unpaid(date!(2021 - 04 - 08)), None, today)
            .await
            .expect_err("too early");
        assert!(
            err.to_string()
                .contains("recorded as passed from 2021-04-09"),
            "{err}"
        );
        // Nothing was written by the refusals; past the period it needs action, then closes.
        let case = application::show(&app, &number, date!(2021 - 04 - 09))
            .await
            .expect("show");
        assert_eq!(case.events.len(), 2);
        assert_eq!(
            case.clock.attention,
            [Attention::FeeLapsed {
                until: date!(2021 - 04 - 08)
            }]
        );
        let case = record(&app, &number, unpaid(date!(2021 - 04 - 09)), None, today)
            .await
            .expect("period over");
        assert_eq!(case.outcome.map(|o| o.key()), Some("other.fee_unpaid"));
    }
);

db_test!(
    art_30_supplement_after_the_reply_deadline_is_refused,
    |db| async move {
        let app = setup(db).await;
        let number = register(&app, person(), date!(2021 - 03 - 01)).await;
        let today = date!(2021 - 04 - 30);
        let late = ev(
            date!(2021 - 03 - 30),
            EventKind::SupplementRequested {
                items: vec!["文件名称".into()],
                period_working_days: 10,
                service: Service::default(),
            },
        );
        let err = record(&app, &number, late, None, today)
            .await
            .expect_err("after the deadline");
        assert!(
            err.to_string().contains("reply was due on 2021-03-29"),
            "{err}"
        );
        // It stays overdue and listed as such.
        let list = application::list_due(&app, None, Due::Overdue, today)
            .await
            .expect("overdue");
        assert_eq!(list.cases.len(), 1);
        assert_eq!(list.cases[0].number, number);
    }
);

db_test!(art_33_lists_account_for_every_open_case, |db| async move {
    let app = setup(db).await;
    let old = register(&app, person(), date!(2022 - 03 - 01)).await;
    // Due in January 2027, whose holiday notice is not loaded.
    let recent = register(&app, person(), date!(2026 - 12 - 10)).await;
    let today = date!(2026 - 12 - 28);
    let list = application::list_due(&app, None, Due::Overdue, today)
        .await
        .expect("overdue");
    assert_eq!(list.cases.len(), 1);
    assert_eq!(list.cases[0].number, old);
    assert_eq!(
        list.cases[0].clock.status,
        ClockStatus::Overdue {
            due: date!(2022 - 03 - 29),
            by: None
        }
    );
    assert!(!list.is_complete());
    assert_eq!(list.undetermined.len(), 1);
    assert_eq!(list.undetermined[0].0.number, recent);
    assert_eq!(list.undetermined[0].1, 2027);
    // No list of due dates loses the case it cannot place.
    for due in [Due::Soon(5), Due::Overdue, Due::Open] {
        let l = application::list_due(&app, None, due, today)
            .await
            .expect("list");
        let all: Vec<&str> = l
            .cases
            .iter()
            .chain(l.undetermined.iter().map(|(c, _)| c))
            .map(|c| c.number.as_str())
            .collect();
        assert!(all.contains(&recent.as_str()), "{due:?}: {all:?}");
    }
    // It has no other party's period, so it needs no action.
    let l = application::list_due(&app, None, Due::NeedsAction, today)
        .await
        .expect("needs action");
    assert!(l.cases.is_empty() && l.is_complete());
    let err = application::list_due(&app, None, Due::Soon(100_000), today)
        .await
        .expect_err("bounded");
    assert!(err.to_string().contains("at most 250"), "{err}");
});

db_test!(
    a_concluded_case_keeps_the_due_date_its_reply_is_judged_against,
    |db| async move {
        let app = setup(db.clone()).await;
        // Received 30 September 2021: due 3 November (National Day skipped).
        let late = register(&app, person(), date!(2021 - 09 - 30)).await;
        let on_time = register(&app, person(), date!(2021 - 09 - 30)).await;
        let open = register(&app, person(), date!(2021 - 09 - 30)).await;
        for (number, on) in [
            (&late, date!(2021 - 11 - 05)),
            (&on_time, date!(2021 - 11 - 03)),
        ] {
            record(&app, number, decided(on, Outcome::Granted), None, on)
                .await
                .expect("decide");
        }
        let due = |number: String| {
            let db = db.clone();
            async move {
                gongkai_store::repo::application::find_by_number(&db, &number)
                    .await
                    .expect("row")
                    .due_on
            }
        };
        assert_eq!(due(late.clone()).await, Some(date!(2021 - 11 - 03)));
        assert_eq!(due(on_time.clone()).await, Some(date!(2021 - 11 - 03)));
        assert_eq!(due(open.clone()).await, None, "open: not judged yet");
        let case = application::show(&app, &late, date!(2021 - 12 - 01))
            .await
            .expect("show");
        assert!(matches!(
            case.clock.status,
            ClockStatus::Concluded { late_by: 2, .. }
        ));
        // A row written before the column existed: the check finds it, the fix writes it.
        gongkai_store::on_db!(&db, |p| {
            sqlx::query("UPDATE application SET due_on = NULL")
                .execute(p)
                .await
                .expect("clear");
        });
        let mut differing = application::check_projections(&app, true)
            .await
            .expect("fix");
        differing.sort();
        assert_eq!(differing, [late.clone(), on_time]);
        assert_eq!(due(late).await, Some(date!(2021 - 11 - 03)));
    }
);
