//! 公众评议 on the portal (docs/feedback.md): the feedback block of each published item's page
//! and of each column's list (`block.rs`: what was answered publicly, and the form), the POST
//! routes the form sends to, and the pages that answer them. Server-rendered, no script.
//!
//! - A POST must come from this site's own pages: same origin and the form's anti-forgery
//!   token against the secret of the form cookie, as the online application form (`csrf.rs`,
//!   `apply`).
//! - Floods stop twice before anything is stored: an in-memory limit per client address here
//!   (tower_governor, the address keyed as `apply` keys it), and the use case's count of the
//!   client's stored submissions, which holds across restarts and servers
//!   (`gongkai_app::feedback::submit`). Either answers 429 「提交过于频繁，请稍后再试」.
//! - A refused submission answers with the message and the form again, what was typed kept;
//!   nothing is stored and the item's page is as it was.

mod block;

pub(crate) use block::serve;
pub(crate) use gongkai_app::feedback::Target;

use crate::apply::limit::{ClientIp, client_key, limited};
use crate::apply::{Limit, first, form_pairs, verify_form};
use crate::page::{Page, encode};
use crate::staff::Peer;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_app::feedback::{self as app, Submission, SubmitError};
use gongkai_core::feedback::{
    FLOOD_MAX, FLOOD_WINDOW_MINUTES, FeedbackForm, MAX_COMMENT_CHARS, MAX_CONTACT_CHARS,
    MAX_NICKNAME_CHARS, Rating, RefusalKind, field,
};
use gongkai_core::ids::{AgencyId, ItemId};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tower_governor::GovernorError;

type Result<T> = std::result::Result<T, WebError>;

/// The in-memory limit per client: [`FLOOD_MAX`] at once, then one as the window allows.
pub const FEEDBACK_LIMIT: Limit = Limit {
    burst: FLOOD_MAX as u32,
    every: Duration::from_secs(FLOOD_WINDOW_MINUTES as u64 * 60 / FLOOD_MAX),
};

/// The largest form body accepted (the longest comment, percent-encoded, fits several times).
const MAX_BODY: usize = 32 * 1024;

