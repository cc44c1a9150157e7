//! The feedback block of a public page (docs/feedback.md#on-the-portal). Item and list pages
//! are rendered once and kept (`cache.rs`) with [`MARKER`] where the block goes; each request
//! puts in the block as it is now — the submissions answered publicly (a decision made from
//! the CLI shows at once, no cache to clear) and the form with a token of this browser's form
//! secret (which a page shared by every visitor cannot carry).
//!
//! Conditional requests still work: the `ETag` covers the kept page, the published block and
//! the browser's form secret, so a browser's copy is current only while its token still
//! verifies; `Last-Modified` is the later of the page's and the last decision on the target's
//! feedback. A request without the form cookie gets a new secret and the whole page (its copy,
//! if any, holds a token for a secret it no longer has).

use super::{FormView, render_string};
use crate::cache::Cached;
use crate::headers::{etag_of, http_date, not_modified};
use crate::portal::cached_response;
use crate::{WebError, WebState, csrf};
use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use gongkai_app::feedback::{self as app, PublicFeedback, Target};
use gongkai_core::feedback::FeedbackForm;

/// Where a kept page takes its feedback block (an HTML comment, harmless where unused).
pub(crate) const MARKER: &str = "<!--gongkai:feedback-->";

#[derive(Template)]
#[template(path = "feedback/block_public.html")]
struct BlockPublic<'a> {
    heading: String,
    entries: &'a [PublicFeedback],
}

#[derive(Template)]
#[template(path = "feedback/block_form.html")]
struct BlockForm {
    f: FormView,
}

/// Serves a kept page with the feedback block of `target` in it; without a target (a list not
/// narrowed to one column), or for a target that takes no feedback, the page as kept.
pub(crate) async fn serve(
    s: &WebState,
    c: &Cached,
    headers: &HeaderMap,
    target: Option<Target>,
) -> Result<Response, WebError> {
    let Some(target) = target else {
        return Ok(cached_response(c, headers));
    };
    let html = String::from_utf8_lossy(&c.html);
    let Some(at) = html.find(MARKER) else {
        return Ok(cached_response(c, headers));
    };
    let heading = match &target {
        Target::Item(_) => "公众评议".to_string(),
        Target::Column { column, .. } => {
            // A column the agency does not have takes no feedback (the list still shows).
            if app::describe(&s.app, &target).await?.is_none() {
                return Ok(cached_response(c, headers));
            }
            format!("“{column}”栏目的公众评议")
        }
    };
    let list = app::published(&s.app, &target).await?;
    let public = render_string(&BlockPublic {
        heading,
        entries: &list.entries,
    })?;
    let secret = csrf::form_secret(headers, s.app.settings.auth.secure_cookie)?;
    let mut validator = c.etag.clone().unwrap_or_default().into_bytes();
    validator.extend_from_slice(public.as_bytes());
    validator.extend_from_slice(secret.secret.as_bytes());
    let etag = etag_of(&validator);
    let modified = c.modified.map(|m| list.last_change.map_or(m, |l| m.max(l)));
    if secret.set_cookie.is_none() && not_modified(headers, &etag, modified) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let form = render_string(&BlockForm {
        f: FormView::new(
            &target,
            csrf::token(&secret.secret)?,
            &FeedbackForm::default(),
        ),
    })?;
    let body = format!(
        "{}{public}{form}{}",
        &html[..at],
        &html[at + MARKER.len()..]
    );
    let mut r = Html(body).into_response();
    let h = r.headers_mut();
    let validators = [
        (header::ETAG, Some(etag)),
        (header::LAST_MODIFIED, modified.map(http_date)),
    ];
    for (name, value) in validators {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            h.insert(name, v);
        }
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    if let Some(cookie) = secret.set_cookie {
        h.insert(header::SET_COOKIE, cookie);
    }
    Ok(r)
}
