//! 公众评议 (docs/feedback.md): a citizen's rating and comment on a published item or on one
//! of an agency's columns, submitted anonymously from the portal; screened here, so every
//! front end refuses the same things (web code, links, the trap field, empty text, a flood from
//! one client, the same text again) before anything is stored; moderated by the agency
//! (`moderate`); counted for section 一(五) of the annual report (`year_of`).

mod moderate;

pub use moderate::{EventView, FeedbackView, list, may_moderate, moderate};

use crate::App;
use crate::error::{AppError, Localized, Result};
use gongkai_core::calendar::{BEIJING, date_in_china, iso};
use gongkai_core::feedback::{
    Counted, DUPLICATE_WINDOW_HOURS, FLOOD_MAX, FLOOD_WINDOW_MINUTES, FeedbackForm, FeedbackYear,
    Rating, Refusal, State,
};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_store::StoreError;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::catalog as catalog_repo;
use gongkai_store::repo::feedback::{self as repo, FeedbackRow, NewFeedbackRow, On};
use serde::Serialize;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// What the feedback is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A published item.
    Item(ItemId),
    /// One of the agency's columns (栏目), as its catalogue settings name them.
    Column { agency: AgencyId, column: String },
}

/// A submission from the portal.
#[derive(Debug, Clone)]
pub struct Submission {
    pub target: Target,
    pub form: FeedbackForm,
    /// The client's network address as the front end keys it (an IPv4 address or an IPv6 /64);
    /// kept only as a SHA-256.
    pub client: String,
}

/// Why a submission was not stored: the screening's refusal, or a failure of the use case
/// (the item does not exist, the database failed).
#[derive(Debug)]
pub enum SubmitError {
    Refused(Refusal),
    App(AppError),
}

impl From<AppError> for SubmitError {
    fn from(e: AppError) -> SubmitError {
        SubmitError::App(e)
    }
}

impl From<StoreError> for SubmitError {
    fn from(e: StoreError) -> SubmitError {
        SubmitError::App(e.into())
    }
}

impl Localized for SubmitError {
    fn zh(&self) -> String {
        match self {
            SubmitError::Refused(r) => r.zh.clone(),
            SubmitError::App(e) => e.zh(),
        }
    }

    fn en(&self) -> String {
        match self {
            SubmitError::Refused(r) => r.en.clone(),
            SubmitError::App(e) => e.en(),
        }
    }
}

/// A stored submission: where it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub id: i64,
    pub agency_id: i64,
    pub item_id: Option<i64>,
    pub column: String,
}

/// The agency and column a target belongs to; a draft, a withdrawn item or a column the agency
/// does not have is not found (nothing to give feedback on).
async fn resolve(app: &App, target: &Target) -> Result<(i64, Option<i64>, String)> {
    match target {
        Target::Item(id) => match catalog_repo::public_item(&app.db, *id).await? {
            Some(row) if !row.withdrawn => {
                Ok((row.line.agency.get(), Some(id.get()), row.line.column))
            }
            _ => Err(AppError::not_found("catalogue item", id)),
        },
        Target::Column { agency, column } => {
            let a = match agency_repo::find_agency(&app.db, agency.get()).await {
                Ok(a) => a,
                Err(StoreError::NotFound { .. }) => {
                    return Err(AppError::not_found("agency", agency));
                }
                Err(e) => return Err(e.into()),
            };
            let cfg = crate::catalog::config::load(&app.db, *agency).await?;
            if a.org_code.is_none() || !cfg.columns.iter().any(|c| c == column) {
                return Err(AppError::not_found("column", column));
            }
            Ok((a.id, None, column.clone()))
        }
    }
}

