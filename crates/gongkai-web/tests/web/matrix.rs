//! The authorisation matrix (docs/security.md#authorisation): every route the router serves
//! (read from the router, `routes::served`, so a new route cannot be missed: it fails here
//! until it has a row in [`policy`]) × every kind of user × an object of their own agency and
//! one of another agency in another region. Anonymous callers are sent to sign in (pages) or
//! get 401 (API); a user without the role gets 403; an object out of scope is 404 on a read
//! and never a success on a change; a region's supervisor never changes anything; nothing
//! answers 5xx.

use super::office_kit::{Browser, Got, Site, T0};
use crate::routes::{Route, served};
use axum::body::Body;
use axum::http::{Request, header};
use gongkai_app::application::online;
use gongkai_app::{api_token, catalog, user};
use gongkai_core::application::OnlineForm;
use gongkai_core::catalog::ItemInput;
use gongkai_core::user::Role;
use gongkai_store::db_test;
use time::macros::date;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Anyone, signed in or not (the portal, the citizen's pages).
    Public,
    /// Any signed-in staff user, of any role.
    Staff,
    /// A staff user with one of these roles (no role stands in for another: 三权分立).
    Role(&'static [Role]),
}

const ENTRY: &[Role] = &[Role::Entry];
const ADMIN: &[Role] = &[Role::Admin];
const SECURITY: &[Role] = &[Role::Security];
const AUDIT: &[Role] = &[Role::Audit];
const REVIEWERS: &[Role] = &[Role::Review, Role::Secrecy, Role::Head];
/// Who records remedy cases (行政复议, 行政诉讼): 录入, 审核 or 负责人.
const REMEDY: &[Role] = &[Role::Entry, Role::Review, Role::Head];
/// A region's supervisor (监督).
const SUPERVISE: &[Role] = &[Role::Supervise];
/// Who starts a periodic review (定期清理): 录入 or 审核.
const CLEANUP: &[Role] = &[Role::Entry, Role::Review];

/// The policy of every route by its registered path (the same for all its methods unless the
/// method is named). A route missing here fails the test.
fn policy(method: &str, path: &str) -> Option<Need> {
    use Need::*;
    let staff_or_api =
        |p: &str| p.starts_with("/staff/") || p == "/staff" || p.starts_with("/api/v1/");
    Some(match (method, path) {
        (_, "/staff/signin" | "/staff/signin/code") | ("POST", "/staff/signout") => Public,
        (_, "/staff/account" | "/staff/account/second-factor") => Staff,
        (_, "/api/v1/status") | (_, "/api/v1/openapi.json") => Public,
        (_, p) if !staff_or_api(p) => Public,
        (
            "GET",
            "/staff"
            | "/staff/cases"
            | "/staff/cases/{number}"
            | "/api/v1/me"
            | "/api/v1/cases"
            | "/api/v1/cases/{number}"
            | "/staff/cases/{number}/letters/{file}"
            | "/staff/catalog/items"
            | "/staff/catalog/items/{id}"
            | "/api/v1/items/{id}"
            | "/api/v1/agencies/{agency}/items"
            | "/staff/catalog/items/{id}/form"
            | "/staff/catalog/items/{id}/form.docx"
            | "/staff/catalog/documents",
        ) => Staff,
        ("POST", "/staff/cases/{number}/reveal" | "/api/v1/cases/{number}/reveal") => {
            Role(&gongkai_core::user::Role::OFFICE)
        }
        ("GET", "/staff/catalog/review") => Role(REVIEWERS),
        (_, "/staff/admin/agencies" | "/staff/admin/settings") => Role(ADMIN),
        (_, "/staff/audit-log") => Role(AUDIT),
        (
            _,
            "/staff/admin/users"
            | "/staff/admin/users/{name}/disable"
            | "/staff/admin/users/{name}/password"
            | "/staff/admin/users/{name}/roles"
            | "/staff/admin/users/{name}/second-factor/reset",
        ) => Role(SECURITY),
        (_, "/staff/cases/new" | "/staff/online" | "/api/v1/online") => Role(ENTRY),
        (
            "POST",
            "/staff/cases/{number}/events/{form}"
            | "/staff/cases/{number}/query-code"
            | "/staff/online/{number}/confirm"
            | "/staff/online/{number}/reject"
            | "/staff/online/{number}/query-code"
            | "/api/v1/cases"
            | "/api/v1/cases/{number}/events/{form}"
            | "/api/v1/cases/{number}/query-code"
            | "/api/v1/online/{number}/confirm"
            | "/api/v1/online/{number}/reject"
            | "/staff/catalog/items"
            | "/staff/catalog/items/{id}/edit"
            | "/staff/catalog/items/{id}/attachments"
            | "/api/v1/agencies/{agency}/items",
        ) => Role(ENTRY),
        ("GET", "/staff/catalog/items/new" | "/staff/catalog/items/{id}/edit") => Role(ENTRY),
        ("PUT", "/api/v1/items/{id}") => Role(ENTRY),
        // The workflow's steps need the step's own role (checked per action); 有效性 and the
        // 指南/制度 need 录入 or 审核.
        (
            "POST",
            "/staff/catalog/items/{id}/act"
            | "/api/v1/items/{id}/actions"
            | "/staff/catalog/items/{id}/validity"
            | "/staff/catalog/documents",
        ) => Staff,
        ("GET", "/staff/catalog/documents/edit") => Staff,
        ("GET", "/staff/remedies" | "/staff/remedies/{remedy}") => Staff,
        // Work records: read in scope, recorded and removed by 录入 (docs/work-records.md).
        ("GET", "/staff/work" | "/staff/proposals" | "/staff/organisation") => Staff,
        (
            "POST",
            "/staff/organisation/appointments"
            | "/staff/organisation/appointments/{id}/end"
            | "/staff/organisation/assessments"
            | "/staff/organisation/results/{id}/rectify"
            | "/staff/work"
            | "/staff/work/{id}/remove"
            | "/staff/proposals"
            | "/staff/proposals/{id}/reply",
        ) => Role(ENTRY),
        (_, "/staff/remedies/new") | ("POST", "/staff/remedies/{remedy}/decide") => Role(REMEDY),
        // 公众评议: read and decided by 录入 in scope (docs/feedback.md).
        ("GET", "/staff/feedback") | ("POST", "/staff/feedback/{id}/moderate") => Role(ENTRY),
        // 定期清理: read in scope; started by 录入 or 审核; each decision needs its own role
        // (docs/cleanup.md).
        ("GET", "/staff/cleanup" | "/staff/cleanup/{id}") => Staff,
        ("POST", "/staff/cleanup") => Role(CLEANUP),
        ("POST", "/staff/cleanup/{id}/items/{item}") => Staff,
        // The annual report: every staff user reads the reports in scope; each step and each
        // section's edit checks its own roles (docs/back-office.md#the-annual-report).
        (
            _,
            "/staff/reports"
            | "/staff/reports/{agency}/{year}"
            | "/staff/reports/{agency}/{year}/draft/{format}"
            | "/staff/reports/{agency}/{year}/narrative"
            | "/staff/reports/{agency}/{year}/step",
        ) => Staff,
        // Supervision: a supervisor without an agency of their own (docs/supervision.md).
        (
            _,
            "/staff/supervision"
            | "/staff/supervision/rollup"
            | "/staff/supervision/cell"
            | "/staff/supervision/rollup/{format}"
            | "/staff/supervision/export/{format}"
            | "/staff/supervision/import"
            | "/staff/supervision/units/{agency}/{year}"
            | "/staff/supervision/units/{agency}/{year}/review"
            | "/staff/supervision/units/{agency}/{year}/cell"
            | "/api/v1/units/{agency}/{year}/cells/{cell}"
            | "/api/v1/regions/{region}/units"
            | "/api/v1/regions/{region}/rollup"
            | "/api/v1/regions/{region}/cells/{cell}",
        ) => Role(SUPERVISE),
        _ => return None,
    })
}

/// The users of the matrix: name, roles, whether they oversee a region (read-only).
const WHO: [(&str, bool); 5] = [
    ("luru", false),   // 录入, 张店区某局
    ("shenhe", false), // 审核, 张店区某局
    ("guanli", false), // 系统管理员 of the installation
    ("jiandu", true),  // 监督 + 录入 of 张店区 (region)
    ("", false),       // anonymous
];

fn roles_of(name: &str) -> &'static [Role] {
    match name {
        "luru" => &[Role::Entry],
        "shenhe" => &[Role::Review],
        "guanli" => &[Role::Admin],
        "jiandu" => &[Role::Supervise, Role::Entry],
        _ => &[],
    }
}

