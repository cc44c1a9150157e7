//! Which roles a use case needs, and whose cases a user may see and change (the agency or
//! region scope). Checked in the use cases, not in the front ends, so the CLI, the web pages
//! and the API cannot skip them (docs/back-office.md#scope).

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::agency as agency_repo;
pub use gongkai_store::repo::case_list::Visible;

/// Refuses an actor without `role`. No role stands in for another: the 系统管理员 does an
/// office's work only with that office's role (三权分立, docs/security.md#separation).
pub fn require(actor: &Actor, role: Role, what_en: &str, what_zh: &str) -> Result<()> {
    if actor.has(role) {
        return Ok(());
    }
    Err(AppError::forbidden(
        format!(
            "{} may not {what_en}: that needs the role {} ({})",
            actor.name,
            role.key(),
            role.label()
        ),
        format!(
            "{}无权{what_zh}（需要“{}”角色）",
            actor.display_name,
            role.label()
        ),
    ))
}

/// Whose cases `actor` may see: a user of one agency sees that agency's; a user with a region
/// (监督) the agencies of the region and below it; a user of neither, the whole installation.
pub fn visible(actor: &Actor) -> Visible {
    // The security and audit administrators open no agency's cases (三权分立: no applicant's
    // data, docs/security.md#separation).
    if actor.sees_no_records() {
        return Visible::Nothing;
    }
    match (actor.agency, actor.region) {
        (Some(a), _) => Visible::Agency(a.get()),
        (None, Some(r)) => Visible::Region(r.get()),
        (None, None) => Visible::All,
    }
}

/// Whether `actor` may see what belongs to agency `agency_id`.
pub async fn sees_agency(app: &App, actor: &Actor, agency_id: i64) -> Result<bool> {
    Ok(match visible(actor) {
        Visible::All => true,
        Visible::Nothing => false,
        Visible::Agency(a) => a == agency_id,
        Visible::Region(r) => {
            let agency = agency_repo::find_agency(&app.db, agency_id).await?;
            agency_repo::region_and_descendants(&app.db, r)
                .await?
                .contains(&agency.region_id)
        }
    })
}

/// Refuses, as not found, what belongs to an agency `actor` may not see: to a user of another
/// agency a case of this one does not exist (docs/back-office.md#scope).
pub async fn require_sees(app: &App, actor: &Actor, agency_id: i64, what: &str) -> Result<()> {
    if sees_agency(app, actor, agency_id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("application", what))
    }
}

/// The check before a change to agency `agency_id`'s cases: the agency is visible (else not
/// found), the actor has `role`, and the actor acts for an agency or the installation — a
/// region's supervisor reads the agencies below, never writes for them.
pub async fn require_write(
    app: &App,
    actor: &Actor,
    agency_id: i64,
    what: &str,
    (role, what_en, what_zh): (Role, &str, &str),
) -> Result<()> {
    require_sees(app, actor, agency_id, what).await?;
    require(actor, role, what_en, what_zh)?;
    if actor.agency.is_none() && actor.region.is_some() {
        return Err(AppError::forbidden(
            format!(
                "{} oversees a region and may read its agencies' cases, not {what_en}",
                actor.name
            ),
            format!(
                "{}为地区监督用户，只能查阅下级机关的申请，无权{what_zh}",
                actor.display_name
            ),
        ));
    }
    Ok(())
}
