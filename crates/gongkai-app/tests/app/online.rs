//! Online applications through the use cases, on SQLite and PostgreSQL: submission, the
//! idempotent resubmission (RL-4), the look-up before and after confirmation (Art. 31),
//! confirmation and rejection by staff, letters for the applicant, table 三.

use gongkai_app::application;
use gongkai_app::application::online::{
    self, Receipt, SubmissionStatus, Tracked, confirm_online, issued_letters, reject_online,
    submit_online, track, tracked_letter,
};
use gongkai_app::error::ErrorKind;
use gongkai_app::{App, AppError, agency, report, user};
use gongkai_core::application::{
    Channel, Due, Event, EventKind, Medium, OnlineApplication, OnlineForm, Outcome, ReceiptFacts,
};
use gongkai_core::ids::AgencyId;
use gongkai_core::report::{T3Col, T3Row, Value};
use gongkai_core::user::{Actor, Role};
use gongkai_letters::LetterKind;
use gongkai_store::{Db, db_test};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const AGENCY: &str = "张店区机关事务服务中心";
const OTHER: &str = "张店区财政局";

struct Setup {
    app: App,
    agency: AgencyId,
    other: AgencyId,
    _dir: tempfile::TempDir,
}

async fn setup(db: Db) -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::with_db(dir.path(), db).expect("app");
    let admin = user::first_admin(&app, "operator", None)
        .await
        .expect("operator");
    let a = agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/张店区",
        AGENCY,
        Some("000000009"),
    )
    .await
    .expect("agency");
    let b = agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/张店区",
        OTHER,
        Some("000000017"),
    )
    .await
    .expect("agency");
    Setup {
        app,
        agency: a.id,
        other: b.id,
        _dir: dir,
    }
}

async fn operator(app: &App) -> Actor {
    user::actor(app, Some("operator")).await.expect("operator")
}

/// A user with `roles` (of `agency` when given), added on first use.
async fn staff(app: &App, name: &str, roles: Vec<Role>, agency: Option<&str>) -> Actor {
    if let Ok(a) = user::actor(app, Some(name)).await {
        return a;
    }
    user::add(
        app,
        &gongkai_app::user::first_security(app)
            .await
            .expect("security"),
        user::NewUserInput {
            name: name.into(),
            display_name: None,
            roles,
            agency: agency.map(str::to_string),
            region: None,
        },
    )
    .await
    .expect("user");
    user::actor(app, Some(name)).await.expect("actor")
}

/// A user of the agencies' region (张店区) with `roles`, added on first use.
async fn region_staff(s: &Setup, name: &str, roles: Vec<Role>) -> Actor {
    if let Ok(a) = user::actor(&s.app, Some(name)).await {
        return a;
    }
    let region = gongkai_store::repo::agency::find_agency(&s.app.db, s.agency.get())
        .await
        .expect("agency")
        .region_id;
    user::add(
        &s.app,
        &gongkai_app::user::first_security(&s.app)
            .await
            .expect("security"),
        user::NewUserInput {
            name: name.into(),
            display_name: None,
            roles,
            agency: None,
            region: Some(gongkai_core::ids::RegionId::new(region)),
        },
    )
    .await
    .expect("user");
    user::actor(&s.app, Some(name)).await.expect("actor")
}

fn form() -> OnlineForm {
    OnlineForm {
        applicant_type: "natural_person".into(),
        name: "张三".into(),
        id_type: "resident_id_card".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800000000".into(),
        email: "zhangsan@example.com".into(),
        description: "2021年部门预算<script>alert(1)</script>".into(),
        delivery: "email".into(),
        media: vec!["email".into(), "paper".into()],
        accept_other: true,
        ..OnlineForm::default()
    }
}

fn parsed(f: &OnlineForm) -> OnlineApplication {
    f.parse(date!(2026 - 01 - 01)).expect("valid form")
}

async fn submit(s: &Setup, key: &str, f: &OnlineForm, at: OffsetDateTime) -> Receipt {
    submit_online(&s.app, s.agency, key, &parsed(f), at)
        .await
        .expect("submitted")
}

fn is_not_found(r: Result<Tracked, AppError>) -> String {
    match r {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
            format!("{e}")
        }
        Ok(t) => panic!("found {t:?}"),
    }
}

