//! The signed-in staff user of a request: the [`Staff`] extractor, the session cookie, and the
//! client address sign-in counts failures by (docs/security.md).

use crate::csrf;
use crate::{WebError, WebState};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::auth::{self, AuthSettings, StaffSession};
use gongkai_core::user::{Actor, Role};
use std::net::{IpAddr, SocketAddr};

/// The session cookie's name: with `Secure`, the `__Host-` prefix binds it to this host and
/// path `/` (ASVS 3.3.3).
pub fn cookie_name(s: &AuthSettings) -> &'static str {
    if s.secure_cookie {
        "__Host-gongkai_staff"
    } else {
        "gongkai_staff"
    }
}

/// The session cookie: `HttpOnly; SameSite=Lax; Path=/`, `Secure` when configured, no
/// `Max-Age` (it ends with the browser; the server ends it sooner when idle).
pub fn session_cookie(s: &AuthSettings, token: &str) -> Option<HeaderValue> {
    csrf::set_cookie(cookie_name(s), token, "Lax", s.secure_cookie, None)
}

/// A `Set-Cookie` that deletes the session cookie.
pub fn clear_session_cookie(s: &AuthSettings) -> Option<HeaderValue> {
    csrf::set_cookie(cookie_name(s), "", "Lax", s.secure_cookie, Some(0))
}

/// The session token the request's cookie carries.
pub fn token(headers: &HeaderMap, s: &AuthSettings) -> Option<String> {
    csrf::cookie(headers, cookie_name(s))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// The client's address: the peer, or, when the peer is a trusted proxy, the last address in
/// `X-Forwarded-For` that is not one (ASVS 15.3.4: the header is anyone's to write, so it
/// counts only from a proxy we trust). `unknown` when the server was not told the peer.
pub fn client(parts_headers: &HeaderMap, peer: Option<IpAddr>, s: &AuthSettings) -> String {
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if !s.trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<IpAddr> = parts_headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !s.trusted_proxies.contains(a))
        .unwrap_or(peer)
        .to_string()
}

/// The peer address the server recorded (`Server` serves with connection info).
pub fn peer(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The peer address of the connection, when the server recorded it (never refuses).
pub struct Peer(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Peer, Self::Rejection> {
        Ok(Peer(peer(&parts.extensions)))
    }
}

/// A signed-in staff user: their actor and session. As an extractor it refuses a request
/// without a live session: a page is sent to the sign-in form (303, back here afterwards),
/// an API request gets 401.
pub struct Staff {
    pub session: StaffSession,
    token: String,
}

impl Staff {
    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }

    /// The session cookie's token (to end the session).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// A token for a form of this session (a fresh mask each time).
    pub fn csrf_token(&self) -> Result<String, WebError> {
        csrf::token(&self.session.csrf_secret)
    }

    /// Checks a POST of this session: same origin, and the token of the form field (or, when
    /// the form has none, of the `X-CSRF-Token` header); 403 otherwise.
    pub fn check_csrf(&self, headers: &HeaderMap, submitted: &str) -> Result<(), WebError> {
        csrf::same_origin(headers)?;
        let submitted = if submitted.is_empty() {
            headers
                .get(csrf::HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        } else {
            submitted
        };
        csrf::verify(&self.session.csrf_secret, submitted)
    }

    /// Refuses (403) a user without `role` (no role stands in for another: 三权分立).
    pub fn require(&self, role: Role, what_en: &str, what_zh: &str) -> Result<(), WebError> {
        gongkai_app::access::require(self.actor(), role, what_en, what_zh).map_err(WebError::from)
    }
}

/// Whether a request wants JSON rather than a page (the API, or a client that asks for it).
fn wants_json(parts: &Parts) -> bool {
    if parts.uri.path().starts_with("/api/") {
        return true;
    }
    let accept = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept.contains("application/json") && !accept.contains("text/html")
}

/// The answer to a request that needs a session and has none (`stale`: its cookie named one
/// that has ended).
fn sign_in_first(parts: &Parts, s: &AuthSettings, stale: bool) -> Response {
    let mut r = if wants_json(parts) {
        (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            serde_json::json!({
                "error": "unauthenticated",
                "message": "请先登录",
                "message_en": "sign in first",
            })
            .to_string(),
        )
            .into_response()
    } else {
        let here = parts.uri.path_and_query().map_or("/staff", |p| p.as_str());
        let mut to = format!("/staff/signin?next={}", crate::page::encode(here));
        if stale {
            to.push_str("&expired=1");
        }
        Redirect::to(&to).into_response()
    };
    if stale && let Some(v) = clear_session_cookie(s) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

impl FromRequestParts<WebState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Staff, Response> {
        let s = &state.app.settings.auth;
        let Some(token) = token(&parts.headers, s) else {
            return Err(sign_in_first(parts, s, false));
        };
        match auth::session(&state.app, &token, state.clock.now()).await {
            Ok(Some(session)) => {
                crate::audit::note_caller(
                    &parts.extensions,
                    session.actor.id.get(),
                    &session.actor.display_name,
                );
                Ok(Staff { session, token })
            }
            Ok(None) => Err(sign_in_first(parts, s, true)),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_15_3_4_forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().expect("ip");
        let s = AuthSettings {
            trusted_proxies: vec![proxy],
            ..AuthSettings::default()
        };
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.5, 198.51.100.7, 10.0.0.2"),
        );
        assert_eq!(client(&h, Some(proxy), &s), "198.51.100.7");
        let stranger: IpAddr = "192.0.2.9".parse().expect("ip");
        assert_eq!(client(&h, Some(stranger), &s), "192.0.2.9");
        assert_eq!(client(&HeaderMap::new(), Some(proxy), &s), "10.0.0.2");
        assert_eq!(client(&h, None, &s), "unknown");
    }

    #[test]
    fn as_3_3_the_session_cookie_attributes() {
        let plain = AuthSettings::default();
        let c = session_cookie(&plain, "abc").expect("cookie");
        assert_eq!(
            c.to_str().expect("ascii"),
            "gongkai_staff=abc; Path=/; HttpOnly; SameSite=Lax"
        );
        let secure = AuthSettings {
            secure_cookie: true,
            ..AuthSettings::default()
        };
        let c = session_cookie(&secure, "abc").expect("cookie");
        assert_eq!(
            c.to_str().expect("ascii"),
            "__Host-gongkai_staff=abc; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        let gone = clear_session_cookie(&secure).expect("cookie");
        assert!(gone.to_str().expect("ascii").contains("Max-Age=0"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("gongkai_staff=plain; __Host-gongkai_staff=prefixed"),
        );
        assert_eq!(token(&h, &plain).as_deref(), Some("plain"));
        assert_eq!(token(&h, &secure).as_deref(), Some("prefixed"));
    }
}
