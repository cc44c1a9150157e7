//! Agencies and the regions they sit in.

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::checksum::validate_credit_code;
use gongkai_core::ids::{AgencyId, RegionId};
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::agency::{self as repo, Agency, NewAgency, Region};
use serde::Serialize;
use std::collections::HashMap;

/// An agency as shown and served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyView {
    pub id: AgencyId,
    pub region_id: RegionId,
    pub name: String,
    /// 统一社会信用代码 or 组织机构代码; `null` for a unit known only by its published reports.
    pub org_code: Option<String>,
}

impl AgencyView {
    /// The key the use cases find it by: its code, or its name when it has none.
    pub fn key(&self) -> &str {
        self.org_code.as_deref().unwrap_or(&self.name)
    }
}

impl From<Agency> for AgencyView {
    fn from(a: Agency) -> AgencyView {
        AgencyView {
            id: AgencyId::new(a.id),
            region_id: RegionId::new(a.region_id),
            name: a.name,
            org_code: a.org_code,
        }
    }
}

/// An agency with the names of its region path, province first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyInRegion {
    #[serde(flatten)]
    pub agency: AgencyView,
    pub region_path: Vec<String>,
}

/// Adds an agency in the region named by its path (`山东省/淄博市/张店区`; regions are created
/// as needed). An 18-character code must be a valid 统一社会信用代码 (GB 32100); a shorter one
/// is kept as a 组织机构代码. Without a code the agency is a unit known only by its published
/// reports (docs/supervision.md): its reports are imported, and gongkai's own features
/// (catalogue, applications, the report workflow) refuse it until a code is given.
pub async fn add_agency(
    app: &App,
    actor: &Actor,
    region_path: &str,
    name: &str,
    org_code: Option<&str>,
) -> Result<AgencyView> {
    require_installation_admin(actor)?;
    let names = path_names(region_path)?;
    let code = org_code.map(normalize_org_code).transpose()?;
    if name.trim().is_empty() {
        return Err(AppError::invalid(
            "an agency needs a name",
            "请填写机关名称",
        ));
    }
    let region = repo::ensure_region_path(&app.db, &names).await?;
    let mut tx = app.db.begin().await?;
    let agency = repo::insert_agency(
        &mut tx,
        &NewAgency {
            region_id: region.id,
            name: name.trim().to_string(),
            org_code: code,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(agency.into())
}

/// Refuses anyone but an administrator of the whole installation: agencies and regions are
/// the installation's (docs/back-office.md).
fn require_installation_admin(actor: &Actor) -> Result<()> {
    if !actor.has(Role::Admin) {
        return Err(AppError::forbidden(
            format!(
                "{} is not the system administrator: agencies are added by one",
                actor.name
            ),
            format!("{}不是系统管理员，无权添加机关", actor.display_name),
        ));
    }
    // Agencies and regions are the installation's: an administrator of one agency or region
    // does not add them (docs/back-office.md).
    if actor.agency.is_some() || actor.region.is_some() {
        return Err(AppError::forbidden(
            format!(
                "{} administers one agency or region: agencies are added by an administrator of the whole installation",
                actor.name
            ),
            format!("{}仅管理本机关或本地区，无权添加机关", actor.display_name),
        ));
    }
    Ok(())
}

/// The names of a region path (`山东省/淄博市/张店区`).
fn path_names(region_path: &str) -> Result<Vec<&str>> {
    let names: Vec<&str> = region_path
        .split(['/', '／'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() {
        return Err(AppError::invalid(
            "the region is a path such as 山东省/淄博市/张店区",
            "地区应写作路径，如 山东省/淄博市/张店区",
        ));
    }
    Ok(names)
}

/// A region with the names of its path, province first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionView {
    pub id: RegionId,
    pub path: Vec<String>,
    /// 省级, 市级, 县级, 乡级.
    pub level_label: &'static str,
}

/// Adds the regions of a path that do not exist yet (an administrator of the whole
/// installation); returns the last.
pub async fn add_region(app: &App, actor: &Actor, region_path: &str) -> Result<RegionView> {
    require_installation_admin(actor)?;
    let names = path_names(region_path)?;
    let region = repo::ensure_region_path(&app.db, &names).await?;
    let path = repo::region_path(&app.db, region.id).await?;
    Ok(RegionView {
        id: RegionId::new(region.id),
        path: path.into_iter().map(|r| r.name).collect(),
        level_label: region.level.label(),
    })
}

/// Every region with its path, in the order they were added.
pub async fn regions(app: &App) -> Result<Vec<RegionView>> {
    let regions = repo::list_regions(&app.db).await?;
    let mut paths = region_paths(&regions);
    Ok(regions
        .iter()
        .map(|r| RegionView {
            id: RegionId::new(r.id),
            path: paths.remove(&r.id).unwrap_or_default(),
            level_label: r.level.label(),
        })
        .collect())
}

/// Each region's path of names, province first, by id — built in memory from one list, so a
/// province's thousands of regions cost one query.
pub fn region_paths(regions: &[Region]) -> HashMap<i64, Vec<String>> {
    let by_id: HashMap<i64, &Region> = regions.iter().map(|r| (r.id, r)).collect();
    regions
        .iter()
        .map(|r| {
            let mut names = vec![r.name.clone()];
            let mut next = r.parent_id;
            // A region's depth is at most four; the bound also stops a damaged cycle.
            while let Some(p) = next
                .and_then(|id| by_id.get(&id))
                .filter(|_| names.len() < 8)
            {
                names.push(p.name.clone());
                next = p.parent_id;
            }
            names.reverse();
            (r.id, names)
        })
        .collect()
}

fn normalize_org_code(code: &str) -> Result<String> {
    let trimmed = code.trim();
    if trimmed.chars().count() == 18 {
        validate_credit_code(trimmed).map_err(|e| {
            AppError::invalid(
                format!("organisation code {trimmed}: {e}"),
                format!("统一社会信用代码{trimmed}无效（{}）", e.code()),
            )
        })
    } else if trimmed.is_empty() || trimmed.chars().count() > 20 {
        Err(AppError::invalid(
            "the organisation code is the 18-character 统一社会信用代码 or the 9-character 组织机构代码",
            "机构代码应为18位统一社会信用代码或9位组织机构代码",
        ))
    } else {
        Ok(trimmed.to_string())
    }
}

/// Finds an agency by name or organisation code.
pub async fn find(app: &App, key: &str) -> Result<AgencyView> {
    Ok(repo::find_agency_by_key(&app.db, key).await?.into())
}

/// Every agency with the names of its region path.
pub async fn list(app: &App) -> Result<Vec<AgencyInRegion>> {
    let mut out = Vec::new();
    for a in repo::list_agencies(&app.db).await? {
        let path = repo::region_path(&app.db, a.region_id).await?;
        out.push(AgencyInRegion {
            agency: a.into(),
            region_path: path.into_iter().map(|r| r.name).collect(),
        });
    }
    Ok(out)
}
