//! Re-issuing a 查询码 (docs/online-applications.md#re-issuing-a-查询码). An applicant who lost
//! the code asks the agency; a clerk with the 录入 role and write scope over the case has a new
//! code generated. Its digest replaces the old one — on the application, or on the online
//! submission while it awaits confirmation — so the old code stops working on the status page
//! at once; the act is recorded (申请编号, who, when) in the same transaction, and the new code
//! is returned to be shown once. Neither code is ever stored.

use super::online::normalize_number;
use crate::App;
use crate::agency::AgencyView;
use crate::error::{AppError, Result};
use crate::query_code;
use gongkai_core::user::{Actor, Role};
use gongkai_store::StoreError;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::application as repo;
use gongkai_store::repo::online as online_repo;
use gongkai_store::repo::query_code::{self as code_repo, NewReissue};
use serde::Serialize;
use time::OffsetDateTime;

const ENTRY_REISSUE: (Role, &str, &str) = (Role::Entry, "re-issue query codes", "重新发放查询码");

/// A new 查询码, to be shown once to the clerk who asked for it.
#[derive(Debug, Clone)]
pub struct Reissued {
    /// 申请编号.
    pub number: String,
    /// The new 查询码; the old one no longer works.
    pub query_code: String,
    pub agency: AgencyView,
    /// The online submission still awaits confirmation (no case yet).
    pub awaiting_confirmation: bool,
    pub at: OffsetDateTime,
}

/// Generates a new 查询码 for 申请编号 `number` and replaces the old one's digest. A case or a
/// submission of an agency `actor` may not see is not found; without 录入, or as a region's
/// supervisor, the request is refused; a submission that was not taken as an application
/// (不予受理) keeps its code (a decided submission never changes).
pub async fn reissue_query_code(
    app: &App,
    actor: &Actor,
    number: &str,
    at: OffsetDateTime,
) -> Result<Reissued> {
    let (role, en, zh) = ENTRY_REISSUE;
    crate::access::require(actor, role, en, zh)?;
    let number = normalize_number(number);
    let code = query_code::generate().map_err(|e| {
        AppError::internal(
            "no random numbers available",
            std::io::Error::other(e.to_string()),
        )
    })?;
    let mut tx = app.db.begin().await?;
    let (agency_id, application_id, submission_id) = match repo::lock_by_number(&mut tx, &number)
        .await
    {
        Ok(row) => {
            crate::access::require_write(app, actor, row.agency_id, &number, ENTRY_REISSUE).await?;
            let hash = query_code::digest(&app.keys, &row.number, &code);
            code_repo::set_application_code(&mut tx, row.id, &hash).await?;
            (row.agency_id, Some(row.id), None)
        }
        Err(StoreError::NotFound { .. }) => {
            let sub = match online_repo::lock_by_number(&mut tx, &number).await {
                Ok(sub) => sub,
                Err(StoreError::NotFound { .. }) => {
                    return Err(AppError::not_found("application", &number));
                }
                Err(e) => return Err(e.into()),
            };
            crate::access::require_write(app, actor, sub.agency_id, &number, ENTRY_REISSUE).await?;
            if sub.status != "pending" {
                return Err(AppError::refused(
                    format!(
                        "online submission {number} was not taken as an application: its query code is not re-issued"
                    ),
                    format!(
                        "网上申请{number}已不作为政府信息公开申请处理，不再重新发放查询码；请将处理理由直接告知申请人"
                    ),
                ));
            }
            let hash = query_code::digest(&app.keys, &sub.number, &code);
            code_repo::set_submission_code(&mut tx, sub.id, &hash).await?;
            (sub.agency_id, None, Some(sub.id))
        }
        Err(e) => return Err(e.into()),
    };
    code_repo::record_reissue(
        &mut tx,
        &NewReissue {
            number: &number,
            agency_id,
            application_id,
            submission_id,
            user_id: actor.id.get(),
            actor: &actor.display_name,
            at,
        },
    )
    .await?;
    tx.commit().await?;
    let agency = agency_repo::find_agency(&app.db, agency_id).await?;
    Ok(Reissued {
        number,
        query_code: code,
        agency: agency.into(),
        awaiting_confirmation: submission_id.is_some(),
        at,
    })
}

/// One recorded re-issue of a 查询码.
#[derive(Debug, Clone, Serialize)]
pub struct ReissueView {
    pub user_id: i64,
    /// The clerk's display name at the time.
    pub actor: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Re-issued while the online submission awaited confirmation.
    pub awaiting_confirmation: bool,
}

/// The re-issues of a case's 查询码, oldest first (a case `actor` may see; those made while it
/// awaited confirmation as an online submission included).
pub async fn query_code_reissues(
    app: &App,
    actor: &Actor,
    number: &str,
) -> Result<Vec<ReissueView>> {
    let row = repo::find_by_number(&app.db, number).await?;
    crate::access::require_sees(app, actor, row.agency_id, number).await?;
    Ok(code_repo::reissues(&app.db, &row.number)
        .await?
        .into_iter()
        .map(|r| ReissueView {
            user_id: r.user_id,
            actor: r.actor,
            at: r.reissued_at,
            awaiting_confirmation: r.submission_id.is_some(),
        })
        .collect())
}
