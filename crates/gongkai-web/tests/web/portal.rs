//! Every public route: the column's five sections, item pages, attachments, errors, headers,
//! conditional requests, the 关怀版 — on both backends.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_app::App;
use gongkai_app::catalog::{self, demo};
use gongkai_core::catalog::{Action, ItemInput};
use gongkai_core::ids::ItemId;
use gongkai_store::{Db, db_test};
use gongkai_web::{WebState, router};
use time::macros::{date, datetime};
use tower::ServiceExt;

struct Site {
    app: std::sync::Arc<App>,
    state: WebState,
    _dir: tempfile::TempDir,
}

struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Site {
    /// The demo agency (85 items, 指南 and 制度) and the demo district.
    async fn new(db: Db) -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = App::with_db(dir.path(), db).expect("app");
        let admin = gongkai_app::user::first_admin(&app, "operator", None)
            .await
            .expect("operator");
        demo::load_demo(&app, &admin).await.expect("demo");
        demo::load_district(&app, &admin).await.expect("district");
        // The index lives in the data directory, built from the catalogue on first open.
        let state = WebState::open(app).await.expect("state with search");
        Site {
            app: state.app.clone(),
            state,
            _dir: dir,
        }
    }

    async fn get_with(&self, path: &str, headers: &[(header::HeaderName, &str)]) -> Got {
        let mut req = Request::builder().uri(path);
        for (k, v) in headers {
            req = req.header(k, *v);
        }
        let res = router(self.state.clone())
            .oneshot(req.body(Body::empty()).expect("request"))
            .await
            .expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        Got {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str) -> Got {
        self.get_with(path, &[]).await
    }

    async fn actor(&self, name: &str) -> gongkai_core::user::Actor {
        gongkai_app::user::actor(&self.app, Some(name))
            .await
            .expect("actor")
    }

    /// A new item of the demo agency drafted by 王明, with a PDF attached.
    async fn draft(&self, title: &str) -> ItemId {
        let wang = self.actor("wangming").await;
        let agency = gongkai_app::agency::find(&self.app, demo::DEMO_AGENCY)
            .await
            .expect("agency")
            .id;
        let input = ItemInput {
            title: title.into(),
            publisher: demo::DEMO_AGENCY.into(),
            formed_on: Some(date!(2023 - 03 - 01)),
            changed_on: None,
            doc_number: Some("张机事发[2023]7号".into()),
            subject: Some("综合政务".into()),
            column: "政策文件".into(),
            genre: Some("通知".into()),
            summary: "测试".into(),
            body_html: "<p>公务用车管理办法全文。</p><script>alert(1)</script>".into(),
            keywords: vec!["公务用车".into()],
            normative: None,
            interprets: None,
        };
        let at = datetime!(2023-03-01 09:00 +8);
        let id = catalog::create_item(&self.app, &wang, agency, &input, at)
            .await
            .expect("draft")
            .item
            .id;
        catalog::attach(
            &self.app,
            &wang,
            id,
            "办法全文.pdf",
            b"%PDF-1.4\n%test\n",
            at,
        )
        .await
        .expect("attach");
        id
    }

    /// Takes a draft through the workflow to publication.
    async fn publish(&self, id: ItemId) {
        let at = datetime!(2023-03-02 09:00 +8);
        let wang = self.actor("wangming").await;
        let li = self.actor("lihua").await;
        let zhao = self.actor("zhaoqiang").await;
        catalog::workflow::act(&self.app, &wang, id, Action::Submit, None, at)
            .await
            .expect("submit");
        catalog::workflow::act(&self.app, &li, id, Action::ClearSecrecy, Some("同意"), at)
            .await
            .expect("secrecy");
        catalog::workflow::act(&self.app, &zhao, id, Action::Approve, Some("同意"), at)
            .await
            .expect("approve");
        catalog::workflow::publish(&self.app, &wang, id, at)
            .await
            .expect("publish");
    }
}

