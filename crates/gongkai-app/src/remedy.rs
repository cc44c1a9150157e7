//! Remedy cases (行政复议, 行政诉讼): add, decide (a decided case is changed only by a
//! correction with its reason, and the history keeps the decision it replaces), list, show,
//! and table 四 of the annual report counted from them
//! (docs/rules/annual-report.md#table-四-remedy-cases).
//!
//! Who may do what: a user with the 录入, 审核 or 负责人 role of the agency adds and
//! decides; whoever sees the agency (a region's 监督 user included) reads. The application a
//! case names must be the same agency's. A direct suit filed from 2024-01-01 against a
//! recorded 不予公开 answer is refused unless the court's acceptance is recorded (复议前置,
//! 《行政复议法》 (2023) Art. 23 ¶1(4)). Each write runs in one transaction: a refused action
//! writes nothing.

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::application::{Outcome, iso_date, iso_date_opt};
use gongkai_core::ids::{AgencyId, UserId};
use gongkai_core::remedy::{
    self, ApplicationFacts, Decision, NewRemedy, RemedyError, RemedyKind, RemedyOutcome,
    ReviewFacts, Table4Case, count_table4,
};
use gongkai_core::report::AnnualReport;
use gongkai_core::user::{Actor, Role};
use gongkai_store::Db;
use gongkai_store::StoreError;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::application::{self as app_repo, ListFilter, Scope};
use gongkai_store::repo::case_list::Visible;
use gongkai_store::repo::remedy::{
    self as repo, ChangeRow, NewChange, NewRemedy as StoredRemedy, RemedyRow,
};
use serde::Serialize;
use time::{Date, OffsetDateTime};

/// The roles that record remedy cases.
const WRITE_ROLES: [Role; 3] = [Role::Entry, Role::Review, Role::Head];

/// A new remedy case as a front end collects it.
#[derive(Debug, Clone)]
pub struct RemedyInput {
    /// The agency's name or organisation code.
    pub agency: String,
    pub kind: RemedyKind,
    /// 申请编号 of the application it concerns.
    pub application: Option<String>,
    /// What it is about, when it concerns no application.
    pub subject: Option<String>,
    /// For 复议后起诉: the number of the review case it follows.
    pub after_review: Option<String>,
    /// 复议机关 or 人民法院.
    pub body: String,
    pub filed_on: Date,
    /// 案号 / 文号.
    pub case_number: Option<String>,
    pub note: Option<String>,
    /// The court accepted a direct suit the 复议前置 rule refuses (recorded with the case).
    pub court_accepted_direct: bool,
    pub override_note: Option<String>,
}

/// A decision (审结) as entered; `reason` is required to correct a recorded one.
#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub on: Date,
    pub outcome: RemedyOutcome,
    pub reason: Option<String>,
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct RemedyFilter {
    /// One agency (name or organisation code) within the user's scope; all of it otherwise.
    pub agency: Option<String>,
    /// Filed in this year.
    pub year: Option<i32>,
    /// Only cases not yet decided (尚未审结).
    pub pending_only: bool,
}

/// A remedy case as shown and served.
#[derive(Debug, Clone, Serialize)]
pub struct RemedyView {
    /// `复议-2024-0001`.
    pub number: String,
    pub agency_id: AgencyId,
    pub agency: String,
    pub kind: RemedyKind,
    /// `行政复议`, `行政诉讼（未经复议直接起诉）`, `行政诉讼（复议后起诉）`.
    pub kind_label: &'static str,
    /// 申请编号 of the application it concerns.
    pub application: Option<String>,
    pub subject: Option<String>,
    /// The review case a 复议后起诉 follows.
    pub after_review: Option<String>,
    /// 复议机关 or 人民法院.
    pub body: String,
    pub case_number: Option<String>,
    #[serde(with = "iso_date")]
    pub filed_on: Date,
    #[serde(with = "iso_date_opt")]
    pub decided_on: Option<Date>,
    /// `None`: 尚未审结.
    pub outcome: Option<RemedyOutcome>,
    /// `结果维持`, `结果纠正`, `其他结果` or `尚未审结`.
    pub outcome_label: &'static str,
    /// A direct suit the court accepted although 复议前置 applied.
    pub court_accepted_direct: bool,
    pub override_note: Option<String>,
    pub note: Option<String>,
    pub created_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// What happened to the case, oldest first (empty in lists).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<ChangeView>,
}

