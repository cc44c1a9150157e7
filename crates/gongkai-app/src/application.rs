//! Applications (依申请公开): register, record events, show a case with its clock, list what
//! is due. Every write runs the domain's state machine inside the transaction that writes,
//! so an event the state machine refuses leaves the database as it was.

use crate::App;
use crate::error::{AppError, Result};
use crate::query_code;
use gongkai_core::application::{
    Applicant, CaseState, Channel, Clock, ClockStatus, Delivery, Event, EventKind, Law, Phase,
    ReceiptFacts, Refusal, clock,
};
use gongkai_core::calendar::iso;
use gongkai_store::repo::agency::{self as agency_repo, Agency};
use gongkai_store::repo::application::{
    self as repo, ApplicationRow, ListFilter, NewApplication, NewEvent, Projection, StoredEvent,
};
use serde::{Deserialize, Serialize};
use time::Date;

impl App {
    /// The calendar and the periods in force, as the clock needs them.
    pub fn law(&self) -> Law<'_> {
        Law::new(&self.calendar)
    }
}

/// What is asked for (Art. 29(二)(三)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestedInfo {
    /// 所需信息的内容描述 (name, 文号 or other identifying features).
    pub description: String,
    /// 获取信息的方式.
    pub delivery: Delivery,
}

/// The intake record kept with the case: the request and the facts of its arrival.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    pub request: RequestedInfo,
    pub receipt: ReceiptFacts,
}

/// A new application as the office records it.
#[derive(Debug, Clone)]
pub struct Registration {
    /// The agency's name or organisation code.
    pub agency: String,
    pub channel: Channel,
    pub receipt: ReceiptFacts,
    pub applicant: Applicant,
    pub request: RequestedInfo,
}

/// The receipt (回执): the 申请编号 and the 查询码, shown once and never stored in clear.
#[derive(Debug, Clone)]
pub struct Registered {
    pub number: String,
    pub query_code: String,
    pub received_on: Date,
    pub agency: Agency,
    pub clock: Clock,
}

/// A case as shown: the stored row, its parsed parts and its clock at `today`.
#[derive(Debug, Clone)]
pub struct Case {
    pub row: ApplicationRow,
    pub agency: Agency,
    pub channel: Channel,
    pub applicant: Applicant,
    pub intake: Intake,
    pub events: Vec<(StoredEvent, Event)>,
    pub clock: Clock,
}

/// Registers an application. The receipt date follows Art. 31 for the channel; it cannot
/// lie in the future. The application is committed before the receipt is returned.
pub async fn register(app: &App, reg: Registration, today: Date) -> Result<Registered> {
    let received_on = reg
        .channel
        .receipt_date(reg.receipt)
        .map_err(|e| AppError::invalid(e.to_string()))?;
    if received_on > today {
        return Err(AppError::invalid(format!(
            "the receipt date {} is in the future",
            iso(received_on)
        )));
    }
    if reg.request.description.trim().is_empty() {
        return Err(AppError::invalid(
            "describe the information requested (所需信息的内容描述)",
        ));
    }
    let agency = agency_repo::find_agency_by_key(&app.db, &reg.agency).await?;
    let intake = Intake {
        request: RequestedInfo {
            description: reg.request.description.trim().to_string(),
            delivery: reg.request.delivery,
        },
        receipt: reg.receipt,
    };
    let code = query_code::generate()
        .map_err(|e| AppError::invalid(format!("no random numbers available: {e}")))?;
    let mut tx = app.db.begin().await?;
    let number = repo::next_number(&mut tx, received_on).await?;
    let new = NewApplication {
        agency_id: agency.id,
        query_code_hash: query_code::digest(&number, &code),
        number,
        received_on,
        channel: reg.channel.key().to_string(),
        applicant_kind: reg.applicant.t3_col().key().to_string(),
        applicant: to_json(&reg.applicant)?,
        request: to_json(&intake)?,
        status: Phase::Processing.key().to_string(),
    };
    let row = repo::insert(&mut tx, &new).await?;
    tx.commit().await?;
    let clock =
        clock(reg.channel, received_on, &[], app.law(), today).map_err(AppError::Refused)?;
    Ok(Registered {
        number: row.number,
        query_code: code,
        received_on,
        agency,
        clock,
    })
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| AppError::invalid(format!("cannot encode: {e}")))
}

fn parse_events(
    row: &ApplicationRow,
    stored: Vec<StoredEvent>,
) -> Result<Vec<(StoredEvent, Event)>> {
    stored
        .into_iter()
        .map(|s| {
            let e: Event = serde_json::from_str(&s.payload).map_err(|e| AppError::Corrupt {
                number: row.number.clone(),
                seq: s.seq,
                message: e.to_string(),
            })?;
            Ok((s, e))
        })
        .collect()
}