db_test!(rl_4_a_resubmitted_form_is_one_case, |db| async move {
    let s = setup(db).await;
    let at = datetime!(2021-09-30 09:15 +8);
    let first = submit(&s, "k-00000000000000000001", &form(), at).await;
    assert_eq!(first.number, "2021-000001");
    let code = first.query_code.clone().expect("code shown once");
    assert!(!first.already_received());
    // Double click, back button, retry after a timeout: the same form again.
    let again = submit(
        &s,
        "k-00000000000000000001",
        &form(),
        at + time::Duration::seconds(3),
    )
    .await;
    assert_eq!(again.number, first.number);
    assert!(again.already_received());
    assert_eq!(again.query_code, None);
    assert_eq!(again.submitted_at, first.submitted_at);
    // The same key with other content is refused, and stores nothing.
    let other = OnlineForm {
        description: "另一项信息".into(),
        ..form()
    };
    let err = submit_online(
        &s.app,
        s.agency,
        "k-00000000000000000001",
        &parsed(&other),
        at,
    )
    .await
    .expect_err("same key, other content");
    assert_eq!(err.kind(), ErrorKind::Invalid);
    use gongkai_app::error::Localized;
    assert!(err.zh().contains("2021-000001"), "{}", err.zh());
    // A missing or malformed key is refused.
    for bad in [
        "",
        "short",
        &"x".repeat(65),
        "有中文的键有中文的键有中文的键有中文的键",
    ] {
        let err = submit_online(&s.app, s.agency, bad, &parsed(&form()), at)
            .await
            .expect_err("bad key");
        assert_eq!(err.kind(), ErrorKind::Invalid, "{bad}");
    }
    // An unknown agency is not found.
    let err = submit_online(
        &s.app,
        AgencyId::new(999),
        "k-00000000000000000009",
        &parsed(&form()),
        at,
    )
    .await
    .expect_err("no agency");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let pending = online::pending(&s.app, &operator(&s.app).await, None)
        .await
        .expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].number, "2021-000001");
    assert_eq!(
        pending[0].provision.media,
        vec![Medium::Paper, Medium::Email]
    );
    // A new form (a new key) is a new case, numbered from the same counter.
    let second = submit(&s, "k-00000000000000000002", &other, at).await;
    assert_eq!(second.number, "2021-000002");
    assert!(matches!(
        track(&s.app, "2021-000001", &code, date!(2021 - 09 - 30)).await,
        Ok(Tracked::Pending(_))
    ));
});

