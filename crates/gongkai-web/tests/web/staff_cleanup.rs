//! 定期清理 over HTTP, on both backends (docs/cleanup.md): a clerk starts a review campaign
//! that lists an old item; bad settings are refused keeping what was typed; the clerk may not
//! withdraw, the reviewer must give a reason and then withdraws it — the portal answers 410 at
//! once; another agency's user does not see the campaign; text is escaped.

use super::office_kit::{Site, hidden};
use axum::http::StatusCode;
use gongkai_app::{catalog, user};
use gongkai_core::catalog::{Action, ItemInput};
use gongkai_core::ids::AgencyId;
use gongkai_store::db_test;
use time::macros::{date, datetime};

/// An item of 张店区某局 published in 2020, and its id.
async fn old_item(site: &Site) -> i64 {
    let app = &site.app;
    let drafter = user::actor(app, Some("shuang")).await.expect("drafter");
    let secrecy = user::actor(app, Some("baomi")).await.expect("secrecy");
    let reviewer = user::actor(app, Some("shenhe")).await.expect("reviewer");
    let agency: AgencyId = drafter.agency.expect("agency");
    let at = datetime!(2020-03-02 10:00 +08:00);
    let id = catalog::create_item(
        app,
        &drafter,
        agency,
        &ItemInput {
            title: "2020年<i>春季</i>招聘公告".into(),
            publisher: "张店区某局".into(),
            formed_on: Some(date!(2020 - 03 - 01)),
            column: "人事信息".into(),
            summary: "招聘公告。".into(),
            body_html: "<p>正文。</p>".into(),
            ..ItemInput::default()
        },
        at,
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
        catalog::act(app, by, id, action, None, at)
            .await
            .expect("step");
    }
    id.get()
}

db_test!(
    a_review_campaign_lists_an_old_item_and_the_reviewer_withdraws_it,
    |db| async move {
        let site = Site::new(db).await;
        let item = old_item(&site).await;
        let mut clerk = site.signed_in("luru").await;
        let page = site.get(&mut clerk, "/staff/cleanup").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("尚未开展定期清理"), "{}", page.body);
        let token = hidden(&page.body, "csrf_token");
        let agency = hidden(&page.body, "agency");
        assert_eq!(hidden(&page.body, "older_than"), "3");

        let got = site
            .post(
                &mut clerk,
                "/staff/cleanup",
                &[
                    ("csrf_token", &token),
                    ("agency", &agency),
                    ("title", "春季清理"),
                    ("older_than", "0"),
                    ("normative_term", "5"),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.body);
        assert!(
            got.body.contains("信息发布年限应为1至50之间的整数"),
            "{}",
            got.body
        );
        assert!(
            got.body.contains("value=\"春季清理\""),
            "what was typed is kept"
        );

        let got = site
            .post(
                &mut clerk,
                "/staff/cleanup",
                &[
                    ("csrf_token", &token),
                    ("agency", &agency),
                    ("title", "<b>春季</b>清理"),
                    ("older_than", "3"),
                    ("normative_term", "5"),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        let at = got.location().to_string();
        assert!(
            at.starts_with("/staff/cleanup/") && at.ends_with("?done=started"),
            "{at}"
        );
        let campaign = at.trim_end_matches("?done=started").to_string();
        let page = site.get(&mut clerk, &at).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("已开始清理"), "{}", page.body);
        assert!(
            page.body.contains("发布于2020-03-02，已超过3年"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("&#60;b&#62;春季&#60;/b&#62;清理"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("2020年&#60;i&#62;春季&#60;/i&#62;招聘公告")
        );
        assert!(!page.body.contains("<b>春季") && !page.body.contains("<i>春季"));
        assert!(
            page.body.contains("清理信息1条，待处理1条"),
            "{}",
            page.body
        );
        // A plain item offers no 失效/废止.
        assert!(!page.body.contains("value=\"expire\""), "{}", page.body);
        let decide = format!("{campaign}/items/{item}");

        // 录入 may not withdraw.
        let got = site
            .post(
                &mut clerk,
                &decide,
                &[
                    ("csrf_token", &token),
                    ("decision", "withdraw"),
                    ("reason", "过时"),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN, "{}", got.body);

        // Another agency's user does not see the campaign.
        let mut other = site.signed_in("qita").await;
        let got = site.get(&mut other, &campaign).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{}", got.body);

        let mut reviewer = site.signed_in("shenhe").await;
        let page = site.get(&mut reviewer, &campaign).await;
        let rtoken = hidden(&page.body, "csrf_token");
        let got = site
            .post(
                &mut reviewer,
                &decide,
                &[
                    ("csrf_token", &rtoken),
                    ("decision", "withdraw"),
                    ("reason", " "),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.body);
        assert!(got.body.contains("撤回需填写理由"), "{}", got.body);
        assert!(
            got.body.contains("<details open>"),
            "the failed form is open"
        );
        let public = site.get(&mut reviewer, &format!("/items/{item}")).await;
        assert_eq!(public.status, StatusCode::OK, "still published");

        let got = site
            .post(
                &mut reviewer,
                &decide,
                &[
                    ("csrf_token", &rtoken),
                    ("decision", "withdraw"),
                    ("reason", "招聘已结束"),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        assert_eq!(
            got.location(),
            format!("{campaign}?done=decided#item-{item}")
        );
        let page = site.get(&mut reviewer, &campaign).await;
        assert!(page.body.contains("<strong>撤回</strong>"), "{}", page.body);
        assert!(page.body.contains("招聘已结束"));
        assert!(page.body.contains("清理信息1条，撤回1条"), "{}", page.body);
        let public = site.get(&mut reviewer, &format!("/items/{item}")).await;
        assert_eq!(public.status, StatusCode::GONE, "withdrawn at once");

        // The list of campaigns says what changed.
        let list = site.get(&mut clerk, "/staff/cleanup").await;
        assert!(list.body.contains("清理信息1条，撤回1条"), "{}", list.body);
        let items = site
            .get(&mut clerk, &format!("/staff/catalog/items?agency={agency}"))
            .await;
        assert!(items.body.contains("id=\"cleanup-link\""), "{}", items.body);
    }
);
