//! 建议提案 (docs/proposals.md): a 录入 user of the agency records each NPC suggestion and
//! CPPCC proposal assigned to it, then its reply and result, with the reply as published in the
//! catalogue's 建议提案 column. Section 六 of the annual report and its `figures` count them.

use crate::App;
use crate::access::{require_sees, require_write};
use crate::error::{AppError, Result};
use gongkai_core::catalog::Stage;
use gongkai_core::ids::ItemId;
use gongkai_core::proposal::{
    Handling, Proposal, ProposalKind, ProposalNumber, ProposalResult, ProposalYear,
};
use gongkai_core::user::{Actor, Role};
use gongkai_store::StoreError;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::catalog as catalog_repo;
use gongkai_store::repo::proposal::{self as repo, NewProposal, ProposalRow, Reply};
use serde::Serialize;
use time::{Date, OffsetDateTime};

const RECORD: (Role, &str, &str) = (Role::Entry, "record 建议提案", "登记建议提案");

/// The catalogue column replies are published in.
pub const REPLY_COLUMN: &str = "建议提案";

/// The usual period to answer (交办 to reply): three months, unless the 交办 sets another.
pub const USUAL_MONTHS: u8 = 3;

/// Whether `actor` holds the role to record proposals (the scope is checked per agency).
pub fn may_write(actor: &Actor) -> Result<()> {
    let (role, en, zh) = RECORD;
    crate::access::require(actor, role, en, zh)
}

/// A proposal assigned to the agency.
#[derive(Debug, Clone)]
pub struct ProposalInput {
    pub agency: String,
    pub kind: ProposalKind,
    pub number: String,
    pub proposer: String,
    pub subject: String,
    pub handling: Handling,
    pub assigned_on: Date,
    /// When the 交办 sets it; else [`USUAL_MONTHS`] after `assigned_on`.
    pub due_on: Option<Date>,
}

/// Its reply.
#[derive(Debug, Clone)]
pub struct ReplyInput {
    pub on: Date,
    pub result: ProposalResult,
    pub reply: Option<String>,
    /// The reply as published in the catalogue.
    pub item: Option<i64>,
}

/// A proposal as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposalView {
    pub id: i64,
    pub agency_id: i64,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub number: String,
    pub proposer: String,
    pub subject: String,
    pub handling: &'static str,
    pub handling_label: &'static str,
    pub assigned_on: String,
    pub due_on: String,
    pub replied_on: Option<String>,
    pub result: Option<&'static str>,
    pub result_label: Option<&'static str>,
    pub reply: Option<String>,
    /// The public page of the published reply.
    pub reply_href: Option<String>,
    pub recorded_by: String,
}

fn corrupt(r: &ProposalRow, what: &str) -> AppError {
    AppError::Store(StoreError::Inconsistent(format!(
        "proposal {}: unknown {what}",
        r.id
    )))
}

struct Parsed {
    kind: ProposalKind,
    handling: Handling,
    result: Option<ProposalResult>,
}

fn parsed(r: &ProposalRow) -> Result<Parsed> {
    Ok(Parsed {
        kind: ProposalKind::parse(&r.kind).ok_or_else(|| corrupt(r, "kind"))?,
        handling: Handling::parse(&r.handling).ok_or_else(|| corrupt(r, "handling"))?,
        result: match &r.result {
            None => None,
            Some(k) => Some(ProposalResult::parse(k).ok_or_else(|| corrupt(r, "result"))?),
        },
    })
}

impl ProposalView {
    fn from_row(r: ProposalRow) -> Result<ProposalView> {
        let p = parsed(&r)?;
        let iso = gongkai_core::calendar::iso;
        Ok(ProposalView {
            id: r.id,
            agency_id: r.agency_id,
            kind: p.kind.key(),
            kind_label: p.kind.label(),
            number: r.number,
            proposer: r.proposer,
            subject: r.subject,
            handling: p.handling.key(),
            handling_label: p.handling.label(),
            assigned_on: iso(r.assigned_on),
            due_on: iso(r.due_on),
            replied_on: r.replied_on.map(iso),
            result: p.result.map(ProposalResult::key),
            result_label: p.result.map(ProposalResult::label),
            reply: r.reply,
            reply_href: r.reply_item_id.map(|id| format!("/items/{id}")),
            recorded_by: r.created_actor,
        })
    }
}

/// One line of text, at most `max` characters, or the field's message.
fn line(value: &str, max: usize, (en, zh): (&str, &str)) -> Result<String> {
    let t: String = value
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}'))
        .collect();
    let t = t.trim().to_string();
    if t.is_empty() {
        return Err(AppError::invalid(
            format!("{en} is empty"),
            format!("{zh}不能为空"),
        ));
    }
    if t.chars().count() > max {
        return Err(AppError::invalid(
            format!("{en} is longer than {max} characters"),
            format!("{zh}不能超过{max}个字符"),
        ));
    }
    Ok(t)
}

fn check_day(on: Date, today: Date, zh: &str) -> Result<()> {
    if on > today || on.year() < 2008 {
        return Err(AppError::invalid(
            format!("the day {on} is not between 2008 and today ({today})"),
            format!("{zh}{on}有误：应在2008年至今天（{today}）之间"),
        ));
    }
    Ok(())
}

