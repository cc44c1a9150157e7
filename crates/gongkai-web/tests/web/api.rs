//! The JSON API over HTTP against the real router, on both backends (docs/api.md): token and
//! session authentication (a revoked, expired or malformed token is one 401; a session's
//! change needs its X-CSRF-Token), problem+json errors with the Chinese message, registering
//! and handling a case, the catalogue's workflow, the scope checks the pages have, the status
//! look-up's equal answers, and the OpenAPI document.

use super::office_kit::{Browser, Got, PW, Site, T0, hidden};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_app::{api_token, user};
use gongkai_core::user::Role;
use gongkai_store::db_test;
use serde_json::{Value, json};
use time::Duration;

const HOST: &str = "gk.example";

/// A JSON request: `token` as a bearer, `csrf` as the session's header, a same-origin browser.
async fn call(
    site: &Site,
    b: &mut Browser,
    method: &str,
    path: &str,
    auth: (Option<&str>, Option<&str>),
    body: Option<Value>,
) -> (Got, Value) {
    let mut r = Request::builder()
        .method(method)
        .uri(path)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header("sec-fetch-site", "same-origin");
    if let Some(t) = auth.0 {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(c) = auth.1 {
        r = r.header("x-csrf-token", c);
    }
    let body = match body {
        Some(v) => {
            r = r.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let got = site.send(b, r, body).await;
    let v = serde_json::from_slice(&got.bytes).unwrap_or(Value::Null);
    (got, v)
}

async fn token_for(site: &Site, name: &str) -> String {
    api_token::issue(&site.app, &site.security, name, "省级平台", None, T0)
        .await
        .expect("token")
        .token
}

fn registration() -> Value {
    json!({
        "agency": "张店区某局",
        "channel": "in_person",
        "arrived_on": "2024-05-06",
        "applicant_type": "natural_person",
        "name": "张三",
        "id_type": "resident_id_card",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "description": "2023年部门决算",
        "delivery": "email",
        "media": ["email"],
    })
}

fn is_problem(got: &Got, v: &Value, status: StatusCode) {
    assert_eq!(got.status, status, "{}", got.body);
    assert_eq!(
        got.headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()),
        Some(&b"application/problem+json"[..]),
        "{}",
        got.body
    );
    assert_eq!(v["status"], status.as_u16(), "{v}");
    assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()), "{v}");
}

db_test!(
    as_api_a_token_acts_as_its_user_until_revoked_or_expired,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = Browser::default();
        let (got, v) = call(&site, &mut b, "GET", "/api/v1/me", (None, None), None).await;
        is_problem(&got, &v, StatusCode::UNAUTHORIZED);
        assert_eq!(v["type"], "urn:gongkai:problem:unauthenticated");

        let t = token_for(&site, "luru").await;
        let (got, v) = call(&site, &mut b, "GET", "/api/v1/me", (Some(&t), None), None).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(v["name"], "luru");
        assert_eq!(v["agency"], "张店区某局");

        // Malformed, unknown and revoked tokens: one answer.
        let unknown = format!("gk_{}", "0".repeat(64));
        for bad in ["gk_short", unknown.as_str(), "Basic abc"] {
            let (got, v) = call(&site, &mut b, "GET", "/api/v1/me", (Some(bad), None), None).await;
            is_problem(&got, &v, StatusCode::UNAUTHORIZED);
        }
        let listed = api_token::list(&site.app, &site.security)
            .await
            .expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].user, "luru");
        assert!(listed[0].last_used_at.is_some(), "use recorded");
        api_token::revoke(&site.app, &site.security, listed[0].id, T0)
            .await
            .expect("revoke");
        let (got, v) = call(&site, &mut b, "GET", "/api/v1/me", (Some(&t), None), None).await;
        is_problem(&got, &v, StatusCode::UNAUTHORIZED);

        // Every token ends.
        let short = api_token::issue(&site.app, &site.security, "shenhe", "热线", Some(1), T0)
            .await
            .expect("token");
        let (got, _) = call(
            &site,
            &mut b,
            "GET",
            "/api/v1/me",
            (Some(&short.token), None),
            None,
        )
        .await;
        assert_eq!(got.status, StatusCode::OK);
        site.state.clock.advance(Duration::days(1));
        let (got, v) = call(
            &site,
            &mut b,
            "GET",
            "/api/v1/me",
            (Some(&short.token), None),
            None,
        )
        .await;
        is_problem(&got, &v, StatusCode::UNAUTHORIZED);

        // Only an administrator issues tokens, and only for users they manage.
        let luru = user::actor(&site.app, Some("luru")).await.expect("luru");
        let e = api_token::issue(&site.app, &luru, "luru", "自用", None, T0)
            .await
            .expect_err("not an administrator");
        assert_eq!(e.kind(), gongkai_app::error::ErrorKind::Forbidden);
        let e = api_token::issue(&site.app, &site.security, "luru", "", None, T0)
            .await
            .expect_err("no label");
        assert_eq!(e.kind(), gongkai_app::error::ErrorKind::Invalid);
        let e = api_token::issue(&site.app, &site.security, "luru", "x", Some(400), T0)
            .await
            .expect_err("too long");
        assert_eq!(e.kind(), gongkai_app::error::ErrorKind::Invalid);
    }
);

