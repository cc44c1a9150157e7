//! A unit's report imported from its published file (`report import --agency`), stored as the
//! unit's report for its year (docs/supervision.md#imported-reports).

use super::{UnitState, project, supervised_unit};
use crate::App;
use crate::error::{AppError, Result};
use crate::import::{Options, UnreadableView};
use gongkai_core::report::json::to_json;
use gongkai_core::report::{AnnualReport, GapOf, check};
use gongkai_core::user::Actor;
use gongkai_store::repo::report as report_repo;
use gongkai_store::repo::supervision::{self as repo, NewImport};
use serde::Serialize;
use time::OffsetDateTime;

/// A file to import for a unit.
pub struct UnitFile<'a> {
    /// The file's name as given (kept with the import).
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// The year, for a report whose year the reader could not find (else it must agree).
    pub year: Option<i32>,
}

/// What an import stored.
#[derive(Debug, Clone, Serialize)]
pub struct UnitImportView {
    pub agency_id: i64,
    pub agency: String,
    pub year: i32,
    pub file: String,
    /// `txt`, `md`, `html`, `docx`, `pdf`, or `json` (an interchange document).
    pub kind: String,
    pub cells_read: usize,
    pub cells_total: usize,
    pub unreadable: Vec<UnreadableView>,
    /// The agency's name as the file prints it, when it is not the unit's name.
    pub name_in_file: Option<String>,
    /// How many reports were imported for the unit and year before this one.
    pub replaces: usize,
    pub included: bool,
    pub excluded_reason: Option<String>,
    pub failed_rules: Vec<String>,
    pub unread_rules: Vec<String>,
    pub state: UnitState,
}

/// Imports `file` as unit `agency`'s report for its year. Refused, with nothing stored: a
/// file that does not read as a report, a year neither found nor given (or given and not the
/// file's), a unit outside the supervisor's region, a unit that publishes on gongkai for the
/// year, a year whose report the supervisor has already accepted.
pub async fn import_unit_report(
    app: &App,
    actor: &Actor,
    agency: &str,
    file: UnitFile<'_>,
    options: &Options,
    now: OffsetDateTime,
) -> Result<UnitImportView> {
    let unit = supervised_unit(
        app,
        actor,
        agency,
        ("import a unit's report", "导入下级单位年度报告"),
    )
    .await?;
    let (mut report, kind, cells_read, cells_total, unreadable) = read(&file, options)?;
    let year = settle_year(&mut report, &file)?;
    if !report_repo::versions(&app.db, unit.id, year)
        .await?
        .is_empty()
    {
        return Err(AppError::refused(
            format!(
                "{} publishes its {year} report on gongkai: that report is the one the region reads",
                unit.name
            ),
            format!(
                "{}已通过本系统发布{year}年度报告，汇总以该报告为准，无需导入",
                unit.name
            ),
        ));
    }
    if let Some(current) = repo::unit_report(&app.db, unit.id, year).await?
        && current.review == "accepted"
    {
        return Err(AppError::refused(
            format!(
                "the {year} report of {} has been accepted: return it before importing another",
                unit.name
            ),
            format!(
                "{}的{year}年度报告已接收；如需更换，请先退回后再导入",
                unit.name
            ),
        ));
    }
    let name_in_file =
        Some(report.agency.trim().to_string()).filter(|n| !n.is_empty() && *n != unit.name);
    let findings = check(&report, None);
    let document = serde_json::to_string(&to_json(&report, Some(&findings)))
        .map_err(|e| AppError::internal("cannot write the imported report", e))?;
    let sha = crate::sha256_hex(document.as_bytes());
    let replaces = repo::imports(&app.db, unit.id, year).await?.len();
    let mut tx = app.db.begin().await?;
    repo::add_import(
        &mut tx,
        &NewImport {
            agency_id: unit.id,
            year,
            file_name: file.name,
            kind: &kind,
            document: &document,
            sha256: &sha,
            imported_by: actor.id.get(),
            actor: &actor.display_name,
            at: now,
        },
    )
    .await?;
    project::refresh(&mut tx, unit.id, year).await?;
    tx.commit().await?;
    let row = repo::unit_report(&app.db, unit.id, year)
        .await?
        .ok_or_else(|| AppError::not_found("unit report", format!("{} {year}", unit.name)))?;
    let split = |s: &str| s.split_whitespace().map(str::to_string).collect();
    Ok(UnitImportView {
        agency_id: unit.id,
        agency: unit.name,
        year,
        file: file.name.to_string(),
        kind,
        cells_read,
        cells_total,
        unreadable,
        name_in_file,
        replaces,
        included: row.included,
        excluded_reason: row.excluded_reason,
        failed_rules: split(&row.failed_rules),
        unread_rules: split(&row.unread_rules),
        state: UnitState::from_review(&row.review),
    })
}

type Read = (AnnualReport, String, usize, usize, Vec<UnreadableView>);

/// The report in the file: an interchange document as it is, any other file through the
/// importer.
fn read(file: &UnitFile<'_>, options: &Options) -> Result<Read> {
    let ext = std::path::Path::new(file.name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let refused = |why: String| {
        AppError::invalid(
            format!("{}: {why}", file.name),
            format!("无法读取文件“{}”：{why}", file.name),
        )
    };
    if ext.as_deref() == Some("json") {
        let report =
            gongkai_import::report_json(file.bytes, options).map_err(|e| refused(e.to_string()))?;
        let total = report.cell_refs().len();
        let unread = report
            .gaps
            .iter()
            .filter(|g| g.of.field().is_none())
            .count();
        return Ok((report, "json".into(), total - unread, total, Vec::new()));
    }
    let mut imported = gongkai_import::import_bytes(file.bytes, ext.as_deref(), options)
        .map_err(|e| refused(e.to_string()))?;
    imported.report.source_file = std::path::Path::new(file.name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let unreadable = UnreadableView::list(&imported.unreadable);
    Ok((
        imported.report,
        imported.kind.key().into(),
        imported.cells_read,
        imported.cells_total,
        unreadable,
    ))
}

/// The report's year: as found, or as given when the reader found none; a given year that
/// is not the file's is refused.
fn settle_year(report: &mut AnnualReport, file: &UnitFile<'_>) -> Result<i32> {
    match (report.known_year(), file.year) {
        (Some(found), Some(given)) if found != given => Err(AppError::invalid(
            format!("{} is the report for {found}, not {given}", file.name),
            format!("文件“{}”是{found}年度报告，不是{given}年度", file.name),
        )),
        (Some(found), _) => Ok(found),
        (None, Some(given)) => {
            report.year = given;
            report.gaps.retain(|g| g.of != GapOf::Year);
            Ok(given)
        }
        (None, None) => Err(AppError::invalid(
            format!(
                "{}: the report year could not be read from the file; give it with --year",
                file.name
            ),
            format!("未能从文件“{}”中识别报告年度，请指定年度", file.name),
        )),
    }
}
