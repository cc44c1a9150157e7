//! Staff sign-in over HTTP against the real router, on both backends (docs/security.md): the
//! form, success and failure, one answer for an unknown user and a wrong password, the
//! lockout, sessions that survive reopening the data directory and end when idle, at their
//! absolute limit or on sign-out, and CSRF (a missing or forged token, a cross-origin POST).
//! Test names carry the RELIABILITY ids they check.

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use gongkai_app::clock::Clock;
use gongkai_app::{App, agency, auth, user};
use gongkai_core::user::Role;
use gongkai_store::testing::TestDb;
use gongkai_store::{Db, db_test};
use gongkai_web::{WebState, router};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;

const T0: OffsetDateTime = datetime!(2024-05-06 09:00 +08:00);
pub(crate) const PW: &str = "Zhangdian-2024";
const HOST: &str = "gk.example";

pub(crate) struct Got {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

impl Got {
    pub(crate) fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }
}

/// A browser: its cookie jar and the address it connects from.
#[derive(Clone)]
pub(crate) struct Browser {
    pub(crate) jar: BTreeMap<String, String>,
    from: SocketAddr,
}

impl Browser {
    pub(crate) fn at(ip: [u8; 4]) -> Browser {
        Browser {
            jar: BTreeMap::new(),
            from: SocketAddr::from((ip, 40000)),
        }
    }

