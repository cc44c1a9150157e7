//! Items: create and revise drafts (fields from options or a JSON file), list and show them.

use super::view::item_text;
use super::{
    ActAs, DataArgs, OutFormat, date, open, open_agency, print, read_text, validity_status,
};
use crate::output::read_file;
use anyhow::Context;
use clap::Args;
use gongkai_app::catalog::{self, ItemFilter, ItemView};
use gongkai_core::catalog::{ItemInput, NormativeInput, NormativeKind, Stage};
use gongkai_core::ids::ItemId;
use serde_json::{Value as Json, json};
use std::path::PathBuf;
use time::OffsetDateTime;

#[derive(Args)]
pub struct ItemFields {
    /// A JSON file with the fields (keys as the long options, with underscores); options given
    /// on the command line override it.
    #[arg(long)]
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub title: Option<String>,
    /// 发布机构 (default: the agency's name).
    #[arg(long)]
    pub publisher: Option<String>,
    /// 成文日期, YYYY-MM-DD.
    #[arg(long)]
    pub formed_on: Option<String>,
    /// The date the information last changed, YYYY-MM-DD.
    #[arg(long)]
    pub changed_on: Option<String>,
    /// 文号, e.g. 张机事发〔2021〕5号 (wrong brackets are corrected).
    #[arg(long)]
    pub doc_number: Option<String>,
    /// 主题分类, e.g. 综合政务\政务公开.
    #[arg(long)]
    pub subject: Option<String>,
    /// 栏目 (one of the agency's columns).
    #[arg(long)]
    pub column: Option<String>,
    /// 体裁, e.g. 通知.
    #[arg(long)]
    pub genre: Option<String>,
    /// 内容概述.
    #[arg(long)]
    pub summary: Option<String>,
    /// The body as HTML (sanitised before it is stored).
    #[arg(long)]
    pub body_file: Option<PathBuf>,
    /// Keywords, separated by 、 or commas.
    #[arg(long)]
    pub keywords: Option<String>,
    /// rules (规章) or normative_docs (行政规范性文件).
    #[arg(long)]
    pub normative: Option<String>,
    /// 有效性: valid (有效), expired (失效), repealed (废止).
    #[arg(long, default_value = "valid")]
    pub validity: String,
    /// 实施日期, YYYY-MM-DD.
    #[arg(long)]
    pub effective_on: Option<String>,
    /// 废止日期, YYYY-MM-DD.
    #[arg(long)]
    pub ends_on: Option<String>,
    /// For a 政策解读: the id of the policy it interprets.
    #[arg(long)]
    pub interprets: Option<ItemId>,
}

#[derive(Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The agency (name or organisation code).
    #[arg(long)]
    pub agency: String,
    /// Who drafts it (录入).
    #[command(flatten)]
    pub actor: ActAs,
    #[command(flatten)]
    pub fields: ItemFields,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct ReviseArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The item's id (as `catalog list` shows it).
    pub id: ItemId,
    #[command(flatten)]
    pub actor: ActAs,
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub fields: ItemFields,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub agency: String,
    /// draft, secrecy_review, review, approved, published, withdrawn.
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long)]
    pub column: Option<String>,
    /// Only items published in this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only items with something for the reviewer (late publication, unreadable 文号).
    #[arg(long)]
    pub flagged: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The item's id (as `catalog list` shows it).
    pub id: ItemId,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

