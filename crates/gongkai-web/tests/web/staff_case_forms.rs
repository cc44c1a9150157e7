//! The case page's correction form and the re-issue of a 查询码, over HTTP against the real
//! router, on both backends (docs/back-office.md#corrections,
//! docs/online-applications.md#re-issuing-a-查询码): a correction picked from the timeline and
//! filled in with the replacement's own fields changes the clock; a bad field is 422 and a
//! refusal of the state machine 409, neither writing anything; a re-issued code is shown once,
//! the old code stops working on /status and the new one works; 录入 and scope are checked.

use super::staff_office::{Browser, Got, ID, PHONE, Site, T0, TODAY, hidden};
use axum::http::{StatusCode, header};
use gongkai_app::application::{self, Registration, RequestedInfo};
use gongkai_app::user;
use gongkai_core::application::{
    Applicant, Channel, Contact, Delivery, Due, IdType, NaturalPerson, OnlineForm, ReceiptFacts,
};
use gongkai_store::db_test;
use time::Date;
use time::macros::date;

async fn due(site: &Site, number: &str) -> Date {
    match application::show(&site.app, number, TODAY)
        .await
        .expect("case")
        .clock
        .due
    {
        Due::On(d) => d,
        d => panic!("{d:?}"),
    }
}

/// The correction's second step of `page`, posted with `pairs` and the page's token.
async fn correct(site: &Site, b: &mut Browser, page: &str, pairs: &[(&str, &str)]) -> Got {
    let p = site.get(b, page).await;
    let token = hidden(&p.body, "csrf_token");
    let number = page
        .trim_start_matches("/staff/cases/")
        .split('?')
        .next()
        .expect("number");
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(pairs);
    site.post(b, &format!("/staff/cases/{number}/events/correction"), &all)
        .await
}

