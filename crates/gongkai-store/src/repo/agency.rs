//! Regions (province → city → county → township) and agencies.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use time::OffsetDateTime;

/// A level of the administrative hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
}

impl RegionLevel {
    pub const ALL: [RegionLevel; 4] = [
        RegionLevel::Province,
        RegionLevel::City,
        RegionLevel::County,
        RegionLevel::Township,
    ];

    pub fn key(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RegionLevel::Province => "省级",
            RegionLevel::City => "市级",
            RegionLevel::County => "县级",
            RegionLevel::Township => "乡级",
        }
    }

    pub fn from_key(key: &str) -> Option<RegionLevel> {
        RegionLevel::ALL.into_iter().find(|l| l.key() == key)
    }

    /// The level of the n-th name of a path `省/市/县/乡` (0-based).
    pub fn at_depth(depth: usize) -> Option<RegionLevel> {
        RegionLevel::ALL.get(depth).copied()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: RegionLevel,
    pub name: String,
    pub code: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RegionRow {
    id: i64,
    parent_id: Option<i64>,
    level: String,
    name: String,
    code: Option<String>,
}

impl TryFrom<RegionRow> for Region {
    type Error = StoreError;
    fn try_from(r: RegionRow) -> Result<Region> {
        Ok(Region {
            id: r.id,
            parent_id: r.parent_id,
            level: RegionLevel::from_key(&r.level).ok_or_else(|| {
                StoreError::Inconsistent(format!("unknown region level {}", r.level))
            })?,
            name: r.name,
            code: r.code,
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewRegion {
    pub parent_id: Option<i64>,
    pub level: RegionLevel,
    pub name: String,
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: i64,
    pub region_id: i64,
    pub name: String,
    /// 统一社会信用代码 or 组织机构代码; `None` for a unit known only by its published reports
    /// (supervision), which cannot use gongkai's own features.
    pub org_code: Option<String>,
}

impl Agency {
    /// The key the use cases find it by again: its code, or its name when it has none.
    pub fn key(&self) -> &str {
        self.org_code.as_deref().unwrap_or(&self.name)
    }
}

#[derive(sqlx::FromRow)]
struct AgencyRow {
    id: i64,
    region_id: i64,
    name: String,
    org_code: Option<String>,
}

impl From<AgencyRow> for Agency {
    fn from(r: AgencyRow) -> Agency {
        Agency {
            id: r.id,
            region_id: r.region_id,
            name: r.name,
            org_code: r.org_code,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewAgency {
    pub region_id: i64,
    pub name: String,
    pub org_code: Option<String>,
}

const REGION_COLS: &str = "id, parent_id, level, name, code";

pub async fn find_region(db: &Db, id: i64) -> Result<Region> {
    let row: Option<RegionRow> = on_db!(db, |p| {
        sqlx::query_as("SELECT id, parent_id, level, name, code FROM region WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?
    });
    row.ok_or_else(|| StoreError::not_found("region", id))?
        .try_into()
}

/// Inserts a region under its parent; a child must sit at a lower level than its parent
/// (levels may be skipped: a 直辖市's districts sit directly under the province level).
pub async fn insert_region(tx: &mut Tx, new: &NewRegion) -> Result<Region> {
    if new.name.trim().is_empty() {
        return Err(StoreError::invalid(
            "a region needs a name",
            "请填写地区名称",
        ));
    }
    if let Some(parent) = new.parent_id {
        let level: Option<String> = on_tx!(tx, |c| {
            sqlx::query_scalar("SELECT level FROM region WHERE id = $1")
                .bind(parent)
                .fetch_optional(c)
                .await?
        });
        let level = level.ok_or_else(|| StoreError::not_found("parent region", parent))?;
        let parent_level = RegionLevel::from_key(&level).unwrap_or(RegionLevel::Township);
        if parent_level >= new.level {
            return Err(StoreError::invalid(
                format!(
                    "a {} cannot be placed under a {}",
                    new.level.key(),
                    parent_level.key()
                ),
                format!("{}不能设在{}之下", new.level.label(), parent_level.label()),
            ));
        }
    } else if new.level != RegionLevel::Province {
        return Err(StoreError::invalid(
            format!("a {} needs a parent region", new.level.key()),
            format!("{}须有上级地区", new.level.label()),
        ));
    }
    let row: RegionRow = on_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO region (parent_id, level, name, code, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id, parent_id, level, name, code",
        )
        .bind(new.parent_id)
        .bind(new.level.key())
        .bind(new.name.trim())
        .bind(new.code.as_deref())
        .bind(OffsetDateTime::now_utc())
        .fetch_one(c)
        .await
        .map_err(|e| {
            StoreError::from(e).on_conflict(|| format!("region {} already exists", new.name))
        })?
    });
    row.try_into()
}

/// Finds the child of `parent` (a province when `None`) called `name`.
pub async fn find_child_region(db: &Db, parent: Option<i64>, name: &str) -> Result<Option<Region>> {
    let row: Option<RegionRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, parent_id, level, name, code FROM region \
             WHERE name = $1 AND (parent_id = $2 OR ($2 IS NULL AND parent_id IS NULL))",
        )
        .bind(name)
        .bind(parent)
        .fetch_optional(p)
        .await?
    });
    row.map(Region::try_from).transpose()
}

/// Finds or creates the regions of a path such as `["山东省", "淄博市", "张店区"]`, the n-th
/// name at the n-th level, in one transaction. Returns the last region.
pub async fn ensure_region_path(db: &Db, path: &[&str]) -> Result<Region> {
    if path.is_empty() || path.len() > 4 {
        return Err(StoreError::invalid(
            "a region path has one to four names: province/city/county/township",
            "地区路径应为一至四级名称：省/市/县/乡",
        ));
    }
    let mut tx = db.begin().await?;
    let mut parent: Option<Region> = None;
    for (depth, name) in path.iter().enumerate() {
        let name = name.trim();
        let parent_id = parent.as_ref().map(|r| r.id);
        let found: Option<RegionRow> = on_tx!(&mut tx, |c| {
            sqlx::query_as(
                "SELECT id, parent_id, level, name, code FROM region \
                 WHERE name = $1 AND (parent_id = $2 OR ($2 IS NULL AND parent_id IS NULL))",
            )
            .bind(name)
            .bind(parent_id)
            .fetch_optional(c)
            .await?
        });
        let region = match found {
            Some(r) => Region::try_from(r)?,
            None => {
                let level = RegionLevel::at_depth(depth).ok_or_else(|| {
                    StoreError::invalid("a region path has at most four levels", "地区路径最多四级")
                })?;
                insert_region(
                    &mut tx,
                    &NewRegion {
                        parent_id,
                        level,
                        name: name.to_string(),
                        code: None,
                    },
                )
                .await?
            }
        };
        parent = Some(region);
    }
    tx.commit().await?;
    parent.ok_or_else(|| StoreError::invalid("empty region path", "地区路径为空"))
}

/// The ids of a region and every region below it.
pub async fn region_and_descendants(db: &Db, id: i64) -> Result<Vec<i64>> {
    let ids: Vec<i64> = on_db!(db, |p| {
        sqlx::query_scalar(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM region WHERE id = $1 \
             UNION ALL SELECT r.id FROM region r JOIN sub ON r.parent_id = sub.id) \
             SELECT id FROM sub ORDER BY id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(ids)
}

/// The path of names from the province down to the region.
pub async fn region_path(db: &Db, id: i64) -> Result<Vec<Region>> {
    let mut out = Vec::new();
    let mut next = Some(id);
    while let Some(id) = next {
        let r = find_region(db, id).await?;
        next = r.parent_id;
        out.push(r);
    }
    out.reverse();
    Ok(out)
}

pub async fn list_regions(db: &Db) -> Result<Vec<Region>> {
    let rows: Vec<RegionRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {REGION_COLS} FROM region ORDER BY id"
        )))
        .fetch_all(p)
        .await?
    });
    rows.into_iter().map(Region::try_from).collect()
}

pub async fn insert_agency(tx: &mut Tx, new: &NewAgency) -> Result<Agency> {
    let name = new.name.trim();
    let code = new.org_code.as_deref().map(str::trim);
    if name.is_empty() || code == Some("") {
        return Err(StoreError::invalid(
            "an agency needs a name, and an organisation code when one is given",
            "机关须有名称；填写组织机构代码时不得为空",
        ));
    }
    let row: AgencyRow = on_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO agency (region_id, name, org_code, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id, region_id, name, org_code",
        )
        .bind(new.region_id)
        .bind(name)
        .bind(code)
        .bind(OffsetDateTime::now_utc())
        .fetch_one(c)
        .await
        .map_err(|e| {
            StoreError::from(e).on_conflict(|| {
                format!(
                    "an agency named {name} or with organisation code {} already exists",
                    code.unwrap_or("-")
                )
            })
        })?
    });
    Ok(row.into())
}