/// Objects of one agency: its id and region, a case, a pending online submission, an item.
struct Objects {
    agency: i64,
    region: i64,
    case: String,
    pending: String,
    item: i64,
    /// A remedy case's number, percent-encoded for an address.
    remedy: String,
    /// A periodic review campaign (定期清理).
    campaign: i64,
}

async fn objects(site: &Site, agency_name: &str, clerk: &str, key: &str) -> Objects {
    let a = gongkai_app::agency::list(&site.app)
        .await
        .expect("agencies")
        .into_iter()
        .find(|a| a.agency.name == agency_name)
        .expect("agency")
        .agency;
    let form = OnlineForm {
        applicant_type: "natural_person".into(),
        name: "赵六".into(),
        id_type: "resident_id_card".into(),
        id_number: "11010519491231002X".into(),
        phone: "13812345678".into(),
        address: "人民西路1号".into(),
        description: "2023年部门预算".into(),
        delivery: "post".into(),
        media: vec!["paper".into()],
        ..OnlineForm::default()
    };
    let today = date!(2024 - 05 - 06);
    let parsed = form.parse(today).expect("form");
    let mut numbers = Vec::new();
    for k in ["a", "b"] {
        let r = online::submit_online(
            &site.app,
            a.id,
            &format!("{key}-{k}-0123456789"),
            &parsed,
            T0,
        )
        .await
        .expect("submitted");
        numbers.push(r.number);
    }
    let actor = user::actor(&site.app, Some(clerk)).await.expect("clerk");
    online::confirm_online(&site.app, &actor, &numbers[0], today, today)
        .await
        .expect("confirmed");
    let item = catalog::create_item(
        &site.app,
        &actor,
        a.id,
        &ItemInput {
            title: "关于政府信息公开工作的通知".into(),
            publisher: agency_name.into(),
            formed_on: Some(today),
            changed_on: None,
            doc_number: None,
            subject: None,
            column: "政策文件".into(),
            genre: None,
            summary: "通知。".into(),
            body_html: "<p>正文。</p>".into(),
            keywords: vec![],
            normative: None,
            interprets: None,
        },
        T0,
    )
    .await
    .expect("item");
    let remedy = gongkai_app::remedy::add(
        &site.app,
        &actor,
        gongkai_app::remedy::RemedyInput {
            agency: agency_name.into(),
            kind: gongkai_core::remedy::RemedyKind::Review,
            application: Some(numbers[0].clone()),
            subject: None,
            after_review: None,
            body: "淄博市人民政府".into(),
            filed_on: today,
            case_number: None,
            note: None,
            court_accepted_direct: false,
            override_note: None,
        },
        today,
    )
    .await
    .expect("remedy case");
    let campaign = gongkai_app::cleanup::start(
        &site.app,
        &actor,
        &gongkai_app::cleanup::CampaignInput {
            agency: agency_name.into(),
            title: None,
            rules: gongkai_core::cleanup::ReviewRules::default(),
        },
        today,
        T0,
    )
    .await
    .expect("cleanup campaign");
    Objects {
        agency: a.id.get(),
        region: a.region_id.get(),
        case: numbers[0].clone(),
        pending: numbers[1].clone(),
        item: item.item.id.get(),
        remedy: path_encode(&remedy.number),
        campaign: campaign.summary.id,
    }
}

