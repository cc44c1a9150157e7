//! Supervision (docs/supervision.md; 条例 Art. 49–50): a region's 政务公开办 collects its units'
//! reports — published on gongkai, or imported from the units' own sites — reviews them,
//! and sums them into the region's aggregate.
//!
//! Every unit report is projected into `unit_report`/`unit_cell` when it arrives (an import,
//! a publication, a review), so the roll-up and the dashboards are SQL over those rows.

pub mod export;
pub mod intake;
pub mod project;
pub mod records;
pub mod review;
pub mod rollup;
pub mod unit;

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::user::{Actor, Role};
pub use gongkai_store::repo::agency::Region;
use gongkai_store::repo::agency::{self as agency_repo, Agency};
use serde::Serialize;

/// Where a unit's report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Published through gongkai's report workflow.
    Gongkai,
    /// Imported from a published file (`report import --agency`).
    Imported,
}

impl Origin {
    pub fn key(self) -> &'static str {
        match self {
            Origin::Gongkai => "gongkai",
            Origin::Imported => "imported",
        }
    }

    pub fn from_key(key: &str) -> Option<Origin> {
        match key {
            "gongkai" => Some(Origin::Gongkai),
            "imported" => Some(Origin::Imported),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Origin::Gongkai => "本系统发布",
            Origin::Imported => "导入",
        }
    }
}

/// Where a unit's report stands with the supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitState {
    /// No report for the year yet.
    Missing,
    /// A report not reviewed yet (or changed since its last review).
    Pending,
    Accepted,
    Returned,
}

impl UnitState {
    pub fn key(self) -> &'static str {
        match self {
            UnitState::Missing => "missing",
            UnitState::Pending => "pending",
            UnitState::Accepted => "accepted",
            UnitState::Returned => "returned",
        }
    }

    pub fn from_review(key: &str) -> UnitState {
        match key {
            "accepted" => UnitState::Accepted,
            "returned" => UnitState::Returned,
            _ => UnitState::Pending,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitState::Missing => "未报送",
            UnitState::Pending => "待审核",
            UnitState::Accepted => "已接收",
            UnitState::Returned => "已退回",
        }
    }
}

/// Refuses an actor who may not supervise: the 监督 role and no agency of one's
/// own — a user of one agency never supervises others.
pub fn require_supervisor(actor: &Actor, what_en: &str, what_zh: &str) -> Result<()> {
    crate::access::require(actor, Role::Supervise, what_en, what_zh)?;
    if actor.agency.is_some() {
        return Err(AppError::forbidden(
            format!("{} works for one agency and may not {what_en}", actor.name),
            format!("{}为机关用户，无权{what_zh}", actor.display_name),
        ));
    }
    Ok(())
}

/// Whether `region_id` lies within what `actor` supervises (their region and below; the
/// whole installation for a user of no region).
async fn within_reach(app: &App, actor: &Actor, region_id: i64) -> Result<bool> {
    Ok(match actor.region {
        None => true,
        Some(own) => agency_repo::region_within(&app.db, region_id, own.get()).await?,
    })
}

/// The unit `key` — its code, a name only one agency has, or `region path/name`
/// (`山东省/淄博市/张店区/某街道办事处`, for units of the same name without a code) — refused as
/// not found when it lies outside what the supervisor `actor` oversees.
pub async fn supervised_unit(
    app: &App,
    actor: &Actor,
    key: &str,
    (what_en, what_zh): (&str, &str),
) -> Result<Agency> {
    require_supervisor(actor, what_en, what_zh)?;
    let agency = find_unit(app, key).await?;
    if !within_reach(app, actor, agency.region_id).await? {
        return Err(AppError::not_found("agency", key));
    }
    Ok(agency)
}

/// A unit by code, unique name, or region path and name.
async fn find_unit(app: &App, key: &str) -> Result<Agency> {
    let key = key.trim();
    if let Some((path, name)) = key.rsplit_once('/') {
        let region = find_region(app, path).await?;
        return agency_repo::find_agency_in_region(&app.db, region.id, name)
            .await?
            .ok_or_else(|| AppError::not_found("agency", key));
    }
    agency_repo::find_agency_by_key(&app.db, key)
        .await
        .map_err(|e| match AppError::from(e) {
            e if e.kind() == crate::error::ErrorKind::Invalid => AppError::invalid(
                format!(
                    "more than one agency is named {key}: give its code, or its region path and name, e.g. 山东省/淄博市/张店区/{key}"
                ),
                format!(
                    "名为“{key}”的机关不止一个：请填写其组织机构代码，或写出所属地区路径，如 山东省/淄博市/张店区/{key}"
                ),
            ),
            e => e,
        })
}

