//! The item editor: `GET /staff/catalog/items/new`, `POST /staff/catalog/items` (create),
//! `GET/POST /staff/catalog/items/{id}/edit` (revise a draft or a returned item). The body is
//! HTML typed into a `<textarea>`; 预览 shows it as it will be stored (after the sanitiser)
//! with the personal information found in it, and stores nothing.

use super::catalog_items::agency_or_choices;
use super::{Result, back, date, iso, page, parse_id, render, render_invalid};
use crate::WebState;
use crate::staff::Staff;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongkai_app::AppError;
use gongkai_app::catalog::{self, PreviewView};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_core::catalog::{ItemInput, NormativeInput, NormativeKind, Stage, ValidityStatus};
use gongkai_core::ids::{AgencyId, ItemId};
use serde::Deserialize;

/// The editor's fields, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForm {
    pub(crate) csrf_token: String,
    pub(crate) agency: String,
    /// `preview` or `save`.
    pub(crate) op: String,
    pub title: String,
    pub publisher: String,
    pub formed_on: String,
    pub changed_on: String,
    pub doc_number: String,
    pub subject: String,
    pub column: String,
    pub genre: String,
    pub summary: String,
    pub body_html: String,
    pub keywords: String,
    pub normative: String,
    pub status: String,
    pub effective_on: String,
    pub ends_on: String,
    pub interprets: String,
    pub note: String,
}

impl ItemForm {
    /// The fields as the use cases take them, or the first field that cannot be read.
    pub(crate) fn input(&self) -> std::result::Result<ItemInput, String> {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let normative = match NormativeKind::from_key(self.normative.trim()) {
            None if self.normative.trim().is_empty() => None,
            None => return Err("文件类型无效".into()),
            Some(kind) => Some(NormativeInput {
                kind,
                status: ValidityStatus::from_key(self.status.trim())
                    .unwrap_or(ValidityStatus::Valid),
                effective_on: date("实施日期", &self.effective_on)?,
                ends_on: date("废止日期", &self.ends_on)?,
            }),
        };
        let interprets = match self.interprets.trim() {
            "" => None,
            s => Some(
                s.parse::<ItemId>()
                    .map_err(|_| format!("所解读文件的编号“{s}”有误"))?,
            ),
        };
        Ok(ItemInput {
            title: self.title.clone(),
            publisher: self.publisher.clone(),
            formed_on: date("成文日期", &self.formed_on)?,
            changed_on: date("变更日期", &self.changed_on)?,
            doc_number: opt(&self.doc_number),
            subject: opt(&self.subject),
            column: self.column.trim().to_string(),
            genre: opt(&self.genre),
            summary: self.summary.clone(),
            body_html: self.body_html.clone(),
            keywords: self
                .keywords
                .split([',', '，', '、', ';', '；', ' '])
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect(),
            normative,
            interprets,
        })
    }

    /// The form filled from a stored item.
    fn from_item(v: &catalog::ItemView) -> ItemForm {
        let c = &v.item.content;
        let n = v.item.normative.as_ref();
        ItemForm {
            title: c.title.clone(),
            publisher: c.publisher.clone(),
            formed_on: gongkai_core::calendar::iso(c.formed_on),
            changed_on: iso(c.changed_on),
            doc_number: c
                .doc_number
                .as_ref()
                .map(|d| d.as_str().to_string())
                .unwrap_or_default(),
            subject: c
                .subject
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            column: c.column.clone(),
            genre: c.genre.clone().unwrap_or_default(),
            summary: c.summary.clone(),
            body_html: c.body.as_html().to_string(),
            keywords: c.keywords.join("，"),
            normative: n.map(|n| n.kind.key().to_string()).unwrap_or_default(),
            status: n
                .map(|n| n.current().status.key().to_string())
                .unwrap_or_default(),
            effective_on: iso(n.and_then(|n| n.current().effective_on)),
            ends_on: iso(n.and_then(|n| n.current().ends_on)),
            interprets: c.interprets.map(|i| i.to_string()).unwrap_or_default(),
            ..ItemForm::default()
        }
    }
}

#[derive(Template)]
#[template(path = "staff/catalog/edit.html")]
struct EditPage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    action: String,
    agency: AgencyId,
    agency_name: String,
    f: ItemForm,
    columns: Vec<String>,
    genres: Vec<String>,
    subjects: Vec<String>,
    preview: Option<PreviewView>,
    error: Option<String>,
    editing: bool,
}

