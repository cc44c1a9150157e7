//! Agency and region scope of the catalogue and of user administration, on both backends
//! (docs/back-office.md): another agency's item is not found for every use case that takes an
//! actor, a region's user reaches the agencies in it, the review queues hold only what a user
//! may decide, and an administrator of one agency manages that agency's users only.

use gongkai_app::catalog::{self, ItemFilter, scope};
use gongkai_app::error::ErrorKind;
use gongkai_app::{App, agency, user};
use gongkai_core::catalog::{Action, ItemInput, Stage};
use gongkai_core::ids::AgencyId;
use gongkai_core::user::{Actor, Role};
use gongkai_store::{Db, db_test};
use time::OffsetDateTime;
use time::macros::{date, datetime};

const T: OffsetDateTime = datetime!(2024-05-06 09:00 +08:00);

struct World {
    app: App,
    admin: Actor,
    a: AgencyId,
    b: AgencyId,
    _dir: tempfile::TempDir,
}

async fn world(db: Db) -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::with_db(dir.path(), db).expect("app");
    let admin = user::first_admin(&app, "operator", None)
        .await
        .expect("operator");
    let a = agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/张店区",
        "张店区某局",
        Some("000000009"),
    )
    .await
    .expect("a")
    .id;
    let b = agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/淄川区",
        "淄川区某局",
        Some("000000017"),
    )
    .await
    .expect("b")
    .id;
    World {
        app,
        admin,
        a,
        b,
        _dir: dir,
    }
}

impl World {
    async fn user(&self, name: &str, roles: &[Role], agency: Option<&str>) -> Actor {
        user::add(
            &self.app,
            &gongkai_app::user::first_security(&self.app)
                .await
                .expect("security"),
            user::NewUserInput {
                name: name.into(),
                display_name: None,
                roles: roles.to_vec(),
                agency: agency.map(str::to_string),
                region: None,
            },
        )
        .await
        .expect("user");
        user::actor(&self.app, Some(name)).await.expect("actor")
    }
}

fn input(title: &str) -> ItemInput {
    ItemInput {
        title: title.into(),
        publisher: "张店区某局".into(),
        formed_on: Some(date!(2024 - 05 - 06)),
        column: "政策文件".into(),
        summary: "概述。".into(),
        body_html: "<p>正文</p>".into(),
        ..ItemInput::default()
    }
}

db_test!(
    another_agencys_item_is_not_found_for_every_use_case,
    |db| async move {
        let w = world(db).await;
        let ours = w
            .user("ours", &[Role::Entry, Role::Review], Some("张店区某局"))
            .await;
        let theirs = w
            .user(
                "theirs",
                &[Role::Entry, Role::Review, Role::Secrecy],
                Some("淄川区某局"),
            )
            .await;
        let id = catalog::create_item(&w.app, &ours, w.a, &input("本机关的通知"), T)
            .await
            .expect("create")
            .item
            .id;
        let not_found = |r: Result<_, gongkai_app::AppError>| {
            assert_eq!(
                r.map(|_| ()).expect_err("refused").kind(),
                ErrorKind::NotFound
            );
        };
        not_found(
            catalog::create_item(&w.app, &theirs, w.a, &input("越权"), T)
                .await
                .map(|_| ()),
        );
        not_found(
            catalog::revise_item(&w.app, &theirs, id, &input("改"), None, T)
                .await
                .map(|_| ()),
        );
        not_found(
            catalog::act(&w.app, &theirs, id, Action::Submit, None, T)
                .await
                .map(|_| ()),
        );
        not_found(
            catalog::attach(&w.app, &theirs, id, "a.pdf", b"%PDF-1.4", T)
                .await
                .map(|_| ()),
        );
        not_found(
            catalog::show_for(&w.app, &theirs, id, date!(2024 - 05 - 06))
                .await
                .map(|_| ()),
        );
        not_found(
            catalog::approval_form_for(&w.app, &theirs, id)
                .await
                .map(|_| ()),
        );
        not_found(
            catalog::list_for(
                &w.app,
                &theirs,
                w.a,
                &ItemFilter::default(),
                date!(2024 - 05 - 06),
            )
            .await
            .map(|_| ()),
        );
        not_found(
            catalog::review_queue(&w.app, &theirs, w.a, Stage::Review, T)
                .await
                .map(|_| ()),
        );
        // Their own agency works; the item was not touched.
        assert!(
            catalog::list_for(
                &w.app,
                &theirs,
                w.b,
                &ItemFilter::default(),
                date!(2024 - 05 - 06)
            )
            .await
            .expect("own")
            .is_empty()
        );
        let v = catalog::show(&w.app, id, date!(2024 - 05 - 06))
            .await
            .expect("show");
        assert_eq!(v.item.stage(), Stage::Draft);
        assert_eq!(v.item.content.title, "本机关的通知");
        // The installation's operator reaches both.
        assert!(
            scope::in_scope(&w.app.db, &w.admin, w.b)
                .await
                .expect("scope")
        );
    }
);

