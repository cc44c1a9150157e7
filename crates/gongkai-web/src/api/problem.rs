//! Errors of the API as `application/problem+json` (RFC 9457) with the Chinese message: the
//! same kinds and texts as the pages (an app-layer error keeps its `zh()`), plus the fields of
//! a form that failed, each with its message. A server fault says only that it is one; its
//! cause goes to the log.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::AppError;
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_core::application::FormErrors;
use serde::Serialize;
use utoipa::ToSchema;

/// A problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:gongkai:problem:KIND`, KIND one of invalid, not_found, conflict, refused,
    /// forbidden, unauthenticated, unavailable, internal.
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind in Chinese (无权进行此操作 …).
    pub title: String,
    pub status: u16,
    /// What went wrong, in Chinese, as the pages say it.
    pub detail: String,
    /// For a form: each field that failed and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// An API error: a problem document with its status.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl ApiError {
    pub fn new(status: StatusCode, key: &str, title: &str, detail: impl Into<String>) -> ApiError {
        ApiError(Problem {
            kind: format!("urn:gongkai:problem:{key}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        })
    }

    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid", "请求有误", detail)
    }

    pub fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "未找到",
            "请求的资源不存在",
        )
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "未登录",
            "请先登录，或以 Authorization: Bearer 令牌 调用",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "无权进行此操作", detail)
    }

    /// A form whose fields failed (422).
    pub fn fields(errors: FormErrors) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "输入有误",
            "请按各字段的提示修改后重新提交",
        );
        e.0.errors = errors
            .0
            .into_iter()
            .map(|f| FieldProblem {
                field: f.field.to_string(),
                message: f.message,
            })
            .collect();
        e
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let kind = e.kind();
        let status =
            StatusCode::from_u16(kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if kind.is_server_fault() {
            eprintln!("gongkai-web: api: {kind:?}: {e:#}");
            return ApiError::new(status, kind.key(), kind.zh(), "服务暂时不可用，请稍后再试");
        }
        let status = if kind == ErrorKind::Invalid {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            status
        };
        ApiError::new(status, kind.key(), kind.zh(), e.zh())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> ApiError {
        let detail = match &e {
            JsonRejection::MissingJsonContentType(_) => {
                "请求体应为 JSON（Content-Type: application/json）".to_string()
            }
            JsonRejection::JsonSyntaxError(_) => "请求体不是有效的 JSON".to_string(),
            JsonRejection::JsonDataError(d) => format!("请求体的字段有误：{}", d.body_text()),
            _ => "请求体无法读取".to_string(),
        };
        let mut r = ApiError::bad_request(detail);
        if matches!(e, JsonRejection::JsonDataError(_)) {
            r.0.status = StatusCode::UNPROCESSABLE_ENTITY.as_u16();
        }
        r
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> ApiError {
        ApiError::bad_request(format!("查询参数有误：{}", e.body_text()))
    }
}

/// A page-side error (an extractor or check shared with the pages) as a problem.
impl From<crate::WebError> for ApiError {
    fn from(e: crate::WebError) -> ApiError {
        let key = match e.status.as_u16() {
            403 => "forbidden",
            404 => "not_found",
            409 => "conflict",
            s if s >= 500 => "internal",
            _ => "invalid",
        };
        ApiError::new(e.status, key, &e.heading, e.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut r = (status, Json(self.0)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    }
}

pub type ApiResult<T> = std::result::Result<T, ApiError>;
