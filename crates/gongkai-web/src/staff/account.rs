//! `/staff/account` (账号安全): the signed-in user's own second factor — whether it is
//! enrolled, and enrolling one by scanning a QR code and typing a code back
//! (docs/security.md#second-factor). In the level-2 profile enrolling is a user's choice; once
//! enrolled, every sign-in asks for the code. In level 3 enrolment happens at sign-in.

use super::Staff;
use super::common::render;
use super::signin::qr_svg;
use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::second_factor::{self, Offer};
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/account", get(show))
        .route("/staff/account/second-factor", post(enrol))
}

#[derive(Template)]
#[template(path = "staff/account.html")]
struct AccountPage {
    page: Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    /// When the second factor was enrolled (Beijing time), if it was.
    enrolled_at: Option<String>,
    required: bool,
    offer: Option<Offer>,
    qr_svg: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AccountQuery {
    ok: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnrolForm {
    csrf_token: String,
    sealed: String,
    code: String,
}

async fn page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    notice: Option<String>,
    error: Option<String>,
    offer: Option<Offer>,
) -> Result<AccountPage, WebError> {
    let actor = staff.actor();
    let enrolled_at = second_factor::enrolled_at(&s.app, actor.id)
        .await?
        .map(super::beijing);
    let offer = match (&enrolled_at, offer) {
        (Some(_), _) => None,
        (None, Some(o)) => Some(o),
        (None, None) => Some(second_factor::offer(&s.app, actor)?),
    };
    Ok(AccountPage {
        nav: crate::staff::nav::StaffNav::new(
            staff,
            crate::staff::nav::Section::Dashboard,
            "/staff/account",
        )?,
        page: Page::new("账号安全", "/staff/account", headers)
            .crumb("工作台", "/staff")
            .crumb("账号安全", "/staff/account"),
        csrf: staff.csrf_token()?,
        required: s.app.settings.auth.second_factor_required(),
        qr_svg: offer.as_ref().map(|o| qr_svg(&o.uri)).unwrap_or_default(),
        offer,
        enrolled_at,
        notice,
        error,
    })
}

async fn show(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<AccountQuery>,
) -> Result<Response, WebError> {
    let notice = (q.ok == "enrolled")
        .then(|| "已绑定动态验证码，今后登录时须输入验证器显示的6位数字。".to_string());
    render(
        StatusCode::OK,
        &page(&s, &staff, &headers, notice, None, None).await?,
    )
}

/// `POST /staff/account/second-factor`: enrols the secret the page offered once its code is
/// typed back; a wrong code shows the same secret again (422).
async fn enrol(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    axum::Form(f): axum::Form<EnrolForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    let actor = staff.actor();
    match second_factor::enrol(&s.app, actor, &f.sealed, &f.code, s.clock.now()).await {
        Ok(()) => Ok(Redirect::to("/staff/account?ok=enrolled").into_response()),
        Err(e) if e.kind() == ErrorKind::Invalid => {
            let again = second_factor::reoffer(&s.app, actor, &f.sealed);
            let p = page(&s, &staff, &headers, None, Some(e.zh()), again).await?;
            render(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => Err(e.into()),
    }
}