/// A path segment percent-encoded (a remedy case's number holds Chinese characters).
fn path_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The address of `path` with `o`'s objects in it.
fn address(path: &str, o: &Objects) -> String {
    let number = if path.contains("/online/") {
        &o.pending
    } else {
        &o.case
    };
    path.replace(
        "/staff/cleanup/{id}",
        &format!("/staff/cleanup/{}", o.campaign),
    )
    .replace("{agency}", &o.agency.to_string())
    .replace("{region}", &o.region.to_string())
    .replace("{number}", number)
    .replace("{id}", &o.item.to_string())
    .replace("{remedy}", &o.remedy)
    .replace("{item}", &o.item.to_string())
    .replace("{form}", "supplement-requested")
    .replace("{file}", "reply.html")
    .replace("{name}", "luru")
    .replace("{year}", "2024")
    .replace("{format}", "json")
    .replace("{cell}", "table3.granted.total")
    .replace("{attachment}", "1")
    .replace("{ticket}", "0")
    .replace("{name}", "site.css")
}

/// Whether the path names an object of an agency (so the other agency's is out of scope).
fn scoped(path: &str) -> bool {
    ["{number}", "{id}", "{agency}", "{remedy}"]
        .iter()
        .any(|p| path.contains(p))
        && !path.starts_with("/agencies/")
}

struct Caller {
    name: &'static str,
    browser: Browser,
    token: Option<String>,
    csrf: Option<String>,
}