    fn cookie_header(&self) -> String {
        self.jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Keeps what `Set-Cookie` says (a `Max-Age=0` deletes).
    fn keep(&mut self, got: &Got) {
        for c in got.set_cookies() {
            let pair = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if c.contains("Max-Age=0") {
                    self.jar.remove(k);
                } else {
                    self.jar.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
}

pub(crate) struct Site {
    pub(crate) app: std::sync::Arc<App>,
    state: WebState,
    pub(crate) clock: Clock,
    _dir: Option<tempfile::TempDir>,
}

/// `application/x-www-form-urlencoded` of name–value pairs.
fn encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of `<input … name="NAME" value="…">` in a page.
pub(crate) fn hidden(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no field {name} in {body}"));
    let rest = &body[at + name.len() + 15..];
    rest[..rest.find('"').expect("end of value")].to_string()
}

/// A user of 张店区某局 with a password: 张伟 (`zhangwei`, 录入 and 审核).
async fn staffed(app: &App) {
    // `gongkai init` has made the operator already; `App::with_db` has not.
    let admin = match user::first_admin(app, "operator", None).await {
        Ok(admin) => admin,
        Err(_) => user::actor(app, Some("operator")).await.expect("operator"),
    };
    agency::add_agency(
        app,
        &admin,
        "山东省/淄博市/张店区",
        "张店区某局",
        Some("000000009"),
    )
    .await
    .expect("agency");
    user::add(
        app,
        &gongkai_app::user::first_security(app)
            .await
            .expect("security"),
        user::NewUserInput {
            name: "zhangwei".into(),
            display_name: Some("张伟".into()),
            roles: vec![Role::Entry, Role::Review],
            agency: Some("张店区某局".into()),
            region: None,
        },
    )
    .await
    .expect("user");
    auth::set_password(
        app,
        &gongkai_app::user::first_security(app)
            .await
            .expect("security"),
        "zhangwei",
        PW,
        T0,
    )
    .await
    .expect("password");
}

impl Site {
    async fn over(app: App, dir: Option<tempfile::TempDir>) -> Site {
        let clock = Clock::manual(T0);
        let mut state = WebState::new(app);
        state.clock = clock.clone();
        Site {
            app: state.app.clone(),
            state,
            clock,
            _dir: dir,
        }
    }

    async fn new(db: Db) -> Site {
        Site::with(db, |_| {}).await
    }

    /// With settings changed by `edit`.
    pub(crate) async fn with(db: Db, edit: impl FnOnce(&mut auth::AuthSettings)) -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut app = App::with_db(dir.path(), db).expect("app");
        edit(&mut app.settings.auth);
        staffed(&app).await;
        Site::over(app, Some(dir)).await
    }

    async fn send(&self, b: &mut Browser, req: axum::http::request::Builder, body: Body) -> Got {
        let mut req = req.header(header::HOST, HOST);
        if !b.jar.is_empty() {
            req = req.header(header::COOKIE, b.cookie_header());
        }
        let mut req = req.body(body).expect("request");
        req.extensions_mut().insert(ConnectInfo(b.from));
        let res = router(self.state.clone())
            .oneshot(req)
            .await
            .expect("response");
        let got = Got {
            status: res.status(),
            headers: res.headers().clone(),
            body: String::from_utf8_lossy(
                &axum::body::to_bytes(res.into_body(), usize::MAX)
                    .await
                    .expect("body"),
            )
            .into_owned(),
        };
        b.keep(&got);
        got
    }

    pub(crate) async fn get(&self, b: &mut Browser, path: &str) -> Got {
        self.send(b, Request::builder().uri(path), Body::empty())
            .await
    }

    async fn get_with(&self, b: &mut Browser, path: &str, headers: &[(&str, &str)]) -> Got {
        let mut r = Request::builder().uri(path);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        self.send(b, r, Body::empty()).await
    }

    /// A form POST; same-origin unless `headers` say otherwise.
    pub(crate) async fn post(
        &self,
        b: &mut Browser,
        path: &str,
        pairs: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Got {
        let mut r = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if headers.is_empty() {
            r = r
                .header(header::ORIGIN, format!("http://{HOST}"))
                .header("sec-fetch-site", "same-origin");
        }
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        self.send(b, r, Body::from(encode(pairs))).await
    }

    /// Opens the form and signs in with `password`; the answer to the POST.
    pub(crate) async fn sign_in_as(
        &self,
        b: &mut Browser,
        name: &str,
        password: &str,
        next: &str,
    ) -> Got {
        let form = self.get(b, "/staff/signin").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let token = hidden(&form.body, "csrf_token");
        self.post(
            b,
            "/staff/signin",
            &[
                ("csrf_token", &token),
                ("next", next),
                ("name", name),
                ("password", password),
            ],
            &[],
        )
        .await
    }

    /// A browser signed in as 张伟.
    async fn signed_in(&self) -> Browser {
        let mut b = Browser::at([192, 0, 2, 1]);
        let got = self.sign_in_as(&mut b, "zhangwei", PW, "/staff").await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        assert!(b.jar.contains_key("gongkai_staff"), "{:?}", b.jar);
        b
    }

    /// The sign-out form's token on `/staff`.
    async fn page_token(&self, b: &mut Browser) -> String {
        let page = self.get(b, "/staff").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.location());
        hidden(&page.body, "csrf_token")
    }
}

db_test!(
    as_7_2_sign_in_succeeds_and_returns_to_the_page_asked_for,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = Browser::at([192, 0, 2, 1]);
        // A page of the back office without a session: to the form, and back afterwards.
        let away = site.get(&mut b, "/staff?tab=1").await;
        assert_eq!(away.status, StatusCode::SEE_OTHER);
        assert_eq!(away.location(), "/staff/signin?next=/staff%3Ftab%3D1");
        // An API client gets 401 instead.
        let api = site
            .get_with(&mut b, "/staff", &[("accept", "application/json")])
            .await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);
        assert!(api.body.contains("请先登录"), "{}", api.body);

        let form = site.get(&mut b, away.location()).await;
        assert_eq!(form.status, StatusCode::OK);
        for label in [
            "<label for=\"name\">用户名</label>",
            "<label for=\"password\">密码</label>",
            "autocomplete=\"current-password\"",
            "<html lang=\"zh-CN\"",
        ] {
            assert!(form.body.contains(label), "{label}");
        }
        assert!(!form.body.contains("<script"));
        assert_eq!(hidden(&form.body, "next"), "/staff?tab=1");
        assert_eq!(form.headers[header::CACHE_CONTROL], "no-store");
        let token = hidden(&form.body, "csrf_token");
        let done = site
            .post(
                &mut b,
                "/staff/signin",
                &[
                    ("csrf_token", &token),
                    ("next", "/staff?tab=1"),
                    ("name", "zhangwei"),
                    ("password", PW),
                ],
                &[],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.location(), "/staff?tab=1");
        let cookie = done
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("gongkai_staff="))
            .expect("session cookie");
        assert!(
            cookie.ends_with("; Path=/; HttpOnly; SameSite=Lax"),
            "AS-3.3: {cookie}"
        );
        // The first page: who, which roles, which agency; the sign-out button.
        let home = site.get(&mut b, "/staff").await;
        assert_eq!(home.status, StatusCode::OK);
        for text in [
            "张伟",
            "zhangwei",
            "录入、审核",
            "张店区某局",
            "山东省 / 淄博市 / 张店区",
            "2024-05-06 09:00",
            "无操作15分钟后自动退出，最迟于2024-05-06 17:00退出",
            "action=\"/staff/signout\"",
            "退出登录",
        ] {
            assert!(home.body.contains(text), "{text} in {}", home.body);
        }
        assert_eq!(home.headers[header::CACHE_CONTROL], "no-store");
        // Signed in, the form goes straight on; an outside `next` is never followed.
        let again = site.get(&mut b, "/staff/signin?next=//evil.example").await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(again.location(), "/staff");
    }
);

