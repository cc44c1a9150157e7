//! The catalogue (docs/rules/catalogue.md): items with their workflow steps and validity
//! history, attachments, the 索引号 sequences, staff entries of table 二, catalogue settings,
//! and the agency's 指南 and 制度 documents.
//!
//! The store keeps what the domain decided: an item is loaded by replaying its steps through
//! `gongkai_core::catalog::Workflow`, and saved by appending the steps it gained, guarded by
//! the stage it was loaded in (so two writers cannot both move the same item).

use crate::error::StoreError;

/// Runs `$body` with `$c` bound to a `&mut` connection: a pooled one for `Exec::Db`, the
/// transaction's for `Exec::Tx`, so a body can run several queries on either.
macro_rules! with_conn {
    ($ex:expr, |$c:ident| $body:expr) => {
        match $ex {
            Exec::Db(Db::Sqlite(p)) => {
                let mut conn = p.acquire().await?;
                let $c = &mut *conn;
                $body
            }
            Exec::Db(Db::Postgres(p)) => {
                let mut conn = p.acquire().await?;
                let $c = &mut *conn;
                $body
            }
            Exec::Tx(Tx::Sqlite(t)) => {
                let $c = &mut **t;
                $body
            }
            Exec::Tx(Tx::Postgres(t)) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

mod attachments;
mod documents;
mod history;
mod index;
mod items;
mod public;
mod settings;
mod table2;

pub use attachments::{StoredAttachment, attachment_content, insert_attachment, list_attachments};
pub use documents::{AgencyDocument, documents, put_document};
/// The kinds of agency document now live in core; kept here for callers of the store.
pub use gongkai_core::catalog::DocumentKind;
pub use index::{index_number_taken, next_index_seq};
pub use items::{
    ChangedItem, ItemFilter, changed_since, find_item, insert_item, interpretation_links,
    interpretations_of, list_items, save_item,
};
pub use public::{
    PublicFacets, PublicItemRow, PublicQuery, PublicRow, PublicScope, public_item,
    published_facets, published_interpretations, published_page,
};
pub use settings::{put_settings, settings};
pub use table2::{Table2Entry, insert_table2_entry, table2_entries};

fn invalid(what: impl std::fmt::Display) -> StoreError {
    StoreError::Inconsistent(format!("catalogue: {what}"))
}
