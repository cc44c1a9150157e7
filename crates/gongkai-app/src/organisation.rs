//! Who does the disclosure work and how its sections are assessed (docs/organisation.md): a
//! 录入 user of the agency records appointments to the 领导小组, the leader in charge and the
//! staff responsible, and the assessment rounds (考核) of its sections with their findings and
//! follow-up; section 一's sentences on them are written from the records of the year.

use crate::App;
use crate::access::{require_sees, require_write};
use crate::error::{AppError, Result};
use gongkai_core::calendar::iso;
use gongkai_core::organisation::{
    self as org, Appointment, AssessmentResult, AssessmentRound, AssessmentYear, Duty,
};
use gongkai_core::user::{Actor, Role};
use gongkai_store::StoreError;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::organisation::{
    self as repo, AppointmentRow, By, NewAppointment, NewResult, ResultRow, RoundRow,
};
use serde::Serialize;
use time::{Date, OffsetDateTime};

const RECORD: (Role, &str, &str) = (
    Role::Entry,
    "record the organisation of the disclosure work",
    "登记政务公开组织领导和考核情况",
);

/// Whether `actor` holds the role to record (the scope is checked per agency).
pub fn may_write(actor: &Actor) -> Result<()> {
    let (role, en, zh) = RECORD;
    crate::access::require(actor, role, en, zh)
}

/// One line of text: control and zero-width characters removed, trimmed, at most `max`
/// characters; empty is refused unless `optional`.
fn text(value: &str, max: usize, zh: &str, optional: bool) -> Result<Option<String>> {
    let t: String = value
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}'))
        .collect();
    let t = t.trim().to_string();
    if t.is_empty() {
        return if optional {
            Ok(None)
        } else {
            Err(AppError::invalid(
                format!("{zh} is empty"),
                format!("{zh}不能为空"),
            ))
        };
    }
    if t.chars().count() > max {
        return Err(AppError::invalid(
            format!("{zh} is longer than {max} characters"),
            format!("{zh}不能超过{max}个字符"),
        ));
    }
    Ok(Some(t))
}

fn check_day(on: Date, today: Date, zh: &str) -> Result<()> {
    if on > today || on.year() < 2008 {
        return Err(AppError::invalid(
            format!("the day {on} is not between 2008 and today ({today})"),
            format!("{zh}{on}有误：应在2008年至今天（{today}）之间"),
        ));
    }
    Ok(())
}

fn by(actor: &Actor, at: OffsetDateTime) -> By<'_> {
    By {
        user_id: actor.id.get(),
        actor: &actor.display_name,
        at,
    }
}