db_test!(
    db_ia_2_unknown_user_and_wrong_password_get_the_same_answer,
    |db| async move {
        let site = Site::new(db).await;
        let mut answers = Vec::new();
        for (name, pw) in [
            ("zhangwei", "Wrong-pass-2024"),
            ("nobody00", "Wrong-pass-2024"),
            ("operator", "Wrong-pass-2024"),
        ] {
            let mut b = Browser::at([192, 0, 2, 1]);
            let got = site.sign_in_as(&mut b, name, pw, "/staff").await;
            assert_eq!(got.status, StatusCode::UNAUTHORIZED);
            assert!(got.body.contains("用户名或密码不正确"), "{}", got.body);
            assert!(!b.jar.contains_key("gongkai_staff"));
            // The page differs only by the token's mask and the name typed back.
            let token = hidden(&got.body, "csrf_token");
            answers.push(got.body.replace(&token, "TOKEN").replace(name, "NAME"));
        }
        assert_eq!(answers[0], answers[1], "unknown user = wrong password");
        assert_eq!(answers[0], answers[2], "no password set = wrong password");
        // A password typed back is never shown; the name is escaped.
        let mut b = Browser::at([192, 0, 2, 2]);
        let got = site
            .sign_in_as(&mut b, "<script>x</script>", "Wrong-pass-2024", "/staff")
            .await;
        assert!(!got.body.contains("<script>x"), "{}", got.body);
        assert!(got.body.contains("&#60;script&#62;x"), "{}", got.body);
        assert!(!got.body.contains("Wrong-pass-2024"));
    }
);

db_test!(
    db_ia_2_five_failures_lock_out_then_unlock,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = Browser::at([192, 0, 2, 1]);
        for i in 0..5 {
            let got = site
                .sign_in_as(&mut b, "zhangwei", "Wrong-pass-2024", "/staff")
                .await;
            assert_eq!(got.status, StatusCode::UNAUTHORIZED, "failure {i}");
            site.clock.advance(Duration::minutes(1));
        }
        // The sixth, with the right password, is refused with the time it may be tried again.
        let locked = site.sign_in_as(&mut b, "zhangwei", PW, "/staff").await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            locked
                .body
                .contains("登录失败次数过多，已暂时锁定，请于09:19（北京时间）后再试"),
            "{}",
            locked.body
        );
        assert_eq!(locked.headers[header::RETRY_AFTER], "840");
        assert!(!b.jar.contains_key("gongkai_staff"));
        // FG-17: the same user from another address is not locked out.
        let mut elsewhere = Browser::at([198, 51, 100, 7]);
        let ok = site
            .sign_in_as(&mut elsewhere, "zhangwei", PW, "/staff")
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        // After the lockout the right password works again.
        site.clock.advance(Duration::minutes(14));
        let ok = site.sign_in_as(&mut b, "zhangwei", PW, "/staff").await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    }
);

db_test!(db_ia_2_the_lockout_follows_the_settings, |db| async move {
    let site = Site::with(db, |s| {
        s.lockout_failures = 2;
        s.lockout_minutes = 1;
    })
    .await;
    let mut b = Browser::at([192, 0, 2, 1]);
    for _ in 0..2 {
        site.sign_in_as(&mut b, "zhangwei", "Wrong-pass-2024", "/staff")
            .await;
    }
    let locked = site.sign_in_as(&mut b, "zhangwei", PW, "/staff").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    site.clock.advance(Duration::minutes(1));
    let ok = site.sign_in_as(&mut b, "zhangwei", PW, "/staff").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
});

