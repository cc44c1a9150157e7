//! The annual report as a typed document: agency, year, layout, the six sections and
//! tables 二/三/四 with their cells.

use super::cell::{Cell, Value};
use super::gap::{AgencyEvidence, Gap, GapOf, UNKNOWN_AGENCY, UNKNOWN_YEAR, YEAR_UNKNOWN};
use super::keys::{CellRef, Layout, OtherShape, T2Key, T3Col, T3Row, T4Col};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One agency's report for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualReport {
    /// The agency's name; empty only when a reader could not identify it, and then
    /// [`AnnualReport::gaps`] says so (JSON: `"agency": null`).
    pub agency: String,
    /// The report year; [`YEAR_UNKNOWN`] only when a reader could not find it, and then
    /// [`AnnualReport::gaps`] says so (JSON: `"year": null`). Use [`AnnualReport::known_year`]
    /// where an unknown year must not be taken for a real one.
    pub year: i32,
    pub layout: Layout,
    pub title: Option<String>,
    pub proactive: Option<Proactive>,
    pub table2: Table2,
    pub table3: Table3,
    pub table4: Table4,
    pub sections: Sections,
    pub figures: Figures,
    pub notes: Option<String>,
    /// The file the report was read from, when imported.
    pub source_file: Option<String>,
    /// What the reader of the source file could not find or read (JSON `source.unreadable`):
    /// the rules treat these cells as unread, not as printed blanks.
    pub gaps: Vec<Gap>,
    /// Where the reader found the agency's name (JSON `source.agency`).
    pub agency_evidence: Option<AgencyEvidence>,
}

impl AnnualReport {
    /// An empty report (every cell blank) in the layout for `year`.
    pub fn new(agency: impl Into<String>, year: i32) -> AnnualReport {
        let layout = Layout::for_year(year);
        AnnualReport {
            agency: agency.into(),
            year,
            layout,
            title: None,
            proactive: None,
            table2: Table2::default(),
            table3: Table3::new(if layout == Layout::Y2019 {
                OtherShape::Single
            } else {
                OtherShape::Split
            }),
            table4: Table4::default(),
            sections: Sections::default(),
            figures: Figures::default(),
            notes: None,
            source_file: None,
            gaps: Vec::new(),
            agency_evidence: None,
        }
    }

    /// The agency's name as printed, or the placeholder 「（未识别机关名称）」 when a reader could
    /// not identify it.
    pub fn agency_display(&self) -> &str {
        if self.agency.trim().is_empty() {
            UNKNOWN_AGENCY
        } else {
            &self.agency
        }
    }

    /// The report year, or `None` when a reader could not find it.
    pub fn known_year(&self) -> Option<i32> {
        (!self.gaps.iter().any(|g| g.of == GapOf::Year) && self.year != YEAR_UNKNOWN)
            .then_some(self.year)
    }

    /// The year as printed after the agency: `2021年`, or 「（未识别年度）」 when unknown.
    pub fn year_display(&self) -> String {
        match self.known_year() {
            Some(y) => format!("{y}年"),
            None => UNKNOWN_YEAR.to_string(),
        }
    }

    /// Whether a reader left this cell unread (it is listed in [`AnnualReport::gaps`]).
    pub fn is_unread(&self, at: CellRef) -> bool {
        self.gaps.iter().any(|g| g.of == GapOf::Cell(at))
    }

    /// The printed title: `{agency}{year}年政府信息公开工作年度报告` unless the report has its own.
    pub fn title(&self) -> String {
        self.title.clone().unwrap_or_else(|| {
            format!(
                "{}{}政府信息公开工作年度报告",
                self.agency_display(),
                self.year_display()
            )
        })
    }

    pub fn cell(&self, at: CellRef) -> &Cell {
        match at {
            CellRef::T2(k) => self.table2.get(k),
            CellRef::T3(r, c) => self.table3.get(r, c),
            CellRef::T4(c) => self.table4.get(c),
        }
    }

    pub fn set(&mut self, at: CellRef, cell: Cell) {
        match at {
            CellRef::T2(k) => self.table2.set(k, cell),
            CellRef::T3(r, c) => self.table3.set(r, c, cell),
            CellRef::T4(c) => self.table4.set(c, cell),
        }
    }

