use super::*;
use proptest::prelude::*;
use time::macros::date;

fn cal() -> Calendar {
    Calendar::builtin()
}

#[test]
fn shipped_years_are_2019_to_2026() {
    assert_eq!(
        cal().years().collect::<Vec<_>>(),
        (2019..=2026).collect::<Vec<_>>()
    );
}

/// Every date of 2019-01-01 … 2026-12-25 agrees with the `chinese_holiday` crate (which panics
/// after 2026-12-25, hence the bound).
#[test]
fn agrees_with_the_chinese_holiday_oracle_2019_2026() {
    let cal = cal();
    let mut d = date!(2019 - 01 - 01);
    let mut checked = 0;
    while d <= date!(2026 - 12 - 25) {
        let ymd = chinese_holiday::Ymd::new(d.year() as u16, d.month() as u8, d.day());
        let oracle = chinese_holiday::chinese_holiday(ymd).is_workday();
        assert_eq!(cal.is_working_day(d), Ok(oracle), "{d}");
        d = d.next_day().expect("in range");
        checked += 1;
    }
    assert_eq!(checked, 2916);
}

#[test]
fn adjusted_working_days_and_holidays() {
    let cal = cal();
    // 2021-09-26 (Sun) was a 国庆 调休 working day; 2021-10-01 a holiday.
    assert_eq!(
        cal.day_kind(date!(2021 - 09 - 26)),
        Ok(DayKind::AdjustedWorkday("国庆节"))
    );
    assert_eq!(
        cal.day_kind(date!(2021 - 10 - 01)),
        Ok(DayKind::Holiday("国庆节"))
    );
    assert_eq!(cal.day_kind(date!(2021 - 10 - 13)), Ok(DayKind::Workday));
    assert_eq!(cal.day_kind(date!(2021 - 10 - 16)), Ok(DayKind::Weekend));
    // 2024-02-09 (除夕, Fri) stayed a working day.
    assert_eq!(cal.is_working_day(date!(2024 - 02 - 09)), Ok(true));
    // 2020-02-01 (Sat): originally a working day, swallowed by the COVID-19 extension.
    assert_eq!(cal.is_working_day(date!(2020 - 02 - 01)), Ok(false));
}

#[test]
fn december_dates_belong_to_the_next_notice() {
    let cal = cal();
    // The 2023 notice makes 2022-12-31 part of 元旦.
    assert_eq!(
        cal.day_kind(date!(2022 - 12 - 31)),
        Ok(DayKind::Holiday("元旦"))
    );
    // Without the 2027 notice the last days of 2026 are unknown, not guessed.
    assert_eq!(
        cal.is_working_day(date!(2026 - 12 - 28)),
        Err(CalendarError::NoData {
            year: 2027,
            date: date!(2026 - 12 - 28)
        })
    );
    assert_eq!(cal.is_working_day(date!(2026 - 12 - 24)), Ok(true));
    // 2018 is not shipped even though the 2019 file lists 2018-12-29…31.
    assert!(matches!(
        cal.is_working_day(date!(2018 - 12 - 31)),
        Err(CalendarError::NoData { year: 2018, .. })
    ));
}

#[test]
fn add_working_days_across_national_day_2021() {
    let cal = cal();
    // Received Thu 2021-09-30: day 1 is Fri 2021-10-08 (10-09 Sat is a 调休 working day).
    assert_eq!(
        cal.add_working_days(date!(2021 - 09 - 30), 1),
        Ok(date!(2021 - 10 - 08))
    );
    assert_eq!(
        cal.add_working_days(date!(2021 - 09 - 30), 2),
        Ok(date!(2021 - 10 - 09))
    );
    assert_eq!(
        cal.add_working_days(date!(2021 - 09 - 30), 20),
        Ok(date!(2021 - 11 - 03))
    );
    assert_eq!(
        cal.add_working_days(date!(2021 - 09 - 30), 0),
        Ok(date!(2021 - 09 - 30))
    );
    // A trigger on a holiday gives the same day 1.
    assert_eq!(
        cal.add_working_days(date!(2021 - 10 - 03), 1),
        Ok(date!(2021 - 10 - 08))
    );
}

#[test]
fn add_working_days_into_a_missing_year_fails() {
    let cal = cal();
    assert!(matches!(
        cal.add_working_days(date!(2026 - 12 - 10), 20),
        Err(CalendarError::NoData { year: 2027, .. })
    ));
    assert!(matches!(
        Calendar::new().add_working_days(date!(2021 - 01 - 04), 1),
        Err(CalendarError::NoData { year: 2021, .. })
    ));
}

#[test]
fn loading_a_year_file_from_text() {
    let mut cal = Calendar::new();
    let json = r#"{"year":2027,"papers":["x"],"days":[
        {"name":"元旦","date":"2027-01-01","isOffDay":true},
        {"name":"元旦","date":"2026-12-27","isOffDay":true}]}"#;
    assert_eq!(cal.load_year(json), Ok(2027));
    assert_eq!(cal.is_working_day(date!(2027 - 01 - 01)), Ok(false));
    assert_eq!(cal.is_working_day(date!(2027 - 01 - 04)), Ok(true));
    // 2026 itself is still missing in this calendar.
    assert!(cal.is_working_day(date!(2026 - 12 - 28)).is_err());
}

#[test]
fn bad_year_files_are_refused() {
    let bad = [
        r#"{"year":2021,"papers":[],"days":[]}"#,
        r#"{"year":2021,"days":[{"name":"x","date":"2021-13-01","isOffDay":true}]}"#,
        r#"{"year":2021,"days":[{"name":"x","date":"2019-10-01","isOffDay":true}]}"#,
        r#"{"year":2021,"days":[{"name":"x","date":"2021-10-08","isOffDay":false}]}"#,
        r#"{"year":2021,"days":[{"name":"x","date":"2021-10-01","isOffDay":true},{"name":"x","date":"2021-10-01","isOffDay":true}]}"#,
        r#"{"year":2021,"days":[{"name":"x","date":"2021-10-01","off":true}]}"#,
        "not json",
    ];
    for b in bad {
        assert!(matches!(parse_year(b), Err(CalendarError::Parse(_))), "{b}");
    }
}

fn any_covered_date() -> impl Strategy<Value = Date> {
    (0i64..2916).prop_map(|n| date!(2019 - 01 - 01) + time::Duration::days(n))
}

proptest! {
    #[test]
    fn add_then_count_round_trips(d in any_covered_date(), n in 0u32..40) {
        let cal = cal();
        if let Ok(due) = cal.add_working_days(d, n) {
            prop_assert_eq!(cal.working_days_between(d, due), Ok(i64::from(n)));
            prop_assert_eq!(cal.working_days_between(due, d), Ok(-i64::from(n)));
            if n > 0 {
                prop_assert_eq!(cal.is_working_day(due), Ok(true));
                prop_assert!(due > d);
            }
        }
    }

    #[test]
    fn more_days_never_earlier(d in any_covered_date(), n in 0u32..40) {
        let cal = cal();
        if let (Ok(a), Ok(b)) = (cal.add_working_days(d, n), cal.add_working_days(d, n + 1)) {
            prop_assert!(b > a);
        }
    }
}
