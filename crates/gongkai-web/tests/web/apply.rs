//! The citizen's online application, receipt and status page over HTTP against the real
//! router, on both backends: the whole flow, idempotent resubmission (RL-4), every bad field
//! (BI-F, BI-ID), escaping, equal answers for unknown numbers and wrong codes, the look-up
//! limit (RL-6), cross-origin posts and letter downloads.

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use gongkai_app::application::online::{self, Tracked};
use gongkai_app::clock::Clock;
use gongkai_app::{App, agency, user};
use gongkai_core::application::Due;
use gongkai_core::calendar::date_in_china;
use gongkai_store::{Db, db_test};
use gongkai_web::{WebState, router};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use time::macros::{date, datetime};
use tower::ServiceExt;

const AGENCY: &str = "张店区机关事务服务中心";

struct Site {
    app: std::sync::Arc<App>,
    router: axum::Router,
    agency: i64,
    /// Each request comes from its own address unless a test says otherwise.
    next_ip: AtomicU32,
    /// The server's clock, moved by the tests.
    clock: Clock,
    /// The browser's form cookie (`gongkai_form=…`) and a token of its secret.
    cookie: String,
    csrf: String,
    _dir: tempfile::TempDir,
}

struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
    body: String,
}

/// `application/x-www-form-urlencoded` of name–value pairs.
fn encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
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

impl Site {
    async fn new(db: Db) -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut app = App::with_db(dir.path(), db).expect("app");
        // A reverse proxy on this machine forwards the client's address.
        app.settings.auth.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
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
        let mut state = WebState::new(app);
        // Thursday 2021-09-30, 09:15 in Beijing: the day before 国庆节
        // (docs/rules/deadlines.md's worked example).
        let clock = Clock::manual(datetime!(2021-09-30 09:15 +8));
        state.clock = clock.clone();
        let mut site = Site {
            clock,
            app: state.app.clone(),
            router: router(state),
            agency: a.id.get(),
            next_ip: AtomicU32::new(1),
            cookie: String::new(),
            csrf: String::new(),
            _dir: dir,
        };
        // A browser opens a form first: it gets the form cookie and a token.
        let form = site.get("/status").await;
        let set = form.headers[header::SET_COOKIE].to_str().expect("cookie");
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        site.cookie = set.split(';').next().expect("pair").to_string();
        site.csrf = hidden(&form.body, "csrf_token");
        site
    }

    fn today(&self) -> time::Date {
        date_in_china(self.clock.now())
    }

    fn fresh_ip(&self) -> SocketAddr {
        let n = self.next_ip.fetch_add(1, Ordering::Relaxed);
        SocketAddr::from(([10, (n >> 16) as u8, (n >> 8) as u8, n as u8], 40000))
    }

    async fn send(&self, req: Request<Body>) -> Got {
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body")
            .to_vec();
        Got {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    async fn get(&self, path: &str) -> Got {
        let mut req = Request::builder()
            .uri(path)
            .header(header::HOST, "gk.example")
            .body(Body::empty())
            .expect("request");
        req.extensions_mut().insert(ConnectInfo(self.fresh_ip()));
        self.send(req).await
    }

    /// A same-origin form POST from `from` with extra (or replacing) headers.
    async fn post_raw(
        &self,
        path: &str,
        body: Vec<u8>,
        from: SocketAddr,
        headers: &[(&str, &str)],
    ) -> Got {
        let mut b = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::HOST, "gk.example");
        let has = |n: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n));
        if !has("origin") {
            b = b.header(header::ORIGIN, "http://gk.example");
        }
        if !has("content-type") {
            b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        if !has("cookie") {
            b = b.header(header::COOKIE, &self.cookie);
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let mut req = b.body(Body::from(body)).expect("request");
        req.extensions_mut().insert(ConnectInfo(from));
        self.send(req).await
    }

    /// A form as the browser sends it: the fields and the form's token.
    fn body(&self, pairs: &[(&str, &str)]) -> Vec<u8> {
        let mut all = vec![("csrf_token", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        encode(&all).into_bytes()
    }

    async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Got {
        self.post_raw(path, self.body(pairs), self.fresh_ip(), &[])
            .await
    }

    fn form_path(&self) -> String {
        format!("/agencies/{}/apply/online", self.agency)
    }

    async fn pending(&self) -> usize {
        let op = user::actor(&self.app, Some("operator")).await.expect("op");
        online::pending(&self.app, &op, None)
            .await
            .expect("pending")
            .len()
    }
}

/// The value of `<… name="NAME" value="…">` in a page.
fn hidden(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name} in {body}"));
    let rest = &body[at + name.len() + 15..];
    rest[..rest.find('"').expect("end")].to_string()
}

/// The text of `<dd class="CLASS">…</dd>`.
fn dd(body: &str, class: &str) -> Option<String> {
    let at = body.find(&format!("<dd class=\"{class}\">"))?;
    let rest = &body[at + class.len() + 13..];
    Some(rest[..rest.find("</dd>")?].to_string())
}

/// A malformed request: its body, extra headers, and the answer it must get.
type BadRequest<'a> = (Vec<u8>, Vec<(&'a str, &'a str)>, StatusCode);

/// A complete, valid form for 张三.
fn valid(key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("idempotency_key", key.to_string()),
        ("applicant_type", "natural_person".into()),
        ("name", "张三".into()),
        ("id_type", "resident_id_card".into()),
        ("id_number", "11010519491231002X".into()),
        ("phone", "13800000000".into()),
        ("email", "zhangsan@example.com".into()),
        ("address", "".into()),
        ("postcode", "".into()),
        ("description", "2025年部门预算及“三公”经费说明".into()),
        ("media", "email".into()),
        ("media", "paper".into()),
        ("accept_other", "1".into()),
        ("delivery", "email".into()),
    ]
}

fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn with(
    mut v: Vec<(&'static str, String)>,
    name: &str,
    value: &str,
) -> Vec<(&'static str, String)> {
    for (k, x) in v.iter_mut() {
        if *k == name {
            *x = value.to_string();
        }
    }
    v
}

/// Submits and follows the 303 to the receipt: (申请编号, 查询码).
async fn apply(s: &Site, form: &[(&'static str, String)]) -> (String, String) {
    let r = s.post(&s.form_path(), &pairs(form)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_string();
    let receipt = s.get(&to).await;
    assert_eq!(receipt.status, StatusCode::OK);
    (
        dd(&receipt.body, "number").expect("number"),
        dd(&receipt.body, "code").expect("code shown"),
    )
}

db_test!(the_whole_flow_from_the_form_to_the_clock, |db| async move {
    let site = Site::new(db).await;
    let s = &site;
    // The 依申请公开 page links to the form and the status page.
    let column = s.get(&format!("/agencies/{}/apply", s.agency)).await;
    assert!(column.body.contains(&s.form_path()), "{}", column.body);
    assert!(column.body.contains("href=\"/status\""));
    assert!(!column.body.contains("即将开通"));

    // The form: every field labelled, hints, lengths, a random key per render.
    let form = s.get(&s.form_path()).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.headers[header::CACHE_CONTROL], "no-store");
    for label in [
        "申请人类型",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他组织",
        "<label for=\"name\">姓名",
        "<label for=\"id_type\">证件类型",
        "<label for=\"id_number\">证件号码",
        "<label for=\"org_name\">名称",
        "<label for=\"credit_code\">统一社会信用代码",
        "<label for=\"contact_person\">联系人姓名",
        "<label for=\"phone\">联系电话",
        "<label for=\"email\">电子邮箱",
        "<label for=\"address\">通信地址",
        "<label for=\"postcode\">邮政编码",
        "<label for=\"description\">所需信息的内容描述",
        "所需信息的指定提供方式",
        "获取信息的方式",
        "maxlength=\"2000\"",
        "maxlength=\"32\"",
        "id=\"id_number-hint\"",
    ] {
        assert!(form.body.contains(label), "{label}");
    }
    assert!(!form.body.contains("<script"));
    let key = hidden(&form.body, "idempotency_key");
    assert_eq!(key.len(), 32);
    let other = hidden(&s.get(&s.form_path()).await.body, "idempotency_key");
    assert_ne!(key, other);

    // Submit: 303 to the receipt, which shows the number and the code once.
    let r = s.post(&s.form_path(), &pairs(&valid(&key))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers[header::LOCATION]
        .to_str()
        .expect("loc")
        .to_string();
    assert!(to.starts_with("/apply/receipt/"));
    let receipt = s.get(&to).await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert_eq!(receipt.headers[header::CACHE_CONTROL], "no-store");
    let number = dd(&receipt.body, "number").expect("number");
    let code = dd(&receipt.body, "code").expect("code");
    assert_eq!(number, "2021-000001");
    assert_eq!(code.len(), 15);
    assert!(receipt.body.contains("待确认"));
    assert!(receipt.body.contains("只在本页显示这一次"));
    // Shown once: the page again has the number, not the code.
    let again = s.get(&to).await;
    assert_eq!(dd(&again.body, "number").as_deref(), Some(number.as_str()));
    assert_eq!(dd(&again.body, "code"), None);
    assert!(!again.body.contains(&code));

    // The status page: awaiting confirmation, no clock yet.
    let st = s
        .post("/status", &[("number", &number), ("code", &code)])
        .await;
    assert_eq!(st.status, StatusCode::OK, "{}", st.body);
    assert_eq!(st.headers[header::CACHE_CONTROL], "no-store");
    assert!(st.body.contains("待确认"));
    assert!(st.body.contains("尚未开始计算"));
    assert!(st.body.contains("2025年部门预算"));
    assert!(st.body.contains("张*"), "the name is masked");
    assert!(!st.body.contains("11010519491231002X"));
    assert!(!st.body.contains("/status/letter"), "no letters yet");

    // A clerk confirms on the same day (through the app layer): the clock starts. A week
    // later, after 国庆节, the applicant looks again.
    let today = s.today();
    let op = user::actor(&s.app, Some("operator")).await.expect("op");
    online::confirm_online(&s.app, &op, &number, today, today)
        .await
        .expect("confirm");
    s.clock.set(datetime!(2021-10-08 10:00 +8));
    let Tracked::Case(case) = online::track(&s.app, &number, &code, s.today())
        .await
        .expect("case")
    else {
        panic!("case");
    };
    assert_eq!(case.clock.due, Due::On(date!(2021 - 11 - 03)));
    let st = s
        .post("/status", &[("number", &number), ("code", &code)])
        .await;
    assert_eq!(st.status, StatusCode::OK);
    assert!(st.body.contains("答复期限的计算过程"));
    assert!(st.body.contains("<dd>网络</dd>"));
    assert!(st.body.contains("2021-09-30（周四）"), "received");
    assert!(st.body.contains("以双方确认之日为收到申请之日"));
    assert!(
        st.body
            .contains("<dd class=\"due\">2021-11-03（周三）</dd>"),
        "{}",
        st.body
    );
    assert!(st.body.contains("第1个工作日为2021-10-08"), "{}", st.body);
    assert!(st.body.contains("国庆节"), "the holiday skipped is named");
    for line in &case.clock.working {
        assert!(st.body.contains(&line.zh), "{}", line.zh);
    }
    assert!(st.body.contains(&case.clock.status_line.zh));

    // The receipt letter, as HTML and DOCX, with the number and the code only.
    assert!(st.body.contains("政府信息公开申请接收回执"));
    let letter = |format: &'static str, code: String| {
        let number = number.clone();
        async move {
            s.post(
                "/status/letter",
                &[
                    ("number", number.as_str()),
                    ("code", code.as_str()),
                    ("kind", "receipt"),
                    ("format", format),
                ],
            )
            .await
        }
    };
    let html = letter("html", code.clone()).await;
    assert_eq!(html.status, StatusCode::OK, "{}", html.body);
    assert!(
        html.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("ct")
            .starts_with("text/html")
    );
    assert!(
        html.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("cd")
            .starts_with("attachment")
    );
    assert!(html.body.contains(&number));
    assert!(html.body.contains("政府信息公开申请接收回执"));
    let docx = letter("docx", code.clone()).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.bytes.starts_with(b"PK"));
    // Without the right code: the same answer as any unknown pair.
    let wrong = letter("html", "0000-0000-00000".into()).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let none = letter("html", String::new()).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    let unknown = s
        .post("/status", &[("number", "2020-000999"), ("code", &code)])
        .await;
    assert_eq!(wrong.bytes, unknown.bytes);
    // A letter the case has not issued is not there.
    let reply = s
        .post(
            "/status/letter",
            &[
                ("number", &number),
                ("code", &code),
                ("kind", "reply"),
                ("format", "html"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // A GET never downloads a letter.
    let get = s.get("/status/letter").await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
});

db_test!(rl_4_a_resubmitted_form_creates_one_case, |db| async move {
    let s = Site::new(db).await;
    let key = hidden(&s.get(&s.form_path()).await.body, "idempotency_key");
    let form = valid(&key);
    // A double click: two POSTs before the browser follows either answer.
    let a = s.post(&s.form_path(), &pairs(&form)).await;
    let b = s.post(&s.form_path(), &pairs(&form)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(b.status, StatusCode::SEE_OTHER);
    let to = b.headers[header::LOCATION]
        .to_str()
        .expect("loc")
        .to_string();
    assert_eq!(a.headers[header::LOCATION], b.headers[header::LOCATION]);
    let receipt = s.get(&to).await;
    let number = dd(&receipt.body, "number").expect("number");
    assert!(dd(&receipt.body, "code").is_some(), "the code is not lost");
    assert!(receipt.body.contains("此前已经提交"));
    assert_eq!(s.pending().await, 1);
    // The back button and submit again, after the receipt was seen.
    let c = s.post(&s.form_path(), &pairs(&form)).await;
    assert_eq!(c.status, StatusCode::SEE_OTHER);
    let again = s
        .get(c.headers[header::LOCATION].to_str().expect("loc"))
        .await;
    assert_eq!(dd(&again.body, "number"), Some(number.clone()));
    assert_eq!(dd(&again.body, "code"), None);
    assert!(again.body.contains("没有重复登记"));
    assert_eq!(s.pending().await, 1);
    // The same key with other content: refused with the first number, a fresh form.
    let changed = with(form.clone(), "description", "另一项信息");
    let d = s.post(&s.form_path(), &pairs(&changed)).await;
    assert_eq!(d.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(d.body.contains(&number), "{}", d.body);
    assert!(d.body.contains("另一项信息"), "values kept");
    let fresh = hidden(&d.body, "idempotency_key");
    assert_ne!(fresh, key);
    assert_eq!(s.pending().await, 1);
    // Sent with the fresh key, it is a second application.
    let (second, _) = apply(&s, &with(changed, "idempotency_key", &fresh)).await;
    assert_ne!(second, number);
    assert_eq!(s.pending().await, 2);
});

db_test!(
    bi_f_each_bad_field_is_answered_in_chinese_and_nothing_is_stored,
    |db| async move {
        let s = Site::new(db).await;
        let key = "0123456789abcdef0123456789abcdef";
        let org = |v: Vec<(&'static str, String)>| {
            let v = with(v, "applicant_type", "commercial");
            let mut v = with(v, "name", "");
            v.push(("org_name", "某某科技有限公司".into()));
            v.push(("contact_person", "李四".into()));
            v
        };
        let cases: Vec<(Vec<(&'static str, String)>, &str)> = vec![
            (with(valid(key), "applicant_type", ""), "请选择申请人类型"),
            (with(valid(key), "name", ""), "请填写姓名"),
            (with(valid(key), "name", "张\u{7}三"), "控制字符"),
            (
                with(valid(key), "name", &"张".repeat(65)),
                "姓名不能超过64个字",
            ),
            (
                with(valid(key), "id_number", "110105194912310021"),
                "证件号码未通过校验",
            ),
            (
                with(valid(key), "id_number", "11010519491213002X"),
                "证件号码未通过校验",
            ),
            (
                with(valid(key), "id_number", "1101051949123100"),
                "证件号码应为18位",
            ),
            (with(valid(key), "id_number", "110105491231002"), "15位"),
            (
                with(valid(key), "id_number", &"1".repeat(10_000)),
                "证件号码不能超过32个字",
            ),
            (with(valid(key), "id_type", "spaceship"), "请选择证件类型"),
            (
                {
                    let mut v = org(valid(key));
                    v.push(("credit_code", "91350100M000100Y44".into()));
                    v
                },
                "统一社会信用代码未通过校验",
            ),
            (
                {
                    let mut v = org(valid(key));
                    v.push(("credit_code", "123456789".into()));
                    v
                },
                "组织机构代码",
            ),
            (with(valid(key), "phone", "call me"), "联系电话格式有误"),
            (with(valid(key), "email", "zhangsan"), "电子邮箱格式有误"),
            (with(valid(key), "postcode", "25500"), "邮政编码应为6位数字"),
            (
                with(
                    with(with(valid(key), "phone", ""), "email", ""),
                    "delivery",
                    "collect",
                ),
                "请至少填写一种联系方式",
            ),
            (
                with(valid(key), "description", "  \u{3000} "),
                "请填写所需信息的内容描述",
            ),
            (
                with(valid(key), "description", &"信".repeat(2001)),
                "所需信息的内容描述不能超过2000个字",
            ),
            (with(valid(key), "delivery", ""), "请选择获取信息的方式"),
            (
                with(valid(key), "delivery", "post"),
                "选择邮寄或快递获取信息时，请填写通信地址",
            ),
            (
                valid(key)
                    .into_iter()
                    .filter(|(k, _)| *k != "media")
                    .collect(),
                "请至少选择一种所需信息的指定提供方式",
            ),
        ];
        for (form, message) in cases {
            let r = s.post(&s.form_path(), &pairs(&form)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
            assert!(r.body.contains(message), "{message}: {}", r.body);
            assert!(r.body.contains("error-summary"), "{message}");
            assert!(r.body.contains("aria-invalid=\"true\"") || r.body.contains("field-error"));
            // The form comes back with the key and what was typed.
            assert_eq!(hidden(&r.body, "idempotency_key"), key);
            assert!(r.body.contains("2025年部门预算") || message.contains("内容描述"));
        }
        assert_eq!(s.pending().await, 0);

        // Malformed requests: a 4xx with a Chinese page, never a 5xx.
        let ip = s.fresh_ip();
        let body = |v: &[(&'static str, String)]| s.body(&pairs(v));
        let bad: Vec<BadRequest<'_>> = vec![
            // Not UTF-8 (an overlong slash, a lone surrogate).
            (
                b"name=%C0%AF&description=%ED%A0%80".to_vec(),
                vec![],
                StatusCode::BAD_REQUEST,
            ),
            (
                [body(&valid(key)), b"&x=%ZZ".to_vec()].concat(),
                vec![],
                StatusCode::BAD_REQUEST,
            ),
            // 10,000 fields.
            (
                "a=1&".repeat(10_000).into_bytes(),
                vec![],
                StatusCode::BAD_REQUEST,
            ),
            // Over the body limit.
            (
                body(&with(valid(key), "description", &"信".repeat(30_000))),
                vec![],
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
            // GBK declared, JSON, multipart.
            (
                body(&valid(key)),
                vec![(
                    "content-type",
                    "application/x-www-form-urlencoded; charset=gbk",
                )],
                StatusCode::BAD_REQUEST,
            ),
            (
                b"{}".to_vec(),
                vec![("content-type", "application/json")],
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                body(&valid(key)),
                vec![("content-type", "multipart/form-data; boundary=x")],
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
        ];
        for (b, headers, want) in bad {
            let r = s.post_raw(&s.form_path(), b, ip, &headers).await;
            assert_eq!(r.status, want, "{headers:?}: {}", r.body);
            assert!(r.body.contains("请"), "{}", r.body);
        }
        // A missing or forged idempotency key: refused in Chinese, a fresh key given.
        for k in ["", "短", "<script>"] {
            let r = s
                .post(
                    &s.form_path(),
                    &pairs(&with(valid(key), "idempotency_key", k)),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.body.contains("申请表已失效"), "{}", r.body);
            assert_eq!(hidden(&r.body, "idempotency_key").len(), 32);
        }
        // An agency that does not exist.
        let r = s
            .post("/agencies/999/apply/online", &pairs(&valid(key)))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = s
            .post("/agencies/abc/apply/online", &pairs(&valid(key)))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(s.pending().await, 0);
    }
);

db_test!(
    bi_id_3_an_id_number_with_a_wrong_check_digit_is_refused,
    |db| async move {
        let s = Site::new(db).await;
        let form = with(
            valid("0123456789abcdef0123456789abcdef"),
            "id_number",
            "110105194912310021",
        );
        let r = s.post(&s.form_path(), &pairs(&form)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("证件号码未通过校验（最后一位校验码不符）"),
            "{}",
            r.body
        );
        assert!(r.body.contains("id=\"id_number-error\""));
        assert!(
            r.body.contains("value=\"110105194912310021\""),
            "kept as typed"
        );
        assert_eq!(s.pending().await, 0);
    }
);

db_test!(
    script_in_a_text_field_is_stored_as_text_and_printed_escaped,
    |db| async move {
        let s = Site::new(db).await;
        let script = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
        let form = with(
            with(
                valid("0123456789abcdef0123456789abcdef"),
                "description",
                script,
            ),
            "address",
            "<b>淄博市</b>",
        );
        let (number, code) = apply(&s, &form).await;
        let op = user::actor(&s.app, Some("operator")).await.expect("op");
        let stored = online::pending(&s.app, &op, None).await.expect("pending");
        assert_eq!(stored[0].request.description, script, "stored as typed");
        let st = s
            .post("/status", &[("number", &number), ("code", &code)])
            .await;
        assert_eq!(st.status, StatusCode::OK);
        assert!(!st.body.contains("<script>alert"), "{}", st.body);
        assert!(!st.body.contains("<img src=x"));
        assert!(
            st.body
                .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{}",
            st.body
        );
        // Re-rendered in the form (an error elsewhere), the value stays inert too.
        let bad = with(form.clone(), "phone", "x");
        let r = s.post(&s.form_path(), &pairs(&bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!r.body.contains("<script>alert"));
        assert!(!r.body.contains("<b>淄博市</b>"));
    }
);

db_test!(
    an_unknown_number_and_a_wrong_code_give_the_same_answer,
    |db| async move {
        let site = Site::new(db).await;
        let s = &site;
        let (number, code) = apply(s, &valid("0123456789abcdef0123456789abcdef")).await;
        let year = s.today().year();
        let ask = |n: String, c: String| async move {
            s.post("/status", &[("number", n.as_str()), ("code", c.as_str())])
                .await
        };
        let wrong = ask(number.clone(), "0000-0000-00000".into()).await;
        let unknown = ask(format!("{year}-000777"), code.clone()).await;
        let guessed = ask(format!("{year}-000002"), "0000-0000-00000".into()).await;
        let garbage = ask("' OR 1=1 --".into(), code.clone()).await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND);
        for other in [&unknown, &guessed, &garbage] {
            assert_eq!(other.status, wrong.status);
            assert_eq!(other.bytes, wrong.bytes, "byte-identical");
        }
        assert!(wrong.body.contains("未找到与该申请编号和查询码相符的申请"));
        assert!(!wrong.body.contains(&number));
        // The same after confirmation (the case row answers now).
        let today = s.today();
        let op = user::actor(&s.app, Some("operator")).await.expect("op");
        online::confirm_online(&s.app, &op, &number, today, today)
            .await
            .expect("confirm");
        let wrong_after = ask(number.clone(), "0000-0000-00000".into()).await;
        assert_eq!(wrong_after.bytes, wrong.bytes);
        assert_eq!(wrong_after.status, wrong.status);
        // An empty field is told apart (nothing is looked up).
        let empty = ask(number.clone(), String::new()).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

db_test!(
    rl_6_look_ups_are_limited_per_client_with_a_chinese_429,
    |db| async move {
        let s = Site::new(db).await;
        let me: SocketAddr = "192.0.2.10:5000".parse().expect("addr");
        let body = s.body(&[("number", "2026-000001"), ("code", "0000-0000-00000")]);
        for i in 0..10 {
            let r = s.post_raw("/status", body.clone(), me, &[]).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "attempt {i}");
        }
        let r = s.post_raw("/status", body.clone(), me, &[]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.body.contains("操作过于频繁"), "{}", r.body);
        assert!(r.body.contains("秒后再试"));
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        // Letter downloads count against the same client.
        let letter = s.body(&[
            ("number", "2026-000001"),
            ("code", "0000-0000-00000"),
            ("kind", "receipt"),
            ("format", "html"),
        ]);
        let r = s.post_raw("/status/letter", letter, me, &[]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Another client is not affected; reading the look-up form is not limited.
        let other: SocketAddr = "192.0.2.11:5000".parse().expect("addr");
        let r = s.post_raw("/status", body.clone(), other, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(s.get("/status").await.status, StatusCode::OK);
        // Behind the proxy of `[auth] trusted_proxies`, each forwarded client counts on its
        // own; anyone else's X-Forwarded-For is ignored.
        let proxy: SocketAddr = "127.0.0.1:9000".parse().expect("addr");
        for i in 0..11 {
            let xff = format!("203.0.113.9, 198.51.100.{i}");
            let r = s
                .post_raw("/status", body.clone(), proxy, &[("x-forwarded-for", &xff)])
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{xff}");
        }
        let r = s
            .post_raw(
                "/status",
                body.clone(),
                me,
                &[("x-forwarded-for", "198.51.100.200")],
            )
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    }
);

db_test!(
    a_cross_origin_post_or_a_missing_token_is_refused,
    |db| async move {
        let s = Site::new(db).await;
        let valid_form = valid("0123456789abcdef0123456789abcdef");
        let form = s.body(&pairs(&valid_form));
        let lookup = s.body(&[("number", "2026-000001"), ("code", "0000-0000-00000")]);
        let refused = |r: &Got, what: &str| {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}");
            assert!(r.body.contains("请求被拒绝"), "{what}: {}", r.body);
        };
        for headers in [
            vec![("origin", "https://evil.example")],
            vec![("origin", "null")],
            vec![("sec-fetch-site", "cross-site")],
            vec![
                ("origin", "http://gk.example"),
                ("sec-fetch-site", "same-site"),
            ],
        ] {
            for (path, body) in [(s.form_path(), &form), ("/status".to_string(), &lookup)] {
                let r = s
                    .post_raw(&path, body.clone(), s.fresh_ip(), &headers)
                    .await;
                refused(&r, &format!("{path} {headers:?}"));
            }
        }
        // A missing or forged token, or a token without its cookie: refused.
        let without = encode(&pairs(&valid_form)).into_bytes();
        refused(
            &s.post_raw(&s.form_path(), without, s.fresh_ip(), &[]).await,
            "no token",
        );
        let forged = [
            encode(&[("csrf_token", "ab".repeat(64).as_str())]).into_bytes(),
            b"&".to_vec(),
            encode(&pairs(&valid_form)).into_bytes(),
        ]
        .concat();
        refused(
            &s.post_raw(&s.form_path(), forged, s.fresh_ip(), &[]).await,
            "forged token",
        );
        refused(
            &s.post_raw(
                &s.form_path(),
                form.clone(),
                s.fresh_ip(),
                &[("cookie", "gongkai_care=1")],
            )
            .await,
            "no cookie",
        );
        assert_eq!(s.pending().await, 0);
        // The browser's own post works.
        let r = s
            .post_raw(
                &s.form_path(),
                form,
                s.fresh_ip(),
                &[("sec-fetch-site", "same-origin")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(s.pending().await, 1);
    }
);

db_test!(a_rejected_submission_shows_the_reason, |db| async move {
    let s = Site::new(db).await;
    let (number, code) = apply(&s, &valid("0123456789abcdef0123456789abcdef")).await;
    let today = s.today();
    let op = user::actor(&s.app, Some("operator")).await.expect("op");
    online::reject_online(
        &s.app,
        &op,
        &number,
        "来信系投诉举报，已转有关部门",
        today,
        today,
    )
    .await
    .expect("reject");
    let st = s
        .post("/status", &[("number", &number), ("code", &code)])
        .await;
    assert_eq!(st.status, StatusCode::OK);
    assert!(st.body.contains("不作为政府信息公开申请处理"));
    assert!(st.body.contains("来信系投诉举报，已转有关部门"));
    // An expired or invented receipt ticket is a Chinese 404.
    let r = s.get("/apply/receipt/0000").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("回执页面已失效"));
});
