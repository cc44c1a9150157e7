//! The back office (工作人员): sign-in and sign-out, the [`Staff`] extractor every staff page
//! and API route takes (docs/security.md), the dashboard `/staff`, and the application pages:
//! the list of cases, the case page with its event forms, registration, the online
//! applications awaiting confirmation, and re-issuing a 查询码 (docs/back-office.md); the
//! navigation every signed-in page shows (`nav`). Each module brings its routes.
//! Every response here is `Cache-Control: no-store` (ASVS 14.3.2), and every POST passes the
//! same-origin check before its handler checks the form's token.

mod account;
mod case_events;
mod case_page;
pub(crate) mod cases;
mod cleanup;
mod common;
mod dashboard;
mod event_fields;
mod feedback;
mod nav;
pub(crate) mod office;
mod online;
mod organisation;
mod proposals;
mod query_code;
mod remedy;
mod report;
mod session;
mod signin;
mod supervision;
mod work;

pub use session::{Peer, Staff, client, peer};

use crate::{WebState, csrf};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use gongkai_core::calendar::BEIJING;
use time::OffsetDateTime;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/signin", get(signin::show).post(signin::submit))
        .route("/staff/signin/code", post(signin::submit_code))
        .route("/staff/signout", post(signin::sign_out))
        .merge(dashboard::routes())
        .merge(account::routes())
        .merge(cases::routes())
        .merge(case_events::routes())
        .merge(online::routes())
        .merge(query_code::routes())
        .merge(remedy::routes())
        .merge(report::routes())
        .merge(supervision::routes())
        .merge(work::routes())
        .merge(proposals::routes())
        .merge(feedback::routes())
        .merge(cleanup::routes())
        .merge(organisation::routes())
        .merge(office::routes())
        .layer(axum::middleware::from_fn(csrf::require_same_origin))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// `2024-05-06 09:00` in Beijing time.
pub(crate) fn beijing(t: OffsetDateTime) -> String {
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