/// An appointment to record.
#[derive(Debug, Clone)]
pub struct AppointmentInput {
    pub agency: String,
    pub duty: Duty,
    pub name: String,
    pub post: String,
    pub section: Option<String>,
    pub from: Date,
    pub until: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppointmentView {
    pub id: i64,
    pub agency_id: i64,
    pub duty: &'static str,
    pub duty_label: &'static str,
    pub name: String,
    pub post: String,
    pub section: Option<String>,
    pub from: String,
    pub until: Option<String>,
    pub recorded_by: String,
    pub ended_by: Option<String>,
}

fn duty_of(r: &AppointmentRow) -> Result<Duty> {
    Duty::parse(&r.duty).ok_or_else(|| {
        AppError::Store(StoreError::Inconsistent(format!(
            "appointment {}: duty {:?}",
            r.id, r.duty
        )))
    })
}

impl AppointmentView {
    fn from_row(r: AppointmentRow) -> Result<AppointmentView> {
        let duty = duty_of(&r)?;
        Ok(AppointmentView {
            id: r.id,
            agency_id: r.agency_id,
            duty: duty.key(),
            duty_label: duty.label(),
            name: r.name,
            post: r.post,
            section: r.section,
            from: iso(r.from_on),
            until: r.until_on.map(iso),
            recorded_by: r.created_actor,
            ended_by: r.ended_actor,
        })
    }
}

/// Records an appointment.
pub async fn appoint(
    app: &App,
    actor: &Actor,
    input: &AppointmentInput,
    today: Date,
    now: OffsetDateTime,
) -> Result<AppointmentView> {
    let agency = agency_repo::find_agency_by_key(&app.db, &input.agency).await?;
    require_write(app, actor, agency.id, &agency.name, RECORD).await?;
    let name = text(&input.name, 50, "姓名", false)?.unwrap_or_default();
    let post = text(&input.post, 100, "职务", false)?.unwrap_or_default();
    let section = match &input.section {
        Some(s) => text(s, 50, "科室", true)?,
        None => None,
    };
    check_day(input.from, today, "任职日期")?;
    if let Some(u) = input.until {
        check_day(u, today, "离任日期")?;
    }
    org::check_period(input.from, input.until).map_err(|(en, zh)| AppError::invalid(en, zh))?;
    let mut tx = app.db.begin().await?;
    let row = repo::insert_appointment(
        &mut tx,
        &NewAppointment {
            agency_id: agency.id,
            duty: input.duty.key(),
            name: &name,
            post: &post,
            section: section.as_deref(),
            from_on: input.from,
            until_on: input.until,
        },
        by(actor, now),
    )
    .await?;
    tx.commit().await?;
    AppointmentView::from_row(row)
}

/// Records the last day served of an appointment still running.
pub async fn end(
    app: &App,
    actor: &Actor,
    id: i64,
    until: Date,
    today: Date,
    now: OffsetDateTime,
) -> Result<AppointmentView> {
    let not_found = || AppError::not_found("appointment", id);
    let row = match repo::find_appointment(&app.db, id).await {
        Ok(r) => r,
        Err(StoreError::NotFound { .. }) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    require_write(app, actor, row.agency_id, &id.to_string(), RECORD)
        .await
        .map_err(|e| match e.kind() {
            crate::error::ErrorKind::NotFound => not_found(),
            _ => e,
        })?;
    check_day(until, today, "离任日期")?;
    org::check_period(row.from_on, Some(until)).map_err(|(en, zh)| AppError::invalid(en, zh))?;
    let mut tx = app.db.begin().await?;
    if !repo::end_appointment(&mut tx, id, until, by(actor, now)).await? {
        return Err(AppError::conflict(
            format!("appointment {id} has already ended"),
            format!("{}的该项任职已登记离任", row.name),
        ));
    }
    tx.commit().await?;
    AppointmentView::from_row(repo::find_appointment(&app.db, id).await?)
}

/// The agency's appointments, by start day.
pub async fn appointments(app: &App, actor: &Actor, agency: &str) -> Result<Vec<AppointmentView>> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    require_sees(app, actor, agency.id, &agency.name).await?;
    repo::appointments(&app.db, agency.id)
        .await?
        .into_iter()
        .map(AppointmentView::from_row)
        .collect()
}

/// An assessment round to record; `results` one section a line ([`org::parse_results`]).
#[derive(Debug, Clone)]
pub struct RoundInput {
    pub agency: String,
    pub on: Date,
    pub title: String,
    pub results: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultView {
    pub id: i64,
    pub section: String,
    pub score: Option<i32>,
    pub finding: Option<String>,
    pub rectified_on: Option<String>,
    pub rectified_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundView {
    pub id: i64,
    pub agency_id: i64,
    pub on: String,
    pub title: String,
    pub recorded_by: String,
    pub results: Vec<ResultView>,
}

fn round_view(round: RoundRow, results: Vec<ResultRow>) -> RoundView {
    RoundView {
        id: round.id,
        agency_id: round.agency_id,
        on: iso(round.held_on),
        title: round.title,
        recorded_by: round.created_actor,
        results: results
            .into_iter()
            .map(|r| ResultView {
                id: r.id,
                section: r.section,
                score: r.score,
                finding: r.finding,
                rectified_on: r.rectified_on.map(iso),
                rectified_by: r.rectified_actor,
            })
            .collect(),
    }
}

/// Records an assessment round with its results.
pub async fn add_round(
    app: &App,
    actor: &Actor,
    input: &RoundInput,
    today: Date,
    now: OffsetDateTime,
) -> Result<RoundView> {
    let agency = agency_repo::find_agency_by_key(&app.db, &input.agency).await?;
    require_write(app, actor, agency.id, &agency.name, RECORD).await?;
    let title = text(&input.title, 200, "考核名称", false)?.unwrap_or_default();
    check_day(input.on, today, "考核日期")?;
    let results =
        org::parse_results(&input.results).map_err(|(en, zh)| AppError::invalid(en, zh))?;
    let new: Vec<NewResult<'_>> = results
        .iter()
        .map(|r| NewResult {
            section: &r.section,
            score: r.score.map(i32::from),
            finding: r.finding.as_deref(),
        })
        .collect();
    let mut tx = app.db.begin().await?;
    let id = repo::insert_round(&mut tx, agency.id, input.on, &title, &new, by(actor, now)).await?;
    tx.commit().await?;
    let year = input.on.year();
    repo::rounds(&app.db, agency.id, Some(year))
        .await?
        .into_iter()
        .find(|(r, _)| r.id == id)
        .map(|(r, x)| round_view(r, x))
        .ok_or_else(|| AppError::not_found("assessment round", id))
}

/// Records that the finding of result `id` was put right on `on`.
pub async fn rectify(
    app: &App,
    actor: &Actor,
    id: i64,
    on: Date,
    today: Date,
    now: OffsetDateTime,
) -> Result<ResultView> {
    let not_found = || AppError::not_found("assessment result", id);
    let (row, agency_id, held_on) = match repo::find_result(&app.db, id).await {
        Ok(r) => r,
        Err(StoreError::NotFound { .. }) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    require_write(app, actor, agency_id, &id.to_string(), RECORD)
        .await
        .map_err(|e| match e.kind() {
            crate::error::ErrorKind::NotFound => not_found(),
            _ => e,
        })?;
    if row.finding.is_none() {
        return Err(AppError::invalid(
            format!("{} had no finding to put right", row.section),
            format!("{}在该次考核中没有发现问题，无需整改", row.section),
        ));
    }
    check_day(on, today, "整改日期")?;
    if on < held_on {
        return Err(AppError::invalid(
            format!("{on} is before the assessment ({held_on})"),
            format!("整改日期{on}早于考核日期{held_on}"),
        ));
    }
    let mut tx = app.db.begin().await?;
    if !repo::rectify(&mut tx, id, on, by(actor, now)).await? {
        return Err(AppError::conflict(
            format!("the finding of {} was already put right", row.section),
            format!("{}的问题已登记整改", row.section),
        ));
    }
    tx.commit().await?;
    let (r, _, _) = repo::find_result(&app.db, id).await?;
    Ok(ResultView {
        id: r.id,
        section: r.section,
        score: r.score,
        finding: r.finding,
        rectified_on: r.rectified_on.map(iso),
        rectified_by: r.rectified_actor,
    })
}

/// The agency's rounds held in `year`.
pub async fn rounds(app: &App, actor: &Actor, agency: &str, year: i32) -> Result<Vec<RoundView>> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    require_sees(app, actor, agency.id, &agency.name).await?;
    Ok(repo::rounds(&app.db, agency.id, Some(year))
        .await?
        .into_iter()
        .map(|(r, x)| round_view(r, x))
        .collect())
}

/// What section 一 says of the organisation and the assessment of a year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationYear {
    /// 「加强组织领导。…」, without appointments none.
    pub organisation: Option<String>,
    pub assessment: AssessmentYear,
    pub year: i32,
}

impl OrganisationYear {
    /// 「工作考核情况。…」, without a round none.
    pub fn assessment_sentence(&self) -> Option<String> {
        self.assessment.sentence(self.year)
    }
}

/// The records of agency `agency_id` for `year`, as section 一 reports them.
pub async fn year_of(app: &App, agency_id: i64, year: i32) -> Result<OrganisationYear> {
    let agency = agency_repo::find_agency(&app.db, agency_id).await?;
    let mut all = Vec::new();
    for r in repo::appointments(&app.db, agency_id).await? {
        all.push(Appointment {
            duty: duty_of(&r)?,
            name: r.name,
            post: r.post,
            section: r.section,
            from: r.from_on,
            until: r.until_on,
        });
    }
    let rounds: Vec<AssessmentRound> = repo::rounds(&app.db, agency_id, Some(year))
        .await?
        .into_iter()
        .map(|(r, x)| AssessmentRound {
            on: r.held_on,
            title: r.title,
            results: x
                .into_iter()
                .map(|x| AssessmentResult {
                    section: x.section,
                    score: x.score.and_then(|s| u8::try_from(s).ok()),
                    finding: x.finding,
                    rectified_on: x.rectified_on,
                })
                .collect(),
        })
        .collect();
    Ok(OrganisationYear {
        organisation: org::organisation_sentence(&all, &agency.name, year),
        assessment: AssessmentYear::tally(&rounds, year),
        year,
    })
}
