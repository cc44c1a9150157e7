//! An item's history: its workflow steps (replayed into a `Workflow` on load) and the 有效性
//! changes of a 规章 / 行政规范性文件; both are append-only, numbered by `seq` per item.

use super::invalid;
use crate::db::Tx;
use crate::error::Result;
use crate::on_tx;
use gongkai_core::catalog::{
    Action, CatalogItem, Normative, NormativeKind, Stage, Step, Validity, ValidityChange,
    ValidityStatus, Workflow,
};
use time::{Date, OffsetDateTime};

/// The columns of [`StepRow`], on a `catalog_step` aliased `s`.
pub(super) const STEP_COLS: &str = "s.item_id, s.action, s.to_stage, s.actor, s.at, s.note";

/// The columns of [`ValidityRow`], on a `catalog_validity` aliased `v`.
pub(super) const VALIDITY_COLS: &str =
    "v.item_id, v.status, v.effective_on, v.ends_on, v.actor, v.at, v.reason";

#[derive(sqlx::FromRow)]
pub(super) struct StepRow {
    pub(super) item_id: i64,
    action: String,
    to_stage: String,
    actor: String,
    at: OffsetDateTime,
    note: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct ValidityRow {
    pub(super) item_id: i64,
    status: String,
    effective_on: Option<Date>,
    ends_on: Option<Date>,
    actor: String,
    at: OffsetDateTime,
    reason: Option<String>,
}

/// Replays the stored steps (in `seq` order) of item `id` into its workflow.
pub(super) fn replay(id: i64, steps: Vec<StepRow>) -> Result<Workflow> {
    let mut replayed = Vec::with_capacity(steps.len());
    let mut from = None;
    for s in steps {
        let action =
            Action::from_key(&s.action).ok_or_else(|| invalid(format!("action {}", s.action)))?;
        let to =
            Stage::from_key(&s.to_stage).ok_or_else(|| invalid(format!("stage {}", s.to_stage)))?;
        replayed.push(Step {
            action,
            from,
            to,
            by: s.actor,
            at: s.at,
            note: s.note,
        });
        from = Some(to);
    }
    Workflow::replay(replayed).map_err(|e| invalid(format!("item {id}: {e}")))
}

/// Rebuilds the normative record of kind `kind` (its key) from its stored validity history.
pub(super) fn normative(kind: &str, validity: Vec<ValidityRow>) -> Result<Normative> {
    let kind = NormativeKind::from_key(kind).ok_or_else(|| invalid(format!("kind {kind}")))?;
    let history = validity
        .into_iter()
        .map(|v| {
            let status = ValidityStatus::from_key(&v.status)
                .ok_or_else(|| invalid(format!("validity {}", v.status)))?;
            Ok(ValidityChange {
                validity: Validity::new(status, v.effective_on, v.ends_on)
                    .map_err(|e| invalid(e.to_string()))?,
                by: v.actor,
                at: v.at,
                reason: v.reason,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Normative::from_history(kind, history).map_err(|e| invalid(e.to_string()))
}

/// Appends the steps and validity changes the item has beyond the first `stored_steps` and
/// `stored_validity` ones already stored.
pub(super) async fn append_history(
    tx: &mut Tx,
    id: i64,
    item: &CatalogItem,
    stored_steps: usize,
    stored_validity: usize,
    now: OffsetDateTime,
) -> Result<()> {
    for (seq, s) in item.workflow.steps().iter().enumerate().skip(stored_steps) {
        on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO catalog_step (item_id, seq, action, from_stage, to_stage, actor, \
                 at, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(seq as i64 + 1)
            .bind(s.action.key())
            .bind(s.from.map(|f| f.key()))
            .bind(s.to.key())
            .bind(&s.by)
            .bind(s.at)
            .bind(s.note.as_deref())
            .bind(now)
            .execute(conn)
            .await?;
        });
    }
    let history = item.normative.as_ref().map(|n| n.history()).unwrap_or(&[]);
    for (seq, v) in history.iter().enumerate().skip(stored_validity) {
        on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO catalog_validity (item_id, seq, status, effective_on, ends_on, \
                 actor, at, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(seq as i64 + 1)
            .bind(v.validity.status.key())
            .bind(v.validity.effective_on)
            .bind(v.validity.ends_on)
            .bind(&v.by)
            .bind(v.at)
            .bind(v.reason.as_deref())
            .bind(now)
            .execute(conn)
            .await?;
        });
    }
    Ok(())
}
