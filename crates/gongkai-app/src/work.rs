//! Work records (docs/work-records.md): a 录入 user of the agency records its meetings,
//! trainings and the documents that govern its disclosure work as they happen; the annual
//! report's section 一 paragraph and `figures` are computed from the records of the year.

use crate::App;
use crate::access::{require_sees, require_write};
use crate::error::{AppError, Result};
use gongkai_core::user::{Actor, Role};
use gongkai_core::work::{WorkKind, WorkRecord, WorkYear, clean_title};
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::work::{self as repo, NewWork, WorkRow};
use serde::Serialize;
use time::{Date, OffsetDateTime};

const RECORD: (Role, &str, &str) = (
    Role::Entry,
    "record the agency's work",
    "登记政务公开工作记录",
);

/// A record to add.
#[derive(Debug, Clone)]
pub struct WorkInput {
    /// The agency's name or organisation code.
    pub agency: String,
    pub kind: WorkKind,
    pub on: Date,
    pub title: String,
    pub participants: Option<i64>,
    pub note: Option<String>,
}

/// A record as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkView {
    pub id: i64,
    pub agency_id: i64,
    pub kind: &'static str,
    pub kind_label: &'static str,
    #[serde(with = "iso_date")]
    pub on: Date,
    pub title: String,
    pub participants: Option<i64>,
    pub note: Option<String>,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// Who removed it and why, when it was removed.
    pub removed: Option<Removal>,
}

/// The removal of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub reason: String,
}

mod iso_date {
    use serde::Serializer;
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&gongkai_core::calendar::iso(*d))
    }
}

fn kind_of(r: &WorkRow) -> Result<WorkKind> {
    WorkKind::parse(&r.kind).ok_or_else(|| {
        AppError::Store(gongkai_store::StoreError::Inconsistent(format!(
            "work record {}: unknown kind {}",
            r.id, r.kind
        )))
    })
}

impl WorkView {
    fn from_row(r: WorkRow) -> Result<WorkView> {
        let kind = kind_of(&r)?;
        let removed = match (r.removed_at, r.removed_reason) {
            (Some(at), Some(reason)) => Some(Removal {
                by: r.removed_actor.unwrap_or_default(),
                at,
                reason,
            }),
            _ => None,
        };
        Ok(WorkView {
            id: r.id,
            agency_id: r.agency_id,
            kind: kind.key(),
            kind_label: kind.label(),
            on: r.held_on,
            title: r.title,
            participants: r.participants,
            note: r.note,
            recorded_by: r.created_actor,
            recorded_at: r.created_at,
            removed,
        })
    }
}

/// Whether `actor` holds the role to record work (the scope is checked per agency).
pub fn may_write(actor: &Actor) -> Result<()> {
    let (role, en, zh) = RECORD;
    crate::access::require(actor, role, en, zh)
}

/// The longest note kept.
const MAX_NOTE_CHARS: usize = 2000;

/// Records a meeting, a training or a document of the agency's work. The day may not lie
/// after `today` (work is recorded once done) nor before 2008 (the first 条例).
pub async fn add(
    app: &App,
    actor: &Actor,
    input: WorkInput,
    today: Date,
    now: OffsetDateTime,
) -> Result<WorkView> {
    let agency = agency_repo::find_agency_by_key(&app.db, &input.agency).await?;
    require_write(app, actor, agency.id, &agency.name, RECORD).await?;
    let title = clean_title(&input.title).map_err(|r| AppError::invalid(r.en, r.zh))?;
    if input.on > today || input.on.year() < 2008 {
        return Err(AppError::invalid(
            format!(
                "the day {} is not a day work could have been done (2008 to today, {today})",
                input.on
            ),
            format!("日期{}有误：应在2008年至今天（{today}）之间", input.on),
        ));
    }
    let participants = match input.participants {
        Some(n) if !(1..=100_000).contains(&n) => {
            return Err(AppError::invalid(
                format!("{n} participants: give a number from 1 to 100000, or none"),
                format!("参加人数{n}有误：应为1至100000，或不填"),
            ));
        }
        p => p.filter(|_| input.kind.is_event()),
    };
    let note = input
        .note
        .as_deref()
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control() || *c == '\n')
                .collect::<String>()
        })
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if let Some(n) = &note
        && n.chars().count() > MAX_NOTE_CHARS
    {
        return Err(AppError::invalid(
            format!("the note is longer than {MAX_NOTE_CHARS} characters"),
            format!("备注不能超过{MAX_NOTE_CHARS}个字符"),
        ));
    }
    let mut tx = app.db.begin().await?;
    let row = repo::insert(
        &mut tx,
        &NewWork {
            agency_id: agency.id,
            kind: input.kind.key(),
            held_on: input.on,
            title: &title,
            participants,
            note: note.as_deref(),
            user_id: actor.id.get(),
            actor: &actor.display_name,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    WorkView::from_row(row)
}

/// The agency's records of `year` (every year when `None`), removed ones too when asked.
pub async fn list(
    app: &App,
    actor: &Actor,
    agency: &str,
    year: Option<i32>,
    with_removed: bool,
) -> Result<Vec<WorkView>> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    require_sees(app, actor, agency.id, &agency.name).await?;
    repo::list(&app.db, agency.id, year, with_removed)
        .await?
        .into_iter()
        .map(WorkView::from_row)
        .collect()
}

/// Removes record `id` with a reason; the record is kept, marked removed, and no longer
/// counted.
pub async fn remove(
    app: &App,
    actor: &Actor,
    id: i64,
    reason: &str,
    now: OffsetDateTime,
) -> Result<WorkView> {
    let not_found = || AppError::not_found("work record", id);
    let row = match repo::find(&app.db, id).await {
        Ok(r) => r,
        Err(gongkai_store::StoreError::NotFound { .. }) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    // Another agency's record does not exist for this user.
    require_write(app, actor, row.agency_id, &id.to_string(), RECORD)
        .await
        .map_err(|e| match e.kind() {
            crate::error::ErrorKind::NotFound => not_found(),
            _ => e,
        })?;
    let reason: String = reason.chars().filter(|c| !c.is_control()).collect();
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "give the reason for removing the record",
            "删除工作记录须说明理由",
        ));
    }
    let mut tx = app.db.begin().await?;
    if !repo::remove(
        &mut tx,
        id,
        actor.id.get(),
        &actor.display_name,
        reason,
        now,
    )
    .await?
    {
        return Err(AppError::conflict(
            format!("work record {id} was already removed"),
            format!("该工作记录（{id}）已删除"),
        ));
    }
    tx.commit().await?;
    WorkView::from_row(repo::find(&app.db, id).await?)
}

/// The agency's work of `year` as the report counts it (removed records left out).
pub async fn year_of(app: &App, agency_id: i64, year: i32) -> Result<WorkYear> {
    let mut records = Vec::new();
    for r in repo::list(&app.db, agency_id, Some(year), false).await? {
        records.push(WorkRecord {
            kind: kind_of(&r)?,
            on: r.held_on,
            title: r.title,
        });
    }
    Ok(WorkYear::tally(&records, year))
}