db_test!(
    as_api_a_session_changes_nothing_without_its_csrf_header,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = site.signed_in("luru").await;
        let (got, v) = call(&site, &mut b, "GET", "/api/v1/me", (None, None), None).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(v["name"], "luru");
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (None, None),
            Some(registration()),
        )
        .await;
        is_problem(&got, &v, StatusCode::FORBIDDEN);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (None, Some("forged")),
            Some(registration()),
        )
        .await;
        is_problem(&got, &v, StatusCode::FORBIDDEN);
        assert!(
            application_count(&site).await == 0,
            "nothing stored from a refused request"
        );
        let token = site.token(&mut b).await;
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (None, Some(&token)),
            Some(registration()),
        )
        .await;
        assert_eq!(got.status, StatusCode::CREATED, "{}", got.body);
        assert!(v["number"].as_str().is_some_and(|n| !n.is_empty()));
        assert_eq!(application_count(&site).await, 1);
        let _ = hidden;
        let _ = PW;
    }
);

async fn application_count(site: &Site) -> usize {
    gongkai_app::application::list_cases(
        &site.app,
        &site.admin,
        &gongkai_app::application::CaseFilter {
            page: 1,
            ..Default::default()
        },
        time::macros::date!(2024 - 05 - 06),
    )
    .await
    .expect("list")
    .total as usize
}

