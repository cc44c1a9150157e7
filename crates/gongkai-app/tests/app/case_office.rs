//! The back office's use cases on both backends: the case list's filters, search, paging and
//! masking, the scope of agency and region users for reading and writing (the same checks the
//! CLI and the API get), and the record of a revealed identity (docs/back-office.md).

use gongkai_app::application::{
    self, CaseFilter, DueFilter, PAGE_SIZE, Registration, RequestedInfo,
};
use gongkai_app::error::ErrorKind;
use gongkai_app::{App, agency, user};
use gongkai_core::application::{
    Applicant, Channel, Contact, Delivery, Event, EventKind, IdType, NaturalPerson, Phase,
    ReceiptFacts,
};
use gongkai_core::ids::RegionId;
use gongkai_core::user::{Actor, Role};
use gongkai_store::{Db, db_test};
use time::Date;
use time::macros::{date, datetime};

const TODAY: Date = date!(2024 - 05 - 06);

struct Setup {
    app: App,
    clerk: Actor,
    other: Actor,
    supervisor: Actor,
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
        "张店区某局",
        Some("000000009"),
    )
    .await
    .expect("a");
    agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/临淄区",
        "临淄区某局",
        Some("000000017"),
    )
    .await
    .expect("b");
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
    let clerk = add("clerk", vec![Role::Entry], Some("张店区某局"), None).await;
    let other = add("other", vec![Role::Entry], Some("临淄区某局"), None).await;
    let supervisor = add("sup", vec![Role::Supervise, Role::Entry], None, Some(zibo)).await;
    Setup {
        app,
        clerk,
        other,
        supervisor,
        _dir: dir,
    }
}

async fn register(s: &Setup, by: &Actor, agency: &str, name: &str, received: Date) -> String {
    application::register(
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
                name: name.into(),
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
        TODAY,
    )
    .await
    .expect("registered")
    .number
}

db_test!(
    the_list_filters_pages_and_masks_within_scope,
    |db| async move {
        let s = setup(db).await;
        for i in 0..(PAGE_SIZE + 3) {
            register(
                &s,
                &s.clerk,
                "张店区某局",
                &format!("申请人{i}"),
                date!(2024 - 04 - 10),
            )
            .await;
        }
        let old = register(&s, &s.clerk, "张店区某局", "张_三%", date!(2024 - 03 - 01)).await;
        register(&s, &s.other, "临淄区某局", "临淄人", date!(2024 - 04 - 10)).await;
        let all = |page| CaseFilter {
            page,
            ..CaseFilter::default()
        };
        let first = application::list_cases(&s.app, &s.clerk, &all(1), TODAY)
            .await
            .expect("list");
        assert_eq!(first.total, u64::from(PAGE_SIZE) + 4);
        assert_eq!(first.rows.len(), PAGE_SIZE as usize);
        assert_eq!(first.pages, 2);
        assert_eq!(first.rows[0].id_masked, "110105********002X");
        assert_eq!(first.rows[0].phone_masked, "138****5678");
        assert!(first.rows.iter().all(|r| r.agency == "张店区某局"));
        let second = application::list_cases(&s.app, &s.clerk, &all(2), TODAY)
            .await
            .expect("list");
        assert_eq!(second.rows.len(), 4);
        assert_eq!(
            second.rows.last().map(|r| r.number.clone()),
            Some(old.clone())
        );
        // LIKE wildcards in a search are literal.
        let f = CaseFilter {
            search: Some("_三%".into()),
            ..all(1)
        };
        let hit = application::list_cases(&s.app, &s.clerk, &f, TODAY)
            .await
            .expect("search");
        assert_eq!(hit.total, 1);
        assert_eq!(hit.rows[0].number, old);
        let f = CaseFilter {
            due: Some(DueFilter::Overdue),
            ..all(1)
        };
        let overdue = application::list_cases(&s.app, &s.clerk, &f, TODAY)
            .await
            .expect("due");
        assert_eq!(overdue.total, 1);
        let f = CaseFilter {
            status: Some(Phase::Concluded),
            ..all(1)
        };
        assert_eq!(
            application::list_cases(&s.app, &s.clerk, &f, TODAY)
                .await
                .expect("s")
                .total,
            0
        );
        // The region's supervisor sees both agencies; the other agency's clerk only its own.
        let sup = application::list_cases(&s.app, &s.supervisor, &all(1), TODAY)
            .await
            .expect("sup");
        assert_eq!(sup.total, u64::from(PAGE_SIZE) + 5);
        let other = application::list_cases(&s.app, &s.other, &all(1), TODAY)
            .await
            .expect("other");
        assert_eq!(other.total, 1);
    }
);

db_test!(
    scope_is_checked_in_the_use_cases_and_reveals_are_recorded,
    |db| async move {
        let s = setup(db).await;
        let n = register(&s, &s.clerk, "张店区某局", "张三", date!(2024 - 04 - 10)).await;
        let withdraw = || Event {
            on: TODAY,
            kind: EventKind::Withdrawn { reason: None },
        };
        // Another agency's user: not found, reading or writing; nothing written.
        let e = application::show_as(&s.app, &s.other, &n, TODAY)
            .await
            .expect_err("scope");
        assert_eq!(e.kind(), ErrorKind::NotFound);
        let e = application::record_event(&s.app, &s.other, &n, withdraw(), TODAY)
            .await
            .expect_err("scope");
        assert_eq!(e.kind(), ErrorKind::NotFound);
        // A supervisor reads but does not write, even with 录入.
        application::show_as(&s.app, &s.supervisor, &n, TODAY)
            .await
            .expect("reads");
        let e = application::record_event(&s.app, &s.supervisor, &n, withdraw(), TODAY)
            .await
            .expect_err("read-only");
        assert_eq!(e.kind(), ErrorKind::Forbidden);
        // Registering for another agency is refused as well.
        let e = application::register(
            &s.app,
            &s.other,
            Registration {
                agency: "张店区某局".into(),
                channel: Channel::InPerson,
                receipt: ReceiptFacts {
                    arrived_on: TODAY,
                    confirmed_on: None,
                },
                applicant: Applicant::Person(NaturalPerson {
                    name: "李四".into(),
                    id_type: IdType::Passport,
                    id_number: "E12345678".into(),
                    contact: Contact {
                        phone: Some("13800000000".into()),
                        ..Contact::default()
                    },
                }),
                request: RequestedInfo {
                    description: "某文件".into(),
                    delivery: Delivery::Post,
                },
            },
            TODAY,
        )
        .await
        .expect_err("scope");
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(
            application::show(&s.app, &n, TODAY)
                .await
                .expect("case")
                .events
                .is_empty()
        );
        // The clerk records; a reveal is on the record with who and when.
        application::record_event(&s.app, &s.clerk, &n, withdraw(), TODAY)
            .await
            .expect("recorded");
        let at = datetime!(2024-05-06 10:00 +08:00);
        application::reveal_identity(&s.app, &s.clerk, &n, at, TODAY)
            .await
            .expect("reveal");
        let seen = application::identity_accesses(&s.app, &s.supervisor, &n)
            .await
            .expect("seen");
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].user_id, s.clerk.id.get());
        assert_eq!(seen[0].at, at);
        let e = application::reveal_identity(&s.app, &s.other, &n, at, TODAY)
            .await
            .expect_err("scope");
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(
            application::identity_accesses(&s.app, &s.clerk, &n)
                .await
                .expect("x")
                .len(),
            1
        );
    }
);
