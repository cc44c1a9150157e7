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

db_test!(
    a_clerk_records_the_leading_group_and_an_assessment,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = site.signed_in("luru").await;
        let page = site.get(&mut b, "/staff/organisation?year=2024").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("本年尚无任职记录"), "{}", page.body);
        let token = hidden(&page.body, "csrf_token");
        let agency = hidden(&page.body, "agency");
        let appoint = |name: &'static str, from: &'static str, until: &'static str| {
            vec![
                ("csrf_token", token.clone()),
                ("agency", agency.clone()),
                ("duty", "leader".to_string()),
                ("name", name.to_string()),
                ("post", "局长".to_string()),
                ("section", String::new()),
                ("from", from.to_string()),
                ("until", until.to_string()),
            ]
        };
        let bad = appoint("张明", "2024-03-01", "2024-02-01");
        let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let got = site
            .post(&mut b, "/staff/organisation/appointments", &refs)
            .await;
        assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.body);
        assert!(
            got.body
                .contains("离任日期2024-02-01早于任职日期2024-03-01"),
            "{}",
            got.body
        );
        assert!(
            got.body.contains("value=\"张明\""),
            "what was typed is kept"
        );

        let good = appoint("<b>张</b>明", "2024-03-01", "");
        let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let got = site
            .post(&mut b, "/staff/organisation/appointments", &refs)
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        let page = site.get(&mut b, got.location()).await;
        assert!(page.body.contains("已登记任职"), "{}", page.body);
        assert!(
            page.body.contains(
                "成立张店区某局政务公开工作领导小组，由局长&#60;b&#62;张&#60;/b&#62;明任组长。"
            ),
            "{}",
            page.body
        );
        assert!(!page.body.contains("<b>张"));

        let round = |results: &'static str| {
            vec![
                ("csrf_token", token.clone()),
                ("agency", agency.clone()),
                ("held_on", "2024-04-30".to_string()),
                ("title", "一季度考核".to_string()),
                ("results", results.to_string()),
            ]
        };
        let bad = round("办公室 120");
        let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let got = site
            .post(&mut b, "/staff/organisation/assessments", &refs)
            .await;
        assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.body);
        assert!(
            got.body.contains("第1行：分数120应在0至100之间"),
            "{}",
            got.body
        );
        assert!(got.body.contains("办公室 120</textarea>"), "kept");
        let good = round("办公室 95\n业务科 80 信息更新不及时");
        let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let got = site
            .post(&mut b, "/staff/organisation/assessments", &refs)
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        let page = site.get(&mut b, got.location()).await;
        assert!(
            page.body.contains("2024年开展政务公开工作考核1次，对2个科室进行考核，发现问题1个，已整改0个，其余正在整改。"),
            "{}",
            page.body
        );
        let at = page
            .body
            .find("action=\"/staff/organisation/results/")
            .expect("rectify form")
            + 36;
        let id: String = page.body[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let rectify = format!("/staff/organisation/results/{id}/rectify");
        // Another agency's user cannot touch it.
        let mut other = site.signed_in("qita").await;
        let otoken = site.token(&mut other).await;
        let got = site
            .post(
                &mut other,
                &rectify,
                &[
                    ("csrf_token", &otoken),
                    ("on", "2024-05-01"),
                    ("year", "2024"),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{}", got.body);
        let got = site
            .post(
                &mut b,
                &rectify,
                &[
                    ("csrf_token", &token),
                    ("agency", &agency),
                    ("on", "2024-05-01"),
                    ("year", "2024"),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        let page = site.get(&mut b, got.location()).await;
        assert!(
            page.body.contains("发现问题1个，已全部整改。"),
            "{}",
            page.body
        );
        assert!(page.body.contains("2024-05-01已整改"), "{}", page.body);
    }
);