db_test!(
    as_api_a_case_is_registered_handled_and_scoped_as_on_the_pages,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = Browser::default();
        let luru = token_for(&site, "luru").await;
        let qita = token_for(&site, "qita").await;
        let shenhe = token_for(&site, "shenhe").await;

        // Bad fields: each with its Chinese message; nothing stored.
        let mut bad = registration();
        bad["id_number"] = json!("110105194912310021");
        bad["description"] = json!("");
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (Some(&luru), None),
            Some(bad),
        )
        .await;
        is_problem(&got, &v, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = v["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(
            fields.contains(&"id_number") && fields.contains(&"description"),
            "{v}"
        );
        assert!(v["errors"].to_string().contains("校验"), "{v}");
        // Malformed JSON, an unknown field: 400/422, never 5xx.
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (Some(&luru), None),
            Some(json!({"agency": 1})),
        )
        .await;
        is_problem(&got, &v, StatusCode::UNPROCESSABLE_ENTITY);
        let mut extra = registration();
        extra["admin"] = json!(true);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (Some(&luru), None),
            Some(extra),
        )
        .await;
        is_problem(&got, &v, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(application_count(&site).await, 0);

        // 审核 only: 403. Another agency's 录入: the agency is not theirs (404).
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (Some(&shenhe), None),
            Some(registration()),
        )
        .await;
        is_problem(&got, &v, StatusCode::FORBIDDEN);
        assert!(v["detail"].as_str().unwrap_or("").contains("录入"), "{v}");
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (Some(&qita), None),
            Some(registration()),
        )
        .await;
        is_problem(&got, &v, StatusCode::NOT_FOUND);

        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (Some(&luru), None),
            Some(registration()),
        )
        .await;
        assert_eq!(got.status, StatusCode::CREATED, "{}", got.body);
        let number = v["number"].as_str().expect("number").to_string();
        let code = v["query_code"].as_str().expect("code").to_string();
        assert_eq!(v["received_on"], "2024-05-06");

        // Listed and shown masked; revealed in full, and the access is recorded.
        let (got, v) = call(
            &site,
            &mut b,
            "GET",
            "/api/v1/cases?q=张三",
            (Some(&luru), None),
            None,
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(v["total"], 1);
        assert_eq!(v["rows"][0]["number"], number.as_str());
        assert!(!got.body.contains("11010519491231002X"));
        let (got, v) = call(
            &site,
            &mut b,
            "GET",
            "/api/v1/cases?due=later",
            (Some(&luru), None),
            None,
        )
        .await;
        is_problem(&got, &v, StatusCode::BAD_REQUEST);
        let path = format!("/api/v1/cases/{number}");
        let (got, v) = call(&site, &mut b, "GET", &path, (Some(&luru), None), None).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(v["number"], number.as_str());
        assert!(!got.body.contains("11010519491231002X"), "{}", got.body);
        assert!(!got.body.contains("13812345678"), "{}", got.body);
        let (got, _) = call(
            &site,
            &mut b,
            "POST",
            &format!("{path}/reveal"),
            (Some(&luru), None),
            None,
        )
        .await;
        assert_eq!(got.status, StatusCode::OK);
        assert!(got.body.contains("11010519491231002X"));
        let luru_actor = user::actor(&site.app, Some("luru")).await.expect("luru");
        let seen = gongkai_app::application::identity_accesses(&site.app, &luru_actor, &number)
            .await
            .expect("accesses");
        assert_eq!(seen.len(), 1);

        // Another agency's user: the case does not exist for them, read or write.
        for (m, p) in [("GET", path.clone()), ("POST", format!("{path}/reveal"))] {
            let (got, v) = call(&site, &mut b, m, &p, (Some(&qita), None), None).await;
            is_problem(&got, &v, StatusCode::NOT_FOUND);
        }
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &format!("{path}/events/supplement-requested"),
            (Some(&qita), None),
            Some(json!({"on": "2024-05-06", "items": "身份证明", "period": "15"})),
        )
        .await;
        is_problem(&got, &v, StatusCode::NOT_FOUND);

        // An event: fields checked, the state machine's refusal is 409 and writes nothing.
        let ev = |form: &str| format!("{path}/events/{form}");
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &ev("supplement-requested"),
            (Some(&luru), None),
            Some(json!({"on": "2024-05-06"})),
        )
        .await;
        is_problem(&got, &v, StatusCode::UNPROCESSABLE_ENTITY);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &ev("supplement-received"),
            (Some(&luru), None),
            Some(json!({"on": "2024-05-06"})),
        )
        .await;
        is_problem(&got, &v, StatusCode::CONFLICT);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &ev("no-such-form"),
            (Some(&luru), None),
            Some(json!({})),
        )
        .await;
        is_problem(&got, &v, StatusCode::NOT_FOUND);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &ev("supplement-requested"),
            (Some(&luru), None),
            Some(json!({"on": "2024-05-06", "items": "申请人身份证明", "period": "15"})),
        )
        .await;
        assert_eq!(got.status, StatusCode::CREATED, "{}", got.body);
        assert_eq!(v["events"].as_array().map(Vec::len), Some(1), "{v}");

        // The citizen's look-up: right pair answers; an unknown number and a wrong code get
        // the same 404.
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/status",
            (None, None),
            Some(json!({"number": number, "code": code})),
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(v["state"], "case");
        assert!(!got.body.contains("11010519491231002X"));
        let (wrong, _) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/status",
            (None, None),
            Some(json!({"number": number, "code": "ABCD-EFGH-JKMN"})),
        )
        .await;
        let (unknown, _) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/status",
            (None, None),
            Some(json!({"number": "2024-000999", "code": code})),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND);
        assert_eq!(wrong.bytes, unknown.bytes);

        // A lost code re-issued: the old one stops working, the new one answers.
        let (got, _) = call(
            &site,
            &mut b,
            "POST",
            &format!("{path}/query-code"),
            (Some(&qita), None),
            None,
        )
        .await;
        assert_eq!(got.status, StatusCode::NOT_FOUND);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &format!("{path}/query-code"),
            (Some(&luru), None),
            None,
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        let new_code = v["query_code"].as_str().expect("code").to_string();
        let (old, _) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/status",
            (None, None),
            Some(json!({"number": number, "code": code})),
        )
        .await;
        assert_eq!(old.status, StatusCode::NOT_FOUND);
        let (got, _) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/status",
            (None, None),
            Some(json!({"number": number, "code": new_code})),
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    }
);

