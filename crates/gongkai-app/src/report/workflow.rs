//! The report's workflow and versions (docs/rules/annual-report.md#workflow): submit (refused
//! while an error-severity rule fails or cannot be assessed for blank cells, naming the cells), return with reasons, approve,
//! publish as an immutable version, correct (reopen; the next version carries the reason).
//! The order of steps and the separation of duties are `gongkai_core::report::workflow`'s.

use crate::App;
use crate::application::online::beijing_time;
use crate::error::{AppError, Result};
use gongkai_core::report::workflow::{self as wf, Action, Refusal, State, Step};
use gongkai_core::report::{Finding, Severity, Status, check, json};
use gongkai_core::user::{Actor, Role};
use gongkai_store::Tx;
use gongkai_store::repo::agency::Agency;
use gongkai_store::repo::report as repo;
use serde::Serialize;
use time::OffsetDateTime;

pub(super) fn refusal(r: Refusal) -> AppError {
    AppError::refused(r.en, r.zh)
}

/// The agency named by `key` if `actor` may see it; another agency's report does not exist
/// for them (docs/back-office.md#scope).
pub async fn visible_agency(app: &App, actor: &Actor, key: &str) -> Result<Agency> {
    let a = super::narrative::agency(app, key).await?;
    if !crate::access::sees_agency(app, actor, a.id).await? {
        return Err(AppError::not_found("annual report", key));
    }
    Ok(a)
}

/// Refuses an actor who may not take `action`: a region's supervisor reads reports and never
/// writes them; otherwise the action's roles.
pub(super) fn require_report_role(
    actor: &Actor,
    action: Action,
    what_en: &str,
    what_zh: &str,
) -> Result<()> {
    if actor.agency.is_none() && actor.region.is_some() && actor.has(Role::Supervise) {
        return Err(AppError::forbidden(
            format!(
                "{} oversees a region and may read its agencies' reports, not {what_en}",
                actor.name
            ),
            format!(
                "{}为地区监督用户，只能查阅下级机关的年度报告，无权{what_zh}",
                actor.display_name
            ),
        ));
    }
    crate::catalog::access::require_any(actor, action.roles(), what_en, what_zh)
}

pub(super) async fn load_steps(tx: &mut Tx, agency_id: i64, year: i32) -> Result<Vec<Step>> {
    repo::steps(tx, agency_id, year)
        .await?
        .iter()
        .map(step_of)
        .collect()
}

fn step_of(r: &repo::StepRow) -> Result<Step> {
    Ok(Step {
        action: Action::from_key(&r.action)
            .ok_or_else(|| inconsistent(format!("report step {} is {:?}", r.seq, r.action)))?,
        by: r.user_id,
    })
}

/// What a step needs besides its action.
#[derive(Debug, Clone, Default)]
pub struct StepInput<'a> {
    /// Why: required to return and to correct.
    pub reason: Option<&'a str>,
}

/// Takes a step of agency `agency`'s report for `year`. A refusal writes nothing.
pub async fn act(
    app: &App,
    actor: &Actor,
    agency: &str,
    year: i32,
    action: Action,
    input: StepInput<'_>,
    now: OffsetDateTime,
) -> Result<WorkflowView> {
    let a = visible_agency(app, actor, agency).await?;
    if a.org_code.is_none() {
        return Err(AppError::refused(
            format!(
                "{} is known only by its published reports (no organisation code): its reports are imported, not written here",
                a.name
            ),
            format!(
                "{}未登记组织机构代码，仅以导入方式报送年报，不能在本系统编写",
                a.name
            ),
        ));
    }
    require_report_role(
        actor,
        action,
        &format!("{} the annual report", action.key()),
        &format!("对年度报告{}", action.label()),
    )?;
    let reason = input.reason.map(str::trim).filter(|r| !r.is_empty());
    if action.needs_reason() && reason.is_none() {
        return Err(AppError::invalid(
            format!("{} needs a reason", action.key()),
            format!("{}须说明理由", action.label()),
        ));
    }
    // A submission freezes the report as computed now, after its rules pass.
    let document = match action {
        Action::Submit => Some(submittable(app, &a, year).await?),
        _ => None,
    };
    let mut tx = app.db.begin().await?;
    let steps = load_steps(&mut tx, a.id, year).await?;
    wf::may(&steps, action, actor.id.get()).map_err(refusal)?;
    if action == Action::Publish {
        publish(&mut tx, actor, &a, year, now).await?;
    }
    repo::add_step(
        &mut tx,
        &repo::NewStep {
            agency_id: a.id,
            year,
            seq: steps.len() as i32 + 1,
            action: action.key(),
            user_id: actor.id.get(),
            actor: &actor.display_name,
            at: now,
            reason,
            document: document.as_deref(),
        },
    )
    .await?;
    tx.commit().await?;
    status(app, actor, a.key(), year).await
}

