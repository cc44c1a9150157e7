use super::*;
use crate::report::cell::Value;
use crate::report::cell::{Cell, Source};
use crate::report::keys::{OtherShape, T2Key, T3Col, T3Row, T4Col};
use crate::report::model::AnnualReport;
use crate::report::model::Proactive;
use proptest::prelude::*;

/// A consistent report: `parts[row][col]` for the outcome rows, carried over and carried
/// forward; new received and every total derived so that all rules hold.
fn consistent(
    outcomes: &[[u64; 6]],
    carried_over: [u64; 6],
    carried_forward: [u64; 6],
    t4: [[u64; 4]; 3],
) -> AnnualReport {
    let mut r = AnnualReport::new("测试机关", 2021);
    r.table3.fill_zero();
    let rows: Vec<T3Row> = r
        .table3
        .rows()
        .iter()
        .copied()
        .filter(|r| r.is_outcome())
        .collect();
    let mut processed = [0u64; 6];
    for (i, row) in rows.iter().enumerate() {
        let parts = outcomes.get(i).copied().unwrap_or([0; 6]);
        for (j, col) in T3Col::PARTS.iter().enumerate() {
            r.table3.set(*row, *col, Cell::count(parts[j]));
            processed[j] += parts[j];
        }
    }
    for (j, col) in T3Col::PARTS.iter().enumerate() {
        let co = carried_over[j].min(processed[j] + carried_forward[j]);
        let new = processed[j] + carried_forward[j] - co;
        r.table3.set(T3Row::CarriedOver, *col, Cell::count(co));
        r.table3
            .set(T3Row::CarriedForward, *col, Cell::count(carried_forward[j]));
        r.table3
            .set(T3Row::TotalProcessed, *col, Cell::count(processed[j]));
        r.table3.set(T3Row::NewReceived, *col, Cell::count(new));
    }
    for &row in T3Row::rows(r.table3.shape) {
        let total: u64 = T3Col::PARTS
            .iter()
            .map(|&c| {
                r.table3
                    .get(row, c)
                    .value
                    .number()
                    .map_or(0, |d| d.try_into().unwrap_or(0))
            })
            .sum();
        r.table3.set(row, T3Col::Total, Cell::count(total));
    }
    for (g, group) in super::super::keys::T4Group::ALL.iter().enumerate() {
        let mut total = 0;
        for (o, outcome) in super::super::keys::T4Outcome::ALL[..4].iter().enumerate() {
            r.table4.set(
                T4Col {
                    group: *group,
                    outcome: *outcome,
                },
                Cell::count(t4[g][o]),
            );
            total += t4[g][o];
        }
        r.table4.set(
            T4Col {
                group: *group,
                outcome: super::super::keys::T4Outcome::Total,
            },
            Cell::count(total),
        );
    }
    for k in T2Key::all(r.layout) {
        r.table2.set(k, Cell::count(0));
    }
    r
}

fn zero_report() -> AnnualReport {
    consistent(&[], [0; 6], [0; 6], [[0; 4]; 3])
}

fn sample_report() -> AnnualReport {
    consistent(
        &[[3, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 2]],
        [1, 0, 0, 0, 0, 0],
        [2, 0, 0, 0, 0, 0],
        [[1, 0, 0, 1], [0, 1, 0, 0], [0, 0, 0, 0]],
    )
}

fn status_of(findings: &[Finding], id: &str) -> Vec<Status> {
    findings
        .iter()
        .filter(|f| f.rule.id == id)
        .map(|f| f.status)
        .collect()
}

fn fails(findings: &[Finding], id: &str) -> bool {
    status_of(findings, id).contains(&Status::Fail)
}

fn all_pass(findings: &[Finding], id: &str) -> bool {
    let s = status_of(findings, id);
    !s.is_empty() && s.iter().all(|s| *s == Status::Pass)
}

