//! An item's history: its workflow steps (replayed into a `Workflow` on load) and the 有效性
//! changes of a 规章 / 行政规范性文件; both are append-only, numbered by `seq` per item.

use super::invalid;
use crate::db::Tx;
use crate::error::Result;
use crate::on_tx;
use gongkai_core::catalog::{
    Action, CatalogItem, Normative, NormativeKind, Signer, Stage, Step, Validity, ValidityChange,
    ValidityStatus, Workflow,
};
use gongkai_core::ids::UserId;
use time::{Date, OffsetDateTime};

/// The columns of [`StepRow`], on a `catalog_step` aliased `s`.
pub(super) const STEP_COLS: &str =
    "s.item_id, s.seq, s.action, s.to_stage, s.actor, s.actor_id, s.at, s.note";

/// The columns of [`ValidityRow`], on a `catalog_validity` aliased `v`.
pub(super) const VALIDITY_COLS: &str =
    "v.item_id, v.seq, v.status, v.effective_on, v.ends_on, v.actor, v.actor_id, v.at, v.reason";

#[derive(sqlx::FromRow)]
pub(super) struct StepRow {
    pub(super) item_id: i64,
    seq: i64,
    action: String,
    to_stage: String,
    /// The display name at the time.
    actor: String,
    /// The user (filled for steps recorded before users existed by migration 0101).
    actor_id: Option<i64>,
    at: OffsetDateTime,
    note: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct ValidityRow {
    pub(super) item_id: i64,
    seq: i64,
    status: String,
    effective_on: Option<Date>,
    ends_on: Option<Date>,
    actor: String,
    actor_id: Option<i64>,
    at: OffsetDateTime,
    reason: Option<String>,
}

/// The signer of a stored record: its user and the name it showed. A record without a user
/// cannot be checked for separation of duties, so it is refused rather than guessed.
fn signer(what: &str, item: i64, seq: i64, id: Option<i64>, name: String) -> Result<Signer> {
    let id = id.ok_or_else(|| invalid(format!("item {item}: {what} {seq} names no user")))?;
    Ok(Signer::new(UserId::new(id), name))
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
            by: signer("step", id, s.seq, s.actor_id, s.actor)?,
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
                by: signer("validity change", v.item_id, v.seq, v.actor_id, v.actor)?,
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
                 actor_id, at, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(seq as i64 + 1)
            .bind(s.action.key())
            .bind(s.from.map(|f| f.key()))
            .bind(s.to.key())
            .bind(s.by.name.as_str())
            .bind(s.by.id.get())
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
                 actor, actor_id, at, reason, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(seq as i64 + 1)
            .bind(v.validity.status.key())
            .bind(v.validity.effective_on)
            .bind(v.validity.ends_on)
            .bind(v.by.name.as_str())
            .bind(v.by.id.get())
            .bind(v.at)
            .bind(v.reason.as_deref())
            .bind(now)
            .execute(conn)
            .await?;
        });
    }
    Ok(())
}