/// The unit's key for [`supervised_unit`]: its code, else its region path and name.
pub async fn unit_key(app: &App, agency_id: i64) -> Result<String> {
    let a = agency_repo::find_agency(&app.db, agency_id).await?;
    if let Some(code) = a.org_code {
        return Ok(code);
    }
    let path: Vec<String> = agency_repo::region_path(&app.db, a.region_id)
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    Ok(format!("{}/{}", path.join("/"), a.name))
}

/// The region named by `name` — a path (`山东省/淄博市`) or a name only one region has —
/// refused as not found outside what `actor` oversees.
pub async fn supervised_region(app: &App, actor: &Actor, name: &str) -> Result<Region> {
    require_supervisor(actor, "read a region's reports", "查阅地区汇总")?;
    let region = find_region(app, name).await?;
    if !within_reach(app, actor, region.id).await? {
        return Err(AppError::not_found("region", name));
    }
    Ok(region)
}

/// The region with id `id`, refused as not found outside what `actor` oversees; `None` gives
/// the actor's own region (for a user of no region, the first province).
pub async fn supervised_region_id(app: &App, actor: &Actor, id: Option<i64>) -> Result<Region> {
    require_supervisor(actor, "read a region's reports", "查阅地区汇总")?;
    let id = match (id, actor.region) {
        (Some(id), _) => id,
        (None, Some(own)) => own.get(),
        (None, None) => agency_repo::list_regions(&app.db)
            .await?
            .into_iter()
            .find(|r| r.parent_id.is_none())
            .map(|r| r.id)
            .ok_or_else(|| AppError::not_found("region", "-"))?,
    };
    let region = agency_repo::find_region(&app.db, id)
        .await
        .map_err(|_| AppError::not_found("region", id))?;
    if !within_reach(app, actor, region.id).await? {
        return Err(AppError::not_found("region", id));
    }
    Ok(region)
}

/// A region by path or by a name only one region has.
pub async fn find_region(app: &App, name: &str) -> Result<Region> {
    let name = name.trim();
    if name.contains('/') {
        let mut region: Option<Region> = None;
        for part in name.split('/').map(str::trim).filter(|p| !p.is_empty()) {
            let parent = region.as_ref().map(|r| r.id);
            region = Some(
                agency_repo::find_child_region(&app.db, parent, part)
                    .await?
                    .ok_or_else(|| AppError::not_found("region", format!("{part} ({name})")))?,
            );
        }
        return region.ok_or_else(|| AppError::not_found("region", name));
    }
    let mut found = agency_repo::find_regions_by_name(&app.db, name).await?;
    match found.len() {
        0 => Err(AppError::not_found("region", name)),
        1 => Ok(found.remove(0)),
        n => Err(AppError::invalid(
            format!("{n} regions are named {name}: give the path, e.g. 山东省/淄博市/{name}"),
            format!("名为“{name}”的地区有{n}个，请写出完整路径，如 山东省/淄博市/{name}"),
        )),
    }
}

/// The regions `actor` supervises — their own and every one below it (all for a user of no
/// region) — as (id, path), in the order they were added.
pub async fn regions_in_reach(app: &App, actor: &Actor) -> Result<Vec<(i64, String)>> {
    require_supervisor(actor, "read a region's reports", "查阅地区汇总")?;
    let regions = agency_repo::list_regions(&app.db).await?;
    let below = match actor.region {
        Some(own) => Some(agency_repo::region_and_descendants(&app.db, own.get()).await?),
        None => None,
    };
    let mut paths = crate::agency::region_paths(&regions);
    Ok(regions
        .iter()
        .filter(|r| below.as_ref().is_none_or(|b| b.contains(&r.id)))
        .map(|r| (r.id, paths.remove(&r.id).unwrap_or_default().join("/")))
        .collect())
}
