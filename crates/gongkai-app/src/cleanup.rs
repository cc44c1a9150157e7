//! Periodic review of published information (定期清理, docs/cleanup.md): a 录入 or 审核 user
//! starts a campaign, which lists the agency's published items due for review and why; each
//! decision (keep, mark 失效/废止, withdraw) is made on the item and recorded on the campaign in
//! one transaction, so table 二's counts and the portal follow at once.

use crate::App;
use crate::catalog::access::{for_action, require_any};
use crate::catalog::scope;
use crate::error::{AppError, Result};
use gongkai_core::calendar::iso;
use gongkai_core::catalog::{Action, Signer, Stage, Validity, ValidityStatus};
use gongkai_core::cleanup::{self, Decision, ItemFacts, Reason, ReviewRules, Tally};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::catalog as catalog_repo;
use gongkai_store::repo::cleanup::{self as repo, CampaignRow, EntryRow, NewCampaign, NewDecision};
use serde::Serialize;
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

const REVIEW_ROLES: &[Role] = &[Role::Entry, Role::Review];

/// The check of starting a campaign that needs no record, for a front end to make before it
/// reads a form: 录入 or 审核.
pub fn may_review(actor: &Actor) -> Result<()> {
    require_any(
        actor,
        REVIEW_ROLES,
        "review published information",
        "开展定期清理",
    )
}

/// A campaign to start.
#[derive(Debug, Clone)]
pub struct CampaignInput {
    /// The agency, by name or code.
    pub agency: String,
    /// Its title; 「{today}定期清理」 when none is given.
    pub title: Option<String>,
    pub rules: ReviewRules,
}

/// A campaign as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignSummary {
    pub id: i64,
    pub agency_id: i64,
    pub title: String,
    pub as_of: String,
    pub max_age_years: i32,
    pub normative_term_years: i32,
    pub started_by: String,
    pub tally: Tally,
    /// 「清理信息N条，…」.
    pub sentence: String,
}

/// One listed item, its reasons and its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryView {
    pub item_id: i64,
    pub title: String,
    pub index_number: Option<String>,
    pub column: String,
    pub normative: bool,
    pub reasons: Vec<String>,
    pub reason_keys: Vec<&'static str>,
    pub decision: Option<&'static str>,
    pub decision_label: Option<&'static str>,
    pub effective_on: Option<String>,
    pub note: Option<String>,
    pub decided_by: Option<String>,
}

/// A campaign with its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignView {
    #[serde(flatten)]
    pub summary: CampaignSummary,
    pub agency: String,
    pub entries: Vec<EntryView>,
}

fn corrupt(what: String) -> AppError {
    AppError::Store(gongkai_store::StoreError::Inconsistent(what))
}

fn decision_of(key: Option<&str>, campaign: i64) -> Result<Option<Decision>> {
    key.map(|k| {
        Decision::parse(k).ok_or_else(|| corrupt(format!("campaign {campaign}: decision {k:?}")))
    })
    .transpose()
}

fn summary(row: CampaignRow, decisions: &[Option<String>]) -> Result<CampaignSummary> {
    let tally = Tally::of(
        decisions
            .iter()
            .map(|d| decision_of(d.as_deref(), row.id))
            .collect::<Result<Vec<_>>>()?,
    );
    Ok(CampaignSummary {
        id: row.id,
        agency_id: row.agency_id,
        title: row.title,
        as_of: iso(row.as_of),
        max_age_years: row.max_age_years,
        normative_term_years: row.normative_term_years,
        started_by: row.created_actor,
        sentence: tally.sentence(),
        tally,
    })
}

fn entry_view(r: EntryRow) -> Result<EntryView> {
    let reasons: Vec<Reason> = serde_json::from_str(&r.reasons).map_err(|e| {
        corrupt(format!(
            "campaign {} item {}: {e}",
            r.campaign_id, r.item_id
        ))
    })?;
    let decision = decision_of(r.decision.as_deref(), r.campaign_id)?;
    Ok(EntryView {
        item_id: r.item_id,
        title: r.title,
        index_number: r.index_number,
        column: r.column_name,
        normative: r.normative_kind.is_some(),
        reason_keys: reasons.iter().map(Reason::key).collect(),
        reasons: reasons.iter().map(Reason::zh).collect(),
        decision: decision.map(Decision::key),
        decision_label: decision.map(Decision::label),
        effective_on: r.effective_on.map(iso),
        note: r.note,
        decided_by: r.decided_actor,
    })
}

fn check_rules(rules: ReviewRules) -> Result<()> {
    for (n, zh) in [
        (rules.max_age_years, "信息发布年限"),
        (rules.normative_term_years, "规范性文件评估年限"),
    ] {
        if n == 0 || n > cleanup::MAX_YEARS {
            return Err(AppError::invalid(
                format!("{n} years is not between 1 and {}", cleanup::MAX_YEARS),
                format!("{zh}应在1至{}年之间", cleanup::MAX_YEARS),
            ));
        }
    }
    Ok(())
}

