//! The back office's list of cases: filters (status, due, outcome, channel, year of receipt)
//! and a search by 申请编号 or applicant, paged in SQL within the agencies the user may see;
//! ID and phone numbers masked (docs/back-office.md#the-list-of-cases).

use super::mask::{mask_id, mask_phone};
use super::{Case, case_from, parse_events};
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::application::{Applicant, Channel, ClockStatus, Due, Outcome, Phase};
use gongkai_core::calendar::{iso, weekday_names};
use gongkai_core::user::Actor;
use gongkai_store::repo::application::{self as repo, year_bounds};
use gongkai_store::repo::case_list::{self as list_repo, CaseQuery};
use time::Date;

/// Rows on a page of the list.
pub const PAGE_SIZE: u32 = 20;

/// The outcome groups of table 三 a filter may name instead of one outcome.
const OUTCOME_GROUPS: [&str; 4] = ["denied", "unable", "not_processed", "other"];

/// Which open cases by their clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFilter {
    /// Due within this many working days (0 = today), not overdue.
    Soon(u32),
    Overdue,
}

/// What the list shows. `None` filters nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub status: Option<Phase>,
    pub due: Option<DueFilter>,
    /// An outcome key (`partial`) or a group (`denied`).
    pub outcome: Option<String>,
    pub channel: Option<Channel>,
    /// Received in this year.
    pub year: Option<i32>,
    /// Part of the 申请编号 or of the applicant's name or credit code, or a whole ID number.
    pub search: Option<String>,
    /// 1-based.
    pub page: u32,
}

/// One case of the list, personal numbers masked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseRowView {
    pub number: String,
    pub agency: String,
    pub received_on: String,
    pub channel: &'static str,
    /// The applicant's name (an organisation's name).
    pub applicant: String,
    /// 自然人 or the organisation's kind.
    pub applicant_kind: &'static str,
    pub id_masked: String,
    pub phone_masked: String,
    pub status: &'static str,
    pub outcome: Option<&'static str>,
    /// The due date in force, or why there is none.
    pub due: String,
    /// The clock's status line.
    pub clock: String,
    pub overdue: bool,
}

/// A page of the list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseListView {
    pub rows: Vec<CaseRowView>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    /// With a due filter: open cases that could not be placed (a calendar year is missing).
    pub undetermined: Vec<String>,
}

/// `2021-11-03（星期三）`-style text of a due date.
pub fn due_zh(d: Due) -> String {
    match d {
        Due::On(d) => format!("{}（{}）", iso(d), weekday_names(d).1),
        Due::Paused { remaining } => format!("计时暂停（恢复后尚余{remaining}个工作日）"),
        Due::AwaitingSupplement => "等待补正，收到补正后重新计算".into(),
        Due::NoCalendar { year } => format!("暂无法计算（尚未载入{year}年节假日安排）"),
        Due::ReceiptUnknown => "待有关文书送达后确定".into(),
    }
}

fn row_view(c: &Case) -> CaseRowView {
    let (applicant, kind, id, phone) = match &c.applicant {
        Applicant::Person(p) => (
            p.name.clone(),
            "自然人",
            mask_id(&p.id_number),
            mask_phone(p.contact.phone.as_deref().unwrap_or("")),
        ),
        Applicant::Organisation(o) => (
            o.name.clone(),
            o.kind.label(),
            String::new(),
            mask_phone(o.contact.phone.as_deref().unwrap_or("")),
        ),
    };
    CaseRowView {
        number: c.number.clone(),
        agency: c.agency.name.clone(),
        received_on: iso(c.received_on),
        channel: c.channel.label(),
        applicant,
        applicant_kind: kind,
        id_masked: id,
        phone_masked: phone,
        status: c.status.label(),
        outcome: c.outcome.map(Outcome::label),
        due: due_zh(c.clock.due),
        clock: c.clock.status_line.zh.clone(),
        overdue: matches!(c.clock.status, ClockStatus::Overdue { .. }),
    }
}

fn check_outcome(o: &str) -> Result<()> {
    if Outcome::from_key(o).is_some() || OUTCOME_GROUPS.contains(&o) {
        Ok(())
    } else {
        Err(AppError::invalid(
            format!("unknown outcome {o}"),
            format!("答复结果“{o}”不存在"),
        ))
    }
}

/// The cases `actor` may see that pass `filter`, a page at a time, newest receipt first.
pub async fn list_cases(
    app: &App,
    actor: &Actor,
    filter: &CaseFilter,
    today: Date,
) -> Result<CaseListView> {
    if let Some(o) = &filter.outcome {
        check_outcome(o)?;
    }
    if let Some(DueFilter::Soon(n)) = filter.due
        && n > super::MAX_DUE_SOON_DAYS
    {
        return Err(AppError::invalid(
            format!(
                "look at most {} working days ahead",
                super::MAX_DUE_SOON_DAYS
            ),
            format!("即将到期最多查看{}个工作日", super::MAX_DUE_SOON_DAYS),
        ));
    }
    let received = match filter.year {
        Some(y) => Some(year_bounds(y)?),
        None => None,
    };
    let page = filter.page.max(1);
    let mut q = CaseQuery {
        status: filter.status.map(|p| p.key().to_string()),
        open_only: filter.due.is_some(),
        outcome: filter.outcome.clone(),
        channel: filter.channel.map(|c| c.key().to_string()),
        received,
        search: filter.search.clone(),
        id_index: filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| {
                (15..=18).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric())
            })
            .map(|s| crate::personal::id_index(&app.keys, s)),
        limit: None,
        offset: 0,
    };
    let visible = crate::access::visible(actor);
    let mut undetermined = Vec::new();
    let (cases, total) = match filter.due {
        None => {
            q.limit = Some(i64::from(PAGE_SIZE));
            q.offset = i64::from((page - 1) * PAGE_SIZE);
            let (rows, total) = list_repo::list_page(&app.db, visible, &q).await?;
            let mut cases = Vec::with_capacity(rows.len());
            for row in rows {
                let events = parse_events(&row, repo::events(&app.db, row.id).await?)?;
                cases.push(case_from(app, row, events, today).await?);
            }
            (cases, u64::try_from(total).unwrap_or(0))
        }
        Some(due) => {
            // The clock decides: every open case passing the other filters is placed.
            let (rows, _) = list_repo::list_page(&app.db, visible, &q).await?;
            let mut kept = Vec::new();
            for row in rows {
                let events = parse_events(&row, repo::events(&app.db, row.id).await?)?;
                let case = case_from(app, row, events, today).await?;
                let keep = match (due, case.clock.status) {
                    (_, ClockStatus::Unknown { .. }) => {
                        undetermined.push(case.number.clone());
                        false
                    }
                    (DueFilter::Soon(n), ClockStatus::OnTime { remaining, .. }) => remaining <= n,
                    (DueFilter::Overdue, ClockStatus::Overdue { .. }) => true,
                    _ => false,
                };
                if keep {
                    kept.push(case);
                }
            }
            kept.sort_by_key(|c| (c.clock.due.date(), c.id));
            let total = kept.len() as u64;
            let start = ((page - 1) * PAGE_SIZE) as usize;
            let cases = kept
                .into_iter()
                .skip(start)
                .take(PAGE_SIZE as usize)
                .collect();
            (cases, total)
        }
    };
    let pages = u32::try_from(total.div_ceil(u64::from(PAGE_SIZE)))
        .unwrap_or(u32::MAX)
        .max(1);
    Ok(CaseListView {
        rows: cases.iter().map(row_view).collect(),
        total,
        page,
        pages,
        undetermined,
    })
}
