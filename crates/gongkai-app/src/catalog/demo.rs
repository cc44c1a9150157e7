//! The demo data of the catalogue: the seed agency (淄博市张店区机关事务服务中心) with its 2021
//! catalogue — 85 items in the 13 columns whose counts are the seed report's section 一 — each
//! taken through the real workflow (拟稿 → 保密审查 → 审核 → 发布) at its historical dates by
//! the agency's demo staff (users created here, with the roles their steps need), its table 二
//! entries (no licences, penalties, coercive measures or fees in 2021), its 指南 and 制度
//! texts, its work records, its 领导小组 and assessments, and a review campaign (定期清理,
//! `demo/organisation.rs`).

mod organisation;

use super::{DocumentInput, Table2Input, act, create_item, enter_table2, publish, put_document};
use crate::App;
use crate::error::{AppError, Result};
use crate::user::{self, NewUserInput};
use gongkai_core::catalog::{Action, DocumentKind, ItemInput};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::catalog::{self as repo, ItemFilter};
use serde::Deserialize;
use std::collections::HashMap;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};

const CATALOG_JSON: &str = include_str!("../../../../data/demo/zhangdian-2021-catalog.json");
const DOCUMENTS_JSON: &str = include_str!("../../../../data/demo/zhangdian-documents.json");
const REPORT_JSON: &str = include_str!("../../../../data/demo/zhangdian-2021-report.json");
const WORK_JSON: &str = include_str!("../../../../data/demo/zhangdian-2021-work.json");

/// The demo agency's organisation code (fictional: the demo never claims a real one).
pub const DEMO_ORG_CODE: &str = "DEMO370303JGSW";
pub const DEMO_AGENCY: &str = "淄博市张店区机关事务服务中心";

/// A person of the demo workflow (fictional): user name, display name, roles.
struct DemoPerson {
    name: &'static str,
    display_name: &'static str,
    roles: &'static [Role],
}

/// 王明 drafts, submits and publishes (录入, 审核: he never reviews his own drafts), 李华 does
/// the confidentiality review (保密审查), 赵强 approves (审核, 负责人).
const DRAFTER: DemoPerson = DemoPerson {
    name: "wangming",
    display_name: "王明",
    roles: &[Role::Entry, Role::Review],
};
const SECRECY: DemoPerson = DemoPerson {
    name: "lihua",
    display_name: "李华",
    roles: &[Role::Secrecy],
};
const REVIEWER: DemoPerson = DemoPerson {
    name: "zhaoqiang",
    display_name: "赵强",
    roles: &[Role::Review, Role::Head],
};

#[derive(Deserialize)]
struct DemoCatalog {
    agency: String,
    region: Vec<String>,
    year: i32,
    items: Vec<DemoItem>,
}

#[derive(Deserialize)]
struct DemoItem {
    key: String,
    column: String,
    title: String,
    publisher: String,
    formed_on: String,
    published_at: String,
    genre: Option<String>,
    subject: Option<String>,
    summary: String,
    keywords: String,
    body_html: String,
    doc_number: Option<String>,
    interprets: Option<String>,
}

#[derive(Deserialize)]
struct DemoDocuments {
    documents: Vec<DemoDocument>,
}

#[derive(Deserialize)]
struct DemoDocument {
    kind: String,
    title: String,
    body_html: String,
}

/// What the loader did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub agency_id: AgencyId,
    pub items: usize,
    pub documents: usize,
    /// The user names of the demo staff.
    pub users: Vec<String>,
}

impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "agency {} with {} catalogue items and {} documents; staff users {}",
            self.agency_id,
            self.items,
            self.documents,
            self.users.join(", ")
        )
    }
}

fn bad(what: impl std::fmt::Display) -> AppError {
    AppError::Internal {
        message: format!("the built-in demo data does not read: {what}"),
        source: None,
    }
}

/// Finds or creates the demo agency (in its region, as `actor`, a 系统管理员) and returns its id.
pub async fn demo_agency(app: &App, actor: &Actor) -> Result<AgencyId> {
    let data: DemoCatalog = serde_json::from_str(CATALOG_JSON).map_err(bad)?;
    if let Ok(a) = crate::agency::find(app, &data.agency).await {
        return Ok(a.id);
    }
    let path = data.region.join("/");
    Ok(
        crate::agency::add_agency(app, actor, &path, &data.agency, Some(DEMO_ORG_CODE))
            .await?
            .id,
    )
}