/// Records a proposal assigned to the agency.
pub async fn add(
    app: &App,
    actor: &Actor,
    input: ProposalInput,
    today: Date,
    now: OffsetDateTime,
) -> Result<ProposalView> {
    let agency = agency_repo::find_agency_by_key(&app.db, &input.agency).await?;
    require_write(app, actor, agency.id, &agency.name, RECORD).await?;
    let number = ProposalNumber::parse(&input.number, input.kind)
        .map_err(|zh| {
            AppError::invalid(
                format!(
                    "{:?} is not a {} number: write it as …届…次会议第…号",
                    input.number.trim(),
                    input.kind.key()
                ),
                zh,
            )
        })?
        .text();
    let proposer = line(&input.proposer, 100, ("the proposer", "提出人"))?;
    let subject = line(&input.subject, 200, ("the subject", "案由"))?;
    check_day(input.assigned_on, today, "交办日期")?;
    let due_on = match input.due_on {
        Some(d) => d,
        None => add_months(input.assigned_on, USUAL_MONTHS)
            .ok_or_else(|| AppError::invalid("no due date", "无法计算办理期限"))?,
    };
    if due_on < input.assigned_on {
        return Err(AppError::invalid(
            format!("the due date {due_on} is before the day assigned"),
            format!("办理期限{due_on}早于交办日期"),
        ));
    }
    let mut tx = app.db.begin().await?;
    let row = repo::insert(
        &mut tx,
        &NewProposal {
            agency_id: agency.id,
            kind: input.kind.key(),
            number: &number,
            proposer: &proposer,
            subject: &subject,
            handling: input.handling.key(),
            assigned_on: input.assigned_on,
            due_on,
            user_id: actor.id.get(),
            actor: &actor.display_name,
            at: now,
        },
    )
    .await
    .map_err(|e| match e {
        StoreError::Conflict(_) => AppError::conflict(
            format!("{number} is already recorded for {}", agency.name),
            format!("{}已登记过{number}", agency.name),
        ),
        e => e.into(),
    })?;
    tx.commit().await?;
    ProposalView::from_row(row)
}

/// The same day `months` later (the month's last day when it has no such day).
fn add_months(d: Date, months: u8) -> Option<Date> {
    let total = d.month() as i32 - 1 + i32::from(months);
    let year = d.year() + total / 12;
    let month = time::Month::try_from((total % 12 + 1) as u8).ok()?;
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.day().min(last)).ok()
}

/// Records the reply of proposal `id` (once).
pub async fn reply(
    app: &App,
    actor: &Actor,
    id: i64,
    input: ReplyInput,
    today: Date,
) -> Result<ProposalView> {
    let not_found = || AppError::not_found("proposal", id);
    let row = match repo::find(&app.db, id).await {
        Ok(r) => r,
        Err(StoreError::NotFound { .. }) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    require_write(app, actor, row.agency_id, &id.to_string(), RECORD)
        .await
        .map_err(|e| match e.kind() {
            crate::error::ErrorKind::NotFound => not_found(),
            _ => e,
        })?;
    check_day(input.on, today, "答复日期")?;
    if input.on < row.assigned_on {
        return Err(AppError::invalid(
            format!("the reply {} is before the day assigned", input.on),
            format!("答复日期{}早于交办日期{}", input.on, row.assigned_on),
        ));
    }
    if let Some(item) = input.item {
        let bad = || {
            AppError::invalid(
                format!(
                    "catalogue item {item} is not a published item of the agency in the {REPLY_COLUMN} column"
                ),
                format!("目录信息{item}不是本机关“{REPLY_COLUMN}”栏目中已发布的信息"),
            )
        };
        match catalog_repo::find_item(&app.db, ItemId::new(item)).await {
            Ok(it)
                if it.agency.get() == row.agency_id
                    && it.stage() == Stage::Published
                    && it.content.column == REPLY_COLUMN => {}
            Ok(_) | Err(StoreError::NotFound { .. }) => return Err(bad()),
            Err(e) => return Err(e.into()),
        }
    }
    let text = input
        .reply
        .as_deref()
        .map(|t| {
            t.chars()
                .filter(|c| !c.is_control() || *c == '\n')
                .collect::<String>()
        })
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let mut tx = app.db.begin().await?;
    let done = repo::set_reply(
        &mut tx,
        id,
        &Reply {
            replied_on: input.on,
            result: input.result.key(),
            reply: text.as_deref(),
            reply_item_id: input.item,
            user_id: actor.id.get(),
            actor: &actor.display_name,
        },
    )
    .await?;
    if !done {
        return Err(AppError::conflict(
            format!("{} was already answered", row.number),
            format!("{}已登记答复", row.number),
        ));
    }
    tx.commit().await?;
    ProposalView::from_row(repo::find(&app.db, id).await?)
}

/// The agency's proposals assigned in `year` (every year when `None`).
pub async fn list(
    app: &App,
    actor: &Actor,
    agency: &str,
    year: Option<i32>,
) -> Result<Vec<ProposalView>> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    require_sees(app, actor, agency.id, &agency.name).await?;
    repo::list(&app.db, agency.id, year)
        .await?
        .into_iter()
        .map(ProposalView::from_row)
        .collect()
}

/// The agency's proposals of `year` as section 六 counts them.
pub async fn year_of(app: &App, agency_id: i64, year: i32) -> Result<ProposalYear> {
    let mut all = Vec::new();
    for r in repo::list(&app.db, agency_id, Some(year)).await? {
        let p = parsed(&r)?;
        all.push(Proposal {
            kind: p.kind,
            number: r.number,
            assigned_on: r.assigned_on,
            result: p.result,
        });
    }
    Ok(ProposalYear::tally(&all, year))
}
