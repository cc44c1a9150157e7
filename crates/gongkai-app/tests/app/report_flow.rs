//! The annual report's narrative, workflow and versions on both backends
//! (docs/rules/annual-report.md#workflow): publication, a correction as a second version with
//! the first unchanged byte for byte, refusals that write nothing, the seed agency's report
//! regenerated from the demo data.

use gongkai_app::catalog::{self, Table2Input, demo};
use gongkai_app::report::{self, narrative, workflow};
use gongkai_app::{App, AppError, user};
use gongkai_core::report::workflow::Action;
use gongkai_core::user::{Actor, Role};
use gongkai_store::{Db, db_test};
use time::OffsetDateTime;
use time::macros::datetime;

const T: OffsetDateTime = datetime!(2022-01-10 09:00 +08:00);
const SEED: &str = demo::DEMO_AGENCY;

async fn setup(db: Db) -> (App, Actor) {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::with_db(dir.path(), db).expect("app");
    user::first_admin(&app, "operator", None)
        .await
        .expect("operator");
    let operator = user::actor(&app, Some("operator")).await.expect("operator");
    demo::load_demo(&app, &operator).await.expect("demo");
    (app, operator)
}

async fn who(app: &App, name: &str) -> Actor {
    user::actor(app, Some(name)).await.expect(name)
}

async fn step(
    app: &App,
    actor: &Actor,
    agency: &str,
    action: Action,
    reason: Option<&str>,
) -> workflow::WorkflowView {
    workflow::act(
        app,
        actor,
        agency,
        2021,
        action,
        workflow::StepInput { reason },
        T,
    )
    .await
    .unwrap_or_else(|e| panic!("{action:?} by {}: {e}", actor.name))
}

/// Submit by `clerk`, approve and publish by `reviewer`.
async fn publish(
    app: &App,
    agency: &str,
    clerk: &Actor,
    reviewer: &Actor,
) -> workflow::WorkflowView {
    step(app, clerk, agency, Action::Submit, None).await;
    step(app, reviewer, agency, Action::Approve, None).await;
    step(app, reviewer, agency, Action::Publish, None).await
}

/// A user of agency `agency_id` with `roles`.
async fn member(app: &App, name: &str, agency: &str, roles: &[Role]) -> Actor {
    user::add(
        app,
        &gongkai_app::user::first_security(app)
            .await
            .expect("security"),
        user::NewUserInput {
            name: name.into(),
            display_name: None,
            roles: roles.to_vec(),
            agency: Some(agency.into()),
            region: None,
        },
    )
    .await
    .expect(name);
    who(app, name).await
}

/// A second agency, 某区某局, with its table 二 entered for 2021 (so its report is complete).
async fn complete_agency(app: &App, operator: &Actor) -> &'static str {
    let id = gongkai_store::testing::agency(&app.db, "某区某局", "000000009").await;
    for cell in [
        "art20_5.admin_license.decisions",
        "art20_6.admin_penalty.decisions",
        "art20_6.admin_coercion.decisions",
        "art20_8.admin_fees.fee_amount",
    ] {
        catalog::enter_table2(
            app,
            operator,
            &Table2Input {
                agency: gongkai_core::ids::AgencyId::new(id),
                year: 2021,
                cell: cell.into(),
                value: "0".into(),
                note: None,
            },
        )
        .await
        .expect(cell);
    }
    "某区某局"
}

