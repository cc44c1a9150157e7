//! The agency's catalogue settings, stored as JSON that overrides the defaults.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use time::OffsetDateTime;

/// The agency's catalogue settings (JSON overriding the defaults), if it has any.
pub async fn settings(db: &Db, agency_id: i64) -> Result<Option<String>> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("SELECT settings_json FROM catalog_settings WHERE agency_id = $1")
            .bind(agency_id)
            .fetch_optional(p)
            .await?
    }))
}

pub async fn put_settings(tx: &mut Tx, agency_id: i64, json: &str, by: &str) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO catalog_settings (agency_id, settings_json, updated_by, updated_at, created_at) \
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT (agency_id) DO UPDATE \
             SET settings_json = excluded.settings_json, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(agency_id)
        .bind(json)
        .bind(by)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(())
}
