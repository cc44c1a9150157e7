//! The second factor and the three administrators over HTTP, on both backends
//! (docs/security.md#second-factor, #separation): level 3 refuses a staff sign-in without the
//! code and enrols at first sign-in; codes are used once and wrong ones end the sign-in; level
//! 2 enrols by choice on 账号安全; each administrator opens only their own pages, and roles that
//! break 三权分立 are refused. Test names carry the RELIABILITY ids they check.

use crate::staff_auth::{Browser, PW, Site, hidden};
use axum::http::StatusCode;
use gongkai_app::{auth, second_factor, user};
use gongkai_core::user::Role;
use gongkai_store::db_test;
use time::Duration;

/// The secret an enrolment page shows.
fn shown_secret(body: &str) -> String {
    let at = body
        .find("id=\"totp-secret\">")
        .expect("the secret is shown")
        + 17;
    let rest = &body[at..];
    rest[..rest.find('<').expect("end of secret")].to_string()
}

/// Posts a code for the pending sign-in on `page`.
async fn send_code(site: &Site, b: &mut Browser, page: &str, code: &str) -> crate::staff_auth::Got {
    let (csrf, ticket) = (hidden(page, "csrf_token"), hidden(page, "ticket"));
    site.post(
        b,
        "/staff/signin/code",
        &[
            ("csrf_token", &csrf),
            ("ticket", &ticket),
            ("next", "/staff"),
            ("code", code),
        ],
        &[],
    )
    .await
}

db_test!(
    db_ia_4_level_3_asks_every_staff_sign_in_for_a_second_factor,
    |db| async move {
        let site = Site::with(db, |s| s.level = 3).await;
        let mut b = Browser::at([192, 0, 2, 1]);
        // The right password alone opens no session: the page asks to enrol first.
        let first = site.sign_in_as(&mut b, "zhangwei", PW, "/staff").await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert!(
            first.body.contains("首次登录：绑定验证器"),
            "{}",
            first.body
        );
        assert!(first.body.contains("<svg"), "a QR code");
        assert!(!b.jar.contains_key("gongkai_staff"), "{:?}", b.jar);
        let away = site.get(&mut b, "/staff").await;
        assert_eq!(away.status, StatusCode::SEE_OTHER);
        let secret = shown_secret(&first.body);
        // A wrong code: 401, the same secret again, the tries left.
        let wrong = send_code(&site, &mut b, &first.body, "000000").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("还可尝试4次"), "{}", wrong.body);
        assert_eq!(shown_secret(&wrong.body), secret);
        // The app's code enrols and signs in.
        let now = site.clock.now();
        let code = second_factor::code_of(&secret, now).expect("code");
        let done = send_code(&site, &mut b, &wrong.body, &code).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.location(), "/staff");
        assert!(b.jar.contains_key("gongkai_staff"));
        assert_eq!(site.get(&mut b, "/staff").await.status, StatusCode::OK);
        let zhang = user::actor(&site.app, Some("zhangwei"))
            .await
            .expect("user");
        assert!(
            second_factor::enrolled_at(&site.app, zhang.id)
                .await
                .expect("read")
                .is_some()
        );
        // Next time: the code only, no secret shown; the same code is not accepted twice.
        let mut other = Browser::at([192, 0, 2, 1]);
        let again = site.sign_in_as(&mut other, "zhangwei", PW, "/staff").await;
        assert_eq!(again.status, StatusCode::OK);
        assert!(!again.body.contains("totp-secret") && !again.body.contains("<svg"));
        let replay = send_code(&site, &mut other, &again.body, &code).await;
        assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "used once");
        site.clock.advance(Duration::seconds(30));
        let fresh = second_factor::code_of(&secret, site.clock.now()).expect("code");
        let ok = send_code(&site, &mut other, &replay.body, &fresh).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        // Five wrong codes end the sign-in; its ticket is refused afterwards.
        let mut third = Browser::at([192, 0, 2, 1]);
        let mut page = site
            .sign_in_as(&mut third, "zhangwei", PW, "/staff")
            .await
            .body;
        for left in (1..5).rev() {
            let got = send_code(&site, &mut third, &page, "123456").await;
            assert!(
                got.body.contains(&format!("还可尝试{left}次")),
                "{}",
                got.body
            );
            page = got.body;
        }
        let ended = send_code(&site, &mut third, &page, "123456").await;
        assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
        assert!(
            ended.body.contains("请重新输入用户名和密码"),
            "{}",
            ended.body
        );
        site.clock.advance(Duration::seconds(30));
        let late = second_factor::code_of(&secret, site.clock.now()).expect("code");
        let refused = send_code(&site, &mut third, &page, &late).await;
        assert!(refused.body.contains("请重新输入用户名和密码"));
        assert!(!third.jar.contains_key("gongkai_staff"));
    }
);