db_test!(
    a_correction_through_the_form_changes_the_clock,
    |db| async move {
        let site = Site::new(db).await;
        let n = site.case("张三", date!(2024 - 04 - 10)).await;
        let page = format!("/staff/cases/{n}");
        let unextended = due(&site, &n).await;
        let mut b = site.signed_in("zhangwei").await;
        let got = site
            .submit(
                &mut b,
                &page,
                &format!("{page}/events/extension-approved"),
                &[("on", "2024-05-06"), ("days", "10"), ("approver", "李主任")],
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        let extended = due(&site, &n).await;
        assert!(extended > unextended);

        // Step one: the case's events to pick from, no JSON anywhere.
        let p = site.get(&mut b, &page).await;
        assert!(p.body.contains("id=\"form-correction\""), "{}", p.body);
        assert!(
            p.body
                .contains("<option value=\"1\">第1项 2024-05-06 延期答复"),
            "{}",
            p.body
        );
        assert!(p.body.contains("name=\"as\""), "{}", p.body);
        assert!(!p.body.contains("JSON"), "{}", p.body);

        // Step two (a GET): the replacement's own fields, filled in with the event as it is.
        let step = format!("{page}?correct=1&as=");
        let two = site.get(&mut b, &step).await;
        assert_eq!(two.status, StatusCode::OK, "{}", two.body);
        assert_eq!(hidden(&two.body, "target"), "1");
        assert_eq!(hidden(&two.body, "replace_with"), "extension-approved");
        for want in [
            "name=\"new_days\" type=\"number\" min=\"0\" value=\"10\"",
            "name=\"new_approver\" type=\"text\" value=\"李主任\"",
            "name=\"new_on\" type=\"date\" value=\"2024-05-06\"",
            "<label for=\"correction-reason\">更正理由",
            "<legend>更正后的事项</legend>",
        ] {
            assert!(two.body.contains(want), "{want}: {}", two.body);
        }
        let fields = |days: &'static str, reason: &'static str| {
            vec![
                ("target", "1"),
                ("replace_with", "extension-approved"),
                ("new_on", "2024-05-06"),
                ("new_days", days),
                ("new_approver", "李主任"),
                ("on", "2024-05-06"),
                ("reason", reason),
            ]
        };
        // A bad field: 422, the Chinese message beside it, the values kept, nothing written.
        let bad = correct(&site, &mut b, &step, &fields("二十", "天数登记有误")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(
            bad.body.contains("延长的工作日数应为正整数"),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("value=\"二十\""), "{}", bad.body);
        let no_reason = correct(&site, &mut b, &step, &fields("15", "")).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            no_reason.body.contains("请填写更正理由"),
            "{}",
            no_reason.body
        );
        assert_eq!(site.event_count(&n).await, 1);
        // The state machine refuses 25 days: 409 with its reason, nothing written.
        let refused = correct(&site, &mut b, &step, &fields("25", "天数登记有误")).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(
            refused.body.contains("延长答复期限最长不得超过20个工作日"),
            "{}",
            refused.body
        );
        assert_eq!(site.event_count(&n).await, 1);
        assert_eq!(due(&site, &n).await, extended);

        // 15 days instead of 10: the due date moves five working days on.
        let ok = correct(&site, &mut b, &step, &fields("15", "延长天数登记有误")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert_eq!(site.event_count(&n).await, 2);
        let fifteen = due(&site, &n).await;
        let cal = site.app.calendar.clone();
        assert_eq!(
            Some(fifteen),
            cal.add_working_days(extended, 5).ok(),
            "{extended} + 5 working days"
        );
        let p = site.get(&mut b, &page).await;
        assert!(p.body.contains("将第1项更正为：延期答复"), "{}", p.body);
        assert!(p.body.contains("已由第2项更正"), "{}", p.body);
        assert!(p.body.contains("（已更正）"), "{}", p.body);

        // Retracting the extension: the due date without it.
        let step = format!("{page}?correct=1&as=retract");
        let two = site.get(&mut b, &step).await;
        assert_eq!(two.status, StatusCode::OK, "{}", two.body);
        assert!(!two.body.contains("name=\"new_days\""), "{}", two.body);
        let ok = correct(
            &site,
            &mut b,
            &step,
            &[
                ("target", "1"),
                ("replace_with", "retract"),
                ("on", "2024-05-06"),
                ("reason", "未经负责人同意，误登记"),
            ],
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert_eq!(due(&site, &n).await, unextended);

        // A choice that names no event: the first step again, with why.
        let wrong = site.get(&mut b, &format!("{page}?correct=9")).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("请选择被更正的事项"), "{}", wrong.body);
        let wrong = site.get(&mut b, &format!("{page}?correct=2&as=x")).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(
            wrong.body.contains("请选择被更正的事项"),
            "a correction is no target"
        );
        let wrong = site.get(&mut b, &format!("{page}?correct=1&as=x")).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("请选择更正方式"), "{}", wrong.body);
    }
);

/// Registers a case of agency A in person today: its number and 查询码.
async fn registered(site: &Site) -> (String, String) {
    let clerk = user::actor(&site.app, Some("zhangwei"))
        .await
        .expect("clerk");
    let r = application::register(
        &site.app,
        &clerk,
        Registration {
            agency: "张店区某局".into(),
            channel: Channel::InPerson,
            receipt: ReceiptFacts {
                arrived_on: TODAY,
                confirmed_on: None,
            },
            applicant: Applicant::Person(NaturalPerson {
                name: "张三".into(),
                id_type: IdType::ResidentIdCard,
                id_number: ID.into(),
                contact: Contact {
                    phone: Some(PHONE.into()),
                    ..Contact::default()
                },
            }),
            request: RequestedInfo {
                description: "2023年部门预算".into(),
                delivery: Delivery::Post,
            },
        },
        TODAY,
    )
    .await
    .expect("registered");
    (r.number, r.query_code)
}

/// The applicant's look-up on /status.
async fn status(site: &Site, number: &str, code: &str) -> Got {
    let mut b = Browser::default();
    let form = site.get(&mut b, "/status").await;
    let token = hidden(&form.body, "csrf_token");
    site.post(
        &mut b,
        "/status",
        &[("csrf_token", &token), ("number", number), ("code", code)],
    )
    .await
}

/// The code on the confirmation page.
fn new_code(body: &str) -> String {
    let at = body
        .find("id=\"new-query-code\">")
        .unwrap_or_else(|| panic!("no code in {body}"));
    let rest = &body[at + 20..];
    rest[..rest.find('<').expect("end")].to_string()
}

db_test!(
    a_reissued_query_code_is_shown_once_and_replaces_the_old_one,
    |db| async move {
        let site = Site::new(db).await;
        let (n, old) = registered(&site).await;
        let page = format!("/staff/cases/{n}");
        let action = format!("{page}/query-code");
        assert_eq!(status(&site, &n, &old).await.status, StatusCode::OK);

        // Those who may not: no 录入 (403), another agency (404), the region's supervisor
        // with or without 录入 (403). Nothing changes.
        for (who, want) in [
            ("wangwu", StatusCode::FORBIDDEN),
            ("lisi", StatusCode::NOT_FOUND),
            ("zhao", StatusCode::FORBIDDEN),
            ("zhaoluru", StatusCode::FORBIDDEN),
        ] {
            let mut b = site.signed_in(who).await;
            let home = site.get(&mut b, "/staff").await;
            let token = hidden(&home.body, "csrf_token");
            let got = site.post(&mut b, &action, &[("csrf_token", &token)]).await;
            assert_eq!(got.status, want, "{who}: {}", got.body);
            if want == StatusCode::FORBIDDEN {
                let p = site.get(&mut b, &page).await;
                assert!(!p.body.contains(&action), "{who} sees no button");
            }
        }
        let mut clerk = site.signed_in("zhangwei").await;
        // Without the form's token: 403.
        let forged = site.post(&mut clerk, &action, &[]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(status(&site, &n, &old).await.status, StatusCode::OK);

        // The clerk: the new code once, on a page that is not stored, at no new address.
        let p = site.get(&mut clerk, &page).await;
        assert!(
            p.body.contains(&format!("action=\"{action}\"")),
            "{}",
            p.body
        );
        let got = site.submit(&mut clerk, &page, &action, &[]).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(got.headers[header::CACHE_CONTROL], "no-store");
        assert!(got.headers.get(header::LOCATION).is_none());
        let new = new_code(&got.body);
        assert_ne!(new, old);
        assert!(got.body.contains("原查询码即时失效"), "{}", got.body);
        // The old code fails on /status as an unknown number would; the new one works.
        let st = status(&site, &n, &old).await;
        assert_eq!(st.status, StatusCode::NOT_FOUND, "{}", st.body);
        let st = status(&site, &n, &new).await;
        assert_eq!(st.status, StatusCode::OK, "{}", st.body);
        assert!(st.body.contains(&n), "{}", st.body);
        // On the record: who and when, on the case page; the code itself is not.
        let p = site.get(&mut clerk, &page).await;
        assert!(p.body.contains("重新发放记录（1次）"), "{}", p.body);
        assert!(!p.body.contains(&new));
    }
);

db_test!(
    a_pending_submission_gets_a_new_code_from_the_online_list,
    |db| async move {
        let site = Site::new(db).await;
        let form = OnlineForm {
            applicant_type: "natural_person".into(),
            name: "赵六".into(),
            id_type: "resident_id_card".into(),
            id_number: ID.into(),
            phone: PHONE.into(),
            description: "2023年决算".into(),
            delivery: "post".into(),
            address: "张店区人民西路1号".into(),
            media: vec!["paper".into()],
            ..OnlineForm::default()
        };
        let r = application::online::submit_online(
            &site.app,
            site.agency_a,
            "key-0123456789abcdef",
            &form.parse(TODAY).expect("form"),
            T0,
        )
        .await
        .expect("submitted");
        let (n, old) = (r.number, r.query_code.expect("code"));
        let action = format!("/staff/online/{n}/query-code");
        let mut other = site.signed_in("lisi").await;
        let home = site.get(&mut other, "/staff").await;
        let token = hidden(&home.body, "csrf_token");
        let got = site
            .post(&mut other, &action, &[("csrf_token", &token)])
            .await;
        assert_eq!(got.status, StatusCode::NOT_FOUND);
        let mut clerk = site.signed_in("zhangwei").await;
        let list = site.get(&mut clerk, "/staff/online").await;
        assert!(
            list.body.contains(&format!("action=\"{action}\"")),
            "{}",
            list.body
        );
        let got = site.submit(&mut clerk, "/staff/online", &action, &[]).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert!(got.body.contains("网上申请待确认"), "{}", got.body);
        let new = new_code(&got.body);
        assert_eq!(status(&site, &n, &old).await.status, StatusCode::NOT_FOUND);
        let st = status(&site, &n, &new).await;
        assert_eq!(st.status, StatusCode::OK, "{}", st.body);
        assert!(st.body.contains("待确认"), "{}", st.body);
    }
);
