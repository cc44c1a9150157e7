//! Errors a citizen can meet get a Chinese page with the right status: 404 for what does not
//! exist, 410 for what was withdrawn, 400 for a malformed request. A server fault is 500 with
//! a general message; its cause goes to the log, never to the page.

use crate::page::Page;
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use gongkai_app::AppError;
use gongkai_app::error::{ErrorKind, Localized};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    heading: String,
    message: String,
}

/// An error page to answer with.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub heading: String,
    pub message: String,
}

impl WebError {
    pub fn new(status: StatusCode, heading: &str, message: impl Into<String>) -> WebError {
        WebError {
            status,
            heading: heading.to_string(),
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, "请求有误", message)
    }

    pub fn not_found() -> WebError {
        WebError::new(
            StatusCode::NOT_FOUND,
            "页面不存在",
            "您访问的页面不存在或已调整，请从首页或站内搜索查找。",
        )
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> WebError {
        match e.kind() {
            ErrorKind::NotFound => WebError::not_found(),
            ErrorKind::Invalid => WebError::bad_request(e.zh()),
            kind if kind.is_server_fault() => {
                // The cause is for the operator (stderr, collected by the service manager).
                eprintln!("gongkai-web: {kind:?}: {e:#}");
                WebError::new(
                    StatusCode::from_u16(kind.http_status())
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    "服务暂时不可用",
                    kind.zh(),
                )
            }
            kind => WebError::new(
                StatusCode::from_u16(kind.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
                "无法完成请求",
                e.zh(),
            ),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            page: Page::new(self.heading.clone(), "/", &HeaderMap::new()),
            heading: self.heading,
            message: self.message,
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, page.message).into_response(),
        }
    }
}

/// Any path the site does not have: a page, or under `/api/` a problem document.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::api::problem::ApiError::not_found().into_response()
    } else {
        WebError::not_found().into_response()
    }
}
