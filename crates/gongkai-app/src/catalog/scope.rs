//! Agency and region scope (docs/back-office.md): a user of one agency sees and acts on that
//! agency's catalogue only, a supervisor of a region on the agencies in it and below, and a
//! user of the whole installation (no agency, no region) on every agency. Something out of a
//! user's scope is answered as not found, so a guessed id says nothing about what exists.
//!
//! Checked by every catalogue use case that takes an actor, so the web, the CLI and the API
//! share the rule.

use crate::error::{AppError, Result};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::user::Actor;
use gongkai_store::Db;
use gongkai_store::repo::agency as agency_repo;

/// Whether `agency` lies within the scope of `actor`.
pub async fn in_scope(db: &Db, actor: &Actor, agency: AgencyId) -> Result<bool> {
    if let Some(own) = actor.agency {
        return Ok(own == agency);
    }
    if let Some(region) = actor.region {
        let a = agency_repo::find_agency(db, agency.get()).await?;
        let regions = agency_repo::region_and_descendants(db, region.get()).await?;
        return Ok(regions.contains(&a.region_id));
    }
    Ok(true)
}

/// Refuses, as not found, an agency out of the actor's scope.
pub async fn check_agency(db: &Db, actor: &Actor, agency: AgencyId) -> Result<()> {
    if in_scope(db, actor, agency).await? {
        Ok(())
    } else {
        Err(AppError::not_found("agency", agency))
    }
}

/// Refuses, as not found, an item of an agency out of the actor's scope.
pub async fn check_item(db: &Db, actor: &Actor, item: ItemId, agency: AgencyId) -> Result<()> {
    if in_scope(db, actor, agency).await? {
        Ok(())
    } else {
        Err(AppError::not_found("catalogue item", item))
    }
}

/// The agency whose catalogue a user works on: their own, else the one asked for (a user of
/// the whole installation or a region picks one), checked against their scope. `None` when
/// the user has no agency and asked for none.
pub async fn working_agency(
    db: &Db,
    actor: &Actor,
    asked: Option<AgencyId>,
) -> Result<Option<AgencyId>> {
    match (actor.agency, asked) {
        (Some(own), _) => Ok(Some(own)),
        (None, Some(a)) => {
            agency_repo::find_agency(db, a.get()).await?;
            check_agency(db, actor, a).await?;
            Ok(Some(a))
        }
        (None, None) => Ok(None),
    }
}
