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
    /// `urn:gongkai:problem:KIND`, KIND one of invalid, too_large, not_found, conflict,
    /// refused, forbidden, unauthenticated, unavailable, internal.
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
        let status = e.status();
        match &e {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                status,
                "invalid",
                "请求有误",
                "请求体应为 JSON（Content-Type: application/json）",
            ),
            JsonRejection::JsonSyntaxError(s) => ApiError::new(
                status,
                "invalid",
                "请求有误",
                format!("请求体不是有效的 JSON{}", at_line(&s.body_text())),
            ),
            JsonRejection::JsonDataError(d) => {
                let (field, message) = data_error(&d.body_text());
                let mut r = ApiError::new(
                    status,
                    "invalid",
                    "输入有误",
                    format!("请求体的字段有误：{message}"),
                );
                if let Some(field) = field {
                    r.0.errors.push(FieldProblem { field, message });
                }
                r
            }
            _ if status == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
                status,
                "too_large",
                "请求体过大",
                "请求体过大，超过了本接口允许的长度",
            ),
            _ => ApiError::new(status, "invalid", "请求有误", "请求体无法读取"),
        }
    }
}

/// `（第1行第5列）` from serde_json's `… at line 1 column 5`.
fn at_line(text: &str) -> String {
    let Some(at) = text.rfind(" at line ") else {
        return String::new();
    };
    let mut words = text[at + 9..].split(' ');
    match (words.next(), words.next(), words.next()) {
        (Some(line), Some("column"), Some(col)) => format!("（第{line}行第{col}列）"),
        _ => String::new(),
    }
}

/// The field and a Chinese message for a JSON body of the wrong shape: an unknown, repeated or
/// missing field, or a value of the wrong type (serde's line, through axum).
fn data_error(text: &str) -> (Option<String>, String) {
    let t = text
        .strip_prefix("Failed to deserialize the JSON body into the target type: ")
        .unwrap_or(text);
    let quoted = |marker: &str| crate::rejection::quoted_after(t, marker).map(str::to_string);
    if let Some(f) = quoted("unknown field ") {
        return (Some(f.clone()), format!("不接受的字段“{f}”"));
    }
    if let Some(f) = quoted("duplicate field ") {
        return (Some(f.clone()), format!("字段“{f}”重复"));
    }
    if let Some(f) = quoted("missing field ") {
        return (Some(f.clone()), format!("缺少字段“{f}”"));
    }
    let (path, rest) = match t.find(": invalid ") {
        Some(i) => (&t[..i], &t[i + 2..]),
        None => ("", t),
    };
    let want = [
        ("expected a string", "应为字符串"),
        ("expected a sequence", "应为数组"),
        ("expected struct", "应为 JSON 对象"),
        ("expected a map", "应为 JSON 对象"),
        ("expected a boolean", "应为 true 或 false"),
    ]
    .iter()
    .find(|(en, _)| rest.contains(en))
    .map_or("取值不符合要求", |(_, zh)| zh);
    let what = if rest.starts_with("invalid type") {
        "类型"
    } else {
        "取值"
    };
    if path.is_empty() || path == "." {
        (None, want.to_string())
    } else {
        (
            Some(path.to_string()),
            format!("字段“{path}”的{what}有误，{want}"),
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bi_f_6_a_json_body_of_the_wrong_shape_names_its_field() {
        let pre = "Failed to deserialize the JSON body into the target type: ";
        assert_eq!(
            data_error(&format!(
                "{pre}unknown field `admin`, expected `number` or `code` at line 1 column 9"
            )),
            (Some("admin".into()), "不接受的字段“admin”".into())
        );
        assert_eq!(
            data_error(&format!(
                "{pre}number: invalid type: integer `1`, expected a string at line 1 column 11"
            )),
            (
                Some("number".into()),
                "字段“number”的类型有误，应为字符串".into()
            )
        );
        assert_eq!(
            data_error(&format!(
                "{pre}invalid type: sequence, expected struct StatusBody at line 1 column 1"
            ))
            .1,
            "应为 JSON 对象"
        );
        assert_eq!(
            at_line("EOF while parsing a value at line 1 column 0"),
            "（第1行第0列）"
        );
        assert_eq!(at_line("no position"), "");
    }
}
