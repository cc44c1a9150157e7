//! Table 四 counted from the remedy cases (docs/rules/annual-report.md#table-四-remedy-cases): a
//! pure function from a list of cases and a year to the 15 cells, each with the numbers of the
//! cases it counts.
//!
//! - A case is counted in the report of the year it was **filed** (收到复议申请/起诉), and in no
//!   other year's;
//! - in the column of its decision when decided on or before 31 December of that year, else in
//!   尚未审结 (a case decided the next January is 尚未审结 in its filing year);
//! - each group's 总计 is the sum of its four columns.
//!
//! So T4-1..T4-3 hold by construction and T4-4 holds because every cell is written (0 when
//! there is no case).

use super::{RemedyKind, RemedyOutcome};
use crate::report::keys::{T4Col, T4Outcome};
use crate::report::{Cell, Source, Table4};
use time::Date;

/// One remedy case as table 四 sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table4Case {
    /// The readable number (`复议-2024-0001`).
    pub number: String,
    pub kind: RemedyKind,
    pub filed_on: Date,
    /// The recorded decision: its day and outcome.
    pub decided: Option<(Date, RemedyOutcome)>,
}

impl Table4Case {
    /// The column the case is counted in for `year` (never a total); `None` when it was not
    /// filed in that year.
    pub fn column(&self, year: i32) -> Option<T4Col> {
        if self.filed_on.year() != year {
            return None;
        }
        let outcome = match self.decided {
            Some((on, outcome)) if on.year() <= year => outcome.t4_outcome(),
            _ => T4Outcome::Pending,
        };
        Some(T4Col {
            group: self.kind.t4_group(),
            outcome,
        })
    }
}

/// Table 四 of `year` from the cases (those filed in other years are left out): all 15 cells
/// written, each with `Source::Computed` listing the numbers it counts in the order of `cases`.
pub fn count_table4(cases: &[Table4Case], year: i32) -> Table4 {
    let mut records: Vec<(T4Col, Vec<String>)> = T4Col::all().map(|c| (c, Vec::new())).collect();
    let mut add = |col: T4Col, number: &str| {
        if let Some((_, r)) = records.iter_mut().find(|(c, _)| *c == col) {
            r.push(number.to_string());
        }
    };
    for case in cases {
        if let Some(col) = case.column(year) {
            add(col, &case.number);
            add(
                T4Col {
                    group: col.group,
                    outcome: T4Outcome::Total,
                },
                &case.number,
            );
        }
    }
    let mut table = Table4::default();
    for (col, records) in records {
        table.set(
            col,
            Cell::count(records.len() as u64).with_source(Source::Computed { records }),
        );
    }
    table
}
