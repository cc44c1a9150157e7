//! The staff navigation on every signed-in back-office page (`templates/staff/nav.html`,
//! through `templates/staff/base.html`): a link to each section the user's roles allow —
//! decided by [`Section::check`], the same check the section's page makes — the current
//! section marked, a sub-navigation for the review queues and the administrators' pages, the
//! user's display name and the sign-out button (docs/back-office.md#the-staff-navigation).

use super::Staff;
use crate::WebError;
use gongkai_app::AppError;
use gongkai_app::catalog::access::require_action;
use gongkai_app::catalog::queue::decision;
use gongkai_core::catalog::Stage;
use gongkai_core::user::{Actor, Role};

/// A part of the back office with its own entry in the navigation, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// 工作台 `/staff`.
    Dashboard,
    /// 申请办理 `/staff/cases` and each case's page.
    Cases,
    /// 登记申请 `/staff/cases/new`.
    Register,
    /// 网上申请 `/staff/online`.
    Online,
    /// 目录管理 `/staff/catalog/items`, each item's page and the editor.
    Catalog,
    /// 审核队列 `/staff/catalog/review?stage=…`.
    Review,
    /// 指南与制度 `/staff/catalog/documents` and its editor.
    Documents,
    /// 公众评议 `/staff/feedback`: the portal's feedback and its moderation.
    Feedback,
    /// 年度报告 `/staff/reports` and each report's page.
    Reports,
    /// 监督汇总 `/staff/supervision`: a region's units, the aggregate, reviews.
    Supervision,
    /// 系统管理 `/staff/admin/…`.
    Admin,
}

impl Section {
    pub const ALL: [Section; 11] = [
        Section::Dashboard,
        Section::Cases,
        Section::Register,
        Section::Online,
        Section::Catalog,
        Section::Review,
        Section::Documents,
        Section::Feedback,
        Section::Reports,
        Section::Supervision,
        Section::Admin,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Section::Dashboard => "工作台",
            Section::Cases => "申请办理",
            Section::Register => "登记申请",
            Section::Online => "网上申请",
            Section::Catalog => "目录管理",
            Section::Review => "审核队列",
            Section::Documents => "指南与制度",
            Section::Feedback => "公众评议",
            Section::Reports => "年度报告",
            Section::Supervision => "监督汇总",
            Section::Admin => "系统管理",
        }
    }

    /// The role check of the section's pages: the page refuses (403) whom this refuses, and
    /// the navigation links only where this passes. The other sections let every signed-in
    /// user in; what they list is limited to the user's scope.
    pub fn check(self, actor: &Actor) -> Result<(), AppError> {
        match self {
            Section::Register => gongkai_app::access::require(
                actor,
                Role::Entry,
                "register applications",
                "登记申请",
            ),
            // As `application::online::pending`, which the page calls.
            Section::Online => gongkai_app::access::require(
                actor,
                Role::Entry,
                "list online submissions",
                "查看网上申请",
            ),
            // As `feedback::may_moderate`: the page is its moderators'.
            Section::Feedback => gongkai_app::feedback::may_moderate(actor),
            Section::Review => match review_stages(actor).first() {
                Some(_) => Ok(()),
                None => require_queue(actor, Stage::SecrecyReview),
            },
            Section::Supervision => gongkai_app::supervision::require_supervisor(
                actor,
                "read a region's reports",
                "查阅地区汇总",
            ),
            // Any of the three administrators of 三权分立 (docs/security.md#separation).
            Section::Admin => match admin_pages(actor).first() {
                Some(_) => Ok(()),
                None => gongkai_app::access::require(
                    actor,
                    Role::Admin,
                    "administer the system",
                    "管理系统",
                ),
            },
            Section::Dashboard => Ok(()),
            // The security and audit administrators keep to their own pages (三权分立).
            Section::Cases | Section::Catalog | Section::Documents | Section::Reports => {
                if !actor.roles.is_empty() && !actor.sees_no_records() {
                    Ok(())
                } else {
                    gongkai_app::access::require(
                        actor,
                        Role::Entry,
                        "work on the office's records",
                        "办理业务",
                    )
                }
            }
        }
    }

    fn href(self, actor: &Actor) -> String {
        match self {
            Section::Dashboard => "/staff".into(),
            Section::Cases => "/staff/cases".into(),
            Section::Register => "/staff/cases/new".into(),
            Section::Online => "/staff/online".into(),
            Section::Catalog => "/staff/catalog/items".into(),
            Section::Review => queue_href(
                review_stages(actor)
                    .first()
                    .copied()
                    .unwrap_or(Stage::SecrecyReview),
            ),
            Section::Documents => "/staff/catalog/documents".into(),
            Section::Feedback => "/staff/feedback".into(),
            Section::Reports => "/staff/reports".into(),
            Section::Supervision => "/staff/supervision".into(),
            Section::Admin => admin_pages(actor)
                .first()
                .map_or_else(|| "/staff/admin/agencies".into(), |(_, h)| h.to_string()),
        }
    }
}

