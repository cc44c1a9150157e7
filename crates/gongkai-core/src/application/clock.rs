//! The statutory clock (REGULATION.md §4.3) as a pure function of the event log and the
//! calendar: due dates, excluded periods, status, and the working shown to people.
//!
//! Counting: day 1 is the first working day after the trigger date (the receipt, or the day a
//! supplement arrived — a restart, Art. 30). A consultation or fee notice opened on day O and
//! closed on day A excludes the working days in (O, A] (the day the letter goes out still
//! counts; counting resumes the day after the answer). While one is open the due date is not
//! known. Reply: 20 working days (Art. 33) plus an approved extension of at most 20.

use super::state::{CaseState, Phase, Refusal, replay};
use super::working;
use super::{Channel, ConsultKind, Event};
use crate::calendar::{Calendar, CalendarError};
use time::Date;

/// The reply period of Art. 33, in working days.
pub const REPLY_DAYS: u32 = 20;
/// The 补正 notice limit of Art. 30, in working days.
pub const SUPPLEMENT_NOTICE_DAYS: u32 = 7;
/// The consulted party's answer period of Art. 32/34, in working days.
pub const CONSULTATION_DAYS: u32 = 15;

/// A stretch during which the clock does not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    pub from: Date,
    /// `None` while still open.
    pub to: Option<Date>,
    /// The consultation, or `None` for a fee notice.
    pub consultation: Option<(ConsultKind, String)>,
}

impl Pause {
    fn excludes(&self, d: Date) -> bool {
        d > self.from && self.to.is_none_or(|t| d <= t)
    }
}

/// The `n`-th counted working day after `from`, skipping paused days; `Ok(None)` when an open
/// pause stops the count first.
pub(crate) fn count_due(
    cal: &Calendar,
    from: Date,
    n: u32,
    pauses: &[Pause],
) -> Result<Option<Date>, CalendarError> {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.next_day().ok_or(CalendarError::NoData {
            year: d.year() + 1,
            date: d,
        })?;
        if pauses.iter().any(|p| p.to.is_none() && d > p.from) {
            return Ok(None);
        }
        if cal.is_working_day(d)? && !pauses.iter().any(|p| p.excludes(d)) {
            left -= 1;
        }
    }
    Ok(Some(d))
}

/// A due date, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    On(Date),
    /// A consultation or fee notice is open; `remaining` working days are left when it closes.
    Paused {
        remaining: u32,
    },
    /// Waiting for the applicant's 补正; the count restarts when it arrives.
    AwaitingSupplement,
    /// The notice for `year` is not loaded: not guessed.
    NoCalendar {
        year: i32,
    },
}

