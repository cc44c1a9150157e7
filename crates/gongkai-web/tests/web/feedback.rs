//! 公众评议 over HTTP, on both backends (docs/feedback.md): the form on an item's page and on a
//! column's list; spam bursts, duplicates, links, the trap and script in any field refused in
//! Chinese with nothing stored and the page unchanged; a flood stopped with 429 by the stored
//! count and by the in-memory limit; moderation in the back office publishing an answer that
//! the (kept) item page then shows; the report's figures following.

use super::office_kit::{Browser, Got, Site, T0, encode, hidden};
use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use gongkai_app::{catalog, feedback, user};
use gongkai_core::catalog::{Action, ItemInput};
use gongkai_core::feedback::FLOOD_MAX;
use gongkai_core::ids::AgencyId;
use gongkai_store::db_test;
use std::net::SocketAddr;
use time::macros::date;
use tower::ServiceExt;

/// A published item of 张店区某局: its id and the agency's.
async fn published(site: &Site, title: &str) -> (i64, AgencyId) {
    let app = &site.app;
    let drafter = user::actor(app, Some("shuang")).await.expect("drafter");
    let secrecy = user::actor(app, Some("baomi")).await.expect("secrecy");
    let reviewer = user::actor(app, Some("shenhe")).await.expect("reviewer");
    let agency = drafter.agency.expect("agency");
    let id = catalog::create_item(
        app,
        &drafter,
        agency,
        &ItemInput {
            title: title.into(),
            publisher: "张店区某局".into(),
            formed_on: Some(date!(2024 - 05 - 01)),
            column: "人事信息".into(),
            summary: "招聘公告。".into(),
            body_html: "<p>正文。</p>".into(),
            ..ItemInput::default()
        },
        T0,
    )
    .await
    .expect("create")
    .item
    .id;
    for (action, by) in [
        (Action::Submit, &drafter),
        (Action::ClearSecrecy, &secrecy),
        (Action::Approve, &reviewer),
        (Action::Publish, &reviewer),
    ] {
        catalog::act(app, by, id, action, None, T0)
            .await
            .expect("step");
    }
    site.state.follow().await.expect("follow");
    (id.get(), agency)
}

/// Every stored submission of 张店区某局 in 2024, whatever its state.
async fn stored(site: &Site) -> usize {
    feedback::list(&site.app, &site.admin, "张店区某局", 2024, None)
        .await
        .expect("list")
        .len()
}

/// The form's fields with the page's token.
fn fields<'a>(token: &'a str, rest: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("csrf_token", token)];
    all.extend_from_slice(rest);
    all
}

