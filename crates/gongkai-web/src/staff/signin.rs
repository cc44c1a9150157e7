//! `GET/POST /staff/signin` and `POST /staff/signout` (docs/security.md).

use super::session::{self, Peer, Staff};
use crate::csrf;
use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongkai_app::auth::{self, Attempt, Denied, Pending};
use gongkai_app::error::Localized;
use gongkai_app::second_factor;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "staff/signin.html")]
struct SignInPage {
    page: Page,
    csrf: String,
    next: String,
    name: String,
    /// What went wrong, or why the user is here (signed out, session ended).
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/signin_code.html")]
struct CodePage {
    page: Page,
    csrf: String,
    next: String,
    ticket: String,
    issuer: &'static str,
    enrol: Option<second_factor::Offer>,
    /// The enrolment QR code as inline SVG (no script, no image request).
    qr_svg: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    ticket: String,
    code: String,
    next: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInQuery {
    next: Option<String>,
    /// The session of the request that sent the user here had ended.
    expired: Option<String>,
    /// The user has just signed out.
    out: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    name: String,
    password: String,
    next: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf_token: String,
}

/// Where to go after signing in: a path of this site (no open redirect), else `/staff`.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control)
                && !n.starts_with("/staff/signin")
                && !n.starts_with("/staff/signout") =>
        {
            n
        }
        _ => "/staff",
    }
}

/// Renders the form with a token of the form cookie's secret (set now when new).
fn render_form(
    s: &WebState,
    headers: &HeaderMap,
    status: StatusCode,
    next: &str,
    name: &str,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let secure = s.app.settings.auth.secure_cookie;
    let secret = csrf::form_secret(headers, secure)?;
    let page = SignInPage {
        page: Page::new("工作人员登录", "/staff/signin", headers)
            .crumb("工作人员登录", "/staff/signin"),
        csrf: csrf::token(&secret.secret)?,
        next: safe_next(Some(next)).to_string(),
        name: name.chars().take(auth::MAX_NAME_CHARS).collect(),
        error,
        notice,
    };
    let html = page.render().map_err(|e| {
        WebError::from(gongkai_app::AppError::internal(
            "cannot render the sign-in page",
            e,
        ))
    })?;
    let mut r = (status, Html(html)).into_response();
    if let Some(c) = secret.set_cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}

