//! Table 三 counted from the cases (docs/rules/annual-report.md, table 三): a pure function
//! from typed groups of cases to the table, every cell with the 申请编号 it counts.
//!
//! The rule that places a case in the table of `year`:
//! - 本年新收 — received in the year; 上年结转 — received before 1 January and not concluded
//!   before it;
//! - 办理结果 (by outcome, and （七）总计) — concluded (答复) in the year; 结转下年度继续办理 —
//!   received by 31 December and not concluded by then.
//!
//! Every case of the year is in exactly one of 新收/结转 and in exactly one of
//! 办理结果/结转下年, in its applicant's column and in 总计, so T3-1, T3-2 and T3-3 hold by
//! construction. A cell no case falls in is 0: the data says there were none.
//!
//! The store groups the cases with SQL (the same rule, one row per combination of column,
//! intake and outcome); [`Table3Case`] states the rule for one case, and [`count_cases`]
//! counts a list of them.

use super::{Cell, OtherShape, Source, T3Col, T3Row, Table3};
use time::Date;

/// Where a case stands on 1 January of the report's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Intake {
    /// 本年新收: received in the year.
    NewReceived,
    /// 上年结转: received in an earlier year and still open on 1 January.
    CarriedOver,
}

impl Intake {
    /// The row of table 三 the intake is counted in.
    pub fn row(self) -> T3Row {
        match self {
            Intake::NewReceived => T3Row::NewReceived,
            Intake::CarriedOver => T3Row::CarriedOver,
        }
    }
}

/// Cases that fall in the same cells: one applicant column, one intake, one outcome (or
/// still open on 31 December), with their 申请编号.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseGroup<'a> {
    /// The applicant's column (one of [`T3Col::PARTS`]).
    pub column: T3Col,
    pub intake: Intake,
    /// The outcome row when concluded in the year (one of the leaf outcome rows of the
    /// 2021 layout); `None` when carried forward (结转下年度继续办理).
    pub outcome: Option<T3Row>,
    /// The 申请编号 of the cases.
    pub numbers: &'a [String],
}

/// One case as table 三 sees it: whose, when received, when and how concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table3Case {
    pub column: T3Col,
    pub received_on: Date,
    /// The date of the reply (答复) and its outcome row, when concluded.
    pub closed: Option<(Date, T3Row)>,
    /// The 申请编号.
    pub number: String,
}

/// Where a case of the year goes: its intake row and its outcome (`None`: carried forward).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Placement {
    pub intake: Intake,
    pub outcome: Option<T3Row>,
}

impl Table3Case {
    /// Where the case is counted in the table of `year`; `None` when it is not a case of that
    /// year (received after 31 December, or concluded before 1 January).
    pub fn placement(&self, year: i32) -> Option<Placement> {
        let received = self.received_on.year();
        if received > year {
            return None;
        }
        let outcome = match self.closed {
            Some((on, _)) if on.year() < year => return None,
            Some((on, row)) if on.year() == year => Some(row),
            // Open, or concluded after the year: still open on 31 December.
            _ => None,
        };
        let intake = if received == year {
            Intake::NewReceived
        } else {
            Intake::CarriedOver
        };
        Some(Placement { intake, outcome })
    }
}

/// Why cases cannot be counted: a column or an outcome that is not one of a case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    /// The total column is not an applicant's column.
    #[error("application {number}: {column:?} is not an applicant column of table 三")]
    NotAColumn { number: String, column: T3Col },
    /// A row that is not an outcome a case can have (an intake or total row, or the combined
    /// （六） row of the 2019 layout, which the three （六） outcomes fold into).
    #[error("application {number}: unknown outcome {}", .row.key())]
    NotAnOutcome { number: String, row: T3Row },
}

/// Whether `row` is an outcome a case can have: a leaf outcome row of the 2021 layout.
pub fn is_case_outcome(row: T3Row) -> bool {
    row.is_outcome() && row != T3Row::Other
}