db_test!(
    home_lists_the_region_and_the_latest_items,
    |db| async move {
        let s = Site::new(db).await;
        let g = s.get("/").await;
        assert_eq!(g.status, StatusCode::OK);
        assert!(g.body.contains("山东省 / 淄博市 / 张店区"), "{}", g.body);
        for name in ["淄博市张店区机关事务服务中心", "淄博市张店区教育和体育局"]
        {
            assert!(g.body.contains(name), "{name}");
        }
        assert!(g.body.contains("张店区2022年中小学校舍安全检查结果公示"));
        // Security headers on every response; no script anywhere.
        let csp = g.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp");
        assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"));
        assert_eq!(g.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(g.headers[header::REFERRER_POLICY], "same-origin");
        assert!(!g.body.contains("<script"));
    }
);

db_test!(the_column_has_its_five_sections, |db| async move {
    let s = Site::new(db).await;
    let home = s.get("/agencies/1").await;
    assert_eq!(home.status, StatusCode::OK);
    for section in [
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
        "依申请公开",
    ] {
        assert!(home.body.contains(section), "{section}");
    }
    assert!(
        home.body.contains("全部法定主动公开内容（85条）"),
        "{}",
        home.body
    );
    let guide = s.get("/agencies/1/guide").await;
    assert_eq!(guide.status, StatusCode::OK);
    assert!(guide.body.contains("政府信息公开指南"));
    assert!(
        s.get("/agencies/1/rules")
            .await
            .body
            .contains("政府信息公开制度")
    );
    let apply = s.get("/agencies/1/apply").await;
    assert!(apply.body.contains("第二十九条"), "{}", apply.body);
    // The years with a report, the A4 page and the JSON.
    let reports = s.get("/agencies/1/reports").await;
    assert!(
        reports.body.contains("/agencies/1/reports/2021"),
        "{}",
        reports.body
    );
    let html = s.get("/agencies/1/reports/2021").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("政府信息公开工作年度报告"));
    let json = s.get("/agencies/1/reports/2021/json").await;
    let v: serde_json::Value = serde_json::from_str(&json.body).expect("JSON");
    assert_eq!(v["year"], 2021);
    // Open data: the page links the CSV, every cell and figure one a line.
    assert!(
        html.body.contains("/agencies/1/reports/2021/csv"),
        "{}",
        html.body
    );
    let csv = s.get("/agencies/1/reports/2021/csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with("\u{feff}单元格,项目,数值,状态\r\n"),
        "{}",
        csv.body
    );
    assert!(
        csv.body
            .contains("table3.granted.total,表三 （一）予以公开 / 总计,0,数值\r\n"),
        "{}",
        csv.body
    );
    assert!(
        csv.body.contains("figures.trainings_held,,1,数值\r\n"),
        "{}",
        csv.body
    );
    let cells = gongkai_core::report::AnnualReport::new("", 2021)
        .cell_refs()
        .len();
    let figures = v["figures"].as_object().expect("figures").len();
    assert_eq!(
        csv.body.lines().count(),
        1 + cells + figures,
        "header, cells, figures"
    );
    assert_eq!(
        s.get("/agencies/1/reports/2020").await.status,
        StatusCode::NOT_FOUND
    );
});

db_test!(items_are_browsed_filtered_and_paginated, |db| async move {
    let s = Site::new(db).await;
    let all = s.get("/agencies/1/items").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("共85条"));
    assert!(all.body.contains("业务动态（28）"), "facet counts");
    assert!(all.body.contains("第1页／共5页"));
    // Newest first: the last item of 2021 before an early one.
    let late = all.body.find("2021-12-20").expect("late");
    assert!(all.body.find("2021-01-13").is_none_or(|early| early > late));
    let col = s
        .get("/agencies/1/items?column=%E4%B8%9A%E5%8A%A1%E5%8A%A8%E6%80%81")
        .await;
    assert!(col.body.contains("共28条"), "{}", col.body);
    assert!(col.body.contains("清除筛选"));
    let p2 = s.get("/agencies/1/items?page=2").await;
    assert!(p2.body.contains("第2页／共5页") && p2.body.contains("rel=\"prev\""));
    let genre = s.get("/agencies/1/items?genre=%E8%A7%A3%E8%AF%BB").await;
    assert!(genre.body.contains("共7条"), "解读");
    let year = s
        .get("/agencies/1/items?year=2021&subject=%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1")
        .await;
    assert!(year.body.contains("共76条"), "{}", year.body);
    // What a citizen can get wrong: a Chinese page with the right status, never a 5xx.
    for (path, status) in [
        ("/agencies/1/items?page=99", StatusCode::NOT_FOUND),
        ("/agencies/1/items?page=0", StatusCode::BAD_REQUEST),
        ("/agencies/1/items?page=x", StatusCode::BAD_REQUEST),
        ("/agencies/1/items?year=abc", StatusCode::BAD_REQUEST),
        ("/agencies/1/items?validity=maybe", StatusCode::BAD_REQUEST),
        ("/agencies/999", StatusCode::NOT_FOUND),
        ("/agencies/abc/items", StatusCode::BAD_REQUEST),
        ("/items/99999", StatusCode::NOT_FOUND),
        ("/items/-1", StatusCode::BAD_REQUEST),
        ("/no/such/page", StatusCode::NOT_FOUND),
    ] {
        let g = s.get(path).await;
        assert_eq!(g.status, status, "{path}");
        assert!(g.body.contains("<html lang=\"zh-CN\">"), "{path}: a page");
        assert!(g.body.contains("返回首页"), "{path}");
    }
});