    /// Every cell of the layout, in printed order (table 二, 三, 四).
    pub fn cell_refs(&self) -> Vec<CellRef> {
        let mut out: Vec<CellRef> = T2Key::all(self.layout)
            .into_iter()
            .map(CellRef::T2)
            .collect();
        for &row in T3Row::rows(self.table3.shape) {
            out.extend(T3Col::ALL.into_iter().map(|c| CellRef::T3(row, c)));
        }
        out.extend(T4Col::all().map(CellRef::T4));
        out
    }
}

/// Section 一's counts of proactively published items.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Proactive {
    pub total: Option<u64>,
    /// Counts by category, in the order the report gives them.
    pub by_category: Vec<(String, u64)>,
}

/// The narrative text. Paragraphs are separated by a newline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sections {
    /// The paragraph before section 一 (what the report covers, where to ask).
    pub intro: Option<String>,
    pub overview: Option<String>,
    pub problems: Option<String>,
    pub other: Option<String>,
}

/// Figures the narrative quotes, so they can be computed and checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub counts: BTreeMap<String, u64>,
    pub amounts: BTreeMap<String, Decimal>,
}

impl Figures {
    /// The figures docs/report-json.md names, with whether each is an amount.
    pub const KNOWN: [(&'static str, bool); 9] = [
        ("superior_meetings_attended", false),
        ("promotion_meetings_held", false),
        ("trainings_held", false),
        ("npc_suggestions", false),
        ("cppcc_proposals", false),
        ("fee_notices_issued", false),
        ("fees_collected_yuan", true),
        ("feedback_received", false),
        ("negative_evaluations", false),
    ];

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty() && self.amounts.is_empty()
    }
}

/// Table 二. Absent cells are blank.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table2 {
    cells: BTreeMap<T2Key, Cell>,
}

impl Table2 {
    pub fn get(&self, key: T2Key) -> &Cell {
        self.cells.get(&key).unwrap_or(&BLANK)
    }

    /// Sets a cell; a count in an amount cell becomes that amount (one canonical form), and a
    /// negative number outside the signed (本年增/减) cells is kept as printed text.
    pub fn set(&mut self, key: T2Key, mut cell: Cell) {
        if let (true, Value::Count(n)) = (key.is_amount(), &cell.value) {
            cell.value = Value::Amount(Decimal::from(*n));
        }
        if !key.is_signed() {
            unsigned(&mut cell);
        }
        store(&mut self.cells, key, cell);
    }
}

/// Table 三: 25 rows (23 with the single （六）其他处理 row) × 7 columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table3 {
    pub shape: OtherShape,
    cells: BTreeMap<(T3Row, T3Col), Cell>,
}

impl Table3 {
    pub fn new(shape: OtherShape) -> Table3 {
        Table3 {
            shape,
            cells: BTreeMap::new(),
        }
    }

    pub fn get(&self, row: T3Row, col: T3Col) -> &Cell {
        self.cells.get(&(row, col)).unwrap_or(&BLANK)
    }

    pub fn set(&mut self, row: T3Row, col: T3Col, mut cell: Cell) {
        unsigned(&mut cell);
        store(&mut self.cells, (row, col), cell);
    }

    pub fn rows(&self) -> &'static [T3Row] {
        T3Row::rows(self.shape)
    }

    /// Sets every cell of the shape to 0 (a table for an agency with no applications).
    pub fn fill_zero(&mut self) {
        for &row in self.rows() {
            for col in T3Col::ALL {
                self.set(row, col, Cell::count(0));
            }
        }
    }
}

/// Table 四: one row of 15 columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table4 {
    cells: BTreeMap<T4Col, Cell>,
}

impl Table4 {
    pub fn get(&self, col: T4Col) -> &Cell {
        self.cells.get(&col).unwrap_or(&BLANK)
    }

    pub fn set(&mut self, col: T4Col, mut cell: Cell) {
        unsigned(&mut cell);
        store(&mut self.cells, col, cell);
    }
}

static BLANK: Cell = Cell {
    value: Value::Blank,
    source: None,
};

/// Only the signed cells of table 二 hold a negative number: anywhere else it is kept as the
/// printed text, which fails the table's domain rule (T2-1, T3-4, T4-4) rather than being read.
fn unsigned(cell: &mut Cell) {
    if let Value::Negative(_) = cell.value {
        cell.value = Value::Invalid(cell.value.to_string());
    }
}

/// Keeps tables canonical: a blank cell without a source is the same as an absent one.
fn store<K: Ord>(cells: &mut BTreeMap<K, Cell>, key: K, cell: Cell) {
    if cell == BLANK {
        cells.remove(&key);
    } else {
        cells.insert(key, cell);
    }
}