db_test!(
    a_correction_is_a_new_version_and_the_first_never_changes,
    |db| async move {
        let (app, operator) = setup(db).await;
        let wang = who(&app, "wangming").await;
        // The demo published the seed agency's 2021 report through the workflow.
        let v = workflow::status(&app, &operator, SEED, 2021)
            .await
            .expect("status");
        assert_eq!(v.state, "published");
        assert_eq!(v.versions.len(), 1);
        assert_eq!(
            v.steps
                .iter()
                .map(|s| (s.action, s.by.as_str()))
                .collect::<Vec<_>>(),
            [("submit", "王明"), ("approve", "赵强"), ("publish", "赵强")]
        );
        let a = v.agency_id;
        let (n, first) = workflow::version_document(&app, a, 2021, None)
            .await
            .expect("v1");
        assert_eq!(n, 1);
        assert!(
            first.contains("下好“统筹棋”"),
            "the stored narrative is in the version"
        );

        // A published report's text cannot change.
        let e = narrative::set(&app, &wang, SEED, 2021, "六", Some("补充"), T)
            .await
            .expect_err("published");
        assert!(matches!(e, AppError::NotAllowed { .. }), "{e}");
        assert!(e.to_string().contains("correction"), "{e}");
        // Nor can the database's copy.
        let raw = match &app.db {
            Db::Sqlite(p) => sqlx::query("UPDATE report_version SET document = 'x'")
                .execute(p)
                .await
                .map(|_| ()),
            Db::Postgres(p) => sqlx::query("UPDATE report_version SET document = 'x'")
                .execute(p)
                .await
                .map(|_| ()),
        };
        assert!(
            raw.is_err(),
            "the database refuses to change a published version"
        );

        // A correction without a reason is refused; with one, it reopens the report.
        assert!(
            workflow::act(
                &app,
                &wang,
                SEED,
                2021,
                Action::Correct,
                Default::default(),
                T
            )
            .await
            .is_err()
        );
        step(
            &app,
            &wang,
            SEED,
            Action::Correct,
            Some("六 补充提案办理结果"),
        )
        .await;
        narrative::set(
            &app,
            &wang,
            SEED,
            2021,
            "六",
            Some("1. 本年度未收取信息处理费。\n2. 承办政协提案1件，已列入计划拟解决。"),
            T,
        )
        .await
        .expect("section 六");
        let zhao = who(&app, "zhaoqiang").await;
        let v = publish(&app, SEED, &wang, &zhao).await;
        assert_eq!(v.versions.len(), 2);
        assert_eq!(v.versions[1].reason.as_deref(), Some("六 补充提案办理结果"));
        assert_eq!(v.versions[0].reason, None);
        let (_, again) = workflow::version_document(&app, a, 2021, Some(1))
            .await
            .expect("v1 again");
        assert_eq!(again, first, "version 1 byte for byte");
        let (n, second) = workflow::version_document(&app, a, 2021, None)
            .await
            .expect("v2");
        assert_eq!(n, 2);
        assert!(
            second.contains("承办政协提案1件，已列入计划")
                && !first.contains("承办政协提案1件，已列入计划")
        );
        for doc in [&first, &second] {
            gongkai_core::report::json::from_str(doc).expect("a valid report document");
        }
        assert_eq!(
            workflow::published_years(&app, a).await.expect("years"),
            vec![(2021, 2)]
        );
        assert!(
            workflow::version_document(&app, a, 2021, Some(3))
                .await
                .is_err()
        );
    }
);

db_test!(
    steps_out_of_turn_and_by_the_wrong_people_write_nothing,
    |db| async move {
        let (app, operator) = setup(db).await;
        let unit = complete_agency(&app, &operator).await;
        let wang = member(&app, "clerk", unit, &[Role::Entry, Role::Review]).await;
        let zhao = member(&app, "head", unit, &[Role::Review, Role::Head]).await;
        let li = member(&app, "secrecy", unit, &[Role::Secrecy]).await;
        // The seed agency's staff do not see this agency's report.
        let seed_clerk = who(&app, "wangming").await;
        let e = workflow::status(&app, &seed_clerk, unit, 2021)
            .await
            .expect_err("scope");
        assert!(matches!(e, AppError::NotFound { .. }), "{e}");
        let no = workflow::StepInput::default;
        // Nothing to approve or publish yet.
        assert!(
            workflow::act(&app, &zhao, unit, 2021, Action::Publish, no(), T)
                .await
                .is_err()
        );
        // 保密审查 does not submit reports.
        let e = workflow::act(&app, &li, unit, 2021, Action::Submit, no(), T)
            .await
            .expect_err("role");
        assert!(matches!(e, AppError::Forbidden { .. }), "{e}");
        step(&app, &wang, unit, Action::Submit, None).await;
        // The submitter neither approves nor publishes; 王明 also holds 审核.
        assert!(
            workflow::act(&app, &wang, unit, 2021, Action::Approve, no(), T)
                .await
                .is_err()
        );
        // A return needs a reason.
        assert!(
            workflow::act(&app, &zhao, unit, 2021, Action::Return, no(), T)
                .await
                .is_err()
        );
        let v = workflow::status(&app, &operator, unit, 2021)
            .await
            .expect("status");
        assert_eq!(v.state, "submitted");
        assert_eq!(v.steps.len(), 1, "refused steps wrote nothing");
        // A region's supervisor reads the report and cannot act on it.
        let region = gongkai_store::repo::agency::find_agency(&app.db, v.agency_id)
            .await
            .expect("agency")
            .region_id;
        user::add(
            &app,
            &gongkai_app::user::first_security(&app)
                .await
                .expect("security"),
            user::NewUserInput {
                name: "jiandu".into(),
                display_name: Some("监督员".into()),
                roles: vec![Role::Supervise, Role::Review],
                agency: None,
                region: Some(gongkai_core::ids::RegionId::new(region)),
            },
        )
        .await
        .expect("supervisor");
        let sup = who(&app, "jiandu").await;
        assert_eq!(
            workflow::status(&app, &sup, unit, 2021)
                .await
                .expect("reads")
                .state,
            "submitted"
        );
        assert!(
            workflow::act(&app, &sup, unit, 2021, Action::Approve, no(), T)
                .await
                .is_err()
        );
        assert!(narrative::show(&app, &sup, unit, 2021).await.is_ok());
        // Returned with reasons, it is editable again, and publishes as version 1.
        step(&app, &zhao, unit, Action::Return, Some("五 要写具体")).await;
        narrative::set(&app, &wang, unit, 2021, "five", Some("x"), T)
            .await
            .expect_err("no such section");
        narrative::set(&app, &wang, unit, 2021, "五", Some("问题：……"), T)
            .await
            .expect("editable after a return");
        let v = publish(&app, unit, &wang, &zhao).await;
        assert_eq!((v.state, v.versions.len()), ("published", 1));
    }
);

