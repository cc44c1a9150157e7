//! Remedy cases (行政复议, 行政诉讼) through the use cases on SQLite and PostgreSQL: add, decide,
//! correct, list, show, the scope and role checks, the 复议前置 rule, and table 四 of the
//! computed report (docs/rules/annual-report.md#table-四-remedy-cases).

use gongkai_app::application::{self, Registration, RequestedInfo};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::remedy::{self, DecisionInput, RemedyFilter, RemedyInput, RemedyView};
use gongkai_app::{App, agency, report, user};
use gongkai_core::application::{
    Applicant, Channel, Contact, Delivery, Event, EventKind, IdType, NaturalPerson, Outcome,
    ReceiptFacts,
};
use gongkai_core::ids::RegionId;
use gongkai_core::remedy::{RemedyKind, RemedyOutcome};
use gongkai_core::report::{Source, T4Col, Value, check};
use gongkai_core::user::{Actor, Role};
use gongkai_store::{Db, db_test};
use time::Date;
use time::macros::date;

const ZHANGDIAN: &str = "张店区某局";
const ZICHUAN: &str = "淄川区某局";
const TODAY: Date = date!(2025 - 06 - 30);

struct Setup {
    app: App,
    clerk: Actor,
    reviewer: Actor,
    secrecy: Actor,
    other: Actor,
    supervisor: Actor,
    admin: Actor,
    _dir: tempfile::TempDir,
}

async fn setup(db: Db) -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::with_db(dir.path(), db).expect("app");
    let admin = user::first_admin(&app, "operator", None)
        .await
        .expect("admin");
    let a = agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/张店区",
        ZHANGDIAN,
        Some("000000009"),
    )
    .await
    .expect("张店");
    agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/淄川区",
        ZICHUAN,
        Some("000000017"),
    )
    .await
    .expect("淄川");
    let zibo = gongkai_store::repo::agency::region_path(&app.db, a.region_id.get())
        .await
        .expect("path")
        .into_iter()
        .find(|r| r.name == "淄博市")
        .map(|r| RegionId::new(r.id))
        .expect("淄博市");
    let add = async |name: &str, roles: Vec<Role>, agency: Option<&str>, region| {
        user::add(
            &app,
            &gongkai_app::user::first_security(&app)
                .await
                .expect("security"),
            user::NewUserInput {
                name: name.into(),
                display_name: None,
                roles,
                agency: agency.map(str::to_string),
                region,
            },
        )
        .await
        .expect("user");
        user::actor(&app, Some(name)).await.expect("actor")
    };
    let clerk = add("clerk", vec![Role::Entry], Some(ZHANGDIAN), None).await;
    let reviewer = add("reviewer", vec![Role::Review], Some(ZHANGDIAN), None).await;
    let secrecy = add("secrecy", vec![Role::Secrecy], Some(ZHANGDIAN), None).await;
    let other = add("other", vec![Role::Entry], Some(ZICHUAN), None).await;
    let supervisor = add("sup", vec![Role::Supervise, Role::Entry], None, Some(zibo)).await;
    Setup {
        app,
        clerk,
        reviewer,
        secrecy,
        other,
        supervisor,
        admin,
        _dir: dir,
    }
}

/// Registers an application at `agency` on `received` and, with `answer`, decides it.
async fn application_of(
    s: &Setup,
    by: &Actor,
    agency: &str,
    received: Date,
    answer: Option<(Date, Outcome)>,
) -> String {
    let number = application::register(
        &s.app,
        by,
        Registration {
            agency: agency.into(),
            channel: Channel::InPerson,
            receipt: ReceiptFacts {
                arrived_on: received,
                confirmed_on: None,
            },
            applicant: Applicant::Person(NaturalPerson {
                name: "张三".into(),
                id_type: IdType::ResidentIdCard,
                id_number: "11010519491231002X".into(),
                contact: Contact {
                    phone: Some("13812345678".into()),
                    ..Contact::default()
                },
            }),
            request: RequestedInfo {
                description: "2023年部门预算".into(),
                delivery: Delivery::Post,
            },
        },
        received,
    )
    .await
    .expect("registered")
    .number;
    if let Some((on, outcome)) = answer {
        application::record_event(
            &s.app,
            by,
            &number,
            Event {
                on,
                kind: EventKind::Decided {
                    outcome,
                    legal_basis: "《中华人民共和国政府信息公开条例》第三十六条".into(),
                },
            },
            on,
        )
        .await
        .expect("decided");
    }
    number
}

