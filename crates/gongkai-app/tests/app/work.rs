//! Work records on SQLite and PostgreSQL (docs/work-records.md): the seed agency's demo records
//! give its published figures; a removed record stops counting; who may record and remove;
//! bad input refused with nothing stored.

use gongkai_app::catalog::demo;
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::work::{self, WorkInput};
use gongkai_app::{App, agency, user};
use gongkai_core::report::json::from_str;
use gongkai_core::user::{Actor, Role};
use gongkai_core::work::WorkKind;
use gongkai_store::{Db, db_test};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2021-12-20 10:00 +08:00);
const TODAY: Date = date!(2021 - 12 - 20);
pub(crate) const OTHER: &str = "淄川区某局";

pub(crate) struct Setup {
    pub(crate) app: App,
    pub(crate) operator: Actor,
    pub(crate) wang: Actor,
    pub(crate) other: Actor,
    pub(crate) supervisor: Actor,
    _dir: tempfile::TempDir,
}

pub(crate) async fn setup(db: Db) -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::with_db(dir.path(), db).expect("app");
    user::first_admin(&app, "operator", None)
        .await
        .expect("operator");
    let operator = user::actor(&app, Some("operator")).await.expect("operator");
    demo::load_demo(&app, &operator).await.expect("demo");
    agency::add_agency(
        &app,
        &operator,
        "山东省/淄博市/淄川区",
        OTHER,
        Some("000000017"),
    )
    .await
    .expect("other agency");
    let zibo = agency::regions(&app)
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.path.join("/") == "山东省/淄博市")
        .expect("淄博市")
        .id;
    for (name, roles, agency, region) in [
        ("other", vec![Role::Entry], Some(OTHER), None),
        ("sup", vec![Role::Supervise, Role::Entry], None, Some(zibo)),
    ] {
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
        .expect(name);
    }
    Setup {
        wang: user::actor(&app, Some("wangming")).await.expect("wangming"),
        other: user::actor(&app, Some("other")).await.expect("other"),
        supervisor: user::actor(&app, Some("sup")).await.expect("sup"),
        app,
        operator,
        _dir: dir,
    }
}

fn input(kind: WorkKind, on: Date, title: &str) -> WorkInput {
    WorkInput {
        agency: demo::DEMO_AGENCY.into(),
        kind,
        on,
        title: title.into(),
        participants: None,
        note: None,
    }
}

fn counts(r: &gongkai_core::report::AnnualReport) -> (u64, u64, u64) {
    let f = |k: &str| *r.figures.counts.get(k).unwrap_or_else(|| panic!("{k}"));
    (
        f("superior_meetings_attended"),
        f("promotion_meetings_held"),
        f("trainings_held"),
    )
}

db_test!(
    the_seed_figures_come_from_the_demo_records,
    |db| async move {
        let s = setup(db).await;
        // As computed now, and as published through the workflow by the demo.
        let computed = gongkai_app::report::compute(&s.app, demo::DEMO_AGENCY, 2021)
            .await
            .expect("compute");
        assert_eq!(counts(&computed), (7, 2, 1));
        let a = agency::find(&s.app, demo::DEMO_AGENCY)
            .await
            .expect("agency");
        let (_, doc) =
            gongkai_app::report::workflow::version_document(&s.app, a.id.get(), 2021, None)
                .await
                .expect("published");
        let published = from_str(&doc).expect("document");
        assert_eq!(counts(&published), (7, 2, 1));
        // The seed's own figures.
        let seed: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json"
        ))
        .expect("seed");
        for (key, n) in [
            ("superior_meetings_attended", 7),
            ("promotion_meetings_held", 2),
            ("trainings_held", 1),
        ] {
            assert_eq!(seed["figures"][key], n, "{key}");
        }
        // A year without records states nothing.
        let empty = gongkai_app::report::compute(&s.app, demo::DEMO_AGENCY, 2020)
            .await
            .expect("2020");
        assert!(!empty.figures.counts.contains_key("trainings_held"));
    }
);

