//! The agency's side of 公众评议 (docs/feedback.md#moderation): the year's submissions with
//! the history of each, and the decisions on them — answer publicly, answer privately, set
//! aside as spam — taken by a 录入 user of the agency, each kept in the history.

use super::{rating_of, state_of, year_span};
use crate::App;
use crate::access::{require, require_sees, require_write};
use crate::application::online::beijing_time;
use crate::error::{AppError, ErrorKind, Result};
use gongkai_core::feedback::{self as domain, Action, State};
use gongkai_core::user::{Actor, Role};
use gongkai_store::StoreError;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::feedback::{self as repo, Decision, EventRow, FeedbackRow};
use serde::Serialize;
use std::collections::HashMap;
use time::OffsetDateTime;

const MODERATE: (Role, &str, &str) = (Role::Entry, "moderate public feedback", "处理公众评议");

/// Whether `actor` holds the role to moderate (the scope is checked per agency).
pub fn may_moderate(actor: &Actor) -> Result<()> {
    let (role, en, zh) = MODERATE;
    require(actor, role, en, zh)
}

/// One decision of a submission's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventView {
    pub action: &'static str,
    pub action_label: &'static str,
    /// The answer, or the reason for setting it aside.
    pub note: Option<String>,
    pub actor: String,
    pub at: String,
}

/// A submission as the back office shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedbackView {
    pub id: i64,
    pub agency_id: i64,
    pub item_id: Option<i64>,
    pub item_title: Option<String>,
    pub column: String,
    pub rating: &'static str,
    pub rating_label: &'static str,
    /// Rated 不满意 (a negative evaluation).
    pub negative: bool,
    pub comment: String,
    pub nickname: Option<String>,
    /// Shown only to whom may moderate.
    pub contact: Option<String>,
    pub received_at: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub answer: Option<String>,
    pub moderated_by: Option<String>,
    pub moderated_at: Option<String>,
    pub history: Vec<EventView>,
}

fn event_view(e: EventRow) -> Result<EventView> {
    let action = Action::parse(&e.action).ok_or_else(|| {
        AppError::Store(StoreError::Inconsistent(format!(
            "feedback event {}: unknown action",
            e.id
        )))
    })?;
    Ok(EventView {
        action: action.key(),
        action_label: action.label(),
        note: e.note,
        actor: e.actor,
        at: beijing_time(e.at),
    })
}

fn view(r: FeedbackRow, history: Vec<EventView>, with_contact: bool) -> Result<FeedbackView> {
    let rating = rating_of(&r)?;
    let state = state_of(&r)?;
    Ok(FeedbackView {
        id: r.id,
        agency_id: r.agency_id,
        item_id: r.item_id,
        item_title: r.item_title,
        column: r.column_name,
        rating: rating.key(),
        rating_label: rating.label(),
        negative: rating.is_negative(),
        comment: r.comment,
        nickname: r.nickname,
        contact: r.contact.filter(|_| with_contact),
        received_at: beijing_time(r.received_at),
        state: state.key(),
        state_label: state.label(),
        answer: r.answer,
        moderated_by: r.moderated_actor,
        moderated_at: r.moderated_at.map(beijing_time),
        history,
    })
}

/// The agency's submissions received in `year` (in `state` when given), oldest first, each
/// with its history. Any staff user who sees the agency reads them; the contact a citizen left
/// for a private answer only whom may moderate.
pub async fn list(
    app: &App,
    actor: &Actor,
    agency: &str,
    year: i32,
    state: Option<State>,
) -> Result<Vec<FeedbackView>> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    require_sees(app, actor, agency.id, &agency.name).await?;
    let with_contact = require_write(app, actor, agency.id, &agency.name, MODERATE)
        .await
        .is_ok();
    let span = year_span(year)?;
    let mut history: HashMap<i64, Vec<EventView>> = HashMap::new();
    for e in repo::events_of(&app.db, agency.id, span).await? {
        history
            .entry(e.feedback_id)
            .or_default()
            .push(event_view(e)?);
    }
    repo::list(&app.db, agency.id, state.map(State::key), span)
        .await?
        .into_iter()
        .map(|r| {
            let h = history.remove(&r.id).unwrap_or_default();
            view(r, h, with_contact)
        })
        .collect()
}

/// Takes a decision on submission `id`: `text` is the answer (required to answer, publicly or
/// not) or the reason for setting it aside (optional). Refused, nothing written: another
/// agency's submission (not found), a missing role, a region's supervisor, a missing or
/// too long answer, setting aside twice, or a decision taken meanwhile by someone else.
pub async fn moderate(
    app: &App,
    actor: &Actor,
    id: i64,
    action: Action,
    text: &str,
    now: OffsetDateTime,
) -> Result<FeedbackView> {
    let not_found = || AppError::not_found("feedback", id);
    let row = match repo::find(&app.db, id).await {
        Ok(r) => r,
        Err(StoreError::NotFound { .. }) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    require_write(app, actor, row.agency_id, &id.to_string(), MODERATE)
        .await
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => not_found(),
            _ => e,
        })?;
    let state = state_of(&row)?;
    let (to, kept) =
        domain::moderate(state, action, text).map_err(|r| AppError::invalid(r.en, r.zh))?;
    let mut tx = app.db.begin().await?;
    let done = repo::decide(
        &mut tx,
        id,
        state.key(),
        &Decision {
            action: action.key(),
            state: to.key(),
            answer: kept.as_deref().filter(|_| action != Action::Reject),
            note: kept.as_deref(),
            user_id: actor.id.get(),
            actor: &actor.display_name,
            at: now,
        },
    )
    .await?;
    if !done {
        return Err(AppError::conflict(
            format!("feedback {id} was decided meanwhile"),
            "该评议已由他人处理，请刷新后查看",
        ));
    }
    tx.commit().await?;
    let history = repo::events(&app.db, id)
        .await?
        .into_iter()
        .map(event_view)
        .collect::<Result<Vec<_>>>()?;
    view(repo::find(&app.db, id).await?, history, true)
}
