//! The 索引号 running numbers, drawn per agency and scope.

use super::invalid;
use crate::db::Tx;
use crate::error::Result;
use crate::on_tx;
use gongkai_core::ids::AgencyId;
use time::OffsetDateTime;

/// Draws the next running number of `scope` for the agency, in the caller's transaction. The
/// upsert takes the sequence row's lock until the transaction ends, so concurrent publishers
/// queue on it and each gets a different number; a rolled-back publication gives its number
/// back, a committed one keeps it for ever.
pub async fn next_index_seq(tx: &mut Tx, agency: AgencyId, scope: &str) -> Result<u64> {
    let now = OffsetDateTime::now_utc();
    let n: i64 = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO catalog_index_sequence (agency_id, scope, last_seq, updated_at, created_at) \
             VALUES ($1, $2, 1, $3, $3) \
             ON CONFLICT (agency_id, scope) DO UPDATE \
             SET last_seq = catalog_index_sequence.last_seq + 1, updated_at = excluded.updated_at \
             RETURNING last_seq",
        )
        .bind(agency.get())
        .bind(scope)
        .bind(now)
        .fetch_one(conn)
        .await?
    });
    u64::try_from(n).map_err(|_| invalid("negative sequence"))
}

/// Whether an agency already issued `index_number` (to any item, withdrawn ones included).
pub async fn index_number_taken(tx: &mut Tx, agency: AgencyId, index_number: &str) -> Result<bool> {
    let n: i64 = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT count(*) FROM catalog_item WHERE agency_id = $1 AND index_number = $2",
        )
        .bind(agency.get())
        .bind(index_number)
        .fetch_one(conn)
        .await?
    });
    Ok(n > 0)
}
