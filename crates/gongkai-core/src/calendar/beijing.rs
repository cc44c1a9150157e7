//! China's one time zone, UTC+8 with no daylight saving (so no tz database is needed): the
//! offset in which legal dates are read — a receipt date, a publication date, "today" of a
//! deadline (docs/rules/deadlines.md). Core reads no clock: the caller passes the instant
//! (`gongkai_app::today_in_china` passes the system clock's).

use time::{Date, OffsetDateTime, UtcOffset};

/// Beijing time, UTC+08:00.
pub const BEIJING: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The date in China at the instant `at`.
pub fn date_in_china(at: OffsetDateTime) -> Date {
    at.to_offset(BEIJING).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn the_offset_is_eight_hours() {
        assert_eq!(BEIJING.whole_hours(), 8);
        assert_eq!(BEIJING.minutes_past_hour(), 0);
    }

    #[test]
    fn a_utc_evening_is_the_next_day_in_china() {
        assert_eq!(
            date_in_china(datetime!(2021-12-31 16:00 UTC)),
            date!(2022 - 01 - 01)
        );
        assert_eq!(
            date_in_china(datetime!(2021-12-31 15:59:59 UTC)),
            date!(2021 - 12 - 31)
        );
        assert_eq!(
            date_in_china(datetime!(2021-12-31 23:30 +08:00)),
            date!(2021 - 12 - 31)
        );
    }
}
