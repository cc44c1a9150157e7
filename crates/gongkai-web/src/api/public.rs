//! `POST /api/v1/status`: the citizen's status look-up for other systems (the 12345 hotline,
//! a province's platform) — with the 申请编号 and the 查询码, the same answer as the status page,
//! under the same per-client limit (it is routed with the page's look-ups, `apply::routes`),
//! and the same 404 for an unknown number and a wrong code (docs/api.md#status).

use super::cases::masked;
use super::problem::{ApiError, ApiResult, Problem};
use crate::WebState;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use gongkai_app::application::online::{self, Tracked};
use gongkai_app::error::ErrorKind;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StatusBody {
    /// 申请编号.
    pub number: String,
    /// 查询码.
    pub code: String,
}

/// The application's state: `pending` or `rejected` (an online submission, with the reason),
/// or `case` with its events, clock and due date (identity masked).
#[utoipa::path(post, path = "/api/v1/status", tag = "public", request_body = StatusBody,
    security(()),
    responses(
        (status = 200, description = "The state", body = Object),
        (status = 404, description = "No application with this number and code", body = Problem),
        (status = 429, description = "Too many look-ups from this client"),
    ))]
pub async fn status(
    State(s): State<WebState>,
    body: Result<Json<StatusBody>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let Json(body) = body?;
    let today = s.today();
    match online::track(&s.app, &body.number, &body.code, today).await {
        Ok(Tracked::Pending(v)) => Ok(Json(json!({ "state": "pending", "submission": v }))),
        Ok(Tracked::Rejected(v)) => Ok(Json(json!({ "state": "rejected", "submission": v }))),
        Ok(Tracked::Case(c)) => Ok(Json(json!({ "state": "case", "case": masked(&c)? }))),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            "未找到",
            "申请编号或查询码不正确",
        )),
        Err(e) => Err(e.into()),
    }
}
