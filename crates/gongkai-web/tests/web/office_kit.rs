//! A browser for the back-office tests: a cookie jar, sign-in, form and multipart POSTs
//! against the real router, and the agencies and users of the catalogue stories.

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use gongkai_app::clock::Clock;
use gongkai_app::{App, agency, auth, user};
use gongkai_core::user::Role;
use gongkai_store::Db;
use gongkai_web::{WebState, router};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use time::OffsetDateTime;
use time::macros::datetime;
use tower::ServiceExt;

pub const T0: OffsetDateTime = datetime!(2024-05-06 09:00 +08:00);
pub const PW: &str = "Zhangdian-2024";
const HOST: &str = "gk.example";

pub struct Got {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Got {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

#[derive(Default)]
pub struct Browser {
    jar: BTreeMap<String, String>,
}

/// `application/x-www-form-urlencoded` of name–value pairs.
pub fn encode(pairs: &[(&str, &str)]) -> String {
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

/// The value of the first `<input … name="NAME" value="…">` in a page.
pub fn hidden(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no field {name} in {body}"));
    let rest = &body[at + name.len() + 15..];
    rest[..rest.find('"').expect("end of value")].to_string()
}

pub struct Site {
    pub app: std::sync::Arc<App>,
    pub state: WebState,
    /// The local operator (office roles and 系统管理员).
    pub admin: gongkai_core::user::Actor,
    /// The 安全管理员 `gongkai init` makes: users, passwords, tokens.
    pub security: gongkai_core::user::Actor,
    _dir: tempfile::TempDir,
}

/// Users of the stories, each with the password [`PW`]: of 张店区某局 `luru` (录入), `baomi`
/// (保密审查), `shenhe` (审核), `shuang` (录入 and 保密审查); of 淄川区某局 `qita` (录入, 审核);
/// and of the whole installation the three administrators of 三权分立: `guanli` (系统管理员),
/// `anquan` (安全管理员) and `shenji` (审计管理员).
pub const USERS: [(&str, &str, &[Role], Option<&str>); 8] = [
    ("luru", "李录", &[Role::Entry], Some("张店区某局")),
    ("baomi", "王保", &[Role::Secrecy], Some("张店区某局")),
    ("shenhe", "赵审", &[Role::Review], Some("张店区某局")),
    (
        "shuang",
        "孙双",
        &[Role::Entry, Role::Secrecy],
        Some("张店区某局"),
    ),
    (
        "qita",
        "周他",
        &[Role::Entry, Role::Review],
        Some("淄川区某局"),
    ),
    ("guanli", "钱管", &[Role::Admin], None),
    ("anquan", "吴安", &[Role::Security], None),
    ("shenji", "冯审", &[Role::Audit], None),
];

impl Site {
    pub async fn new(db: Db) -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = App::with_db(dir.path(), db).expect("app");
        let admin = user::first_admin(&app, "operator", None)
            .await
            .expect("operator");
        for (region, name, code) in [
            ("山东省/淄博市/张店区", "张店区某局", "000000009"),
            ("山东省/淄博市/淄川区", "淄川区某局", "000000017"),
        ] {
            agency::add_agency(&app, &admin, region, name, Some(code))
                .await
                .expect("agency");
        }
        for (name, display, roles, agency) in USERS {
            user::add(
                &app,
                &gongkai_app::user::first_security(&app)
                    .await
                    .expect("security"),
                user::NewUserInput {
                    name: name.into(),
                    display_name: Some(display.into()),
                    roles: roles.to_vec(),
                    agency: agency.map(str::to_string),
                    region: None,
                },
            )
            .await
            .expect("user");
            auth::set_password(
                &app,
                &gongkai_app::user::first_security(&app)
                    .await
                    .expect("security"),
                name,
                PW,
                T0,
            )
            .await
            .expect("password");
        }
        let security = gongkai_app::user::first_security(&app)
            .await
            .expect("security");
        let clock = Clock::manual(T0);
        let mut state = WebState::new(app);
        state.clock = clock;
        Site {
            app: state.app.clone(),
            state,
            admin,
            security,
            _dir: dir,
        }
    }

    pub async fn send(
        &self,
        b: &mut Browser,
        req: axum::http::request::Builder,
        body: Body,
    ) -> Got {
        let mut req = req.header(header::HOST, HOST);
        if !b.jar.is_empty() {
            let cookies = b
                .jar
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req = req.header(header::COOKIE, cookies);
        }
        let mut req = req.body(body).expect("request");
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 1], 40000))));
        let res = router(self.state.clone())
            .oneshot(req)
            .await
            .expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body")
            .to_vec();
        for c in headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap_or("");
            if let Some((k, v)) = c.split(';').next().unwrap_or("").split_once('=') {
                if c.contains("Max-Age=0") {
                    b.jar.remove(k);
                } else {
                    b.jar.insert(k.to_string(), v.to_string());
                }
            }
        }
        Got {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    pub async fn get(&self, b: &mut Browser, path: &str) -> Got {
        self.send(b, Request::builder().uri(path), Body::empty())
            .await
    }

    /// A same-origin form POST.
    pub async fn post(&self, b: &mut Browser, path: &str, pairs: &[(&str, &str)]) -> Got {
        let r = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header("sec-fetch-site", "same-origin");
        self.send(b, r, Body::from(encode(pairs))).await
    }

    /// A same-origin `multipart/form-data` POST: text fields, then one file.
    pub async fn upload(
        &self,
        b: &mut Browser,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &[u8]),
    ) -> Got {
        let boundary = "----gongkai-test-boundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                file.0
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.1);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let r = Request::builder()
            .method("POST")
            .uri(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header("sec-fetch-site", "same-origin");
        self.send(b, r, Body::from(body)).await
    }

    /// A browser signed in as `name` (password [`PW`] unless given).
    pub async fn signed_in(&self, name: &str) -> Browser {
        self.signed_in_with(name, PW).await
    }

    pub async fn signed_in_with(&self, name: &str, password: &str) -> Browser {
        let mut b = Browser::default();
        let form = self.get(&mut b, "/staff/signin").await;
        let token = hidden(&form.body, "csrf_token");
        let got = self
            .post(
                &mut b,
                "/staff/signin",
                &[
                    ("csrf_token", &token),
                    ("next", "/staff"),
                    ("name", name),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{name}: {}", got.body);
        b
    }

    /// A form token of this browser's session, from a page it may open.
    pub async fn token(&self, b: &mut Browser) -> String {
        let page = self.get(b, "/staff").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.location());
        hidden(&page.body, "csrf_token")
    }
}