/// The demo person's user: found by user name, or added (by the 安全管理员) for the demo
/// agency.
async fn demo_user(app: &App, actor: &Actor, person: &DemoPerson) -> Result<Actor> {
    scoped_user(app, actor, person.name, person, Some(DEMO_ORG_CODE), None).await
}

/// A demo user named `name` with the person's display name and roles, of `agency` or of
/// `region`: found by user name, or added by the installation's 安全管理员 (who alone adds
/// users; `actor`, who loads the demo, need not be one).
async fn scoped_user(
    app: &App,
    _actor: &Actor,
    name: &str,
    person: &DemoPerson,
    agency: Option<&str>,
    region: Option<gongkai_core::ids::RegionId>,
) -> Result<Actor> {
    let exists = user::list(app).await?.iter().any(|u| u.name == name);
    if !exists {
        user::add(
            app,
            &user::first_security(app).await?,
            NewUserInput {
                name: name.into(),
                display_name: Some(person.display_name.into()),
                roles: person.roles.to_vec(),
                agency: agency.map(str::to_string),
                region,
            },
        )
        .await?;
    }
    user::actor(app, Some(name)).await
}

/// The three people of the demo workflow.
struct DemoStaff {
    drafter: Actor,
    secrecy: Actor,
    reviewer: Actor,
}

impl DemoStaff {
    async fn load(app: &App, actor: &Actor) -> Result<DemoStaff> {
        Ok(DemoStaff {
            drafter: demo_user(app, actor, &DRAFTER).await?,
            secrecy: demo_user(app, actor, &SECRECY).await?,
            reviewer: demo_user(app, actor, &REVIEWER).await?,
        })
    }

    /// The same three people as staff of a district's region (`qu_` before their user names),
    /// who work on every agency in it: a user of one agency acts on that agency's catalogue
    /// only (`scope`).
    async fn load_for_region(
        app: &App,
        actor: &Actor,
        region: gongkai_core::ids::RegionId,
    ) -> Result<DemoStaff> {
        let one = |p: &'static DemoPerson| async move {
            scoped_user(app, actor, &format!("qu_{}", p.name), p, None, Some(region)).await
        };
        Ok(DemoStaff {
            drafter: one(&DRAFTER).await?,
            secrecy: one(&SECRECY).await?,
            reviewer: one(&REVIEWER).await?,
        })
    }

    /// Takes one demo item through the real workflow at its historical dates; `ids` resolves
    /// the key of the policy a 政策解读 interprets.
    async fn publish(
        &self,
        app: &App,
        agency_id: AgencyId,
        it: &DemoItem,
        ids: &HashMap<String, ItemId>,
    ) -> Result<ItemId> {
        let formed_on = Date::parse(
            &it.formed_on,
            &time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|e| bad(format!("{}: formed_on: {e}", it.key)))?;
        let published_at = OffsetDateTime::parse(&it.published_at, &Rfc3339)
            .map_err(|e| bad(format!("{}: published_at: {e}", it.key)))?;
        let interprets = match &it.interprets {
            Some(k) => Some(
                *ids.get(k)
                    .ok_or_else(|| bad(format!("{} interprets unknown {k}", it.key)))?,
            ),
            None => None,
        };
        let input = ItemInput {
            title: it.title.clone(),
            publisher: it.publisher.clone(),
            formed_on: Some(formed_on),
            changed_on: None,
            doc_number: it.doc_number.clone(),
            subject: it.subject.clone(),
            column: it.column.clone(),
            genre: it.genre.clone(),
            summary: it.summary.clone(),
            body_html: it.body_html.clone(),
            keywords: vec![it.keywords.clone()],
            normative: None,
            interprets,
        };
        let drafted_at = published_at - Duration::hours(3);
        let id = create_item(app, &self.drafter, agency_id, &input, drafted_at)
            .await?
            .item
            .id;
        act(
            app,
            &self.drafter,
            id,
            Action::Submit,
            None,
            published_at - Duration::hours(2),
        )
        .await?;
        act(
            app,
            &self.secrecy,
            id,
            Action::ClearSecrecy,
            Some("经审查，不涉及国家秘密、工作秘密，不涉及商业秘密和个人隐私，同意公开"),
            published_at - Duration::minutes(90),
        )
        .await?;
        act(
            app,
            &self.reviewer,
            id,
            Action::Approve,
            Some("同意发布"),
            published_at - Duration::hours(1),
        )
        .await?;
        publish(app, &self.drafter, id, published_at).await?;
        Ok(id)
    }
}