fn parse_channel(row: &ApplicationRow) -> Result<Channel> {
    Channel::parse(&row.channel).ok_or_else(|| AppError::Corrupt {
        number: row.number.clone(),
        seq: 0,
        message: format!("unknown channel {}", row.channel),
    })
}

/// The projection written on the application row after an event.
fn projection(state: &CaseState) -> Projection {
    Projection {
        status: state.phase.key().to_string(),
        closed: match (state.is_open(), state.outcome, state.concluded_on) {
            (false, Some(o), Some(on)) => Some((o.key().to_string(), on)),
            _ => None,
        },
    }
}

/// Appends an event to a case. The state machine sees the whole log plus the new event;
/// a refusal returns [`AppError::Refused`] with its reason and nothing is written.
pub async fn record_event(
    app: &App,
    number: &str,
    event: Event,
    actor: Option<&str>,
    today: Date,
) -> Result<Case> {
    let mut tx = app.db.begin().await?;
    let row = repo::lock_by_number(&mut tx, number).await?;
    let stored = repo::events(&mut tx, row.id).await?;
    let log: Vec<Event> = parse_events(&row, stored)?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    let state = CaseState::check_append(row.received_on, &log, &event, app.law(), today)
        .map_err(AppError::Refused)?;
    let (reason, corrects_seq) = match &event.kind {
        EventKind::Correction { target, reason, .. } => {
            (Some(reason.clone()), Some(i64::from(*target)))
        }
        EventKind::Withdrawn { reason } => (reason.clone(), None),
        _ => (None, None),
    };
    repo::append_event(
        &mut tx,
        row.id,
        &NewEvent {
            kind: event.kind.key().to_string(),
            occurred_on: event.on,
            payload: to_json(&event)?,
            actor: actor.map(str::to_string),
            reason,
            corrects_seq,
        },
    )
    .await?;
    repo::set_projection(&mut tx, row.id, &projection(&state)).await?;
    tx.commit().await?;
    show(app, &row.number, today).await
}

/// The applicant's look-up with 申请编号 and 查询码. A wrong code and an unknown number give
/// the same answer, so the look-up does not reveal which numbers exist.
pub async fn lookup(app: &App, number: &str, code: &str, today: Date) -> Result<Case> {
    let not_found = || {
        AppError::Store(gongkai_store::StoreError::not_found(
            "application with this query code",
            number.trim(),
        ))
    };
    let row = match repo::find_by_number(&app.db, number).await {
        Ok(row) => row,
        Err(gongkai_store::StoreError::NotFound { .. }) => {
            // Spend the same work as a real comparison.
            let _ = query_code::verify(number, code, &"0".repeat(64));
            return Err(not_found());
        }
        Err(e) => return Err(e.into()),
    };
    if !query_code::verify(&row.number, code, &row.query_code_hash) {
        return Err(not_found());
    }
    let events = parse_events(&row, repo::events(&app.db, row.id).await?)?;
    case_from(app, row, events, today).await
}

/// A case with its events and its clock at `today`.
pub async fn show(app: &App, number: &str, today: Date) -> Result<Case> {
    let row = repo::find_by_number(&app.db, number).await?;
    let events = parse_events(&row, repo::events(&app.db, row.id).await?)?;
    case_from(app, row, events, today).await
}

async fn case_from(
    app: &App,
    row: ApplicationRow,
    events: Vec<(StoredEvent, Event)>,
    today: Date,
) -> Result<Case> {
    let agency = agency_repo::find_agency(&app.db, row.agency_id).await?;
    let channel = parse_channel(&row)?;
    let applicant: Applicant =
        serde_json::from_str(&row.applicant).map_err(|e| AppError::Corrupt {
            number: row.number.clone(),
            seq: 0,
            message: format!("applicant: {e}"),
        })?;
    let intake: Intake = serde_json::from_str(&row.request).map_err(|e| AppError::Corrupt {
        number: row.number.clone(),
        seq: 0,
        message: format!("request: {e}"),
    })?;
    let log: Vec<Event> = events.iter().map(|(_, e)| e.clone()).collect();
    let clock = clock(channel, row.received_on, &log, app.law(), today).map_err(|r: Refusal| {
        AppError::Corrupt {
            number: row.number.clone(),
            seq: i64::from(r.seq),
            message: r.en,
        }
    })?;
    Ok(Case {
        row,
        agency,
        channel,
        applicant,
        intake,
        events,
        clock,
    })
}

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
        return Err(AppError::invalid(format!(
            "--due-soon looks at most {MAX_DUE_SOON_DAYS} working days ahead, not {n}"
        )));
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
    out.cases.sort_by_key(|c| (c.clock.due.date(), c.row.id));
    out.undetermined.sort_by_key(|(c, _)| c.row.id);
    Ok(out)
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