db_test!(
    as_7_3_sessions_end_when_idle_and_at_the_absolute_limit,
    |db| async move {
        let site = Site::new(db).await;
        // Idle: 15 minutes without a request.
        let mut b = site.signed_in().await;
        site.clock.advance(Duration::minutes(14));
        assert_eq!(site.get(&mut b, "/staff").await.status, StatusCode::OK);
        site.clock.advance(Duration::minutes(14));
        assert_eq!(site.get(&mut b, "/staff").await.status, StatusCode::OK);
        site.clock.advance(Duration::minutes(15));
        let ended = site.get(&mut b, "/staff").await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER);
        assert_eq!(ended.location(), "/staff/signin?next=/staff&expired=1");
        assert!(
            !b.jar.contains_key("gongkai_staff"),
            "the stale cookie is deleted"
        );
        let form = site.get(&mut b, ended.location()).await;
        assert!(form.body.contains("登录已失效"), "{}", form.body);

        // Absolute: 8 hours however busy.
        site.clock.set(T0);
        let mut busy = site.signed_in().await;
        for _ in 0..47 {
            site.clock.advance(Duration::minutes(10));
            assert_eq!(site.get(&mut busy, "/staff").await.status, StatusCode::OK);
        }
        site.clock.advance(Duration::minutes(10));
        let over = site.get(&mut busy, "/staff").await;
        assert_eq!(over.status, StatusCode::SEE_OTHER, "8 hours after sign-in");
    }
);

db_test!(
    as_7_4_1_sign_out_ends_the_session_on_the_server,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = site.signed_in().await;
        let kept = b.clone();
        let token = site.page_token(&mut b).await;
        let out = site
            .post(&mut b, "/staff/signout", &[("csrf_token", &token)], &[])
            .await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(out.location(), "/staff/signin?out=1");
        assert!(
            out.set_cookies()
                .iter()
                .any(|c| c.starts_with("gongkai_staff=;") && c.contains("Max-Age=0"))
        );
        assert!(!b.jar.contains_key("gongkai_staff"));
        let form = site.get(&mut b, "/staff/signin?out=1").await;
        assert!(form.body.contains("您已退出登录"));
        // A copy of the old cookie is worth nothing now.
        let mut copy = kept;
        let after = site.get(&mut copy, "/staff").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER);
        assert!(after.location().ends_with("&expired=1"));
    }
);

db_test!(
    as_7_4_2_disabling_a_user_ends_their_sessions,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = site.signed_in().await;
        user::disable(
            &site.app,
            &gongkai_app::user::first_security(&site.app)
                .await
                .expect("security"),
            "zhangwei",
        )
        .await
        .expect("disable");
        assert_eq!(
            site.get(&mut b, "/staff").await.status,
            StatusCode::SEE_OTHER
        );
        let mut again = Browser::at([192, 0, 2, 1]);
        let refused = site.sign_in_as(&mut again, "zhangwei", PW, "/staff").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains("该账号已停用"), "{}", refused.body);
    }
);

db_test!(
    as_3_5_1_a_post_without_or_with_a_forged_token_is_refused,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = site.signed_in().await;
        let mut other = Browser::at([203, 0, 113, 9]);
        let other_token = {
            let got = site.sign_in_as(&mut other, "zhangwei", PW, "/staff").await;
            assert_eq!(got.status, StatusCode::SEE_OTHER);
            site.page_token(&mut other).await
        };
        let forged = "ab".repeat(64);
        for (what, pairs) in [
            ("no token", vec![]),
            ("an empty token", vec![("csrf_token", "")]),
            ("a made-up token", vec![("csrf_token", forged.as_str())]),
            (
                "another session's token",
                vec![("csrf_token", other_token.as_str())],
            ),
        ] {
            let got = site.post(&mut b, "/staff/signout", &pairs, &[]).await;
            assert_eq!(got.status, StatusCode::FORBIDDEN, "{what}");
            assert!(got.body.contains("请求被拒绝"), "{what}: {}", got.body);
        }
        // Nothing happened: still signed in.
        assert_eq!(site.get(&mut b, "/staff").await.status, StatusCode::OK);

        // The sign-in form: without its cookie, or with a token of another browser's form.
        let mut fresh = Browser::at([192, 0, 2, 5]);
        let form = site.get(&mut fresh, "/staff/signin").await;
        let token = hidden(&form.body, "csrf_token");
        let mut no_cookie = Browser::at([192, 0, 2, 5]);
        let got = site
            .post(
                &mut no_cookie,
                "/staff/signin",
                &[
                    ("csrf_token", &token),
                    ("name", "zhangwei"),
                    ("password", PW),
                ],
                &[],
            )
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN);
        let mut stranger = Browser::at([192, 0, 2, 6]);
        site.get(&mut stranger, "/staff/signin").await;
        let got = site
            .post(
                &mut stranger,
                "/staff/signin",
                &[
                    ("csrf_token", &token),
                    ("name", "zhangwei"),
                    ("password", PW),
                ],
                &[],
            )
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN);
        assert!(!stranger.jar.contains_key("gongkai_staff"));
        // A GET changes nothing (AS-3.5.3).
        let get = site.get(&mut b, "/staff/signout").await;
        assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(site.get(&mut b, "/staff").await.status, StatusCode::OK);
    }
);