db_test!(item_pages_show_metadata_and_attachments, |db| async move {
    let s = Site::new(db).await;
    let id = s.draft("张店区机关公务用车管理办法").await;
    // A draft is not public.
    assert_eq!(
        s.get(&format!("/items/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    s.publish(id).await;
    s.state.follow().await.expect("follow");
    let g = s.get(&format!("/items/{id}")).await;
    assert_eq!(g.status, StatusCode::OK);
    for label in [
        "索引号",
        "信息名称",
        "发布机构",
        "成文日期",
        "发布日期",
        "文号",
        "主题分类",
        "体裁",
        "有效性",
        "关键词",
    ] {
        assert!(g.body.contains(&format!(">{label}</th>")), "{label}");
    }
    assert!(g.body.contains("张机事发〔2023〕7号"), "文号 normalised");
    assert!(g.body.contains("2023-03-02"));
    assert!(g.body.contains("公务用车管理办法全文"));
    assert!(!g.body.contains("<script>"), "the body was sanitised");
    // Conditional requests, from the browser that holds the copy: its feedback form's token is
    // made from the form cookie's secret, so the cookie goes along (docs/feedback.md).
    let etag = g.headers[header::ETAG].to_str().expect("etag").to_string();
    let cookie = g.headers[header::SET_COOKIE].to_str().expect("form cookie");
    let cookie = cookie.split(';').next().expect("pair").to_string();
    let again = s
        .get_with(
            &format!("/items/{id}"),
            &[(header::IF_NONE_MATCH, &etag), (header::COOKIE, &cookie)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let lm = g.headers[header::LAST_MODIFIED]
        .to_str()
        .expect("lm")
        .to_string();
    let since = s
        .get_with(
            &format!("/items/{id}"),
            &[(header::IF_MODIFIED_SINCE, &lm), (header::COOKIE, &cookie)],
        )
        .await;
    assert_eq!(since.status, StatusCode::NOT_MODIFIED);
    // Without the cookie the copy's token cannot verify: the whole page, with a new one.
    let fresh = s
        .get_with(&format!("/items/{id}"), &[(header::IF_NONE_MATCH, &etag)])
        .await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert!(fresh.headers.contains_key(header::SET_COOKIE));
    // The attachment, with its name and type.
    let href = g
        .body
        .split("href=\"")
        .find(|p| p.contains("/attachments/"))
        .and_then(|p| p.split('"').next())
        .expect("attachment link")
        .to_string();
    let a = s.get(&href).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.headers[header::CONTENT_TYPE], "application/pdf");
    let cd = a.headers[header::CONTENT_DISPOSITION].to_str().expect("cd");
    assert!(
        cd.starts_with("attachment;") && cd.contains("filename*=UTF-8''"),
        "{cd}"
    );
    assert!(a.body.starts_with("%PDF"));
    assert_eq!(
        s.get(&format!("/items/{id}/attachments/999999"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Withdrawn: 410, with a notice.
    let zhao = s.actor("zhaoqiang").await;
    catalog::workflow::act(
        &s.app,
        &zhao,
        id,
        Action::Withdraw,
        Some("内容有误"),
        datetime!(2023-03-05 09:00 +8),
    )
    .await
    .expect("withdraw");
    // The rendered page is kept until the portal follows the catalogue (within a second in a
    // server, at once after a staff POST); then it is gone.
    assert!(!s.state.pages.is_empty(), "the item page was kept");
    assert_eq!(s.state.follow().await.expect("follow"), 1);
    assert!(s.state.pages.is_empty());
    let gone = s.get(&format!("/items/{id}")).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("已于2023-03-05撤回"), "{}", gone.body);
    assert_eq!(s.get(&href).await.status, StatusCode::NOT_FOUND);
});

db_test!(care_mode_assets_and_compression, |db| async move {
    let s = Site::new(db).await;
    let t = s.get("/care?on=1&back=/agencies/1").await;
    assert_eq!(t.status, StatusCode::SEE_OTHER);
    assert_eq!(t.headers[header::LOCATION], "/agencies/1");
    let cookie = t.headers[header::SET_COOKIE].to_str().expect("cookie");
    assert!(cookie.starts_with("gongkai_care=1;"), "{cookie}");
    let evil = s.get("/care?on=1&back=//evil.example/").await;
    assert_eq!(evil.headers[header::LOCATION], "/");
    let cared = s
        .get_with("/agencies/1", &[(header::COOKIE, "gongkai_care=1")])
        .await;
    assert!(cared.body.contains("<body class=\"care\">"));
    assert!(cared.body.contains("退出关怀版"));
    // The stylesheet: embedded, hashed name, cached, 304 on its ETag.
    let href = cared
        .body
        .split("href=\"/assets/")
        .nth(1)
        .and_then(|p| p.split('"').next())
        .expect("css")
        .to_string();
    let css = s.get(&format!("/assets/{href}")).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("ct")
            .starts_with("text/css")
    );
    assert!(css.body.contains("body.care"));
    let etag = css.headers[header::ETAG]
        .to_str()
        .expect("etag")
        .to_string();
    let again = s
        .get_with(
            &format!("/assets/{href}"),
            &[(header::IF_NONE_MATCH, &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Text is compressed when the client accepts it.
    let gz = s
        .get_with("/agencies/1/items", &[(header::ACCEPT_ENCODING, "gzip")])
        .await;
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
});

db_test!(
    search_finds_words_and_doc_numbers_in_any_brackets,
    |db| async move {
        let s = Site::new(db).await;
        let empty = s.get("/search").await;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(empty.body.contains("请输入关键词"));
        // A word from a body.
        let g = s.get("/search?q=%E6%A0%A1%E8%88%8D").await; // 校舍
        assert_eq!(g.status, StatusCode::OK);
        assert!(g.body.contains("<ol class=\"results\">"));
        assert!(g.body.contains("<mark>校舍</mark>"), "{}", g.body);
        assert!(
            g.body
                .contains("张店区2022年中小学<mark>校舍</mark>安全检查结果公示")
        );
        // The 文号 张机事发〔2021〕5号, typed with round brackets: that item first.
        let g = s
            .get("/search?q=%E5%BC%A0%E6%9C%BA%E4%BA%8B%E5%8F%91(2021)5%E5%8F%B7")
            .await;
        let first = g
            .body
            .split("<ol class=\"results\">")
            .nth(1)
            .and_then(|r| r.split("href=\"").nth(1))
            .and_then(|h| h.split('"').next())
            .expect("a first result")
            .to_string();
        let item = s.get(&first).await;
        assert!(item.body.contains("张机事发〔2021〕5号"), "{first}");
        // Facets narrow by agency; an over-long query is the citizen's mistake (400).
        let g = s.get("/search?q=%E6%8B%9B%E7%94%9F").await; // 招生
        assert!(g.body.contains("机关</h2>"), "facets");
        let long = "%E5%85%AC".repeat(101);
        let bad = s.get(&format!("/search?q={long}")).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("搜索内容过长"));
    }
);

db_test!(search_follows_publication_and_withdrawal, |db| async move {
    let s = Site::new(db).await;
    let index = s.state.search.clone().expect("index");
    let since = Some(time::OffsetDateTime::now_utc() - time::Duration::seconds(1));
    let id = s.draft("张店区公务用车使用登记制度").await;
    s.publish(id).await;
    let since = gongkai_app::search::sync(&s.app, &index, since)
        .await
        .expect("sync")
        .since;
    let q = "/search?q=%E5%85%AC%E5%8A%A1%E7%94%A8%E8%BD%A6%E4%BD%BF%E7%94%A8%E7%99%BB%E8%AE%B0"; // 公务用车使用登记
    assert!(
        s.get(q)
            .await
            .body
            .contains(&format!("href=\"/items/{id}\""))
    );
    let zhao = s.actor("zhaoqiang").await;
    catalog::workflow::act(
        &s.app,
        &zhao,
        id,
        Action::Withdraw,
        Some("内容有误"),
        datetime!(2023-03-05 09:00 +8),
    )
    .await
    .expect("withdraw");
    gongkai_app::search::sync(&s.app, &index, since)
        .await
        .expect("sync");
    assert!(
        !s.get(q)
            .await
            .body
            .contains(&format!("href=\"/items/{id}\""))
    );
});

db_test!(
    the_region_column_gathers_every_agency_below,
    |db| async move {
        let s = Site::new(db).await;
        let top = gongkai_app::portal::top_regions(&s.app)
            .await
            .expect("regions");
        assert_eq!(top.len(), 1);
        let (province, name) = &top[0];
        assert_eq!(name, "山东省");
        // Province → city → district, each a page listing every agency below it.
        let p = s.get(&format!("/regions/{province}")).await;
        assert_eq!(p.status, StatusCode::OK);
        assert!(
            p.body.contains("全部法定主动公开内容（101条）"),
            "{}",
            p.body
        );
        assert!(
            p.body.contains("淄博市 / 张店区"),
            "path below the province"
        );
        for agency in ["淄博市张店区机关事务服务中心", "淄博市张店区卫生健康局"]
        {
            assert!(p.body.contains(agency), "{agency}");
        }
        let city = gongkai_app::portal::region(&s.app, *province)
            .await
            .expect("province")
            .children;
        assert_eq!(city.len(), 1);
        let district = gongkai_app::portal::region(&s.app, city[0].0)
            .await
            .expect("city")
            .children[0]
            .0;
        let d = s.get(&format!("/regions/{district}")).await;
        assert!(d.body.contains("张店区政府信息公开"));
        assert!(
            d.body.contains(&format!("href=\"/regions/{}\"", city[0].0)),
            "breadcrumb"
        );
        // The region's 法定主动公开内容: every agency's items, narrowed by agency.
        let all = s.get(&format!("/regions/{district}/items")).await;
        assert!(all.body.contains("共101条"), "{}", all.body);
        assert!(
            all.body.contains("淄博市张店区机关事务服务中心（85）"),
            "agency facet"
        );
        let one = s
            .get(&format!("/regions/{district}/items?agency=1&page=5"))
            .await;
        assert!(one.body.contains("共85条") && one.body.contains("第5页／共5页"));
        let two = s.get(&format!("/regions/{district}/items?agency=2")).await;
        assert!(two.body.contains("清除筛选") && !two.body.contains("共85条"));
        // The home page links each region.
        assert!(
            s.get("/")
                .await
                .body
                .contains(&format!("href=\"/regions/{district}\""))
        );
        for (path, status) in [
            ("/regions/999".to_string(), StatusCode::NOT_FOUND),
            ("/regions/x".to_string(), StatusCode::BAD_REQUEST),
            (
                format!("/regions/{district}/items?agency=x"),
                StatusCode::BAD_REQUEST,
            ),
            (
                format!("/regions/{district}/items?page=9"),
                StatusCode::NOT_FOUND,
            ),
        ] {
            assert_eq!(s.get(&path).await.status, status, "{path}");
        }
    }
);

db_test!(search_hits_show_the_doc_number, |db| async move {
    let s = Site::new(db).await;
    let id = s.draft("张店区机关公务用车管理办法").await;
    s.publish(id).await;
    let index = s.state.search.clone().expect("index");
    gongkai_app::search::sync(&s.app, &index, None)
        .await
        .expect("sync");
    let g = s
        .get("/search?q=%E5%BC%A0%E6%9C%BA%E4%BA%8B%E5%8F%91(2023)7%E5%8F%B7")
        .await;
    assert_eq!(g.status, StatusCode::OK);
    assert!(g.body.contains("文号：张机事发〔2023〕7号"), "{}", g.body);
});

db_test!(
    the_service_hall_screen_turns_and_items_print_as_notices,
    |db| async move {
        let s = Site::new(db).await;
        let screen = s.get("/agencies/1/display").await;
        assert_eq!(screen.status, StatusCode::OK);
        assert!(
            screen
                .body
                .contains("content=\"20;url=/agencies/1/display?slide=1&amp;every=20\""),
            "{}",
            screen.body
        );
        assert!(
            screen.body.contains("<li class=\"current\">"),
            "{}",
            screen.body
        );
        // The turn counter runs on: the 8th turn shows the first again; a silly period is clamped.
        let wrapped = s.get("/agencies/1/display?slide=8&every=1").await;
        assert!(
            wrapped
                .body
                .contains("content=\"5;url=/agencies/1/display?slide=1&amp;every=5\"")
        );
        assert_eq!(
            s.get("/agencies/x/display").await.status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            s.get("/agencies/999/display").await.status,
            StatusCode::NOT_FOUND
        );
        let notice = s.get("/items/85/notice").await;
        assert_eq!(notice.status, StatusCode::OK);
        assert!(
            notice.body.contains("class=\"notice-sheet\""),
            "{}",
            notice.body
        );
        assert!(s.get("/items/85").await.body.contains("/items/85/notice"));
        assert_eq!(
            s.get("/items/99999/notice").await.status,
            StatusCode::NOT_FOUND
        );
    }
);
