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
        changes in proptest::collection::vec(-1000i64..1000, 10),
    ) {
        let mut r = AnnualReport::new("测试机关", if legacy { 2020 } else { 2022 });
        if !legacy && single {
            r.table3 = Table3::new(OtherShape::Single);
        }
        let mut values = values.into_iter().cycle();
        let mut changes = changes.into_iter().cycle();
        for at in r.cell_refs() {
            let v = match at {
                CellRef::T2(k) if k.is_amount() => fee.clone(),
                CellRef::T2(k) if k.is_signed() => Value::signed(changes.next().unwrap_or_default()),
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

/// A 2020 report (2019 layout) with 行政许可's 本年增/减 set to `change`.
fn with_change(change: Json) -> Json {
    json!({"format": FORMAT, "layout": "2019", "agency": "测试机关", "year": 2020,
           "table2": {"art20_5": {"admin_license":
               {"prev_year_items": 20, "change": change, "decisions": 7}}}})
}

#[test]
fn signed_change_reads_and_round_trips() {
    let key = T2Key::find(Layout::Y2019, "art20_5", "admin_license", "change").expect("key");
    let report = from_json(&with_change(json!(-18))).expect("reads");
    assert_eq!(report.table2.get(key).value, Value::signed(-18));
    assert_eq!(report.table2.get(key).value.to_string(), "-18");
    assert_eq!(
        report.table2.get(key).value.number(),
        Some(Decimal::from(-18))
    );
    let out = to_json(&report, None);
    assert_eq!(
        out["table2"]["art20_5"]["admin_license"]["change"],
        json!(-18)
    );
    let text = serde_json::to_string(&out).expect("serialises");
    assert_eq!(from_str(&text).expect("reads back"), report);
    // A string of a signed integer is the number; an increase or zero is a count.
    let report = from_json(&with_change(json!("-18"))).expect("reads");
    assert_eq!(report.table2.get(key).value, Value::signed(-18));
    let report = from_json(&with_change(json!(5))).expect("reads");
    assert_eq!(report.table2.get(key).value, Value::Count(5));
    assert_eq!(Value::signed(0), Value::Count(0));
    // "-" alone is still not applicable.
    let report = from_json(&with_change(json!("-"))).expect("reads");
    assert_eq!(report.table2.get(key).value, Value::NotApplicable);
    // A fraction is still refused.
    let err = from_json(&with_change(json!(-1.5))).expect_err("refused");
    assert!(
        matches!(&err, JsonError::Invalid { path, .. }
            if path == "table2.art20_5.admin_license.change"),
        "{err}"
    );
}

#[test]
fn negatives_outside_the_change_cells_are_refused_with_their_path() {
    let mut doc = with_change(json!(-18));
    doc["table2"]["art20_5"]["admin_license"]["prev_year_items"] = json!(-1);
    let err = from_json(&doc).expect_err("refused").to_string();
    assert!(
        err.contains("table2.art20_5.admin_license.prev_year_items") && err.contains("≥ 0"),
        "{err}"
    );
    let mut doc = with_change(json!(-18));
    doc["table3"] = json!({"granted": {"total": -18}});
    let err = from_json(&doc).expect_err("refused").to_string();
    assert!(
        err.contains("at table3.granted.total") && err.contains("≥ 0") && err.contains("-18"),
        "{err}"
    );
    let mut doc = with_change(json!(-18));
    doc["table4"] = json!({"review.total": -2});
    let err = from_json(&doc).expect_err("refused").to_string();
    assert!(err.contains("at table4.review.total"), "{err}");
    // The model keeps a negative outside the signed cells as printed text.
    let mut r = AnnualReport::new("测试机关", 2020);
    let at = CellRef::T3(T3Row::Granted, T3Col::Total);
    r.set(at, Cell::new(Value::signed(-18)));
    assert_eq!(r.cell(at).value, Value::Invalid("-18".into()));
    let prev =
        T2Key::find(Layout::Y2019, "art20_5", "admin_license", "prev_year_items").expect("key");
    r.table2.set(prev, Cell::new(Value::signed(-3)));
    assert_eq!(r.table2.get(prev).value, Value::Invalid("-3".into()));
}

#[test]
fn schema_allows_negative_integers_only_in_change_cells() {
    let schema = crate::report::schema::schema();
    let t2 = &schema["properties"]["table2"]["properties"];
    let integer_rule = |cell: &Json| {
        cell["oneOf"]
            .as_array()
            .and_then(|alts| alts.iter().find(|a| a["type"] == "integer"))
            .cloned()
            .expect("an integer alternative")
    };
    let mut signed = 0;
    for (sub, rows) in t2.as_object().expect("sub-tables") {
        for (row, cols) in rows["properties"].as_object().expect("rows") {
            for (col, cell) in cols["properties"].as_object().expect("columns") {
                if col.ends_with("amount") {
                    continue;
                }
                let rule = integer_rule(cell);
                if col == "change" {
                    signed += 1;
                    assert!(rule.get("minimum").is_none(), "{sub}.{row}.{col}");
                } else {
                    assert_eq!(rule["minimum"], json!(0), "{sub}.{row}.{col}");
                }
            }
        }
    }
    assert_eq!(signed, 5, "the five 本年增/减 cells of the 2019 layout");
    let t3 = &schema["properties"]["table3"]["properties"]["granted"]["properties"]["total"];
    assert_eq!(integer_rule(t3)["minimum"], json!(0));
    let t4 = &schema["properties"]["table4"]["properties"]["review.total"];
    assert_eq!(integer_rule(t4)["minimum"], json!(0));
}