db_test!(
    a_record_counts_until_it_is_removed_with_a_reason,
    |db| async move {
        let s = setup(db).await;
        let r = work::add(
            &s.app,
            &s.wang,
            WorkInput {
                participants: Some(30),
                ..input(
                    WorkKind::Training,
                    date!(2021 - 11 - 30),
                    "  《保密审查》专题培训 ",
                )
            },
            TODAY,
            NOW,
        )
        .await
        .expect("add");
        assert_eq!(r.title, "《保密审查》专题培训");
        let year = work::year_of(&s.app, r.agency_id, 2021)
            .await
            .expect("year");
        assert_eq!(year.trainings, 2);
        assert!(
            year.paragraph()
                .expect("paragraph")
                .contains("组织全体人员开展政务公开培训2次")
        );
        // Without a reason: refused, still counted.
        let e = work::remove(&s.app, &s.wang, r.id, " \u{7} ", NOW)
            .await
            .expect_err("no reason");
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
        // Another agency's user: it does not exist for them; a supervisor may not write.
        let e = work::remove(&s.app, &s.other, r.id, "误录", NOW)
            .await
            .expect_err("other agency");
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
        let e = work::remove(&s.app, &s.supervisor, r.id, "误录", NOW)
            .await
            .expect_err("supervisor");
        assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
        let removed = work::remove(&s.app, &s.wang, r.id, "重复登记", NOW)
            .await
            .expect("remove");
        assert_eq!(
            removed.removed.as_ref().map(|x| x.reason.as_str()),
            Some("重复登记")
        );
        let e = work::remove(&s.app, &s.wang, r.id, "再删", NOW)
            .await
            .expect_err("twice");
        assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
        let year = work::year_of(&s.app, r.agency_id, 2021)
            .await
            .expect("year");
        assert_eq!(year.trainings, 1);
        // Kept, and listed with the removed ones.
        let all = work::list(&s.app, &s.supervisor, demo::DEMO_AGENCY, Some(2021), true)
            .await
            .expect("list");
        assert!(all.iter().any(|x| x.id == r.id && x.removed.is_some()));
        let live = work::list(&s.app, &s.wang, demo::DEMO_AGENCY, Some(2021), false)
            .await
            .expect("list");
        assert_eq!(live.len(), 16);
        let e = work::list(&s.app, &s.other, demo::DEMO_AGENCY, Some(2021), false)
            .await
            .expect_err("other agency");
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    }
);

db_test!(
    bad_work_records_are_refused_and_nothing_is_stored,
    |db| async move {
        let s = setup(db).await;
        let before = work::list(&s.app, &s.operator, demo::DEMO_AGENCY, None, true)
            .await
            .expect("list")
            .len();
        let cases: Vec<(&str, Actor, WorkInput, ErrorKind)> = vec![
            (
                "empty title",
                s.wang.clone(),
                input(WorkKind::Rule, date!(2021 - 03 - 01), "\u{200b}\u{200b} "),
                ErrorKind::Invalid,
            ),
            (
                "title too long",
                s.wang.clone(),
                input(WorkKind::Rule, date!(2021 - 03 - 01), &"制".repeat(201)),
                ErrorKind::Invalid,
            ),
            (
                "a day after today",
                s.wang.clone(),
                input(WorkKind::Training, date!(2021 - 12 - 21), "培训"),
                ErrorKind::Invalid,
            ),
            (
                "before 2008",
                s.wang.clone(),
                input(WorkKind::Training, date!(2007 - 12 - 31), "培训"),
                ErrorKind::Invalid,
            ),
            (
                "no participants",
                s.wang.clone(),
                WorkInput {
                    participants: Some(0),
                    ..input(WorkKind::Training, date!(2021 - 03 - 01), "培训")
                },
                ErrorKind::Invalid,
            ),
            (
                "another agency",
                s.other.clone(),
                input(WorkKind::Training, date!(2021 - 03 - 01), "培训"),
                ErrorKind::NotFound,
            ),
            (
                "a supervisor",
                s.supervisor.clone(),
                input(WorkKind::Training, date!(2021 - 03 - 01), "培训"),
                ErrorKind::Forbidden,
            ),
        ];
        for (what, who, i, kind) in cases {
            let e = work::add(&s.app, &who, i, TODAY, NOW)
                .await
                .expect_err(what);
            assert_eq!(e.kind(), kind, "{what}: {e}");
            assert!(!e.zh().is_empty(), "{what}");
        }
        let after = work::list(&s.app, &s.operator, demo::DEMO_AGENCY, None, true)
            .await
            .expect("list")
            .len();
        assert_eq!(before, after, "nothing stored");
        // Script in a title is kept as text: the pages escape it.
        let r = work::add(
            &s.app,
            &s.wang,
            input(
                WorkKind::Rule,
                date!(2021 - 03 - 01),
                "<script>alert(1)</script>制度",
            ),
            TODAY,
            NOW,
        )
        .await
        .expect("text");
        assert_eq!(r.title, "<script>alert(1)</script>制度");
    }
);

