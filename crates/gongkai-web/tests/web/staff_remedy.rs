//! The back office's remedy cases (行政复议, 行政诉讼) over HTTP, on both backends
//! (docs/rules/annual-report.md#table-四-remedy-cases): the form offers the agency's
//! applications, the 复议前置 rule and another agency's application are refused with their
//! message and nothing written, a decision and its correction keep the history, and the scope
//! and roles hold (another agency's user gets 404, a 保密审查-only user reads but may not add).

use super::office_kit::{Browser, Site, hidden};
use axum::http::StatusCode;
use gongkai_app::application::{self, Registration, RequestedInfo};
use gongkai_app::user;
use gongkai_core::application::{
    Applicant, Channel, Contact, Delivery, Event, EventKind, IdType, NaturalPerson, Outcome,
    ReceiptFacts,
};
use gongkai_store::db_test;
use time::Date;
use time::macros::date;

/// Registers an application of `agency` as `clerk`, received on `on`; with `answer`, decided.
async fn application_of(
    site: &Site,
    clerk: &str,
    agency: &str,
    on: Date,
    answer: Option<(Date, Outcome)>,
) -> String {
    let actor = user::actor(&site.app, Some(clerk)).await.expect("clerk");
    let number = application::register(
        &site.app,
        &actor,
        Registration {
            agency: agency.into(),
            channel: Channel::InPerson,
            receipt: ReceiptFacts {
                arrived_on: on,
                confirmed_on: None,
            },
            applicant: Applicant::Person(NaturalPerson {
                name: "钱七".into(),
                id_type: IdType::ResidentIdCard,
                id_number: "11010519491231002X".into(),
                contact: Contact {
                    phone: Some("13812345678".into()),
                    ..Contact::default()
                },
            }),
            request: RequestedInfo {
                description: "2023年政府采购合同".into(),
                delivery: Delivery::Post,
            },
        },
        on,
    )
    .await
    .expect("registered")
    .number;
    if let Some((d, outcome)) = answer {
        application::record_event(
            &site.app,
            &actor,
            &number,
            Event {
                on: d,
                kind: EventKind::Decided {
                    outcome,
                    legal_basis: "《中华人民共和国政府信息公开条例》第三十六条第（三）项".into(),
                },
            },
            d,
        )
        .await
        .expect("decided");
    }
    number
}

/// The form page, its token and the agency it records for.
async fn form(site: &Site, b: &mut Browser) -> (String, String, String) {
    let page = site.get(b, "/staff/remedies/new").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let token = hidden(&page.body, "csrf_token");
    let agency = hidden(&page.body, "agency");
    (page.body, token, agency)
}

async fn remedy_count(site: &Site) -> usize {
    gongkai_app::remedy::list(
        &site.app,
        &site.admin,
        &gongkai_app::remedy::RemedyFilter::default(),
    )
    .await
    .expect("list")
    .len()
}

