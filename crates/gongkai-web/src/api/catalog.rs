//! `/api/v1/…items…`: the catalogue of proactive disclosure for staff — an agency's items by
//! stage, creating and revising a draft with the editor's fields (body sanitised as in the
//! editor), an item with its reviewer's flags, and the workflow's actions (保密审查 → 审核 →
//! 发布, return, withdraw), each checked by role, agency scope and separation of duties in the
//! app layer (docs/api.md#catalogue).

use super::caller::Caller;
use super::problem::{ApiError, ApiResult, Problem};
use crate::WebState;
use crate::staff::office::catalog_edit::ItemForm;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use gongkai_app::catalog::{self, ItemFilter, ItemView};
use gongkai_core::catalog::{Action, Stage};
use gongkai_core::ids::{AgencyId, ItemId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    /// Only items at this stage (`draft`, `secrecy_review`, `review`, `approved`,
    /// `published`, `withdrawn`).
    pub stage: Option<String>,
    /// Only items of this 栏目.
    pub column: Option<String>,
    /// Only items published in this year.
    pub year: Option<i32>,
}

fn agency_id(raw: &str) -> ApiResult<AgencyId> {
    raw.parse().map_err(|_| ApiError::not_found())
}

fn item_id(raw: &str) -> ApiResult<ItemId> {
    raw.parse().map_err(|_| ApiError::not_found())
}

/// An agency's items, oldest first (the agency must be in the caller's scope).
#[utoipa::path(get, path = "/api/v1/agencies/{agency}/items", tag = "catalogue",
    params(("agency" = i64, Path, description = "The agency's id"), ItemsQuery),
    responses(
        (status = 200, description = "The items", body = Vec<Object>),
        (status = 404, description = "An agency out of the caller's scope", body = Problem),
    ))]
pub async fn list(
    State(s): State<WebState>,
    caller: Caller,
    Path(agency): Path<String>,
    q: Result<Query<ItemsQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<ItemView>>> {
    let Query(q) = q?;
    let agency = agency_id(&agency)?;
    let stage = match q.stage.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(k) => Some(
            Stage::from_key(k).ok_or_else(|| ApiError::bad_request(format!("未知的环节“{k}”")))?,
        ),
    };
    let filter = ItemFilter {
        stage,
        column: q.column.filter(|c| !c.trim().is_empty()),
        published_in: q.year,
        flagged: false,
    };
    let today = s.today();
    Ok(Json(
        catalog::list_for(&s.app, &caller.actor, agency, &filter, today).await?,
    ))
}

/// An item's fields as the editor has them; dates `YYYY-MM-DD`, keywords separated by commas.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ItemBody {
    pub title: String,
    /// 发布机构.
    pub publisher: String,
    /// 成文日期.
    pub formed_on: String,
    pub changed_on: String,
    /// 文号.
    pub doc_number: String,
    /// 主题分类.
    pub subject: String,
    /// 栏目.
    pub column: String,
    /// 体裁.
    pub genre: String,
    pub summary: String,
    /// The body as HTML; sanitised as in the editor.
    pub body_html: String,
    pub keywords: String,
    /// `rule` (规章) or `normative` (行政规范性文件), or empty.
    pub normative: String,
    /// 有效性 key of a normative document.
    pub status: String,
    pub effective_on: String,
    pub ends_on: String,
    /// For a 政策解读: the id of the policy it interprets.
    pub interprets: String,
    /// For a revision: what changed.
    pub note: String,
}

impl ItemBody {
    fn input(self) -> ApiResult<(gongkai_core::catalog::ItemInput, String)> {
        let note = self.note.clone();
        let form = ItemForm {
            title: self.title,
            publisher: self.publisher,
            formed_on: self.formed_on,
            changed_on: self.changed_on,
            doc_number: self.doc_number,
            subject: self.subject,
            column: self.column,
            genre: self.genre,
            summary: self.summary,
            body_html: self.body_html,
            keywords: self.keywords,
            normative: self.normative,
            status: self.status,
            effective_on: self.effective_on,
            ends_on: self.ends_on,
            interprets: self.interprets,
            note: self.note,
            ..ItemForm::default()
        };
        let input = form.input().map_err(|m| {
            let mut e = ApiError::bad_request(m);
            e.0.status = StatusCode::UNPROCESSABLE_ENTITY.as_u16();
            e
        })?;
        Ok((input, note))
    }
}