/// The QR code of an `otpauth://` address as an SVG element, or nothing when it cannot be
/// drawn (the secret is shown as text as well).
pub fn qr_svg(uri: &str) -> String {
    qrcode::QrCode::new(uri.as_bytes())
        .map(|q| {
            q.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .map(|svg| match svg.find("<svg") {
            Some(i) => svg[i..].to_string(),
            None => String::new(),
        })
        .unwrap_or_default()
}

/// Renders the code form of a pending sign-in.
fn render_code(
    s: &WebState,
    headers: &HeaderMap,
    status: StatusCode,
    next: &str,
    ticket: &str,
    enrol: Option<second_factor::Offer>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let secure = s.app.settings.auth.secure_cookie;
    let secret = csrf::form_secret(headers, secure)?;
    let page = CodePage {
        page: Page::new("动态验证码", "/staff/signin", headers)
            .crumb("工作人员登录", "/staff/signin"),
        csrf: csrf::token(&secret.secret)?,
        next: safe_next(Some(next)).to_string(),
        ticket: ticket.to_string(),
        issuer: second_factor::ISSUER,
        qr_svg: enrol.as_ref().map(|o| qr_svg(&o.uri)).unwrap_or_default(),
        enrol,
        error,
    };
    let html = page.render().map_err(|e| {
        WebError::from(gongkai_app::AppError::internal(
            "cannot render the code page",
            e,
        ))
    })?;
    let mut r = (status, Html(html)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(c) = secret.set_cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}

/// A finished sign-in: the old session ended, the new cookie set, on to `next`.
async fn signed_in(
    s: &WebState,
    headers: &HeaderMap,
    signed: auth::SignedIn,
    next: &str,
) -> Result<Response, WebError> {
    let settings = &s.app.settings.auth;
    // A session the browser held before is ended, not reused (ASVS 7.2.4).
    if let Some(old) = session::token(headers, settings) {
        auth::sign_out(&s.app, &old).await?;
    }
    let mut r = Redirect::to(safe_next(Some(next))).into_response();
    if let Some(c) = session::session_cookie(settings, &signed.token) {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r.extensions_mut().insert(crate::audit::Noted {
        id: Some(signed.session.actor.id.get()),
        name: signed.session.actor.display_name.clone(),
    });
    Ok(r)
}

/// The status a refused sign-in answers with.
fn denied_status(denied: &Denied) -> StatusCode {
    match denied {
        Denied::Credentials | Denied::WrongCode { .. } | Denied::ChallengeEnded => {
            StatusCode::UNAUTHORIZED
        }
        Denied::Locked { .. } => StatusCode::TOO_MANY_REQUESTS,
        Denied::Disabled => StatusCode::FORBIDDEN,
    }
}

/// `POST /staff/signin/code`: the second factor's code of a sign-in whose password was right
/// (docs/security.md#second-factor).
pub async fn submit_code(
    State(s): State<WebState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    posted: Result<Form<CodeForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Form(f) =
        posted.map_err(|_| WebError::bad_request("验证码表单无法读取，请返回后重新登录。"))?;
    let settings = &s.app.settings.auth;
    csrf::verify_form(&headers, settings.secure_cookie, &f.csrf_token)?;
    let client = session::client(&headers, peer, settings);
    let now = s.clock.now();
    match auth::second_factor(&s.app, &f.ticket, &f.code, &client, now).await? {
        Attempt::SignedIn(signed) => signed_in(&s, &headers, signed, &f.next).await,
        Attempt::Denied(denied @ Denied::WrongCode { .. }) => {
            let offer = auth::pending_offer(&s.app, &f.ticket, now).await?;
            render_code(
                &s,
                &headers,
                denied_status(&denied),
                &f.next,
                &f.ticket,
                offer,
                Some(denied.zh()),
            )
        }
        Attempt::Denied(denied) => render_form(
            &s,
            &headers,
            denied_status(&denied),
            &f.next,
            "",
            Some(denied.zh()),
            None,
        ),
        Attempt::SecondFactor(_) => Err(WebError::from(gongkai_app::AppError::internal(
            "a code answered with another challenge",
            std::fmt::Error,
        ))),
    }
}

/// `GET /staff/signin`: the form, or straight on when already signed in.
pub async fn show(
    State(s): State<WebState>,
    Query(q): Query<SignInQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let next = safe_next(q.next.as_deref()).to_string();
    if let Some(token) = session::token(&headers, &s.app.settings.auth)
        && auth::session(&s.app, &token, s.clock.now())
            .await?
            .is_some()
    {
        return Ok(Redirect::to(&next).into_response());
    }
    let notice = if q.out.is_some() {
        Some("您已退出登录。".to_string())
    } else if q.expired.is_some() {
        Some("登录已失效（长时间未操作或已超过最长登录时间），请重新登录。".to_string())
    } else {
        None
    };
    render_form(&s, &headers, StatusCode::OK, &next, "", None, notice)
}

/// `POST /staff/signin`: checks the form's origin and token, then the password; a new session
/// (a new token, the old session ended) and back to `next`, or the form again with the reason.
pub async fn submit(
    State(s): State<WebState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    posted: Result<Form<SignInForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Form(f) =
        posted.map_err(|_| WebError::bad_request("登录表单无法读取，请返回后重新填写。"))?;
    let settings = &s.app.settings.auth;
    csrf::verify_form(&headers, settings.secure_cookie, &f.csrf_token)?;
    let client = session::client(&headers, peer, settings);
    let now = s.clock.now();
    match auth::sign_in(&s.app, &f.name, &f.password, &client, now).await? {
        Attempt::SignedIn(signed) => signed_in(&s, &headers, signed, &f.next).await,
        Attempt::SecondFactor(Pending { ticket, enrol, .. }) => {
            let mut r = render_code(&s, &headers, StatusCode::OK, &f.next, &ticket, enrol, None)?;
            r.extensions_mut().insert(crate::audit::Noted {
                id: None,
                name: f.name.chars().take(40).collect(),
            });
            Ok(r)
        }
        Attempt::Denied(denied) => {
            let status = denied_status(&denied);
            let mut r = render_form(
                &s,
                &headers,
                status,
                &f.next,
                &f.name,
                Some(denied.zh()),
                None,
            )?;
            r.extensions_mut().insert(crate::audit::Noted {
                id: None,
                name: f.name.chars().take(40).collect(),
            });
            if let Denied::Locked { until } = denied {
                let secs = (until - now).whole_seconds().max(1);
                if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            Ok(r)
        }
    }
}

/// `POST /staff/signout`: ends the session (server-side, ASVS 7.4.1) and deletes the cookie.
pub async fn sign_out(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    auth::sign_out(&s.app, staff.token()).await?;
    let mut r = Redirect::to("/staff/signin?out=1").into_response();
    let h = r.headers_mut();
    if let Some(c) = session::clear_session_cookie(&s.app.settings.auth) {
        h.append(header::SET_COOKIE, c);
    }
    h.insert("clear-site-data", HeaderValue::from_static("\"cache\""));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_next(Some("/staff/cases?due=3")), "/staff/cases?due=3");
        assert_eq!(safe_next(Some("/agencies/1")), "/agencies/1");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "evil",
            "/staff/signin?next=/x",
            "/x\r\nSet-Cookie: a=b",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/staff", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/staff");
    }
}