db_test!(
    rl_6_an_online_application_awaits_confirmation_then_runs_the_clock,
    |db| async move {
        let s = setup(db).await;
        // Submitted on Thursday 2021-09-30 at 23:30 in Beijing (15:30 UTC): that day arrived.
        let r = submit(
            &s,
            "k-00000000000000000001",
            &form(),
            datetime!(2021-09-30 15:30 UTC),
        )
        .await;
        let code = r.query_code.clone().expect("code");
        let today = date!(2021 - 09 - 30);
        let Tracked::Pending(p) = track(&s.app, &r.number, &code, today).await.expect("found")
        else {
            panic!("pending");
        };
        assert_eq!(p.status, SubmissionStatus::Pending);
        assert_eq!(p.submitted_on, date!(2021 - 09 - 30));
        assert_eq!(
            p.request.description,
            "2021年部门预算<script>alert(1)</script>"
        );
        assert_eq!(p.agency, AGENCY);
        // The code as people type it: lowercase, spaces; the number with a full-width dash.
        let typed = code.to_lowercase().replace('-', " ");
        assert!(track(&s.app, "2021－000001", &typed, today).await.is_ok());

        // Wrong code and unknown number: the same answer.
        let wrong = is_not_found(track(&s.app, &r.number, "0000-0000-00000", today).await);
        let unknown = is_not_found(track(&s.app, "2021-000099", &code, today).await);
        let garbage = is_not_found(track(&s.app, "'; DROP TABLE x; --", &code, today).await);
        assert_eq!(wrong, unknown);
        assert_eq!(wrong, garbage);

        // Not in the application list until confirmed (no clock, not in table 三).
        assert!(application::show(&s.app, &r.number, today).await.is_err());

        // Confirmed on the same day (both parties confirm: Art. 31).
        let clerk = staff(&s.app, "clerk", vec![Role::Entry], Some(AGENCY)).await;
        let case = confirm_online(&s.app, &clerk, &r.number, today, today)
            .await
            .expect("confirm");
        assert_eq!(case.number, r.number);
        assert_eq!(case.channel, Channel::Online);
        assert_eq!(case.received_on, date!(2021 - 09 - 30));
        assert_eq!(
            case.intake.receipt,
            ReceiptFacts {
                arrived_on: date!(2021 - 09 - 30),
                confirmed_on: Some(date!(2021 - 09 - 30)),
            }
        );
        assert!(
            case.intake
                .provision
                .as_ref()
                .is_some_and(|p| p.accept_other)
        );
        // The worked example of docs/rules/deadlines.md: day 1 is 2021-10-08 (国庆节),
        // due Wednesday 2021-11-03.
        assert_eq!(case.clock.due, Due::On(date!(2021 - 11 - 03)));

        // The same code now shows the case with its clock.
        let Tracked::Case(c) = track(&s.app, &r.number, &code, date!(2021 - 10 - 08))
            .await
            .expect("case")
        else {
            panic!("case");
        };
        assert_eq!(c.clock.due, Due::On(date!(2021 - 11 - 03)));
        assert!(
            c.clock.working_zh().contains("国庆节"),
            "{}",
            c.clock.working_zh()
        );
        assert_eq!(
            issued_letters(&c, date!(2021 - 10 - 08)),
            vec![LetterKind::Receipt]
        );
        let wrong = is_not_found(track(&s.app, &r.number, "0000-0000-00000", today).await);
        assert_eq!(wrong, unknown);

        // Confirming twice is refused; the pending list is empty.
        let err = confirm_online(&s.app, &clerk, &r.number, today, today)
            .await
            .expect_err("twice");
        assert_eq!(err.kind(), ErrorKind::Refused);
        assert!(
            online::pending(&s.app, &clerk, None)
                .await
                .expect("list")
                .is_empty()
        );
    }
);

db_test!(
    confirmation_needs_the_entry_role_of_the_agency,
    |db| async move {
        let s = setup(db).await;
        let r = submit(
            &s,
            "k-00000000000000000001",
            &form(),
            datetime!(2021-03-01 09:00 +8),
        )
        .await;
        let today = date!(2021 - 03 - 05);
        let reviewer = staff(&s.app, "reviewer", vec![Role::Review], None).await;
        let err = confirm_online(&s.app, &reviewer, &r.number, today, today)
            .await
            .expect_err("no entry role");
        assert_eq!(err.kind(), ErrorKind::Forbidden);
        // To a user of another agency the submission does not exist (docs/back-office.md#scope).
        let elsewhere = staff(&s.app, "elsewhere", vec![Role::Entry], Some(OTHER)).await;
        let err = confirm_online(&s.app, &elsewhere, &r.number, today, today)
            .await
            .expect_err("other agency");
        assert_eq!(err.kind(), ErrorKind::NotFound);
        let err = online::pending(&s.app, &elsewhere, Some(AGENCY))
            .await
            .expect_err("other agency's list");
        assert_eq!(err.kind(), ErrorKind::Forbidden);
        assert!(
            online::pending(&s.app, &elsewhere, None)
                .await
                .expect("own list")
                .is_empty()
        );
        let _ = s.other;
        let clerk = staff(&s.app, "clerk", vec![Role::Entry], Some(AGENCY)).await;
        // Before the submission, or in the future: refused, nothing written.
        for (on, today) in [
            (date!(2021 - 02 - 28), today),
            (date!(2021 - 03 - 06), today),
        ] {
            let err = confirm_online(&s.app, &clerk, &r.number, on, today)
                .await
                .expect_err("bad date");
            assert_eq!(err.kind(), ErrorKind::Invalid, "{on}");
        }
        let err = confirm_online(&s.app, &clerk, "2021-000077", today, today)
            .await
            .expect_err("unknown");
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(
            online::pending(&s.app, &clerk, Some(AGENCY))
                .await
                .expect("list")
                .len(),
            1
        );
        // Confirmed on the Monday after: received 2021-03-01 + 4 days, clock from there.
        let case = confirm_online(&s.app, &clerk, &r.number, date!(2021 - 03 - 05), today)
            .await
            .expect("confirm");
        assert_eq!(case.received_on, date!(2021 - 03 - 05));
        assert_eq!(case.intake.receipt.arrived_on, date!(2021 - 03 - 01));
    }
);