db_test!(a_regions_user_reaches_the_agencies_in_it, |db| async move {
    let w = world(db).await;
    let region = agency::add_region(&w.app, &w.admin, "山东省/淄博市/张店区")
        .await
        .expect("region");
    user::add(
        &w.app,
        &gongkai_app::user::first_security(&w.app)
            .await
            .expect("security"),
        user::NewUserInput {
            name: "district".into(),
            display_name: None,
            roles: vec![Role::Entry],
            agency: None,
            region: Some(region.id),
        },
    )
    .await
    .expect("user");
    let d = user::actor(&w.app, Some("district")).await.expect("actor");
    assert!(scope::in_scope(&w.app.db, &d, w.a).await.expect("a"));
    assert!(!scope::in_scope(&w.app.db, &d, w.b).await.expect("b"));
    assert_eq!(
        scope::working_agency(&w.app.db, &d, None)
            .await
            .expect("none"),
        None
    );
    let e = scope::working_agency(&w.app.db, &d, Some(w.b))
        .await
        .expect_err("b");
    assert_eq!(e.kind(), ErrorKind::NotFound);
});

db_test!(queues_hold_what_the_user_may_decide, |db| async move {
    let w = world(db).await;
    let both = w
        .user("both", &[Role::Entry, Role::Secrecy], Some("张店区某局"))
        .await;
    let secrecy = w
        .user("secrecy", &[Role::Secrecy], Some("张店区某局"))
        .await;
    let reviewer = w
        .user("reviewer", &[Role::Review], Some("张店区某局"))
        .await;
    let id = catalog::create_item(&w.app, &both, w.a, &input("送审的通知"), T)
        .await
        .expect("create")
        .item
        .id;
    let v = catalog::show(&w.app, id, date!(2024 - 05 - 06))
        .await
        .expect("show");
    assert_eq!(
        catalog::allowed_actions(&both, &v.item, T),
        [Action::Submit]
    );
    assert!(catalog::allowed_actions(&reviewer, &v.item, T).is_empty());
    catalog::act(&w.app, &both, id, Action::Submit, None, T)
        .await
        .expect("submit");
    let v = catalog::show(&w.app, id, date!(2024 - 05 - 06))
        .await
        .expect("show");
    // Not their own draft; the other reviewer may clear or return it.
    assert!(catalog::allowed_actions(&both, &v.item, T).is_empty());
    assert_eq!(
        catalog::allowed_actions(&secrecy, &v.item, T),
        [Action::ClearSecrecy, Action::Return]
    );
    assert!(
        catalog::review_queue(&w.app, &both, w.a, Stage::SecrecyReview, T)
            .await
            .expect("q")
            .is_empty()
    );
    assert_eq!(
        catalog::review_queue(&w.app, &secrecy, w.a, Stage::SecrecyReview, T)
            .await
            .expect("q")
            .len(),
        1
    );
    assert!(
        catalog::review_queue(&w.app, &reviewer, w.a, Stage::SecrecyReview, T)
            .await
            .expect("q")
            .is_empty()
    );
    // The preview sanitises and warns, storing nothing.
    let mut raw = input("预览");
    raw.body_html = "<script>x()</script><p>手机13812345678</p>".into();
    let p = catalog::preview(&w.app, &both, w.a, &raw)
        .await
        .expect("preview");
    assert!(!p.body_html.contains("script"), "{}", p.body_html);
    assert!(
        p.warnings.iter().any(|w| w.contains("手机号码")),
        "{:?}",
        p.warnings
    );
    assert_eq!(p.error, None);
});

db_test!(
    an_agencys_administrator_manages_that_agencys_users_only,
    |db| async move {
        let w = world(db).await;
        let local = w
            .user("local_admin", &[Role::Security], Some("张店区某局"))
            .await;
        w.user("clerk_a", &[Role::Entry], Some("张店区某局")).await;
        w.user("clerk_b", &[Role::Entry], Some("淄川区某局")).await;
        let names: Vec<String> = user::list_for(&w.app, &local)
            .await
            .expect("list")
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["local_admin", "clerk_a"]);
        let e = user::disable(&w.app, &local, "clerk_b")
            .await
            .expect_err("other agency");
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(
            user::managed(&w.app, &local, "clerk_b")
                .await
                .expect_err("x")
                .kind(),
            ErrorKind::NotFound
        );
        let add = |agency: Option<&str>| user::NewUserInput {
            name: "newcomer".into(),
            display_name: None,
            roles: vec![Role::Entry],
            agency: agency.map(str::to_string),
            region: None,
        };
        assert_eq!(
            user::add(&w.app, &local, add(Some("淄川区某局")))
                .await
                .expect_err("b")
                .kind(),
            ErrorKind::Forbidden
        );
        assert_eq!(
            user::add(&w.app, &local, add(None))
                .await
                .expect_err("all")
                .kind(),
            ErrorKind::Forbidden
        );
        user::add(&w.app, &local, add(Some("张店区某局")))
            .await
            .expect("own agency");
        // Agencies and regions are the installation administrator's, even for an agency's
        // 系统管理员, who keeps that agency's settings.
        let local = w
            .user("local_sys", &[Role::Admin], Some("张店区某局"))
            .await;
        let e = agency::add_agency(
            &w.app,
            &local,
            "山东省/淄博市/周村区",
            "周村区某局",
            Some("000000025"),
        )
        .await
        .expect_err("agency");
        assert_eq!(e.kind(), ErrorKind::Forbidden);
        // Settings of another agency are out of reach.
        let e = catalog::set_config(&w.app, &local, w.b, "{}")
            .await
            .expect_err("settings");
        assert_eq!(e.kind(), ErrorKind::NotFound);
        catalog::set_config(&w.app, &local, w.a, "{}")
            .await
            .expect("own settings");
    }
);