db_test!(
    db_ia_4_a_pending_sign_in_ends_after_five_minutes_and_binds_its_client,
    |db| async move {
        let site = Site::with(db, |s| s.level = 3).await;
        let mut b = Browser::at([192, 0, 2, 1]);
        let first = site.sign_in_as(&mut b, "zhangwei", PW, "/staff").await;
        let secret = shown_secret(&first.body);
        // Another client with the ticket gets nothing.
        let mut thief = Browser::at([198, 51, 100, 7]);
        thief.jar = b.jar.clone();
        let code = second_factor::code_of(&secret, site.clock.now()).expect("code");
        let stolen = send_code(&site, &mut thief, &first.body, &code).await;
        assert!(
            stolen.body.contains("请重新输入用户名和密码"),
            "{}",
            stolen.body
        );
        assert!(!thief.jar.contains_key("gongkai_staff"));
        // …and the ticket is ended for its own client too.
        let mut c = Browser::at([192, 0, 2, 1]);
        let page = site.sign_in_as(&mut c, "zhangwei", PW, "/staff").await;
        site.clock.advance(Duration::minutes(5));
        let code =
            second_factor::code_of(&shown_secret(&page.body), site.clock.now()).expect("code");
        let slow = send_code(&site, &mut c, &page.body, &code).await;
        assert!(
            slow.body.contains("请重新输入用户名和密码"),
            "{}",
            slow.body
        );
    }
);