/// The report as it would be submitted: computed, checked, and refused while an error-severity
/// rule fails — the message names each failing rule and its cells.
async fn submittable(app: &App, a: &Agency, year: i32) -> Result<String> {
    let report = super::compute(app, a.key(), year).await?;
    let findings = check(&report, None);
    // A blank cell makes its rule unassessable: an incomplete report is not submitted either.
    let failing: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            f.rule.severity == Severity::Error
                && matches!(f.status, Status::Fail | Status::Unassessable)
        })
        .collect();
    if !failing.is_empty() {
        let list = |lang| {
            failing
                .iter()
                .map(|f| {
                    let cells: Vec<String> = f.cells.iter().map(|c| c.path()).collect();
                    format!("{} {} [{}]", f.rule.id, f.message(lang), cells.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        return Err(AppError::refused(
            format!(
                "{} error-severity rule(s) fail or cannot be assessed (blank cells): the report cannot be submitted: {}",
                failing.len(),
                list(gongkai_core::report::rules::Lang::En)
            ),
            format!(
                "报告有{}项错误级规则未通过或因空白单元格无法判断，不能提交：{}",
                failing.len(),
                list(gongkai_core::report::rules::Lang::Zh)
            ),
        ));
    }
    let mut doc = serde_json::to_string_pretty(&json::to_json(&report, Some(&findings)))
        .map_err(|e| AppError::internal("cannot encode the report", e))?;
    doc.push('\n');
    Ok(doc)
}

/// Records the submitted document as the next version; after the first, with the reason of
/// the correction that reopened it.
async fn publish(
    tx: &mut Tx,
    actor: &Actor,
    a: &Agency,
    year: i32,
    now: OffsetDateTime,
) -> Result<()> {
    let document = repo::submitted_document(tx, a.id, year)
        .await?
        .ok_or_else(|| {
            inconsistent(format!(
                "agency {} {year}: approved, nothing submitted",
                a.id
            ))
        })?;
    let steps = repo::steps(tx, a.id, year).await?;
    let version = steps.iter().filter(|s| s.action == "publish").count() as i32 + 1;
    let reason = if version == 1 {
        None
    } else {
        steps
            .iter()
            .rev()
            .find(|s| s.action == "correct")
            .and_then(|s| s.reason.clone())
    };
    let sha = crate::sha256_hex(document.as_bytes());
    repo::add_version(
        tx,
        &repo::NewVersion {
            agency_id: a.id,
            year,
            version,
            document: &document,
            sha256: &sha,
            reason: reason.as_deref(),
            published_by: actor.id.get(),
            actor: &actor.display_name,
            at: now,
        },
    )
    .await?;
    // The region's supervisor sees the publication at once (docs/supervision.md).
    crate::supervision::project::refresh(tx, a.id, year).await?;
    Ok(())
}

fn inconsistent(message: String) -> AppError {
    AppError::Store(gongkai_store::StoreError::Inconsistent(message))
}

/// A step as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepView {
    pub seq: i32,
    pub action: &'static str,
    pub label: &'static str,
    pub by: String,
    pub by_id: i64,
    pub at: String,
    pub reason: Option<String>,
}

/// A published version as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionView {
    pub version: i32,
    pub sha256: String,
    pub reason: Option<String>,
    pub published_by: String,
    pub published_at: String,
}

/// Where an agency's report for a year stands: state, log, versions, what the actor may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowView {
    pub agency: String,
    pub agency_id: i64,
    pub year: i32,
    pub state: &'static str,
    pub state_label: &'static str,
    pub steps: Vec<StepView>,
    pub versions: Vec<VersionView>,
    /// The steps `actor` may take now (roles, order and separation of duties).
    pub actions: Vec<&'static str>,
    /// The region supervisor's reviews of the published report, oldest first: a return comes
    /// back here with its reasons (docs/supervision.md#review).
    pub supervision: Vec<crate::supervision::review::ReviewView>,
}

impl WorkflowView {
    pub fn editable(&self) -> bool {
        self.state == State::Draft.key() || self.state == State::Returned.key()
    }
}

/// The workflow of an agency's report for a year, as `actor` sees it.
pub async fn status(app: &App, actor: &Actor, agency: &str, year: i32) -> Result<WorkflowView> {
    let a = visible_agency(app, actor, agency).await?;
    let rows = repo::steps_of(&app.db, a.id, year).await?;
    let steps: Vec<Step> = rows.iter().map(step_of).collect::<Result<_>>()?;
    let state = wf::state_of(&steps);
    let actions = Action::ALL
        .into_iter()
        .filter(|act| {
            require_report_role(actor, *act, "", "").is_ok()
                && wf::may(&steps, *act, actor.id.get()).is_ok()
        })
        .map(Action::key)
        .collect();
    let versions = versions(app, a.id, year).await?;
    Ok(WorkflowView {
        agency: a.name,
        agency_id: a.id,
        year,
        state: state.key(),
        state_label: state.label(),
        steps: rows
            .into_iter()
            .zip(steps)
            .map(|(r, s)| StepView {
                seq: r.seq,
                action: s.action.key(),
                label: s.action.label(),
                by: r.actor,
                by_id: r.user_id,
                at: beijing_time(r.at),
                reason: r.reason,
            })
            .collect(),
        versions,
        actions,
        supervision: crate::supervision::review::reviews_of(app, a.id, year).await?,
    })
}

/// A published version's document exactly as published (`None`: the current version), with
/// its number. Public: the portal serves it.
pub async fn version_document(
    app: &App,
    agency_id: i64,
    year: i32,
    version: Option<i32>,
) -> Result<(i32, String)> {
    repo::version_document(&app.db, agency_id, year, version)
        .await?
        .ok_or_else(|| match version {
            Some(v) => AppError::not_found("annual report version", format!("{year} v{v}")),
            None => AppError::not_found("published annual report", year),
        })
}

/// The published versions of a year (public: the portal lists them).
pub async fn versions(app: &App, agency_id: i64, year: i32) -> Result<Vec<VersionView>> {
    Ok(repo::versions(&app.db, agency_id, year)
        .await?
        .into_iter()
        .map(|v| VersionView {
            version: v.version,
            sha256: v.sha256,
            reason: v.reason,
            published_by: v.actor,
            published_at: beijing_time(v.published_at),
        })
        .collect())
}

/// The years an agency has published, newest first, each with its current version.
pub async fn published_years(app: &App, agency_id: i64) -> Result<Vec<(i32, i32)>> {
    Ok(repo::published_years(&app.db, agency_id).await?)
}