/// One entry of a case's history.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub seq: i64,
    /// `filed`, `decided` or `corrected`.
    pub what: String,
    /// `登记`, `审结`, `更正`.
    pub what_label: &'static str,
    #[serde(with = "iso_date_opt")]
    pub decided_on: Option<Date>,
    pub outcome: Option<RemedyOutcome>,
    pub outcome_label: Option<&'static str>,
    pub reason: Option<String>,
    pub user_id: UserId,
    /// The user's display name at the time.
    pub actor: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// An application of the agency a case may name, for a front end's choice.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationChoice {
    /// 申请编号.
    pub number: String,
    #[serde(with = "iso_date")]
    pub received_on: Date,
    /// The printed label of its outcome, when answered.
    pub outcome_label: Option<String>,
}

/// The check of recording remedy cases that needs no record, for a front end to make before
/// it parses a form: 录入, 审核 or 负责人, and not a region's supervisor (who reads the
/// agencies below, never writes for them).
pub fn may_write(actor: &Actor) -> Result<()> {
    if !WRITE_ROLES.iter().any(|r| actor.has(*r)) {
        return Err(AppError::forbidden(
            format!(
                "{} may not record remedy cases: that needs the role entry, review or head",
                actor.name
            ),
            format!(
                "{}无权登记行政复议、行政诉讼案件（需要“录入”“审核”或“负责人”角色）",
                actor.display_name
            ),
        ));
    }
    if actor.agency.is_none() && actor.region.is_some() {
        return Err(AppError::forbidden(
            format!(
                "{} oversees a region and may read its agencies' remedy cases, not record them",
                actor.name
            ),
            format!(
                "{}为地区监督用户，只能查阅下级机关的行政复议、行政诉讼案件，无权登记",
                actor.display_name
            ),
        ));
    }
    Ok(())
}

/// Refuses, as not found, an agency `actor` may not see.
async fn require_sees(app: &App, actor: &Actor, agency_id: i64, what: &str) -> Result<()> {
    if crate::access::sees_agency(app, actor, agency_id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("remedy case", what))
    }
}

/// The check before a change to agency `agency_id`'s remedy cases: visible (else not found),
/// then [`may_write`].
async fn require_write(app: &App, actor: &Actor, agency_id: i64, what: &str) -> Result<()> {
    require_sees(app, actor, agency_id, what).await?;
    may_write(actor)
}

