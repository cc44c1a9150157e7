//! 公众评议 on SQLite and PostgreSQL (docs/feedback.md): the seed's "目前未收到不良评议" and the
//! figures from the year's feedback; floods, duplicates, web code, links and the trap refused
//! with nothing stored; moderation in scope, with its history, and what the portal then shows.

use gongkai_app::catalog::demo;
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::feedback::{self, Submission, SubmitError, Target};
use gongkai_app::portal::{self, Column, PublicFilter};
use gongkai_app::{App, agency, user};
use gongkai_core::feedback::{
    Action, FLOOD_MAX, FLOOD_WINDOW_MINUTES, FeedbackForm, RefusalKind, State,
};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::user::{Actor, Role};
use gongkai_store::{Db, db_test};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2021-11-02 10:00 +08:00);
const OTHER: &str = "淄川区某局";

struct Setup {
    app: App,
    operator: Actor,
    /// 王明: 录入 and 审核 of the seed agency.
    wang: Actor,
    /// 赵强: 审核 and 负责人, no 录入.
    zhao: Actor,
    /// 录入 of another agency.
    other: Actor,
    /// 监督 (and 录入) of 淄博市.
    supervisor: Actor,
    agency: AgencyId,
    /// Two published items of the seed agency.
    items: [ItemId; 2],
    _dir: tempfile::TempDir,
}

async fn setup(db: Db) -> Setup {
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
    let a = agency::find(&app, demo::DEMO_AGENCY)
        .await
        .expect("agency")
        .id;
    let listing = portal::published(
        &app,
        Column::Agency(a),
        &PublicFilter {
            page: 1,
            per_page: 2,
            ..PublicFilter::default()
        },
    )
    .await
    .expect("published items");
    Setup {
        wang: user::actor(&app, Some("wangming")).await.expect("wangming"),
        zhao: user::actor(&app, Some("zhaoqiang"))
            .await
            .expect("zhaoqiang"),
        other: user::actor(&app, Some("other")).await.expect("other"),
        supervisor: user::actor(&app, Some("sup")).await.expect("sup"),
        items: [listing.items[0].id, listing.items[1].id],
        agency: a,
        app,
        operator,
        _dir: dir,
    }
}

fn form(rating: &str, comment: &str) -> FeedbackForm {
    FeedbackForm {
        rating: rating.into(),
        comment: comment.into(),
        ..FeedbackForm::default()
    }
}

fn on(item: ItemId, f: FeedbackForm, client: &str) -> Submission {
    Submission {
        target: Target::Item(item),
        form: f,
        client: client.into(),
    }
}

/// Every submission of the agency in 2021, whatever its state.
async fn stored(s: &Setup) -> usize {
    feedback::list(&s.app, &s.operator, demo::DEMO_AGENCY, 2021, None)
        .await
        .expect("list")
        .len()
}

fn refusal(r: Result<feedback::Received, SubmitError>) -> RefusalKind {
    match r {
        Err(SubmitError::Refused(r)) => {
            assert!(!r.zh.is_empty() && !r.en.is_empty());
            r.kind
        }
        other => panic!("not refused by the screening: {other:?}"),
    }
}

