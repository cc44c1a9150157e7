//! One cell of a unit's report traced to where it came from (docs/supervision.md#drill-down):
//! for a unit on gongkai, the records its figure counts — the cases of table 三 and 四 by
//! their number, the documents of table 二 — or who entered it; for an imported report, the
//! place in the file it was read from. No applicant's personal data is shown.

use super::unit::unit_report;
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::ids::ItemId;
use gongkai_core::remedy::{RemedyKind, RemedyOutcome};
use gongkai_core::report::cell::Place;
use gongkai_core::report::{AnnualReport, CellRef, Source, T3Col, T3Row, Value};
use gongkai_core::user::Actor;
use gongkai_store::StoreError;
use gongkai_store::repo::application::{self as application_repo, Scope};
use gongkai_store::repo::catalog as catalog_repo;
use gongkai_store::repo::remedy as remedy_repo;
use serde::Serialize;
use std::collections::HashMap;

/// A record a computed figure counts, as the supervisor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordLine {
    /// 申请编号, the remedy case's number, or the document's 索引号.
    pub number: String,
    /// What the record is, then its facts, in Chinese (`收到 2021-03-01`, `予以公开`).
    pub facts: Vec<String>,
    /// The public page of a published document.
    pub href: Option<String>,
    /// The record is no longer in the data (the report was published before it was removed).
    pub missing: bool,
}

/// Where a unit's figure came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CellOrigin {
    /// Computed from the records listed.
    Computed { records: Vec<RecordLine> },
    /// Entered by a person.
    Entered {
        by: String,
        at: String,
        note: Option<String>,
    },
    /// Read from the unit's published file.
    Imported { place: String, text: Option<String> },
    /// The document does not say.
    Unknown,
    /// The unit has no report for the year yet.
    NoReport,
}

/// One cell of one unit's report, traced.
#[derive(Debug, Clone, Serialize)]
pub struct UnitCell {
    pub agency_id: i64,
    pub agency: String,
    pub year: i32,
    pub cell: String,
    pub label: String,
    /// The value as printed; `None` when the report has no value there.
    pub value: Option<String>,
    pub origin: CellOrigin,
}

/// Cell `path` of unit `agency`'s report for `year`, with where its figure came from; refused
/// as not found outside the supervisor's region.
pub async fn unit_cell(
    app: &App,
    actor: &Actor,
    agency: &str,
    year: i32,
    path: &str,
) -> Result<UnitCell> {
    let unit = unit_report(app, actor, agency, year).await?;
    // Without a report the cell is still named, and said to have no report yet.
    let empty = AnnualReport::new(unit.agency.clone(), year);
    let report = unit.report.as_ref().unwrap_or(&empty);
    let at = report
        .cell_refs()
        .into_iter()
        .find(|c| c.path() == path)
        .ok_or_else(|| {
            AppError::invalid(
                format!("{path} is not a cell of the {} layout", report.layout.key()),
                format!("“{path}”不是{}年版格式的单元格", report.layout.key()),
            )
        })?;
    let cell = report.cell(at);
    let origin = match &cell.source {
        _ if unit.report.is_none() => CellOrigin::NoReport,
        Some(Source::Computed { records }) => CellOrigin::Computed {
            records: record_lines(app, unit.agency_id, year, at, records).await?,
        },
        Some(Source::Entered { by, at, note }) => CellOrigin::Entered {
            by: by.clone(),
            at: at.clone(),
            note: note.clone(),
        },
        Some(Source::Imported(place)) => CellOrigin::Imported {
            place: place_zh(place),
            text: place.text.clone(),
        },
        None => CellOrigin::Unknown,
    };
    Ok(UnitCell {
        agency_id: unit.agency_id,
        agency: unit.agency.clone(),
        year,
        cell: path.to_string(),
        label: at.label_zh(report.layout),
        value: shown(&cell.value),
        origin,
    })
}

fn shown(v: &Value) -> Option<String> {
    match v {
        Value::Blank => None,
        v => Some(v.to_string()),
    }
}

