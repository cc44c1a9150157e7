//! The back office's application pages over HTTP against the real router, on both backends
//! (docs/back-office.md): the dashboard's numbers, the list's filters, search and masking, a
//! recorded reveal, registering a paper application, the whole story of an online application
//! through the pages with its letters, a refused event that writes nothing, and the scope and
//! role checks (another agency's case is 404, no 录入 is 403, no CSRF token is 403). The site
//! and its browser serve `staff_case_forms.rs` too.

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use gongkai_app::application::{self, Registration, RequestedInfo};
use gongkai_app::clock::Clock;
use gongkai_app::{App, agency, auth, user};
use gongkai_core::application::{
    Applicant, Channel, Contact, Delivery, IdType, NaturalPerson, OnlineForm, ReceiptFacts,
};
use gongkai_core::ids::AgencyId;
use gongkai_core::user::Role;
use gongkai_store::{Db, db_test};
use gongkai_web::{WebState, router};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};
use tower::ServiceExt;

pub(super) const T0: OffsetDateTime = datetime!(2024-05-06 09:00 +08:00);
pub(super) const TODAY: Date = date!(2024 - 05 - 06);
const PW: &str = "Zhangdian-2024";
const HOST: &str = "gk.example";
pub(super) const ID: &str = "11010519491231002X";
pub(super) const PHONE: &str = "13812345678";

pub(super) struct Got {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: String,
}

