//! Working-day arithmetic (docs/rules/deadlines.md, "How day 1 is counted"): the starting day is
//! not counted, day 1 is the first working day after the trigger date.

use super::{Calendar, CalendarError};
use time::Date;

impl Calendar {
    /// The `n`-th working day after `date` (`n = 0` gives `date` itself). Fails on the first
    /// date whose notice is not loaded.
    pub fn add_working_days(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        self.add_working_days_excluding(date, n, |_| false)
    }

    /// Like [`Calendar::add_working_days`], but working days for which `excluded` is true are
    /// not counted (the clock's paused periods).
    pub fn add_working_days_excluding(
        &self,
        date: Date,
        n: u32,
        excluded: impl Fn(Date) -> bool,
    ) -> Result<Date, CalendarError> {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = next_day(d)?;
            if self.is_working_day(d)? && !excluded(d) {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The first working day after `date`.
    pub fn next_working_day(&self, date: Date) -> Result<Date, CalendarError> {
        self.add_working_days(date, 1)
    }

    /// The number of working days in `(from, to]`; negative when `to` is before `from`
    /// (then it counts `(to, from]`). So `working_days_between(d, add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i64, CalendarError> {
        if to < from {
            return Ok(-self.working_days_between(to, from)?);
        }
        let mut count = 0;
        let mut d = from;
        while d < to {
            d = next_day(d)?;
            if self.is_working_day(d)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

fn next_day(d: Date) -> Result<Date, CalendarError> {
    d.next_day().ok_or(CalendarError::NoData {
        year: d.year() + 1,
        date: d,
    })
}