#[test]
fn rules_file_declares_every_rule_of_the_regulation() {
    let ids: Vec<&str> = rules().iter().map(|r| r.id.as_str()).collect();
    for id in [
        "T3-1", "T3-2", "T3-3", "T3-4", "T3-5", "T3-X", "T4-1", "T4-2", "T4-3", "T4-4", "T2-1",
        "T2-X", "TXT",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    // Every scope is one the engine knows: evaluating on a report never hits the fallback.
    let r = sample_report();
    let prev = sample_report();
    let findings = check(&r, Some(&prev));
    for rule in rules() {
        assert!(
            findings.iter().any(|f| f.rule.id == rule.id),
            "{} produced no finding",
            rule.id
        );
    }
}

#[test]
fn t3_1_new_plus_carried_equals_processed_plus_forward() {
    let mut r = sample_report();
    assert!(all_pass(&check(&r, None), "T3-1"));
    r.table3
        .set(T3Row::CarriedForward, T3Col::Total, Cell::count(99));
    let f = check(&r, None);
    let bad = f
        .iter()
        .find(|f| f.rule.id == "T3-1" && f.status == Status::Fail)
        .expect("T3-1 fails");
    assert_eq!(bad.scope_en, "table 3, column total");
    assert_eq!(bad.found.as_deref(), Some("9"));
    assert_eq!(bad.expected.as_deref(), Some("106"));
}

#[test]
fn t3_2_total_processed_is_the_sum_of_outcomes() {
    let mut r = sample_report();
    assert!(all_pass(&check(&r, None), "T3-2"));
    r.table3
        .set(T3Row::DeniedAdminQuery, T3Col::Research, Cell::count(1));
    assert!(fails(&check(&r, None), "T3-2"));
}

#[test]
fn t3_2_counts_the_single_other_row_of_the_2019_layout() {
    let mut r = sample_report();
    r.layout = Layout::Y2019;
    let mut t = crate::report::model::Table3::new(OtherShape::Single);
    for &row in t.rows() {
        for col in T3Col::ALL {
            let v = if row == T3Row::Other {
                r.table3.get(T3Row::OtherOther, col).clone()
            } else {
                r.table3.get(row, col).clone()
            };
            t.set(row, col, v);
        }
    }
    r.table3 = t;
    let f = check(&r, None);
    assert!(all_pass(&f, "T3-2"), "{:?}", status_of(&f, "T3-2"));
    r.table3
        .set(T3Row::Other, T3Col::NaturalPerson, Cell::count(7));
    assert!(fails(&check(&r, None), "T3-2"));
}

#[test]
fn t3_3_total_column_is_the_sum_of_applicants() {
    let mut r = sample_report();
    assert!(all_pass(&check(&r, None), "T3-3"));
    r.table3.set(T3Row::Granted, T3Col::Total, Cell::count(0));
    assert!(fails(&check(&r, None), "T3-3"));
}

#[test]
fn t3_4_blank_and_text_fail_the_domain() {
    let mut r = sample_report();
    assert!(all_pass(&check(&r, None), "T3-4"));
    r.table3
        .set(T3Row::Granted, T3Col::Research, Cell::new(Value::Blank));
    let f = check(&r, None);
    assert!(fails(&f, "T3-4"));
    // The sums that need that cell are unassessable, not computed with a 0.
    assert!(status_of(&f, "T3-2").contains(&Status::Unassessable));
    assert!(!fails(&f, "T3-2"));
    let mut r = sample_report();
    r.table3.set(
        T3Row::Granted,
        T3Col::Research,
        Cell::new(Value::Invalid("见附件".into())),
    );
    assert!(fails(&check(&r, None), "T3-4"));
    let mut r = sample_report();
    r.table3.set(
        T3Row::Granted,
        T3Col::Research,
        Cell::new(Value::NotApplicable),
    );
    assert!(fails(&check(&r, None), "T3-4"));
}

#[test]
fn t3_5_one_outcome_per_application() {
    let mut r = sample_report();
    assert_eq!(
        status_of(&check(&r, None), "T3-5"),
        vec![Status::NotApplicable]
    );
    let src = |ids: &[&str]| Source::Computed {
        records: ids.iter().map(|s| s.to_string()).collect(),
    };
    r.table3.set(
        T3Row::Granted,
        T3Col::NaturalPerson,
        Cell::count(1).with_source(src(&["A1"])),
    );
    r.table3.set(
        T3Row::Partial,
        T3Col::NaturalPerson,
        Cell::count(1).with_source(src(&["A2"])),
    );
    assert!(all_pass(&check(&r, None), "T3-5"));
    r.table3.set(
        T3Row::Partial,
        T3Col::NaturalPerson,
        Cell::count(1).with_source(src(&["A1"])),
    );
    assert!(fails(&check(&r, None), "T3-5"));
}

#[test]
fn t3_x_carried_over_matches_last_year() {
    let prev = sample_report();
    let r = consistent(
        &[[2, 0, 0, 0, 0, 0]],
        [2, 0, 0, 0, 0, 0],
        [0; 6],
        [[0; 4]; 3],
    );
    assert!(all_pass(&check(&r, Some(&prev)), "T3-X"));
    let r = consistent(
        &[[2, 0, 0, 0, 0, 0]],
        [1, 0, 0, 0, 0, 0],
        [0; 6],
        [[0; 4]; 3],
    );
    let f = check(&r, Some(&prev));
    assert!(fails(&f, "T3-X"));
    assert!(
        f.iter()
            .filter(|f| f.rule.id == "T3-X")
            .all(|f| f.rule.severity == Severity::Warning)
    );
    assert!(
        status_of(&check(&r, None), "T3-X").is_empty(),
        "cross-year rules need --previous"
    );
}

#[test]
fn t4_sums() {
    let r = sample_report();
    for id in ["T4-1", "T4-2", "T4-3", "T4-4"] {
        assert!(all_pass(&check(&r, None), id), "{id}");
    }
    for (id, key) in [
        ("T4-1", "review.total"),
        ("T4-2", "litigation.direct.pending"),
        ("T4-3", "litigation.after_review.upheld"),
    ] {
        let mut r = sample_report();
        r.table4
            .set(T4Col::from_key(key).expect("col"), Cell::count(5));
        assert!(fails(&check(&r, None), id), "{id}");
    }
    let mut r = sample_report();
    r.table4.set(
        T4Col::from_key("review.other").expect("col"),
        Cell::new(Value::Blank),
    );
    let f = check(&r, None);
    assert!(fails(&f, "T4-4"));
    assert_eq!(status_of(&f, "T4-1"), vec![Status::Unassessable]);
}

#[test]
fn t2_1_counts_and_amounts() {
    let mut r = sample_report();
    let fee = T2Key::find(Layout::Y2021, "art20_8", "admin_fees", "fee_amount").expect("fee");
    r.table2.set(
        fee,
        Cell::new(Value::Amount("12.35".parse().expect("decimal"))),
    );
    let rules_row = T2Key::find(Layout::Y2021, "art20_1", "rules", "issued").expect("key");
    r.table2.set(rules_row, Cell::new(Value::NotApplicable));
    assert!(all_pass(&check(&r, None), "T2-1"));
    r.table2
        .set(rules_row, Cell::new(Value::Invalid("-1".into())));
    assert!(fails(&check(&r, None), "T2-1"));
    let mut r = sample_report();
    r.table2.set(
        rules_row,
        Cell::new(Value::Amount("0.5".parse().expect("decimal"))),
    );
    assert!(
        fails(&check(&r, None), "T2-1"),
        "a fraction in a count cell"
    );
}

#[test]
fn t2_1_a_decrease_is_valid_only_in_the_change_cells() {
    let mut r = AnnualReport::new("测试机关", 2020);
    r.table3.fill_zero();
    for key in T2Key::all(Layout::Y2019) {
        r.table2.set(key, Cell::count(0));
    }
    let change = T2Key::find(Layout::Y2019, "art20_5", "admin_license", "change").expect("key");
    r.table2.set(change, Cell::new(Value::signed(-18)));
    assert!(all_pass(&check(&r, None), "T2-1"));
    // Anywhere else the minus sign makes the cell printed text, which fails the domain rule.
    let prev =
        T2Key::find(Layout::Y2019, "art20_5", "admin_license", "prev_year_items").expect("key");
    r.table2.set(prev, Cell::new(Value::signed(-18)));
    let findings = check(&r, None);
    let t2_1 = findings.iter().find(|f| f.rule.id == "T2-1").expect("T2-1");
    assert_eq!(t2_1.status, Status::Fail);
    assert_eq!(
        t2_1.problem_cells
            .iter()
            .map(|(c, _)| *c)
            .collect::<Vec<_>>(),
        vec![CellRef::T2(prev)]
    );
    let at = CellRef::T3(T3Row::Granted, T3Col::Total);
    r.set(at, Cell::new(Value::signed(-1)));
    assert!(fails(&check(&r, None), "T3-4"));
}

#[test]
fn t2_x_in_force_follows_issued_and_repealed() {
    let key = |col| T2Key::find(Layout::Y2021, "art20_1", "normative_docs", col).expect("key");
    let mut prev = sample_report();
    prev.year = 2020;
    prev.table2.set(key("in_force"), Cell::count(10));
    let mut r = sample_report();
    r.table2.set(key("issued"), Cell::count(3));
    r.table2.set(key("repealed"), Cell::count(1));
    r.table2.set(key("in_force"), Cell::count(12));
    let f = check(&r, Some(&prev));
    assert!(
        f.iter()
            .any(|f| f.rule.id == "T2-X" && f.status == Status::Pass)
    );
    r.table2.set(key("in_force"), Cell::count(15));
    assert!(fails(&check(&r, Some(&prev)), "T2-X"));
}

#[test]
fn txt_categories_add_up() {
    let mut r = sample_report();
    r.proactive = Some(Proactive {
        total: Some(3),
        by_category: vec![("政策文件".into(), 1), ("会议公开".into(), 2)],
    });
    assert!(all_pass(&check(&r, None), "TXT"));
    r.proactive = Some(Proactive {
        total: Some(4),
        by_category: vec![("政策文件".into(), 1), ("会议公开".into(), 2)],
    });
    assert!(fails(&check(&r, None), "TXT"));
}

#[test]
fn unassessable_message_names_the_blank_cell_and_the_zero_reading() {
    let mut r = zero_report();
    r.table3
        .set(T3Row::CarriedForward, T3Col::Total, Cell::new(Value::Blank));
    r.table3
        .set(T3Row::NewReceived, T3Col::Total, Cell::count(1));
    let f = check(&r, None);
    let t31 = f
        .iter()
        .find(|f| f.rule.id == "T3-1" && f.scope_en.ends_with("total"))
        .expect("finding");
    assert_eq!(t31.status, Status::Unassessable);
    let msg = t31.message(Lang::Zh);
    assert!(
        msg.contains("table3.carried_forward.total")
            && msg.contains("空白")
            && msg.contains("按0计"),
        "{msg}"
    );
}

fn t3_cells(r: &AnnualReport) -> Vec<CellRef> {
    r.cell_refs()
        .into_iter()
        .filter(|c| !matches!(c, CellRef::T2(_)))
        .collect()
}

proptest! {
    #[test]
    fn consistent_tables_pass_every_rule(
        outcomes in proptest::collection::vec(proptest::array::uniform6(0u64..50), 0..21),
        co in proptest::array::uniform6(0u64..20),
        cf in proptest::array::uniform6(0u64..20),
        t4 in proptest::array::uniform3(proptest::array::uniform4(0u64..30)),
    ) {
        let r = consistent(&outcomes, co, cf, t4);
        let f = check(&r, None);
        for finding in &f {
            prop_assert!(matches!(finding.status, Status::Pass | Status::NotApplicable), "{}", finding.message(Lang::En));
        }
    }

    #[test]
    fn changing_any_single_cell_breaks_a_rule(
        outcomes in proptest::collection::vec(proptest::array::uniform6(0u64..50), 0..21),
        cf in proptest::array::uniform6(0u64..20),
        which in any::<proptest::sample::Index>(),
        delta in 1u64..10,
        blank in any::<bool>(),
    ) {
        let mut r = consistent(&outcomes, [0; 6], cf, [[1, 2, 3, 4]; 3]);
        let cells = t3_cells(&r);
        let at = cells[which.index(cells.len())];
        let old = r.cell(at).value.number().map_or(0, |d| u64::try_from(d).unwrap_or(0));
        let new = if blank { Value::Blank } else { Value::Count(old + delta) };
        r.set(at, Cell::new(new));
        prop_assert!(!passes(&check(&r, None)), "changing {} went unnoticed", at);
    }
}