/// Counts the groups into table 三 of `shape`: each group's numbers go into its intake row,
/// its outcome row and （七）总计 (or 结转下年), in its column and in 总计; every cell of the
/// shape is written with its count and the numbers it counts.
pub fn count(groups: &[CaseGroup<'_>], shape: OtherShape) -> Result<Table3, CountError> {
    let rows = T3Row::rows(shape);
    let row_index = |row: T3Row| rows.iter().position(|r| *r == row);
    let fixed = |row: T3Row| row_index(row).expect("the fixed rows are in every shape");
    let (processed, forward) = (fixed(T3Row::TotalProcessed), fixed(T3Row::CarriedForward));
    const COLS: usize = T3Col::ALL.len();
    let total = COLS - 1;
    let mut cells: Vec<Vec<&str>> = vec![Vec::new(); rows.len() * COLS];
    for g in groups {
        let number = || g.numbers.first().cloned().unwrap_or_default();
        let col = T3Col::PARTS
            .iter()
            .position(|c| *c == g.column)
            .ok_or_else(|| CountError::NotAColumn {
                number: number(),
                column: g.column,
            })?;
        let first = fixed(g.intake.row());
        let (second, third) = match g.outcome {
            Some(row) => {
                let at = Some(row)
                    .filter(|r| is_case_outcome(*r))
                    .and_then(|r| row_index(fold_other(r, shape)))
                    .ok_or_else(|| CountError::NotAnOutcome {
                        number: number(),
                        row,
                    })?;
                (at, Some(processed))
            }
            None => (forward, None),
        };
        for row in [Some(first), Some(second), third].into_iter().flatten() {
            for cell in [row * COLS + col, row * COLS + total] {
                cells[cell].extend(g.numbers.iter().map(String::as_str));
            }
        }
    }
    let mut table = Table3::new(shape);
    for (r, &row) in rows.iter().enumerate() {
        for (c, col) in T3Col::ALL.into_iter().enumerate() {
            let records: Vec<String> = std::mem::take(&mut cells[r * COLS + c])
                .into_iter()
                .map(str::to_string)
                .collect();
            table.set(
                row,
                col,
                Cell::count(records.len() as u64).with_source(Source::Computed { records }),
            );
        }
    }
    Ok(table)
}

/// Table 三 of `year` from single cases: each placed by [`Table3Case::placement`] (cases of
/// other years are left out), grouped, then [`count`]ed. Numbers keep the order of `cases`.
pub fn count_cases(
    cases: &[Table3Case],
    year: i32,
    shape: OtherShape,
) -> Result<Table3, CountError> {
    let mut keys: Vec<(T3Col, Placement)> = Vec::new();
    let mut numbers: Vec<Vec<String>> = Vec::new();
    for case in cases {
        let Some(place) = case.placement(year) else {
            continue;
        };
        let key = (case.column, place);
        match keys.iter().position(|k| *k == key) {
            Some(i) => numbers[i].push(case.number.clone()),
            None => {
                keys.push(key);
                numbers.push(vec![case.number.clone()]);
            }
        }
    }
    let groups: Vec<CaseGroup<'_>> = keys
        .iter()
        .zip(&numbers)
        .map(|(&(column, place), numbers)| CaseGroup {
            column,
            intake: place.intake,
            outcome: place.outcome,
            numbers,
        })
        .collect();
    count(&groups, shape)
}

/// In the 2019 layout the three （六） rows are one row.
fn fold_other(row: T3Row, shape: OtherShape) -> T3Row {
    match (shape, row) {
        (
            OtherShape::Single,
            T3Row::OtherNoCorrection | T3Row::OtherFeeUnpaid | T3Row::OtherOther,
        ) => T3Row::Other,
        _ => row,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{AnnualReport, Value, check};
    use proptest::prelude::*;
    use time::macros::date;

    fn numbers(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    fn records(t: &Table3, row: T3Row, col: T3Col) -> Vec<String> {
        match &t.get(row, col).source {
            Some(Source::Computed { records }) => records.clone(),
            other => panic!("{row:?}/{col:?}: {other:?}"),
        }
    }

    /// A worked example: five cases of 2021.
    /// - 2021-000001 natural person, received 2021, granted 2021;
    /// - 2021-000002 natural person, received 2021, still open at year end;
    /// - 2020-000007 commercial, received 2020, partly granted 2021;
    /// - 2020-000008 research, received 2020, still open (carried over and forward);
    /// - 2020-000009 natural person, received and concluded 2020 (not a case of 2021);
    /// - 2022-000001 received 2022 (not a case of 2021).
    #[test]
    fn a_worked_example() {
        let case = |column, received_on, closed, number: &str| Table3Case {
            column,
            received_on,
            closed,
            number: number.into(),
        };
        let cases = vec![
            case(
                T3Col::NaturalPerson,
                date!(2021 - 03 - 01),
                Some((date!(2021 - 03 - 20), T3Row::Granted)),
                "2021-000001",
            ),
            case(
                T3Col::NaturalPerson,
                date!(2021 - 12 - 20),
                None,
                "2021-000002",
            ),
            case(
                T3Col::Commercial,
                date!(2020 - 12 - 15),
                Some((date!(2021 - 01 - 10), T3Row::Partial)),
                "2020-000007",
            ),
            case(T3Col::Research, date!(2020 - 11 - 02), None, "2020-000008"),
            case(
                T3Col::NaturalPerson,
                date!(2020 - 05 - 01),
                Some((date!(2020 - 05 - 20), T3Row::Granted)),
                "2020-000009",
            ),
            case(
                T3Col::NaturalPerson,
                date!(2022 - 01 - 04),
                None,
                "2022-000001",
            ),
        ];
        let t = count_cases(&cases, 2021, OtherShape::Split).expect("counted");
        let n = |row, col| t.get(row, col).value.clone();
        assert_eq!(n(T3Row::NewReceived, T3Col::NaturalPerson), Value::Count(2));
        assert_eq!(n(T3Row::NewReceived, T3Col::Total), Value::Count(2));
        assert_eq!(n(T3Row::CarriedOver, T3Col::Commercial), Value::Count(1));
        assert_eq!(n(T3Row::CarriedOver, T3Col::Research), Value::Count(1));
        assert_eq!(n(T3Row::CarriedOver, T3Col::Total), Value::Count(2));
        assert_eq!(n(T3Row::Granted, T3Col::NaturalPerson), Value::Count(1));
        assert_eq!(n(T3Row::Partial, T3Col::Commercial), Value::Count(1));
        assert_eq!(n(T3Row::TotalProcessed, T3Col::Total), Value::Count(2));
        assert_eq!(n(T3Row::CarriedForward, T3Col::Total), Value::Count(2));
        assert_eq!(n(T3Row::OtherOther, T3Col::OtherOrg), Value::Count(0));
        assert_eq!(
            records(&t, T3Row::CarriedForward, T3Col::Total),
            numbers(&["2021-000002", "2020-000008"])
        );
        assert_eq!(
            records(&t, T3Row::TotalProcessed, T3Col::Total),
            numbers(&["2021-000001", "2020-000007"])
        );
        let mut report = AnnualReport::new("某局", 2021);
        report.table3 = t;
        assert!(
            !check(&report, None)
                .iter()
                .any(|f| f.rule.id.starts_with("T3") && f.is_error_failure())
        );
    }

    #[test]
    fn placement_by_dates() {
        let case = |received_on, closed| Table3Case {
            column: T3Col::NaturalPerson,
            received_on,
            closed,
            number: "x".into(),
        };
        let place = |intake, outcome| Some(Placement { intake, outcome });
        // Concluded the next year: open on 31 December.
        assert_eq!(
            case(
                date!(2021 - 12 - 31),
                Some((date!(2022 - 01 - 05), T3Row::Granted))
            )
            .placement(2021),
            place(Intake::NewReceived, None)
        );
        assert_eq!(
            case(date!(2021 - 01 - 01), None).placement(2022),
            place(Intake::CarriedOver, None)
        );
        assert_eq!(
            case(
                date!(2020 - 12 - 31),
                Some((date!(2020 - 12 - 31), T3Row::Granted))
            )
            .placement(2021),
            None
        );
    }

    #[test]
    fn the_2019_layout_folds_the_other_rows() {
        let a = numbers(&["2020-000001"]);
        let b = numbers(&["2020-000002"]);
        let group = |outcome, numbers| CaseGroup {
            column: T3Col::NaturalPerson,
            intake: Intake::NewReceived,
            outcome: Some(outcome),
            numbers,
        };
        let groups = [
            group(T3Row::OtherOther, &a),
            group(T3Row::OtherNoCorrection, &b),
        ];
        let t = count(&groups, OtherShape::Single).expect("table");
        assert_eq!(
            t.get(T3Row::Other, T3Col::NaturalPerson).value,
            Value::Count(2)
        );
        assert_eq!(t.get(T3Row::OtherOther, T3Col::Total).value, Value::Blank);
        // Neither the combined row nor a total row is an outcome of a case; the total
        // column is not an applicant's.
        assert!(matches!(
            count(&[group(T3Row::Other, &a)], OtherShape::Single),
            Err(CountError::NotAnOutcome { .. })
        ));
        assert!(matches!(
            count(&[group(T3Row::CarriedForward, &a)], OtherShape::Split),
            Err(CountError::NotAnOutcome { .. })
        ));
        let total = CaseGroup {
            column: T3Col::Total,
            ..group(T3Row::Granted, &a)
        };
        let err = count(&[total], OtherShape::Split).expect_err("total column");
        assert!(err.to_string().contains("2020-000001"), "{err}");
    }

    fn outcomes() -> Vec<T3Row> {
        T3Row::rows(OtherShape::Split)
            .iter()
            .copied()
            .filter(|r| is_case_outcome(*r))
            .collect()
    }

    /// (column, intake, outcome, numbers) of each group.
    fn groups() -> impl Strategy<Value = Vec<(T3Col, Intake, Option<T3Row>, Vec<String>)>> {
        let n = outcomes().len();
        prop::collection::vec(
            (0..6usize, any::<bool>(), prop::option::of(0..n), 1..5usize),
            0..40,
        )
        .prop_map(|specs| {
            let outs = outcomes();
            let mut seq = 0;
            specs
                .into_iter()
                .map(|(k, new, o, count)| {
                    let intake = if new {
                        Intake::NewReceived
                    } else {
                        Intake::CarriedOver
                    };
                    let numbers = (0..count)
                        .map(|_| {
                            seq += 1;
                            format!("2021-{seq:06}")
                        })
                        .collect();
                    (T3Col::PARTS[k], intake, o.map(|i| outs[i]), numbers)
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn t3_rules_hold_by_construction(
            specs in groups(),
            year in prop::sample::select(vec![2020, 2021]),
        ) {
            let groups: Vec<CaseGroup<'_>> = specs
                .iter()
                .map(|(column, intake, outcome, numbers)| CaseGroup {
                    column: *column,
                    intake: *intake,
                    outcome: *outcome,
                    numbers,
                })
                .collect();
            let mut report = AnnualReport::new("某局", year);
            report.table3 = count(&groups, report.table3.shape).expect("table");
            for f in check(&report, None) {
                if f.rule.id.starts_with("T3") {
                    prop_assert!(!f.is_error_failure(), "{} fails", f.rule.id);
                }
            }
            let cases: usize = specs.iter().map(|g| g.3.len()).sum();
            let total = |row| match report.table3.get(row, T3Col::Total).value {
                Value::Count(n) => n as usize,
                ref v => panic!("{v:?}"),
            };
            prop_assert_eq!(total(T3Row::NewReceived) + total(T3Row::CarriedOver), cases);
            let open: usize = specs.iter().filter(|g| g.2.is_none()).map(|g| g.3.len()).sum();
            prop_assert_eq!(records(&report.table3, T3Row::CarriedForward, T3Col::Total).len(), open);
        }
    }
}