/// Builds the input from the JSON file (if any) and the options.
fn input(fields: &ItemFields, default_publisher: &str) -> anyhow::Result<ItemInput> {
    let file: Json = match &fields.file {
        Some(p) => serde_json::from_slice(&read_file(p)?)
            .with_context(|| format!("{} is not JSON", p.display()))?,
        None => json!({}),
    };
    let text = |opt: &Option<String>, key: &str| -> Option<String> {
        opt.clone()
            .or_else(|| file.get(key).and_then(Json::as_str).map(str::to_string))
    };
    let body = match &fields.body_file {
        Some(p) => read_text(p)?,
        None => text(&None, "body_html").unwrap_or_default(),
    };
    let normative = match text(&fields.normative, "normative") {
        None => None,
        Some(k) => Some(NormativeInput {
            kind: NormativeKind::from_key(&k)
                .with_context(|| format!("--normative {k:?}: use rules or normative_docs"))?,
            status: validity_status("validity", &fields.validity)?,
            effective_on: date("effective-on", &text(&fields.effective_on, "effective_on"))?,
            ends_on: date("ends-on", &text(&fields.ends_on, "ends_on"))?,
        }),
    };
    Ok(ItemInput {
        title: text(&fields.title, "title").unwrap_or_default(),
        publisher: text(&fields.publisher, "publisher")
            .unwrap_or_else(|| default_publisher.to_string()),
        formed_on: date("formed-on", &text(&fields.formed_on, "formed_on"))?,
        changed_on: date("changed-on", &text(&fields.changed_on, "changed_on"))?,
        doc_number: text(&fields.doc_number, "doc_number"),
        subject: text(&fields.subject, "subject"),
        column: text(&fields.column, "column").unwrap_or_default(),
        genre: text(&fields.genre, "genre"),
        summary: text(&fields.summary, "summary").unwrap_or_default(),
        body_html: body,
        keywords: text(&fields.keywords, "keywords").into_iter().collect(),
        normative,
        interprets: match fields.interprets {
            Some(id) => Some(id),
            None => match file.get("interprets") {
                None | Some(Json::Null) => None,
                Some(v) => Some(
                    v.to_string()
                        .trim_matches('"')
                        .parse::<ItemId>()
                        .context("\"interprets\" in the file")?,
                ),
            },
        },
    })
}

/// Prints an item's view (as a change returned it, or as shown).
pub(super) fn print_item(v: &ItemView, format: OutFormat) -> anyhow::Result<()> {
    print(format, &serde_json::to_value(v)?, || item_text(v))
}

pub(super) async fn create(a: CreateArgs, now: OffsetDateTime) -> anyhow::Result<()> {
    let (app, agency) = open_agency(&a.data, &a.agency).await?;
    let actor = a.actor.resolve(&app).await?;
    let input = input(&a.fields, &agency.name)?;
    let v = catalog::create_item(&app, &actor, agency.id, &input, now).await?;
    print_item(&v, a.format)
}

pub(super) async fn revise(a: ReviseArgs, now: OffsetDateTime) -> anyhow::Result<()> {
    let app = open(&a.data).await?;
    let actor = a.actor.resolve(&app).await?;
    let current = catalog::show(&app, a.id, gongkai_app::today_in_china()).await?;
    let input = input(&a.fields, &current.item.content.publisher)?;
    let v = catalog::revise_item(&app, &actor, a.id, &input, a.note.as_deref(), now).await?;
    print_item(&v, a.format)
}

pub(super) async fn list(a: ListArgs) -> anyhow::Result<()> {
    let (app, agency) = open_agency(&a.data, &a.agency).await?;
    let stage = match a.stage.as_deref() {
        None => None,
        Some(s) => Some(Stage::from_key(s).with_context(|| {
            format!(
                "--stage {s:?}: use draft, secrecy_review, review, approved, published or withdrawn"
            )
        })?),
    };
    let filter = ItemFilter {
        stage,
        column: a.column.clone(),
        published_in: a.year,
        flagged: a.flagged,
    };
    let views = catalog::list(&app, agency.id, &filter, gongkai_app::today_in_china()).await?;
    print(a.format, &serde_json::to_value(&views)?, || {
        let mut s = String::new();
        for v in &views {
            let i = &v.item;
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}{}\n",
                i.id,
                i.index_number.as_deref().unwrap_or("-"),
                i.stage().zh(),
                i.published_on()
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                i.content.column,
                i.content.title,
                if v.flags.is_empty() { "" } else { "\t!" }
            ));
        }
        s.push_str(&format!("共{}条\n", views.len()));
        s
    })
}

pub(super) async fn show(a: ShowArgs) -> anyhow::Result<()> {
    let app = open(&a.data).await?;
    let v = catalog::show(&app, a.id, gongkai_app::today_in_china()).await?;
    print_item(&v, a.format)
}
