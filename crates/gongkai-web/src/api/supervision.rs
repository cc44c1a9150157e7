//! Supervision through the API (docs/supervision.md): a region's units with their state, the
//! roll-up in the interchange format, and one cell drilled down — with the checks of the
//! back office (`gongkai_app::supervision`): a supervisor reaches their region and below.

use super::caller::Caller;
use super::problem::{ApiError, ApiResult, Problem};
use crate::WebState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use gongkai_app::supervision::records::{self, UnitCell};
use gongkai_app::supervision::rollup::{self, Drill, UnitEntry};
use gongkai_app::supervision::supervised_region_id;
use gongkai_app::supervision::unit::StateCounts;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

/// The report year.
#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// The report year, e.g. 2024.
    pub year: i32,
}

/// A region's units for a year.
#[derive(Debug, Serialize)]
pub struct UnitsView {
    pub region: String,
    pub year: i32,
    pub counts: StateCounts,
    pub units: Vec<UnitEntry>,
}

/// The region's id; one that is not a number names no region (404).
fn region_id(id: &str) -> Result<i64, ApiError> {
    id.parse()
        .map_err(|_| ApiError::from(gongkai_app::AppError::not_found("region", id)))
}

/// The units below the region with where each report stands, its rules and anomalies.
#[utoipa::path(get, path = "/api/v1/regions/{region}/units", tag = "supervision", params(YearQuery,
        ("region" = String, Path, description = "The region's id")),
    responses(
        (status = 200, description = "The units: state, origin, counted or not, rules, anomalies", body = Object),
        (status = 403, description = "Not a supervisor", body = Problem),
        (status = 404, description = "A region outside the caller's", body = Problem),
    ))]
pub async fn units(
    State(s): State<WebState>,
    caller: Caller,
    Path(region): Path<String>,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> ApiResult<Json<UnitsView>> {
    // Who may ask is checked before what is asked.
    let region = supervised_region_id(&s.app, &caller.actor, Some(region_id(&region)?)).await?;
    let Query(q) = q?;
    let (path, units) = rollup::units_of(&s.app, &region, q.year).await?;
    Ok(Json(UnitsView {
        region: path,
        year: q.year,
        counts: StateCounts::of(&units),
        units,
    }))
}

/// The region's roll-up: the interchange format with `checks`, `rollup` and `units`.
#[utoipa::path(get, path = "/api/v1/regions/{region}/rollup", tag = "supervision", params(YearQuery,
        ("region" = String, Path, description = "The region's id")),
    responses(
        (status = 200, description = "The aggregate report with its units", body = Object),
        (status = 403, description = "Not a supervisor", body = Problem),
        (status = 404, description = "A region outside the caller's", body = Problem),
    ))]
pub async fn rollup_document(
    State(s): State<WebState>,
    caller: Caller,
    Path(region): Path<String>,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    // Who may ask is checked before what is asked.
    let region = supervised_region_id(&s.app, &caller.actor, Some(region_id(&region)?)).await?;
    let Query(q) = q?;
    Ok(Json(
        rollup::rollup_of(&s.app, region, q.year).await?.document(),
    ))
}

/// One cell of the aggregate: every unit's value.
#[utoipa::path(get, path = "/api/v1/regions/{region}/cells/{cell}", tag = "supervision", params(YearQuery,
        ("region" = String, Path, description = "The region's id"),
        ("cell" = String, Path, description = "The cell's JSON path, e.g. table3.granted.total")),
    responses(
        (status = 200, description = "Each unit's state and value of the cell", body = Object),
        (status = 400, description = "Not a cell of the year's layout", body = Problem),
        (status = 404, description = "A region outside the caller's", body = Problem),
    ))]
pub async fn cell(
    State(s): State<WebState>,
    caller: Caller,
    Path((region, cell)): Path<(String, String)>,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> ApiResult<Json<Drill>> {
    // Who may ask is checked before what is asked.
    let region = supervised_region_id(&s.app, &caller.actor, Some(region_id(&region)?)).await?;
    let Query(q) = q?;
    let (path, _) = rollup::units_of(&s.app, &region, q.year).await?;
    Ok(Json(
        rollup::drill(&s.app, &caller.actor, &path, q.year, &cell).await?,
    ))
}

/// One cell of a unit's report traced to where it came from: for a unit on gongkai the
/// records it counts (no personal data), who entered it, or the place in an imported file.
#[utoipa::path(get, path = "/api/v1/units/{agency}/{year}/cells/{cell}", tag = "supervision", params(
        ("agency" = String, Path, description = "The unit's id"),
        ("year" = i32, Path, description = "The report year"),
        ("cell" = String, Path, description = "The cell's JSON path, e.g. table3.granted.total")),
    responses(
        (status = 200, description = "The unit's value of the cell and its origin", body = Object),
        (status = 400, description = "Not a cell of the year's layout", body = Problem),
        (status = 403, description = "Not a supervisor", body = Problem),
        (status = 404, description = "A unit outside the caller's region, or no report", body = Problem),
    ))]
pub async fn unit_cell(
    State(s): State<WebState>,
    caller: Caller,
    Path((agency, year, cell)): Path<(String, i32, String)>,
) -> ApiResult<Json<UnitCell>> {
    let not_found = || ApiError::from(gongkai_app::AppError::not_found("agency", &agency));
    let id: i64 = agency.parse().map_err(|_| not_found())?;
    // Who may ask is checked before what is asked: an unknown id and one outside the
    // caller's region answer alike.
    gongkai_app::supervision::require_supervisor(
        &caller.actor,
        "read a unit's report",
        "查阅下级单位年度报告",
    )?;
    let key = gongkai_app::supervision::unit_key(&s.app, id)
        .await
        .map_err(|_| not_found())?;
    Ok(Json(
        records::unit_cell(&s.app, &caller.actor, &key, year, &cell).await?,
    ))
}