fn input(kind: RemedyKind, filed_on: Date) -> RemedyInput {
    RemedyInput {
        agency: ZHANGDIAN.into(),
        kind,
        application: None,
        subject: None,
        after_review: None,
        body: if kind == RemedyKind::Review {
            "淄博市张店区人民政府".into()
        } else {
            "淄博市张店区人民法院".into()
        },
        filed_on,
        case_number: None,
        note: None,
        court_accepted_direct: false,
        override_note: None,
    }
}

fn with_application(kind: RemedyKind, filed_on: Date, number: &str) -> RemedyInput {
    RemedyInput {
        application: Some(number.into()),
        ..input(kind, filed_on)
    }
}

fn decision(on: Date, outcome: RemedyOutcome, reason: Option<&str>) -> DecisionInput {
    DecisionInput {
        on,
        outcome,
        reason: reason.map(str::to_string),
    }
}

async fn all(s: &Setup) -> Vec<RemedyView> {
    remedy::list(&s.app, &s.admin, &RemedyFilter::default())
        .await
        .expect("list")
}

fn records(r: &gongkai_core::report::AnnualReport, key: &str) -> Vec<String> {
    let col = T4Col::from_key(key).expect("column");
    match &r.table4.get(col).source {
        Some(Source::Computed { records }) => records.clone(),
        other => panic!("{key}: {other:?}"),
    }
}

fn value(r: &gongkai_core::report::AnnualReport, key: &str) -> Value {
    r.table4
        .get(T4Col::from_key(key).expect("column"))
        .value
        .clone()
}

