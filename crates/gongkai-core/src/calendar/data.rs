//! Parsing one year of the State Council holiday arrangement from the holiday-cn JSON schema
//! (`year`, `papers[]`, `days[{name, date, isOffDay}]`). Text in, typed year out: no file I/O.

use super::{CalendarError, parse_iso_date};
use serde::Deserialize;
use time::{Date, Weekday};

/// One year's notice: the rest days (放假) and adjusted working days (调休上班) it fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearData {
    pub year: i32,
    /// Where the arrangement was published (notice numbers and addresses).
    pub papers: Vec<String>,
    pub days: Vec<SpecialDay>,
}

/// A date the notice changes from the Mon–Fri rule: off (a holiday, or a weekend inside a
/// holiday range) or on (a weekend day that becomes a working day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialDay {
    pub date: Date,
    /// The holiday it belongs to, as the notice names it (元旦, 春节, 国庆节 …).
    pub name: String,
    pub is_off_day: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    #[serde(rename = "$id", default)]
    _id: Option<String>,
    year: i32,
    #[serde(default)]
    papers: Vec<String>,
    days: Vec<RawDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    name: String,
    date: String,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

/// Parses one year file. Refuses an empty year (holiday-cn ships empty files for years whose
/// notice is not out yet: loading one must not look like "no holidays"), bad dates, dates
/// outside the notice's reach (from December of the year before to the year's end), duplicate
/// dates, and an adjusted working day that is not a weekend day.
pub fn parse_year(json: &str) -> Result<YearData, CalendarError> {
    let raw: RawYear =
        serde_json::from_str(json).map_err(|e| CalendarError::Parse(e.to_string()))?;
    let year = raw.year;
    if !(1949..=9999).contains(&year) {
        return Err(CalendarError::Parse(format!("year {year} is out of range")));
    }
    if raw.days.is_empty() {
        return Err(CalendarError::Parse(format!(
            "the {year} file lists no days: the notice is not in it yet"
        )));
    }
    let mut days = Vec::with_capacity(raw.days.len());
    for d in raw.days {
        let date = parse_iso_date(&d.date).ok_or_else(|| {
            CalendarError::Parse(format!("{year}: {:?} is not a date (YYYY-MM-DD)", d.date))
        })?;
        let reach = date.year() == year
            || (date.year() == year - 1 && date.month() == time::Month::December);
        if !reach {
            return Err(CalendarError::Parse(format!(
                "{year}: {date} is outside the reach of the {year} notice"
            )));
        }
        if !d.is_off_day && !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            return Err(CalendarError::Parse(format!(
                "{year}: {date} is listed as an adjusted working day but is a {}",
                date.weekday()
            )));
        }
        if d.name.trim().is_empty() {
            return Err(CalendarError::Parse(format!("{year}: {date} has no name")));
        }
        days.push(SpecialDay {
            date,
            name: d.name,
            is_off_day: d.is_off_day,
        });
    }
    days.sort_by_key(|d| d.date);
    if let Some(w) = days.windows(2).find(|w| w[0].date == w[1].date) {
        return Err(CalendarError::Parse(format!(
            "{year}: {} is listed twice",
            w[0].date
        )));
    }
    Ok(YearData {
        year,
        papers: raw.papers,
        days,
    })
}
