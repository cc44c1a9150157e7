//! The working-day calendar (工作日): State Council holiday notices as data, and working-day
//! arithmetic over them (docs/rules/deadlines.md, "Working days").
//!
//! A date is a working day iff the notices list it as an adjusted working day (调休上班), or it
//! is Mon–Fri and not a notice's rest day. Dates of a year whose notice is not loaded are never
//! guessed: every query about them returns [`CalendarError::NoData`]. Because a notice can
//! rearrange the last days of the year before (the 2019 notice made 2018-12-29 a working day
//! and 2018-12-31 a rest day), dates from 26 December on also need the next year's notice.

mod arithmetic;
mod beijing;
mod builtin;
mod data;

pub use beijing::{BEIJING, date_in_china};
pub use data::{SpecialDay, YearData, parse_year};

use std::collections::BTreeMap;
use time::{Date, Month, Weekday};

/// Why a calendar question has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The notice that decides `date` is not loaded.
    #[error(
        "no working-day calendar for {year} (needed for {date}); load data/holidays/cn/{year}.json"
    )]
    NoData { year: i32, date: Date },
    /// A year file that cannot be read.
    #[error("bad calendar file: {0}")]
    Parse(String),
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind<'a> {
    /// Mon–Fri with no notice entry.
    Workday,
    /// Sat/Sun with no notice entry.
    Weekend,
    /// A rest day of a notice (法定节假日 or a weekend moved into the holiday), with its name.
    Holiday(&'a str),
    /// A weekend day the notice makes a working day (调休上班), with the holiday it belongs to.
    AdjustedWorkday(&'a str),
}

impl DayKind<'_> {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::AdjustedWorkday(_))
    }
}

/// Loaded holiday notices, keyed by date.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearData>,
    /// Merged view: for a date listed by two notices, the later notice wins.
    days: BTreeMap<Date, (bool, String)>,
}

impl Calendar {
    /// An empty calendar: every question returns [`CalendarError::NoData`].
    pub fn new() -> Calendar {
        Calendar::default()
    }

    /// The national calendars shipped with gongkai (2019–2026).
    pub fn builtin() -> Calendar {
        let mut cal = Calendar::new();
        for (year, text) in builtin::YEARS {
            let loaded = cal
                .load_year(text)
                .expect("the shipped calendar files parse (tested)");
            debug_assert_eq!(loaded, year);
        }
        cal
    }

    /// Parses and adds (or replaces) one year file in the holiday-cn schema; returns its year.
    pub fn load_year(&mut self, json: &str) -> Result<i32, CalendarError> {
        let data = parse_year(json)?;
        let year = data.year;
        self.insert_year(data);
        Ok(year)
    }

    /// Adds (or replaces) an already parsed year.
    pub fn insert_year(&mut self, data: YearData) {
        self.years.insert(data.year, data);
        self.days = self
            .years
            .values()
            .flat_map(|y| y.days.iter())
            .map(|d| (d.date, (d.is_off_day, d.name.clone())))
            .collect();
    }

    /// The years whose notices are loaded, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// The loaded data of one year.
    pub fn year(&self, year: i32) -> Option<&YearData> {
        self.years.get(&year)
    }

    /// Whether the notices that decide `date` are loaded.
    pub fn covers(&self, date: Date) -> bool {
        self.require(date).is_ok()
    }

    fn require(&self, date: Date) -> Result<(), CalendarError> {
        let year = date.year();
        if !self.years.contains_key(&year) {
            return Err(CalendarError::NoData { year, date });
        }
        if date.month() == Month::December
            && date.day() >= 26
            && !self.years.contains_key(&(year + 1))
        {
            return Err(CalendarError::NoData {
                year: year + 1,
                date,
            });
        }
        Ok(())
    }

    /// The kind of day `date` is.
    pub fn day_kind(&self, date: Date) -> Result<DayKind<'_>, CalendarError> {
        self.require(date)?;
        let weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
        Ok(match self.days.get(&date) {
            Some((true, name)) => DayKind::Holiday(name),
            Some((false, name)) => DayKind::AdjustedWorkday(name),
            None if weekend => DayKind::Weekend,
            None => DayKind::Workday,
        })
    }

    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        Ok(self.day_kind(date)?.is_working())
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).ok()
}

/// `2021-09-30`.
pub fn iso(date: Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&fmt)
        .expect("a Date always formats as YYYY-MM-DD")
}

/// Short weekday names for workings: ("Thu", "周四").
pub fn weekday_names(date: Date) -> (&'static str, &'static str) {
    match date.weekday() {
        Weekday::Monday => ("Mon", "周一"),
        Weekday::Tuesday => ("Tue", "周二"),
        Weekday::Wednesday => ("Wed", "周三"),
        Weekday::Thursday => ("Thu", "周四"),
        Weekday::Friday => ("Fri", "周五"),
        Weekday::Saturday => ("Sat", "周六"),
        Weekday::Sunday => ("Sun", "周日"),
    }
}

#[cfg(test)]
mod tests;
