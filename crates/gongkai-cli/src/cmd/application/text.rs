//! One-line English texts of a due date and a clock status, shared by the subcommands.

use gongkai_core::application::{ClockStatus, Due as DueDate};
use gongkai_core::calendar::iso;

pub(super) fn due_text(d: DueDate) -> String {
    match d {
        DueDate::On(d) => iso(d),
        DueDate::Paused { remaining } => {
            format!("paused ({remaining} working days left when the clock runs again)")
        }
        DueDate::AwaitingSupplement => {
            "waiting for the supplement (补正); the count restarts when it arrives".into()
        }
        DueDate::NoCalendar { year } => format!("unknown: no holiday calendar for {year}"),
        DueDate::ReceiptUnknown => "unknown until the letter's receipt is recorded".into(),
    }
}

pub(super) fn status_text(s: ClockStatus) -> String {
    match s {
        ClockStatus::OnTime { due, remaining: 0 } => format!("on time, due today ({})", iso(due)),
        ClockStatus::OnTime { due, remaining } => {
            format!("on time, due in {remaining} working days ({})", iso(due))
        }
        ClockStatus::Overdue { due, by: Some(by) } => {
            format!("OVERDUE by {by} working days (due {})", iso(due))
        }
        ClockStatus::Overdue { due, by: None } => format!(
            "OVERDUE since {} (working days not counted: this year's holiday calendar is not loaded)",
            iso(due)
        ),
        ClockStatus::Paused { remaining } => format!("clock paused, {remaining} working days left"),
        ClockStatus::AwaitingSupplement { until } => match until {
            Some(d) => format!("waiting for the supplement until {}", iso(d)),
            None => "waiting for the supplement".into(),
        },
        ClockStatus::Concluded { on, late_by: 0 } => format!("concluded on {} (on time)", iso(on)),
        ClockStatus::Concluded { on, late_by } => {
            format!("concluded on {} ({late_by} working days late)", iso(on))
        }
        ClockStatus::Unknown { year } => format!("unknown: no holiday calendar for {year}"),
    }
}