fn domain_error(e: RemedyError) -> AppError {
    let (en, zh) = (e.to_string(), e.zh());
    match e {
        RemedyError::ReviewFirst { .. }
        | RemedyError::CorrectionNeedsReason { .. }
        | RemedyError::Unchanged { .. } => AppError::refused(en, zh),
        _ => AppError::invalid(en, zh),
    }
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Adds a remedy case of `input.agency`, numbered `复议-YYYY-NNNN` or `诉讼-YYYY-NNNN` by the
/// year of filing.
pub async fn add(app: &App, actor: &Actor, input: RemedyInput, today: Date) -> Result<RemedyView> {
    may_write(actor)?;
    let agency = agency_repo::find_agency_by_key(&app.db, &input.agency).await?;
    if !crate::access::sees_agency(app, actor, agency.id).await? {
        return Err(AppError::not_found("agency", input.agency.trim()));
    }
    require_write(app, actor, agency.id, &agency.name).await?;
    let mut tx = app.db.begin().await?;
    let application = match clean(&input.application) {
        None => None,
        Some(number) => {
            let row = match app_repo::find_by_number(&mut tx, &number).await {
                Ok(row) => row,
                Err(StoreError::NotFound { .. }) => {
                    return Err(AppError::not_found("application", number));
                }
                Err(e) => return Err(e.into()),
            };
            if row.agency_id != agency.id {
                return Err(AppError::refused(
                    format!(
                        "application {number} is not an application of {}: a remedy case is recorded by the agency whose application it concerns",
                        agency.name
                    ),
                    format!(
                        "申请{number}不是{}的申请，不能为其登记行政复议、行政诉讼案件；请由作出答复的机关登记",
                        agency.name
                    ),
                ));
            }
            let answered = match (&row.outcome, row.closed_on) {
                (Some(key), Some(on)) => Some((
                    Outcome::from_key(key).ok_or_else(|| AppError::Corrupt {
                        number: row.number.clone(),
                        seq: 0,
                        message: format!("unknown outcome {key}"),
                    })?,
                    on,
                )),
                _ => None,
            };
            Some((
                row.id,
                ApplicationFacts {
                    number: row.number,
                    received_on: row.received_on,
                    answered,
                },
            ))
        }
    };
    let after_review = match clean(&input.after_review) {
        None => None,
        Some(number) => {
            let row = match repo::find_by_number(&mut tx, &number).await {
                Ok(row) => row,
                Err(StoreError::NotFound { .. }) => {
                    return Err(AppError::not_found("remedy case", number));
                }
                Err(e) => return Err(e.into()),
            };
            if row.agency_id != agency.id {
                return Err(AppError::refused(
                    format!("{number} is not a remedy case of {}", agency.name),
                    format!("{number}不是{}的行政复议案件", agency.name),
                ));
            }
            let kind = parse_kind(&row)?;
            Some((
                row.id,
                ReviewFacts {
                    number: row.number,
                    kind,
                    filed_on: row.filed_on,
                    application: row.application_number,
                },
            ))
        }
    };
    let valid = remedy::validate(
        &NewRemedy {
            kind: input.kind,
            filed_on: input.filed_on,
            body: input.body.clone(),
            case_number: input.case_number.clone(),
            application: application.as_ref().map(|(_, f)| f.clone()),
            subject: input.subject.clone(),
            after_review: after_review.as_ref().map(|(_, f)| f.clone()),
            court_accepted_direct: input.court_accepted_direct,
            override_note: input.override_note.clone(),
            note: input.note.clone(),
        },
        today,
    )
    .map_err(domain_error)?;
    // The application, named or taken from the review the suit follows.
    let application_id = match (&application, &valid.application) {
        (Some((id, _)), _) => Some(*id),
        (None, Some(number)) => Some(app_repo::find_by_number(&mut tx, number).await?.id),
        (None, None) => None,
    };
    let number = repo::next_number(&mut tx, valid.kind.number_prefix(), valid.filed_on).await?;
    repo::insert(
        &mut tx,
        &StoredRemedy {
            agency_id: agency.id,
            number: &number,
            kind: valid.kind.key(),
            application_id,
            subject: valid.subject.as_deref(),
            after_review_id: after_review.as_ref().map(|(id, _)| *id),
            body: &valid.body,
            case_number: valid.case_number.as_deref(),
            filed_on: valid.filed_on,
            court_accepted_direct: valid.court_accepted_direct,
            override_note: valid.override_note.as_deref(),
            note: valid.note.as_deref(),
            user_id: actor.id.get(),
            at: OffsetDateTime::now_utc(),
        },
        &actor.display_name,
    )
    .await?;
    tx.commit().await?;
    show(app, actor, &number).await
}

/// Records the decision of case `number`. A decided case takes a new decision only as a
/// correction with a reason; the history keeps the decision it replaces.
pub async fn decide(
    app: &App,
    actor: &Actor,
    number: &str,
    input: DecisionInput,
    today: Date,
) -> Result<RemedyView> {
    may_write(actor)?;
    let mut tx = app.db.begin().await?;
    let row = repo::lock_by_number(&mut tx, number).await?;
    require_write(app, actor, row.agency_id, &row.number).await?;
    let current = match (row.decided_on, &row.outcome) {
        (Some(on), Some(_)) => Some(Decision {
            on,
            outcome: parse_outcome(&row)?.ok_or_else(|| corrupt(&row, "no outcome"))?,
        }),
        _ => None,
    };
    let reason = clean(&input.reason);
    let decision = Decision {
        on: input.on,
        outcome: input.outcome,
    };
    let change = remedy::validate_decision(
        &row.number,
        row.filed_on,
        current,
        decision,
        reason.as_deref(),
        today,
    )
    .map_err(domain_error)?;
    let at = OffsetDateTime::now_utc();
    repo::append_change(
        &mut tx,
        row.id,
        &NewChange {
            what: change.key(),
            decided_on: Some(decision.on),
            outcome: Some(decision.outcome.key()),
            reason: reason.as_deref(),
            user_id: actor.id.get(),
            actor: &actor.display_name,
            at,
        },
    )
    .await?;
    repo::set_decision(
        &mut tx,
        row.id,
        decision.on,
        decision.outcome.key(),
        actor.id.get(),
        at,
    )
    .await?;
    tx.commit().await?;
    show(app, actor, &row.number).await
}

/// The remedy cases `actor` may see (or one agency's), newest filing first.
pub async fn list(app: &App, actor: &Actor, filter: &RemedyFilter) -> Result<Vec<RemedyView>> {
    let visible = match filter.agency.as_deref().map(str::trim) {
        Some(key) if !key.is_empty() => {
            let agency = agency_repo::find_agency_by_key(&app.db, key).await?;
            if !crate::access::sees_agency(app, actor, agency.id).await? {
                return Err(AppError::not_found("agency", key));
            }
            Visible::Agency(agency.id)
        }
        _ => crate::access::visible(actor),
    };
    let rows = repo::list(
        &app.db,
        &repo::ListFilter {
            visible,
            year: filter.year,
            pending_only: filter.pending_only,
        },
    )
    .await?;
    rows.into_iter().map(|r| view(r, Vec::new())).collect()
}

/// A case with its history; a case of an agency `actor` may not see is not found.
pub async fn show(app: &App, actor: &Actor, number: &str) -> Result<RemedyView> {
    let row = match repo::find_by_number(&app.db, number).await {
        Ok(row) => row,
        Err(StoreError::NotFound { .. }) => {
            return Err(AppError::not_found("remedy case", number.trim()));
        }
        Err(e) => return Err(e.into()),
    };
    require_sees(app, actor, row.agency_id, &row.number).await?;
    let changes = repo::changes(&app.db, row.id).await?;
    let history = changes
        .into_iter()
        .map(|c| change_view(&row, c))
        .collect::<Result<Vec<_>>>()?;
    view(row, history)
}

/// The applications of agency `agency` a case may name, newest first (for a form's choice).
pub async fn application_choices(
    app: &App,
    actor: &Actor,
    agency: &str,
) -> Result<Vec<ApplicationChoice>> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    if !crate::access::sees_agency(app, actor, agency.id).await? {
        return Err(AppError::not_found("agency", &agency.name));
    }
    let mut rows = app_repo::list(
        &app.db,
        &ListFilter {
            agency_id: Some(agency.id),
            open_only: false,
        },
    )
    .await?;
    rows.reverse();
    Ok(rows
        .into_iter()
        .map(|r| ApplicationChoice {
            number: r.number,
            received_on: r.received_on,
            outcome_label: r.outcome.as_deref().and_then(Outcome::from_key).map(|o| {
                match o.group_label() {
                    Some(g) => format!("{g} {}", o.label()),
                    None => o.label().to_string(),
                }
            }),
        })
        .collect())
}

