//! Applications (依申请公开): register, record events, show a case with its clock, list what
//! is due. Every write runs the domain's state machine inside the transaction that writes,
//! so an event the state machine refuses leaves the database as it was.

mod case_list;
mod dashboard;
mod event_form;
mod list;
mod mask;
pub mod online;
mod projections;
mod registration_form;
mod reissue;
mod reveal;
mod view;

pub use case_list::{
    CaseFilter, CaseListView, CaseRowView, DueFilter, PAGE_SIZE, due_zh, list_cases,
};
pub use dashboard::{
    AgencyReport, DashboardView, RegionDeadline, ReportDeadline, ReviewItem, dashboard,
    report_states,
};
pub use event_form::{
    FormFields, REPLACEMENT_PREFIX, RETRACT, event_fields, parse_event_form, replacement_field,
    replacement_fields,
};
pub use list::{Due, DueList, MAX_DUE_SOON_DAYS, list_due};
pub use mask::{mask_address, mask_email, mask_id, mask_phone};
pub use projections::check_projections;
pub use registration_form::{RegistrationForm, parse_registration_form};
pub use reissue::{ReissueView, Reissued, query_code_reissues, reissue_query_code};
pub use reveal::{AccessView, identity_accesses, reveal_identity, show_as};
pub use view::{Case, CaseView, ClockView, DueView, RecordedEvent};

use crate::App;
use crate::agency::AgencyView;
use crate::error::{AppError, Result};
use crate::query_code;
use gongkai_core::application::{
    Applicant, CaseState, Channel, Clock, Delivery, Event, EventKind, Law, Outcome, Phase,
    Provision, ReceiptFacts, Refusal, clock,
};
use gongkai_core::calendar::iso;
use gongkai_core::ids::{ApplicationId, UserId};
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::application::{
    self as repo, ApplicationRow, NewApplication, NewEvent, StoredEvent,
};
use serde::{Deserialize, Serialize};
use time::Date;

impl App {
    /// The calendar and the periods in force, as the clock needs them.
    pub fn law(&self) -> Law<'_> {
        Law::with_periods(&self.calendar, self.settings.periods)
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
    /// 所需信息的指定提供方式, as chosen on the online form (docs/online-applications.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<Provision>,
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
    pub id: ApplicationId,
    pub number: String,
    pub query_code: String,
    pub received_on: Date,
    pub agency: AgencyView,
    pub clock: Clock,
}

/// Registers an application. The receipt date follows Art. 31 for the channel; it cannot
/// lie in the future. The application is committed before the receipt is returned.
pub async fn register(
    app: &App,
    actor: &Actor,
    reg: Registration,
    today: Date,
) -> Result<Registered> {
    register_with_provision(app, actor, reg, None, today).await
}

/// [`register`], keeping the 所需信息的指定提供方式 the applicant asked for (the back office's
/// registration form has the fields of the online form).
pub async fn register_with_provision(
    app: &App,
    actor: &Actor,
    reg: Registration,
    provision: Option<Provision>,
    today: Date,
) -> Result<Registered> {
    require_entry(actor)?;
    let (received_on, intake) = intake_of(&reg, provision, today)?;
    let agency = agency_repo::find_agency_by_key(&app.db, &reg.agency).await?;
    crate::access::require_write(app, actor, agency.id, &reg.agency, ENTRY_REGISTER).await?;
    let code = query_code::generate().map_err(|e| {
        AppError::internal(
            "no random numbers available",
            std::io::Error::other(e.to_string()),
        )
    })?;
    let mut tx = app.db.begin().await?;
    let number = repo::next_number(&mut tx, received_on).await?;
    let hash = query_code::digest(&app.keys, &number, &code);
    let row = insert_registered(
        app,
        &mut tx,
        agency.id,
        number,
        hash,
        &reg,
        received_on,
        &intake,
    )
    .await?;
    tx.commit().await?;
    let clock =
        clock(reg.channel, received_on, &[], app.law(), today).map_err(AppError::Refused)?;
    Ok(Registered {
        id: ApplicationId::new(row.id),
        number: row.number,
        query_code: code,
        received_on,
        agency: agency.into(),
        clock,
    })
}

const ENTRY_REGISTER: (Role, &str, &str) = (Role::Entry, "register applications", "登记申请");
const ENTRY_EVENTS: (Role, &str, &str) =
    (Role::Entry, "record events of applications", "登记办理事项");

fn require_entry(actor: &Actor) -> Result<()> {
    let (role, en, zh) = ENTRY_REGISTER;
    crate::access::require(actor, role, en, zh)
}

/// The role check of registering, for a front end to make before it parses a form: a user
/// without the role learns 403, not which fields were wrong.
pub fn may_register(actor: &Actor) -> Result<()> {
    require_entry(actor)
}

/// The role check of recording an event, for a front end to make before it parses a form.
pub fn may_record_events(actor: &Actor) -> Result<()> {
    let (role, en, zh) = ENTRY_EVENTS;
    crate::access::require(actor, role, en, zh)
}