async fn editor(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    agency: AgencyId,
    item: Option<ItemId>,
    f: ItemForm,
) -> Result<EditPage> {
    let cfg = catalog::config(&s.app, agency).await?;
    let a = gongkai_app::portal::agency(&s.app, agency).await?;
    let (title, path, action) = match item {
        Some(id) => (
            "修改目录信息",
            format!("/staff/catalog/items/{id}/edit"),
            format!("/staff/catalog/items/{id}/edit"),
        ),
        None => (
            "新建目录信息",
            "/staff/catalog/items/new".to_string(),
            "/staff/catalog/items".to_string(),
        ),
    };
    let mut subjects = Vec::new();
    for c in &cfg.subjects {
        subjects.push(c.label.clone());
        subjects.extend(c.children.iter().map(|ch| format!("{}\\{ch}", c.label)));
    }
    Ok(EditPage {
        nav: crate::staff::nav::StaffNav::new(
            staff,
            crate::staff::nav::Section::Catalog,
            "/staff/catalog/items",
        )?,
        page: page(
            title,
            &path,
            headers,
            Some(("目录信息", "/staff/catalog/items")),
        ),
        csrf: staff.csrf_token()?,
        action,
        agency,
        agency_name: a.name,
        columns: cfg.columns,
        genres: cfg.genres,
        subjects,
        preview: None,
        error: None,
        editing: item.is_some(),
        f,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    agency: String,
}

/// `GET /staff/catalog/items/new`: an empty editor (the publisher filled with the agency).
pub async fn new(
    State(s): State<WebState>,
    staff: Staff,
    Query(q): Query<NewQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    staff.require(
        gongkai_core::user::Role::Entry,
        "draft catalogue items",
        "拟稿",
    )?;
    let (agency, _) = agency_or_choices(&s, &staff, &q.agency).await?;
    let Some(agency) = agency else {
        return Ok(back("/staff/catalog/items"));
    };
    let f = ItemForm {
        publisher: agency.name.clone(),
        ..ItemForm::default()
    };
    render(&editor(&s, &staff, &headers, agency.id, None, f).await?)
}

/// Saving refused for a reason the user can fix: the form again, with the reason.
fn fixable(e: &AppError) -> bool {
    matches!(
        e.kind(),
        ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Refused
    )
}

/// Previews, or re-renders with what is wrong, or returns the parsed input to store.
async fn prepare(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    agency: AgencyId,
    item: Option<ItemId>,
    f: ItemForm,
) -> Result<std::result::Result<ItemInput, Response>> {
    let parsed = f.input();
    let op = f.op.clone();
    let mut p = editor(s, staff, headers, agency, item, f).await?;
    match parsed {
        Err(e) => {
            p.error = Some(e);
            Ok(Err(render_invalid(&p)?))
        }
        Ok(input) if op == "preview" => {
            p.preview = Some(catalog::preview(&s.app, staff.actor(), agency, &input).await?);
            Ok(Err(render(&p)?))
        }
        Ok(input) => Ok(Ok(input)),
    }
}

/// `POST /staff/catalog/items`: previews, or creates the draft and shows it.
pub async fn create(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<ItemForm>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    let (agency, _) = agency_or_choices(&s, &staff, &f.agency).await?;
    let Some(agency) = agency else {
        return Ok(back("/staff/catalog/items"));
    };
    let keep = f.clone();
    let input = match prepare(&s, &staff, &headers, agency.id, None, f).await? {
        Ok(input) => input,
        Err(page) => return Ok(page),
    };
    match catalog::create_item(&s.app, staff.actor(), agency.id, &input, s.clock.now()).await {
        Ok(v) => Ok(back(&format!("/staff/catalog/items/{}", v.item.id))),
        Err(e) if fixable(&e) => {
            let mut p = editor(&s, &staff, &headers, agency.id, None, keep).await?;
            p.error = Some(e.zh());
            render_invalid(&p)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /staff/catalog/items/{id}/edit`: the editor filled with a draft (拟稿, also a returned
/// item).
pub async fn edit(
    State(s): State<WebState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let id: ItemId = parse_id(&id)?;
    let today = gongkai_core::calendar::date_in_china(s.clock.now());
    let v = catalog::show_for(&s.app, staff.actor(), id, today).await?;
    staff.require(
        gongkai_core::user::Role::Entry,
        "revise catalogue items",
        "修改目录信息",
    )?;
    if v.item.stage() != Stage::Draft {
        return Ok(back(&format!("/staff/catalog/items/{id}")));
    }
    let f = ItemForm::from_item(&v);
    render(&editor(&s, &staff, &headers, v.item.agency, Some(id), f).await?)
}

/// `POST /staff/catalog/items/{id}/edit`: previews, or stores the revision (修改).
pub async fn save(
    State(s): State<WebState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<ItemForm>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    let id: ItemId = parse_id(&id)?;
    let today = gongkai_core::calendar::date_in_china(s.clock.now());
    let agency = catalog::show_for(&s.app, staff.actor(), id, today)
        .await?
        .item
        .agency;
    let note = Some(f.note.trim().to_string()).filter(|n| !n.is_empty());
    let keep = f.clone();
    let input = match prepare(&s, &staff, &headers, agency, Some(id), f).await? {
        Ok(input) => input,
        Err(page) => return Ok(page),
    };
    match catalog::revise_item(
        &s.app,
        staff.actor(),
        id,
        &input,
        note.as_deref(),
        s.clock.now(),
    )
    .await
    {
        Ok(_) => Ok(back(&format!("/staff/catalog/items/{id}"))),
        Err(e) if fixable(&e) => {
            let mut p = editor(&s, &staff, &headers, agency, Some(id), keep).await?;
            p.error = Some(e.zh());
            render_invalid(&p)
        }
        Err(e) => Err(e.into()),
    }
}