impl Got {
    pub(super) fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub(super) struct Site {
    pub(super) app: std::sync::Arc<App>,
    pub(super) state: WebState,
    pub(super) agency_a: AgencyId,
    _dir: tempfile::TempDir,
}

#[derive(Default)]
pub(super) struct Browser {
    jar: BTreeMap<String, String>,
}

fn encode(pairs: &[(&str, &str)]) -> String {
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

pub(super) fn hidden(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no field {name} in {body}"));
    let rest = &body[at + name.len() + 15..];
    rest[..rest.find('"').expect("end of value")].to_string()
}

async fn add_user(
    app: &App,
    name: &str,
    roles: Vec<Role>,
    agency: Option<&str>,
    region: Option<gongkai_core::ids::RegionId>,
) {
    user::add(
        app,
        &gongkai_app::user::first_security(app)
            .await
            .expect("security"),
        user::NewUserInput {
            name: name.into(),
            display_name: None,
            roles,
            agency: agency.map(str::to_string),
            region,
        },
    )
    .await
    .expect("user");
    auth::set_password(
        app,
        &gongkai_app::user::first_security(app)
            .await
            .expect("security"),
        name,
        PW,
        T0,
    )
    .await
    .expect("password");
}

fn person(name: &str) -> Applicant {
    Applicant::Person(NaturalPerson {
        name: name.into(),
        id_type: IdType::ResidentIdCard,
        id_number: ID.into(),
        contact: Contact {
            phone: Some(PHONE.into()),
            ..Contact::default()
        },
    })
}

impl Site {
    pub(super) async fn new(db: Db) -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = App::with_db(dir.path(), db).expect("app");
        let admin = match user::first_admin(&app, "operator", None).await {
            Ok(a) => a,
            Err(_) => user::actor(&app, Some("operator")).await.expect("operator"),
        };
        let a = agency::add_agency(
            &app,
            &admin,
            "山东省/淄博市/张店区",
            "张店区某局",
            Some("000000009"),
        )
        .await
        .expect("agency a");
        agency::add_agency(
            &app,
            &admin,
            "山东省/淄博市/临淄区",
            "临淄区某局",
            Some("000000017"),
        )
        .await
        .expect("agency b");
        let zibo = gongkai_store::repo::agency::region_path(&app.db, a.region_id.get())
            .await
            .expect("path")
            .into_iter()
            .find(|r| r.name == "淄博市")
            .map(|r| gongkai_core::ids::RegionId::new(r.id))
            .expect("淄博市");
        add_user(
            &app,
            "zhangwei",
            vec![Role::Entry, Role::Review],
            Some("张店区某局"),
            None,
        )
        .await;
        add_user(&app, "lisi", vec![Role::Entry], Some("临淄区某局"), None).await;
        add_user(&app, "wangwu", vec![Role::Review], Some("张店区某局"), None).await;
        add_user(&app, "zhao", vec![Role::Supervise], None, Some(zibo)).await;
        // A region's supervisor who also holds 录入: still read-only below the region.
        add_user(
            &app,
            "zhaoluru",
            vec![Role::Supervise, Role::Entry],
            None,
            Some(zibo),
        )
        .await;
        let mut state = WebState::new(app);
        state.clock = Clock::manual(T0);
        Site {
            app: state.app.clone(),
            state,
            agency_a: a.id,
            _dir: dir,
        }
    }

    /// Registers a case of agency A received in person on `received`.
    pub(super) async fn case(&self, name: &str, received: Date) -> String {
        let clerk = user::actor(&self.app, Some("zhangwei"))
            .await
            .expect("clerk");
        application::register(
            &self.app,
            &clerk,
            Registration {
                agency: "张店区某局".into(),
                channel: Channel::InPerson,
                receipt: ReceiptFacts {
                    arrived_on: received,
                    confirmed_on: None,
                },
                applicant: person(name),
                request: RequestedInfo {
                    description: "2023年部门预算".into(),
                    delivery: Delivery::Post,
                },
            },
            TODAY,
        )
        .await
        .expect("registered")
        .number
    }

    async fn send(&self, b: &mut Browser, req: axum::http::request::Builder, body: Body) -> Got {
        let mut req = req.header(header::HOST, HOST);
        if !b.jar.is_empty() {
            let c = b
                .jar
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req = req.header(header::COOKIE, c);
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
        for c in headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            if let Some((k, v)) = c.split(';').next().unwrap_or("").split_once('=') {
                if c.contains("Max-Age=0") {
                    b.jar.remove(k);
                } else {
                    b.jar.insert(k.into(), v.into());
                }
            }
        }
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        Got {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub(super) async fn get(&self, b: &mut Browser, path: &str) -> Got {
        self.send(b, Request::builder().uri(path), Body::empty())
            .await
    }

    pub(super) async fn post(&self, b: &mut Browser, path: &str, pairs: &[(&str, &str)]) -> Got {
        let r = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header("sec-fetch-site", "same-origin");
        self.send(b, r, Body::from(encode(pairs))).await
    }

    pub(super) async fn signed_in(&self, name: &str) -> Browser {
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
                    ("password", PW),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        b
    }

    /// Posts a form of a page, with the page's token.
    pub(super) async fn submit(
        &self,
        b: &mut Browser,
        page: &str,
        action: &str,
        pairs: &[(&str, &str)],
    ) -> Got {
        let p = self.get(b, page).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        let token = hidden(&p.body, "csrf_token");
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(pairs);
        self.post(b, action, &all).await
    }

    pub(super) async fn event_count(&self, number: &str) -> usize {
        application::show(&self.app, number, TODAY)
            .await
            .expect("case")
            .events
            .len()
    }
}

db_test!(
    dashboard_counts_due_overdue_online_and_the_report_deadline,
    |db| async move {
        let site = Site::new(db).await;
        site.case("张三", date!(2024 - 03 - 01)).await; // due 2024-03-29: overdue
        site.case("李四", date!(2024 - 04 - 10)).await; // due 2024-05-10: 4 working days left
        site.case("王五", TODAY).await; // due in June
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
        application::online::submit_online(
            &site.app,
            site.agency_a,
            "key-0123456789abcdef",
            &form.parse(TODAY).expect("form"),
            T0,
        )
        .await
        .expect("submitted");
        let mut b = site.signed_in("zhangwei").await;
        let d = site.get(&mut b, "/staff").await;
        assert_eq!(d.status, StatusCode::OK, "{}", d.body);
        for want in [
            "id=\"count-overdue\">1<",
            "id=\"count-due-soon\">1<",
            "id=\"count-online\">1<",
            "id=\"count-secrecy\">0<",
            "id=\"count-review\">0<",
            "2024年度报告应于2025-01-31前公布",
            "退出登录",
            "您好，",
        ] {
            assert!(d.body.contains(want), "{want} in {}", d.body);
        }
        // 1 February onwards: this year's report, due next 31 January.
        let wider = site.get(&mut b, "/staff?days=20").await;
        assert!(
            wider.body.contains("id=\"count-due-soon\">2<"),
            "{}",
            wider.body
        );
        assert!(!d.body.contains("<script"));
        let bad = site.get(&mut b, "/staff?days=x").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        // Another agency's clerk sees none of it.
        let mut other = site.signed_in("lisi").await;
        let o = site.get(&mut other, "/staff").await;
        assert!(o.body.contains("id=\"count-overdue\">0<"), "{}", o.body);
        assert!(o.body.contains("id=\"count-online\">0<"), "{}", o.body);
    }
);

db_test!(
    list_filters_search_and_masks_and_a_reveal_is_recorded,
    |db| async move {
        let site = Site::new(db).await;
        let a = site.case("张三", date!(2024 - 03 - 01)).await;
        let _b = site.case("李四", date!(2024 - 04 - 10)).await;
        let mut b = site.signed_in("zhangwei").await;
        let all = site.get(&mut b, "/staff/cases").await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        assert!(all.body.contains("共2件"), "{}", all.body);
        assert!(all.body.contains("110105********002X"), "{}", all.body);
        assert!(all.body.contains("138****5678"));
        assert!(!all.body.contains(ID) && !all.body.contains(PHONE));
        for (q, n) in [
            ("/staff/cases?q=%E5%BC%A0%E4%B8%89", 1), // 张三
            ("/staff/cases?due=overdue", 1),
            ("/staff/cases?due=soon&days=5", 1),
            ("/staff/cases?status=processing", 2),
            ("/staff/cases?status=concluded", 0),
            ("/staff/cases?channel=in_person&year=2024", 2),
            ("/staff/cases?year=2023", 0),
            ("/staff/cases?outcome=denied", 0),
        ] {
            let got = site.get(&mut b, q).await;
            assert_eq!(got.status, StatusCode::OK, "{q}");
            assert!(got.body.contains(&format!("共{n}件")), "{q}: {}", got.body);
        }
        let by_number = site.get(&mut b, &format!("/staff/cases?q={a}")).await;
        assert!(by_number.body.contains("共1件") && by_number.body.contains(&a));
        assert_eq!(
            site.get(&mut b, "/staff/cases?outcome=nonsense")
                .await
                .status,
            StatusCode::BAD_REQUEST
        );

        // The case page masks too, until the full values are asked for; that is recorded.
        let page = format!("/staff/cases/{a}");
        let p = site.get(&mut b, &page).await;
        assert!(p.body.contains("110105********002X") && !p.body.contains(ID));
        let shown = site
            .submit(&mut b, &page, &format!("{page}/reveal"), &[])
            .await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert!(shown.body.contains(ID) && shown.body.contains(PHONE));
        assert!(shown.body.contains("本次查看已记录"));
        let clerk = user::actor(&site.app, Some("zhangwei"))
            .await
            .expect("clerk");
        let seen = application::identity_accesses(&site.app, &clerk, &a)
            .await
            .expect("accesses");
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].user_id, clerk.id.get());
        // A reveal without the token is refused and not recorded.
        let forged = site.post(&mut b, &format!("{page}/reveal"), &[]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let seen = application::identity_accesses(&site.app, &clerk, &a)
            .await
            .expect("accesses");
        assert_eq!(seen.len(), 1);
    }
);

db_test!(
    a_paper_application_is_registered_through_the_form,
    |db| async move {
        let site = Site::new(db).await;
        let mut b = site.signed_in("zhangwei").await;
        let form = site.get(&mut b, "/staff/cases/new").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("<label for=\"arrived_on\">"));
        assert!(!form.body.contains("<script"));
        let agency = site.agency_a.get().to_string();
        let fields = [
            ("agency", agency.as_str()),
            ("channel", "mail"),
            ("arrived_on", "2024-05-06"),
            ("applicant_type", "natural_person"),
            ("name", "钱七"),
            ("id_type", "resident_id_card"),
            ("id_number", ID),
            ("phone", PHONE),
            ("address", "张店区人民西路1号"),
            ("description", "2023年政府采购合同"),
            ("media", "paper"),
            ("delivery", "post"),
        ];
        // A bad ID number: the field's message, nothing stored.
        let mut wrong = fields.to_vec();
        wrong[6] = ("id_number", "110105194912310021");
        let refused = site
            .submit(&mut b, "/staff/cases/new", "/staff/cases/new", &wrong)
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(refused.body.contains("钱七"), "values kept");
        let list = site.get(&mut b, "/staff/cases").await;
        assert!(list.body.contains("共0件"));
        let done = site
            .submit(&mut b, "/staff/cases/new", "/staff/cases/new", &fields)
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = site.get(&mut b, done.location()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("钱七") && page.body.contains("邮寄"));
        assert!(page.body.contains("2024-05-06"));
    }
);

db_test!(
    the_story_confirm_supplement_decide_deliver_through_the_pages,
    |db| async move {
        let site = Site::new(db).await;
        let form = OnlineForm {
            applicant_type: "natural_person".into(),
            name: "赵六".into(),
            id_type: "resident_id_card".into(),
            id_number: ID.into(),
            phone: PHONE.into(),
            address: "张店区人民西路1号".into(),
            description: "2023年部门预算".into(),
            delivery: "post".into(),
            media: vec!["paper".into()],
            ..OnlineForm::default()
        };
        let receipt = application::online::submit_online(
            &site.app,
            site.agency_a,
            "key-0123456789abcdef",
            &form.parse(TODAY).expect("form"),
            T0,
        )
        .await
        .expect("submitted");
        let n = receipt.number;
        let mut b = site.signed_in("zhangwei").await;
        let pending = site.get(&mut b, "/staff/online").await;
        assert!(pending.body.contains(&n), "{}", pending.body);
        let ok = site
            .submit(
                &mut b,
                "/staff/online",
                &format!("/staff/online/{n}/confirm"),
                &[("on", "2024-05-06")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert_eq!(ok.location(), format!("/staff/cases/{n}"));
        let page = format!("/staff/cases/{n}");
        let ev = |k: &str| format!("/staff/cases/{n}/events/{k}");
        let steps: [(&str, Vec<(&str, &str)>); 4] = [
            (
                "supplement-requested",
                vec![
                    ("on", "2024-05-06"),
                    ("items", "文件的名称或文号"),
                    ("period", "10"),
                    ("sent_by", "in_person"),
                ],
            ),
            ("supplement-received", vec![("on", "2024-05-06")]),
            (
                "decided",
                vec![
                    ("on", "2024-05-06"),
                    ("outcome", "partial"),
                    (
                        "legal_basis",
                        "《中华人民共和国政府信息公开条例》第三十七条",
                    ),
                ],
            ),
            (
                "reply-delivered",
                vec![("on", "2024-05-06"), ("method", "post")],
            ),
        ];
        for (k, pairs) in steps {
            let got = site.submit(&mut b, &page, &ev(k), &pairs).await;
            assert_eq!(got.status, StatusCode::SEE_OTHER, "{k}: {}", got.body);
        }
        let p = site.get(&mut b, &page).await;
        assert!(p.body.contains("id=\"case-status\">已办结"), "{}", p.body);
        assert!(p.body.contains("部分公开"));
        for e in ["告知补正", "收到补正", "作出答复", "送达答复"] {
            assert!(p.body.contains(e), "{e}");
        }
        let docx = site
            .get(&mut b, &format!("/staff/cases/{n}/letters/reply.docx"))
            .await;
        assert_eq!(docx.status, StatusCode::OK);
        assert!(
            docx.headers[header::CONTENT_TYPE]
                .to_str()
                .expect("ct")
                .contains("wordprocessingml")
        );
        let html = site
            .get(&mut b, &format!("/staff/cases/{n}/letters/reply.html"))
            .await;
        assert_eq!(html.status, StatusCode::OK);
        assert!(html.body.contains("部分公开"), "{}", html.body);
        let supp = site
            .get(&mut b, &format!("/staff/cases/{n}/letters/supplement.html"))
            .await;
        assert_eq!(supp.status, StatusCode::OK);
        // A letter the case has not issued.
        let none = site
            .get(&mut b, &format!("/staff/cases/{n}/letters/fee.html"))
            .await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
    }
);

db_test!(
    a_refused_event_shows_the_reason_keeps_the_form_and_writes_nothing,
    |db| async move {
        let site = Site::new(db).await;
        let n = site.case("张三", date!(2024 - 04 - 10)).await;
        let mut b = site.signed_in("zhangwei").await;
        let page = format!("/staff/cases/{n}");
        // The state machine: a second extension is refused.
        let ext = format!("{page}/events/extension-approved");
        let first = site
            .submit(
                &mut b,
                &page,
                &ext,
                &[("on", "2024-05-06"), ("days", "10"), ("approver", "李主任")],
            )
            .await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
        let before = site.event_count(&n).await;
        // A second extension: refused with the reason, the values kept.
        let refused = site
            .submit(
                &mut b,
                &page,
                &format!("{page}/events/extension-approved"),
                &[
                    ("on", "2024-05-06"),
                    ("days", "15"),
                    ("approver", "王副主任"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.body.contains("不得再次延期"), "{}", refused.body);
        assert!(refused.body.contains("value=\"王副主任\""), "values kept");
        assert_eq!(site.event_count(&n).await, before);
        // A field error: the decision without its legal basis.
        let missing = site
            .submit(
                &mut b,
                &page,
                &format!("{page}/events/decided"),
                &[("on", "2024-05-06"), ("outcome", "granted")],
            )
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("请填写法律依据"), "{}", missing.body);
        assert_eq!(site.event_count(&n).await, before);
        // An unknown form.
        let unknown = site
            .submit(&mut b, &page, &format!("{page}/events/nonsense"), &[])
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
);

db_test!(
    scope_another_agency_is_404_no_entry_is_403_no_token_is_403,
    |db| async move {
        let site = Site::new(db).await;
        let n = site.case("张三", date!(2024 - 04 - 10)).await;
        let page = format!("/staff/cases/{n}");
        let withdraw = format!("{page}/events/withdrawn");
        // Another agency's clerk: the case does not exist, for reading and for writing.
        let mut other = site.signed_in("lisi").await;
        assert_eq!(
            site.get(&mut other, &page).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            site.get(&mut other, &format!("{page}/letters/receipt.html"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let home = site.get(&mut other, "/staff").await;
        let token = hidden(&home.body, "csrf_token");
        let got = site
            .post(
                &mut other,
                &withdraw,
                &[("csrf_token", &token), ("on", "2024-05-06")],
            )
            .await;
        assert_eq!(got.status, StatusCode::NOT_FOUND);
        let list = site.get(&mut other, "/staff/cases").await;
        assert!(list.body.contains("共0件") && !list.body.contains(&n));
        // A reviewer of the same agency reads but may not record: 403.
        let mut reviewer = site.signed_in("wangwu").await;
        let p = site.get(&mut reviewer, &page).await;
        assert_eq!(p.status, StatusCode::OK);
        assert!(p.body.contains("无权登记办理事项"), "{}", p.body);
        let token = hidden(&p.body, "csrf_token");
        let got = site
            .post(
                &mut reviewer,
                &withdraw,
                &[("csrf_token", &token), ("on", "2024-05-06")],
            )
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN, "{}", got.body);
        // The region's supervisor sees the agencies below, read-only.
        let mut sup = site.signed_in("zhao").await;
        let p = site.get(&mut sup, &page).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        let token = hidden(&p.body, "csrf_token");
        let got = site
            .post(
                &mut sup,
                &withdraw,
                &[("csrf_token", &token), ("on", "2024-05-06")],
            )
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN);
        // The clerk without the token: 403, nothing written.
        let mut clerk = site.signed_in("zhangwei").await;
        let got = site
            .post(&mut clerk, &withdraw, &[("on", "2024-05-06")])
            .await;
        assert_eq!(got.status, StatusCode::FORBIDDEN);
        assert_eq!(site.event_count(&n).await, 0);
    }
);

db_test!(
    online_confirmation_keeps_to_the_write_scope,
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
        let n = application::online::submit_online(
            &site.app,
            site.agency_a,
            "key-0123456789abcdef",
            &form.parse(TODAY).expect("form"),
            T0,
        )
        .await
        .expect("submitted")
        .number;
        let confirm = format!("/staff/online/{n}/confirm");
        let reject = format!("/staff/online/{n}/reject");
        // The region's supervisor with 录入 sees it, without forms, and may not decide it.
        let mut sup = site.signed_in("zhaoluru").await;
        let list = site.get(&mut sup, "/staff/online").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains(&n), "{}", list.body);
        assert!(!list.body.contains(&confirm), "no form: {}", list.body);
        assert!(list.body.contains("无权处理"), "{}", list.body);
        let token = hidden(&list.body, "csrf_token");
        for (path, extra) in [
            (&confirm, ("on", "2024-05-06")),
            (&reject, ("reason", "广告")),
        ] {
            let got = site
                .post(
                    &mut sup,
                    path,
                    &[("csrf_token", &token), ("on", "2024-05-06"), extra],
                )
                .await;
            assert_eq!(got.status, StatusCode::FORBIDDEN, "{path}: {}", got.body);
        }
        // Another agency's clerk: the submission does not exist.
        let mut other = site.signed_in("lisi").await;
        let home = site.get(&mut other, "/staff").await;
        let token = hidden(&home.body, "csrf_token");
        for (path, extra) in [
            (&confirm, ("on", "2024-05-06")),
            (&reject, ("reason", "广告")),
        ] {
            let got = site
                .post(
                    &mut other,
                    path,
                    &[("csrf_token", &token), ("on", "2024-05-06"), extra],
                )
                .await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}: {}", got.body);
        }
        // Nothing was decided: the agency's own clerk confirms it.
        let mut clerk = site.signed_in("zhangwei").await;
        let ok = site
            .submit(
                &mut clerk,
                "/staff/online",
                &confirm,
                &[("on", "2024-05-06")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert_eq!(ok.location(), format!("/staff/cases/{n}"));
    }
);
