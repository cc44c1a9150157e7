//! The projection of each case's log kept on its row (status, outcome, reply date), which
//! table 三 counts: written with every event, and checked or rebuilt from the logs.

use super::parse_events;
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::application::{CaseState, Event};
use gongkai_store::repo::application::{self as repo, ListFilter, Projection};

/// The projection written on the application row after an event.
pub(super) fn projection(state: &CaseState) -> Projection {
    Projection {
        status: state.phase.key().to_string(),
        closed: match (state.is_open(), state.outcome, state.concluded_on) {
            (false, Some(o), Some(on)) => Some((o.key().to_string(), on)),
            _ => None,
        },
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
        let want = projection(&state);
        let have = Projection {
            status: row.status.clone(),
            closed: row.outcome.clone().zip(row.closed_on),
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
