//! Who calls the API (docs/api.md#authentication): another system with a token
//! (`Authorization: Bearer gk_…`, `gongkai user token add`), or a signed-in browser with its
//! session cookie — then every request that changes something also carries the session's
//! anti-forgery token in `X-CSRF-Token` and comes from this site (a cookie is sent by the
//! browser on its own; a token header is not). Either way the caller acts as one user, with
//! that user's roles and scope, checked by the same use cases as the pages.

use super::problem::ApiError;
use crate::WebState;
use crate::staff::Staff;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use gongkai_core::user::Actor;

/// The user an API request acts as.
pub struct Caller {
    pub actor: Actor,
}

impl FromRequestParts<WebState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &WebState) -> Result<Caller, ApiError> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::trim);
        if let Some(auth) = bearer {
            let token = auth
                .strip_prefix("Bearer ")
                .or_else(|| auth.strip_prefix("bearer "))
                .map(str::trim)
                .ok_or_else(ApiError::unauthenticated)?;
            return match gongkai_app::api_token::authenticate(&s.app, token, s.clock.now()).await {
                Ok(Some(actor)) => {
                    crate::audit::note_caller(
                        &parts.extensions,
                        actor.id.get(),
                        &actor.display_name,
                    );
                    Ok(Caller { actor })
                }
                Ok(None) => Err(ApiError::unauthenticated()),
                Err(e) => Err(e.into()),
            };
        }
        let staff = Staff::from_request_parts(parts, s)
            .await
            .map_err(|_| ApiError::unauthenticated())?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            staff.check_csrf(&parts.headers, "").map_err(|_| {
                ApiError::forbidden("缺少或错误的防伪令牌（X-CSRF-Token），或请求并非来自本站")
            })?;
        }
        Ok(Caller {
            actor: staff.session.actor,
        })
    }
}
