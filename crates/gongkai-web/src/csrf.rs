//! Protection against cross-site request forgery on every form (ASVS 3.5.1;
//! docs/security.md#csrf). A POST passes two checks:
//!
//! 1. [`same_origin`]: the browser says the request comes from this site (`Sec-Fetch-Site`,
//!    else `Origin` against `Host`). A request with neither header is not a modern browser's
//!    and is left to the second check.
//! 2. A synchronizer token: a hidden field ([`FIELD`]) made by [`token`] from a secret the
//!    server holds, checked by [`verify`]. The secret is the staff session's (in the database,
//!    `Staff::csrf_token`), or, for a form shown before anyone signs in (the staff sign-in, the
//!    citizen's application), one kept in a cookie of its own ([`form_secret`]) — an attacker
//!    can neither read that cookie nor set it on this site.
//!
//! Tokens are masked with a fresh random pad each time they are rendered, so a compressed page
//! does not repeat the secret (BREACH), and compared in constant time.

use crate::WebError;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The form field that carries the token.
pub const FIELD: &str = "csrf_token";
/// The header that may carry it instead (a script-free site does not need it; an API client
/// that uses the session cookie does).
pub const HEADER: &str = "x-csrf-token";

/// The answer to a forged or unverifiable request: 403 with a Chinese page.
pub fn forbidden() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "请求被拒绝",
        "表单已过期或来源无法确认。请返回上一页，刷新后重新提交。",
    )
}

/// Refuses a request that a browser says comes from another site: `Sec-Fetch-Site` other than
/// `same-origin` (or `none`: typed by the user), or, without that header, an `Origin` whose
/// host and port are not the request's `Host`. A request with neither header passes (it is
/// not from a browser that sends them; the token still has to match).
pub fn same_origin(headers: &HeaderMap) -> Result<(), WebError> {
    if let Some(site) = headers.get("sec-fetch-site") {
        return match site.to_str() {
            Ok("same-origin" | "none") => Ok(()),
            _ => Err(forbidden()),
        };
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().map_err(|_| forbidden())?;
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(forbidden)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .ok_or_else(forbidden)?;
    if authority.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        Err(forbidden())
    }
}

/// Middleware: [`same_origin`] on every request that may change something (not GET, HEAD or
/// OPTIONS).
pub async fn require_same_origin(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && let Err(e) = same_origin(req.headers())
    {
        return e.into_response();
    }
    next.run(req).await
}

/// A new secret: 32 random bytes as 64 hex digits.
pub fn new_secret() -> Result<String, WebError> {
    gongkai_app::auth::random_hex().map_err(WebError::from)
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |b: u8| match b {
                b'0'..=b'9' => Some(b - b'0'),
                b'a'..=b'f' => Some(b - b'a' + 10),
                _ => None,
            };
            Some(digit(pair[0])? << 4 | digit(pair[1])?)
        })
        .collect()
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token for a form: a fresh random pad and the secret masked with it (128 hex digits).
/// Each call gives another string; every one verifies against the same secret.
pub fn token(secret: &str) -> Result<String, WebError> {
    let secret = decode_hex(secret)
        .filter(|s| s.len() == 32)
        .ok_or_else(|| {
            WebError::from(gongkai_app::AppError::Internal {
                message: "an anti-forgery secret is not 64 hex digits".into(),
                source: None,
            })
        })?;
    let pad = decode_hex(&new_secret()?).unwrap_or_default();
    let masked: Vec<u8> = pad.iter().zip(&secret).map(|(p, s)| p ^ s).collect();
    Ok(encode_hex(&pad) + &encode_hex(&masked))
}

/// Checks a submitted token against the secret, in constant time; 403 when it does not match.
pub fn verify(secret: &str, submitted: &str) -> Result<(), WebError> {
    let (Some(secret), Some(token)) = (decode_hex(secret), decode_hex(submitted.trim())) else {
        return Err(forbidden());
    };
    if secret.len() != 32 || token.len() != 64 {
        return Err(forbidden());
    }
    let (pad, masked) = token.split_at(32);
    let diff = pad
        .iter()
        .zip(masked)
        .zip(&secret)
        .fold(0u8, |acc, ((p, m), s)| acc | (p ^ m ^ s));
    if diff == 0 { Ok(()) } else { Err(forbidden()) }
}

/// The cookie that holds the secret of forms shown before signing in.
fn form_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-gongkai_form"
    } else {
        "gongkai_form"
    }
}

/// The value of the cookie `name` in the request, if it has one.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value: `HttpOnly`, `Path=/`, the given `SameSite`, and `Secure` when asked
/// (the `__Host-` names need it); `max_age` `Some(0)` deletes the cookie.
pub fn set_cookie(
    name: &str,
    value: &str,
    same_site: &str,
    secure: bool,
    max_age: Option<u32>,
) -> Option<HeaderValue> {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).ok()
}