db_test!(
    an_incomplete_report_is_not_submitted_and_the_cells_are_named,
    |db| async move {
        let (app, operator) = setup(db).await;
        gongkai_store::testing::agency(&app.db, "某县某局", "000000017").await;
        let e = workflow::act(
            &app,
            &operator,
            "某县某局",
            2021,
            Action::Submit,
            Default::default(),
            T,
        )
        .await
        .expect_err("blank table 二 cells");
        let msg = e.to_string();
        assert!(
            msg.contains("T2-1") && msg.contains("art20_5.admin_license.decisions"),
            "{msg}"
        );
        assert!(
            workflow::status(&app, &operator, "某县某局", 2021)
                .await
                .expect("status")
                .steps
                .is_empty()
        );
        let unit = complete_agency(&app, &operator).await;
        let v = workflow::act(
            &app,
            &operator,
            unit,
            2021,
            Action::Submit,
            Default::default(),
            T,
        )
        .await
        .expect("complete");
        assert_eq!(v.state, "submitted");
    }
);

db_test!(
    the_seed_report_is_regenerated_from_the_demo_data,
    |db| async move {
        let (app, operator) = setup(db).await;
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json"
        );
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("seed")).expect("json");
        let computed = report::compute(&app, SEED, 2021).await.expect("compute");
        let a = workflow::status(&app, &operator, SEED, 2021)
            .await
            .expect("status")
            .agency_id;
        let (_, published) = workflow::version_document(&app, a, 2021, None)
            .await
            .expect("v1");
        let published: serde_json::Value = serde_json::from_str(&published).expect("json");
        for ours in [
            gongkai_core::report::json::to_json(&computed, None),
            published,
        ] {
            for part in [
                "layout",
                "agency",
                "year",
                "proactive",
                "table2",
                "table3",
                "table4",
            ] {
                assert_eq!(ours[part], expected[part], "{part}");
            }
            // The figures the data carries: section 六's fees, and section 一(五)'s negative
            // evaluations from the portal's feedback (none: "目前未收到不良评议", docs/feedback.md).
            // (Meetings, trainings and proposals are work records, not kept yet.)
            for figure in [
                "fee_notices_issued",
                "fees_collected_yuan",
                "negative_evaluations",
            ] {
                assert_eq!(
                    ours["figures"][figure], expected["figures"][figure],
                    "{figure}"
                );
            }
        }
        // The sections are the agency's own text, stored by the demo.
        assert!(
            computed
                .sections
                .overview
                .as_deref()
                .unwrap_or_default()
                .contains("共公开政务信息85次（条）")
        );
        // Without stored text, the drafts come from the data: section 一 from the catalogue and
        // table 三, section 六 from the fee events.
        let unit = complete_agency(&app, &operator).await;
        let draft = narrative::show(&app, &operator, unit, 2021)
            .await
            .expect("drafts");
        assert!(draft.iter().all(|s| !s.stored));
        let text = |key: &str| {
            draft
                .iter()
                .find(|s| s.key == key)
                .map(|s| s.text.clone())
                .unwrap_or_default()
        };
        assert!(
            text("overview").contains("2021年度未收到政府信息公开申请"),
            "{}",
            text("overview")
        );
        assert!(
            text("other").contains("不存在办理政府信息公开申请过程中收取信息处理费"),
            "{}",
            text("other")
        );
        assert!(text("intro").contains("某区某局"));
    }
);
