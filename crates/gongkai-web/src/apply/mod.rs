//! The citizen's side of 依申请公开 (docs/online-applications.md): the online application form
//! of each agency, the receipt with the 申请编号 and the 查询码 (shown once), and the status
//! page found with both. Everything works without JavaScript; the browser checks lengths and
//! required fields from the HTML, the server checks every field again and answers each wrong
//! one in Chinese beside it.
//!
//! - A POST must come from this site's own pages: same origin and the form's anti-forgery
//!   token (`csrf.rs`: the secret of forms shown before signing in, in a cookie of its own).
//! - Times come from the state's clock (`WebState::clock`: the system's, a manual one in tests).
//! - A submission is committed before the receipt is shown (the app layer commits, then the
//!   handler answers 303 to the receipt). The form carries a random idempotency key, so the
//!   same form sent twice is one application; the second answer points to the first receipt.
//! - The 查询码 reaches the receipt page through a one-time ticket kept in memory for a short
//!   while, never in a URL or a cookie; the ticket shows it once.
//! - Look-ups (the status page and letter downloads) and submissions are limited per client
//!   address (tower_governor; behind a proxy listed in `[auth] trusted_proxies`, the address
//!   it forwards); an unknown number and a wrong code give the same page.

mod form;
pub(crate) mod limit;
mod receipt;
mod status;

use form::{show_form, submit_form};
use limit::{ClientIp, limited, too_many};
use receipt::{Receipts, Ticket, show_receipt};
use status::{download_letter, status_form, status_lookup};

use crate::page::Page;
use crate::portal::render;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::connect_info::ConnectInfo;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongkai_app::AppError;
use gongkai_app::agency::AgencyView;
use gongkai_app::application::Case;
use gongkai_app::application::online::{
    self as online, SubmissionView, Tracked, beijing_time, issued_letters,
};
use gongkai_app::error::ErrorKind;
use gongkai_core::application::Delivery;
use gongkai_core::application::{
    Applicant, ApplicantType, Due, EventKind, FormErrors, IdType, Medium, OnlineForm, field,
    max_chars,
};
use gongkai_core::calendar::{date_in_china, iso, weekday_names};
use gongkai_core::ids::AgencyId;
use gongkai_letters::LetterKind;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tower_governor::GovernorError;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;

type Result<T> = std::result::Result<T, WebError>;

/// The largest form body accepted (the longest fields, percent-encoded, fit several times).
const MAX_BODY: usize = 64 * 1024;
/// The most fields a form may carry (BI-F-3).
const MAX_FIELDS: usize = 64;
/// How long a receipt ticket waits for its page.
const TICKET_TTL: Duration = Duration::from_secs(30 * 60);
/// The most tickets kept at once (the oldest go first).
const MAX_TICKETS: usize = 10_000;

/// A per-client limit: `burst` requests at once, then one every `every`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub burst: u32,
    pub every: Duration,
}

/// Look-ups with a 查询码 (the status page, letters): 10 at once, then one every 6 seconds —
/// enough for a person, far too slow to guess 65-bit codes (RL-6).
pub const LOOKUP_LIMIT: Limit = Limit {
    burst: 10,
    every: Duration::from_secs(6),
};
/// Form submissions (also those answered with corrections): 20 at once, then one every 30 s.
pub const SUBMIT_LIMIT: Limit = Limit {
    burst: 20,
    every: Duration::from_secs(30),
};

pub fn routes(state: &WebState) -> Router<WebState> {
    let receipts = Arc::new(Receipts::default());
    let clients = ClientIp {
        trusted: Arc::new(state.app.settings.auth.trusted_proxies.clone()),
    };
    let submit = limited(
        Router::new().route(
            "/agencies/{agency}/apply/online",
            get(show_form).post(submit_form),
        ),
        SUBMIT_LIMIT,
        clients.clone(),
        too_many,
    );
    let lookups = limited(
        Router::new()
            .route("/status", get(status_form).post(status_lookup))
            .route("/status/letter", axum::routing::post(download_letter))
            .route(
                "/api/v1/status",
                axum::routing::post(crate::api::public::status),
            ),
        LOOKUP_LIMIT,
        clients,
        too_many,
    );
    Router::new()
        .route("/apply/receipt/{ticket}", get(show_receipt))
        .merge(submit)
        .merge(lookups)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::Extension(receipts))
}

// ---- the request's origin and body ----

/// The form's anti-forgery check: same origin, and the token against the form cookie's
/// secret (`csrf.rs`); 403 with a Chinese page otherwise.
pub(crate) fn verify_form(
    s: &WebState,
    headers: &HeaderMap,
    pairs: &[(String, String)],
) -> Result<()> {
    crate::csrf::verify_form(
        headers,
        s.app.settings.auth.secure_cookie,
        first(pairs, crate::csrf::FIELD),
    )
}

/// A token for a form shown on this response, and the cookie to set when the browser has
/// none yet.
pub(crate) struct FormToken {
    pub(crate) token: String,
    pub(crate) set_cookie: Option<HeaderValue>,
}

pub(crate) fn form_token(s: &WebState, headers: &HeaderMap) -> Result<FormToken> {
    let secret = crate::csrf::form_secret(headers, s.app.settings.auth.secure_cookie)?;
    Ok(FormToken {
        token: crate::csrf::token(&secret.secret)?,
        set_cookie: secret.set_cookie,
    })
}

