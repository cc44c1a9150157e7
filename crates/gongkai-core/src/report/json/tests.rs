use super::*;
use crate::report::cell::{Cell, Place, Source, Value};
use crate::report::keys::{CellRef, Layout, OtherShape, T2Key, T3Col, T3Row, T4Col};
use crate::report::model::{AnnualReport, Table3};
use rust_decimal::Decimal;
use serde_json::json;

fn minimal() -> Json {
    json!({"format": FORMAT, "agency": "测试机关", "year": 2021})
}

#[test]
fn blank_zero_and_not_applicable_stay_distinct() {
    let mut doc = minimal();
    doc["table2"] = json!({"art20_1": {"rules": {"issued": "/", "repealed": 0, "in_force": null}},
                           "art20_8": {"admin_fees": {"fee_amount": "12.350"}}});
    doc["table3"] = json!({"granted": {"natural_person": 0, "total": null, "legal.other": "/"}});
    let report = from_json(&doc).expect("reads");
    let k = |c| T2Key::find(Layout::Y2021, "art20_1", "rules", c).expect("key");
    assert_eq!(report.table2.get(k("issued")).value, Value::NotApplicable);
    assert_eq!(report.table2.get(k("repealed")).value, Value::Count(0));
    assert_eq!(report.table2.get(k("in_force")).value, Value::Blank);
    let again = from_json(&to_json(&report, None)).expect("round trip");
    assert_eq!(again, report);
    let out = to_json(&again, None);
    assert_eq!(
        out["table2"]["art20_1"]["rules"],
        json!({"issued": "/", "repealed": 0, "in_force": null})
    );
    assert_eq!(
        out["table2"]["art20_8"]["admin_fees"]["fee_amount"],
        json!("12.35")
    );
    assert_eq!(out["table3"]["granted"]["legal.other"], json!("/"));
}

#[test]
fn negative_or_fractional_counts_are_refused_with_their_path() {
    for bad in [json!(-1), json!(1.5)] {
        let mut doc = minimal();
        doc["table3"] = json!({"granted": {"total": bad}});
        let err = from_json(&doc).expect_err("refused");
        assert!(
            matches!(&err, JsonError::Invalid { path, .. } if path == "table3.granted.total"),
            "{err}"
        );
    }
}

#[test]
fn unknown_keys_name_what_was_expected() {
    let mut doc = minimal();
    doc["table3"] = json!({"granted": {"robots": 1}});
    let err = from_json(&doc).expect_err("refused").to_string();
    assert!(
        err.contains("table3.granted.robots") && err.contains("natural_person"),
        "{err}"
    );
    let mut doc = minimal();
    doc["table3"] = json!({"grant": {}});
    assert!(
        from_json(&doc)
            .expect_err("refused")
            .to_string()
            .contains("table3.grant")
    );
}

#[test]
fn layout_must_match_its_rows() {
    let mut doc = minimal();
    doc["layout"] = json!("2019");
    doc["table3"] = json!({"other.other": {"total": 1}});
    let err = from_json(&doc).expect_err("refused").to_string();
    assert!(err.contains("table3.other.other"), "{err}");
    let mut doc = minimal();
    doc["table2"] = json!({"art20_1": {"rules": {"new_made": 1}}});
    doc["layout"] = json!("2021");
    assert!(
        from_json(&doc)
            .expect_err("refused")
            .to_string()
            .contains("table2.art20_1.rules.new_made")
    );
}

#[test]
fn syntax_errors_give_line_and_column() {
    let err = from_str("{\n \"agency\": ,}").expect_err("refused");
    assert!(matches!(err, JsonError::Syntax { line: 2, .. }), "{err}");
}

#[test]
fn text_in_a_number_cell_is_kept() {
    let mut doc = minimal();
    doc["table4"] = json!({"review.total": "见附件"});
    let report = from_json(&doc).expect("reads");
    let col = T4Col::from_key("review.total").expect("col");
    assert_eq!(
        report.table4.get(col).value,
        Value::Invalid("见附件".into())
    );
}

fn arb_value(amount: bool) -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let number = if amount {
        (0u64..10_000_000, 0u32..4)
            .prop_map(|(n, scale)| Value::Amount(Decimal::new(n as i64, scale)))
            .boxed()
    } else {
        (0u64..100_000).prop_map(Value::Count).boxed()
    };
    prop_oneof![
        number,
        Just(Value::Count(0)),
        Just(Value::NotApplicable),
        Just(Value::Blank),
        "[a-z见附件]{1,6}".prop_map(Value::Invalid),
    ]
}

proptest::proptest! {
    /// Any report survives JSON and back unchanged: blank, 0 and "/" stay distinct.
    #[test]
    fn json_round_trip_is_lossless(
        legacy in proptest::bool::ANY,
        single in proptest::bool::ANY,
        values in proptest::collection::vec(arb_value(false), 200),
        fee in arb_value(true),
    ) {
        let mut r = AnnualReport::new("测试机关", if legacy { 2020 } else { 2022 });
        if !legacy && single {
            r.table3 = Table3::new(OtherShape::Single);
        }
        let mut values = values.into_iter().cycle();
        for at in r.cell_refs() {
            let v = match at {
                CellRef::T2(k) if k.is_amount() => fee.clone(),
                _ => values.next().unwrap_or_default(),
            };
            r.set(at, Cell::new(v));
        }
        let text = serde_json::to_string(&to_json(&r, None)).expect("serialises");
        let again = from_str(&text).expect("reads back");
        proptest::prop_assert_eq!(again, r);
    }
}

#[test]
fn sources_round_trip() {
    let mut report = AnnualReport::new("测试机关", 2021);
    let at = CellRef::T3(T3Row::Granted, T3Col::NaturalPerson);
    report.set(
        at,
        Cell::count(2).with_source(Source::Computed {
            records: vec!["A1".into(), "A2".into()],
        }),
    );
    let at2 = CellRef::T3(T3Row::Granted, T3Col::Total);
    report.set(
        at2,
        Cell::count(2).with_source(Source::Imported(Place {
            line: Some(12),
            text: Some("2".into()),
            ..Place::default()
        })),
    );
    report.source_file = Some("a.txt".into());
    let again = from_json(&to_json(&report, None)).expect("round trip");
    assert_eq!(again, report);
}
