//! Table 三 from any mix of the store's case groups satisfies the consistency rules by
//! construction: the app reads the groups' keys as typed columns and outcomes and the core
//! counts them (`gongkai_core::report::table3_count`, whose own tests hold the same property
//! over typed groups and a worked example over dated cases).

use gongkai_app::report::table3_from_groups;
use gongkai_core::report::{AnnualReport, OtherShape, T3Col, T3Row, Value, check};
use gongkai_store::repo::application::T3Group;
use proptest::prelude::*;

const KINDS: [&str; 6] = [
    "natural_person",
    "legal.commercial",
    "legal.research",
    "legal.social_welfare",
    "legal.legal_service",
    "legal.other",
];

fn outcomes() -> Vec<&'static str> {
    T3Row::rows(OtherShape::Split)
        .iter()
        .filter(|r| r.is_outcome())
        .map(|r| r.key())
        .collect()
}

fn groups() -> impl Strategy<Value = Vec<T3Group>> {
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
            .map(|(k, new, o, count)| T3Group {
                applicant_kind: KINDS[k].to_string(),
                received_in_year: new,
                outcome: o.map(|i| outs[i].to_string()),
                numbers: (0..count)
                    .map(|_| {
                        seq += 1;
                        format!("2021-{seq:06}")
                    })
                    .collect(),
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn t3_rules_hold_by_construction(groups in groups(), year in prop::sample::select(vec![2020, 2021])) {
        let mut report = AnnualReport::new("某局", year);
        report.table3 = table3_from_groups(&groups, report.table3.shape).expect("table");
        for f in check(&report, None) {
            if f.rule.id.starts_with("T3") {
                prop_assert!(!f.is_error_failure(), "{} fails", f.rule.id);
            }
        }
        let cases: usize = groups.iter().map(|g| g.numbers.len()).sum();
        let total = |row| match report.table3.get(row, T3Col::Total).value {
            Value::Count(n) => n as usize,
            ref v => panic!("{v:?}"),
        };
        prop_assert_eq!(total(T3Row::NewReceived) + total(T3Row::CarriedOver), cases);
        // Every case id appears once in 新收/结转 and once in 办理结果/结转下年 of its column.
        if let Some(gongkai_core::report::Source::Computed { records }) =
            &report.table3.get(T3Row::CarriedForward, T3Col::Total).source
        {
            let open: usize = groups.iter().filter(|g| g.outcome.is_none()).map(|g| g.numbers.len()).sum();
            prop_assert_eq!(records.len(), open);
        } else {
            prop_assert!(false, "computed source");
        }
    }
}

#[test]
fn the_2019_layout_folds_the_other_rows() {
    let groups = vec![
        T3Group {
            applicant_kind: "natural_person".into(),
            received_in_year: true,
            outcome: Some("other.other".into()),
            numbers: vec!["2020-000001".into()],
        },
        T3Group {
            applicant_kind: "natural_person".into(),
            received_in_year: true,
            outcome: Some("other.no_correction".into()),
            numbers: vec!["2020-000002".into()],
        },
    ];
    let t = table3_from_groups(&groups, OtherShape::Single).expect("table");
    assert_eq!(
        t.get(T3Row::Other, T3Col::NaturalPerson).value,
        Value::Count(2)
    );
    assert_eq!(t.get(T3Row::OtherOther, T3Col::Total).value, Value::Blank);
    let err = table3_from_groups(
        &[T3Group {
            applicant_kind: "alien".into(),
            received_in_year: true,
            outcome: None,
            numbers: vec!["2020-000003".into()],
        }],
        OtherShape::Split,
    )
    .expect_err("unknown kind");
    assert!(err.to_string().contains("unknown applicant kind"));
}