#[derive(Deserialize)]
struct DemoDistrict {
    region: Vec<String>,
    agencies: Vec<DistrictAgency>,
}

#[derive(Deserialize)]
struct DistrictAgency {
    agency: String,
    org_code: String,
    items: Vec<DemoItem>,
}

const DISTRICT_JSON: &str = include_str!("../../../../data/demo/district.json");

/// A small synthetic district beside the demo agency (the portal shows a region of several
/// units): a few agencies of 张店区, each with items taken through the workflow. Agencies that
/// already exist are left as they are. Returns the number of items published.
pub async fn load_district(app: &App, actor: &Actor) -> Result<usize> {
    let data: DemoDistrict = serde_json::from_str(DISTRICT_JSON).map_err(bad)?;
    let path = data.region.join("/");
    let region = crate::agency::add_region(app, actor, &path).await?;
    let staff = DemoStaff::load_for_region(app, actor, region.id).await?;
    let mut published = 0;
    for a in &data.agencies {
        if crate::agency::find(app, &a.org_code).await.is_ok() {
            continue;
        }
        let agency = crate::agency::add_agency(app, actor, &path, &a.agency, Some(&a.org_code))
            .await?
            .id;
        let ids = HashMap::new();
        for it in &a.items {
            staff.publish(app, agency, it, &ids).await?;
            published += 1;
        }
    }
    Ok(published)
}

/// Loads the demo catalogue into the demo agency, as `actor` (a 系统管理员, who adds the agency
/// and the demo staff when they are missing). Loading twice is refused (the catalogue is not
/// empty), so the counts stay those of the seed.
pub async fn load_demo(app: &App, actor: &Actor) -> Result<DemoSummary> {
    let data: DemoCatalog = serde_json::from_str(CATALOG_JSON).map_err(bad)?;
    let agency_id = demo_agency(app, actor).await?;
    if !repo::list_items(&app.db, agency_id, &ItemFilter::default())
        .await?
        .is_empty()
    {
        return Err(AppError::conflict(
            format!(
                "{} already has catalogue items: the demo catalogue is loaded only into an empty one",
                data.agency
            ),
            format!("{}已有目录信息，演示目录只能载入空目录", data.agency),
        ));
    }
    let staff = DemoStaff::load(app, actor).await?;
    let mut ids: HashMap<String, ItemId> = HashMap::new();
    for it in &data.items {
        let id = staff.publish(app, agency_id, it, &ids).await?;
        ids.insert(it.key.clone(), id);
    }
    let DemoStaff {
        drafter,
        secrecy,
        reviewer,
    } = staff;
    // Table 二 rows that staff enter: the agency had none of these in 2021.
    let note = "据本机关2021年度行政许可、行政处罚、行政强制和行政事业性收费台账填报：本年度均无";
    for cell in [
        "art20_5.admin_license.decisions",
        "art20_6.admin_penalty.decisions",
        "art20_6.admin_coercion.decisions",
        "art20_8.admin_fees.fee_amount",
    ] {
        enter_table2(
            app,
            &drafter,
            &Table2Input {
                agency: agency_id,
                year: data.year,
                cell: cell.into(),
                value: "0".into(),
                note: Some(note.into()),
            },
        )
        .await?;
    }
    let docs: DemoDocuments = serde_json::from_str(DOCUMENTS_JSON).map_err(bad)?;
    for d in &docs.documents {
        let kind =
            DocumentKind::from_key(&d.kind).ok_or_else(|| bad(format!("kind {}", d.kind)))?;
        put_document(
            app,
            &drafter,
            agency_id,
            &DocumentInput {
                kind,
                title: d.title.clone(),
                body_html: d.body_html.clone(),
            },
        )
        .await?;
    }
    record_work(app, &drafter).await?;
    organisation::record_organisation(app, &drafter).await?;
    publish_report(app, agency_id, &drafter, &reviewer).await?;
    organisation::review_catalogue(app, &drafter, &ids).await?;
    Ok(DemoSummary {
        agency_id,
        items: ids.len(),
        documents: docs.documents.len(),
        users: [&drafter, &secrecy, &reviewer]
            .iter()
            .map(|a| a.name.clone())
            .collect(),
    })
}

