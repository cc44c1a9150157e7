//! Staff entries of table 二: every cell but 第二十条第（一）项 (computed from the catalogue) is
//! entered by a 录入 user, with a note saying where the figure comes from. Each entry is kept;
//! the latest per cell counts.

use super::access::require_any;
use super::check_agency;
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::catalog::{Signer, stats};
use gongkai_core::ids::{AgencyId, UserId};
use gongkai_core::report::{Layout, T2Key, Value};
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::catalog::{self as repo, Table2Entry};
use serde::Serialize;
use time::OffsetDateTime;

/// A value for one cell of an agency's table 二.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table2Input {
    pub agency: AgencyId,
    pub year: i32,
    /// `sub.row.col`, e.g. `art20_5.admin_license.decisions` (a leading `table2.` is allowed).
    pub cell: String,
    /// A count, an amount in 万元 (第（八）项), or `/` for not applicable.
    pub value: String,
    /// Where the figure comes from (ledger, system, document).
    pub note: Option<String>,
}

/// An entry as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table2EntryView {
    pub id: i64,
    /// `sub.row.col`.
    pub cell: String,
    /// As stored: a count, an amount in 万元, or `/`.
    pub value: String,
    /// The display name of who entered it, at the time.
    pub entered_by: String,
    pub entered_by_id: Option<UserId>,
    #[serde(with = "time::serde::rfc3339")]
    pub entered_at: OffsetDateTime,
    pub note: Option<String>,
}

impl From<Table2Entry> for Table2EntryView {
    fn from(e: Table2Entry) -> Table2EntryView {
        Table2EntryView {
            id: e.id,
            cell: format!("{}.{}.{}", e.sub, e.row_key, e.col),
            value: e.value,
            entered_by: e.entered_by,
            entered_by_id: e.entered_by_id,
            entered_at: e.entered_at,
            note: e.note,
        }
    }
}

/// Records a staff entry of table 二 (录入); a computed cell or a value the cell cannot hold is
/// refused.
pub async fn enter_table2(
    app: &App,
    actor: &Actor,
    input: &Table2Input,
) -> Result<Table2EntryView> {
    require_any(
        actor,
        &[Role::Entry],
        "enter table 二 figures",
        "录入表二数据",
    )?;
    let cell = input.cell.trim();
    let layout = Layout::for_year(input.year);
    let parts: Vec<&str> = cell.trim_start_matches("table2.").split('.').collect();
    let key = match parts.as_slice() {
        [sub, row, col] => T2Key::find(layout, sub, row, col),
        _ => None,
    }
    .ok_or_else(|| {
        AppError::invalid(
            format!(
                "{cell:?} is not a cell of table 二 in the {} layout (write sub.row.col, e.g. art20_5.admin_license.decisions)",
                layout.key()
            ),
            format!("“{cell}”不是{}格式表二中的单元格（写作 分项.行.列）", layout.key()),
        )
    })?;
    if stats::is_computed(key) {
        return Err(AppError::invalid(
            format!(
                "{cell} is computed from the catalogue (规章/行政规范性文件 and their validity), not entered"
            ),
            format!("{cell}由目录中的规章、行政规范性文件及其有效性自动计算，不能录入"),
        ));
    }
    let parsed = stats::parse_entry(key, &input.value)
        .map_err(|m| AppError::invalid(m.clone(), format!("{cell}的数值有误：{m}")))?;
    check_agency(&app.db, input.agency).await?;
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let mut tx = app.db.begin().await?;
    let entry = repo::insert_table2_entry(
        &mut tx,
        input.agency,
        input.year,
        key,
        &canonical(&parsed),
        &Signer::from(actor),
        note,
    )
    .await?;
    tx.commit().await?;
    Ok(entry.into())
}

/// The stored form of a value: `/` for not applicable.
fn canonical(v: &Value) -> String {
    match v {
        Value::NotApplicable => "/".into(),
        other => other.to_string(),
    }
}
