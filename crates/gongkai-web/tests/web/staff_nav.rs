//! The staff navigation over HTTP, on both backends (docs/back-office.md#the-staff-navigation):
//! for a 录入-only user, a 审核 user and a 管理员, every staff page they may open shows exactly
//! the sections their roles allow, the current one marked `aria-current="page"`, their display
//! name and the sign-out button; each link answers 200, and each section left out answers 403.

use super::office_kit::{Browser, Site, draft, hidden};
use axum::http::StatusCode;
use gongkai_store::db_test;

/// One link of the navigation: label, href, whether it is marked current.
type Link = (String, String, bool);

/// The links of the page's staff navigation (the main list, not the sub-navigation).
fn nav_links(body: &str) -> Vec<Link> {
    let start = body
        .find("<nav class=\"staff-nav\" aria-label=\"工作人员导航\">")
        .unwrap_or_else(|| panic!("no staff navigation in {body}"));
    let list = &body[start..];
    let list = &list[list.find("<ul class=\"staff-nav-links\">").expect("links")..];
    let list = &list[..list.find("</ul>").expect("end of links")];
    links_of(list)
}

/// The links of the sub-navigation named `label`, if the page has one.
fn sub_links(body: &str, label: &str) -> Option<Vec<Link>> {
    let at = body.find(&format!(
        "<nav class=\"staff-nav-sub\" aria-label=\"{label}\">"
    ))?;
    let list = &body[at..];
    Some(links_of(
        &list[..list.find("</ul>").expect("end of sub-navigation")],
    ))
}

fn links_of(list: &str) -> Vec<Link> {
    list.split("<li>")
        .skip(1)
        .map(|li| {
            let href = &li[li.find("href=\"").expect("href") + 6..];
            let href = href[..href.find('"').expect("end of href")].replace("&amp;", "&");
            let label = &li[li.find('>').expect("tag") + 1..];
            let label = label[..label.find("</a>").expect("end of a")].to_string();
            (label, href, li.contains("aria-current=\"page\""))
        })
        .collect()
}

/// Every section's link and the page it opens, in the navigation's order.
const SECTIONS: [(&str, &str); 10] = [
    ("工作台", "/staff"),
    ("申请办理", "/staff/cases"),
    ("登记申请", "/staff/cases/new"),
    ("网上申请", "/staff/online"),
    ("目录管理", "/staff/catalog/items"),
    ("审核队列", "/staff/catalog/review"),
    ("指南与制度", "/staff/catalog/documents"),
    ("公众评议", "/staff/feedback"),
    ("年度报告", "/staff/reports"),
    ("系统管理", "/staff/admin/users"),
];

struct Expect<'a> {
    user: &'a str,
    display: &'a str,
    /// The sections shown, with the href of each.
    links: &'a [(&'a str, &'a str)],
    /// Further pages of the user and the section each belongs to.
    pages: Vec<(String, &'a str)>,
}

async fn check(site: &Site, e: Expect<'_>) {
    let mut b = site.signed_in(e.user).await;
    let want: Vec<(String, String)> = e
        .links
        .iter()
        .map(|(l, h)| (l.to_string(), h.to_string()))
        .collect();
    let mut pages: Vec<(String, &str)> = e.links.iter().map(|(l, h)| (h.to_string(), *l)).collect();
    pages.extend(e.pages);
    for (path, section) in &pages {
        let got = site.get(&mut b, path).await;
        assert_eq!(
            got.status,
            StatusCode::OK,
            "{} {path}: {}",
            e.user,
            got.body
        );
        let links = nav_links(&got.body);
        let shown: Vec<(String, String)> = links
            .iter()
            .map(|(l, h, _)| (l.clone(), h.clone()))
            .collect();
        assert_eq!(shown, want, "{} {path}", e.user);
        let current: Vec<&str> = links
            .iter()
            .filter(|(_, _, c)| *c)
            .map(|(l, _, _)| l.as_str())
            .collect();
        assert_eq!(
            current,
            [*section],
            "{} {path}: the current section",
            e.user
        );
        assert!(
            got.body
                .contains(&format!("class=\"staff-nav-name\">{}<", e.display)),
            "{} {path}: the display name",
            e.user
        );
        let nav = &got.body[got.body.find("工作人员导航").expect("nav")..];
        assert!(
            nav.starts_with("工作人员导航\">")
                && nav.contains(
                    "<form class=\"staff-nav-user\" method=\"post\" action=\"/staff/signout\">"
                )
                && nav.contains(">退出登录</button>"),
            "{} {path}: the sign-out button",
            e.user
        );
        assert!(!got.body.contains("<script"), "no script");
    }
    // Each link shown opens for this user; each section left out is refused.
    for (label, href) in e.links {
        let got = site.get(&mut b, href).await;
        assert_eq!(got.status, StatusCode::OK, "{} {label} {href}", e.user);
    }
    for (label, href) in SECTIONS {
        if !e.links.iter().any(|(l, _)| *l == label) {
            let got = site.get(&mut b, href).await;
            assert_eq!(
                got.status,
                StatusCode::FORBIDDEN,
                "{} {label} {href}",
                e.user
            );
        }
    }
}

