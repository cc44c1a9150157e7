//! The projection of each case's log kept on its row (status, outcome, reply date), which
//! table 三 counts: written with every event, and checked or rebuilt from the logs.

use super::{parse_channel, parse_events};
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::application::{CaseState, Event, clock};
use gongkai_store::repo::application::{self as repo, ApplicationRow, ListFilter, Projection};

/// The projection written on the application row after an event: the state's status and
/// outcome, and for a concluded case the due date its reply is judged against (the date in
/// force under the clock; `None` when the calendar cannot tell it).
pub(super) fn projection(
    app: &App,
    row: &ApplicationRow,
    log: &[Event],
    state: &CaseState,
) -> Projection {
    let closed = match (state.is_open(), state.outcome, state.concluded_on) {
        (false, Some(o), Some(on)) => Some((o.key().to_string(), on)),
        _ => None,
    };
    let due_on = match (&closed, parse_channel(row)) {
        (Some((_, on)), Ok(channel)) => clock(channel, row.received_on, log, app.law(), *on)
            .ok()
            .and_then(|c| c.due.date()),
        _ => None,
    };
    Projection {
        status: state.phase.key().to_string(),
        closed,
        due_on,
    }
}

/// Replays every case's log and compares the result with the projection stored on the
/// application row (status, outcome, reply date), which table 三 counts. With `fix`, rewrites
/// the rows that differ (after a change of the domain rules, or a restored backup). Returns
/// the 申请编号 that differed.
pub async fn check_projections(app: &App, fix: bool) -> Result<Vec<String>> {
    let rows = repo::list(&app.db, &ListFilter::default()).await?;
    let mut differing = Vec::new();
    for row in rows {
        let mut tx = app.db.begin().await?;
        let row = repo::lock_by_number(&mut tx, &row.number).await?;
        let log: Vec<Event> = parse_events(&row, repo::events(&mut tx, row.id).await?)?
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        let state =
            gongkai_core::application::replay(row.received_on, &log, app.law()).map_err(|r| {
                AppError::Corrupt {
                    number: row.number.clone(),
                    seq: i64::from(r.seq),
                    message: r.en,
                }
            })?;
        let want = projection(app, &row, &log, &state);
        let have = Projection {
            status: row.status.clone(),
            closed: row.outcome.clone().zip(row.closed_on),
            due_on: row.due_on,
        };
        if want != have {
            differing.push(row.number.clone());
            if fix {
                repo::set_projection(&mut tx, row.id, &want).await?;
            }
        }
        tx.commit().await?;
    }
    Ok(differing)
}