db_test!(add_decide_list_and_show, |db| async move {
    let s = setup(db).await;
    let app_no = application_of(
        &s,
        &s.clerk,
        ZHANGDIAN,
        date!(2024 - 02 - 01),
        Some((date!(2024 - 02 - 20), Outcome::Granted)),
    )
    .await;
    let review = remedy::add(
        &s.app,
        &s.clerk,
        RemedyInput {
            case_number: Some(" 张政复决字〔2024〕3号 ".into()),
            note: Some("申请人认为答复不完整".into()),
            ..with_application(RemedyKind::Review, date!(2024 - 03 - 01), &app_no)
        },
        TODAY,
    )
    .await
    .expect("review added");
    assert_eq!(review.number, "复议-2024-0001");
    assert_eq!(review.kind_label, "行政复议");
    assert_eq!(review.application.as_deref(), Some(app_no.as_str()));
    assert_eq!(review.case_number.as_deref(), Some("张政复决字〔2024〕3号"));
    assert_eq!(review.outcome_label, "尚未审结");
    assert_eq!(review.history.len(), 1);
    assert_eq!(review.history[0].what, "filed");
    // A complaint about proactive disclosure: no application, a subject.
    let complaint = remedy::add(
        &s.app,
        &s.reviewer,
        RemedyInput {
            subject: Some("未按规定主动公开2023年部门决算".into()),
            ..input(RemedyKind::LitigationDirect, date!(2024 - 04 - 01))
        },
        TODAY,
    )
    .await
    .expect("complaint added by 审核");
    assert_eq!(complaint.number, "诉讼-2024-0001");
    assert_eq!(complaint.application, None);
    // The suit after the review takes the review's application.
    let after = remedy::add(
        &s.app,
        &s.clerk,
        RemedyInput {
            after_review: Some(review.number.clone()),
            ..input(RemedyKind::LitigationAfterReview, date!(2024 - 05 - 01))
        },
        TODAY,
    )
    .await
    .expect("after review");
    assert_eq!(after.number, "诉讼-2024-0002");
    assert_eq!(after.after_review.as_deref(), Some("复议-2024-0001"));
    assert_eq!(after.application.as_deref(), Some(app_no.as_str()));

    let decided = remedy::decide(
        &s.app,
        &s.clerk,
        &review.number,
        decision(date!(2024 - 04 - 20), RemedyOutcome::Upheld, None),
        TODAY,
    )
    .await
    .expect("decided");
    assert_eq!(decided.outcome, Some(RemedyOutcome::Upheld));
    assert_eq!(decided.outcome_label, "结果维持");
    assert_eq!(decided.decided_on, Some(date!(2024 - 04 - 20)));
    assert_eq!(decided.history.len(), 2);
    // Before the filing, or in the future: refused.
    for bad in [date!(2024 - 03 - 31), date!(2025 - 07 - 01)] {
        let err = remedy::decide(
            &s.app,
            &s.clerk,
            &complaint.number,
            decision(bad, RemedyOutcome::Other, None),
            TODAY,
        )
        .await
        .expect_err("bad date");
        assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    }

    let listed = remedy::list(
        &s.app,
        &s.clerk,
        &RemedyFilter {
            year: Some(2024),
            ..RemedyFilter::default()
        },
    )
    .await
    .expect("list");
    let numbers: Vec<&str> = listed.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(
        numbers,
        ["诉讼-2024-0002", "诉讼-2024-0001", "复议-2024-0001"]
    );
    let pending = remedy::list(
        &s.app,
        &s.clerk,
        &RemedyFilter {
            agency: Some(ZHANGDIAN.into()),
            year: Some(2024),
            pending_only: true,
        },
    )
    .await
    .expect("pending");
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().all(|c| c.outcome.is_none()));
    let none = remedy::list(
        &s.app,
        &s.clerk,
        &RemedyFilter {
            year: Some(2023),
            ..RemedyFilter::default()
        },
    )
    .await
    .expect("2023");
    assert!(none.is_empty());
    let json = serde_json::to_value(&decided).expect("json");
    assert_eq!(json["kind"], "review");
    assert_eq!(json["outcome"], "upheld");
    assert_eq!(json["filed_on"], "2024-03-01");
    assert_eq!(json["history"][1]["what"], "decided");
});

db_test!(
    a_december_case_decided_in_january_is_pending_in_its_filing_year_only,
    |db| async move {
        let s = setup(db).await;
        let late = remedy::add(
            &s.app,
            &s.clerk,
            RemedyInput {
                subject: Some("对政府信息公开指南的异议".into()),
                ..input(RemedyKind::Review, date!(2024 - 12 - 20))
            },
            TODAY,
        )
        .await
        .expect("added");
        remedy::decide(
            &s.app,
            &s.clerk,
            &late.number,
            decision(date!(2025 - 01 - 10), RemedyOutcome::Upheld, None),
            TODAY,
        )
        .await
        .expect("decided in January");
        let early = remedy::add(
            &s.app,
            &s.clerk,
            RemedyInput {
                subject: Some("对答复期限的异议".into()),
                ..input(RemedyKind::LitigationDirect, date!(2024 - 05 - 06))
            },
            TODAY,
        )
        .await
        .expect("added");
        remedy::decide(
            &s.app,
            &s.clerk,
            &early.number,
            decision(date!(2024 - 09 - 01), RemedyOutcome::Corrected, None),
            TODAY,
        )
        .await
        .expect("decided");
        // Another agency's case is not in this agency's table.
        remedy::add(
            &s.app,
            &s.other,
            RemedyInput {
                agency: ZICHUAN.into(),
                subject: Some("淄川的案件".into()),
                ..input(RemedyKind::Review, date!(2024 - 06 - 01))
            },
            TODAY,
        )
        .await
        .expect("淄川");

        let r2024 = report::compute(&s.app, ZHANGDIAN, 2024)
            .await
            .expect("2024");
        assert_eq!(records(&r2024, "review.pending"), [late.number.as_str()]);
        assert_eq!(records(&r2024, "review.total"), [late.number.as_str()]);
        assert_eq!(value(&r2024, "review.upheld"), Value::Count(0));
        assert_eq!(
            records(&r2024, "litigation.direct.corrected"),
            [early.number.as_str()]
        );
        assert_eq!(value(&r2024, "litigation.direct.total"), Value::Count(1));
        assert_eq!(
            value(&r2024, "litigation.after_review.total"),
            Value::Count(0)
        );
        for f in check(&r2024, None) {
            if f.rule.id.starts_with("T4") {
                assert!(!f.is_error_failure(), "{} fails", f.rule.id);
            }
        }
        // Not counted again in the year it was decided.
        let r2025 = report::compute(&s.app, ZHANGDIAN, 2025)
            .await
            .expect("2025");
        for col in T4Col::all() {
            assert_eq!(
                r2025.table4.get(col).value,
                Value::Count(0),
                "{}",
                col.key()
            );
        }
        // The region's roll-up counts both agencies.
        let region = report::compute_region_path(&s.app, "山东省/淄博市", 2024)
            .await
            .expect("region");
        assert_eq!(value(&region, "review.total"), Value::Count(2));
        assert_eq!(value(&region, "review.pending"), Value::Count(2));
        // The JSON of the report lists the records of each cell.
        let doc = gongkai_core::report::json::to_json(&r2024, None);
        assert_eq!(doc["table4"]["review.pending"], 1);
        assert_eq!(
            doc["source"]["cells"]["table4.review.pending"]["records"][0],
            late.number.as_str()
        );
    }
);