db_test!(
    a_rejected_submission_tells_the_applicant_why,
    |db| async move {
        let s = setup(db).await;
        let r = submit(
            &s,
            "k-00000000000000000001",
            &form(),
            datetime!(2021-03-01 09:00 +8),
        )
        .await;
        let code = r.query_code.expect("code");
        let today = date!(2021 - 03 - 02);
        let clerk = staff(&s.app, "clerk", vec![Role::Entry], None).await;
        for bad in ["", "  ", &"长".repeat(501)] {
            let err = reject_online(&s.app, &clerk, &r.number, bad, today, today)
                .await
                .expect_err("reason");
            assert_eq!(err.kind(), ErrorKind::Invalid);
        }
        let v = reject_online(
            &s.app,
            &clerk,
            &r.number,
            "来信系投诉举报，已转信访部门",
            today,
            today,
        )
        .await
        .expect("reject");
        assert_eq!(v.status, SubmissionStatus::Rejected);
        let Tracked::Rejected(v) = track(&s.app, &r.number, &code, today).await.expect("found")
        else {
            panic!("rejected");
        };
        assert_eq!(
            v.reject_reason.as_deref(),
            Some("来信系投诉举报，已转信访部门")
        );
        assert_eq!(v.decided_on, Some(today));
        let err = confirm_online(&s.app, &clerk, &r.number, today, today)
            .await
            .expect_err("decided");
        assert_eq!(err.kind(), ErrorKind::Refused);
    }
);

