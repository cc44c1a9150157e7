//! 有效性 of 规章 and 行政规范性文件: a change (with 实施日期 / 废止日期 and, for 失效 or 废止, a
//! reason) is recorded at any stage, since published normative documents are kept up to date;
//! table 二 第二十条第（一）项 is computed from this history.

use super::access::require_any;
use super::change_item;
use super::view::ItemView;
use crate::App;
use crate::error::Result;
use gongkai_core::catalog::{Validity, ValidityStatus};
use gongkai_core::ids::ItemId;
use gongkai_core::user::{Actor, Role};
use time::{Date, OffsetDateTime};

/// A change of 有效性.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidityInput {
    pub status: ValidityStatus,
    /// 实施日期.
    pub effective_on: Option<Date>,
    /// 废止日期 (or the date it expired).
    pub ends_on: Option<Date>,
    /// Why (required for 失效 and 废止).
    pub reason: Option<String>,
}

/// Records a change of 有效性 of a 规章 or 行政规范性文件 (录入 or 审核).
pub async fn change_validity(
    app: &App,
    actor: &Actor,
    id: ItemId,
    input: &ValidityInput,
    at: OffsetDateTime,
) -> Result<ItemView> {
    require_any(
        actor,
        &[Role::Entry, Role::Review],
        "change the validity of catalogue items",
        "变更目录信息的有效性",
    )?;
    let validity = Validity::new(input.status, input.effective_on, input.ends_on)?;
    change_item(app, actor, id, at, |item, by| {
        item.change_validity(validity, by, at, input.reason.as_deref())?;
        Ok(())
    })
    .await
}
