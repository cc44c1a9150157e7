//! The service hall (docs/service-hall.md): the full-screen page an agency shows on its hall's
//! LED screen or kiosk — its newest published items, one shown large in turn — and the A4
//! notice printed from any published item for the bulletin board. Both read only what the
//! portal publishes.

use crate::App;
use crate::agency::AgencyView;
use crate::error::{AppError, Result};
use crate::portal::{self, Column, ItemPage, ItemSummary, PublicFilter, PublicItem};
use gongkai_core::ids::{AgencyId, ItemId};

/// How many of the newest items the screen lists and turns through.
pub const DISPLAY_ITEMS: usize = 8;

/// What the screen shows at one turn.
#[derive(Debug, Clone)]
pub struct Display {
    pub agency: AgencyView,
    /// The newest published items, newest first.
    pub items: Vec<ItemSummary>,
    /// The item shown large at this turn (none when nothing is published).
    pub featured: Option<PublicItem>,
    /// Its position in `items`.
    pub slide: usize,
    /// The next turn's position.
    pub next: usize,
}

/// The screen of agency `agency` at turn `slide` (taken modulo the number of items, so a turn
/// counter may run on).
pub async fn display(app: &App, agency: AgencyId, slide: usize) -> Result<Display> {
    let agency = portal::agency(app, agency).await?;
    let listing = portal::published(
        app,
        Column::Agency(agency.id),
        &PublicFilter {
            page: 1,
            per_page: DISPLAY_ITEMS,
            ..PublicFilter::default()
        },
    )
    .await?;
    let items = listing.items;
    let (slide, next) = match items.len() {
        0 => (0, 0),
        n => (slide % n, (slide % n + 1) % n),
    };
    let featured = match items.get(slide) {
        Some(s) => match portal::item(app, s.id).await? {
            ItemPage::Published(item) => Some(*item),
            ItemPage::Withdrawn { .. } => None,
        },
        None => None,
    };
    Ok(Display {
        agency,
        items,
        featured,
        slide,
        next,
    })
}

/// A published item for its printed notice; a withdrawn one is not printed.
pub async fn notice(app: &App, id: ItemId) -> Result<PublicItem> {
    match portal::item(app, id).await? {
        ItemPage::Published(item) => Ok(*item),
        ItemPage::Withdrawn { .. } => Err(AppError::not_found("catalogue item", id)),
    }
}
