//! `gongkai catalog …`: the catalogue (政府信息公开目录) — create items, move them through
//! 拟稿 → 保密审查 → 审核 → 发布, list and show them, print the approval form, record table 二
//! entries and keep the 指南 / 制度 documents. `--format json` prints JSON for scripts.

use crate::output::{read_file, write_output};
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::App;
use gongkai_app::catalog::{self, CatalogAppError, ItemView};
use gongkai_core::catalog::{
    Action, ItemInput, NormativeInput, NormativeKind, Stage, Timeliness, ValidityStatus,
};
use gongkai_store::repo::agency;
use gongkai_store::repo::catalog::{DocumentKind, ItemFilter};
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::{Date, OffsetDateTime};

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Create a draft item (拟稿).
    Create(CreateArgs),
    /// Replace a draft's content (修改; only while drafting).
    Revise(ReviseArgs),
    /// Take a workflow step: submit, clear-secrecy, approve, publish, return, withdraw.
    Act(ActArgs),
    /// Record a change of 有效性 of a 规章 / 行政规范性文件.
    Validity(ValidityArgs),
    /// Attach a file to a draft (type and size checked).
    Attach(AttachArgs),
    /// List an agency's items.
    List(ListArgs),
    /// Show one item with its steps and flags.
    Show(ShowArgs),
    /// Print the approval form 《政府信息公开发布审批表》 as HTML or DOCX.
    Form(FormArgs),
    /// Section 一's counts by column for a year, and the sentence quoting them.
    Stats(StatsArgs),
    /// Enter a table 二 cell that is not computed from the catalogue (e.g. 行政许可 decisions).
    Table2(Table2Args),
    /// The agency's 政府信息公开指南 and 制度 texts.
    #[command(subcommand)]
    Doc(DocCommand),
    /// Load the demo agency and its 2021 catalogue into a data directory.
    Demo(DataArgs),
    /// Show the agency's catalogue settings (columns, subjects, genres, 索引号 pattern,
    /// attachment limits), or replace them with `--set FILE` (JSON; keys not given keep
    /// their defaults).
    Config(ConfigArgs),
}

#[derive(Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub agency: String,
    /// A JSON file, e.g. {"columns": […], "index_pattern": "{org_code}/{year}-{seq:05}"}.
    #[arg(long)]
    pub set: Option<PathBuf>,
    /// Who changes the settings (required with --set).
    #[arg(long)]
    pub by: Option<String>,
}

#[derive(Args, Clone)]
pub struct DataArgs {
    /// The data directory (see `gongkai init`).
    #[arg(long)]
    pub data: PathBuf,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutFormat {
    Text,
    Json,
}

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
    pub interprets: Option<i64>,
}