/// The administration pages `actor`'s administrator role opens: the 安全管理员's users, the
/// 系统管理员's agencies and catalogue settings, the 审计管理员's log.
pub fn admin_pages(actor: &Actor) -> Vec<(&'static str, &'static str)> {
    let mut pages = Vec::new();
    if actor.has(Role::Security) {
        pages.push(("用户和角色", "/staff/admin/users"));
    }
    if actor.has(Role::Admin) {
        pages.push(("机关和地区", "/staff/admin/agencies"));
        pages.push(("栏目和索引号", "/staff/admin/settings"));
    }
    if actor.has(Role::Audit) {
        pages.push(("审计日志", "/staff/audit-log"));
    }
    pages
}

/// The review queues (保密审查, 审核, 待发布) whose decision `actor`'s roles allow, in the
/// workflow's order.
pub fn review_stages(actor: &Actor) -> Vec<Stage> {
    [Stage::SecrecyReview, Stage::Review, Stage::Approved]
        .into_iter()
        .filter(|s| require_queue(actor, *s).is_ok())
        .collect()
}

/// Refuses (403) an actor whose roles do not allow the decision of the queue at `stage`.
pub fn require_queue(actor: &Actor, stage: Stage) -> Result<(), AppError> {
    match decision(stage) {
        Some(a) => require_action(actor, a, stage),
        None => Err(AppError::invalid(
            "there is no review queue for this stage",
            "该状态没有待办队列",
        )),
    }
}

fn queue_href(stage: Stage) -> String {
    format!("/staff/catalog/review?stage={}", stage.key())
}

/// The label of a review queue.
pub fn queue_label(stage: Stage) -> &'static str {
    match stage {
        Stage::SecrecyReview => "待保密审查",
        Stage::Review => "待审核",
        _ => "待发布",
    }
}

/// One link of the navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub label: &'static str,
    pub href: String,
    /// The page shown is this link's (section or sub-page): `aria-current="page"`.
    pub current: bool,
}

/// What `templates/staff/nav.html` shows: the sections the user may open, the sub-navigation
/// of the current section (empty when it has none), who is signed in, and the sign-out
/// form's token.
#[derive(Debug, Clone)]
pub struct StaffNav {
    pub links: Vec<NavLink>,
    /// The sub-navigation's accessible name.
    pub sub_label: &'static str,
    pub sub: Vec<NavLink>,
    pub display_name: String,
    pub csrf: String,
}

impl StaffNav {
    /// The navigation of a page of `section`; `here` is the page's path (with `?stage=` for a
    /// review queue), which marks the current sub-page.
    pub fn new(staff: &Staff, section: Section, here: &str) -> Result<StaffNav, WebError> {
        let actor = staff.actor();
        // A page of a section the user is not shown is refused (403), whatever its own checks.
        section.check(actor)?;
        let links = Section::ALL
            .into_iter()
            .filter(|s| s.check(actor).is_ok())
            .map(|s| NavLink {
                label: s.label(),
                href: s.href(actor),
                current: s == section,
            })
            .collect();
        let (sub_label, sub): (&'static str, Vec<(&'static str, String)>) = match section {
            Section::Review => (
                "审核队列",
                review_stages(actor)
                    .into_iter()
                    .map(|s| (queue_label(s), queue_href(s)))
                    .collect(),
            ),
            // The applications and the remedy cases against their answers (table 四).
            Section::Cases => (
                "申请办理",
                vec![
                    ("依申请公开", "/staff/cases".into()),
                    ("行政复议和行政诉讼", "/staff/remedies".into()),
                ],
            ),
            Section::Admin => (
                "系统管理",
                admin_pages(actor)
                    .into_iter()
                    .map(|(label, href)| (label, href.to_string()))
                    .collect(),
            ),
            _ => ("", Vec::new()),
        };
        let sub = sub
            .into_iter()
            .map(|(label, href)| NavLink {
                current: href == here,
                label,
                href,
            })
            .collect();
        Ok(StaffNav {
            links,
            sub_label,
            sub,
            display_name: actor.display_name.clone(),
            csrf: staff.csrf_token()?,
        })
    }
}