/// Where in a file a value was read, in words.
fn place_zh(p: &Place) -> String {
    let parts: Vec<String> = [
        p.page.map(|n| format!("第{n}页")),
        p.table.map(|n| format!("第{n}个表格")),
        p.row.map(|n| format!("第{n}行")),
        p.column.map(|n| format!("第{n}列")),
        p.line.map(|n| format!("文本第{n}行")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "未记录位置".into()
    } else {
        parts.join("、")
    }
}

/// The records of a computed cell with their facts from the data.
async fn record_lines(
    app: &App,
    agency_id: i64,
    year: i32,
    at: CellRef,
    records: &[String],
) -> Result<Vec<RecordLine>> {
    let missing = |number: &String| RecordLine {
        number: number.clone(),
        facts: vec!["记录已不在本系统中".into()],
        href: None,
        missing: true,
    };
    match at {
        CellRef::T3(..) => {
            let cases: HashMap<String, _> = application_repo::year_cases(&app.db, agency_id, year)
                .await?
                .into_iter()
                .map(|c| (c.number.clone(), c))
                .collect();
            let lines: Vec<RecordLine> = records
                .iter()
                .map(|n| match cases.get(n) {
                    None => missing(n),
                    Some(c) => {
                        let mut facts = vec![
                            "政府信息公开申请".to_string(),
                            format!("收到 {}", c.received_on),
                        ];
                        if let Some(col) = T3Col::from_key(&c.applicant_kind) {
                            facts.push(col.label().to_string());
                        }
                        match (&c.outcome, c.closed_on) {
                            (Some(o), Some(on)) => {
                                let label: &str = T3Row::from_key(o).map_or(o, |r| r.label());
                                facts.push(format!("{on} 答复：{label}"));
                                match c.due_on {
                                    Some(due) if on > due => {
                                        facts.push(format!("超期（应于{due}前答复）"))
                                    }
                                    Some(_) => facts.push("按期答复".into()),
                                    None => {}
                                }
                            }
                            _ => facts.push("尚未办结".into()),
                        }
                        RecordLine {
                            number: n.clone(),
                            facts,
                            href: None,
                            missing: false,
                        }
                    }
                })
                .collect();
            Ok(lines)
        }
        CellRef::T4(..) => {
            let cases: HashMap<String, _> =
                remedy_repo::t4_rows(&app.db, Scope::Agency(agency_id), year)
                    .await?
                    .into_iter()
                    .map(|c| (c.number.clone(), c))
                    .collect();
            let lines: Vec<RecordLine> = records
                .iter()
                .map(|n| match cases.get(n) {
                    None => missing(n),
                    Some(c) => {
                        let kind =
                            RemedyKind::parse(&c.kind).map_or(c.kind.as_str(), |k| k.label());
                        let mut facts = vec![kind.to_string(), format!("受理 {}", c.filed_on)];
                        match (c.decided_on, &c.outcome) {
                            (Some(on), Some(o)) => {
                                let label =
                                    RemedyOutcome::parse(o).map_or(o.as_str(), |x| x.label());
                                facts.push(format!("{on} 结果：{label}"));
                            }
                            _ => facts.push("尚未审结".into()),
                        }
                        RecordLine {
                            number: n.clone(),
                            facts,
                            href: None,
                            missing: false,
                        }
                    }
                })
                .collect();
            Ok(lines)
        }
        CellRef::T2(_) => {
            let mut lines = Vec::with_capacity(records.len());
            for n in records {
                let Ok(id) = n.parse::<i64>() else {
                    lines.push(missing(n));
                    continue;
                };
                match catalog_repo::find_item(&app.db, ItemId::new(id)).await {
                    Ok(item) if item.agency.get() == agency_id => lines.push(RecordLine {
                        number: item.index_number.clone().unwrap_or_else(|| n.clone()),
                        facts: vec![
                            item.content.title.clone(),
                            format!("成文日期 {}", item.content.formed_on),
                        ],
                        href: Some(format!("/items/{id}")),
                        missing: false,
                    }),
                    Ok(_) | Err(StoreError::NotFound { .. }) => lines.push(missing(n)),
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(lines)
        }
    }
}