#[derive(Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The agency (name or organisation code).
    #[arg(long)]
    pub agency: String,
    /// Who drafts it.
    #[arg(long)]
    pub by: String,
    #[command(flatten)]
    pub fields: ItemFields,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct ReviseArgs {
    #[command(flatten)]
    pub data: DataArgs,
    pub id: i64,
    #[arg(long)]
    pub by: String,
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub fields: ItemFields,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StepArg {
    Submit,
    ClearSecrecy,
    Approve,
    Publish,
    Return,
    Withdraw,
}

impl StepArg {
    fn action(self) -> Action {
        match self {
            StepArg::Submit => Action::Submit,
            StepArg::ClearSecrecy => Action::ClearSecrecy,
            StepArg::Approve => Action::Approve,
            StepArg::Publish => Action::Publish,
            StepArg::Return => Action::Return,
            StepArg::Withdraw => Action::Withdraw,
        }
    }
}

#[derive(Args)]
pub struct ActArgs {
    #[command(flatten)]
    pub data: DataArgs,
    pub id: i64,
    #[arg(value_enum)]
    pub step: StepArg,
    /// Who takes the step.
    #[arg(long)]
    pub by: String,
    /// The opinion, or the reason (required for return and withdraw).
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct ValidityArgs {
    #[command(flatten)]
    pub data: DataArgs,
    pub id: i64,
    /// valid (有效), expired (失效), repealed (废止).
    #[arg(long)]
    pub status: String,
    #[arg(long)]
    pub effective_on: Option<String>,
    #[arg(long)]
    pub ends_on: Option<String>,
    #[arg(long)]
    pub by: String,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct AttachArgs {
    #[command(flatten)]
    pub data: DataArgs,
    pub id: i64,
    pub file: PathBuf,
    /// The display name (default: the file's name).
    #[arg(long)]
    pub name: Option<String>,
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
    pub id: i64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormFormat {
    Html,
    Docx,
}

#[derive(Args)]
pub struct FormArgs {
    #[command(flatten)]
    pub data: DataArgs,
    pub id: i64,
    #[arg(long, value_enum, default_value = "html")]
    pub format: FormFormat,
    /// Write to this file (required for DOCX unless standard output is redirected).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub agency: String,
    #[arg(long)]
    pub year: i32,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct Table2Args {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub agency: String,
    #[arg(long)]
    pub year: i32,
    /// The cell as sub.row.col, e.g. art20_5.admin_license.decisions or art20_8.admin_fees.fee_amount.
    #[arg(long)]
    pub cell: String,
    /// A count, an amount in 万元 (第（八）项), or / for not applicable.
    #[arg(long)]
    pub value: String,
    #[arg(long)]
    pub by: String,
    /// Where the figure comes from (ledger, system, document).
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Subcommand)]
pub enum DocCommand {
    /// Store a new version of the 指南 (guide) or a 制度 (rules) text from an HTML file.
    Put {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        agency: String,
        /// guide (指南) or rules (制度).
        #[arg(long)]
        kind: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        by: String,
    },
    /// List the current versions of the agency's documents.
    List {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        agency: String,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
}

pub fn run(cmd: CatalogCommand) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(run_async(cmd))?;
    Ok(ExitCode::SUCCESS)
}

/// Domain refusals print their English reason and the Chinese message users see.
fn explain(e: CatalogAppError) -> anyhow::Error {
    match e {
        CatalogAppError::Domain(d) => anyhow::anyhow!("{d} ({})", d.zh()),
        other => anyhow::Error::new(other),
    }
}

async fn open(data: &DataArgs) -> anyhow::Result<App> {
    Ok(App::open(&data.data).await?)
}

fn date(field: &str, s: &Option<String>) -> anyhow::Result<Option<Date>> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => gongkai_core::calendar::parse_iso_date(s)
            .map(Some)
            .with_context(|| format!("--{field} {s:?} is not a date (YYYY-MM-DD)")),
    }
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
        Some(p) => String::from_utf8(read_file(p)?)
            .with_context(|| format!("{} is not UTF-8 text", p.display()))?,
        None => text(&None, "body_html").unwrap_or_default(),
    };
    let normative = match text(&fields.normative, "normative") {
        None => None,
        Some(k) => Some(NormativeInput {
            kind: NormativeKind::from_key(&k)
                .with_context(|| format!("--normative {k:?}: use rules or normative_docs"))?,
            status: ValidityStatus::from_key(&fields.validity).with_context(|| {
                format!(
                    "--validity {:?}: use valid, expired or repealed",
                    fields.validity
                )
            })?,
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
        interprets: fields.interprets.map(|i| i.to_string()).or_else(|| {
            file.get("interprets")
                .and_then(Json::as_i64)
                .map(|i| i.to_string())
        }),
    })
}

fn timeliness_json(t: &Timeliness) -> Json {
    match t {
        Timeliness::OnTime { due } => json!({"status": "on_time", "due": due.to_string()}),
        Timeliness::Late { due, published_on } => {
            json!({"status": "late", "due": due.to_string(), "published_on": published_on.to_string()})
        }
        Timeliness::Overdue { due } => json!({"status": "overdue", "due": due.to_string()}),
        Timeliness::Pending { due } => json!({"status": "pending", "due": due.to_string()}),
        Timeliness::Unknown { from } => json!({"status": "unknown", "from": from.to_string()}),
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn item_json(v: &ItemView) -> Json {
    let i = &v.item;
    let c = &i.content;
    json!({
        "id": i.id.parse::<i64>().unwrap_or_default(),
        "index_number": i.index_number,
        "stage": i.stage().key(),
        "title": c.title,
        "publisher": c.publisher,
        "formed_on": c.formed_on.to_string(),
        "changed_on": c.changed_on.map(|d| d.to_string()),
        "published_on": i.published_on().map(|d| d.to_string()),
        "doc_number": c.doc_number.as_ref().map(|d| d.as_str()),
        "doc_number_flagged": c.doc_number.as_ref().is_some_and(|d| d.flagged()),
        "subject": c.subject.as_ref().map(|s| s.to_string()),
        "column": c.column,
        "genre": c.genre,
        "summary": c.summary,
        "keywords": c.keywords,
        "body_html": c.body.as_html(),
        "interprets": c.interprets.as_ref().and_then(|s| s.parse::<i64>().ok()),
        "interpretations": v.interpretations,
        "normative": i.normative.as_ref().map(|n| json!({
            "kind": n.kind.key(),
            "history": n.history().iter().map(|h| json!({
                "status": h.validity.status.key(),
                "effective_on": h.validity.effective_on.map(|d| d.to_string()),
                "ends_on": h.validity.ends_on.map(|d| d.to_string()),
                "by": h.by,
                "at": rfc3339(h.at),
                "reason": h.reason,
            })).collect::<Vec<_>>(),
        })),
        "attachments": i.attachments.iter().map(|a| json!({
            "name": a.name, "media_type": a.media_type, "size": a.size,
        })).collect::<Vec<_>>(),
        "steps": i.workflow.steps().iter().map(|s| json!({
            "action": s.action.key(),
            "from": s.from.map(|f| f.key()),
            "to": s.to.key(),
            "by": s.by,
            "at": rfc3339(s.at),
            "note": s.note,
        })).collect::<Vec<_>>(),
        "timeliness": timeliness_json(&v.timeliness),
        "flags": v.flags,
    })
}

fn item_text(v: &ItemView) -> String {
    let i = &v.item;
    let c = &i.content;
    let mut s = format!(
        "#{} {}\n  状态：{}  索引号：{}\n  栏目：{}  发布机构：{}  成文日期：{}\n",
        i.id,
        c.title,
        i.stage().zh(),
        i.index_number.as_deref().unwrap_or("（发布时生成）"),
        c.column,
        c.publisher,
        c.formed_on
    );
    if let Some(d) = &c.doc_number {
        s.push_str(&format!("  文号：{d}\n"));
    }
    if let Some(n) = &i.normative {
        let v = n.current();
        s.push_str(&format!("  {}，有效性：{}\n", n.kind.zh(), v.status.zh()));
    }
    if let Some(p) = &c.interprets {
        s.push_str(&format!("  解读对象：#{p}\n"));
    }
    if !v.interpretations.is_empty() {
        let ids: Vec<String> = v.interpretations.iter().map(|i| format!("#{i}")).collect();
        s.push_str(&format!("  政策解读：{}\n", ids.join("、")));
    }
    for a in &i.attachments {
        s.push_str(&format!("  附件：{}（{}字节）\n", a.name, a.size));
    }
    s.push_str(&format!("  时效：{}\n", v.timeliness.zh()));
    for step in i.workflow.steps() {
        s.push_str(&format!(
            "  - {} {} {}{}\n",
            when(step.at),
            step.by,
            step.action.zh(),
            step.note
                .as_deref()
                .map(|n| format!("：{n}"))
                .unwrap_or_default()
        ));
    }
    for f in &v.flags {
        s.push_str(&format!("  ! {f}\n"));
    }
    s
}

/// A timestamp in Beijing time, to the minute.
fn when(at: OffsetDateTime) -> String {
    let t = at.to_offset(gongkai_core::catalog::item::BEIJING);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

fn print(format: OutFormat, json: &Json, text: impl FnOnce() -> String) -> anyhow::Result<()> {
    let out = match format {
        OutFormat::Json => format!("{}\n", serde_json::to_string_pretty(json)?),
        OutFormat::Text => text(),
    };
    write_output(None, out.as_bytes())
}

async fn show_item(app: &App, id: i64, format: OutFormat) -> anyhow::Result<()> {
    let v = catalog::show(&app.db, &app.calendar, id, gongkai_app::today_in_china())
        .await
        .map_err(explain)?;
    print(format, &item_json(&v), || item_text(&v))
}

async fn run_async(cmd: CatalogCommand) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    match cmd {
        CatalogCommand::Create(a) => {
            let app = open(&a.data).await?;
            let agency = agency::find_agency_by_key(&app.db, &a.agency).await?;
            let item = catalog::create_item(
                &app.db,
                agency.id,
                &input(&a.fields, &agency.name)?,
                &a.by,
                now,
            )
            .await
            .map_err(explain)?;
            show_item(&app, item.id.parse()?, a.format).await
        }
        CatalogCommand::Revise(a) => {
            let app = open(&a.data).await?;
            let current =
                catalog::show(&app.db, &app.calendar, a.id, gongkai_app::today_in_china())
                    .await
                    .map_err(explain)?;
            let item = catalog::revise_item(
                &app.db,
                a.id,
                &input(&a.fields, &current.item.content.publisher)?,
                &a.by,
                now,
                a.note.as_deref(),
            )
            .await
            .map_err(explain)?;
            show_item(&app, item.id.parse()?, a.format).await
        }
        CatalogCommand::Act(a) => {
            let app = open(&a.data).await?;
            catalog::act(
                &app.db,
                a.id,
                a.step.action(),
                &a.by,
                now,
                a.note.as_deref(),
            )
            .await
            .map_err(explain)?;
            show_item(&app, a.id, a.format).await
        }
        CatalogCommand::Validity(a) => {
            let app = open(&a.data).await?;
            let status = ValidityStatus::from_key(&a.status).with_context(|| {
                format!("--status {:?}: use valid, expired or repealed", a.status)
            })?;
            catalog::change_validity(
                &app.db,
                a.id,
                status,
                date("effective-on", &a.effective_on)?,
                date("ends-on", &a.ends_on)?,
                &a.by,
                now,
                a.reason.as_deref(),
            )
            .await
            .map_err(explain)?;
            show_item(&app, a.id, a.format).await
        }
        CatalogCommand::Attach(a) => {
            let app = open(&a.data).await?;
            let bytes = read_file(&a.file)?;
            let name = match &a.name {
                Some(n) => n.clone(),
                None => file_name(&a.file)?,
            };
            catalog::attach(&app.db, a.id, &name, &bytes)
                .await
                .map_err(explain)?;
            show_item(&app, a.id, a.format).await
        }
        CatalogCommand::List(a) => {
            let app = open(&a.data).await?;
            let agency = agency::find_agency_by_key(&app.db, &a.agency).await?;
            let stage = match a.stage.as_deref() {
                None => None,
                Some(s) => Some(Stage::from_key(s).with_context(|| {
                    format!("--stage {s:?}: use draft, secrecy_review, review, approved, published or withdrawn")
                })?),
            };
            let filter = ItemFilter {
                stage,
                column: a.column.clone(),
            };
            let views = catalog::list(
                &app.db,
                &app.calendar,
                agency.id,
                &filter,
                gongkai_app::today_in_china(),
            )
            .await
            .map_err(explain)?;
            let views: Vec<&ItemView> = views
                .iter()
                .filter(|v| {
                    a.year
                        .is_none_or(|y| v.item.published_on().is_some_and(|d| d.year() == y))
                })
                .filter(|v| !a.flagged || !v.flags.is_empty())
                .collect();
            let json = Json::Array(views.iter().map(|v| item_json(v)).collect());
            print(a.format, &json, || {
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
        CatalogCommand::Show(a) => {
            let app = open(&a.data).await?;
            show_item(&app, a.id, a.format).await
        }
        CatalogCommand::Form(a) => {
            let app = open(&a.data).await?;
            let form = catalog::approval_form(&app.db, a.id)
                .await
                .map_err(explain)?;
            let bytes = match a.format {
                FormFormat::Html => form.to_html().into_bytes(),
                FormFormat::Docx => form.to_docx()?,
            };
            write_output(a.output.as_deref(), &bytes)
        }
        CatalogCommand::Stats(a) => {
            let app = open(&a.data).await?;
            let agency = agency::find_agency_by_key(&app.db, &a.agency).await?;
            let counts = catalog::proactive(&app.db, agency.id, a.year)
                .await
                .map_err(explain)?;
            let mut by_category = serde_json::Map::new();
            for (c, ids) in &counts.by_column {
                by_category.insert(c.clone(), json!(ids.len()));
            }
            let json = json!({
                "agency": agency.name,
                "year": a.year,
                "total": counts.total(),
                "by_category": by_category,
                "sentence": counts.sentence(),
            });
            print(a.format, &json, || format!("{}\n", counts.sentence()))
        }
        CatalogCommand::Table2(a) => {
            let app = open(&a.data).await?;
            let agency = agency::find_agency_by_key(&app.db, &a.agency).await?;
            catalog::enter_table2(
                &app.db,
                agency.id,
                a.year,
                &a.cell,
                &a.value,
                &a.by,
                a.note.as_deref(),
            )
            .await
            .map_err(explain)?;
            Ok(())
        }
        CatalogCommand::Doc(DocCommand::Put {
            data,
            agency,
            kind,
            title,
            file,
            by,
        }) => {
            let app = open(&data).await?;
            let agency = agency::find_agency_by_key(&app.db, &agency).await?;
            let kind = DocumentKind::from_key(&kind)
                .with_context(|| format!("--kind {kind:?}: use guide or rules"))?;
            let body = String::from_utf8(read_file(&file)?)
                .with_context(|| format!("{} is not UTF-8 text", file.display()))?;
            let doc = catalog::put_document(&app.db, agency.id, kind, &title, &body, &by)
                .await
                .map_err(explain)?;
            write_output(
                None,
                format!("{}（第{}版）\n", doc.title, doc.version).as_bytes(),
            )
        }
        CatalogCommand::Doc(DocCommand::List {
            data,
            agency,
            kind,
            format,
        }) => {
            let app = open(&data).await?;
            let agency = agency::find_agency_by_key(&app.db, &agency).await?;
            let kind = match kind.as_deref() {
                None => None,
                Some(k) => Some(
                    DocumentKind::from_key(k)
                        .with_context(|| format!("--kind {k:?}: use guide or rules"))?,
                ),
            };
            let docs = catalog::documents(&app.db, agency.id, kind)
                .await
                .map_err(explain)?;
            let json = Json::Array(
                docs.iter()
                    .map(|d| {
                        json!({"kind": d.kind, "title": d.title, "version": d.version,
                               "updated_by": d.updated_by, "body_html": d.body_html})
                    })
                    .collect(),
            );
            print(format, &json, || {
                docs.iter()
                    .map(|d| format!("{}\t{}\t第{}版\n", d.kind, d.title, d.version))
                    .collect()
            })
        }
        CatalogCommand::Config(a) => {
            let app = open(&a.data).await?;
            let agency = agency::find_agency_by_key(&app.db, &a.agency).await?;
            let cfg = match &a.set {
                Some(file) => {
                    let by =
                        a.by.as_deref()
                            .context("--set needs --by (who changes the settings)")?;
                    let text = String::from_utf8(read_file(file)?)
                        .with_context(|| format!("{} is not UTF-8 text", file.display()))?;
                    catalog::set_config(&app.db, agency.id, &text, by)
                        .await
                        .map_err(explain)?
                }
                None => catalog::config(&app.db, agency.id).await.map_err(explain)?,
            };
            let json = json!({
                "columns": cfg.columns,
                "interpretation_column": cfg.interpretation_column,
                "genres": cfg.genres,
                "subjects": cfg.subjects.categories.iter().map(|c| json!({
                    "label": c.label, "children": c.children,
                })).collect::<Vec<_>>(),
                "index_pattern": cfg.index_pattern.text(),
                "timeliness_working_days": cfg.timeliness_working_days,
                "attachments": {
                    "max_bytes": cfg.attachments.max_bytes,
                    "max_count": cfg.attachments.max_count,
                    "extensions": cfg.attachments.extensions,
                },
            });
            write_output(
                None,
                format!("{}\n", serde_json::to_string_pretty(&json)?).as_bytes(),
            )
        }
        CatalogCommand::Demo(data) => {
            let app = open(&data).await?;
            let s = catalog::demo::load_demo(&app.db).await.map_err(explain)?;
            write_output(None, format!("demo: {s}\n").as_bytes())
        }
    }
}

fn file_name(path: &Path) -> anyhow::Result<String> {
    match path.file_name().and_then(|n| n.to_str()) {
        Some(n) => Ok(n.to_string()),
        None => bail!("{} has no usable file name: give --name", path.display()),
    }
}