/// The receipt date (Art. 31) and the intake record of a registration: the checks every
/// registration passes, whatever its channel (docs/rules/deadlines.md).
fn intake_of(
    reg: &Registration,
    provision: Option<Provision>,
    today: Date,
) -> Result<(Date, Intake)> {
    let received_on = reg
        .channel
        .receipt_date(reg.receipt)
        .map_err(|e| AppError::invalid(e.to_string(), e.zh()))?;
    if received_on > today {
        return Err(AppError::invalid(
            format!("the receipt date {} is in the future", iso(received_on)),
            format!("收到申请之日{}尚未到来", iso(received_on)),
        ));
    }
    let description = &reg.request.description;
    if gongkai_core::text::has_forbidden(description, true) {
        return Err(AppError::invalid(
            "the description of the information requested contains an invisible control character",
            "所需信息的内容描述含有不可见的控制字符，请删除后重新填写",
        ));
    }
    // Only spaces or zero-width characters is nothing (BI-U-2).
    if gongkai_core::text::is_blank(description) {
        return Err(AppError::invalid(
            "describe the information requested (所需信息的内容描述)",
            "请填写所需信息的内容描述",
        ));
    }
    let intake = Intake {
        request: RequestedInfo {
            description: gongkai_core::text::trim_invisible(&reg.request.description).to_string(),
            delivery: reg.request.delivery,
        },
        receipt: reg.receipt,
        provision,
    };
    Ok((received_on, intake))
}

/// Writes the application row of a registration under its 申请编号 and 查询码 digest (a fresh
/// number for an application registered by the office, the submission's own for a confirmed
/// online one), inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
async fn insert_registered(
    app: &App,
    tx: &mut gongkai_store::Tx,
    agency_id: i64,
    number: String,
    query_code_hash: String,
    reg: &Registration,
    received_on: Date,
    intake: &Intake,
) -> Result<ApplicationRow> {
    let (applicant, id_index) = crate::personal::seal_applicant(&app.keys, &reg.applicant)?;
    let new = NewApplication {
        agency_id,
        query_code_hash,
        number,
        received_on,
        channel: reg.channel.key().to_string(),
        applicant_kind: reg.applicant.t3_col().key().to_string(),
        applicant,
        id_index,
        request: to_json(intake)?,
        status: Phase::Processing.key().to_string(),
    };
    Ok(repo::insert(tx, &new).await?)
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| AppError::internal("cannot encode a record as JSON", e))
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

/// Appends an event to a case. The state machine sees the whole log plus the new event;
/// a refusal returns [`AppError::Refused`] with its reason and nothing is written.
pub async fn record_event(
    app: &App,
    actor: &Actor,
    number: &str,
    event: Event,
    today: Date,
) -> Result<Case> {
    let (role, en, zh) = ENTRY_EVENTS;
    crate::access::require(actor, role, en, zh)?;
    let mut tx = app.db.begin().await?;
    let row = repo::lock_by_number(&mut tx, number).await?;
    crate::access::require_write(app, actor, row.agency_id, number, ENTRY_EVENTS).await?;
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
            actor: Some(actor.display_name.clone()),
            actor_id: Some(actor.id.get()),
            reason,
            corrects_seq,
        },
    )
    .await?;
    let log: Vec<Event> = log.into_iter().chain([event]).collect();
    repo::set_projection(
        &mut tx,
        row.id,
        &projections::projection(app, &row, &log, &state),
    )
    .await?;
    tx.commit().await?;
    show(app, &row.number, today).await
}

/// The applicant's look-up with 申请编号 and 查询码. A wrong code and an unknown number give
/// the same answer, so the look-up does not reveal which numbers exist.
pub async fn lookup(app: &App, number: &str, code: &str, today: Date) -> Result<Case> {
    let not_found = || AppError::not_found("application with this query code", number.trim());
    let row = match repo::find_by_number(&app.db, number).await {
        Ok(row) => row,
        Err(gongkai_store::StoreError::NotFound { .. }) => {
            // Spend the same work as a real comparison.
            let _ = query_code::verify(&app.keys, number, code, None);
            return Err(not_found());
        }
        Err(e) => return Err(e.into()),
    };
    if !query_code::verify(&app.keys, &row.number, code, Some(&row.query_code_hash)) {
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
    let corrupt = |seq: i64, message: String| AppError::Corrupt {
        number: row.number.clone(),
        seq,
        message,
    };
    let agency = agency_repo::find_agency(&app.db, row.agency_id).await?;
    let channel = parse_channel(&row)?;
    let applicant: Applicant = crate::personal::open_applicant(&app.keys, &row.applicant)
        .map_err(|e| corrupt(0, format!("applicant: {e}")))?;
    let intake: Intake =
        serde_json::from_str(&row.request).map_err(|e| corrupt(0, format!("request: {e}")))?;
    let status = Phase::from_key(&row.status)
        .ok_or_else(|| corrupt(0, format!("unknown status {}", row.status)))?;
    let outcome = match &row.outcome {
        Some(k) => {
            Some(Outcome::from_key(k).ok_or_else(|| corrupt(0, format!("unknown outcome {k}")))?)
        }
        None => None,
    };
    let log: Vec<Event> = events.iter().map(|(_, e)| e.clone()).collect();
    let clock = clock(channel, row.received_on, &log, app.law(), today)
        .map_err(|r: Refusal| corrupt(i64::from(r.seq), r.en))?;
    let seq_of = |id: i64| {
        events
            .iter()
            .find(|(s, _)| s.id == id)
            .map(|(s, _)| s.seq as u32)
    };
    let recorded = events
        .iter()
        .map(|(s, e)| RecordedEvent {
            seq: s.seq as u32,
            event: e.clone(),
            actor: s.actor.clone(),
            actor_id: s.actor_id.map(UserId::new),
            reason: s.reason.clone(),
            corrects: s.corrects.and_then(seq_of),
            recorded_at: s.recorded_at,
        })
        .collect();
    Ok(Case {
        id: ApplicationId::new(row.id),
        number: row.number,
        agency: agency.into(),
        received_on: row.received_on,
        channel,
        applicant,
        intake,
        status,
        outcome,
        closed_on: row.closed_on,
        events: recorded,
        clock,
    })
}