/// Screens and stores a submission. Refused, nothing stored: the form's screening
/// (`FeedbackForm::parse`), [`FLOOD_MAX`] submissions from the client within
/// [`FLOOD_WINDOW_MINUTES`], or the same text within [`DUPLICATE_WINDOW_HOURS`] (a short text:
/// from the same client).
pub async fn submit(
    app: &App,
    sub: &Submission,
    now: OffsetDateTime,
) -> std::result::Result<Received, SubmitError> {
    let (agency_id, item_id, column) = resolve(app, &sub.target).await?;
    let new = sub.form.parse().map_err(SubmitError::Refused)?;
    let client_hash = crate::sha256_hex(format!("feedback-client\n{}", sub.client).as_bytes());
    let text_key = crate::sha256_hex(new.dedup_key.as_bytes());
    let mut tx = app.db.begin().await?;
    repo::lock_submissions(&mut tx).await?;
    let recent = repo::count_from_client(
        &mut tx,
        &client_hash,
        now - Duration::minutes(FLOOD_WINDOW_MINUTES),
    )
    .await?;
    if u64::try_from(recent).unwrap_or(u64::MAX) >= FLOOD_MAX {
        return Err(SubmitError::Refused(Refusal::too_frequent()));
    }
    let same_client = new.short.then_some(client_hash.as_str());
    if repo::duplicate_since(
        &mut tx,
        &text_key,
        same_client,
        now - Duration::hours(DUPLICATE_WINDOW_HOURS),
    )
    .await?
    {
        return Err(SubmitError::Refused(Refusal::duplicate()));
    }
    let id = repo::insert(
        &mut tx,
        &NewFeedbackRow {
            agency_id,
            item_id,
            column_name: &column,
            rating: new.rating.key(),
            comment: &new.comment,
            nickname: new.nickname.as_deref(),
            contact: new.contact.as_deref(),
            client_hash: &client_hash,
            text_key: &text_key,
            short: new.short,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Received {
        id,
        agency_id,
        item_id,
        column,
    })
}

/// An answered-publicly submission as the portal shows it (no contact, no moderator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicFeedback {
    pub id: i64,
    /// The name given, else 网友.
    pub nickname: String,
    pub rating: &'static str,
    pub comment: String,
    pub received_on: String,
    pub answer: String,
    pub answered_on: String,
}

fn corrupt(r: &FeedbackRow, what: &str) -> AppError {
    AppError::Store(StoreError::Inconsistent(format!(
        "feedback {}: unknown {what}",
        r.id
    )))
}

pub(crate) fn rating_of(r: &FeedbackRow) -> Result<Rating> {
    Rating::parse(&r.rating).ok_or_else(|| corrupt(r, "rating"))
}

pub(crate) fn state_of(r: &FeedbackRow) -> Result<State> {
    State::parse(&r.state).ok_or_else(|| corrupt(r, "state"))
}

/// What the portal shows on a target's page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicFeedbackList {
    /// The submissions answered publicly, newest answer first.
    pub entries: Vec<PublicFeedback>,
    /// The last decision on any submission of the target (what was shown may have changed).
    pub last_change: Option<OffsetDateTime>,
}

/// What the portal shows on the target's page (none for a target without feedback; the page
/// itself answers for a target that does not exist).
pub async fn published(app: &App, target: &Target) -> Result<PublicFeedbackList> {
    let on = match target {
        Target::Item(id) => On::Item(id.get()),
        Target::Column { agency, column } => On::Column {
            agency_id: agency.get(),
            column,
        },
    };
    let entries = repo::published(&app.db, on)
        .await?
        .into_iter()
        .map(|r| {
            Ok(PublicFeedback {
                id: r.id,
                nickname: r.nickname.clone().unwrap_or_else(|| "网友".into()),
                rating: rating_of(&r)?.label(),
                received_on: iso(date_in_china(r.received_at)),
                answered_on: r
                    .moderated_at
                    .map(|t| iso(date_in_china(t)))
                    .unwrap_or_default(),
                answer: r.answer.unwrap_or_default(),
                comment: r.comment,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(PublicFeedbackList {
        entries,
        last_change: repo::last_decision(&app.db, on).await?,
    })
}

/// Whether the portal takes feedback on `target` (a published item, a column of an agency on
/// gongkai), and what to call it: the item's title, or 栏目“…”.
pub async fn describe(app: &App, target: &Target) -> Result<Option<String>> {
    match resolve(app, target).await {
        Ok(_) => {}
        Err(e) if e.kind() == crate::error::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    }
    Ok(Some(match target {
        Target::Item(id) => catalog_repo::public_item(&app.db, *id)
            .await?
            .map(|r| r.line.title)
            .unwrap_or_default(),
        Target::Column { column, .. } => format!("栏目“{column}”"),
    }))
}

/// The instants a year spans in China: `[1 January 00:00, next 1 January 00:00)` at +08:00.
pub(crate) fn year_span(year: i32) -> Result<(OffsetDateTime, OffsetDateTime)> {
    let start = |y: i32| {
        Date::from_calendar_date(y, Month::January, 1)
            .map(|d| PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(BEIJING))
            .map_err(|_| {
                AppError::invalid(
                    format!("year {y} is out of range"),
                    format!("年份{y}超出范围"),
                )
            })
    };
    Ok((start(year)?, start(year + 1)?))
}

/// The agency's feedback of `year` as section 一(五) counts it.
pub async fn year_of(app: &App, agency_id: i64, year: i32) -> Result<FeedbackYear> {
    let mut all = Vec::new();
    for r in repo::list(&app.db, agency_id, None, year_span(year)?).await? {
        all.push(Counted {
            on: date_in_china(r.received_at),
            rating: rating_of(&r)?,
            state: state_of(&r)?,
        });
    }
    Ok(FeedbackYear::tally(&all, year))
}