/// Fills table 四 from the remedy cases of the scope filed in `year`: every cell counted (0
/// when there is none), each with the numbers of the cases it counts
/// (`gongkai_core::remedy::count_table4`).
pub async fn fill_table4(
    db: &Db,
    scope: Scope,
    year: i32,
    report: &mut AnnualReport,
) -> Result<()> {
    let rows = repo::t4_rows(db, scope, year).await?;
    let mut cases = Vec::with_capacity(rows.len());
    for r in rows {
        let bad = |message: String| AppError::Corrupt {
            number: r.number.clone(),
            seq: 0,
            message,
        };
        let kind =
            RemedyKind::parse(&r.kind).ok_or_else(|| bad(format!("unknown kind {}", r.kind)))?;
        let decided = match (r.decided_on, r.outcome.as_deref()) {
            (Some(on), Some(key)) => Some((
                on,
                RemedyOutcome::parse(key).ok_or_else(|| bad(format!("unknown outcome {key}")))?,
            )),
            _ => None,
        };
        cases.push(Table4Case {
            number: r.number,
            kind,
            filed_on: r.filed_on,
            decided,
        });
    }
    report.table4 = count_table4(&cases, year);
    Ok(())
}

fn corrupt(row: &RemedyRow, message: &str) -> AppError {
    AppError::Corrupt {
        number: row.number.clone(),
        seq: 0,
        message: message.to_string(),
    }
}

