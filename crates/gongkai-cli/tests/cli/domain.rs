//! End-to-end tests of `gongkai calendar|fee|validate` on the built binary.

use super::common::*;

use std::process::Output;

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn add_working_days_across_national_day_2021() {
    let o = gongkai(&["calendar", "add-working-days", "2021-09-30", "20"]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o), "2021-11-03");
    let o = gongkai(&["calendar", "add-working-days", "2021-09-30", "1"]);
    assert_eq!(out(&o), "2021-10-08");
}

#[test]
fn is_working_day_knows_adjusted_days() {
    for (date, want) in [
        ("2021-10-09", "yes"),
        ("2021-10-01", "no"),
        ("2021-10-16", "no"),
        ("2024-02-09", "yes"),
    ] {
        let o = gongkai(&["calendar", "is-working-day", date]);
        assert!(o.status.success(), "{}", err(&o));
        assert_eq!(out(&o), want, "{date}");
    }
}

#[test]
fn a_year_without_data_exits_2_with_a_message() {
    let o = gongkai(&["calendar", "is-working-day", "2027-01-04"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("no working-day calendar for 2027"),
        "{}",
        err(&o)
    );
    assert!(out(&o).is_empty());
    let o = gongkai(&["calendar", "add-working-days", "2026-12-10", "20"]);
    assert_eq!(o.status.code(), Some(2));
    let o = gongkai(&["calendar", "is-working-day", "2021-02-30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not a date"));
}

#[test]
fn an_extra_year_file_is_loaded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("2027.json");
    std::fs::write(
        &file,
        r#"{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#,
    )
    .expect("write");
    let f = file.to_str().expect("utf-8 path");
    let o = gongkai(&["calendar", "is-working-day", "2027-01-01", "--holidays", f]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o), "no");
    let o = gongkai(&[
        "calendar",
        "add-working-days",
        "2026-12-24",
        "1",
        "--holidays",
        f,
    ]);
    assert_eq!(out(&o), "2026-12-25");
    let o = gongkai(&[
        "calendar",
        "add-working-days",
        "2026-12-31",
        "1",
        "--holidays",
        f,
    ]);
    assert_eq!(out(&o), "2027-01-04");
}

#[test]
fn fees_in_yuan() {
    let cases: [(&[&str], &str); 6] = [
        (&["fee", "per-item", "--prior", "0", "--items", "10"], "0"),
        (&["fee", "per-item", "--prior", "10", "--items", "1"], "100"),
        (
            &["fee", "per-item", "--prior", "0", "--items", "31"],
            "2200",
        ),
        (&["fee", "per-volume", "--pages", "30"], "0"),
        (&["fee", "per-volume", "--pages", "101"], "720"),
        (&["fee", "per-volume", "--pages", "201"], "2740"),
    ];
    for (args, want) in cases {
        let o = gongkai(args);
        assert!(o.status.success(), "{args:?}: {}", err(&o));
        assert_eq!(out(&o), want, "{args:?}");
    }
}

#[test]
fn bi_3_1_validate_id_number_exit_codes() {
    let o = gongkai(&["validate", "id-number", "11010519491231002X"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(out(&o), "valid: 11010519491231002X");
    let o = gongkai(&["validate", "id-number", "110105194912310021"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("expected X, found 1"), "{}", out(&o));
}

#[test]
fn bi_3_2_validate_credit_code_exit_codes() {
    let o = gongkai(&["validate", "credit-code", "91110108MA0000001D"]);
    assert_eq!(o.status.code(), Some(0));
    let o = gongkai(&["validate", "credit-code", "91110108MA0000001E"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("expected D, found E"), "{}", out(&o));
}