pub async fn find_agency(db: &Db, id: i64) -> Result<Agency> {
    let row: Option<AgencyRow> = on_db!(db, |p| {
        sqlx::query_as("SELECT id, region_id, name, org_code FROM agency WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?
    });
    row.map(Agency::from)
        .ok_or_else(|| StoreError::not_found("agency", id))
}

/// Finds an agency by organisation code or by name. A name shared by agencies of
/// different regions is refused as ambiguous: the caller must use the code.
pub async fn find_agency_by_key(db: &Db, key: &str) -> Result<Agency> {
    let key = key.trim();
    let rows: Vec<AgencyRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, region_id, name, org_code FROM agency \
             WHERE org_code = $1 OR name = $1 ORDER BY (org_code = $1) DESC, id",
        )
        .bind(key)
        .fetch_all(p)
        .await?
    });
    let mut rows = rows.into_iter();
    match (rows.next(), rows.next()) {
        (None, _) => Err(StoreError::not_found("agency", key)),
        (Some(first), _) if first.org_code.as_deref() == Some(key) => Ok(first.into()),
        (Some(first), None) => Ok(first.into()),
        (Some(_), Some(_)) => Err(StoreError::invalid(
            format!("more than one agency is named {key}: give its organisation code instead"),
            format!("名为“{key}”的机关不止一个，请改用组织机构代码"),
        )),
    }
}