async fn decide(app: &App, number: &str, on: Date, outcome: Outcome) {
    application::record_event(
        app,
        &operator(app).await,
        number,
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

db_test!(
    report_compute_counts_a_confirmed_and_decided_online_case,
    |db| async move {
        let s = setup(db).await;
        let research = OnlineForm {
            applicant_type: "research".into(),
            org_name: "某某研究院".into(),
            credit_code: "91350100M000100Y43".into(),
            contact_person: "李四".into(),
            ..form()
        };
        let r = submit(
            &s,
            "k-00000000000000000001",
            &research,
            datetime!(2021-03-01 10:00 +8),
        )
        .await;
        let code = r.query_code.clone().expect("code");
        // A second submission stays pending: not counted anywhere.
        submit(
            &s,
            "k-00000000000000000002",
            &form(),
            datetime!(2021-03-01 11:00 +8),
        )
        .await;
        let clerk = staff(&s.app, "clerk", vec![Role::Entry], None).await;
        confirm_online(
            &s.app,
            &clerk,
            &r.number,
            date!(2021 - 03 - 02),
            date!(2021 - 03 - 02),
        )
        .await
        .expect("confirm");
        decide(&s.app, &r.number, date!(2021 - 03 - 10), Outcome::Partial).await;

        let Tracked::Case(c) = track(&s.app, &r.number, &code, date!(2021 - 03 - 11))
            .await
            .expect("case")
        else {
            panic!("case");
        };
        assert_eq!(
            issued_letters(&c, date!(2021 - 03 - 11)),
            vec![LetterKind::Receipt, LetterKind::Reply]
        );
        let letter = tracked_letter(
            &s.app,
            &r.number,
            &code,
            LetterKind::Reply,
            date!(2021 - 03 - 11),
        )
        .await
        .expect("reply letter");
        assert!(letter.paragraphs.join("").contains(&r.number));
        let err = tracked_letter(
            &s.app,
            &r.number,
            "0000-0000-00000",
            LetterKind::Reply,
            date!(2021 - 03 - 11),
        )
        .await
        .expect_err("wrong code");
        assert_eq!(err.kind(), ErrorKind::NotFound);
        let err = tracked_letter(
            &s.app,
            &r.number,
            &code,
            LetterKind::Extension,
            date!(2021 - 03 - 11),
        )
        .await
        .expect_err("not issued");
        assert_eq!(err.kind(), ErrorKind::NotFound);

        let rep = report::compute(&s.app, AGENCY, 2021)
            .await
            .expect("compute");
        let n = |row, col| match rep.table3.get(row, col).value {
            Value::Count(n) => n,
            ref v => panic!("{v:?}"),
        };
        let col = T3Col::Research;
        assert_eq!(n(T3Row::NewReceived, col), 1);
        assert_eq!(n(T3Row::NewReceived, T3Col::Total), 1);
        assert_eq!(n(T3Row::Partial, col), 1);
        assert_eq!(n(T3Row::NewReceived, T3Col::NaturalPerson), 0);
    }
);

db_test!(a_letter_waits_for_the_facts_it_prints, |db| async move {
    let s = setup(db).await;
    // Confirmed in December 2026: the reply falls in 2027, whose holiday notice is not
    // loaded, so the receipt (which prints the due date) is not offered yet.
    let r = submit(
        &s,
        "k-00000000000000000001",
        &form(),
        datetime!(2026-12-04 10:00 +8),
    )
    .await;
    let code = r.query_code.expect("code");
    let today = date!(2026 - 12 - 04);
    confirm_online(&s.app, &operator(&s.app).await, &r.number, today, today)
        .await
        .expect("confirm");
    let Tracked::Case(c) = track(&s.app, &r.number, &code, today).await.expect("case") else {
        panic!("case");
    };
    assert_eq!(c.clock.due, Due::NoCalendar { year: 2027 });
    assert!(issued_letters(&c, today).is_empty());
    let err = tracked_letter(&s.app, &r.number, &code, LetterKind::Receipt, today)
        .await
        .expect_err("not yet");
    assert_eq!(err.kind(), ErrorKind::NotFound);
});

db_test!(
    confirm_and_reject_keep_to_the_write_scope,
    |db| async move {
        let s = setup(db).await;
        let r = submit(
            &s,
            "k-00000000000000000001",
            &form(),
            datetime!(2021-03-01 09:00 +8),
        )
        .await;
        let today = date!(2021 - 03 - 02);
        // A region's supervisor reads the agencies below, even with 录入: never writes for them.
        let supervisor = region_staff(&s, "supervisor", vec![Role::Supervise, Role::Entry]).await;
        let err = confirm_online(&s.app, &supervisor, &r.number, today, today)
            .await
            .expect_err("region supervisor");
        assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
        let err = reject_online(&s.app, &supervisor, &r.number, "广告", today, today)
            .await
            .expect_err("region supervisor");
        assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
        // …but sees what waits in the region.
        let seen = online::pending(&s.app, &supervisor, None)
            .await
            .expect("list");
        assert_eq!(seen.len(), 1);
        // Another agency's clerk: not found, for confirming and rejecting alike.
        let elsewhere = staff(&s.app, "elsewhere", vec![Role::Entry], Some(OTHER)).await;
        let err = confirm_online(&s.app, &elsewhere, &r.number, today, today)
            .await
            .expect_err("other agency");
        assert_eq!(err.kind(), ErrorKind::NotFound);
        let err = reject_online(&s.app, &elsewhere, &r.number, "广告", today, today)
            .await
            .expect_err("other agency");
        assert_eq!(err.kind(), ErrorKind::NotFound);
        // Nothing was written: it still waits, and its own agency's clerk confirms it.
        let clerk = staff(&s.app, "clerk", vec![Role::Entry], Some(AGENCY)).await;
        assert_eq!(
            online::pending(&s.app, &clerk, None)
                .await
                .expect("list")
                .len(),
            1
        );
        let case = confirm_online(&s.app, &clerk, &r.number, today, today)
            .await
            .expect("own agency");
        assert_eq!(case.received_on, today);
    }
);

db_test!(
    a_reissued_query_code_replaces_the_old_one,
    |db| async move {
        let s = setup(db).await;
        let r = submit(
            &s,
            "k-00000000000000000001",
            &form(),
            datetime!(2021-03-01 09:00 +8),
        )
        .await;
        let first = r.query_code.clone().expect("code");
        let today = date!(2021 - 03 - 02);
        let clerk = staff(&s.app, "clerk", vec![Role::Entry], Some(AGENCY)).await;
        // While it awaits confirmation.
        let at = datetime!(2021-03-02 10:00 +8);
        let second = application::reissue_query_code(&s.app, &clerk, &r.number, at)
            .await
            .expect("reissued");
        assert_eq!(second.number, r.number);
        assert!(second.awaiting_confirmation);
        assert_ne!(second.query_code, first);
        is_not_found(track(&s.app, &r.number, &first, today).await);
        assert!(matches!(
            track(&s.app, &r.number, &second.query_code, today).await,
            Ok(Tracked::Pending(_))
        ));
        // Confirmation keeps the code in force; a case's code is re-issued the same way.
        confirm_online(&s.app, &clerk, &r.number, today, today)
            .await
            .expect("confirm");
        assert!(matches!(
            track(&s.app, &r.number, &second.query_code, today).await,
            Ok(Tracked::Case(_))
        ));
        let third = application::reissue_query_code(
            &s.app,
            &clerk,
            &format!(" {} ", r.number),
            datetime!(2021-03-03 10:00 +8),
        )
        .await
        .expect("reissued");
        assert!(!third.awaiting_confirmation);
        is_not_found(track(&s.app, &r.number, &second.query_code, today).await);
        assert!(matches!(
            track(&s.app, &r.number, &third.query_code, today).await,
            Ok(Tracked::Case(_))
        ));
        assert!(
            application::lookup(&s.app, &r.number, &third.query_code, today)
                .await
                .is_ok()
        );
        // Both acts are on the record: who and when.
        let record = application::query_code_reissues(&s.app, &clerk, &r.number)
            .await
            .expect("record");
        assert_eq!(record.len(), 2);
        assert!(record[0].awaiting_confirmation && !record[1].awaiting_confirmation);
        assert!(record.iter().all(|x| x.user_id == clerk.id.get()));
        assert_eq!(record[0].at, at);
    }
);

db_test!(reissuing_needs_entry_and_write_scope, |db| async move {
    let s = setup(db).await;
    let r = submit(
        &s,
        "k-00000000000000000001",
        &form(),
        datetime!(2021-03-01 09:00 +8),
    )
    .await;
    let code = r.query_code.clone().expect("code");
    let today = date!(2021 - 03 - 02);
    let at = datetime!(2021-03-02 10:00 +8);
    let clerk = staff(&s.app, "clerk", vec![Role::Entry], Some(AGENCY)).await;
    confirm_online(&s.app, &clerk, &r.number, today, today)
        .await
        .expect("confirm");
    let reviewer = staff(&s.app, "reviewer", vec![Role::Review], Some(AGENCY)).await;
    let elsewhere = staff(&s.app, "elsewhere", vec![Role::Entry], Some(OTHER)).await;
    let supervisor = region_staff(&s, "supervisor", vec![Role::Supervise, Role::Entry]).await;
    for (who, kind) in [
        (&reviewer, ErrorKind::Forbidden),
        (&elsewhere, ErrorKind::NotFound),
        (&supervisor, ErrorKind::Forbidden),
    ] {
        let err = application::reissue_query_code(&s.app, who, &r.number, at)
            .await
            .expect_err("refused");
        assert_eq!(err.kind(), kind, "{}: {err}", who.name);
    }
    let err = application::reissue_query_code(&s.app, &clerk, "2021-000077", at)
        .await
        .expect_err("unknown");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    // Nothing changed: the code still works and nothing is recorded.
    assert!(matches!(
        track(&s.app, &r.number, &code, today).await,
        Ok(Tracked::Case(_))
    ));
    assert!(
        application::query_code_reissues(&s.app, &clerk, &r.number)
            .await
            .expect("record")
            .is_empty()
    );
    // A submission that was not taken as an application keeps its code.
    let other = submit(
        &s,
        "k-00000000000000000002",
        &form(),
        datetime!(2021-03-01 10:00 +8),
    )
    .await;
    reject_online(&s.app, &clerk, &other.number, "广告", today, today)
        .await
        .expect("reject");
    let err = application::reissue_query_code(&s.app, &clerk, &other.number, at)
        .await
        .expect_err("rejected");
    assert_eq!(err.kind(), ErrorKind::Refused);
    assert!(matches!(
        track(
            &s.app,
            &other.number,
            other.query_code.as_deref().expect("code"),
            today
        )
        .await,
        Ok(Tracked::Rejected(_))
    ));
});
