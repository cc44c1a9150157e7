//! `GET /api/v1/me`: who the caller acts as — so a system can check its token.

use super::caller::Caller;
use super::problem::{ApiResult, Problem};
use crate::WebState;
use axum::Json;
use axum::extract::State;
use gongkai_app::auth::ProfileView;

/// The user the session or token acts as: roles, agency, region.
#[utoipa::path(get, path = "/api/v1/me", tag = "users",
    responses(
        (status = 200, description = "The user", body = Object),
        (status = 401, description = "No session or token", body = Problem),
    ))]
pub async fn me(State(s): State<WebState>, caller: Caller) -> ApiResult<Json<ProfileView>> {
    Ok(Json(
        gongkai_app::auth::profile(&s.app, &caller.actor).await?,
    ))
}
