//! `GET /staff/catalog/items` (the agency's items with a stage filter) and
//! `GET /staff/catalog/items/{id}` (one item: its metadata, checks, body, attachments,
//! history, and a form for each step the signed-in user may take now).

use super::{Result, beijing, iso, page, parse_id, render, size};
use crate::WebState;
use crate::staff::Staff;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongkai_app::catalog::{self, ItemFilter, scope};
use gongkai_core::catalog::Stage;
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::user::Role;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    stage: String,
    agency: String,
}

pub struct Row {
    pub id: ItemId,
    pub title: String,
    pub column: String,
    pub stage: &'static str,
    pub formed_on: String,
    pub index_number: String,
    pub flags: usize,
}

pub struct AgencyChoice {
    pub id: AgencyId,
    pub name: String,
}

#[derive(Template)]
#[template(path = "staff/catalog/items.html")]
struct ItemsPage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    agency: Option<AgencyChoice>,
    choices: Vec<AgencyChoice>,
    stages: Vec<(&'static str, &'static str)>,
    stage: String,
    rows: Vec<Row>,
    can_draft: bool,
}

/// The agency a page works on (the user's own, or `?agency=` for a user of several), or the
/// agencies they may choose from.
pub(super) async fn agency_or_choices(
    s: &WebState,
    staff: &Staff,
    asked: &str,
) -> Result<(Option<AgencyChoice>, Vec<AgencyChoice>)> {
    let asked = match asked.trim() {
        "" => None,
        a => Some(parse_id::<AgencyId>(a)?),
    };
    let actor = staff.actor();
    if let Some(id) = scope::working_agency(&s.app.db, actor, asked).await? {
        let a = gongkai_app::portal::agency(&s.app, id).await?;
        return Ok((Some(AgencyChoice { id, name: a.name }), Vec::new()));
    }
    let mut choices = Vec::new();
    for a in gongkai_app::agency::list(&s.app).await? {
        if scope::in_scope(&s.app.db, actor, a.agency.id).await? {
            choices.push(AgencyChoice {
                id: a.agency.id,
                name: a.agency.name,
            });
        }
    }
    Ok((None, choices))
}

pub async fn list(
    State(s): State<WebState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let (agency, choices) = agency_or_choices(&s, &staff, &q.agency).await?;
    let stage = Stage::from_key(q.stage.trim());
    let mut rows = Vec::new();
    if let Some(a) = &agency {
        let filter = ItemFilter {
            stage,
            ..ItemFilter::default()
        };
        let today = gongkai_core::calendar::date_in_china(s.clock.now());
        let mut items = catalog::list_for(&s.app, staff.actor(), a.id, &filter, today).await?;
        items.reverse();
        rows = items
            .into_iter()
            .map(|v| Row {
                id: v.item.id,
                stage: v.item.stage().zh(),
                formed_on: gongkai_core::calendar::iso(v.item.content.formed_on),
                index_number: v.item.index_number.clone().unwrap_or_default(),
                flags: v.flags.len(),
                column: v.item.content.column,
                title: v.item.content.title,
            })
            .collect();
    }
    let actor = staff.actor();
    render(&ItemsPage {
        nav: crate::staff::nav::StaffNav::new(
            &staff,
            crate::staff::nav::Section::Catalog,
            "/staff/catalog/items",
        )?,
        page: page("目录信息", "/staff/catalog/items", &headers, None),
        can_draft: actor.has(Role::Entry) || actor.has(Role::Admin),
        stages: Stage::ALL.iter().map(|s| (s.key(), s.zh())).collect(),
        stage: stage.map(|s| s.key().to_string()).unwrap_or_default(),
        agency,
        choices,
        rows,
    })
}

pub struct StepRow {
    pub action: &'static str,
    pub to: &'static str,
    pub by: String,
    pub at: String,
    pub note: String,
}

pub struct ActionForm {
    pub key: &'static str,
    pub label: &'static str,
    pub needs_reason: bool,
}

pub struct ValidityRow {
    pub status: &'static str,
    pub effective_on: String,
    pub ends_on: String,
    pub by: String,
    pub at: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "staff/catalog/item.html")]
struct ItemPage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    v: catalog::ItemView,
    agency_name: String,
    stage: &'static str,
    formed_on: String,
    changed_on: String,
    published_on: String,
    subject: String,
    doc_number: String,
    keywords: String,
    attachments: Vec<(String, String)>,
    steps: Vec<StepRow>,
    actions: Vec<ActionForm>,
    normative_kind: String,
    validity: Vec<ValidityRow>,
    can_edit: bool,
    can_validity: bool,
    max_size: String,
    extensions: String,
}

pub async fn show(
    State(s): State<WebState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let id: ItemId = parse_id(&id)?;
    let now = s.clock.now();
    let today = gongkai_core::calendar::date_in_china(now);
    let actor = staff.actor();
    let v = catalog::show_for(&s.app, actor, id, today).await?;
    let agency = gongkai_app::portal::agency(&s.app, v.item.agency).await?;
    let cfg = catalog::config(&s.app, v.item.agency).await?;
    let actions = catalog::allowed_actions(actor, &v.item, now)
        .into_iter()
        .map(|a| ActionForm {
            key: a.key(),
            label: a.zh(),
            needs_reason: a.needs_reason(),
        })
        .collect();
    let item = &v.item;
    let c = &item.content;
    let steps = item
        .workflow
        .steps()
        .iter()
        .map(|st| StepRow {
            action: st.action.zh(),
            to: st.to.zh(),
            by: st.by.name.clone(),
            at: beijing(st.at),
            note: st.note.clone().unwrap_or_default(),
        })
        .collect();
    let validity = item
        .normative
        .as_ref()
        .map(|n| {
            n.history()
                .iter()
                .map(|h| ValidityRow {
                    status: h.validity.status.zh(),
                    effective_on: iso(h.validity.effective_on),
                    ends_on: iso(h.validity.ends_on),
                    by: h.by.name.clone(),
                    at: beijing(h.at),
                    reason: h.reason.clone().unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let draft = item.stage() == Stage::Draft;
    let entry = actor.has(Role::Entry) || actor.has(Role::Admin);
    let title = c.title.clone();
    let path = format!("/staff/catalog/items/{id}");
    let p = ItemPage {
        nav: crate::staff::nav::StaffNav::new(
            &staff,
            crate::staff::nav::Section::Catalog,
            "/staff/catalog/items",
        )?,
        page: page(
            &title,
            &path,
            &headers,
            Some(("目录信息", "/staff/catalog/items")),
        ),
        csrf: staff.csrf_token()?,
        agency_name: agency.name,
        stage: item.stage().zh(),
        formed_on: gongkai_core::calendar::iso(c.formed_on),
        changed_on: iso(c.changed_on),
        published_on: iso(item.published_on()),
        subject: c
            .subject
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default(),
        doc_number: c
            .doc_number
            .as_ref()
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        keywords: c.keywords.join("，"),
        attachments: item
            .attachments
            .iter()
            .map(|a| (a.name.clone(), size(a.size)))
            .collect(),
        steps,
        actions,
        normative_kind: item
            .normative
            .as_ref()
            .map(|n| n.kind.zh().to_string())
            .unwrap_or_default(),
        can_validity: item.normative.is_some()
            && (actor.has(Role::Entry) || actor.has(Role::Review) || actor.has(Role::Admin))
            && item.stage() != Stage::Withdrawn,
        validity,
        can_edit: draft && entry,
        max_size: size(cfg.attachments.max_bytes),
        extensions: cfg.attachments.extensions.join("、"),
        v,
    };
    render(&p)
}