fn parse_kind(row: &RemedyRow) -> Result<RemedyKind> {
    RemedyKind::parse(&row.kind).ok_or_else(|| corrupt(row, &format!("unknown kind {}", row.kind)))
}

fn parse_outcome(row: &RemedyRow) -> Result<Option<RemedyOutcome>> {
    match row.outcome.as_deref() {
        None => Ok(None),
        Some(key) => RemedyOutcome::parse(key)
            .map(Some)
            .ok_or_else(|| corrupt(row, &format!("unknown outcome {key}"))),
    }
}

fn view(row: RemedyRow, history: Vec<ChangeView>) -> Result<RemedyView> {
    let kind = parse_kind(&row)?;
    let outcome = parse_outcome(&row)?;
    Ok(RemedyView {
        number: row.number,
        agency_id: AgencyId::new(row.agency_id),
        agency: row.agency_name,
        kind,
        kind_label: kind.label(),
        application: row.application_number,
        subject: row.subject,
        after_review: row.after_review_number,
        body: row.body,
        case_number: row.case_number,
        filed_on: row.filed_on,
        decided_on: row.decided_on,
        outcome,
        outcome_label: remedy::outcome_label(outcome),
        court_accepted_direct: row.court_accepted_direct,
        override_note: row.override_note,
        note: row.note,
        created_by: UserId::new(row.created_by),
        created_at: row.created_at,
        updated_at: row.updated_at,
        history,
    })
}

fn change_view(row: &RemedyRow, c: ChangeRow) -> Result<ChangeView> {
    let outcome = match c.outcome.as_deref() {
        None => None,
        Some(key) => Some(
            RemedyOutcome::parse(key)
                .ok_or_else(|| corrupt(row, &format!("unknown outcome {key}")))?,
        ),
    };
    let what_label = match c.what.as_str() {
        "filed" => "登记",
        "decided" => "审结",
        "corrected" => "更正",
        other => return Err(corrupt(row, &format!("unknown history entry {other}"))),
    };
    Ok(ChangeView {
        seq: c.seq,
        what: c.what,
        what_label,
        decided_on: c.decided_on,
        outcome,
        outcome_label: outcome.map(RemedyOutcome::label),
        reason: c.reason,
        user_id: UserId::new(c.user_id),
        actor: c.actor,
        at: c.at,
    })
}