mod proposals {
    use super::*;
    use gongkai_app::proposal::{self, ProposalInput, ReplyInput};
    use gongkai_core::proposal::{Handling, ProposalKind, ProposalResult};

    fn cppcc(number: &str) -> ProposalInput {
        ProposalInput {
            agency: demo::DEMO_AGENCY.into(),
            kind: ProposalKind::CppccProposal,
            number: number.into(),
            proposer: "某委员".into(),
            subject: "关于机关食堂节约的提案".into(),
            handling: Handling::CoHandling,
            assigned_on: date!(2021 - 05 - 31),
            due_on: None,
        }
    }

    db_test!(
        the_seed_proposal_count_comes_from_the_demo_record,
        |db| async move {
            let s = setup(db).await;
            let computed = gongkai_app::report::compute(&s.app, demo::DEMO_AGENCY, 2021)
                .await
                .expect("compute");
            let f = &computed.figures.counts;
            assert_eq!((f["npc_suggestions"], f["cppcc_proposals"]), (0, 1));
            let a = agency::find(&s.app, demo::DEMO_AGENCY)
                .await
                .expect("agency");
            let year = proposal::year_of(&s.app, a.id.get(), 2021)
                .await
                .expect("year");
            assert_eq!(
                year.sentence().as_deref(),
                Some(
                    "2021年度人大代表建议和政协委员提案办理情况。2021年共承办人大代表建议0件、政协委员提案1件（淄博市张店区政协十二届五次会议第104号提案），办理结果为：已列入计划拟解决1件。"
                )
            );
        }
    );

    db_test!(
        a_proposal_is_recorded_answered_once_and_linked_to_its_published_reply,
        |db| async move {
            let s = setup(db).await;
            let p = proposal::add(
                &s.app,
                &s.wang,
                cppcc(" 十二届五次会议 第0031号提案"),
                TODAY,
                NOW,
            )
            .await
            .expect("add");
            assert_eq!(p.number, "十二届五次会议第31号");
            assert_eq!(p.due_on, "2021-08-31", "three months after 31 May");
            // The same number again: a conflict; a number in the wrong form: refused.
            let e = proposal::add(&s.app, &s.wang, cppcc("十二届五次会议第31号"), TODAY, NOW)
                .await
                .expect_err("twice");
            assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
            let e = proposal::add(&s.app, &s.wang, cppcc("第31号提案"), TODAY, NOW)
                .await
                .expect_err("form");
            assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
            assert!(e.zh().contains("届……次会议第……号"), "{}", e.zh());
            let e = proposal::add(&s.app, &s.other, cppcc("十二届五次会议第32号"), TODAY, NOW)
                .await
                .expect_err("another agency");
            assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
            // The reply: linked to an item of the 建议提案 column, not of another column.
            let items = gongkai_store::repo::catalog::list_items(
                &s.app.db,
                gongkai_core::ids::AgencyId::new(p.agency_id),
                &Default::default(),
            )
            .await
            .expect("items");
            let column = |c: &str| {
                items
                    .iter()
                    .find(|i| i.content.column == c)
                    .map(|i| i.id.get())
                    .expect(c)
            };
            let reply = |item| ReplyInput {
                on: date!(2021 - 08 - 20),
                result: ProposalResult::Solved,
                reply: Some("已采纳".into()),
                item: Some(item),
            };
            let e = proposal::reply(&s.app, &s.wang, p.id, reply(column("业务动态")), TODAY)
                .await
                .expect_err("another column");
            assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
            let item = column("建议提案");
            let answered = proposal::reply(&s.app, &s.wang, p.id, reply(item), TODAY)
                .await
                .expect("reply");
            assert_eq!(answered.reply_href, Some(format!("/items/{item}")));
            assert_eq!(answered.result_label, Some("已解决或采纳"));
            let e = proposal::reply(&s.app, &s.wang, p.id, reply(item), TODAY)
                .await
                .expect_err("twice");
            assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
            let year = proposal::year_of(&s.app, p.agency_id, 2021)
                .await
                .expect("year");
            assert_eq!(year.cppcc.len(), 2);
            assert!(
                year.sentence()
                    .expect("sentence")
                    .contains("已解决或采纳1件，已列入计划拟解决1件")
            );
        }
    );
}
