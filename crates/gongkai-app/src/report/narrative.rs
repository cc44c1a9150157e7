//! The report's narrative (docs/rules/annual-report.md#narrative): the sections staff wrote
//! for an agency's year, else the drafts generated from the data; and section 六's fee figures
//! from the applications' fee events.

use super::workflow::{load_steps, refusal, require_report_role};
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::application::Event;
use gongkai_core::report::AnnualReport;
use gongkai_core::report::narrative::{self, FeeYear, MAX_SECTION_CHARS, Section};
use gongkai_core::report::workflow::Action;
use gongkai_core::user::Actor;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::report as repo;
use serde::Serialize;
use time::OffsetDateTime;

/// Fills the narrative of a computed report: section 六's fee figures, then each section's
/// stored text, else its draft. Section 一's draft (the catalogue's paragraph) is already in
/// `report.sections.overview`; the applications paragraph is added to it.
pub async fn fill(app: &App, agency_id: i64, year: i32, report: &mut AnnualReport) -> Result<()> {
    let fees = fee_year(app, agency_id, year).await?;
    narrative::set_fee_figures(report, &fees);
    let work = crate::work::year_of(app, agency_id, year).await?;
    work.set_figures(report);
    let proposals = crate::proposal::year_of(app, agency_id, year).await?;
    let organisation = crate::organisation::year_of(app, agency_id, year).await?;
    proposals.set_figures(report);
    let feedback = crate::feedback::year_of(app, agency_id, year).await?;
    feedback.set_figures(report);
    let applications = report
        .table3
        .get(
            gongkai_core::report::T3Row::NewReceived,
            gongkai_core::report::T3Col::Total,
        )
        .value
        .number()
        .and_then(|d| u64::try_from(d).ok());
    let catalogue = report.sections.overview.take();
    let drafts = [
        (
            Section::Intro,
            Some(narrative::intro_draft(&report.agency, year)),
        ),
        (
            Section::Overview,
            join(
                join(
                    join(catalogue, narrative::applications_paragraph(report)),
                    organisation.organisation.clone(),
                ),
                supervision_paragraph(
                    work.paragraph(),
                    // Then the public's evaluation (docs/feedback.md#what-the-report-says).
                    Some(
                        organisation.assessment_sentence().unwrap_or_default()
                            + &feedback.sentence(),
                    ),
                ),
            ),
        ),
        (Section::Problems, Some(narrative::problems_draft(year))),
        (
            Section::Other,
            Some(narrative::other_draft(
                year,
                &fees,
                applications,
                proposals.sentence(),
            )),
        ),
    ];
    for (section, draft) in drafts {
        *section.slot(&mut report.sections) = draft;
    }
    for row in repo::narrative(&app.db, agency_id, year).await? {
        if let Some(section) = Section::parse(&row.section) {
            *section.slot(&mut report.sections) = Some(row.body);
        }
    }
    Ok(())
}

/// Section 一's （五）监督保障情况 paragraph: the work records' sentences, then the assessment's.
fn supervision_paragraph(work: Option<String>, assessment: Option<String>) -> Option<String> {
    match (work, assessment) {
        (Some(w), Some(a)) => Some(format!("{w}{a}")),
        (None, Some(a)) => Some(format!("（五）监督保障情况。{a}")),
        (w, None) => w,
    }
}

fn join(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
        (a, b) => a.or(b),
    }
}

/// The fee events of the agency's applications in `year`.
pub async fn fee_year(app: &App, agency_id: i64, year: i32) -> Result<FeeYear> {
    let rows = repo::fee_logs(&app.db, agency_id).await?;
    let mut logs: Vec<(String, Vec<Event>)> = Vec::new();
    for (number, payload) in rows {
        let event: Event = serde_json::from_str(&payload).map_err(|e| AppError::Corrupt {
            number: number.clone(),
            seq: 0,
            message: e.to_string(),
        })?;
        match logs.last_mut() {
            Some((n, log)) if *n == number => log.push(event),
            _ => logs.push((number, vec![event])),
        }
    }
    Ok(FeeYear::tally(
        logs.iter().map(|(n, l)| (n.as_str(), l.as_slice())),
        year,
    ))
}

