//! Work records over HTTP, on both backends (docs/work-records.md): a clerk records the year's
//! work and sees the paragraph the report will carry; a record without a title is refused and
//! keeps what was typed; removal needs a reason; a user of another agency cannot remove it;
//! text is escaped.

use super::office_kit::{Site, hidden};
use axum::http::StatusCode;
use gongkai_store::db_test;

db_test!(
    a_clerk_records_the_years_work_and_removes_a_mistake,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = site.signed_in("luru").await;
        let page = site.get(&mut b, "/staff/work?year=2024").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("本年尚无工作记录"), "{}", page.body);
        let token = hidden(&page.body, "csrf_token");
        let agency = hidden(&page.body, "agency");

        let form = |title: &'static str| {
            vec![
                ("csrf_token", token.clone()),
                ("agency", agency.clone()),
                ("kind", "training".to_string()),
                ("on", "2024-04-10".to_string()),
                ("title", title.to_string()),
                ("participants", "12".to_string()),
            ]
        };
        let refused = form("  ");
        let refs: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let got = site.post(&mut b, "/staff/work", &refs).await;
        assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.body);
        assert!(got.body.contains("名称不能为空"), "{}", got.body);
        assert!(
            got.body.contains("value=\"12\""),
            "the typed values are kept"
        );

        let good = form("<b>全员</b>政务公开培训");
        let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let got = site.post(&mut b, "/staff/work", &refs).await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        let list = format!("/staff/work?agency={agency}&year=2024");
        assert_eq!(got.location(), format!("{list}&done=added"));
        let page = site.get(&mut b, got.location()).await;
        assert!(page.body.contains("已登记"), "{}", page.body);
        assert!(
            page.body.contains("组织全体人员开展政务公开培训1次"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("&#60;b&#62;全员&#60;/b&#62;政务公开培训"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("<b>全员"));
        let at = page
            .body
            .find("action=\"/staff/work/")
            .expect("remove form")
            + 20;
        let id: String = page.body[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let remove = format!("/staff/work/{id}/remove");

        // Without a reason: refused; another agency's user: not found; the clerk: removed.
        let got = site
            .post(
                &mut b,
                &remove,
                &[
                    ("csrf_token", &token),
                    ("agency", &agency),
                    ("year", "2024"),
                    ("reason", " "),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.body);
        assert!(got.body.contains("删除工作记录须说明理由"), "{}", got.body);
        let mut other = site.signed_in("qita").await;
        let other_page = site.get(&mut other, "/staff/work?year=2024").await;
        let other_token = hidden(&other_page.body, "csrf_token");
        let got = site
            .post(
                &mut other,
                &remove,
                &[("csrf_token", &other_token), ("reason", "误录")],
            )
            .await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{}", got.body);
        let got = site
            .post(
                &mut b,
                &remove,
                &[("csrf_token", &token), ("reason", "日期登记错误")],
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        assert_eq!(got.location(), format!("{list}&done=removed"));
        let page = site.get(&mut b, &list).await;
        assert!(
            page.body.contains("已删除（李录：日期登记错误）"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("本年尚无工作记录，年度报告不生成此段表述")
        );
    }
);

db_test!(a_clerk_records_a_proposal_and_its_reply, |db| async move {
    let site = Site::new(db).await;
    let mut b = site.signed_in("luru").await;
    let page = site.get(&mut b, "/staff/proposals?year=2024").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("本年尚无交办记录"), "{}", page.body);
    let token = hidden(&page.body, "csrf_token");
    let agency = hidden(&page.body, "agency");
    let post = |number: &'static str| {
        vec![
            ("csrf_token", token.clone()),
            ("agency", agency.clone()),
            ("kind", "cppcc".to_string()),
            ("number", number.to_string()),
            ("proposer", "某委员".to_string()),
            ("subject", "关于公共机构节能的提案".to_string()),
            ("handling", "lead".to_string()),
            ("assigned_on", "2024-03-20".to_string()),
            ("due_on", String::new()),
        ]
    };
    let bad = post("第104号");
    let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let got = site.post(&mut b, "/staff/proposals", &refs).await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.body);
    assert!(got.body.contains("应写作"), "{}", got.body);
    assert!(
        got.body.contains("value=\"第104号\""),
        "the typed number is kept"
    );
    let good = post("淄博市张店区政协十二届五次会议第104号");
    let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let got = site.post(&mut b, "/staff/proposals", &refs).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let page = site.get(&mut b, got.location()).await;
    assert!(page.body.contains("政协委员提案1件"), "{}", page.body);
    assert!(page.body.contains("2024-06-20前"), "three months to answer");
    let at = page
        .body
        .find("action=\"/staff/proposals/")
        .expect("reply form")
        + 25;
    let id: String = page.body[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let got = site
        .post(
            &mut b,
            &format!("/staff/proposals/{id}/reply"),
            &[
                ("csrf_token", &token),
                ("agency", &agency),
                ("year", "2024"),
                ("on", "2024-05-06"),
                ("result", "planned"),
                ("reply", "列入明年计划"),
                ("item", ""),
            ],
        )
        .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let page = site.get(&mut b, got.location()).await;
    assert!(
        page.body.contains("2024-05-06 已列入计划拟解决"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("办理结果为：已列入计划拟解决1件"),
        "{}",
        page.body
    );
});
