//! What a signed-in user may do with the catalogue now: the workflow steps open to them on an
//! item (role, state machine and separation of duties, exactly as taking the step would check
//! them), the review queues of 保密审查 and 审核 holding only what they may decide, and the
//! editor's preview of a body as it will be stored, with the personal information found in it.

use super::access::require_action;
use super::view::ItemView;
use super::{config, items, scope};
use crate::App;
use crate::error::Result;
use gongkai_catalog::HtmlSanitizer;
use gongkai_core::catalog::{Action, CatalogItem, ItemContent, ItemInput, Signer, Stage};
use gongkai_core::ids::AgencyId;
use gongkai_core::user::Actor;
use serde::Serialize;
use time::OffsetDateTime;

/// The steps after drafting that a front end offers, in the workflow's order.
const STEPS: [Action; 6] = [
    Action::Submit,
    Action::ClearSecrecy,
    Action::Approve,
    Action::Publish,
    Action::Return,
    Action::Withdraw,
];

/// The workflow steps `actor` may take on `item` at `at`: those in turn, allowed by their
/// roles, and — for a review decision — not on their own draft. The item's scope is checked by
/// whoever loaded it.
pub fn allowed_actions(actor: &Actor, item: &CatalogItem, at: OffsetDateTime) -> Vec<Action> {
    let by = Signer::from(actor);
    STEPS
        .into_iter()
        .filter(|a| require_action(actor, *a, item.stage()).is_ok())
        // A placeholder reason: whether a reason is given is the form's matter, not the queue's.
        .filter(|a| item.workflow.check(*a, &by, at, Some("-")).is_ok())
        .collect()
}

/// The decision a review queue is for (none for a stage without a queue).
pub fn decision(stage: Stage) -> Option<Action> {
    match stage {
        Stage::SecrecyReview => Some(Action::ClearSecrecy),
        Stage::Review => Some(Action::Approve),
        Stage::Approved => Some(Action::Publish),
        _ => None,
    }
}

/// The items of `agency` at `stage` (保密审查, 审核 or 待发布) that `actor` may decide now:
/// within their scope, with the role, and not drafted by them. Oldest first.
pub async fn review_queue(
    app: &App,
    actor: &Actor,
    agency: AgencyId,
    stage: Stage,
    at: OffsetDateTime,
) -> Result<Vec<ItemView>> {
    scope::check_agency(&app.db, actor, agency).await?;
    let Some(decide) = decision(stage) else {
        return Ok(Vec::new());
    };
    let filter = items::ItemFilter {
        stage: Some(stage),
        ..items::ItemFilter::default()
    };
    let today = gongkai_core::calendar::date_in_china(at);
    Ok(items::list(app, agency, &filter, today)
        .await?
        .into_iter()
        .filter(|v| allowed_actions(actor, &v.item, at).contains(&decide))
        .collect())
}

/// A draft as it would be stored: the body after sanitising, the reviewer's flags (personal
/// information, an unreadable 文号), and the first problem that would refuse saving it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewView {
    pub body_html: String,
    pub warnings: Vec<String>,
    /// Why saving would be refused (Chinese), if it would.
    pub error: Option<String>,
}

/// Previews `input` for `agency` (within the actor's scope) without storing anything.
pub async fn preview(
    app: &App,
    actor: &Actor,
    agency: AgencyId,
    input: &ItemInput,
) -> Result<PreviewView> {
    use crate::error::Localized;
    scope::check_agency(&app.db, actor, agency).await?;
    let cfg = config::load(&app.db, agency).await?;
    let sanitizer = HtmlSanitizer::default();
    let body_html = sanitizer.clean(&input.body_html);
    let mut warnings = Vec::new();
    let mut error = None;
    match ItemContent::parse(input, &cfg, &sanitizer) {
        Ok((content, _)) => {
            if let Some(d) = &content.doc_number
                && d.flagged()
            {
                warnings.push(format!(
                    "文号“{d}”不符合“机关代字〔年份〕序号号”格式，请核对"
                ));
            }
        }
        Err(e) => error = Some(crate::error::AppError::from(e).zh()),
    }
    for text in [
        input.title.as_str(),
        input.summary.as_str(),
        body_html.as_str(),
    ] {
        warnings.extend(
            gongkai_core::catalog::pii::scan(text)
                .iter()
                .map(|h| h.zh()),
        );
    }
    Ok(PreviewView {
        body_html,
        warnings,
        error,
    })
}