/// Creates a draft (拟稿) of the agency (录入); 201 with the item.
#[utoipa::path(post, path = "/api/v1/agencies/{agency}/items", tag = "catalogue",
    params(("agency" = i64, Path, description = "The agency's id")),
    request_body = ItemBody,
    responses(
        (status = 201, description = "The draft", body = Object),
        (status = 422, description = "A field that cannot be read or fails the rules", body = Problem),
        (status = 403, description = "Not a 录入", body = Problem),
        (status = 404, description = "An agency out of the caller's scope", body = Problem),
    ))]
pub async fn create(
    State(s): State<WebState>,
    caller: Caller,
    Path(agency): Path<String>,
    body: Result<Json<ItemBody>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<ItemView>)> {
    let Json(body) = body?;
    let agency = agency_id(&agency)?;
    let (input, _) = body.input()?;
    let item = catalog::create_item(&s.app, &caller.actor, agency, &input, s.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// An item with its timeliness, the reviewer's flags and its 政策解读.
#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "catalogue",
    params(("id" = i64, Path, description = "The item's id")),
    responses(
        (status = 200, description = "The item", body = Object),
        (status = 404, description = "No such item in the caller's scope", body = Problem),
    ))]
pub async fn show(
    State(s): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ItemView>> {
    let id = item_id(&id)?;
    let today = s.today();
    Ok(Json(
        catalog::show_for(&s.app, &caller.actor, id, today).await?,
    ))
}

/// Revises a draft or a returned item (录入) with the editor's fields.
#[utoipa::path(put, path = "/api/v1/items/{id}", tag = "catalogue",
    params(("id" = i64, Path, description = "The item's id")),
    request_body = ItemBody,
    responses(
        (status = 200, description = "The item", body = Object),
        (status = 409, description = "Not at a stage that can be revised", body = Problem),
        (status = 422, description = "A field that cannot be read or fails the rules", body = Problem),
    ))]
pub async fn revise(
    State(s): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<ItemBody>, JsonRejection>,
) -> ApiResult<Json<ItemView>> {
    let Json(body) = body?;
    let id = item_id(&id)?;
    let (input, note) = body.input()?;
    let note = Some(note.trim()).filter(|n| !n.is_empty());
    Ok(Json(
        catalog::revise_item(&s.app, &caller.actor, id, &input, note, s.clock.now()).await?,
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ActBody {
    /// The action's key: `submit`, `clear_secrecy`, `approve`, `return`, `publish`,
    /// `withdraw` … (docs/back-office.md#catalogue).
    pub action: String,
    /// The reason (required to return or withdraw).
    pub note: String,
}

/// Takes the item one step of its workflow; a step the rules refuse (one's own draft, a
/// return without reason) is 409 with its reason and changes nothing.
#[utoipa::path(post, path = "/api/v1/items/{id}/actions", tag = "catalogue",
    params(("id" = i64, Path, description = "The item's id")),
    request_body = ActBody,
    responses(
        (status = 200, description = "The item", body = Object),
        (status = 403, description = "A role the step needs is missing", body = Problem),
        (status = 409, description = "Refused, with the reason", body = Problem),
    ))]
pub async fn act(
    State(s): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<ActBody>, JsonRejection>,
) -> ApiResult<Json<ItemView>> {
    let Json(body) = body?;
    let id = item_id(&id)?;
    let action = Action::from_key(body.action.trim())
        .filter(|a| !matches!(a, Action::Create | Action::Revise))
        .ok_or_else(|| ApiError::bad_request(format!("未知的办理环节“{}”", body.action)))?;
    let note = Some(body.note.trim()).filter(|n| !n.is_empty());
    Ok(Json(
        catalog::act(&s.app, &caller.actor, id, action, note, s.clock.now()).await?,
    ))
}