/// Reads what the review looks at of each published item of the agency and returns those due,
/// with their reasons. Attachments are hashed one at a time.
async fn due_items(
    app: &App,
    agency: i64,
    rules: ReviewRules,
    today: Date,
) -> Result<Vec<(i64, Vec<Reason>)>> {
    let columns = crate::catalog::config::load(&app.db, AgencyId::new(agency))
        .await?
        .columns;
    let mut damaged: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for a in repo::published_attachments(&app.db, agency).await? {
        let bytes = repo::attachment_bytes(&app.db, a.id).await?;
        if bytes.len() as i64 != a.size || gongkai_catalog::sha256_hex(&bytes) != a.sha256 {
            damaged.entry(a.item_id).or_default().push(a.name);
        }
    }
    let mut dead: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (id, body) in repo::bodies_with_item_links(&app.db, agency).await? {
        for (href, target) in cleanup::item_links(&body) {
            let stage = repo::item_stage(&app.db, target).await?;
            if stage.as_deref() != Some(Stage::Published.key()) {
                dead.entry(id).or_default().push(href);
            }
        }
    }
    let mut out = Vec::new();
    for r in repo::published_items(&app.db, agency).await? {
        let validity = match (&r.normative_kind, r.v_status.as_deref()) {
            (Some(_), Some(s)) => Some(Validity {
                status: ValidityStatus::from_key(s)
                    .ok_or_else(|| corrupt(format!("item {}: validity {s:?}", r.id)))?,
                effective_on: r.v_effective_on,
                ends_on: r.v_ends_on,
            }),
            _ => None,
        };
        let facts = ItemFacts {
            published_on: r.published_on,
            formed_on: r.formed_on,
            column: r.column_name,
            validity,
            damaged_attachments: damaged.remove(&r.id).unwrap_or_default(),
            dead_links: dead.remove(&r.id).unwrap_or_default(),
        };
        let reasons = cleanup::reasons(&facts, rules, &columns, today);
        if !reasons.is_empty() {
            out.push((r.id, reasons));
        }
    }
    Ok(out)
}

/// Starts a campaign over the agency's published items as of `today`.
pub async fn start(
    app: &App,
    actor: &Actor,
    input: &CampaignInput,
    today: Date,
    now: OffsetDateTime,
) -> Result<CampaignView> {
    may_review(actor)?;
    let agency = agency_repo::find_agency_by_key(&app.db, &input.agency).await?;
    scope::check_agency(&app.db, actor, AgencyId::new(agency.id)).await?;
    check_rules(input.rules)?;
    let title = match input
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(t) => gongkai_core::work::clean_title(t).map_err(|r| AppError::invalid(r.en, r.zh))?,
        None => format!("{}定期清理", iso(today)),
    };
    let due = due_items(app, agency.id, input.rules, today).await?;
    let entries = due
        .iter()
        .map(|(id, reasons)| {
            serde_json::to_string(reasons)
                .map(|json| (*id, json))
                .map_err(|e| corrupt(e.to_string()))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut tx = app.db.begin().await?;
    let id = repo::insert(
        &mut tx,
        &NewCampaign {
            agency_id: agency.id,
            title: &title,
            as_of: today,
            max_age_years: i32::from(input.rules.max_age_years),
            normative_term_years: i32::from(input.rules.normative_term_years),
            user_id: actor.id.get(),
            actor: &actor.display_name,
            at: now,
        },
        &entries,
    )
    .await?;
    tx.commit().await?;
    show(app, actor, id).await
}

/// The campaign and the agency it belongs to, refused as not found out of the actor's scope.
async fn campaign_for(app: &App, actor: &Actor, id: i64) -> Result<CampaignRow> {
    let not_found = || AppError::not_found("cleanup campaign", id);
    let row = match repo::find(&app.db, id).await {
        Ok(r) => r,
        Err(gongkai_store::StoreError::NotFound { .. }) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    if !scope::in_scope(&app.db, actor, AgencyId::new(row.agency_id)).await? {
        return Err(not_found());
    }
    Ok(row)
}

/// A campaign with its entries.
pub async fn show(app: &App, actor: &Actor, id: i64) -> Result<CampaignView> {
    let row = campaign_for(app, actor, id).await?;
    let agency = agency_repo::find_agency(&app.db, row.agency_id).await?;
    let entries = repo::entries(&app.db, id)
        .await?
        .into_iter()
        .map(entry_view)
        .collect::<Result<Vec<_>>>()?;
    let decisions: Vec<Option<String>> = entries
        .iter()
        .map(|e| e.decision.map(str::to_string))
        .collect();
    Ok(CampaignView {
        summary: summary(row, &decisions)?,
        agency: agency.name,
        entries,
    })
}

/// The agency's campaigns, newest first.
pub async fn list(app: &App, actor: &Actor, agency: &str) -> Result<Vec<CampaignSummary>> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    scope::check_agency(&app.db, actor, AgencyId::new(agency.id)).await?;
    repo::list(&app.db, agency.id)
        .await?
        .into_iter()
        .map(|(row, decisions)| summary(row, &decisions))
        .collect()
}

/// A decision on one listed item.
#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub decision: Decision,
    /// The day a 失效 or 废止 takes effect (the first day no longer in force).
    pub on: Option<Date>,
    pub reason: Option<String>,
}

