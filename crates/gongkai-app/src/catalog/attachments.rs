//! Attachments of a draft: type, size and content checked against the agency's limits, stored
//! with their SHA-256.

use super::access::require_any;
use super::config;
use super::view::{ItemView, item_view};
use crate::App;
use crate::error::Result;
use gongkai_core::ids::ItemId;
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::catalog as repo;
use time::OffsetDateTime;

/// The role check of attaching, for a front end to make before it reads an upload.
pub fn may_attach(actor: &Actor) -> Result<()> {
    require_any(
        actor,
        &[Role::Entry],
        "attach files to catalogue items",
        "上传目录信息附件",
    )
}

/// Adds the file `name` with `content` to a draft (录入), after checking its type, size and
/// content; returns the item as of the day of `at`.
pub async fn attach(
    app: &App,
    actor: &Actor,
    id: ItemId,
    name: &str,
    content: &[u8],
    at: OffsetDateTime,
) -> Result<ItemView> {
    may_attach(actor)?;
    let item = repo::find_item(&app.db, id).await?;
    super::scope::check_item(&app.db, actor, id, item.agency).await?;
    let cfg = config::load(&app.db, item.agency).await?;
    let meta = cfg.attachments.check(name, content)?;
    let mut tx = app.db.begin().await?;
    let mut item = repo::find_item(&mut tx, id).await?;
    if let Err(e) = item.attach(meta.clone(), cfg.attachments.max_count) {
        tx.rollback().await?;
        return Err(e.into());
    }
    repo::insert_attachment(
        &mut tx,
        id,
        &meta,
        content,
        &gongkai_catalog::sha256_hex(content),
    )
    .await?;
    tx.commit().await?;
    item_view(app, item, gongkai_core::calendar::date_in_china(at)).await
}