/// The seed agency's work records of 2021 (meetings, trainings, plans, rules).
#[derive(Deserialize)]
struct DemoWork {
    agency: String,
    records: Vec<DemoWorkRecord>,
    proposals: Vec<DemoProposal>,
}

#[derive(Deserialize)]
struct DemoProposal {
    kind: String,
    number: String,
    proposer: String,
    subject: String,
    handling: String,
    assigned: String,
    reply_on: String,
    result: String,
    reply: String,
}

#[derive(Deserialize)]
struct DemoWorkRecord {
    kind: String,
    on: String,
    title: String,
    participants: Option<i64>,
}

/// 王明 records the agency's 2021 work as it happened, each on its day at 17:00 Beijing time,
/// and the proposal it handled with its reply.
async fn record_work(app: &App, drafter: &Actor) -> Result<()> {
    use gongkai_core::proposal::{Handling, ProposalKind, ProposalResult};
    use gongkai_core::work::WorkKind;
    let data: DemoWork = serde_json::from_str(WORK_JSON).map_err(bad)?;
    let day =
        |s: &str| gongkai_core::calendar::parse_iso_date(s).ok_or_else(|| bad(format!("date {s}")));
    for r in data.records {
        let on = day(&r.on)?;
        let kind = WorkKind::parse(&r.kind).ok_or_else(|| bad(format!("kind {}", r.kind)))?;
        let at = time::PrimitiveDateTime::new(on, time::macros::time!(17:00))
            .assume_offset(time::macros::offset!(+8));
        crate::work::add(
            app,
            drafter,
            crate::work::WorkInput {
                agency: data.agency.clone(),
                kind,
                on,
                title: r.title,
                participants: r.participants,
                note: None,
            },
            on,
            at,
        )
        .await?;
    }
    for p in data.proposals {
        let assigned = day(&p.assigned)?;
        let added = crate::proposal::add(
            app,
            drafter,
            crate::proposal::ProposalInput {
                agency: data.agency.clone(),
                kind: ProposalKind::parse(&p.kind).ok_or_else(|| bad(&p.kind))?,
                number: p.number,
                proposer: p.proposer,
                subject: p.subject,
                handling: Handling::parse(&p.handling).ok_or_else(|| bad(&p.handling))?,
                assigned_on: assigned,
                due_on: None,
            },
            assigned,
            time::PrimitiveDateTime::new(assigned, time::macros::time!(17:00))
                .assume_offset(time::macros::offset!(+8)),
        )
        .await?;
        let on = day(&p.reply_on)?;
        crate::proposal::reply(
            app,
            drafter,
            added.id,
            crate::proposal::ReplyInput {
                on,
                result: ProposalResult::parse(&p.result).ok_or_else(|| bad(&p.result))?,
                reply: Some(p.reply),
                item: None,
            },
            on,
        )
        .await?;
    }
    Ok(())
}

/// The seed report's narrative, as the agency wrote it.
#[derive(Deserialize)]
struct DemoReport {
    year: i32,
    sections: std::collections::BTreeMap<String, String>,
}

/// The 2021 annual report written and published through the workflow: 王明 stores the seed's
/// sections and submits, 赵强 approves and publishes it on 2022-01-20 (before 31 January,
/// 条例 Art. 49); the tables are computed from the demo data.
async fn publish_report(
    app: &App,
    agency: AgencyId,
    drafter: &Actor,
    reviewer: &Actor,
) -> Result<()> {
    use crate::report::{narrative, workflow};
    use gongkai_core::report::workflow::Action;
    let data: DemoReport = serde_json::from_str(REPORT_JSON).map_err(bad)?;
    let on = time::macros::datetime!(2022-01-20 09:00 +08:00);
    let a = gongkai_store::repo::agency::find_agency(&app.db, agency.get()).await?;
    for (section, text) in &data.sections {
        narrative::set(
            app,
            drafter,
            a.key(),
            data.year,
            section,
            Some(text.as_str()),
            on,
        )
        .await?;
    }
    for (who, action) in [
        (drafter, Action::Submit),
        (reviewer, Action::Approve),
        (reviewer, Action::Publish),
    ] {
        workflow::act(app, who, a.key(), data.year, action, Default::default(), on).await?;
    }
    Ok(())
}