/// Records the decision on item `item` of campaign `campaign`, making the change on the item
/// in the same transaction. Refused with nothing written: an item of another agency or not
/// listed, a second decision, a change the item cannot take.
pub async fn decide(
    app: &App,
    actor: &Actor,
    campaign: i64,
    item: i64,
    input: &DecisionInput,
    now: OffsetDateTime,
) -> Result<EntryView> {
    match input.decision {
        Decision::Withdraw => {
            let (roles, en, zh) = for_action(Action::Withdraw, Stage::Published);
            require_any(actor, roles, en, zh)?;
        }
        _ => may_review(actor)?,
    }
    let row = campaign_for(app, actor, campaign).await?;
    let agency = agency_repo::find_agency(&app.db, row.agency_id).await?;
    let id = ItemId::new(item);
    let owner = match catalog_repo::find_item(&app.db, id).await {
        Ok(i) => i.agency,
        Err(gongkai_store::StoreError::NotFound { .. }) => {
            return Err(AppError::not_found("catalogue item", item));
        }
        Err(e) => return Err(e.into()),
    };
    if owner.get() != row.agency_id {
        return Err(AppError::invalid(
            format!("item {item} belongs to another agency than {}", agency.name),
            format!(
                "目录信息{item}不属于{}，不能在本机关的定期清理中处理",
                agency.name
            ),
        ));
    }
    let Some(entry) = repo::entry(&app.db, campaign, item).await? else {
        return Err(AppError::invalid(
            format!("item {item} is not listed in campaign {campaign}"),
            format!("目录信息{item}不在“{}”的清理清单中", row.title),
        ));
    };
    if entry.decision.is_some() {
        return Err(already(&entry));
    }
    let reason = input
        .reason
        .as_deref()
        .map(|r| {
            r.chars()
                .filter(|c| !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}'))
                .collect::<String>()
                .trim()
                .to_string()
        })
        .filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(AppError::invalid(
            "the reason is longer than 500 characters",
            "理由不能超过500个字符",
        ));
    }
    cleanup::check_decision(
        input.decision,
        entry.normative_kind.is_some(),
        input.on,
        reason.as_deref(),
    )
    .map_err(|e| AppError::invalid(e.en, e.zh))?;

    let by = Signer::from(actor);
    let mut tx = app.db.begin().await?;
    let mut it = catalog_repo::find_item(&mut tx, id).await?;
    let loaded = it.stage();
    let changed = match input.decision {
        Decision::Keep => Ok(false),
        Decision::Withdraw => it
            .act(Action::Withdraw, &by, now, reason.as_deref())
            .map(|_| true),
        d => {
            let status = d.validity_status().unwrap_or(ValidityStatus::Valid);
            let effective = it.normative.as_ref().and_then(|n| n.current().effective_on);
            Validity::new(status, effective, input.on).and_then(|v| {
                it.change_validity(v, &by, now, reason.as_deref())
                    .map(|_| true)
            })
        }
    };
    let changed = match changed {
        Ok(c) => c,
        Err(e) => {
            tx.rollback().await?;
            return Err(e.into());
        }
    };
    if changed {
        catalog_repo::save_item(&mut tx, &it, loaded).await?;
    }
    let recorded = repo::decide(
        &mut tx,
        campaign,
        item,
        &NewDecision {
            decision: input.decision.key(),
            effective_on: input
                .on
                .filter(|_| input.decision.validity_status().is_some()),
            note: reason.as_deref(),
            user_id: actor.id.get(),
            actor: &actor.display_name,
            at: now,
        },
    )
    .await?;
    if !recorded {
        tx.rollback().await?;
        let entry = repo::entry(&app.db, campaign, item).await?;
        return Err(entry
            .as_ref()
            .map_or_else(|| AppError::not_found("cleanup entry", item), already));
    }
    tx.commit().await?;
    match repo::entry(&app.db, campaign, item).await? {
        Some(e) => entry_view(e),
        None => Err(AppError::not_found("cleanup entry", item)),
    }
}

fn already(entry: &EntryRow) -> AppError {
    let label = entry
        .decision
        .as_deref()
        .and_then(Decision::parse)
        .map_or("", Decision::label);
    AppError::conflict(
        format!("item {} was already decided ({label})", entry.item_id),
        format!("目录信息“{}”已处理（{label}），不能再次处理", entry.title),
    )
}
