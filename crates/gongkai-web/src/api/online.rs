//! `/api/v1/online…`: online submissions awaiting confirmation of receipt (Art. 31), and
//! confirming or rejecting one (docs/api.md#online).

use super::caller::Caller;
use super::cases::masked;
use super::problem::{ApiError, ApiResult, Problem};
use crate::WebState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use gongkai_app::application::online::{self, SubmissionView};
use gongkai_core::calendar::parse_iso_date;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PendingQuery {
    /// One agency (its name or organisation code); default: every agency of the caller's scope.
    pub agency: Option<String>,
}

/// The submissions awaiting confirmation, oldest first (录入).
#[utoipa::path(get, path = "/api/v1/online", tag = "online", params(PendingQuery),
    responses(
        (status = 200, description = "The submissions", body = Vec<Object>),
        (status = 403, description = "Not a 录入", body = Problem),
    ))]
pub async fn pending(
    State(s): State<WebState>,
    caller: Caller,
    q: Result<Query<PendingQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<SubmissionView>>> {
    let Query(q) = q?;
    let agency = q.agency.as_deref().map(str::trim).filter(|a| !a.is_empty());
    Ok(Json(online::pending(&s.app, &caller.actor, agency).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ConfirmBody {
    /// The day receipt is confirmed, `YYYY-MM-DD` (default: today in Beijing).
    pub on: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RejectBody {
    /// Why it is not an application; the applicant reads it on the status page.
    pub reason: String,
    /// The day of the decision, `YYYY-MM-DD` (default: today in Beijing).
    pub on: Option<String>,
}

fn day(s: &WebState, on: Option<&str>) -> ApiResult<time::Date> {
    match on.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(s.today()),
        Some(d) => parse_iso_date(d)
            .ok_or_else(|| ApiError::bad_request(format!("日期“{d}”有误，格式如2024-05-06"))),
    }
}

/// Confirms receipt: the submission becomes a case received on `on` (Art. 31); the case.
#[utoipa::path(post, path = "/api/v1/online/{number}/confirm", tag = "online",
    params(("number" = String, Path, description = "申请编号")),
    request_body = ConfirmBody,
    responses(
        (status = 200, description = "The case", body = Object),
        (status = 409, description = "Already decided, or a day the rules refuse", body = Problem),
        (status = 404, description = "No such submission in the caller's scope", body = Problem),
    ))]
pub async fn confirm(
    State(s): State<WebState>,
    caller: Caller,
    Path(number): Path<String>,
    body: Result<Json<ConfirmBody>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let Json(body) = body?;
    let on = day(&s, body.on.as_deref())?;
    let today = s.today();
    let case = online::confirm_online(&s.app, &caller.actor, &number, on, today).await?;
    Ok(Json(masked(&case)?))
}

/// Rejects a submission that is not an application, with the reason the applicant reads.
#[utoipa::path(post, path = "/api/v1/online/{number}/reject", tag = "online",
    params(("number" = String, Path, description = "申请编号")),
    request_body = RejectBody,
    responses(
        (status = 200, description = "The submission as rejected", body = Object),
        (status = 409, description = "Already decided", body = Problem),
        (status = 422, description = "No reason, or one too long", body = Problem),
    ))]
pub async fn reject(
    State(s): State<WebState>,
    caller: Caller,
    Path(number): Path<String>,
    body: Result<Json<RejectBody>, JsonRejection>,
) -> ApiResult<Json<SubmissionView>> {
    let Json(body) = body?;
    let on = day(&s, body.on.as_deref())?;
    let today = s.today();
    Ok(Json(
        online::reject_online(&s.app, &caller.actor, &number, &body.reason, on, today).await?,
    ))
}