pub fn routes(state: &WebState) -> Router<WebState> {
    let clients = ClientIp {
        trusted: Arc::new(state.app.settings.auth.trusted_proxies.clone()),
    };
    let posts = limited(
        Router::new()
            .route("/items/{item}/feedback", post(on_item))
            .route("/agencies/{agency}/feedback", post(on_column)),
        FEEDBACK_LIMIT,
        clients,
        too_many,
    );
    Router::new()
        .route("/feedback/received", get(received))
        .merge(posts)
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// 429 with the Chinese page and `Retry-After`.
fn too_many(e: GovernorError) -> axum::http::Response<Body> {
    let wait = match e {
        GovernorError::TooManyRequests { wait_time, .. } => wait_time.max(1),
        _ => 60,
    };
    limited_page(wait)
}

fn limited_page(wait: u64) -> Response {
    let mut r = WebError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "提交过于频繁",
        format!(
            "提交过于频繁，请稍后再试：请在{wait}秒后再提交评议。为防止刷屏，本站限制每个网络地址提交评议的次数（{FLOOD_WINDOW_MINUTES}分钟内最多{FLOOD_MAX}条）。"
        ),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// The form as shown: where it posts, its token, and what was typed.
pub(crate) struct FormView {
    action: String,
    column: Option<String>,
    csrf: String,
    /// Key, label, checked.
    ratings: Vec<(&'static str, &'static str, bool)>,
    comment: String,
    nickname: String,
    contact: String,
    /// The field a refusal named.
    error_field: Option<&'static str>,
    max_comment: usize,
    max_nickname: usize,
    max_contact: usize,
    window: i64,
    max: u64,
}

impl FormView {
    pub(crate) fn new(target: &Target, csrf: String, typed: &FeedbackForm) -> FormView {
        let (action, column) = match target {
            Target::Item(id) => (format!("/items/{id}/feedback"), None),
            Target::Column { agency, column } => {
                (format!("/agencies/{agency}/feedback"), Some(column.clone()))
            }
        };
        FormView {
            action,
            column,
            csrf,
            ratings: Rating::ALL
                .iter()
                .map(|r| (r.key(), r.label(), typed.rating == r.key()))
                .collect(),
            comment: typed.comment.chars().take(MAX_COMMENT_CHARS).collect(),
            nickname: typed.nickname.chars().take(MAX_NICKNAME_CHARS).collect(),
            contact: typed.contact.chars().take(MAX_CONTACT_CHARS).collect(),
            error_field: None,
            max_comment: MAX_COMMENT_CHARS,
            max_nickname: MAX_NICKNAME_CHARS,
            max_contact: MAX_CONTACT_CHARS,
            window: FLOOD_WINDOW_MINUTES,
            max: FLOOD_MAX,
        }
    }

    fn invalid(&self, name: &str) -> bool {
        self.error_field == Some(name)
    }
}

/// The public page of a target, at its feedback.
fn back(target: &Target) -> String {
    match target {
        Target::Item(id) => format!("/items/{id}#feedback"),
        Target::Column { agency, column } => {
            format!(
                "/agencies/{agency}/items?column={}#feedback",
                encode(column)
            )
        }
    }
}

pub(crate) fn render_string(t: &impl Template) -> Result<String> {
    t.render().map_err(|e| {
        eprintln!("gongkai-web: template: {e}");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "服务暂时不可用",
            "系统内部错误，请联系管理员",
        )
    })
}

#[derive(Template)]
#[template(path = "feedback/page.html")]
struct RefusedPage {
    page: Page,
    heading: String,
    message: String,
    target: String,
    back: String,
    f: FormView,
}

#[derive(Template)]
#[template(path = "feedback/received.html")]
struct ReceivedPage {
    page: Page,
    target: String,
    back: String,
}

/// `POST /items/{item}/feedback`.
async fn on_item(
    State(s): State<WebState>,
    Path(item): Path<String>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let pairs = form_pairs(&headers, body)?;
    verify_form(&s, &headers, &pairs)?;
    let id: ItemId = crate::portal::parse_id(&item)?;
    submit(&s, Target::Item(id), &headers, peer, &pairs).await
}

/// `POST /agencies/{agency}/feedback`: on the column named in the form.
async fn on_column(
    State(s): State<WebState>,
    Path(agency): Path<String>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let pairs = form_pairs(&headers, body)?;
    verify_form(&s, &headers, &pairs)?;
    let agency: AgencyId = crate::portal::parse_id(&agency)?;
    let column = first(&pairs, "column").trim().to_string();
    submit(
        &s,
        Target::Column { agency, column },
        &headers,
        peer,
        &pairs,
    )
    .await
}

async fn submit(
    s: &WebState,
    target: Target,
    headers: &HeaderMap,
    peer: Option<std::net::IpAddr>,
    pairs: &[(String, String)],
) -> Result<Response> {
    let form = FeedbackForm {
        rating: first(pairs, field::RATING).into(),
        comment: first(pairs, field::COMMENT).into(),
        nickname: first(pairs, field::NICKNAME).into(),
        contact: first(pairs, field::CONTACT).into(),
        trap: first(pairs, field::TRAP).into(),
    };
    let client = client_key(headers, peer, &s.app.settings.auth.trusted_proxies).to_string();
    let sub = Submission {
        target: target.clone(),
        form,
        client,
    };
    let refusal = match app::submit(&s.app, &sub, s.clock.now()).await {
        Ok(r) => {
            let to = match r.item_id {
                Some(item) => format!("/feedback/received?item={item}"),
                None => format!(
                    "/feedback/received?agency={}&column={}",
                    r.agency_id,
                    encode(&r.column)
                ),
            };
            return Ok(Redirect::to(&to).into_response());
        }
        Err(SubmitError::Refused(r)) => r,
        Err(SubmitError::App(e)) => return Err(e.into()),
    };
    let Some(label) = app::describe(&s.app, &target).await? else {
        return Err(WebError::not_found());
    };
    let t = crate::apply::form_token(s, headers)?;
    let mut f = FormView::new(&target, t.token, &sub.form);
    f.error_field = refusal.field;
    let (status, heading) = match refusal.kind {
        RefusalKind::TooFrequent => (StatusCode::TOO_MANY_REQUESTS, "提交过于频繁"),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, "评议未提交"),
    };
    let back = back(&target);
    let page = RefusedPage {
        page: Page::new(heading, &back, headers).crumb(label.clone(), back.clone()),
        heading: heading.into(),
        message: refusal.zh,
        target: label,
        back,
        f,
    };
    let mut r = crate::apply::form_response(
        status,
        Html(render_string(&page)?).into_response(),
        t.set_cookie,
    );
    if status == StatusCode::TOO_MANY_REQUESTS
        && let Ok(v) = HeaderValue::from_str(&(FLOOD_WINDOW_MINUTES * 60).to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(r)
}

/// `GET /feedback/received?item=ID` or `?agency=ID&column=栏目`: the thanks, and the way back.
async fn received(
    State(s): State<WebState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response> {
    let target = match (q.get("item"), q.get("agency"), q.get("column")) {
        (Some(item), _, _) => Target::Item(crate::portal::parse_id(item)?),
        (None, Some(agency), Some(column)) => Target::Column {
            agency: crate::portal::parse_id(agency)?,
            column: column.trim().to_string(),
        },
        _ => return Err(WebError::bad_request("地址有误：缺少评议对象")),
    };
    let Some(label) = app::describe(&s.app, &target).await? else {
        return Err(WebError::not_found());
    };
    let back = back(&target);
    let page = ReceivedPage {
        page: Page::new("评议已提交", "/feedback/received", &headers),
        target: label,
        back,
    };
    Ok(crate::apply::with_status(
        StatusCode::OK,
        Html(render_string(&page)?).into_response(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_in_memory_limit_matches_the_stored_one() {
        assert_eq!(u64::from(FEEDBACK_LIMIT.burst), FLOOD_MAX);
        assert_eq!(
            FEEDBACK_LIMIT.every.as_secs() * FLOOD_MAX,
            FLOOD_WINDOW_MINUTES as u64 * 60
        );
        assert_eq!(
            back(&Target::Column {
                agency: AgencyId::new(3),
                column: "政策 文件".into()
            }),
            "/agencies/3/items?column=%E6%94%BF%E7%AD%96%20%E6%96%87%E4%BB%B6#feedback"
        );
    }
}
