//! The supervisor's review of a unit's report: accept it, or return it with reasons — each
//! about a cell, a rule, or the report as a whole — kept as an append-only log
//! (docs/supervision.md#review). A review judges one document (by its SHA-256): a new import
//! or publication is pending again.

use super::{UnitState, project, supervised_unit};
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::report::rules::rule;
use gongkai_core::report::{AnnualReport, Layout};
use gongkai_core::user::Actor;
use gongkai_store::repo::supervision::{self as repo, NewReview};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One reason of a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The cell it is about (its JSON path), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// The rule it is about (`T3-1`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub text: String,
}

impl Reason {
    /// A reason as typed on one line: `table3.granted.total: text` about a cell, `T3-2: text`
    /// about a rule (a colon, full-width or not), else the whole line as text.
    pub fn parse(line: &str) -> Reason {
        let line = line.trim();
        if let Some((head, text)) = line.split_once([':', '：']) {
            let head = head.trim();
            let text = text.trim().to_string();
            if head.starts_with("table") && head.contains('.') {
                return Reason {
                    cell: Some(head.into()),
                    rule: None,
                    text,
                };
            }
            if rule(head).is_some() {
                return Reason {
                    cell: None,
                    rule: Some(head.into()),
                    text,
                };
            }
        }
        Reason {
            cell: None,
            rule: None,
            text: line.into(),
        }
    }
}

/// A review decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Return,
}

impl Decision {
    fn key(self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Return => "return",
        }
    }
}

/// One recorded review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewView {
    pub seq: i32,
    /// `accept` or `return`.
    pub action: String,
    pub label: &'static str,
    /// The SHA-256 of the document judged, and whether it is still the unit's current one.
    pub sha256: String,
    pub current: bool,
    pub reasons: Vec<Reason>,
    pub actor: String,
    pub at: OffsetDateTime,
}

/// Accepts or returns unit `agency`'s current report for `year`. A return needs at least one
/// reason; a cell must be one of the report's layout and a rule one of the catalogue.
pub async fn review(
    app: &App,
    actor: &Actor,
    agency: &str,
    year: i32,
    decision: Decision,
    reasons: &[Reason],
    now: OffsetDateTime,
) -> Result<UnitState> {
    let unit = supervised_unit(
        app,
        actor,
        agency,
        ("review a unit's report", "审核下级单位年度报告"),
    )
    .await?;
    let current = repo::unit_report(&app.db, unit.id, year)
        .await?
        .ok_or_else(|| {
            AppError::refused(
                format!("{} has no report for {year} to review", unit.name),
                format!("{}尚未报送{year}年度报告，无可审核", unit.name),
            )
        })?;
    let reasons: Vec<Reason> = reasons
        .iter()
        .map(|r| Reason {
            cell: r
                .cell
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            rule: r
                .rule
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            text: r.text.trim().to_string(),
        })
        .collect();
    let layout = Layout::from_key(&current.layout).unwrap_or(Layout::for_year(year));
    check_reasons(decision, &reasons, layout)?;
    let mut tx = app.db.begin().await?;
    let log = repo::reviews_tx(&mut tx, unit.id, year).await?;
    if let Some(last) = log.last()
        && last.sha256 == current.sha256
        && last.action == decision.key()
    {
        tx.rollback().await?;
        return Err(AppError::conflict(
            format!(
                "this report of {} is already {}ed",
                unit.name,
                decision.key()
            ),
            format!(
                "{}的该份报告已{}",
                unit.name,
                if decision == Decision::Accept {
                    "接收"
                } else {
                    "退回"
                }
            ),
        ));
    }
    let reasons_json = (decision == Decision::Return)
        .then(|| serde_json::to_string(&reasons))
        .transpose()
        .map_err(|e| AppError::internal("cannot write the reasons", e))?;
    repo::add_review(
        &mut tx,
        &NewReview {
            agency_id: unit.id,
            year,
            seq: log.len() as i32 + 1,
            action: decision.key(),
            sha256: &current.sha256,
            reasons: reasons_json.as_deref(),
            user_id: actor.id.get(),
            actor: &actor.display_name,
            at: now,
        },
    )
    .await?;
    project::refresh(&mut tx, unit.id, year).await?;
    tx.commit().await?;
    Ok(match decision {
        Decision::Accept => UnitState::Accepted,
        Decision::Return => UnitState::Returned,
    })
}

fn check_reasons(decision: Decision, reasons: &[Reason], layout: Layout) -> Result<()> {
    if decision == Decision::Return && reasons.is_empty() {
        return Err(AppError::invalid(
            "a return needs at least one reason",
            "退回须至少说明一条理由",
        ));
    }
    let cells = {
        let mut r = AnnualReport::new("", 2021);
        r.layout = layout;
        r.cell_refs()
    };
    for (i, r) in reasons.iter().enumerate() {
        let n = i + 1;
        if r.text.is_empty() {
            return Err(AppError::invalid(
                format!("reason {n} has no text"),
                format!("第{n}条理由未填写内容"),
            ));
        }
        if let Some(cell) = &r.cell
            && !cells.iter().any(|c| &c.path() == cell)
        {
            return Err(AppError::invalid(
                format!(
                    "reason {n}: {cell} is not a cell of the {} layout",
                    layout.key()
                ),
                format!("第{n}条理由：“{cell}”不是{}年版格式的单元格", layout.key()),
            ));
        }
        if let Some(id) = &r.rule
            && rule(id).is_none()
        {
            return Err(AppError::invalid(
                format!("reason {n}: there is no rule {id}"),
                format!("第{n}条理由：没有编号为“{id}”的规则"),
            ));
        }
    }
    Ok(())
}

/// The reviews of unit `agency`'s report for `year`, oldest first.
pub async fn history(app: &App, actor: &Actor, agency: &str, year: i32) -> Result<Vec<ReviewView>> {
    let unit = supervised_unit(
        app,
        actor,
        agency,
        ("read a unit's reviews", "查阅下级单位年报审核记录"),
    )
    .await?;
    reviews_of(app, unit.id, year).await
}

/// The reviews of an agency's report for a year, oldest first (also what the unit itself
/// sees of its supervisor's decisions).
pub async fn reviews_of(app: &App, agency_id: i64, year: i32) -> Result<Vec<ReviewView>> {
    let current = repo::unit_report(&app.db, agency_id, year)
        .await?
        .map(|r| r.sha256);
    repo::reviews(&app.db, agency_id, year)
        .await?
        .into_iter()
        .map(|r| {
            let reasons = match &r.reasons {
                Some(text) => serde_json::from_str(text)
                    .map_err(|e| AppError::internal("stored review reasons do not read", e))?,
                None => Vec::new(),
            };
            Ok(ReviewView {
                seq: r.seq,
                label: if r.action == "accept" {
                    "接收"
                } else {
                    "退回"
                },
                current: current.as_deref() == Some(r.sha256.as_str()),
                action: r.action,
                sha256: r.sha256,
                reasons,
                actor: r.actor,
                at: r.at,
            })
        })
        .collect()
}
