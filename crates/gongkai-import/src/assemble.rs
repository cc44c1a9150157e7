//! From rows to the report model: identity, tables, values with their evidence, and the list
//! of what could not be read.

use crate::decode::Kind;
use crate::error::ImportError;
use crate::meta;
use crate::number::parse_cell;
use crate::rows::Document;
use crate::tables::{self, Reading, describe};
use gongkai_core::report::cell::Place;
use gongkai_core::report::{
    AgencyEvidence, AnnualReport, Cell, CellRef, Gap, GapOf, Proactive, Source, Table3, Value,
    YEAR_UNKNOWN,
};

/// An imported report with what the importer could not read.
#[derive(Debug, Clone)]
pub struct Imported {
    pub report: AnnualReport,
    pub kind: Kind,
    /// Cells (and identity fields) that could not be found or read, with where.
    pub unreadable: Vec<Unreadable>,
    /// Cells read from the file (printed values and printed blanks).
    pub cells_read: usize,
    /// Cells of the report's layout.
    pub cells_total: usize,
}

/// A cell that could not be found or read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// The cell, or the agency or year.
    pub of: GapOf,
    /// What it is, in the format's words (`表三 （四）无法提供 1.本机关不掌握相关政府信息 / 商业企业`).
    pub label: String,
    /// Where the importer looked, or where the unreadable text stands.
    pub near: Option<Place>,
    pub why: String,
}

impl Unreadable {
    /// The cell; `None` for the agency or year.
    pub fn cell(&self) -> Option<CellRef> {
        match self.of {
            GapOf::Cell(at) => Some(at),
            GapOf::Agency | GapOf::Year => None,
        }
    }

    /// One line: `表三 … / 商业企业: no value found near line 212 (…)`.
    pub fn message(&self) -> String {
        let place = self.near.as_ref().map(describe).unwrap_or_default();
        if place.is_empty() {
            format!("{}: {}", self.label, self.why)
        } else {
            format!("{}: {} near {place}", self.label, self.why)
        }
    }
}

impl Unreadable {
    /// The gap as the report model keeps it (JSON `source.unreadable`).
    pub fn gap(&self) -> Gap {
        Gap {
            of: self.of,
            label: self.label.clone(),
            message: self.message(),
            near: self.near.clone(),
        }
    }
}

/// Builds the report from the rows. `meta_agency` is an agency's name from the file's
/// metadata outside the title (DOCX `dc:creator` when it names a body), the last resort.
pub fn assemble(
    doc: Document,
    kind: Kind,
    meta_agency: Option<String>,
) -> Result<Imported, ImportError> {
    assemble_with(doc, kind, meta_agency, tables::recognise)
}

/// [`assemble`] with another reader of the tables (crawled text: `crate::crawl`).
pub(crate) fn assemble_with(
    doc: Document,
    kind: Kind,
    meta_agency: Option<String>,
    recognise: impl FnOnce(&[crate::rows::Row], Option<i32>) -> tables::Tables,
) -> Result<Imported, ImportError> {
    let rows = &doc.rows;
    let mut id = meta::identity(rows, doc.title_hint.as_deref());
    if id.agency.is_none()
        && let Some(name) = meta_agency.filter(|n| meta::is_agency_name(n))
    {
        id.agency_from = Some((
            "creator",
            Place {
                text: Some(name.clone()),
                ..Place::default()
            },
        ));
        id.agency = Some(name);
    }
    let found = recognise(rows, id.year);
    let any_read = found
        .cells
        .values()
        .any(|r| matches!(r, Reading::Read(c) if !c.text.trim().is_empty()));
    if !any_read {
        return Err(ImportError::NotAReport(
            "none of the tables 二, 三 or 四 of an annual report was found".into(),
        ));
    }
    let mut unreadable = Vec::new();
    // A year not found is a gap of the document, like the agency: the tables are still read
    // (their layout comes from the tables themselves), and the rules still apply.
    let year = id.year.unwrap_or_else(|| {
        unreadable.push(Unreadable {
            of: GapOf::Year,
            label: "年度".into(),
            near: None,
            why: "no report year in the title, the body or the statistics period".into(),
        });
        YEAR_UNKNOWN
    });
    let agency = match id.agency {
        Some(a) => a,
        None => {
            unreadable.push(Unreadable {
                of: GapOf::Agency,
                label: "机关名称".into(),
                near: None,
                why: "no agency name found in the title, the body or the file's properties".into(),
            });
            String::new()
        }
    };
    let mut report = AnnualReport::new(agency, year);
    report.agency_evidence = id.agency_from.map(|(from, place)| AgencyEvidence {
        from: match (from, kind) {
            ("metadata", Kind::Docx) | ("creator", _) => "docx-properties",
            ("metadata", _) => "html-title",
            (other, _) => other,
        }
        .to_string(),
        place,
    });
    report.layout = found.layout;
    report.table3 = Table3::new(found.shape);
    report.title = id.title.filter(|t| !t.is_empty());
    let mut cells_read = 0;
    let refs = report.cell_refs();
    let cells_total = refs.len();
    for at in refs {
        match found.cells.get(&at) {
            Some(Reading::Read(raw)) => {
                let value = parse_cell(&raw.text, at);
                if let Value::Invalid(text) = &value {
                    unreadable.push(Unreadable {
                        of: GapOf::Cell(at),
                        label: at.label_zh(report.layout),
                        near: Some(raw.place.clone()),
                        why: format!("「{text}」is not a number"),
                    });
                }
                cells_read += 1;
                report.set(
                    at,
                    Cell::new(value).with_source(Source::Imported(raw.place.clone())),
                );
            }
            Some(Reading::Missing { near, why }) => unreadable.push(Unreadable {
                of: GapOf::Cell(at),
                label: at.label_zh(report.layout),
                near: near.clone(),
                why: format!("no value found ({why})"),
            }),
            None => unreadable.push(Unreadable {
                of: GapOf::Cell(at),
                label: at.label_zh(report.layout),
                near: None,
                why: "no value found".into(),
            }),
        }
    }
    let wrapped = matches!(kind, Kind::Text | Kind::Markdown | Kind::Pdf);
    report.sections = crate::sections::sections(rows, &found.regions, wrapped);
    if let Some((total, by_category)) = meta::proactive(&rows[found.regions.narrative.clone()]) {
        report.proactive = Some(Proactive {
            total: Some(total),
            by_category,
        });
    }
    // The model keeps the gaps, so that the rules tell an unread cell from a printed blank
    // and the JSON document carries them (`source.unreadable`).
    report.gaps = unreadable.iter().map(Unreadable::gap).collect();
    Ok(Imported {
        report,
        kind,
        unreadable,
        cells_read,
        cells_total,
    })
}
