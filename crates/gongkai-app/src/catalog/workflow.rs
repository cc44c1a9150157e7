//! The publishing workflow 拟稿 → 保密审查 → 审核 → 发布 (条例 Art. 17): each step checked
//! against the actor's role and the state machine (no out-of-turn step, no reviewing one's own
//! draft — by user id), publication with its 索引号, and the approval form printed from the
//! recorded steps.

use super::access::require_action;
use super::view::{ItemView, item_view};
use super::{change_item, config};
use crate::App;
use crate::error::{AppError, Result};
use gongkai_catalog::ApprovalForm;
use gongkai_core::calendar::date_in_china;
use gongkai_core::catalog::{Action, Signer, Stage};
use gongkai_core::ids::ItemId;
use gongkai_core::user::Actor;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::catalog as repo;
use time::OffsetDateTime;

/// Takes a workflow step: submit (录入), clear_secrecy (保密审查), approve, return, withdraw
/// (审核 or 负责人; a return from the confidentiality review also 保密审查), or publish (see
/// [`publish`]). `note` is the opinion, or the reason a return
/// or a withdrawal needs.
pub async fn act(
    app: &App,
    actor: &Actor,
    id: ItemId,
    action: Action,
    note: Option<&str>,
    at: OffsetDateTime,
) -> Result<ItemView> {
    if action == Action::Publish {
        return publish(app, actor, id, at).await;
    }
    change_item(app, actor, id, at, |item, by| {
        // Who may return an item depends on where it stands.
        require_action(actor, action, item.stage())?;
        item.act(action, by, at, note)?;
        Ok(())
    })
    .await
}

/// Publishes an approved item (审核 or 负责人): in one transaction, draws the next running
/// number of the agency's 索引号 scope, records the 发布 step and saves. The sequence row and
/// the unique index on (agency, 索引号) make a duplicate impossible even with concurrent
/// publishers.
pub async fn publish(app: &App, actor: &Actor, id: ItemId, at: OffsetDateTime) -> Result<ItemView> {
    require_action(actor, Action::Publish, Stage::Approved)?;
    let by = Signer::from(actor);
    let owner = repo::find_item(&app.db, id).await?.agency;
    super::scope::check_item(&app.db, actor, id, owner).await?;
    let mut tx = app.db.begin().await?;
    let mut item = repo::find_item(&mut tx, id).await?;
    if let Err(e) = item.check_publish(&by, at) {
        tx.rollback().await?;
        return Err(e.into());
    }
    let agency = agency_repo::find_agency(&app.db, item.agency.get()).await?;
    // 索引号 carry the agency's code; a unit known only by its reports has none.
    let Some(code) = agency.org_code.as_deref() else {
        tx.rollback().await?;
        return Err(AppError::refused(
            format!(
                "{} has no organisation code, which its 索引号 need",
                agency.name
            ),
            format!("{}未登记组织机构代码，无法生成索引号", agency.name),
        ));
    };
    let cfg = config::load(&app.db, item.agency).await?;
    let day = date_in_china(at);
    let scope = cfg.index_pattern.scope(code, day);
    // A number already issued under an earlier pattern that renders the same is skipped, so
    // a change of pattern can never make publication fail on the unique index.
    let mut number = String::new();
    for _ in 0..1000 {
        let seq = repo::next_index_seq(&mut tx, item.agency, &scope).await?;
        number = cfg.index_pattern.render(code, day, seq);
        if !repo::index_number_taken(&mut tx, item.agency, &number).await? {
            break;
        }
    }
    item.publish(number, &by, at)?;
    repo::save_item(&mut tx, &item, Stage::Approved).await?;
    tx.commit().await?;
    item_view(app, item, day).await
}

/// The approval form 《政府信息公开发布审批表》 of an item, from its recorded steps (each signed
/// with the display name its user had at the time).
pub async fn approval_form(app: &App, id: ItemId) -> Result<ApprovalForm> {
    let item = repo::find_item(&app.db, id).await?;
    let agency = agency_repo::find_agency(&app.db, item.agency.get()).await?;
    Ok(ApprovalForm::from_item(&item, &agency.name))
}

/// The approval form of an item within the actor's scope (else not found).
pub async fn approval_form_for(app: &App, actor: &Actor, id: ItemId) -> Result<ApprovalForm> {
    let item = repo::find_item(&app.db, id).await?;
    super::scope::check_item(&app.db, actor, id, item.agency).await?;
    let agency = agency_repo::find_agency(&app.db, item.agency.get()).await?;
    Ok(ApprovalForm::from_item(&item, &agency.name))
}
