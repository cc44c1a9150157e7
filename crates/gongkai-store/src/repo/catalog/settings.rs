//! The agency's catalogue settings, stored as JSON that overrides the defaults.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use gongkai_core::catalog::Signer;
use gongkai_core::ids::AgencyId;
use time::OffsetDateTime;

/// The agency's catalogue settings (JSON overriding the defaults), if it has any.
pub async fn settings(db: &Db, agency: AgencyId) -> Result<Option<String>> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("SELECT settings_json FROM catalog_settings WHERE agency_id = $1")
            .bind(agency.get())
            .fetch_optional(p)
            .await?
    }))
}

/// Replaces the agency's settings, recording who (user id and display name) and when.
pub async fn put_settings(tx: &mut Tx, agency: AgencyId, json: &str, by: &Signer) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO catalog_settings (agency_id, settings_json, updated_by, updated_by_id, \
             updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (agency_id) \
             DO UPDATE SET settings_json = excluded.settings_json, \
             updated_by = excluded.updated_by, updated_by_id = excluded.updated_by_id, \
             updated_at = excluded.updated_at",
        )
        .bind(agency.get())
        .bind(json)
        .bind(by.name.as_str())
        .bind(by.id.get())
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(())
}