db_test!(
    a_correction_of_a_decision_keeps_the_history,
    |db| async move {
        let s = setup(db).await;
        let case = remedy::add(
            &s.app,
            &s.clerk,
            RemedyInput {
                subject: Some("对主动公开的投诉".into()),
                ..input(RemedyKind::Review, date!(2024 - 03 - 01))
            },
            TODAY,
        )
        .await
        .expect("added");
        remedy::decide(
            &s.app,
            &s.clerk,
            &case.number,
            decision(date!(2024 - 04 - 01), RemedyOutcome::Upheld, None),
            TODAY,
        )
        .await
        .expect("decided");
        // A second decision without a reason: refused, nothing written.
        let err = remedy::decide(
            &s.app,
            &s.reviewer,
            &case.number,
            decision(date!(2024 - 04 - 02), RemedyOutcome::Corrected, None),
            TODAY,
        )
        .await
        .expect_err("needs a reason");
        assert_eq!(err.kind(), ErrorKind::Refused);
        assert!(err.zh().contains("须说明理由"), "{}", err.zh());
        let same = remedy::show(&s.app, &s.clerk, &case.number)
            .await
            .expect("show");
        assert_eq!(same.history.len(), 2);
        assert_eq!(same.outcome, Some(RemedyOutcome::Upheld));

        let corrected = remedy::decide(
            &s.app,
            &s.reviewer,
            &case.number,
            decision(
                date!(2024 - 04 - 02),
                RemedyOutcome::Corrected,
                Some("录入有误：复议决定为责令重新答复"),
            ),
            TODAY,
        )
        .await
        .expect("corrected");
        assert_eq!(corrected.outcome, Some(RemedyOutcome::Corrected));
        assert_eq!(corrected.decided_on, Some(date!(2024 - 04 - 02)));
        let h = &corrected.history;
        let whats: Vec<&str> = h.iter().map(|c| c.what.as_str()).collect();
        assert_eq!(whats, ["filed", "decided", "corrected"]);
        // The first decision is kept as it was, with who recorded it.
        assert_eq!(h[1].outcome, Some(RemedyOutcome::Upheld));
        assert_eq!(h[1].decided_on, Some(date!(2024 - 04 - 01)));
        assert_eq!(h[1].user_id, s.clerk.id);
        assert_eq!(h[2].user_id, s.reviewer.id);
        assert_eq!(
            h[2].reason.as_deref(),
            Some("录入有误：复议决定为责令重新答复")
        );
        assert_eq!(h[2].what_label, "更正");
        // The history is append-only in the database.
        let sql = "UPDATE remedy_change SET outcome = 'other'";
        let refused = match &s.app.db {
            Db::Sqlite(p) => sqlx::query(sql).execute(p).await.is_err(),
            Db::Postgres(p) => sqlx::query(sql).execute(p).await.is_err(),
        };
        assert!(refused, "the history cannot be rewritten");
    }
);