/// A request as `c`: a page POST carries the session's form token and the agency of the
/// objects (so a form that first asks which agency goes on to the change itself).
async fn request(site: &Site, c: &mut Caller, method: &str, uri: &str, agency: i64) -> Got {
    let mut r = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::ORIGIN, "http://gk.example")
        .header("sec-fetch-site", "same-origin");
    let api = uri.starts_with("/api/");
    if api && let Some(t) = &c.token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = if method == "GET" {
        Body::empty()
    } else if api {
        r = r.header(header::CONTENT_TYPE, "application/json");
        Body::from("{}")
    } else {
        r = r.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        Body::from(format!(
            "csrf_token={}&agency={agency}&op=save",
            c.csrf.clone().unwrap_or_default()
        ))
    };
    site.send(&mut c.browser, r, body).await
}

fn has_any(name: &str, need: &[Role]) -> bool {
    let roles = roles_of(name);
    need.iter().any(|r| roles.contains(r))
}

db_test!(
    as_authz_every_route_every_role_every_scope,
    |db| async move {
        let site = Site::new(db).await;
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
        gongkai_app::auth::set_password(
            &site.app,
            &site.security,
            "jiandu",
            crate::office_kit::PW,
            T0,
        )
        .await
        .expect("password");
        let own = objects(&site, "张店区某局", "luru", "own").await;
        let other = objects(&site, "淄川区某局", "qita", "oth").await;
        let routes: Vec<Route> = served(&site).await;

        let mut failures = Vec::new();
        for (name, supervisor) in WHO {
            let mut c = Caller {
                name,
                browser: Browser::default(),
                token: None,
                csrf: None,
            };
            if !name.is_empty() {
                c.browser = site.signed_in(name).await;
                c.csrf = Some(site.token(&mut c.browser).await);
                c.token = Some(
                    api_token::issue(&site.app, &site.security, name, "矩阵", None, T0)
                        .await
                        .expect("token")
                        .token,
                );
            }
            for r in &routes {
                for m in &r.methods {
                    if r.path == "/staff/signout" {
                        continue; // would end the session the rest of the walk uses
                    }
                    let Some(need) = policy(m, &r.path) else {
                        failures.push(format!("{m} {}: no row in the matrix's policy", r.path));
                        continue;
                    };
                    for (scope, o) in [("own", &own), ("other", &other)] {
                        if scope == "other" && !scoped(&r.path) {
                            continue;
                        }
                        let uri = address(&r.path, o);
                        let got = request(&site, &mut c, m, &uri, o.agency).await;
                        let s = got.status.as_u16();
                        let api = r.path.starts_with("/api/");
                        let changes = m != "GET";
                        let success = (200..300).contains(&s)
                            || (s == 303 && !got.location().starts_with("/staff/signin"));
                        let cell = format!(
                            "{m} {uri} as {} ({scope}): {s} {}",
                            if name.is_empty() { "anonymous" } else { name },
                            got.location()
                        );
                        let mut bad = |why: &str| failures.push(format!("{cell} — {why}"));
                        if s >= 500 {
                            bad("a server error");
                            continue;
                        }
                        if need == Need::Public {
                            if s == 401 || s == 403 && !changes {
                                bad("a public route refused");
                            }
                            continue;
                        }
                        if c.name.is_empty() {
                            let sent = if api {
                                s == 401
                            } else {
                                s == 303 && got.location().starts_with("/staff/signin")
                            };
                            if !sent {
                                bad("anonymous not sent to sign in / 401");
                            }
                            continue;
                        }
                        let role_ok = match need {
                            Need::Role(roles) => has_any(c.name, roles),
                            _ => true,
                        };
                        if !role_ok {
                            if s != 403 && !(scope == "other" && s == 404) {
                                bad("a missing role not refused with 403");
                            }
                            continue;
                        }
                        if scope == "other" && !c.name.eq("guanli") {
                            if changes {
                                if success {
                                    bad("a change to another agency's object succeeded");
                                }
                            } else if s != 404 {
                                bad("another agency's object not 404");
                            }
                            continue;
                        }
                        if supervisor && changes && !r.path.ends_with("/reveal") && success {
                            bad("a region's supervisor changed something");
                            continue;
                        }
                        if !changes
                            && (s == 401 || s == 403 || (s == 404 && !r.path.contains("{file}")))
                            && !(supervisor && s == 403)
                        {
                            bad("refused though allowed");
                        }
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} cells wrong:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
);
