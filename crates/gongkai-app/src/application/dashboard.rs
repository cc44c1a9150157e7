//! The back office's first page (工作台): cases due within N working days and overdue, online
//! applications awaiting confirmation, catalogue items awaiting 保密审查 or 审核, and the annual
//! report's deadline (Art. 49: 31 January) — all within the agencies the user may see
//! (docs/back-office.md#the-dashboard).

use super::case_list::{CaseFilter, CaseListView, DueFilter, list_cases};
use super::online::{SubmissionView, pending};
use crate::App;
use crate::access::{Visible, visible};
use crate::catalog::items::{ItemFilter, list as list_items};
use crate::error::Result;
use gongkai_core::calendar::{CalendarError, iso};
use gongkai_core::catalog::Stage;
use gongkai_core::ids::AgencyId;
use gongkai_core::report::workflow;
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::agency as agency_repo;
use time::{Date, Month};

/// An item waiting in a review queue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewItem {
    pub id: i64,
    pub title: String,
    pub agency: String,
    /// 保密审查 or 审核.
    pub stage: &'static str,
}

/// The annual report whose deadline comes next.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportDeadline {
    /// The year the report covers.
    pub year: i32,
    /// 31 January of the next year (Art. 49).
    pub deadline: String,
    /// Working days from today to the deadline; `None` when a year's holiday notice is not
    /// loaded (`missing_year`).
    pub working_days_left: Option<i64>,
    pub missing_year: Option<i32>,
    pub days_left: i64,
    /// Within `[report] remind_days` of the deadline: the unpublished reports are flagged.
    pub remind: bool,
    /// Each agency the user sees, with where its report stands.
    pub agencies: Vec<AgencyReport>,
    /// For a region's supervisor: the government's own report, due 31 March (Art. 49).
    pub region: Option<RegionDeadline>,
}

/// An agency's report for the year, as the dashboard lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AgencyReport {
    pub id: i64,
    pub name: String,
    /// 草稿, 已提交待审核, … (`draft` when no step was taken).
    pub state: &'static str,
    pub state_label: &'static str,
}

/// The region's report deadline (a government reports by 31 March, Art. 49).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RegionDeadline {
    pub name: String,
    pub deadline: String,
    pub days_left: i64,
    pub remind: bool,
}

/// What the dashboard shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DashboardView {
    pub due_days: u32,
    pub due_soon: CaseListView,
    pub overdue: CaseListView,
    /// `None` when the user may not read submissions (no 录入 role).
    pub pending_online: Option<Vec<SubmissionView>>,
    pub secrecy_review: Vec<ReviewItem>,
    pub review: Vec<ReviewItem>,
    pub report: ReportDeadline,
}

/// The report whose deadline is next at `today`: up to 31 January the previous year's, from
/// 1 February this year's (due 31 January of the next year).
pub fn report_deadline(
    app: &App,
    today: Date,
) -> Result<(i32, Date, std::result::Result<i64, i32>)> {
    let due_in = |y: i32| Date::from_calendar_date(y, Month::January, 31);
    let this = due_in(today.year()).map_err(|e| {
        crate::AppError::internal("date out of range", std::io::Error::other(e.to_string()))
    })?;
    let (year, deadline) = if today <= this {
        (today.year() - 1, this)
    } else {
        let next = due_in(today.year() + 1).map_err(|e| {
            crate::AppError::internal("date out of range", std::io::Error::other(e.to_string()))
        })?;
        (today.year(), next)
    };
    let left = match app.calendar.working_days_between(today, deadline) {
        Ok(n) => Ok(n),
        Err(CalendarError::NoData { year, .. }) => Err(year),
        Err(_) => Err(deadline.year()),
    };
    Ok((year, deadline, left))
}

/// Every agency `actor` sees, with where its report for `year` stands.
pub async fn report_states(app: &App, actor: &Actor, year: i32) -> Result<Vec<AgencyReport>> {
    let list = match visible(actor) {
        Visible::All => agency_repo::list_agencies(&app.db).await?,
        Visible::Nothing => Vec::new(),
        Visible::Agency(id) => vec![agency_repo::find_agency(&app.db, id).await?],
        Visible::Region(r) => agency_repo::agencies_in_region(&app.db, r).await?,
    };
    let last: std::collections::HashMap<i64, String> =
        gongkai_store::repo::report::last_steps(&app.db, year)
            .await?
            .into_iter()
            .collect();
    Ok(list
        .into_iter()
        .map(|a| {
            let state = last
                .get(&a.id)
                .and_then(|k| workflow::Action::from_key(k))
                .map_or(workflow::State::Draft, workflow::after);
            AgencyReport {
                id: a.id,
                name: a.name,
                state: state.key(),
                state_label: state.label(),
            }
        })
        .collect())
}

/// A supervisor's region and its government's deadline for `year`'s report: 31 March.
async fn region_deadline(
    app: &App,
    actor: &Actor,
    year: i32,
    today: Date,
) -> Result<Option<RegionDeadline>> {
    let Some(region) = actor.region.filter(|_| actor.agency.is_none()) else {
        return Ok(None);
    };
    let r = agency_repo::find_region(&app.db, region.get()).await?;
    let deadline = Date::from_calendar_date(year + 1, Month::March, 31).map_err(|e| {
        crate::AppError::internal("date out of range", std::io::Error::other(e.to_string()))
    })?;
    let days_left = (deadline - today).whole_days();
    Ok(Some(RegionDeadline {
        name: r.name,
        deadline: iso(deadline),
        days_left,
        remind: (0..=i64::from(app.settings.report.remind_days.clamp(1, 366))).contains(&days_left),
    }))
}

/// The dashboard of `actor` at `today`, with cases due within `due_days` working days.
pub async fn dashboard(
    app: &App,
    actor: &Actor,
    due_days: u32,
    today: Date,
) -> Result<DashboardView> {
    let filter = |due| CaseFilter {
        due: Some(due),
        page: 1,
        ..CaseFilter::default()
    };
    let due_soon = list_cases(app, actor, &filter(DueFilter::Soon(due_days)), today).await?;
    let overdue = list_cases(app, actor, &filter(DueFilter::Overdue), today).await?;
    let pending_online = if actor.has(Role::Entry) {
        Some(pending(app, actor, None).await?)
    } else {
        None
    };
    let (year, deadline, left) = report_deadline(app, today)?;
    let agencies = report_states(app, actor, year).await?;
    let mut secrecy_review = Vec::new();
    let mut review = Vec::new();
    for AgencyReport { id, name, .. } in &agencies {
        for (stage, into) in [
            (Stage::SecrecyReview, &mut secrecy_review),
            (Stage::Review, &mut review),
        ] {
            let f = ItemFilter {
                stage: Some(stage),
                ..ItemFilter::default()
            };
            for v in list_items(app, AgencyId::new(*id), &f, today).await? {
                into.push(ReviewItem {
                    id: v.item.id.get(),
                    title: v.item.content.title.clone(),
                    agency: name.clone(),
                    stage: stage.zh(),
                });
            }
        }
    }
    let region = region_deadline(app, actor, year, today).await?;
    let days_left = (deadline - today).whole_days();
    Ok(DashboardView {
        due_days,
        due_soon,
        overdue,
        pending_online,
        secrecy_review,
        review,
        report: ReportDeadline {
            year,
            deadline: iso(deadline),
            working_days_left: left.ok(),
            missing_year: left.err(),
            days_left,
            remind: days_left <= i64::from(app.settings.report.remind_days.clamp(1, 366)),
            agencies,
            region,
        },
    })
}