db_test!(
    staff_record_decide_and_correct_remedy_cases,
    |db| async move {
        let site = Site::new(db).await;
        let denied = application_of(
            &site,
            "luru",
            "张店区某局",
            date!(2024 - 01 - 10),
            Some((date!(2024 - 01 - 20), Outcome::DeniedProcessInfo)),
        )
        .await;
        let theirs = application_of(&site, "qita", "淄川区某局", date!(2024 - 01 - 10), None).await;
        let mut luru = site.signed_in("luru").await;

        // The list is under 申请办理, with its own sub-navigation link.
        let list = site.get(&mut luru, "/staff/remedies").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("没有符合条件的案件"), "{}", list.body);
        assert!(
            list.body.contains(
                "<a href=\"/staff/remedies\" aria-current=\"page\">行政复议和行政诉讼</a>"
            ),
            "{}",
            list.body
        );

        let (body, token, agency) = form(&site, &mut luru).await;
        assert!(
            body.contains(&format!("<option value=\"{denied}\"")),
            "{body}"
        );
        assert!(
            !body.contains(&theirs),
            "another agency's application offered"
        );
        assert!(!body.contains("<script"), "no script");
        let fields = |kind: &'static str, application: &str, filed: &'static str| {
            vec![
                ("agency", agency.clone()),
                ("kind", kind.to_string()),
                ("application", application.to_string()),
                ("body", "淄博市张店区人民法院".to_string()),
                ("filed_on", filed.to_string()),
            ]
        };
        let post = async |b: &mut Browser, path: &str, token: &str, f: &[(&str, String)]| {
            let mut pairs: Vec<(&str, &str)> = vec![("csrf_token", token)];
            pairs.extend(f.iter().map(|(k, v)| (*k, v.as_str())));
            site.post(b, path, &pairs).await
        };

        // AS-3.5.1: without the form's token, refused and nothing written.
        let forged = post(
            &mut luru,
            "/staff/remedies/new",
            "forged",
            &fields("review", &denied, "2024-03-01"),
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(remedy_count(&site).await, 0);

        // 复议前置: a direct suit of 2024 against 不予公开 is refused with what to do.
        let refused = post(
            &mut luru,
            "/staff/remedies/new",
            &token,
            &fields("litigation.direct", &denied, "2024-03-01"),
        )
        .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(
            refused.body.contains("应当先申请行政复议") && refused.body.contains("复议后起诉"),
            "{}",
            refused.body
        );
        // Another agency's application: refused.
        let other = post(
            &mut luru,
            "/staff/remedies/new",
            &token,
            &fields("review", &theirs, "2024-03-01"),
        )
        .await;
        assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.body);
        assert!(
            other.body.contains("不是张店区某局的申请"),
            "{}",
            other.body
        );
        // BI-F-2: no kind, no date.
        let empty = post(
            &mut luru,
            "/staff/remedies/new",
            &token,
            &[("agency", agency.clone())],
        )
        .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("请选择案件类型"), "{}", empty.body);
        assert_eq!(remedy_count(&site).await, 0, "nothing written");

        // The review: added, its page opened.
        let added = post(
            &mut luru,
            "/staff/remedies/new",
            &token,
            &fields("review", &denied, "2024-03-01"),
        )
        .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let path = added.location().split('?').next().unwrap_or("").to_string();
        assert!(
            path.starts_with("/staff/remedies/%E5%A4%8D%E8%AE%AE-2024-0001"),
            "{path}"
        );
        let page = site.get(&mut luru, added.location()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("案件已登记"), "{}", page.body);
        assert!(page.body.contains("复议-2024-0001"));
        assert!(
            page.body
                .contains("<td id=\"remedy-outcome\">尚未审结</td>")
        );
        let token = hidden(&page.body, "csrf_token");
        let decide = format!("{path}/decide");

        let bad = post(&mut luru, &decide, &token, &[("on", "2024-04-01".into())]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let ok = post(
            &mut luru,
            &decide,
            &token,
            &[("on", "2024-04-01".into()), ("outcome", "upheld".into())],
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = site.get(&mut luru, ok.location()).await;
        assert!(
            page.body
                .contains("<td id=\"remedy-outcome\">结果维持</td>")
        );
        assert!(
            page.body.contains("更正审结结果"),
            "the form is now a correction"
        );

        // A correction needs its reason; the first decision stays in the history.
        let correction = [
            ("on", "2024-04-02".to_string()),
            ("outcome", "corrected".to_string()),
        ];
        let refused = post(&mut luru, &decide, &token, &correction).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.body.contains("须说明理由"), "{}", refused.body);
        let with_reason = [
            &correction[..],
            &[("reason", "复议决定为责令重新答复，原登记有误".to_string())],
        ]
        .concat();
        let ok = post(&mut luru, &decide, &token, &with_reason).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = site.get(&mut luru, &path).await;
        assert!(
            page.body
                .contains("<td id=\"remedy-outcome\">结果纠正</td>")
        );
        assert!(page.body.contains("2024-04-01 结果维持"), "{}", page.body);
        assert!(page.body.contains("2024-04-02 结果纠正"));
        assert!(page.body.contains("复议决定为责令重新答复，原登记有误"));
        assert!(page.body.contains("<td>更正</td>"));

        let y2024 = site.get(&mut luru, "/staff/remedies?year=2024").await;
        assert!(y2024.body.contains("复议-2024-0001"), "{}", y2024.body);
        let pending = site
            .get(&mut luru, "/staff/remedies?year=2024&pending=1")
            .await;
        assert!(pending.body.contains("没有符合条件的案件"));

        // Another agency's user: not found, not listed, no change.
        let mut qita = site.signed_in("qita").await;
        assert_eq!(
            site.get(&mut qita, &path).await.status,
            StatusCode::NOT_FOUND
        );
        let theirs_list = site.get(&mut qita, "/staff/remedies").await;
        assert!(!theirs_list.body.contains("复议-2024-0001"));
        let qita_token = site.token(&mut qita).await;
        let hijack = post(
            &mut qita,
            &decide,
            &qita_token,
            &[
                ("on", "2024-04-03".into()),
                ("outcome", "other".into()),
                ("reason", "x".into()),
            ],
        )
        .await;
        assert_eq!(hijack.status, StatusCode::NOT_FOUND);
        // 保密审查 alone reads, may not add or decide.
        let mut baomi = site.signed_in("baomi").await;
        assert_eq!(
            site.get(&mut baomi, "/staff/remedies/new").await.status,
            StatusCode::FORBIDDEN
        );
        let read = site.get(&mut baomi, &path).await;
        assert_eq!(read.status, StatusCode::OK);
        assert!(read.body.contains("无权登记审结结果"), "{}", read.body);
        let after = gongkai_app::remedy::show(&site.app, &site.admin, "复议-2024-0001")
            .await
            .expect("show");
        assert_eq!(after.history.len(), 3);
    }
);
