//! The demo agency's organisation of its disclosure work (docs/organisation.md) and a review of
//! its catalogue (定期清理, docs/cleanup.md), recorded through the use cases as its staff would
//! have recorded them on the days they happened (`data/demo/zhangdian-2021-organisation.json`):
//! the 领导小组 adjusted in 2021, the leader in charge and the officer responsible, the year's
//! two assessment rounds with their findings put right, and a 2022 review campaign whose
//! decisions change no figure of the seed report (保留 only; the rest is left open).

use super::bad;
use crate::App;
use crate::cleanup::{self, CampaignInput, DecisionInput};
use crate::error::Result;
use crate::organisation::{self, AppointmentInput, RoundInput};
use gongkai_core::cleanup::{Decision, ReviewRules};
use gongkai_core::ids::ItemId;
use gongkai_core::organisation::Duty;
use gongkai_core::user::Actor;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use time::{Date, Duration, OffsetDateTime};

const ORGANISATION_JSON: &str =
    include_str!("../../../../../data/demo/zhangdian-2021-organisation.json");

#[derive(Deserialize)]
struct DemoOrganisation {
    agency: String,
    appointments: Vec<DemoAppointment>,
    assessments: Vec<DemoRound>,
    cleanup: DemoCampaign,
}

#[derive(Deserialize)]
struct DemoAppointment {
    duty: String,
    name: String,
    post: String,
    section: Option<String>,
    from: String,
    until: Option<String>,
}

#[derive(Deserialize)]
struct DemoRound {
    on: String,
    title: String,
    results: Vec<String>,
    /// Section → the day its finding was put right.
    #[serde(default)]
    rectified: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct DemoCampaign {
    as_of: String,
    title: String,
    older_than: u8,
    normative_term: u8,
    keep: Vec<DemoKeep>,
}

#[derive(Deserialize)]
struct DemoKeep {
    /// The key of the demo item.
    item: String,
    reason: String,
}

fn day(s: &str) -> Result<Date> {
    gongkai_core::calendar::parse_iso_date(s).ok_or_else(|| bad(format!("date {s}")))
}

/// 17:00 Beijing time on `on`: when the record was made.
fn at(on: Date) -> OffsetDateTime {
    time::PrimitiveDateTime::new(on, time::macros::time!(17:00))
        .assume_offset(time::macros::offset!(+8))
}

/// 王明 (录入) records the appointments, each on its first day (a departure on the day after
/// the last one served), and the assessment rounds with their 整改.
pub(super) async fn record_organisation(app: &App, clerk: &Actor) -> Result<()> {
    let data: DemoOrganisation = serde_json::from_str(ORGANISATION_JSON).map_err(bad)?;
    for a in &data.appointments {
        let from = day(&a.from)?;
        let duty = Duty::parse(&a.duty).ok_or_else(|| bad(format!("duty {}", a.duty)))?;
        let view = organisation::appoint(
            app,
            clerk,
            &AppointmentInput {
                agency: data.agency.clone(),
                duty,
                name: a.name.clone(),
                post: a.post.clone(),
                section: a.section.clone(),
                from,
                until: None,
            },
            from,
            at(from),
        )
        .await?;
        if let Some(until) = &a.until {
            let until = day(until)?;
            let recorded = until + Duration::days(1);
            organisation::end(app, clerk, view.id, until, recorded, at(recorded)).await?;
        }
    }
    for r in &data.assessments {
        let on = day(&r.on)?;
        let round = organisation::add_round(
            app,
            clerk,
            &RoundInput {
                agency: data.agency.clone(),
                on,
                title: r.title.clone(),
                results: r.results.join("\n"),
            },
            on,
            at(on),
        )
        .await?;
        for (section, rectified) in &r.rectified {
            let result = round
                .results
                .iter()
                .find(|x| &x.section == section)
                .ok_or_else(|| bad(format!("{}: no section {section}", r.title)))?;
            let rectified = day(rectified)?;
            organisation::rectify(app, clerk, result.id, rectified, rectified, at(rectified))
                .await?;
        }
    }
    Ok(())
}

/// 王明 starts the 2022 review campaign and keeps the items the data names (`ids`: the demo
/// items by key); the other entries stay open for the clerk.
pub(super) async fn review_catalogue(
    app: &App,
    clerk: &Actor,
    ids: &HashMap<String, ItemId>,
) -> Result<()> {
    let data: DemoOrganisation = serde_json::from_str(ORGANISATION_JSON).map_err(bad)?;
    let c = &data.cleanup;
    let as_of = day(&c.as_of)?;
    let started = at(as_of) - Duration::hours(7);
    let campaign = cleanup::start(
        app,
        clerk,
        &CampaignInput {
            agency: data.agency.clone(),
            title: Some(c.title.clone()),
            rules: ReviewRules {
                max_age_years: c.older_than,
                normative_term_years: c.normative_term,
            },
        },
        as_of,
        started,
    )
    .await?;
    for (n, k) in c.keep.iter().enumerate() {
        let item = ids
            .get(&k.item)
            .ok_or_else(|| bad(format!("cleanup keeps unknown item {}", k.item)))?;
        cleanup::decide(
            app,
            clerk,
            campaign.summary.id,
            item.get(),
            &DecisionInput {
                decision: Decision::Keep,
                on: None,
                reason: Some(k.reason.clone()),
            },
            started + Duration::minutes(10 * (n as i64 + 1)),
        )
        .await?;
    }
    Ok(())
}