db_test!(
    the_seed_states_no_negative_evaluation_and_the_figures_follow_the_year,
    |db| async move {
        let s = setup(db).await;
        let seed: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json"
        ))
        .expect("seed");
        let computed = gongkai_app::report::compute(&s.app, demo::DEMO_AGENCY, 2021)
            .await
            .expect("compute");
        let f = &computed.figures.counts;
        assert_eq!(
            serde_json::json!(f["negative_evaluations"]),
            seed["figures"]["negative_evaluations"]
        );
        // The seed does not state how many it received; neither does a year without any.
        assert!(seed["figures"].get("feedback_received").is_none());
        assert!(!f.contains_key("feedback_received"));

        // 2022: three received (one 不满意), one answered, one set aside as spam.
        let at = datetime!(2022-03-01 09:00 +08:00);
        let mut ids = Vec::new();
        for (i, (rating, text)) in [
            ("satisfied", "公开内容很全面，查找方便。"),
            ("dissatisfied", "附件无法下载，请尽快修复。"),
            ("basic", "希望增加政策解读的图解版本。"),
            ("dissatisfied", "这是一条没有内容的灌水信息。"),
        ]
        .into_iter()
        .enumerate()
        {
            let r = feedback::submit(
                &s.app,
                &on(s.items[0], form(rating, text), &format!("198.51.100.{i}")),
                at + Duration::minutes(i as i64),
            )
            .await
            .expect("stored");
            ids.push(r.id);
        }
        feedback::moderate(
            &s.app,
            &s.wang,
            ids[1],
            Action::AnswerPrivately,
            "已电话联系，附件已修复。",
            at,
        )
        .await
        .expect("answered");
        feedback::moderate(&s.app, &s.wang, ids[3], Action::Reject, "灌水", at)
            .await
            .expect("set aside");
        let computed = gongkai_app::report::compute(&s.app, demo::DEMO_AGENCY, 2022)
            .await
            .expect("compute 2022");
        let f = &computed.figures.counts;
        assert_eq!((f["feedback_received"], f["negative_evaluations"]), (3, 1));
        let overview = computed.sections.overview.unwrap_or_default();
        assert!(
            overview.contains(
                "（五）监督保障情况。社会评议情况。2022年度通过门户网站收到公众评议3条，已答复1条，其中不满意评价1条。"
            ),
            "{overview}"
        );
        let year = feedback::year_of(&s.app, s.agency.get(), 2021)
            .await
            .expect("2021");
        assert!(year.sentence().ends_with("目前未收到不良评议。"));
    }
);