db_test!(the_form_rejects_spam_bursts_and_script, |db| async move {
    let site = Site::new(db).await;
    let (item, _) = published(&site, "2024年公开招聘公告").await;
    let page = format!("/items/{item}");
    let post = format!("/items/{item}/feedback");
    let mut citizen = Browser::default();
    let before = site.get(&mut citizen, &page).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(
        before.body.contains(&format!(
            "<form class=\"feedback-form apply-form\" method=\"post\" action=\"{post}\""
        )),
        "{}",
        before.body
    );
    assert!(
        before
            .body
            .contains("name=\"website\" type=\"text\" tabindex=\"-1\"")
    );
    assert!(before.body.contains("暂无公开答复的评议"));
    let token = hidden(&before.body, "csrf_token");

    // Script in any field, a link, the trap, blank text: refused in Chinese, nothing stored.
    let script = "<script>alert(1)</script>";
    let cases: [(&[(&str, &str)], &str); 8] = [
        (
            &[("rating", "satisfied"), ("comment", script)],
            "意见建议不能包含网页代码",
        ),
        (
            &[
                ("rating", "satisfied"),
                ("comment", "好"),
                ("nickname", script),
            ],
            "称呼不能包含网页代码",
        ),
        (
            &[
                ("rating", "satisfied"),
                ("comment", "好"),
                ("contact", "<img src=x onerror=alert(1)>"),
            ],
            "联系方式不能包含网页代码",
        ),
        (
            &[("rating", script), ("comment", "好")],
            "评价不能包含网页代码",
        ),
        (
            &[
                ("rating", "satisfied"),
                ("comment", "点击 javascript:alert(1)"),
            ],
            "意见建议不能包含网页代码",
        ),
        (
            &[
                ("rating", "satisfied"),
                ("comment", "低价代办 http://spam.example 速来"),
            ],
            "意见建议不能包含网址或链接",
        ),
        (
            &[
                ("rating", "satisfied"),
                ("comment", "好评"),
                ("website", "http://x"),
            ],
            "提交未被接受",
        ),
        (
            &[("rating", "satisfied"), ("comment", "\u{200b} \u{3000}")],
            "请填写意见建议",
        ),
    ];
    for (pairs, message) in cases {
        let got = site.post(&mut citizen, &post, &fields(&token, pairs)).await;
        assert_eq!(
            got.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{pairs:?}: {}",
            got.body
        );
        assert!(got.body.contains(message), "{message}: {}", got.body);
        assert!(got.body.contains("您的评议没有保存"));
        assert!(
            !got.body.contains("<script>"),
            "what was typed comes back escaped"
        );
    }
    assert_eq!(stored(&site).await, 0, "nothing stored");

    // Cross-site, or without the form's token: refused before anything is read.
    let forged = site
        .send(
            &mut citizen,
            Request::builder()
                .method("POST")
                .uri(&post)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, "http://evil.example")
                .header("sec-fetch-site", "cross-site"),
            Body::from(encode(&fields(
                &token,
                &[("rating", "satisfied"), ("comment", "伪造的评议内容")],
            ))),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let tokenless = site
        .post(
            &mut citizen,
            &post,
            &[("rating", "satisfied"), ("comment", "没有令牌的评议内容")],
        )
        .await;
    assert_eq!(tokenless.status, StatusCode::FORBIDDEN);
    assert_eq!(stored(&site).await, 0);

    // A burst from one client: the first FLOOD_MAX are stored, the next is refused with 429
    // before it is stored; the same text again is refused as a duplicate.
    let first = site
        .post(
            &mut citizen,
            &post,
            &fields(
                &token,
                &[
                    ("rating", "basic"),
                    ("comment", "第0条：报名时间能否延长一周？"),
                ],
            ),
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    assert_eq!(first.location(), format!("/feedback/received?item={item}"));
    let dup = site
        .post(
            &mut citizen,
            &post,
            &fields(
                &token,
                &[
                    ("rating", "basic"),
                    ("comment", " 第0条：报名时间能否延长一周 "),
                ],
            ),
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        dup.body.contains("相同内容的评议已经提交过"),
        "{}",
        dup.body
    );
    for i in 1..FLOOD_MAX {
        let text = format!("第{i}条：招聘岗位的专业要求写得很清楚。");
        let got = site
            .post(
                &mut citizen,
                &post,
                &fields(&token, &[("rating", "satisfied"), ("comment", &text)]),
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{i}: {}", got.body);
    }
    let flood = site
        .post(
            &mut citizen,
            &post,
            &fields(
                &token,
                &[
                    ("rating", "satisfied"),
                    ("comment", "超出限制的又一条评议内容。"),
                ],
            ),
        )
        .await;
    assert_eq!(
        flood.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        flood.body
    );
    assert!(
        flood.body.contains("提交过于频繁，请稍后再试"),
        "{}",
        flood.body
    );
    assert!(flood.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(
        stored(&site).await,
        FLOOD_MAX as usize,
        "nothing beyond the limit"
    );

    // The page shows none of it (nothing was answered publicly), and still no script.
    let after = site.get(&mut citizen, &page).await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(after.body.contains("暂无公开答复的评议"));
    assert!(!after.body.contains("<script"));
    assert!(!after.body.contains("报名时间能否延长"));
});

/// A request to `router` from `from`, with the browser's cookie.
async fn send_from(
    router: &axum::Router,
    from: SocketAddr,
    cookie: &str,
    req: axum::http::request::Builder,
    body: Body,
) -> Got {
    let mut req = req
        .header(header::HOST, "gk.example")
        .header(header::COOKIE, cookie)
        .body(body)
        .expect("request");
    req.extensions_mut().insert(ConnectInfo(from));
    let res = router.clone().oneshot(req).await.expect("response");
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

db_test!(
    a_burst_is_stopped_in_memory_before_the_database,
    |db| async move {
        let site = Site::new(db).await;
        let (item, _) = published(&site, "2024年公开招聘公告").await;
        // One router for the whole burst, as a server has.
        let router = gongkai_web::router(site.state.clone());
        let me: SocketAddr = "198.51.100.20:5000".parse().expect("addr");
        let page = send_from(
            &router,
            me,
            "",
            Request::builder().uri(format!("/items/{item}")),
            Body::empty(),
        )
        .await;
        let cookie = page.headers[header::SET_COOKIE]
            .to_str()
            .expect("cookie")
            .split(';')
            .next()
            .expect("pair")
            .to_string();
        let token = hidden(&page.body, "csrf_token");
        let post = |comment: &str| {
            Body::from(encode(&fields(
                &token,
                &[("rating", "satisfied"), ("comment", comment)],
            )))
        };
        let req = || {
            Request::builder()
                .method("POST")
                .uri(format!("/items/{item}/feedback"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, "http://gk.example")
        };
        // Refused forms store nothing, yet count: the limit is on requests, not on what is kept.
        for i in 0..FLOOD_MAX {
            let got = send_from(&router, me, &cookie, req(), post(&format!("<b>{i}</b>"))).await;
            assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{i}");
        }
        let got = send_from(
            &router,
            me,
            &cookie,
            req(),
            post("一条正常的评议内容，但来得太快。"),
        )
        .await;
        assert_eq!(got.status, StatusCode::TOO_MANY_REQUESTS, "{}", got.body);
        assert!(
            got.body.contains("提交过于频繁，请稍后再试"),
            "{}",
            got.body
        );
        assert!(got.headers.contains_key(header::RETRY_AFTER));
        assert_eq!(stored(&site).await, 0);
        // Another client is not held back.
        let other: SocketAddr = "198.51.100.21:5000".parse().expect("addr");
        let got = send_from(
            &router,
            other,
            &cookie,
            req(),
            post("另一位网友的正常评议内容。"),
        )
        .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        assert_eq!(stored(&site).await, 1);
    }
);

db_test!(
    moderation_publishes_an_answer_that_the_item_page_then_shows,
    |db| async move {
        let site = Site::new(db).await;
        let (item, agency) = published(&site, "2024年公开招聘公告").await;
        let page = format!("/items/{item}");
        let mut citizen = Browser::default();
        let shown = site.get(&mut citizen, &page).await;
        let token = hidden(&shown.body, "csrf_token");
        let etag = shown.headers[header::ETAG]
            .to_str()
            .expect("etag")
            .to_string();
        // The browser's copy is current while nothing changed (its form cookie sent along).
        let again = site
            .send(
                &mut citizen,
                Request::builder()
                    .uri(&page)
                    .header(header::IF_NONE_MATCH, &etag),
                Body::empty(),
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        let sent = site
            .post(
                &mut citizen,
                &format!("{page}/feedback"),
                &fields(
                    &token,
                    &[
                        ("rating", "dissatisfied"),
                        ("comment", "报名表<模板>无法下载，请提供。"),
                        ("nickname", "李先生"),
                        ("contact", "13800000000"),
                    ],
                ),
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let thanks = site.get(&mut citizen, sent.location()).await;
        assert_eq!(thanks.status, StatusCode::OK);
        assert!(thanks.body.contains("感谢您的评议"), "{}", thanks.body);
        assert!(
            thanks
                .body
                .contains(&format!("href=\"/items/{item}#feedback\""))
        );
        assert!(
            !site
                .get(&mut citizen, &page)
                .await
                .body
                .contains("无法下载"),
            "pending is not shown"
        );

        // The back office: 录入 sees it with the contact; 审核 has no entry and no page.
        let mut luru = site.signed_in("luru").await;
        let list = site
            .get(&mut luru, "/staff/feedback?year=2024&state=pending")
            .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(
            list.body
                .contains("<a href=\"/staff/feedback\" aria-current=\"page\">公众评议</a>")
        );
        assert!(
            list.body.contains("报名表&#60;模板&#62;无法下载"),
            "{}",
            list.body
        );
        assert!(list.body.contains("联系方式：13800000000"));
        assert!(list.body.contains("其中不满意评价1条"), "{}", list.body);
        let at = list.body.find("action=\"/staff/feedback/").expect("form") + 24;
        let id: String = list.body[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let mut shenhe = site.signed_in("shenhe").await;
        assert_eq!(
            site.get(&mut shenhe, "/staff/feedback").await.status,
            StatusCode::FORBIDDEN
        );
        let token = hidden(&list.body, "csrf_token");
        let moderate = format!("/staff/feedback/{id}/moderate");
        let decide = |action: &'static str, text: &'static str| {
            vec![
                ("csrf_token", token.clone()),
                ("agency", agency.to_string()),
                ("year", "2024".to_string()),
                ("state", String::new()),
                ("action", action.to_string()),
                ("text", text.to_string()),
            ]
        };
        let pairs = decide("publish", " ");
        let p: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let empty = site.post(&mut luru, &moderate, &p).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty.body.contains("公开答复须填写答复内容"),
            "{}",
            empty.body
        );
        // Another agency's user does not find it.
        let mut qita = site.signed_in("qita").await;
        let other_token = site.token(&mut qita).await;
        let pairs = decide("publish", "答复");
        let mut p: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        p[0].1 = &other_token;
        assert_eq!(
            site.post(&mut qita, &moderate, &p).await.status,
            StatusCode::NOT_FOUND
        );

        let pairs = decide("publish", "模板已重新上传，可在附件中下载。");
        let p: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let done = site.post(&mut luru, &moderate, &p).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let list = site.get(&mut luru, done.location()).await;
        assert!(list.body.contains("已公开答复"), "{}", list.body);
        assert!(list.body.contains("处理记录（1）"));

        // The item page was kept before the answer; it shows it now, and the old copy is stale.
        let now = site.get(&mut citizen, &page).await;
        assert_eq!(now.status, StatusCode::OK);
        assert!(
            now.body.contains("报名表&#60;模板&#62;无法下载，请提供。"),
            "{}",
            now.body
        );
        assert!(now.body.contains("模板已重新上传，可在附件中下载。"));
        assert!(now.body.contains("李先生"));
        assert!(
            !now.body.contains("13800000000"),
            "the contact is never public"
        );
        let stale = site
            .send(
                &mut citizen,
                Request::builder()
                    .uri(&page)
                    .header(header::IF_NONE_MATCH, &etag),
                Body::empty(),
            )
            .await;
        assert_eq!(stale.status, StatusCode::OK);

        // The report's figures follow.
        let report = gongkai_app::report::compute(&site.app, "张店区某局", 2024)
            .await
            .expect("compute");
        let f = &report.figures.counts;
        assert_eq!((f["feedback_received"], f["negative_evaluations"]), (1, 1));
    }
);

db_test!(
    a_column_list_takes_feedback_on_its_column,
    |db| async move {
        let site = Site::new(db).await;
        let (_, agency) = published(&site, "2024年公开招聘公告").await;
        let mut citizen = Browser::default();
        let list = format!("/agencies/{agency}/items?column=%E4%BA%BA%E4%BA%8B%E4%BF%A1%E6%81%AF");
        let page = site.get(&mut citizen, &list).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("“人事信息”栏目的公众评议"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(&format!("action=\"/agencies/{agency}/feedback\""))
        );
        assert!(page.body.contains("name=\"column\" value=\"人事信息\""));
        // The whole list, or a column the agency does not have: no form.
        for path in [
            format!("/agencies/{agency}/items"),
            format!("/agencies/{agency}/items?column=%E6%97%A0"),
        ] {
            let g = site.get(&mut citizen, &path).await;
            assert_eq!(g.status, StatusCode::OK, "{path}");
            assert!(!g.body.contains("feedback-form"), "{path}");
        }
        let token = hidden(&page.body, "csrf_token");
        let post = format!("/agencies/{agency}/feedback");
        let sent = site
            .post(
                &mut citizen,
                &post,
                &fields(
                    &token,
                    &[
                        ("column", "人事信息"),
                        ("rating", "satisfied"),
                        ("comment", "人事信息栏目更新及时。"),
                    ],
                ),
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let thanks = site.get(&mut citizen, sent.location()).await;
        assert!(thanks.body.contains("栏目“人事信息”"), "{}", thanks.body);
        let unknown = site
            .post(
                &mut citizen,
                &post,
                &fields(
                    &token,
                    &[
                        ("column", "无此栏目"),
                        ("rating", "satisfied"),
                        ("comment", "对不存在栏目的评议。"),
                    ],
                ),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let all = feedback::list(&site.app, &site.admin, "张店区某局", 2024, None)
            .await
            .expect("list");
        assert_eq!(
            all.iter()
                .map(|f| (f.item_id, f.column.as_str()))
                .collect::<Vec<_>>(),
            [(None, "人事信息")]
        );
    }
);