/// The secret of a form shown before signing in: the one in the request's form cookie, or a
/// new one with the `Set-Cookie` header to send along with the form. `secure` is
/// `[auth] secure_cookie` (then the cookie is `__Host-gongkai_form`).
pub struct FormSecret {
    pub secret: String,
    pub set_cookie: Option<HeaderValue>,
}

pub fn form_secret(headers: &HeaderMap, secure: bool) -> Result<FormSecret, WebError> {
    let name = form_cookie_name(secure);
    if let Some(existing) = cookie(headers, name).filter(|v| is_secret(v)) {
        return Ok(FormSecret {
            secret: existing.to_string(),
            set_cookie: None,
        });
    }
    let secret = new_secret()?;
    Ok(FormSecret {
        set_cookie: set_cookie(name, &secret, "Strict", secure, None),
        secret,
    })
}

/// Checks a form posted before signing in: same origin, and its token against the form
/// cookie's secret (a request without the cookie cannot be verified: 403).
pub fn verify_form(headers: &HeaderMap, secure: bool, submitted: &str) -> Result<(), WebError> {
    same_origin(headers)?;
    let secret = cookie(headers, form_cookie_name(secure))
        .filter(|v| is_secret(v))
        .ok_or_else(forbidden)?;
    verify(secret, submitted)
}

fn is_secret(v: &str) -> bool {
    v.len() == 64 && v.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).expect("name"),
                HeaderValue::from_str(v).expect("value"),
            );
        }
        h
    }

    #[test]
    fn as_3_5_1_same_origin_by_fetch_metadata_then_origin() {
        let ok = |pairs: &[(&str, &str)]| same_origin(&headers(pairs)).is_ok();
        assert!(ok(&[("sec-fetch-site", "same-origin")]));
        assert!(ok(&[("sec-fetch-site", "none")]));
        assert!(!ok(&[("sec-fetch-site", "cross-site")]));
        assert!(!ok(&[("sec-fetch-site", "same-site")]));
        // Fetch metadata decides when present, even against a matching Origin.
        assert!(!ok(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://gov.example"),
            ("host", "gov.example"),
        ]));
        assert!(ok(&[
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080")
        ]));
        assert!(ok(&[
            ("origin", "https://GOV.example"),
            ("host", "gov.example")
        ]));
        assert!(!ok(&[
            ("origin", "http://evil.example"),
            ("host", "gov.example")
        ]));
        assert!(!ok(&[
            ("origin", "http://gov.example:8443"),
            ("host", "gov.example")
        ]));
        assert!(!ok(&[("origin", "null"), ("host", "gov.example")]));
        assert!(
            !ok(&[("origin", "http://gov.example")]),
            "no Host to compare"
        );
        assert!(ok(&[]), "not a browser: the token decides");
    }

    #[test]
    fn as_3_5_1_tokens_are_masked_and_verified_in_constant_time() {
        let secret = new_secret().expect("secret");
        let a = token(&secret).expect("token");
        let b = token(&secret).expect("token");
        assert_ne!(a, b, "a fresh mask each time");
        assert_eq!(a.len(), 128);
        assert!(!a.contains(&secret));
        assert!(verify(&secret, &a).is_ok() && verify(&secret, &b).is_ok());
        let other = new_secret().expect("secret");
        assert!(verify(&other, &a).is_err());
        let mut flipped = a.clone().into_bytes();
        flipped[100] = if flipped[100] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).expect("ascii");
        for bad in ["", "x", &secret, &flipped, &a[..126], &a.to_uppercase()] {
            assert_eq!(
                verify(&secret, bad).map_err(|e| e.status),
                Err(StatusCode::FORBIDDEN),
                "{bad}"
            );
        }
        assert!(token("not hex").is_err());
    }

    #[test]
    fn the_form_secret_lives_in_its_own_cookie() {
        let fresh = form_secret(&HeaderMap::new(), false).expect("secret");
        let set = fresh.set_cookie.expect("a new cookie");
        let set = set.to_str().expect("ascii");
        assert!(
            set.starts_with(&format!("gongkai_form={}", fresh.secret)),
            "{set}"
        );
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
        assert!(!set.contains("Secure"));
        let cookie_header = format!("gongkai_care=1; gongkai_form={}", fresh.secret);
        let again = form_secret(&headers(&[("cookie", &cookie_header)]), false).expect("same");
        assert_eq!(again.secret, fresh.secret);
        assert!(again.set_cookie.is_none());
        let t = token(&fresh.secret).expect("token");
        let h = headers(&[("cookie", &cookie_header)]);
        assert!(verify_form(&h, false, &t).is_ok());
        assert!(
            verify_form(&h, true, &t).is_err(),
            "secure: only __Host-gongkai_form counts"
        );
        assert!(verify_form(&HeaderMap::new(), false, &t).is_err());
        let secure = form_secret(&HeaderMap::new(), true).expect("secret");
        let set = secure.set_cookie.expect("cookie");
        let set = set.to_str().expect("ascii");
        assert!(
            set.starts_with("__Host-gongkai_form=") && set.contains("; Secure"),
            "{set}"
        );
    }
}