db_test!(
    floods_duplicates_web_code_links_and_the_trap_are_refused_with_nothing_stored,
    |db| async move {
        let s = setup(db).await;
        let me = "192.0.2.7";
        for i in 0..FLOOD_MAX {
            feedback::submit(
                &s.app,
                &on(
                    s.items[i as usize % 2],
                    form("satisfied", &format!("第{i}条：信息公开及时，内容详实。")),
                    me,
                ),
                NOW + Duration::seconds(i as i64),
            )
            .await
            .expect("within the limit");
        }
        assert_eq!(stored(&s).await, FLOOD_MAX as usize);
        let burst = feedback::submit(
            &s.app,
            &on(
                s.items[0],
                form("satisfied", "超出限制的一条新评议内容。"),
                me,
            ),
            NOW + Duration::seconds(30),
        )
        .await;
        assert_eq!(refusal(burst), RefusalKind::TooFrequent);
        assert_eq!(
            stored(&s).await,
            FLOOD_MAX as usize,
            "nothing stored beyond the limit"
        );
        // Another client is not held back; the same client is again after the window.
        feedback::submit(
            &s.app,
            &on(
                s.items[0],
                form("basic", "另一位网友的一条新评议。"),
                "192.0.2.8",
            ),
            NOW + Duration::seconds(31),
        )
        .await
        .expect("another client");
        let later = NOW + Duration::minutes(FLOOD_WINDOW_MINUTES) + Duration::seconds(10);
        feedback::submit(
            &s.app,
            &on(s.items[0], form("basic", "窗口期过后再次提交的评议。"), me),
            later,
        )
        .await
        .expect("after the window");
        let count = stored(&s).await;

        // The same text again, from anyone, however spaced: refused. A short text only from
        // the same client.
        let dup = feedback::submit(
            &s.app,
            &on(
                s.items[1],
                form("dissatisfied", " 另一位网友的 一条新评议！"),
                "192.0.2.9",
            ),
            later,
        )
        .await;
        assert_eq!(refusal(dup), RefusalKind::Duplicate);
        feedback::submit(
            &s.app,
            &on(s.items[1], form("satisfied", "很好"), "192.0.2.10"),
            later,
        )
        .await
        .expect("short");
        feedback::submit(
            &s.app,
            &on(s.items[1], form("satisfied", "很好"), "192.0.2.11"),
            later,
        )
        .await
        .expect("the same short text from another client");
        let again = feedback::submit(
            &s.app,
            &on(s.items[1], form("satisfied", "很好！"), "192.0.2.10"),
            later,
        )
        .await;
        assert_eq!(refusal(again), RefusalKind::Duplicate);
        let count = count + 2;
        assert_eq!(stored(&s).await, count);

        // Web code in any field, links, the trap, empty text: refused by kind.
        let script = "<script>alert(1)</script>";
        let cases = [
            (form("satisfied", script), RefusalKind::Markup),
            (form(script, "好评"), RefusalKind::Markup),
            (
                FeedbackForm {
                    nickname: script.into(),
                    ..form("satisfied", "好评")
                },
                RefusalKind::Markup,
            ),
            (
                FeedbackForm {
                    contact: script.into(),
                    ..form("satisfied", "好评")
                },
                RefusalKind::Markup,
            ),
            (
                form("satisfied", "点击 javascript:alert(1) 查看"),
                RefusalKind::Markup,
            ),
            (
                form("satisfied", "优惠多多 https://spam.example 速来"),
                RefusalKind::Link,
            ),
            (
                form("satisfied", "加微信了解 www。spam。com"),
                RefusalKind::Link,
            ),
            (
                FeedbackForm {
                    trap: "x".into(),
                    ..form("satisfied", "好评")
                },
                RefusalKind::Trap,
            ),
            (
                form("satisfied", "\u{200b} \u{3000}\n"),
                RefusalKind::Invalid,
            ),
        ];
        for (i, (f, kind)) in cases.into_iter().enumerate() {
            let r = feedback::submit(
                &s.app,
                &on(s.items[0], f.clone(), &format!("203.0.113.{i}")),
                later,
            )
            .await;
            assert_eq!(refusal(r), kind, "{f:?}");
        }
        assert_eq!(
            stored(&s).await,
            count,
            "nothing of a refused form is stored"
        );

        // Nothing to give feedback on: a draft, an unknown item, a column the agency lacks.
        let draft = gongkai_app::catalog::create_item(
            &s.app,
            &s.wang,
            s.agency,
            &gongkai_core::catalog::ItemInput {
                title: "尚未发布的通知".into(),
                publisher: demo::DEMO_AGENCY.into(),
                formed_on: Some(time::macros::date!(2021 - 11 - 01)),
                changed_on: None,
                doc_number: None,
                subject: None,
                column: "政策文件".into(),
                genre: None,
                summary: "通知。".into(),
                body_html: "<p>正文。</p>".into(),
                keywords: vec![],
                normative: None,
                interprets: None,
            },
            NOW,
        )
        .await
        .expect("draft");
        for target in [
            Target::Item(draft.item.id),
            Target::Item(ItemId::new(999_999)),
            Target::Column {
                agency: s.agency,
                column: "不存在的栏目".into(),
            },
        ] {
            let r = feedback::submit(
                &s.app,
                &Submission {
                    target: target.clone(),
                    form: form("satisfied", "对这里的评议内容。"),
                    client: "203.0.113.50".into(),
                },
                later,
            )
            .await;
            match r {
                Err(SubmitError::App(e)) => assert_eq!(e.kind(), ErrorKind::NotFound, "{target:?}"),
                other => panic!("{target:?}: {other:?}"),
            }
            assert_eq!(
                feedback::describe(&s.app, &target).await.expect("describe"),
                None
            );
        }
        let policy = Target::Column {
            agency: s.agency,
            column: "政策文件".into(),
        };
        assert_eq!(
            feedback::describe(&s.app, &policy).await.expect("describe"),
            Some("栏目“政策文件”".into())
        );
        let column = feedback::submit(
            &s.app,
            &Submission {
                target: Target::Column {
                    agency: s.agency,
                    column: "政策文件".into(),
                },
                form: form("basic", "政策文件栏目更新及时。"),
                client: "203.0.113.51".into(),
            },
            later,
        )
        .await
        .expect("a column");
        assert_eq!((column.item_id, column.column.as_str()), (None, "政策文件"));
    }
);

