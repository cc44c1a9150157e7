//! Lists of open cases by their clock: due soon, overdue, needing action, all. Nothing open is
//! left out silently: a case whose place needs a missing calendar year is returned apart.

use super::{Case, case_from, parse_events};
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::application::ClockStatus;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::application::{self as repo, ListFilter};
use time::Date;

/// Which open cases to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Due within this many working days (0 = today), not yet overdue.
    Soon(u32),
    Overdue,
    /// Stopped on another party whose period has passed, or waiting for a letter's receipt
    /// to be recorded: the staff must act although the clock does not run.
    NeedsAction,
    /// Every open case.
    Open,
}

/// The most working days `Due::Soon` looks ahead (a year of working days).
pub const MAX_DUE_SOON_DAYS: u32 = 250;

/// A list of open cases, and the open cases it cannot place: their clock needs a year whose
/// holiday notice is not loaded, so whether they belong in the list is unknown. Nothing open
/// is silently left out.
#[derive(Debug, Clone, Default)]
pub struct DueList {
    pub cases: Vec<Case>,
    /// Each with the year whose calendar is missing.
    pub undetermined: Vec<(Case, i32)>,
}

impl DueList {
    /// Whether every open case could be placed.
    pub fn is_complete(&self) -> bool {
        self.undetermined.is_empty()
    }
}

/// Open cases by their clock at `today`, soonest due first.
pub async fn list_due(app: &App, agency: Option<&str>, due: Due, today: Date) -> Result<DueList> {
    if let Due::Soon(n) = due
        && n > MAX_DUE_SOON_DAYS
    {
        return Err(AppError::invalid(
            format!("--due-soon looks at most {MAX_DUE_SOON_DAYS} working days ahead, not {n}"),
            format!("即将到期最多查看{MAX_DUE_SOON_DAYS}个工作日，不能为{n}个"),
        ));
    }
    let agency_id = match agency {
        Some(key) => Some(agency_repo::find_agency_by_key(&app.db, key).await?.id),
        None => None,
    };
    let rows = repo::list(
        &app.db,
        &ListFilter {
            agency_id,
            open_only: true,
        },
    )
    .await?;
    let mut out = DueList::default();
    for row in rows {
        let events = parse_events(&row, repo::events(&app.db, row.id).await?)?;
        let case = case_from(app, row, events, today).await?;
        let keep = match (due, case.clock.status) {
            (Due::Open, _) => true,
            (Due::NeedsAction, _) => match case.clock.undetermined_period() {
                Some(year) => {
                    out.undetermined.push((case, year));
                    continue;
                }
                None => !case.clock.attention.is_empty(),
            },
            (_, ClockStatus::Unknown { year }) => {
                out.undetermined.push((case, year));
                continue;
            }
            (Due::Soon(n), ClockStatus::OnTime { remaining, .. }) => remaining <= n,
            (Due::Overdue, ClockStatus::Overdue { .. }) => true,
            _ => false,
        };
        if keep {
            out.cases.push(case);
        }
    }
    out.cases.sort_by_key(|c| (c.clock.due.date(), c.id));
    out.undetermined.sort_by_key(|(c, _)| c.id);
    Ok(out)
}
