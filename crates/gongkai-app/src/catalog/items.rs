//! Items: create and revise drafts, show one, list an agency's.

use super::access::require_action;
use super::view::{ItemView, item_view};
use super::{change_item, check_agency, config, scope};
use crate::App;
use crate::error::{AppError, Result};
use gongkai_catalog::HtmlSanitizer;
use gongkai_core::catalog::{Action, CatalogItem, ItemContent, ItemInput, Signer, Stage};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::user::Actor;
use gongkai_store::Db;
use gongkai_store::repo::catalog as repo;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// Which of an agency's items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    /// Only items at this stage.
    pub stage: Option<Stage>,
    /// Only items of this column (栏目).
    pub column: Option<String>,
    /// Only items published in this year (Beijing time).
    pub published_in: Option<i32>,
    /// Only items with something for the reviewer (late publication, unreadable 文号,
    /// personal information).
    pub flagged: bool,
}

/// Checks that a 政策解读 points at an item of the same agency.
async fn check_link(db: &Db, agency: AgencyId, content: &ItemContent) -> Result<()> {
    if let Some(target) = content.interprets {
        let policy = repo::find_item(db, target).await?;
        if policy.agency != agency {
            return Err(AppError::invalid(
                format!("catalogue item {target} belongs to another agency"),
                format!("目录信息{target}属于其他机关"),
            ));
        }
    }
    Ok(())
}

/// Creates a draft (拟稿) of `agency` by `actor` (录入), and returns it with its id.
pub async fn create_item(
    app: &App,
    actor: &Actor,
    agency: AgencyId,
    input: &ItemInput,
    at: OffsetDateTime,
) -> Result<ItemView> {
    require_action(actor, Action::Create, Stage::Draft)?;
    check_agency(&app.db, agency).await?;
    scope::check_agency(&app.db, actor, agency).await?;
    let cfg = config::load(&app.db, agency).await?;
    let parsed = ItemContent::parse(input, &cfg, &HtmlSanitizer::default())?;
    check_link(&app.db, agency, &parsed.0).await?;
    let kind = input.normative.as_ref().map(|n| n.kind);
    let mut item = CatalogItem::create(agency, parsed, kind, &Signer::from(actor), at)?;
    let mut tx = app.db.begin().await?;
    item.id = repo::insert_item(&mut tx, &item).await?;
    tx.commit().await?;
    Ok(ItemView::new(
        item,
        &cfg,
        &app.calendar,
        gongkai_core::calendar::date_in_china(at),
        Vec::new(),
    ))
}

/// Replaces a draft's content (修改), by `actor` (录入).
pub async fn revise_item(
    app: &App,
    actor: &Actor,
    id: ItemId,
    input: &ItemInput,
    note: Option<&str>,
    at: OffsetDateTime,
) -> Result<ItemView> {
    require_action(actor, Action::Revise, Stage::Draft)?;
    let current = repo::find_item(&app.db, id).await?;
    scope::check_item(&app.db, actor, id, current.agency).await?;
    let cfg = config::load(&app.db, current.agency).await?;
    let (content, _) = ItemContent::parse(input, &cfg, &HtmlSanitizer::default())?;
    check_link(&app.db, current.agency, &content).await?;
    change_item(app, actor, id, at, |item, by| {
        item.revise(content, by, at, note)?;
        Ok(())
    })
    .await
}

/// One item with its flags as of `today` (Art. 26 timeliness on the data directory's
/// calendar).
pub async fn show(app: &App, id: ItemId, today: Date) -> Result<ItemView> {
    let item = repo::find_item(&app.db, id).await?;
    item_view(app, item, today).await
}

/// One item as [`show`] gives it, when it is within the actor's scope (else not found).
pub async fn show_for(app: &App, actor: &Actor, id: ItemId, today: Date) -> Result<ItemView> {
    let item = repo::find_item(&app.db, id).await?;
    scope::check_item(&app.db, actor, id, item.agency).await?;
    item_view(app, item, today).await
}

/// An agency's items as [`list`] gives them, when the agency is within the actor's scope.
pub async fn list_for(
    app: &App,
    actor: &Actor,
    agency: AgencyId,
    filter: &ItemFilter,
    today: Date,
) -> Result<Vec<ItemView>> {
    scope::check_agency(&app.db, actor, agency).await?;
    list(app, agency, filter, today).await
}

/// An agency's items passing `filter` (oldest first), each with its flags as of `today`.
pub async fn list(
    app: &App,
    agency: AgencyId,
    filter: &ItemFilter,
    today: Date,
) -> Result<Vec<ItemView>> {
    let cfg = config::load(&app.db, agency).await?;
    let stored = repo::ItemFilter {
        stage: filter.stage,
        column: filter.column.clone(),
    };
    let items = repo::list_items(&app.db, agency, &stored).await?;
    // 政策解读 from the whole catalogue, as `show` gives them (an interpretation the filter
    // leaves out still belongs to its policy).
    let mut links: HashMap<ItemId, Vec<ItemId>> = HashMap::new();
    for (policy, interpretation) in repo::interpretation_links(&app.db, agency).await? {
        links.entry(policy).or_default().push(interpretation);
    }
    Ok(items
        .into_iter()
        .filter(|i| {
            filter
                .published_in
                .is_none_or(|y| i.published_on().is_some_and(|d| d.year() == y))
        })
        .map(|i| {
            let l = links.remove(&i.id).unwrap_or_default();
            ItemView::new(i, &cfg, &app.calendar, today, l)
        })
        .filter(|v| !filter.flagged || !v.flags.is_empty())
        .collect())
}
