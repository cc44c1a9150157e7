//! The back office's page of one agency's report for a year (docs/back-office.md#the-annual-report):
//! where it stands, what blocks its submission, its sections, its published versions.

use super::narrative::{self, SectionView};
use super::workflow::{self, WorkflowView};
use crate::App;
use crate::error::Result;
use gongkai_core::report::rules::Lang;
use gongkai_core::report::{AnnualReport, Severity, Status, check};
use gongkai_core::user::Actor;
use serde::Serialize;

/// A rule that fails or cannot be assessed, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub rule: String,
    /// An error-severity rule blocks submission; a warning does not.
    pub blocks: bool,
    pub message: String,
}

/// Everything the report page shows.
#[derive(Debug, Clone)]
pub struct Desk {
    pub workflow: WorkflowView,
    pub sections: Vec<SectionView>,
    pub problems: Vec<Problem>,
    /// The report as computed now (the draft downloads render it).
    pub report: AnnualReport,
}

impl Desk {
    pub fn blocked(&self) -> bool {
        self.problems.iter().any(|p| p.blocks)
    }
}

pub async fn desk(app: &App, actor: &Actor, agency: &str, year: i32) -> Result<Desk> {
    let workflow = workflow::status(app, actor, agency, year).await?;
    let a = workflow::visible_agency(app, actor, agency).await?;
    let report = super::compute(app, a.key(), year).await?;
    let problems = check(&report, None)
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Unassessable))
        .map(|f| Problem {
            rule: f.rule.id.to_string(),
            blocks: f.rule.severity == Severity::Error,
            message: f.message(Lang::Zh),
        })
        .collect();
    let sections = narrative::sections(app, a.id, year, &report).await?;
    Ok(Desk {
        workflow,
        sections,
        problems,
        report,
    })
}
