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

/// The agencies on gongkai (with a code) that `staff` may see, as (id, name): the choice of the
/// pages that record an agency's work.
pub async fn agency_choices(
    s: &crate::WebState,
    staff: &super::Staff,
) -> Result<Vec<(String, String)>, WebError> {
    let mut out = Vec::new();
    for a in gongkai_app::agency::list(&s.app).await? {
        if a.agency.org_code.is_some()
            && gongkai_app::access::sees_agency(&s.app, staff.actor(), a.agency.id.get()).await?
        {
            out.push((a.agency.id.get().to_string(), a.agency.name.clone()));
        }
    }
    Ok(out)
}

/// A report year from a query or form (none when empty), 2008 to 9999.
pub fn year_param(y: Option<&str>) -> Result<Option<i32>, WebError> {
    match y.map(str::trim).filter(|y| !y.is_empty()) {
        None => Ok(None),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2008..=9999).contains(y))
            .map(Some)
            .ok_or_else(|| WebError::bad_request("年份有误")),
    }
}
