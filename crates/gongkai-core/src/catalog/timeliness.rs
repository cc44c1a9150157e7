//! Art. 26: proactive information is published within 20 working days of being formed or
//! changed. Working days come from the calendar (behind [`WorkingDays`], so this module does not
//! depend on how the calendar is stored); a year without calendar data gives `Unknown`, never a
//! guess.

use super::item::CatalogItem;
use time::Date;

/// Working-day arithmetic: `add_working_days(d, n)` is the n-th working day after `d` (day 1 is
/// the first working day after `d`), or `None` when the calendar has no data for a year it needs.
pub trait WorkingDays {
    fn add_working_days(&self, from: Date, n: u32) -> Option<Date>;
}

/// The statutory calendar (holiday notices with 调休).
impl WorkingDays for crate::calendar::Calendar {
    fn add_working_days(&self, from: Date, n: u32) -> Option<Date> {
        crate::calendar::Calendar::add_working_days(self, from, n).ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timeliness {
    /// Published by the due date.
    OnTime { due: Date },
    /// Published after the due date: flagged.
    Late { due: Date, published_on: Date },
    /// Not yet published and the due date has passed (as of the day asked about): flagged.
    Overdue { due: Date },
    /// Not yet published, still within the period.
    Pending { due: Date },
    /// The calendar lacks a year needed to compute the due date.
    Unknown { from: Date },
}

impl Timeliness {
    /// Whether the reviewer should look at this item.
    pub fn flagged(&self) -> bool {
        matches!(
            self,
            Timeliness::Late { .. } | Timeliness::Overdue { .. } | Timeliness::Unknown { .. }
        )
    }

    pub fn zh(&self) -> String {
        match self {
            Timeliness::OnTime { due } => format!("按时公开（期限{due}）"),
            Timeliness::Late { due, published_on } => {
                format!("超期公开：应于{due}前公开，实际{published_on}公开")
            }
            Timeliness::Overdue { due } => format!("已超期未公开（期限{due}）"),
            Timeliness::Pending { due } => format!("应于{due}前公开"),
            Timeliness::Unknown { from } => {
                format!("工作日历缺少数据，无法计算自{from}起20个工作日的期限")
            }
        }
    }
}

/// The Art. 26 status of `item` as of `today` (for items not yet published).
pub fn timeliness(
    item: &CatalogItem,
    calendar: &dyn WorkingDays,
    working_days: u32,
    today: Date,
) -> Timeliness {
    let from = item.content.formed_or_changed();
    let Some(due) = calendar.add_working_days(from, working_days) else {
        return Timeliness::Unknown { from };
    };
    match item.published_on() {
        Some(p) if p > due => Timeliness::Late {
            due,
            published_on: p,
        },
        Some(_) => Timeliness::OnTime { due },
        None if today > due => Timeliness::Overdue { due },
        None => Timeliness::Pending { due },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::config::CatalogConfig;
    use crate::catalog::item::tests::{Escape, input, who};
    use crate::catalog::item::{CatalogItem, ItemContent};
    use crate::catalog::workflow::Action;
    use crate::ids::AgencyId;
    use time::macros::{date, datetime};

    /// Weekdays only, with data for 2021 alone: enough to test the flagging.
    struct Weekdays;
    impl WorkingDays for Weekdays {
        fn add_working_days(&self, from: Date, n: u32) -> Option<Date> {
            let mut d = from;
            let mut left = n;
            while left > 0 {
                d = d.next_day()?;
                if d.year() != 2021 {
                    return None;
                }
                if !matches!(d.weekday(), time::Weekday::Saturday | time::Weekday::Sunday) {
                    left -= 1;
                }
            }
            Some(d)
        }
    }

    fn published_at(at: time::OffsetDateTime, formed: Date) -> CatalogItem {
        let mut i = input();
        i.formed_on = Some(formed);
        let parsed = ItemContent::parse(&i, &CatalogConfig::default(), &Escape).expect("ok");
        let mut item =
            CatalogItem::create(AgencyId::new(1), parsed, None, &who("张"), at).expect("create");
        item.act(Action::Submit, &who("张"), at, None).expect("ok");
        item.act(Action::ClearSecrecy, &who("李"), at, None)
            .expect("ok");
        item.act(Action::Approve, &who("王"), at, None).expect("ok");
        item.publish("X".into(), &who("张"), at).expect("ok");
        item
    }

    #[test]
    fn late_publication_is_flagged() {
        // Formed Mon 2021-03-01; 20 weekdays later is Mon 2021-03-29.
        let on_time = published_at(datetime!(2021-03-29 16:00 +08:00), date!(2021 - 03 - 01));
        let t = timeliness(&on_time, &Weekdays, 20, date!(2021 - 12 - 31));
        assert_eq!(
            t,
            Timeliness::OnTime {
                due: date!(2021 - 03 - 29)
            }
        );
        assert!(!t.flagged());
        let late = published_at(datetime!(2021-03-30 09:00 +08:00), date!(2021 - 03 - 01));
        let t = timeliness(&late, &Weekdays, 20, date!(2021 - 12 - 31));
        assert!(t.flagged());
        assert_eq!(t.zh(), "超期公开：应于2021-03-29前公开，实际2021-03-30公开");
    }

    #[test]
    fn real_calendar_counts_across_national_day() {
        // Formed Tue 2021-09-28; 国庆 1–7 October is off and Sat 9 October is a working day.
        let cal = crate::calendar::Calendar::builtin();
        let item = published_at(datetime!(2021-11-02 09:00 +08:00), date!(2021 - 09 - 28));
        assert_eq!(
            timeliness(&item, &cal, 20, date!(2021 - 12 - 31)),
            Timeliness::Late {
                due: date!(2021 - 11 - 01),
                published_on: date!(2021 - 11 - 02)
            }
        );
    }

    #[test]
    fn missing_calendar_year_is_unknown_not_guessed() {
        let item = published_at(datetime!(2021-12-30 09:00 +08:00), date!(2021 - 12 - 20));
        assert_eq!(
            timeliness(&item, &Weekdays, 20, date!(2022 - 01 - 10)),
            Timeliness::Unknown {
                from: date!(2021 - 12 - 20)
            }
        );
    }
}