db_test!(
    an_application_of_another_agency_is_refused_and_nothing_written,
    |db| async move {
        let s = setup(db).await;
        let theirs = application_of(&s, &s.other, ZICHUAN, date!(2024 - 02 - 01), None).await;
        let err = remedy::add(
            &s.app,
            &s.clerk,
            with_application(RemedyKind::Review, date!(2024 - 03 - 01), &theirs),
            TODAY,
        )
        .await
        .expect_err("another agency's application");
        assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
        assert!(err.zh().contains(&theirs), "{}", err.zh());
        assert!(err.zh().contains("不是张店区某局的申请"), "{}", err.zh());
        // The administrator, acting for 张店区某局, is refused the same way.
        remedy::add(
            &s.app,
            &s.admin,
            with_application(RemedyKind::Review, date!(2024 - 03 - 01), &theirs),
            TODAY,
        )
        .await
        .expect_err("admin too");
        assert!(all(&s).await.is_empty(), "nothing written");
        // Nor was a number used up.
        let next = remedy::add(
            &s.app,
            &s.other,
            RemedyInput {
                agency: ZICHUAN.into(),
                ..with_application(RemedyKind::Review, date!(2024 - 03 - 01), &theirs)
            },
            TODAY,
        )
        .await
        .expect("淄川's own");
        assert_eq!(next.number, "复议-2024-0001");
        // An unknown application is not found.
        let err = remedy::add(
            &s.app,
            &s.clerk,
            with_application(RemedyKind::Review, date!(2024 - 03 - 01), "2024-999999"),
            TODAY,
        )
        .await
        .expect_err("unknown");
        assert_eq!(err.kind(), ErrorKind::NotFound);
    }
);

db_test!(
    review_first_refuses_a_2024_direct_suit_against_a_refusal,
    |db| async move {
        let s = setup(db).await;
        let denied = application_of(
            &s,
            &s.clerk,
            ZHANGDIAN,
            date!(2023 - 11 - 01),
            Some((date!(2023 - 11 - 20), Outcome::DeniedProcessInfo)),
        )
        .await;
        let err = remedy::add(
            &s.app,
            &s.clerk,
            with_application(RemedyKind::LitigationDirect, date!(2024 - 01 - 05), &denied),
            TODAY,
        )
        .await
        .expect_err("review first");
        assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
        assert!(
            err.zh().contains("应当先申请行政复议")
                && err.zh().contains("第二十三条")
                && err.zh().contains("复议后起诉"),
            "{}",
            err.zh()
        );
        assert!(err.en().contains("court-accepted-direct"), "{}", err.en());
        assert!(all(&s).await.is_empty(), "nothing written");

        // The court did accept it: recorded with the override.
        let accepted = remedy::add(
            &s.app,
            &s.clerk,
            RemedyInput {
                court_accepted_direct: true,
                override_note: Some("（2024）鲁0303行初5号受理通知书".into()),
                ..with_application(RemedyKind::LitigationDirect, date!(2024 - 01 - 05), &denied)
            },
            TODAY,
        )
        .await
        .expect("override");
        assert!(accepted.court_accepted_direct);
        let shown = remedy::show(&s.app, &s.supervisor, &accepted.number)
            .await
            .expect("shown to the supervisor");
        assert!(shown.court_accepted_direct);
        assert_eq!(
            shown.override_note.as_deref(),
            Some("（2024）鲁0303行初5号受理通知书")
        );

        // Before 2024 the applicant could sue directly.
        remedy::add(
            &s.app,
            &s.clerk,
            with_application(RemedyKind::LitigationDirect, date!(2023 - 12 - 29), &denied),
            TODAY,
        )
        .await
        .expect("2023 direct suit");
        // The way the rule asks for: a review, then the suit after it.
        let review = remedy::add(
            &s.app,
            &s.clerk,
            with_application(RemedyKind::Review, date!(2024 - 01 - 05), &denied),
            TODAY,
        )
        .await
        .expect("review");
        remedy::add(
            &s.app,
            &s.clerk,
            RemedyInput {
                after_review: Some(review.number),
                ..with_application(
                    RemedyKind::LitigationAfterReview,
                    date!(2024 - 03 - 05),
                    &denied,
                )
            },
            TODAY,
        )
        .await
        .expect("after review");
        // A granted application: no review first.
        let granted = application_of(
            &s,
            &s.clerk,
            ZHANGDIAN,
            date!(2023 - 11 - 01),
            Some((date!(2023 - 11 - 20), Outcome::Granted)),
        )
        .await;
        remedy::add(
            &s.app,
            &s.clerk,
            with_application(
                RemedyKind::LitigationDirect,
                date!(2024 - 01 - 05),
                &granted,
            ),
            TODAY,
        )
        .await
        .expect("not a refusal");
        assert_eq!(all(&s).await.len(), 5);
    }
);

