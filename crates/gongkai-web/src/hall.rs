//! The service hall's pages (docs/service-hall.md): `/agencies/{id}/display`, the full-screen
//! page for an LED screen or kiosk that turns through the agency's newest items by itself (a
//! `<meta http-equiv="refresh">` to the next turn: no script, no interaction), and
//! `/items/{id}/notice`, the item as an A4 notice for the bulletin board. The use cases are
//! `gongkai_app::hall`.

use crate::portal::{parse_id, render};
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use gongkai_app::hall::{self, Display};
use gongkai_app::portal::PublicItem;
use gongkai_core::ids::{AgencyId, ItemId};
use serde::Deserialize;

type Result<T> = std::result::Result<T, WebError>;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/agencies/{agency}/display", get(display))
        .route("/items/{item}/notice", get(notice))
}

/// Seconds each turn stays on the screen, by default and at the least.
const EVERY_SECONDS: u32 = 20;
const MIN_SECONDS: u32 = 5;

#[derive(Deserialize)]
struct DisplayQuery {
    slide: Option<String>,
    every: Option<String>,
}

#[derive(Template)]
#[template(path = "display.html")]
struct DisplayPage {
    css: String,
    d: Display,
    every: u32,
    /// Today in Beijing, as the screen prints it.
    today: String,
    /// The summary, or the body's text when there is none, cut to what the screen holds.
    text: String,
}

/// What the screen holds of a text: the first `max` characters, ended with …
fn cut(text: &str, max: usize) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max {
        t
    } else {
        let mut s: String = t.chars().take(max).collect();
        s.push('…');
        s
    }
}

async fn display(
    State(s): State<WebState>,
    Path(id): Path<String>,
    Query(q): Query<DisplayQuery>,
) -> Result<Response> {
    let agency: AgencyId = parse_id(&id)?;
    let slide = q.slide.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0);
    let every = q
        .every
        .as_deref()
        .and_then(|v| v.parse().ok())
        .unwrap_or(EVERY_SECONDS)
        .clamp(MIN_SECONDS, 3600);
    let d = hall::display(&s.app, agency, slide).await?;
    let text = d
        .featured
        .as_ref()
        .map(|f| {
            let t = if f.summary_text.trim().is_empty() {
                gongkai_core::text::plain_text(&f.body_html)
            } else {
                f.summary_text.clone()
            };
            cut(&t, 160)
        })
        .unwrap_or_default();
    let today = s.today();
    render(&DisplayPage {
        css: crate::assets::CSS_NAME.clone(),
        d,
        every,
        today: format!(
            "{}年{}月{}日",
            today.year(),
            u8::from(today.month()),
            today.day()
        ),
        text,
    })
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    css: String,
    item: PublicItem,
}

async fn notice(State(s): State<WebState>, Path(id): Path<String>) -> Result<Response> {
    let id: ItemId = parse_id(&id)?;
    let item = hall::notice(&s.app, id).await?;
    render(&NoticePage {
        css: crate::assets::CSS_NAME.clone(),
        item,
    })
}