/// Registers a paper application as the signed-in `b` and returns its page's path.
async fn register(site: &Site, b: &mut Browser) -> String {
    let form = site.get(b, "/staff/cases/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let token = hidden(&form.body, "csrf_token");
    let agency = hidden(
        &form
            .body
            .replace("<option value=", "name=\"agency\" value="),
        "agency",
    );
    let done = site
        .post(
            b,
            "/staff/cases/new",
            &[
                ("csrf_token", &token),
                ("agency", &agency),
                ("channel", "mail"),
                ("arrived_on", "2024-05-06"),
                ("applicant_type", "natural_person"),
                ("name", "钱七"),
                ("id_type", "resident_id_card"),
                ("id_number", "11010519491231002X"),
                ("phone", "13812345678"),
                ("address", "张店区人民西路1号"),
                ("description", "2023年政府采购合同"),
                ("media", "paper"),
                ("delivery", "post"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let path = done.location();
    path[..path.find('?').unwrap_or(path.len())].to_string()
}

db_test!(
    each_user_sees_the_sections_their_roles_open,
    |db| async move {
        let site = Site::new(db).await;
        let mut luru = site.signed_in("luru").await;
        let item = draft(&site, &mut luru, "关于导航测试的通知").await;
        let case = register(&site, &mut luru).await;

        check(
            &site,
            Expect {
                user: "luru",
                display: "李录",
                links: &[
                    ("工作台", "/staff"),
                    ("申请办理", "/staff/cases"),
                    ("登记申请", "/staff/cases/new"),
                    ("网上申请", "/staff/online"),
                    ("目录管理", "/staff/catalog/items"),
                    ("指南与制度", "/staff/catalog/documents"),
                    ("公众评议", "/staff/feedback"),
                    ("年度报告", "/staff/reports"),
                ],
                pages: vec![
                    (case.clone(), "申请办理"),
                    (item.clone(), "目录管理"),
                    (format!("{item}/edit"), "目录管理"),
                    ("/staff/catalog/items/new".into(), "目录管理"),
                    (
                        "/staff/catalog/documents/edit?kind=guide".into(),
                        "指南与制度",
                    ),
                ],
            },
        )
        .await;

        check(
            &site,
            Expect {
                user: "shenhe",
                display: "赵审",
                links: &[
                    ("工作台", "/staff"),
                    ("申请办理", "/staff/cases"),
                    ("目录管理", "/staff/catalog/items"),
                    ("审核队列", "/staff/catalog/review?stage=review"),
                    ("指南与制度", "/staff/catalog/documents"),
                    ("年度报告", "/staff/reports"),
                ],
                pages: vec![
                    (case.clone(), "申请办理"),
                    (item.clone(), "目录管理"),
                    ("/staff/catalog/review?stage=approved".into(), "审核队列"),
                    ("/staff/catalog/review".into(), "审核队列"),
                ],
            },
        )
        .await;

        check(
            &site,
            Expect {
                user: "guanli",
                display: "钱管",
                links: &[
                    ("工作台", "/staff"),
                    ("申请办理", "/staff/cases"),
                    ("目录管理", "/staff/catalog/items"),
                    ("指南与制度", "/staff/catalog/documents"),
                    ("年度报告", "/staff/reports"),
                    ("系统管理", "/staff/admin/agencies"),
                ],
                pages: vec![
                    (case.clone(), "申请办理"),
                    (item.clone(), "目录管理"),
                    ("/staff/admin/agencies".into(), "系统管理"),
                    ("/staff/admin/settings".into(), "系统管理"),
                ],
            },
        )
        .await;
        // The security and audit administrators see their own pages only (三权分立).
        for (user, display, href) in [
            ("anquan", "吴安", "/staff/admin/users"),
            ("shenji", "冯审", "/staff/audit-log"),
        ] {
            check(
                &site,
                Expect {
                    user,
                    display,
                    links: &[("工作台", "/staff"), ("系统管理", href)],
                    pages: vec![(href.to_string(), "系统管理")],
                },
            )
            .await;
        }

        // The sub-navigations: the queues the user may decide, and the administrators' pages,
        // the page shown marked.
        let mut shenhe = site.signed_in("shenhe").await;
        let queue = site
            .get(&mut shenhe, "/staff/catalog/review?stage=approved")
            .await;
        assert_eq!(
            sub_links(&queue.body, "审核队列").expect("queue sub-navigation"),
            [
                (
                    "待审核".to_string(),
                    "/staff/catalog/review?stage=review".to_string(),
                    false
                ),
                (
                    "待发布".to_string(),
                    "/staff/catalog/review?stage=approved".to_string(),
                    true
                ),
            ]
        );
        assert_eq!(
            site.get(&mut shenhe, "/staff/catalog/review?stage=secrecy_review")
                .await
                .status,
            StatusCode::FORBIDDEN,
            "a queue whose decision the user's roles do not allow"
        );
        let mut guanli = site.signed_in("guanli").await;
        let settings = site.get(&mut guanli, "/staff/admin/settings").await;
        let sub = sub_links(&settings.body, "系统管理").expect("admin sub-navigation");
        assert_eq!(
            sub.iter()
                .map(|(l, _, c)| (l.as_str(), *c))
                .collect::<Vec<_>>(),
            [("机关和地区", false), ("栏目和索引号", true)]
        );
        assert!(sub_links(&site.get(&mut guanli, "/staff").await.body, "系统管理").is_none());

        // The sign-out button in the navigation ends the session.
        let page = site.get(&mut luru, "/staff/cases").await;
        let token = hidden(&page.body, "csrf_token");
        let out = site
            .post(&mut luru, "/staff/signout", &[("csrf_token", &token)])
            .await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", out.body);
        let after = site.get(&mut luru, "/staff/cases").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER);
        assert!(after.location().starts_with("/staff/signin"));
    }
);