db_test!(roles_and_scope_of_remedy_cases, |db| async move {
    let s = setup(db).await;
    let subject = |kind, on| RemedyInput {
        subject: Some("对主动公开的投诉".into()),
        ..input(kind, on)
    };
    // 保密审查 alone may not record; a region's supervisor reads only.
    let err = remedy::add(
        &s.app,
        &s.secrecy,
        subject(RemedyKind::Review, date!(2024 - 03 - 01)),
        TODAY,
    )
    .await
    .expect_err("secrecy");
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert!(err.zh().contains("录入"), "{}", err.zh());
    let err = remedy::add(
        &s.app,
        &s.supervisor,
        subject(RemedyKind::Review, date!(2024 - 03 - 01)),
        TODAY,
    )
    .await
    .expect_err("supervisor");
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    // Another agency's user does not see this agency.
    let err = remedy::add(
        &s.app,
        &s.other,
        subject(RemedyKind::Review, date!(2024 - 03 - 01)),
        TODAY,
    )
    .await
    .expect_err("other agency");
    assert_eq!(err.kind(), ErrorKind::NotFound);

    let case = remedy::add(
        &s.app,
        &s.clerk,
        subject(RemedyKind::Review, date!(2024 - 03 - 01)),
        TODAY,
    )
    .await
    .expect("clerk");
    let err = remedy::show(&s.app, &s.other, &case.number)
        .await
        .expect_err("hidden");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = remedy::decide(
        &s.app,
        &s.other,
        &case.number,
        decision(date!(2024 - 04 - 01), RemedyOutcome::Upheld, None),
        TODAY,
    )
    .await
    .expect_err("hidden");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = remedy::decide(
        &s.app,
        &s.supervisor,
        &case.number,
        decision(date!(2024 - 04 - 01), RemedyOutcome::Upheld, None),
        TODAY,
    )
    .await
    .expect_err("supervisor");
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    // Readers: the supervisor sees the region's cases, the other agency none.
    let seen = remedy::list(&s.app, &s.supervisor, &RemedyFilter::default())
        .await
        .expect("supervisor list");
    assert_eq!(seen.len(), 1);
    let theirs = remedy::list(&s.app, &s.other, &RemedyFilter::default())
        .await
        .expect("other list");
    assert!(theirs.is_empty());
    let err = remedy::list(
        &s.app,
        &s.other,
        &RemedyFilter {
            agency: Some(ZHANGDIAN.into()),
            ..RemedyFilter::default()
        },
    )
    .await
    .expect_err("other agency named");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    // The choices of the form: this agency's applications only.
    application_of(&s, &s.clerk, ZHANGDIAN, date!(2024 - 02 - 01), None).await;
    application_of(&s, &s.other, ZICHUAN, date!(2024 - 02 - 01), None).await;
    let choices = remedy::application_choices(&s.app, &s.clerk, ZHANGDIAN)
        .await
        .expect("choices");
    assert_eq!(choices.len(), 1);
});