/// One section as the back office shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionView {
    pub key: &'static str,
    pub label: &'static str,
    pub text: String,
    /// Written by staff (else the generated draft).
    pub stored: bool,
    pub updated_by: Option<i64>,
    pub updated_at: Option<String>,
}

/// The narrative of an agency's year: each section's text and whether staff wrote it.
pub async fn show(app: &App, actor: &Actor, agency: &str, year: i32) -> Result<Vec<SectionView>> {
    let a = super::workflow::visible_agency(app, actor, agency).await?;
    let report = super::compute(app, a.key(), year).await?;
    sections(app, a.id, year, &report).await
}

/// The sections of a computed report, each marked stored or drafted.
pub(super) async fn sections(
    app: &App,
    agency_id: i64,
    year: i32,
    report: &AnnualReport,
) -> Result<Vec<SectionView>> {
    let stored = repo::narrative(&app.db, agency_id, year).await?;
    Ok(Section::ALL
        .into_iter()
        .map(|s| {
            let row = stored.iter().find(|r| r.section == s.key());
            SectionView {
                key: s.key(),
                label: s.label(),
                text: s.get(&report.sections).cloned().unwrap_or_default(),
                stored: row.is_some(),
                updated_by: row.map(|r| r.updated_by),
                updated_at: row.map(|r| crate::application::online::beijing_time(r.updated_at)),
            }
        })
        .collect())
}

/// Stores a section's text, or clears it (`None`) so the generated draft shows again. Refused
/// once the report is submitted, approved or published: a published version never changes,
/// a correction reopens it (docs/rules/annual-report.md#workflow).
pub async fn set(
    app: &App,
    actor: &Actor,
    agency: &str,
    year: i32,
    section: &str,
    body: Option<&str>,
    now: OffsetDateTime,
) -> Result<()> {
    let a = super::workflow::visible_agency(app, actor, agency).await?;
    require_report_role(
        actor,
        Action::Submit,
        "write the annual report",
        "编写年度报告",
    )?;
    let section = Section::parse(section).ok_or_else(|| {
        AppError::invalid(
            format!(
                "unknown section {section:?}: intro, overview (一), problems (五) or other (六)"
            ),
            format!("没有“{section}”这一部分：可写 引言、一、五、六"),
        )
    })?;
    let body = match body.map(clean) {
        None => None,
        Some(b) if b.is_empty() => {
            return Err(AppError::invalid(
                format!(
                    "the text of {} is empty: clear it instead to use the draft",
                    section.key()
                ),
                format!(
                    "“{}”的内容为空；如需恢复自动生成的草稿，请选择清除",
                    section.label()
                ),
            ));
        }
        Some(b) if b.chars().count() > MAX_SECTION_CHARS => {
            return Err(AppError::invalid(
                format!(
                    "the text of {} is longer than {MAX_SECTION_CHARS} characters",
                    section.key()
                ),
                format!("“{}”超过{MAX_SECTION_CHARS}字", section.label()),
            ));
        }
        Some(b) => Some(b),
    };
    let mut tx = app.db.begin().await?;
    let steps = load_steps(&mut tx, a.id, year).await?;
    gongkai_core::report::workflow::may_edit(&steps).map_err(refusal)?;
    repo::set_narrative(
        &mut tx,
        a.id,
        year,
        section.key(),
        body.as_deref(),
        actor.id.get(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Plain text as a section holds it: lines trimmed at the end, `\r\n` as `\n`, control
/// characters and blank runs dropped.
fn clean(text: &str) -> String {
    let lines: Vec<String> = text
        .replace("\r\n", "\n")
        .split('\n')
        .map(|l| {
            l.chars()
                .filter(|c| !c.is_control() || *c == '\t')
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect();
    let mut out: Vec<&str> = Vec::new();
    for l in &lines {
        if !l.trim().is_empty() {
            out.push(l);
        }
    }
    out.join("\n")
}

/// Looks up an agency for a report by code or name (`agency_repo` refuses an ambiguous name).
pub(super) async fn agency(app: &App, key: &str) -> Result<agency_repo::Agency> {
    Ok(agency_repo::find_agency_by_key(&app.db, key).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_is_cleaned_of_controls_and_blank_lines() {
        assert_eq!(super::clean("a\r\n\r\n  b\u{7}  \n\n"), "a\n  b");
    }
}
