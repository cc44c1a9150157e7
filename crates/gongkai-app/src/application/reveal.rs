//! A case as a staff user reads it: within their scope, and with the record of who was shown
//! the applicant's full ID and phone numbers (docs/back-office.md#personal-data).

use super::{Case, show};
use crate::App;
use crate::error::Result;
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::application as repo;
use gongkai_store::repo::case_list as list_repo;
use time::{Date, OffsetDateTime};

/// What is recorded when a case page shows the full identity.
const IDENTITY: &str = "identity";

/// A case `actor` may see (another agency's case is not found).
pub async fn show_as(app: &App, actor: &Actor, number: &str, today: Date) -> Result<Case> {
    let row = repo::find_by_number(&app.db, number).await?;
    crate::access::require_sees(app, actor, row.agency_id, number).await?;
    show(app, &row.number, today).await
}

/// The case with the applicant's full identity for `actor`: the access is recorded (who, when)
/// before the case is returned, so a page that shows it is always on the record.
pub async fn reveal_identity(
    app: &App,
    actor: &Actor,
    number: &str,
    at: OffsetDateTime,
    today: Date,
) -> Result<Case> {
    // Only an office opens an applicant's full identity: none of the three administrators by
    // that role (三权分立, docs/security.md#separation).
    if !Role::OFFICE.iter().any(|r| actor.has(*r)) {
        return Err(crate::AppError::forbidden(
            format!(
                "{} may not see an applicant's full identity: that needs an office role (entry, review, secrecy or head)",
                actor.name
            ),
            format!(
                "{}无权查看申请人完整身份信息（需要录入、审核、保密审查或负责人角色）",
                actor.display_name
            ),
        ));
    }
    let case = show_as(app, actor, number, today).await?;
    list_repo::record_access(
        &app.db,
        case.id.get(),
        actor.id.get(),
        &actor.display_name,
        IDENTITY,
        at,
    )
    .await?;
    Ok(case)
}

/// One recorded access to a case's full identity.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AccessView {
    pub user_id: i64,
    pub actor: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Who was shown the case's full identity, oldest first (a case `actor` may see).
pub async fn identity_accesses(app: &App, actor: &Actor, number: &str) -> Result<Vec<AccessView>> {
    let row = repo::find_by_number(&app.db, number).await?;
    crate::access::require_sees(app, actor, row.agency_id, number).await?;
    Ok(list_repo::accesses(&app.db, row.id)
        .await?
        .into_iter()
        .filter(|a| a.what == IDENTITY)
        .map(|a| AccessView {
            user_id: a.user_id,
            actor: a.actor,
            at: a.accessed_at,
        })
        .collect())
}
