//! The workflow's pages: `POST /staff/catalog/items/{id}/act` (送审, 保密审查通过, 审核通过,
//! 发布, 退回 and 撤回 with their reasons), the review queues `GET /staff/catalog/review`
//! (only for the decision's role, and only what the user may decide: not their own draft), the change of
//! 有效性, and the approval form 《政府信息公开发布审批表》 as printable HTML and DOCX.

use super::catalog_items::{AgencyChoice, agency_or_choices};
use super::{Result, back, date, page, parse_id, render};
use crate::staff::Staff;
use crate::staff::nav::{self, Section, StaffNav};
use crate::{WebError, WebState};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::catalog::{self, ValidityInput};
use gongkai_core::catalog::{Action, Stage, ValidityStatus};
use gongkai_core::ids::ItemId;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActForm {
    csrf_token: String,
    action: String,
    note: String,
}

/// `POST /staff/catalog/items/{id}/act`: one workflow step; a refusal (out of turn, one's own
/// draft, no reason) is answered with its Chinese reason and changes nothing.
pub async fn act(
    State(s): State<WebState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<ActForm>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    let id: ItemId = parse_id(&id)?;
    let action = Action::from_key(f.action.trim())
        .filter(|a| !matches!(a, Action::Create | Action::Revise))
        .ok_or_else(|| WebError::bad_request("未知的办理环节"))?;
    let note = Some(f.note.trim()).filter(|n| !n.is_empty());
    catalog::act(&s.app, staff.actor(), id, action, note, s.clock.now()).await?;
    Ok(back(&format!("/staff/catalog/items/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ValidityForm {
    csrf_token: String,
    status: String,
    effective_on: String,
    ends_on: String,
    reason: String,
}

/// `POST /staff/catalog/items/{id}/validity`: records a change of 有效性.
pub async fn validity(
    State(s): State<WebState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<ValidityForm>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    let id: ItemId = parse_id(&id)?;
    let status = ValidityStatus::from_key(f.status.trim())
        .ok_or_else(|| WebError::bad_request("有效性应为有效、失效或废止"))?;
    let input = ValidityInput {
        status,
        effective_on: date("实施日期", &f.effective_on).map_err(WebError::bad_request)?,
        ends_on: date("废止日期", &f.ends_on).map_err(WebError::bad_request)?,
        reason: Some(f.reason.trim().to_string()).filter(|r| !r.is_empty()),
    };
    catalog::change_validity(&s.app, staff.actor(), id, &input, s.clock.now()).await?;
    Ok(back(&format!("/staff/catalog/items/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QueueQuery {
    stage: String,
    agency: String,
}

pub struct QueueRow {
    pub id: ItemId,
    pub title: String,
    pub column: String,
    pub drafter: String,
    pub submitted: String,
    pub flags: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/catalog/queue.html")]
struct QueuePage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    heading: &'static str,
    stage: &'static str,
    agency: Option<AgencyChoice>,
    choices: Vec<AgencyChoice>,
    rows: Vec<QueueRow>,
}

/// `GET /staff/catalog/review?stage=secrecy_review|review|approved`: the items at that stage
/// the signed-in user may decide now.
pub async fn queue(
    State(s): State<WebState>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let stage = match Stage::from_key(q.stage.trim()) {
        Some(st @ (Stage::SecrecyReview | Stage::Review | Stage::Approved)) => st,
        // Without a stage: the first queue the user may decide.
        None if q.stage.trim().is_empty() => nav::review_stages(staff.actor())
            .first()
            .copied()
            .unwrap_or(Stage::SecrecyReview),
        _ => return Err(WebError::bad_request("待办类别应为保密审查、审核或待发布")),
    };
    // The queue is for those who may take its decision (the check the navigation links by).
    nav::require_queue(staff.actor(), stage)?;
    let heading = nav::queue_label(stage);
    let (agency, choices) = agency_or_choices(&s, &staff, &q.agency).await?;
    let mut rows = Vec::new();
    if let Some(a) = &agency {
        for v in catalog::review_queue(&s.app, staff.actor(), a.id, stage, s.clock.now()).await? {
            let steps = v.item.workflow.steps();
            rows.push(QueueRow {
                id: v.item.id,
                drafter: v.item.workflow.drafter().name.clone(),
                submitted: steps
                    .last()
                    .map(|st| super::beijing(st.at))
                    .unwrap_or_default(),
                title: v.item.content.title.clone(),
                column: v.item.content.column.clone(),
                flags: v.flags,
            });
        }
    }
    render(&QueuePage {
        nav: StaffNav::new(
            &staff,
            Section::Review,
            &format!("/staff/catalog/review?stage={}", stage.key()),
        )?,
        page: page(heading, "/staff/catalog/review", &headers, None),
        heading,
        stage: stage.key(),
        agency,
        choices,
        rows,
    })
}

/// `GET /staff/catalog/items/{id}/form`: the approval form, printable (A4, its own styles).
pub async fn form_html(
    State(s): State<WebState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response> {
    let id: ItemId = parse_id(&id)?;
    let form = catalog::approval_form_for(&s.app, staff.actor(), id).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        form.to_html(),
    )
        .into_response())
}

/// `GET /staff/catalog/items/{id}/form.docx`: the approval form as a Word document.
pub async fn form_docx(
    State(s): State<WebState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response> {
    let id: ItemId = parse_id(&id)?;
    let form = catalog::approval_form_for(&s.app, staff.actor(), id).await?;
    let bytes = form.to_docx().map_err(|e| {
        WebError::from(gongkai_app::AppError::internal(
            "cannot render the approval form",
            e,
        ))
    })?;
    let name = format!("approval-form-{id}.docx");
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{name}\"; filename*=UTF-8''%E5%8F%91%E5%B8%83%E5%AE%A1%E6%89%B9%E8%A1%A8-{id}.docx"
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