/// Drafts an item as the signed-in `b` and returns its page's path.
pub async fn draft(site: &Site, b: &mut Browser, title: &str) -> String {
    let form = site.get(b, "/staff/catalog/items/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    for label in [
        "<label for=\"title\">信息名称</label>",
        "<label for=\"column\">栏目</label>",
        "<label for=\"subject\">主题分类</label>",
        "<label for=\"genre\">体裁分类</label>",
        "<label for=\"doc_number\">文号</label>",
        "<label for=\"formed_on\">成文日期</label>",
        "<label for=\"body_html\">正文（HTML）</label>",
    ] {
        assert!(form.body.contains(label), "{label}");
    }
    assert!(!form.body.contains("<script"));
    let token = hidden(&form.body, "csrf_token");
    let saved = site
        .post(
            b,
            "/staff/catalog/items",
            &[
                ("csrf_token", &token),
                ("op", "save"),
                ("title", title),
                ("publisher", "张店区某局"),
                ("column", "政策文件"),
                ("subject", "综合政务\\政务公开"),
                ("genre", "通知"),
                ("doc_number", "张政办发[2024]3号"),
                ("formed_on", "2024-05-06"),
                ("summary", "关于政府信息公开工作的通知。"),
                ("body_html", "<p>正文。</p>"),
                ("keywords", "政务公开，通知"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(saved.location().starts_with("/staff/catalog/items/"));
    saved.location().to_string()
}

/// Takes a workflow step from the item's page (the step's own form).
pub async fn act(site: &Site, b: &mut Browser, item: &str, action: &str, note: &str) -> Got {
    let page = site.get(b, item).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let token = hidden(&page.body, "csrf_token");
    site.post(
        b,
        &format!("{item}/act"),
        &[("csrf_token", &token), ("action", action), ("note", note)],
    )
    .await
}
