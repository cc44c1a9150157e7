//! The back office (工作人员): sign-in and sign-out, the [`Staff`] extractor every staff page
//! and API route takes, and the first page, `/staff`, which says who is signed in with which
//! roles for which agency (docs/security.md). Every response here is `Cache-Control: no-store`
//! (ASVS 14.3.2), and every POST passes the same-origin check before its handler checks the
//! form's token.

mod session;
mod signin;

pub use session::{Peer, Staff, client, peer};

use crate::page::Page;
use crate::{WebError, WebState, csrf};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_app::auth::{self, ProfileView};
use gongkai_core::calendar::BEIJING;
use time::OffsetDateTime;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff", get(home))
        .route("/staff/signin", get(signin::show).post(signin::submit))
        .route("/staff/signout", post(signin::sign_out))
        .layer(axum::middleware::from_fn(csrf::require_same_origin))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

#[derive(Template)]
#[template(path = "staff/home.html")]
struct HomePage {
    page: Page,
    me: ProfileView,
    signed_in_at: String,
    idle_minutes: u32,
    expires_at: String,
    csrf: String,
}

/// `2024-05-06 09:00` in Beijing time.
fn beijing(t: OffsetDateTime) -> String {
    let t = t.to_offset(BEIJING);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// `GET /staff`: who is signed in, their roles, agency and region, when the session ends, and
/// the sign-out button.
async fn home(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let me = auth::profile(&s.app, staff.actor()).await?;
    let page = HomePage {
        page: Page::new("工作台", "/staff", &headers).crumb("工作台", "/staff"),
        signed_in_at: beijing(staff.session.created_at),
        idle_minutes: s.app.settings.auth.idle_minutes,
        expires_at: beijing(staff.session.expires_at),
        csrf: staff.csrf_token()?,
        me,
    };
    let html = page.render().map_err(|e| {
        WebError::from(gongkai_app::AppError::internal(
            "cannot render the staff page",
            e,
        ))
    })?;
    Ok(Html(html).into_response())
}