pub async fn list_agencies(db: &Db) -> Result<Vec<Agency>> {
    let rows: Vec<AgencyRow> = on_db!(db, |p| {
        sqlx::query_as("SELECT id, region_id, name, org_code FROM agency ORDER BY id")
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().map(Agency::from).collect())
}

/// The agencies of a region and of every region below it.
pub async fn agencies_in_region(db: &Db, region_id: i64) -> Result<Vec<Agency>> {
    let rows: Vec<AgencyRow> = on_db!(db, |p| {
        sqlx::query_as(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM region WHERE id = $1 \
             UNION ALL SELECT r.id FROM region r JOIN sub ON r.parent_id = sub.id) \
             SELECT a.id, a.region_id, a.name, a.org_code FROM agency a \
             JOIN sub ON a.region_id = sub.id ORDER BY a.id",
        )
        .bind(region_id)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(Agency::from).collect())
}

/// The regions called `name`, at any level.
pub async fn find_regions_by_name(db: &Db, name: &str) -> Result<Vec<Region>> {
    let rows: Vec<RegionRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {REGION_COLS} FROM region WHERE name = $1 ORDER BY id"
        )))
        .bind(name.trim())
        .fetch_all(p)
        .await?
    });
    rows.into_iter().map(Region::try_from).collect()
}

/// Whether region `inner` is `outer` or lies below it.
pub async fn region_within(db: &Db, inner: i64, outer: i64) -> Result<bool> {
    let found: Option<i64> = on_db!(db, |p| {
        sqlx::query_scalar(
            "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM region WHERE id = $1 \
             UNION ALL SELECT r.id, r.parent_id FROM region r JOIN up ON r.id = up.parent_id) \
             SELECT id FROM up WHERE id = $2",
        )
        .bind(inner)
        .bind(outer)
        .fetch_optional(p)
        .await?
    });
    Ok(found.is_some())
}

/// The agency called `name` directly in region `region_id` (names are unique per region).
pub async fn find_agency_in_region(db: &Db, region_id: i64, name: &str) -> Result<Option<Agency>> {
    let row: Option<AgencyRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, region_id, name, org_code FROM agency WHERE region_id = $1 AND name = $2",
        )
        .bind(region_id)
        .bind(name.trim())
        .fetch_optional(p)
        .await?
    });
    Ok(row.map(Agency::from))
}