impl Due {
    pub fn date(self) -> Option<Date> {
        match self {
            Due::On(d) => Some(d),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExcludedReason {
    Consultation { kind: ConsultKind, party: String },
    Fee,
}

/// A period not counted, with the working days it removed (`None` when unknown: still open,
/// or the calendar is missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub from: Date,
    pub to: Option<Date>,
    pub reason: ExcludedReason,
    pub working_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStatus {
    /// Open and on time: due in `remaining` working days (0 = due today).
    OnTime { due: Date, remaining: u32 },
    /// Open and past the due date by `by` working days.
    Overdue { due: Date, by: u32 },
    /// Open, clock stopped by a consultation or fee notice.
    Paused { remaining: u32 },
    /// Open, waiting for the 补正; the applicant's period ends on `until` (when known).
    AwaitingSupplement { until: Option<Date> },
    /// Concluded on `on`; `late_by` working days after the due date, 0 when on time.
    Concluded { on: Date, late_by: u32 },
    /// The calendar for `year` is missing.
    Unknown { year: i32 },
}

/// One line of the working, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub received_on: Date,
    /// The day the 20 working days count from (the receipt or the supplement's arrival).
    pub count_from: Date,
    /// The last day to send a 补正 notice (7 working days after receipt).
    pub supplement_notice_due: Due,
    /// The applicant's 补正 deadline, when one was requested.
    pub supplement_due: Option<Due>,
    /// 20 working days from `count_from`, excluded periods skipped.
    pub reply_due: Due,
    /// With the approved extension.
    pub extended_due: Option<Due>,
    /// The due date in force (`extended_due` when there is one, else `reply_due`).
    pub due: Due,
    pub excluded: Vec<Excluded>,
    pub status: ClockStatus,
    pub working: Vec<Line>,
    /// The folded log.
    pub state: CaseState,
}

impl Clock {
    /// The working as one text per language.
    pub fn working_zh(&self) -> String {
        self.working
            .iter()
            .map(|l| l.zh.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }

    pub fn working_en(&self) -> String {
        self.working
            .iter()
            .map(|l| l.en.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn due_of(r: Result<Option<Date>, CalendarError>, remaining: u32) -> Due {
    match r {
        Ok(Some(d)) => Due::On(d),
        Ok(None) => Due::Paused { remaining },
        Err(CalendarError::NoData { year, .. }) => Due::NoCalendar { year },
        Err(CalendarError::Parse(_)) => Due::NoCalendar { year: 0 },
    }
}

/// Working days counted in (from, until] (paused days skipped).
fn counted(
    cal: &Calendar,
    from: Date,
    until: Date,
    pauses: &[Pause],
) -> Result<u32, CalendarError> {
    let mut n = 0;
    let mut d = from;
    while d < until {
        d = d.next_day().expect("before until");
        if cal.is_working_day(d)? && !pauses.iter().any(|p| p.excludes(d)) {
            n += 1;
        }
    }
    Ok(n)
}

/// The clock of one application at `today`. Refuses a log the state machine refuses.
pub fn clock(
    channel: Channel,
    received_on: Date,
    log: &[Event],
    cal: &Calendar,
    today: Date,
) -> Result<Clock, Refusal> {
    let state = replay(received_on, log, cal)?;
    let mut w: Vec<Line> = vec![working::receipt(channel, received_on)];

    // 补正 notice limit and the applicant's period.
    let supplement_notice_due = due_of(
        cal.add_working_days(received_on, SUPPLEMENT_NOTICE_DAYS)
            .map(Some),
        0,
    );
    let supplement_due = state.supplement.as_ref().map(|s| {
        due_of(
            cal.add_working_days(s.requested_on, s.period_working_days)
                .map(Some),
            0,
        )
    });
    working::supplement(&mut w, &state, supplement_notice_due, supplement_due);

    // Excluded periods.
    let relevant: Vec<Pause> = state
        .pauses
        .iter()
        .filter(|p| p.to.is_none_or(|t| t > state.count_from))
        .cloned()
        .collect();
    let mut excluded = Vec::new();
    for p in &relevant {
        let working_days =
            p.to.and_then(|t| cal.working_days_between(p.from, t).ok().map(|n| n as u32));
        let reason = match &p.consultation {
            Some((kind, party)) => ExcludedReason::Consultation {
                kind: *kind,
                party: party.clone(),
            },
            None => ExcludedReason::Fee,
        };
        // Art. 32/34: the party answers within 15 working days of receiving the letter.
        let answer_by = match (&p.consultation, p.to) {
            (Some(_), None) => cal.add_working_days(p.from, CONSULTATION_DAYS).ok(),
            _ => None,
        };
        w.push(working::excluded(p, &reason, working_days, answer_by));
        excluded.push(Excluded {
            from: p.from,
            to: p.to,
            reason,
            working_days,
        });
    }

    // Reply due.
    let awaiting = state.phase == Phase::AwaitingSupplement
        || (state
            .supplement
            .as_ref()
            .is_some_and(|s| s.received_on.is_none()));
    let (reply_due, extended_due) = if awaiting {
        (
            Due::AwaitingSupplement,
            state.extension.as_ref().map(|_| Due::AwaitingSupplement),
        )
    } else {
        let done_before_pause = |n: u32| -> u32 {
            relevant
                .iter()
                .find(|p| p.to.is_none())
                .and_then(|p| counted(cal, state.count_from, p.from, &relevant).ok())
                .map(|c| n.saturating_sub(c))
                .unwrap_or(n)
        };
        let reply = due_of(
            count_due(cal, state.count_from, REPLY_DAYS, &relevant),
            done_before_pause(REPLY_DAYS),
        );
        let ext = state.extension.as_ref().map(|(n, _, _)| {
            due_of(
                count_due(cal, state.count_from, REPLY_DAYS + n, &relevant),
                done_before_pause(REPLY_DAYS + n),
            )
        });
        (reply, ext)
    };
    if !awaiting {
        working::count(
            &mut w,
            cal,
            &state,
            reply_due,
            extended_due,
            !excluded.is_empty(),
        );
    }
    let due = extended_due.unwrap_or(reply_due);

    // Status.
    let status = match (state.concluded_on, due) {
        (Some(on), Due::On(d)) => ClockStatus::Concluded {
            on,
            late_by: if on > d {
                cal.working_days_between(d, on)
                    .map(|n| n as u32)
                    .unwrap_or(0)
            } else {
                0
            },
        },
        (Some(on), _) => ClockStatus::Concluded { on, late_by: 0 },
        (None, Due::On(d)) if today <= d => match cal.working_days_between(today, d) {
            Ok(n) => ClockStatus::OnTime {
                due: d,
                remaining: n as u32,
            },
            Err(CalendarError::NoData { year, .. }) => ClockStatus::Unknown { year },
            Err(_) => ClockStatus::Unknown { year: today.year() },
        },
        (None, Due::On(d)) => match cal.working_days_between(d, today) {
            Ok(n) => ClockStatus::Overdue {
                due: d,
                by: n as u32,
            },
            Err(CalendarError::NoData { year, .. }) => ClockStatus::Unknown { year },
            Err(_) => ClockStatus::Unknown { year: today.year() },
        },
        (None, Due::Paused { remaining }) => ClockStatus::Paused { remaining },
        (None, Due::AwaitingSupplement) => ClockStatus::AwaitingSupplement {
            until: supplement_due.and_then(Due::date),
        },
        (None, Due::NoCalendar { year }) => ClockStatus::Unknown { year },
    };
    w.push(working::status(status, today));

    Ok(Clock {
        received_on,
        count_from: state.count_from,
        supplement_notice_due,
        supplement_due,
        reply_due,
        extended_due,
        due,
        excluded,
        status,
        working: w,
        state,
    })
}
