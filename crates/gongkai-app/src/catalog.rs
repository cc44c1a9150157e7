//! Catalogue use cases (docs/rules/catalogue.md): create and revise items, move them through
//! the publishing workflow, publish with a 索引号 drawn in the same transaction, keep validity
//! up to date, attachments, the approval form, staff entries of table 二, the agency's 指南 and
//! 制度, and what the annual report takes from the catalogue.
//!
//! Every use case has one shape: `(app, actor, input…) -> Result<View>` for a change,
//! `(app, …) -> Result<View>` for a read. A change first checks the actor's role
//! ([`access`]), records the actor's user id with the display name they have at the time, and
//! writes in one transaction (a refused change writes nothing). Time is an argument (`at` for
//! a change, `today` for a read), so the CLI, the web and the demo loader share one code path
//! and tests need no clock.
//!
//! The modules follow the concerns: [`config`] (the agency's settings), [`items`] (drafts,
//! show, list), [`workflow`] (拟稿 → 保密审查 → 审核 → 发布, the approval form), [`validity`]
//! (有效性), [`attachments`], [`table2`] (staff entries), [`documents`] (指南 and 制度),
//! [`report`] (section 一 and table 二 for the annual report), [`view`] (what front ends
//! print and serve), [`scope`] (which agencies' catalogues a user may see and act on),
//! [`queue`] (the steps a user may take now, the review queues, the editor's preview) and
//! [`demo`] (the seed agency's catalogue).

pub mod access;
pub mod attachments;
pub mod config;
pub mod demo;
pub mod documents;
pub mod items;
pub mod queue;
pub mod report;
pub mod scope;
pub mod table2;
pub mod validity;
pub mod view;
pub mod workflow;

pub use attachments::{attach, may_attach};
pub use config::{ConfigView, config, set_config};
pub use documents::{DocumentInput, DocumentView, documents, put_document};
pub use gongkai_core::catalog::DocumentKind;
pub use items::{ItemFilter, create_item, list, list_for, revise_item, show, show_for};
pub use queue::{PreviewView, allowed_actions, preview, review_queue};
pub use report::{StatsView, fill_report, is_computed_source, proactive};
pub use table2::{Table2EntryView, Table2Input, enter_table2};
pub use validity::{ValidityInput, change_validity};
pub use view::ItemView;
pub use workflow::{act, approval_form, approval_form_for, publish};

use crate::App;
use crate::error::Result;
use gongkai_core::catalog::{CatalogItem, Signer};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::user::Actor;
use gongkai_store::Db;
use gongkai_store::repo::agency::{self as agency_repo, Agency};
use gongkai_store::repo::catalog as repo;
use time::OffsetDateTime;

/// The agency `agency` names; an id that names none is refused as not found (a front end
/// resolves names and codes with [`crate::agency::find`]).
async fn check_agency(db: &Db, agency: AgencyId) -> Result<Agency> {
    Ok(agency_repo::find_agency(db, agency.get()).await?)
}

/// Loads an item inside a write transaction, lets `change` act on it as `by`, and saves what
/// it recorded; nothing is written when `change` refuses. Returns the item's view as of the
/// day of `at`.
async fn change_item<F>(
    app: &App,
    actor: &Actor,
    id: ItemId,
    at: OffsetDateTime,
    change: F,
) -> Result<ItemView>
where
    F: FnOnce(&mut CatalogItem, &Signer) -> Result<()>,
{
    let by = Signer::from(actor);
    let agency = repo::find_item(&app.db, id).await?.agency;
    scope::check_item(&app.db, actor, id, agency).await?;
    let mut tx = app.db.begin().await?;
    let mut item = repo::find_item(&mut tx, id).await?;
    let loaded = item.stage();
    if let Err(e) = change(&mut item, &by) {
        tx.rollback().await?;
        return Err(e);
    }
    repo::save_item(&mut tx, &item, loaded).await?;
    tx.commit().await?;
    view::item_view(app, item, gongkai_core::calendar::date_in_china(at)).await
}
