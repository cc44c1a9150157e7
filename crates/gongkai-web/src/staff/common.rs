//! What the back office's application pages share: reading a form's fields, rendering a
//! template, today's date in China, and the masking of an applicant for a page.

use crate::{WebError, WebState};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gongkai_app::AppError;
use gongkai_app::application::FormFields;
use time::Date;

/// The fields of an `application/x-www-form-urlencoded` POST.
pub fn fields(
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<FormFields, WebError> {
    match form {
        Ok(axum::Form(pairs)) => Ok(FormFields(pairs)),
        Err(_) => Err(WebError::bad_request(
            "未能读取提交的表单，请通过本站页面上的表单提交。",
        )),
    }
}

/// Renders a page with `status`.
pub fn render(status: StatusCode, t: &impl Template) -> Result<Response, WebError> {
    let html = t
        .render()
        .map_err(|e| WebError::from(AppError::internal("cannot render a staff page", e)))?;
    Ok((status, Html(html)).into_response())
}

/// Today in China, by the state's clock.
pub fn today(s: &WebState) -> Date {
    s.today()
}

/// A `<select>` option: value, label, selected.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn opts<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, current: &str) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(v, l)| Opt {
            value: v.to_string(),
            label: l.to_string(),
            selected: v == current,
        })
        .collect()
}