db_test!(
    moderation_answers_in_scope_keeps_history_and_publishes,
    |db| async move {
        let s = setup(db).await;
        let r = feedback::submit(
            &s.app,
            &on(
                s.items[0],
                FeedbackForm {
                    nickname: "张先生".into(),
                    contact: "13800000000".into(),
                    ..form("dissatisfied", "附件打不开，希望提供文本版。")
                },
                "192.0.2.1",
            ),
            NOW,
        )
        .await
        .expect("stored");
        let target = Target::Item(s.items[0]);
        assert!(
            feedback::published(&s.app, &target)
                .await
                .expect("public")
                .entries
                .is_empty(),
            "pending is not shown"
        );

        // Who may not decide: another agency's user (not found), a region's supervisor, a
        // user without 录入.
        for (who, kind) in [
            (&s.other, ErrorKind::NotFound),
            (&s.supervisor, ErrorKind::Forbidden),
            (&s.zhao, ErrorKind::Forbidden),
        ] {
            let e = feedback::moderate(&s.app, who, r.id, Action::Publish, "答复", NOW)
                .await
                .expect_err("refused");
            assert_eq!(e.kind(), kind, "{}", who.name);
            assert!(!e.zh().is_empty());
        }
        let e = feedback::moderate(&s.app, &s.wang, r.id, Action::Publish, "  ", NOW)
            .await
            .expect_err("an answer is needed");
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(e.zh().contains("须填写答复内容"), "{}", e.zh());
        let e = feedback::moderate(&s.app, &s.wang, 999_999, Action::Reject, "", NOW)
            .await
            .expect_err("unknown");
        assert_eq!(e.kind(), ErrorKind::NotFound);

        let v = feedback::moderate(
            &s.app,
            &s.wang,
            r.id,
            Action::Publish,
            "已在附件中补充文本版，感谢您的建议。",
            NOW + Duration::hours(1),
        )
        .await
        .expect("published");
        assert_eq!((v.state, v.history.len()), ("published", 1));
        let public = feedback::published(&s.app, &target).await.expect("public");
        assert_eq!(
            public.last_change,
            Some(NOW + Duration::hours(1)),
            "the page changed then"
        );
        let public = public.entries;
        assert_eq!(public.len(), 1);
        assert_eq!(
            (
                public[0].nickname.as_str(),
                public[0].rating,
                public[0].answer.as_str()
            ),
            ("张先生", "不满意", "已在附件中补充文本版，感谢您的建议。")
        );
        assert!(
            feedback::published(&s.app, &Target::Item(s.items[1]))
                .await
                .expect("other")
                .entries
                .is_empty()
        );

        // Taken back from the page, then set aside: each kept; setting aside twice is refused.
        feedback::moderate(
            &s.app,
            &s.wang,
            r.id,
            Action::AnswerPrivately,
            "已电话答复。",
            NOW + Duration::hours(2),
        )
        .await
        .expect("private");
        let after = feedback::published(&s.app, &target).await.expect("public");
        assert!(after.entries.is_empty());
        assert_eq!(after.last_change, Some(NOW + Duration::hours(2)));
        feedback::moderate(
            &s.app,
            &s.operator,
            r.id,
            Action::Reject,
            "",
            NOW + Duration::hours(3),
        )
        .await
        .expect("rejected by 管理员");
        let e = feedback::moderate(&s.app, &s.wang, r.id, Action::Reject, "", NOW)
            .await
            .expect_err("twice");
        assert_eq!(e.kind(), ErrorKind::Invalid);

        let all = feedback::list(
            &s.app,
            &s.wang,
            demo::DEMO_AGENCY,
            2021,
            Some(State::Rejected),
        )
        .await
        .expect("list");
        assert_eq!(all.len(), 1);
        let actions: Vec<&str> = all[0].history.iter().map(|h| h.action).collect();
        assert_eq!(actions, ["publish", "private", "reject"]);
        assert_eq!(
            all[0].answer.as_deref(),
            Some("已电话答复。"),
            "the last answer stays"
        );
        assert_eq!(all[0].contact.as_deref(), Some("13800000000"));
        // A region's supervisor reads, without the contact; another agency's user sees none.
        let seen = feedback::list(&s.app, &s.supervisor, demo::DEMO_AGENCY, 2021, None)
            .await
            .expect("supervisor reads");
        assert_eq!((seen.len(), seen[0].contact.clone()), (1, None));
        let e = feedback::list(&s.app, &s.other, demo::DEMO_AGENCY, 2021, None)
            .await
            .expect_err("out of scope");
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(
            feedback::list(
                &s.app,
                &s.wang,
                demo::DEMO_AGENCY,
                2021,
                Some(State::Pending)
            )
            .await
            .expect("pending")
            .is_empty()
        );
    }
);
