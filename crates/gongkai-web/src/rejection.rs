//! Requests refused before a handler reads them, answered as every other refusal is: a Chinese
//! page, or under `/api/` a problem document (docs/reliability.md, “Forms”).
//!
//! - [`answer_in_chinese`]: axum's extractors refuse on their own — a body over the route's
//!   limit (413), a content type the route does not take (415), a form or query that cannot be
//!   read (400/422), an address whose parameter is not a number (400), a method the route does
//!   not have (405) — with a plain-text English line. That line becomes the page or problem with
//!   the same status and headers, in Chinese, naming the field when the line does.
//! - [`refuse_coded_bodies`]: the server decompresses no request body, so a body sent with a
//!   `Content-Encoding` is refused with 415 before it is read (RFC 9110 §15.5.16; BI-F-10).
//! - [`read_staff_forms`]: the back office's forms are read as the public forms are
//!   (`apply::form_pairs`): UTF-8 only, never replaced (BI-F-4), no other charset (BI-F-5), and
//!   a bounded number of fields (BI-F-3) — before axum's `Form`, which would replace bad bytes.

use crate::WebError;
use crate::api::problem::ApiError;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The most fields a back-office form may carry (its largest, a report's tables, has a few
/// hundred).
const MAX_STAFF_FIELDS: usize = 1000;

/// The longest rejection line read (axum's are a line or two).
const MAX_LINE: usize = 16 * 1024;

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The refusal as a page, or as a problem document under `/api/`.
fn refusal(api: bool, status: StatusCode, heading: &str, message: String) -> Response {
    if api {
        let key = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "too_large"
        } else {
            "invalid"
        };
        ApiError::new(status, key, heading, message).into_response()
    } else {
        WebError::new(status, heading, message).into_response()
    }
}

/// The name between the backquotes after `marker` in an extractor's line.
pub(crate) fn quoted_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &line[line.find(marker)? + marker.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(&rest[..rest.find('`')?])
}

/// The heading and message for an extractor's refusal.
fn chinese(status: StatusCode, line: &str, api: bool) -> (&'static str, String) {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE if api => (
            "请求体过大",
            "请求体过大，超过了本接口允许的长度".to_string(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "提交的内容过长",
            "提交的内容超过了允许的长度，请精简填写的内容后重新提交。".to_string(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE if api => (
            "请求有误",
            "请求体的格式（Content-Type）不受本接口支持".to_string(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "请求有误",
            "提交的格式不受支持，请通过本站页面上的表单提交。".to_string(),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "请求有误",
            "此地址不支持该请求方式，请从本站页面进入。".to_string(),
        ),
        _ if line.starts_with("Invalid URL") => (
            "请求有误",
            "地址有误：地址中的编号或参数无法识别，请检查后重试。".to_string(),
        ),
        _ => {
            let (what, fix) = if line.contains("query string") {
                ("查询参数", "请检查地址后重试。")
            } else if line.contains("multipart") {
                ("上传的表单", "请重新选择文件后提交。")
            } else {
                ("表单", "请通过本站页面上的表单提交。")
            };
            let message = if let Some(f) = quoted_after(line, "duplicate field ") {
                format!("{what}中的字段“{f}”重复出现，{fix}")
            } else if let Some(f) = quoted_after(line, "unknown field ") {
                format!("{what}中有不接受的字段“{f}”，{fix}")
            } else if let Some(f) = quoted_after(line, "missing field ") {
                format!("{what}缺少字段“{f}”，{fix}")
            } else {
                format!("未能读取{what}，{fix}")
            };
            ("请求有误", message)
        }
    }
}

/// Turns axum's plain-text refusals (4xx) into Chinese pages or problems, keeping the status
/// and the other headers (`Allow` of a 405).
pub async fn answer_in_chinese(req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let r = next.run(req).await;
    let status = r.status();
    let plain = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    if !status.is_client_error() || !plain {
        return r;
    }
    let (parts, body) = r.into_parts();
    let line = axum::body::to_bytes(body, MAX_LINE)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let (heading, message) = chinese(status, &line, api);
    let mut out = refusal(api, status, heading, message);
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().append(name.clone(), value.clone());
        }
    }
    out
}

/// The codings of `Content-Encoding` other than `identity`, if any.
fn coded(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("?").split(','))
        .any(|c| !c.trim().is_empty() && !c.trim().eq_ignore_ascii_case("identity"))
}

/// 415 for a request body sent compressed (or in any other content coding).
pub async fn refuse_coded_bodies(req: Request, next: Next) -> Response {
    if coded(req.headers()) {
        return refusal(
            is_api(req.uri().path()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "请求有误",
            "请求体不能压缩（不支持 Content-Encoding），请直接提交未压缩的内容。".to_string(),
        );
    }
    next.run(req).await
}

/// Reads a back-office form POST as the public forms are read, and hands on the same bytes.
pub async fn read_staff_forms(req: Request, next: Next) -> Response {
    let form = req.method() == Method::POST
        && req.uri().path().starts_with("/staff/")
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.split(';').next().is_some_and(|e| {
                    e.trim()
                        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
                })
            });
    if !form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // A request of its own, so that axum's default body limit (2 MB, as `Form` has) applies.
    let bytes = Bytes::from_request(Request::new(body), &()).await;
    let kept = bytes.as_ref().ok().cloned();
    if let Err(e) = crate::apply::form_pairs_up_to(&parts.headers, bytes, MAX_STAFF_FIELDS) {
        return e.into_response();
    }
    let body = kept.map(Body::from).unwrap_or_default();
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bi_f_3_an_extractors_line_names_the_field_in_chinese() {
        let (_, m) = chinese(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Failed to deserialize form body: duplicate field `title`",
            false,
        );
        assert_eq!(
            m,
            "表单中的字段“title”重复出现，请通过本站页面上的表单提交。"
        );
        let (_, m) = chinese(
            StatusCode::BAD_REQUEST,
            "Failed to deserialize query string: duplicate field `q`",
            false,
        );
        assert!(m.starts_with("查询参数中的字段“q”重复出现"), "{m}");
        let (_, m) = chinese(
            StatusCode::BAD_REQUEST,
            "Invalid URL: Cannot parse `abc` to a `i32`",
            true,
        );
        assert!(m.starts_with("地址有误"), "{m}");
        let (h, _) = chinese(
            StatusCode::PAYLOAD_TOO_LARGE,
            "length limit exceeded",
            false,
        );
        assert_eq!(h, "提交的内容过长");
    }

    #[test]
    fn bi_f_10_any_content_coding_but_identity_is_refused() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_ENCODING, v.parse().expect("a header value"));
            coded(&h)
        };
        assert!(with("gzip"));
        assert!(with("identity, br"));
        assert!(!with("identity"));
        assert!(!with("IDENTITY"));
        assert!(!coded(&HeaderMap::new()));
    }
}