db_test!(
    as_api_the_catalogue_workflow_keeps_its_separation_of_duties,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = Browser::default();
        let agency = gongkai_app::agency::list(&site.app)
            .await
            .expect("agencies")
            .into_iter()
            .find(|a| a.agency.name == "张店区某局")
            .expect("agency")
            .agency
            .id;
        let luru = token_for(&site, "luru").await;
        let qita = token_for(&site, "qita").await;
        let items = format!("/api/v1/agencies/{agency}/items");
        let body = json!({
            "title": "关于政府信息公开工作的通知",
            "publisher": "张店区某局",
            "column": "政策文件",
            "genre": "通知",
            "formed_on": "2024-05-06",
            "summary": "通知。",
            "body_html": "<p>正文。</p><script>alert(1)</script>",
        });
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &items,
            (Some(&qita), None),
            Some(body.clone()),
        )
        .await;
        is_problem(&got, &v, StatusCode::NOT_FOUND);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &items,
            (Some(&luru), None),
            Some(json!({"title": "无日期", "formed_on": "五月"})),
        )
        .await;
        is_problem(&got, &v, StatusCode::UNPROCESSABLE_ENTITY);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &items,
            (Some(&luru), None),
            Some(body),
        )
        .await;
        assert_eq!(got.status, StatusCode::CREATED, "{}", got.body);
        assert!(!got.body.contains("<script"), "sanitised: {}", got.body);
        let id = v["id"].as_i64().expect("id");
        let item = format!("/api/v1/items/{id}");
        let (got, v) = call(
            &site,
            &mut b,
            "GET",
            &format!("{items}?stage=draft"),
            (Some(&luru), None),
            None,
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(v.as_array().map(Vec::len), Some(1));
        let (got, v) = call(&site, &mut b, "GET", &item, (Some(&qita), None), None).await;
        is_problem(&got, &v, StatusCode::NOT_FOUND);
        let act = format!("{item}/actions");
        let (got, _) = call(
            &site,
            &mut b,
            "POST",
            &act,
            (Some(&luru), None),
            Some(json!({"action": "submit"})),
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        // 录入 cannot clear the confidentiality review.
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &act,
            (Some(&luru), None),
            Some(json!({"action": "clear_secrecy"})),
        )
        .await;
        is_problem(&got, &v, StatusCode::FORBIDDEN);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &act,
            (Some(&luru), None),
            Some(json!({"action": "fly"})),
        )
        .await;
        is_problem(&got, &v, StatusCode::BAD_REQUEST);
        let baomi = token_for(&site, "baomi").await;
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &act,
            (Some(&baomi), None),
            Some(json!({"action": "clear_secrecy"})),
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(v["stage"], "review", "{v}");
    }
);

db_test!(
    as_api_a_regions_supervisor_reads_but_never_writes,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = Browser::default();
        let region = gongkai_app::agency::list(&site.app)
            .await
            .expect("agencies")
            .into_iter()
            .find(|a| a.agency.name == "张店区某局")
            .expect("agency")
            .agency
            .region_id;
        user::add(
            &site.app,
            &site.security,
            user::NewUserInput {
                name: "jiandu".into(),
                display_name: Some("郑监".into()),
                roles: vec![Role::Supervise, Role::Entry],
                agency: None,
                region: Some(region),
            },
        )
        .await
        .expect("supervisor");
        let luru = token_for(&site, "luru").await;
        let jiandu = token_for(&site, "jiandu").await;
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (Some(&luru), None),
            Some(registration()),
        )
        .await;
        assert_eq!(got.status, StatusCode::CREATED, "{}", got.body);
        let number = v["number"].as_str().expect("number").to_string();
        let (got, _) = call(
            &site,
            &mut b,
            "GET",
            &format!("/api/v1/cases/{number}"),
            (Some(&jiandu), None),
            None,
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            "/api/v1/cases",
            (Some(&jiandu), None),
            Some(registration()),
        )
        .await;
        is_problem(&got, &v, StatusCode::FORBIDDEN);
        let (got, v) = call(
            &site,
            &mut b,
            "POST",
            &format!("/api/v1/cases/{number}/events/supplement-requested"),
            (Some(&jiandu), None),
            Some(json!({"on": "2024-05-06", "items": "身份证明", "period": "15"})),
        )
        .await;
        is_problem(&got, &v, StatusCode::FORBIDDEN);
    }
);

db_test!(
    as_api_every_route_is_in_the_openapi_document,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = Browser::default();
        let (got, doc) = call(
            &site,
            &mut b,
            "GET",
            "/api/v1/openapi.json",
            (None, None),
            None,
        )
        .await;
        assert_eq!(got.status, StatusCode::OK);
        assert!(
            doc["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1")),
            "{doc}"
        );
        let routes = crate::routes::served(&site).await;
        let api: Vec<_> = routes
            .iter()
            .filter(|r| r.path.starts_with("/api/"))
            .collect();
        assert!(api.len() >= 13, "{api:?}");
        for r in api {
            for m in &r.methods {
                let op = &doc["paths"][&r.path][m.to_ascii_lowercase()];
                assert!(
                    op.is_object(),
                    "{m} {} is served but not in the document",
                    r.path
                );
                assert!(op["responses"].is_object(), "{m} {}", r.path);
            }
        }
        let (got, v) = call(
            &site,
            &mut b,
            "GET",
            "/api/v1/no-such-thing",
            (None, None),
            None,
        )
        .await;
        is_problem(&got, &v, StatusCode::NOT_FOUND);
    }
);