/// A page that carries a form: no caching, the form cookie when new.
pub(crate) fn form_response(
    status: StatusCode,
    page: Response,
    cookie: Option<HeaderValue>,
) -> Response {
    let mut r = with_status(status, page);
    if let Some(c) = cookie {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    r
}

/// The body of an `application/x-www-form-urlencoded` POST as name–value pairs, decoded as
/// UTF-8 (invalid bytes are refused, not replaced: BI-F-4), at most [`MAX_FIELDS`].
pub(crate) fn form_pairs(
    headers: &HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Vec<(String, String)>> {
    form_pairs_up_to(headers, body, MAX_FIELDS)
}

/// [`form_pairs`] with another bound on the number of fields (the back office's larger forms).
pub(crate) fn form_pairs_up_to(
    headers: &HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
    max_fields: usize,
) -> Result<Vec<(String, String)>> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "提交的内容过长",
                "提交的内容超过了允许的长度，请精简填写的内容后重新提交。",
            )
        } else {
            WebError::bad_request("未能读取提交的表单，请重新提交。")
        }
    })?;
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut parts = ctype.split(';').map(str::trim);
    if parts.next() != Some("application/x-www-form-urlencoded") {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "请求有误",
            "请通过本站页面上的表单提交。",
        ));
    }
    if parts.any(|p| {
        p.strip_prefix("charset=")
            .is_some_and(|c| !c.trim_matches('"').eq_ignore_ascii_case("utf-8"))
    }) {
        return Err(WebError::bad_request(
            "表单须以 UTF-8 编码提交，请通过本站页面上的表单提交。",
        ));
    }
    let mut out = Vec::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        if out.len() == max_fields {
            return Err(WebError::bad_request(
                "表单字段过多，请通过本站页面上的表单提交。",
            ));
        }
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let bad =
            || WebError::bad_request("表单编码有误（须为 UTF-8），请通过本站页面上的表单提交。");
        let k = percent_decode(k).ok_or_else(bad)?;
        let v = percent_decode(v).ok_or_else(bad)?;
        // A name no form of this site has: a byte-order mark or another invisible character
        // (BI-F-4); the value's own check would never see it.
        if k.chars()
            .any(|c| gongkai_core::text::forbidden_char(c, false))
        {
            return Err(WebError::bad_request(
                "表单字段名有误（含有不可见的字符），请通过本站页面上的表单提交。",
            ));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// `+` is a space, `%XX` a byte; the bytes must be UTF-8.
fn percent_decode(s: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                let hi = hex(*s.get(i + 1)?)?;
                let lo = hex(*s.get(i + 2)?)?;
                out.push((hi * 16 + lo) as u8);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The first value of a field (a repeated field counts once, the first wins: BI-F-3).
pub(crate) fn first<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn random_token() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| {
        eprintln!("gongkai-web: no random numbers: {e}");
        WebError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "服务暂时不可用",
            "服务暂时不可用，请稍后再试或联系管理员",
        )
    })?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

pub(crate) fn with_status(status: StatusCode, r: Response) -> Response {
    let mut r = no_store(r);
    *r.status_mut() = status;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bi_f_4_form_bodies_decode_as_utf8_only() {
        assert_eq!(percent_decode(b"a+b%E5%BC%A0").as_deref(), Some("a b张"));
        assert_eq!(percent_decode(b"%C0%AF"), None);
        assert_eq!(percent_decode(b"%ED%A0%80"), None);
        assert_eq!(percent_decode(b"%E5%BC"), None);
        assert_eq!(percent_decode(b"%ZZ"), None);
        assert_eq!(percent_decode(b"%4"), None);
    }

    fn form_headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        h
    }

    /// What a browser sends for a field: unreserved bytes kept, space as `+`, the rest `%XX`.
    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4_000))]

        /// Fuzz-style (docs/reliability.md, the form-body target): any bytes at all are either
        /// read or refused with a 4xx — no panic, never a 5xx, never more fields than allowed.
        #[test]
        fn bi_f_any_form_body_is_read_or_refused_with_a_4xx(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2_048),
            max in 1usize..64,
        ) {
            match form_pairs_up_to(&form_headers(), Ok(Bytes::from(body)), max) {
                Ok(pairs) => proptest::prop_assert!(pairs.len() <= max),
                Err(e) => proptest::prop_assert!(e.status.is_client_error(), "{:?}", e.status),
            }
        }

        /// Whatever a browser encodes comes back exactly, in order, repeated names included.
        #[test]
        fn bi_f_encoded_fields_decode_to_what_was_typed(
            fields in proptest::collection::vec(("[a-z_]{1,12}", "\\PC{0,40}"), 0..20),
        ) {
            let body = fields
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            let got = form_pairs_up_to(&form_headers(), Ok(Bytes::from(body)), 64);
            let expected: Vec<(String, String)> = fields.clone();
            match got {
                Ok(pairs) => proptest::prop_assert_eq!(pairs, expected),
                // A value with a character the boundary refuses in a name cannot occur (names
                // are [a-z_]); values are kept as typed, so nothing else may be refused.
                Err(e) => proptest::prop_assert!(false, "refused: {:?}", e.status),
            }
        }
    }
}