db_test!(as_3_5_1_a_cross_origin_post_is_refused, |db| async move {
    let site = Site::new(db).await;
    let mut b = site.signed_in().await;
    let token = site.page_token(&mut b).await;
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "http://evil.example")],
        vec![("origin", "null")],
    ] {
        let got = site
            .post(
                &mut b,
                "/staff/signout",
                &[("csrf_token", &token)],
                &headers,
            )
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    assert_eq!(site.get(&mut b, "/staff").await.status, StatusCode::OK);
    // Login CSRF: a sign-in posted from another site is refused before any password check.
    let mut victim = Browser::at([192, 0, 2, 7]);
    let form = site.get(&mut victim, "/staff/signin").await;
    let t = hidden(&form.body, "csrf_token");
    let got = site
        .post(
            &mut victim,
            "/staff/signin",
            &[("csrf_token", &t), ("name", "zhangwei"), ("password", PW)],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    assert!(!victim.jar.contains_key("gongkai_staff"));
    // With a valid token and no browser headers at all (a script), the token decides.
    let ok = site
        .post(
            &mut b,
            "/staff/signout",
            &[("csrf_token", &token)],
            &[("user-agent", "curl/8")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
});

db_test!(
    as_3_3_a_secure_site_uses_a_host_prefixed_secure_cookie,
    |db| async move {
        let site = Site::with(db, |s| s.secure_cookie = true).await;
        let mut b = Browser::at([192, 0, 2, 1]);
        let form = site.get(&mut b, "/staff/signin").await;
        assert!(
            b.jar.contains_key("__Host-gongkai_form"),
            "{:?}",
            form.set_cookies()
        );
        let got = site.sign_in_as(&mut b, "zhangwei", PW, "/staff").await;
        let cookie = got
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("__Host-gongkai_staff="))
            .expect("prefixed cookie");
        assert!(
            cookie.ends_with("; Path=/; HttpOnly; SameSite=Lax; Secure"),
            "{cookie}"
        );
        assert_eq!(site.get(&mut b, "/staff").await.status, StatusCode::OK);
        // The unprefixed name is not read on a secure site.
        let token = b.jar.remove("__Host-gongkai_staff").expect("token");
        b.jar.insert("gongkai_staff".into(), token);
        assert_eq!(
            site.get(&mut b, "/staff").await.status,
            StatusCode::SEE_OTHER
        );
    }
);

/// Signs in, closes the data directory, opens it again (a restart), and uses the same cookie.
async fn survives(database: Option<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let app = App::init(&data, database.as_deref()).await.expect("init");
    staffed(&app).await;
    let first = Site::over(app, None).await;
    let mut b = first.signed_in().await;
    assert_eq!(first.get(&mut b, "/staff").await.status, StatusCode::OK);
    first.app.db.close().await;
    drop(first);

    let reopened = Site::over(App::open(&data).await.expect("open"), None).await;
    reopened.clock.advance(Duration::minutes(5));
    let page = reopened.get(&mut b, "/staff").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.location());
    assert!(page.body.contains("张伟"));
    reopened.app.db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_survive_reopening_the_data_directory_sqlite() {
    survives(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_survive_reopening_the_data_directory_postgres() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    // The test's own schema, migrated and without users: `init` adds the operator there.
    let url = t.postgres_url().expect("url");
    survives(Some(url)).await;
    t.cleanup().await;
}
