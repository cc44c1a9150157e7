//! An item as front ends show it: the item with what a reviewer should see next to it (Art. 26
//! timeliness, flags, its 政策解读), and its JSON form (`catalog show --format json`, the API).
//! Dates are `YYYY-MM-DD`, times RFC 3339; each step and validity change names its user by
//! display name (`by`, as the approval form prints it) and id (`by_id`).

use super::config;
use crate::App;
use crate::error::Result;
use gongkai_core::calendar::{Calendar, iso};
use gongkai_core::catalog::{CatalogConfig, CatalogItem, Timeliness};
use gongkai_core::ids::{AgencyId, ItemId, UserId};
use gongkai_store::repo::catalog as repo;
use serde::{Serialize, Serializer};
use time::{Date, OffsetDateTime};

/// An item with what a reviewer should see next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemView {
    pub item: CatalogItem,
    /// Art. 26 status (publication within 20 working days of forming or changing).
    pub timeliness: Timeliness,
    /// Things the reviewer should check, in Chinese.
    pub flags: Vec<String>,
    /// For a policy: its 政策解读.
    pub interpretations: Vec<ItemId>,
}

impl ItemView {
    /// The view of `item` as of `today`, with the agency's settings and the calendar.
    pub fn new(
        item: CatalogItem,
        cfg: &CatalogConfig,
        cal: &Calendar,
        today: Date,
        interpretations: Vec<ItemId>,
    ) -> ItemView {
        let timeliness =
            gongkai_core::catalog::timeliness(&item, cal, cfg.timeliness_working_days, today);
        let mut flags = Vec::new();
        if let Some(d) = &item.content.doc_number
            && d.flagged()
        {
            flags.push(format!(
                "文号“{d}”不符合“机关代字〔年份〕序号号”格式，请核对"
            ));
        }
        if timeliness.flagged() {
            flags.push(timeliness.zh());
        }
        // Personal information about to be (or already) published (docs/reliability.md PI-12).
        let c = &item.content;
        for text in [c.title.as_str(), c.summary.as_str(), c.body.as_html()] {
            flags.extend(
                gongkai_core::catalog::pii::scan(text)
                    .iter()
                    .map(|h| h.zh()),
            );
        }
        ItemView {
            item,
            timeliness,
            flags,
            interpretations,
        }
    }
}

/// The view of a stored item as of `today` (its settings and 政策解读 read from the database).
pub(crate) async fn item_view(app: &App, item: CatalogItem, today: Date) -> Result<ItemView> {
    let cfg = config::load(&app.db, item.agency).await?;
    let links = repo::interpretations_of(&app.db, item.id).await?;
    Ok(ItemView::new(item, &cfg, &app.calendar, today, links))
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: ItemId,
    agency_id: AgencyId,
    index_number: Option<&'a str>,
    stage: &'static str,
    title: &'a str,
    publisher: &'a str,
    formed_on: String,
    changed_on: Option<String>,
    published_on: Option<String>,
    doc_number: Option<&'a str>,
    doc_number_flagged: bool,
    subject: Option<String>,
    column: &'a str,
    genre: Option<&'a str>,
    summary: &'a str,
    keywords: &'a [String],
    body_html: &'a str,
    interprets: Option<ItemId>,
    interpretations: &'a [ItemId],
    normative: Option<NormativeJson<'a>>,
    attachments: Vec<AttachmentJson<'a>>,
    steps: Vec<StepJson<'a>>,
    timeliness: TimelinessJson,
    flags: &'a [String],
}

#[derive(Serialize)]
struct NormativeJson<'a> {
    kind: &'static str,
    history: Vec<ValidityJson<'a>>,
}

#[derive(Serialize)]
struct ValidityJson<'a> {
    status: &'static str,
    effective_on: Option<String>,
    ends_on: Option<String>,
    by: &'a str,
    by_id: UserId,
    at: String,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct AttachmentJson<'a> {
    name: &'a str,
    media_type: &'a str,
    size: u64,
}

#[derive(Serialize)]
struct StepJson<'a> {
    action: &'static str,
    from: Option<&'static str>,
    to: &'static str,
    by: &'a str,
    by_id: UserId,
    at: String,
    note: Option<&'a str>,
}

/// Art. 26 as JSON: `{"status": "on_time", "due": "2021-03-29"}`, `late` (with
/// `published_on`), `overdue`, `pending`, or `unknown` (with `from`).
#[derive(Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum TimelinessJson {
    OnTime { due: String },
    Late { due: String, published_on: String },
    Overdue { due: String },
    Pending { due: String },
    Unknown { from: String },
}

impl From<&Timeliness> for TimelinessJson {
    fn from(t: &Timeliness) -> TimelinessJson {
        match *t {
            Timeliness::OnTime { due } => TimelinessJson::OnTime { due: iso(due) },
            Timeliness::Late { due, published_on } => TimelinessJson::Late {
                due: iso(due),
                published_on: iso(published_on),
            },
            Timeliness::Overdue { due } => TimelinessJson::Overdue { due: iso(due) },
            Timeliness::Pending { due } => TimelinessJson::Pending { due: iso(due) },
            Timeliness::Unknown { from } => TimelinessJson::Unknown { from: iso(from) },
        }
    }
}

impl Serialize for ItemView {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let i = &self.item;
        let c = &i.content;
        ItemJson {
            id: i.id,
            agency_id: i.agency,
            index_number: i.index_number.as_deref(),
            stage: i.stage().key(),
            title: &c.title,
            publisher: &c.publisher,
            formed_on: iso(c.formed_on),
            changed_on: c.changed_on.map(iso),
            published_on: i.published_on().map(iso),
            doc_number: c.doc_number.as_ref().map(|d| d.as_str()),
            doc_number_flagged: c.doc_number.as_ref().is_some_and(|d| d.flagged()),
            subject: c.subject.as_ref().map(|s| s.to_string()),
            column: &c.column,
            genre: c.genre.as_deref(),
            summary: &c.summary,
            keywords: &c.keywords,
            body_html: c.body.as_html(),
            interprets: c.interprets,
            interpretations: &self.interpretations,
            normative: i.normative.as_ref().map(|n| NormativeJson {
                kind: n.kind.key(),
                history: n
                    .history()
                    .iter()
                    .map(|h| ValidityJson {
                        status: h.validity.status.key(),
                        effective_on: h.validity.effective_on.map(iso),
                        ends_on: h.validity.ends_on.map(iso),
                        by: &h.by.name,
                        by_id: h.by.id,
                        at: rfc3339(h.at),
                        reason: h.reason.as_deref(),
                    })
                    .collect(),
            }),
            attachments: i
                .attachments
                .iter()
                .map(|a| AttachmentJson {
                    name: &a.name,
                    media_type: a.media_type,
                    size: a.size,
                })
                .collect(),
            steps: i
                .workflow
                .steps()
                .iter()
                .map(|st| StepJson {
                    action: st.action.key(),
                    from: st.from.map(|f| f.key()),
                    to: st.to.key(),
                    by: &st.by.name,
                    by_id: st.by.id,
                    at: rfc3339(st.at),
                    note: st.note.as_deref(),
                })
                .collect(),
            timeliness: TimelinessJson::from(&self.timeliness),
            flags: &self.flags,
        }
        .serialize(s)
    }
}