db_test!(
    db_ia_4_level_2_enrols_by_choice_and_then_asks_for_the_code,
    |db| async move {
        let site = Site::with(db, |_| {}).await;
        let mut b = Browser::at([192, 0, 2, 1]);
        let got = site.sign_in_as(&mut b, "zhangwei", PW, "/staff").await;
        assert_eq!(
            got.status,
            StatusCode::SEE_OTHER,
            "level 2 without a factor: the password"
        );
        let account = site.get(&mut b, "/staff/account").await;
        assert_eq!(account.status, StatusCode::OK);
        assert!(account.body.contains("<svg") && account.body.contains("绑定"));
        let secret = shown_secret(&account.body);
        let post = |code: String| {
            let (csrf, sealed) = (
                hidden(&account.body, "csrf_token"),
                hidden(&account.body, "sealed"),
            );
            (csrf, sealed, code)
        };
        let (csrf, sealed, _) = post(String::new());
        let wrong = site
            .post(
                &mut b,
                "/staff/account/second-factor",
                &[
                    ("csrf_token", &csrf),
                    ("sealed", &sealed),
                    ("code", "111111"),
                ],
                &[],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(shown_secret(&wrong.body), secret, "the same secret again");
        // A secret sealed for another user does not enrol this one.
        let code = second_factor::code_of(&secret, site.clock.now()).expect("code");
        let ok = site
            .post(
                &mut b,
                "/staff/account/second-factor",
                &[("csrf_token", &csrf), ("sealed", &sealed), ("code", &code)],
                &[],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let shown = site.get(&mut b, "/staff/account?ok=enrolled").await;
        assert!(shown.body.contains("已于"), "{}", shown.body);
        assert!(!shown.body.contains("totp-secret"));
        // From now on the password alone is not enough.
        let mut next = Browser::at([192, 0, 2, 1]);
        let asked = site.sign_in_as(&mut next, "zhangwei", PW, "/staff").await;
        assert_eq!(asked.status, StatusCode::OK);
        assert!(asked.body.contains("动态验证码") && !asked.body.contains("<svg"));
        // The 安全管理员 removes a lost factor: the password alone works again.
        let security = user::first_security(&site.app).await.expect("security");
        assert!(
            second_factor::reset(&site.app, &security, "zhangwei")
                .await
                .expect("reset")
        );
        let mut after = Browser::at([192, 0, 2, 1]);
        let plain = site.sign_in_as(&mut after, "zhangwei", PW, "/staff").await;
        assert_eq!(plain.status, StatusCode::SEE_OTHER);
    }
);

/// Signs in user `name` (added with `roles` unless `gongkai init` made it) with a password;
/// the browser.
async fn administrator(site: &Site, name: &str, roles: Vec<Role>) -> Browser {
    let security = user::first_security(&site.app).await.expect("security");
    if name != user::SECURITY_NAME && name != user::AUDIT_NAME {
        user::add(
            &site.app,
            &security,
            user::NewUserInput {
                name: name.into(),
                display_name: None,
                roles,
                agency: None,
                region: None,
            },
        )
        .await
        .expect("add");
    }
    auth::set_password(&site.app, &security, name, PW, site.clock.now())
        .await
        .expect("password");
    let mut b = Browser::at([192, 0, 2, 9]);
    let got = site.sign_in_as(&mut b, name, PW, "/staff").await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    b
}

db_test!(
    db_mc_2_each_administrator_opens_only_their_own_pages,
    |db| async move {
        let site = Site::with(db, |_| {}).await;
        let pages = [
            ("/staff/admin/users", Role::Security),
            ("/staff/admin/agencies", Role::Admin),
            ("/staff/admin/settings", Role::Admin),
            ("/staff/audit-log", Role::Audit),
        ];
        for (name, role) in [
            ("sysadmin", Role::Admin),
            (user::SECURITY_NAME, Role::Security),
            (user::AUDIT_NAME, Role::Audit),
        ] {
            let mut b = administrator(&site, name, vec![role]).await;
            for (page, owner) in pages {
                let got = site.get(&mut b, page).await;
                let want = if owner == role {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(got.status, want, "{name} on {page}: {}", got.body);
            }
            // The navigation links each only to their own pages.
            let home = site.get(&mut b, "/staff").await;
            assert_eq!(home.status, StatusCode::OK, "{name}: {}", home.body);
            for (page, owner) in pages {
                let linked = home.body.contains(&format!("href=\"{page}\""));
                if owner != role {
                    assert!(!linked, "{name} is shown {page}");
                }
            }
            let own = pages.iter().find(|(_, o)| *o == role).expect("a page").0;
            assert!(
                home.body.contains(&format!("href=\"{own}\"")),
                "{name}: {own}"
            );
        }
    }
);

db_test!(
    db_mc_1_roles_that_break_the_separation_are_refused,
    |db| async move {
        let site = Site::with(db, |_| {}).await;
        let mut b = administrator(&site, user::SECURITY_NAME, vec![]).await;
        let form = site.get(&mut b, "/staff/admin/users").await;
        let csrf = hidden(&form.body, "csrf_token");
        // Two administrators in one account, on adding and on changing roles.
        let add = site
            .post(
                &mut b,
                "/staff/admin/users",
                &[
                    ("csrf_token", &csrf),
                    ("name", "both"),
                    ("role", "admin"),
                    ("role", "audit"),
                ],
                &[],
            )
            .await;
        assert_eq!(add.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", add.body);
        assert!(add.body.contains("三权分立"), "{}", add.body);
        assert!(
            user::actor(&site.app, Some("both")).await.is_err(),
            "nothing added"
        );
        let change = site
            .post(
                &mut b,
                "/staff/admin/users/zhangwei/roles",
                &[
                    ("csrf_token", &csrf),
                    ("role", "entry"),
                    ("role", "security"),
                ],
                &[],
            )
            .await;
        assert_eq!(
            change.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            change.body
        );
        assert!(change.body.contains("不能兼任其他角色"), "{}", change.body);
        // The security administrator cannot grant themself another's power.
        let own = site
            .post(
                &mut b,
                "/staff/admin/users/security/roles",
                &[("csrf_token", &csrf), ("role", "audit")],
                &[],
            )
            .await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", own.body);
        assert!(own.body.contains("不能修改自己的角色"), "{}", own.body);
        let me = user::actor(&site.app, Some("security")).await.expect("me");
        assert_eq!(me.roles, vec![Role::Security]);
        // A change that keeps the separation is made, and ends the user's sessions.
        let ok = site
            .post(
                &mut b,
                "/staff/admin/users/zhangwei/roles",
                &[("csrf_token", &csrf), ("role", "entry")],
                &[],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let zhang = user::actor(&site.app, Some("zhangwei"))
            .await
            .expect("zhang");
        assert_eq!(zhang.roles, vec![Role::Entry]);
        // In level 3 the operator of `init` (office roles and 系统管理员) breaks it.
        let mut strict =
            gongkai_app::App::with_db(&site.app.dir, site.app.db.clone()).expect("app");
        strict.settings.auth.level = 3;
        let breaches = user::separation_breaches(&strict).await.expect("read");
        assert_eq!(
            breaches.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            vec!["operator"]
        );
        assert!(
            user::separation_breaches(&site.app)
                .await
                .expect("read")
                .is_empty()
        );
    }
);
