//! The statutory clock (`docs/rules/deadlines.md`) as a pure function of the event log, the
//! calendar and the periods in force: due dates, excluded periods, the other party's periods,
//! status, what needs the staff's action, and the working shown to people.
//!
//! Counting: day 1 is the first working day after the trigger date (the receipt, or the day a
//! supplement arrived — a restart, Art. 30). A consultation or fee notice opened on day O and
//! closed on day A excludes the working days in (O, A] (the day the letter goes out still
//! counts; counting resumes the day after the answer). While one is open the due date is not
//! known. Reply: 20 working days (Art. 33) plus an approved extension of at most 20, or the
//! reasonable period an agency set under Art. 35.
//!
//! The other party's periods (the applicant's to supplement, pay or state reasons, the
//! consulted party's to answer) run from its receipt of the letter. The clock stays stopped
//! when one of them passes — the law lets the agency act, it does not act by itself — and the
//! case is flagged for the staff ([`Attention`]).

use super::law::{CONSULTATION_DAYS, Law, REPLY_DAYS, SUPPLEMENT_NOTICE_DAYS};
use super::state::{CaseState, Phase, Refusal, replay};
use super::working;
use super::{Channel, ConsultKind, Event};
use crate::calendar::{Calendar, CalendarError};
use time::Date;

/// A stretch during which the clock does not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    pub from: Date,
    /// `None` while still open.
    pub to: Option<Date>,
    pub reason: ExcludedReason,
    /// The letter that opened it (its sequence number in the log).
    pub letter: u32,
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
    /// The period runs from the other party's receipt of a letter sent by post or courier,
    /// which is not recorded yet.
    ReceiptUnknown,
}

impl Due {
    pub fn date(self) -> Option<Date> {
        match self {
            Due::On(d) => Some(d),
            _ => None,
        }
    }
}

/// Why the clock stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExcludedReason {
    /// Art. 32–34: the time a consulted party takes.
    Consultation { kind: ConsultKind, party: String },
    /// 国办函〔2020〕109号: from the fee notice to payment.
    Fee,
    /// Art. 35: from the request for reasons to their arrival.
    Reasons,
}

/// A period not counted, with the working days it removed (`None` when unknown: still open,
/// or the calendar is missing), and the end of the other party's period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub from: Date,
    pub to: Option<Date>,
    pub reason: ExcludedReason,
    pub working_days: Option<u32>,
    /// The letter that opened it (its sequence number in the log).
    pub letter: u32,
    /// The day the other party received the letter, when known.
    pub letter_received_on: Option<Date>,
    /// The last day of the other party's period (to answer, pay or state reasons).
    pub period_end: Due,
}

/// An open case the staff must act on although its clock is stopped: another party's period
/// has passed (record what happened, or close the case as the law allows), or a letter's
/// receipt must be recorded before its period can be known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attention {
    /// The applicant's period to supplement ended on `until`: record the supplement, or close
    /// the case as 视为放弃 (Art. 30).
    SupplementLapsed { until: Date },
    /// The payment period ended on `until`: record the payment, or 逾期未缴费.
    FeeLapsed { until: Date },
    /// The consulted party's 15 working days ended on `until` (Art. 32): record its answer or
    /// 逾期未提出意见, and decide.
    ConsultationLapsed {
        kind: ConsultKind,
        party: String,
        until: Date,
    },
    /// The applicant's period to state reasons ended on `until` (Art. 35).
    ReasonsLapsed { until: Date },
    /// Letter `letter` went by post or courier and its receipt is not recorded.
    ReceiptUnknown { letter: u32 },
}

impl Attention {
    pub fn key(&self) -> &'static str {
        match self {
            Attention::SupplementLapsed { .. } => "supplement_lapsed",
            Attention::FeeLapsed { .. } => "fee_lapsed",
            Attention::ConsultationLapsed { .. } => "consultation_lapsed",
            Attention::ReasonsLapsed { .. } => "reasons_lapsed",
            Attention::ReceiptUnknown { .. } => "receipt_unknown",
        }
    }

    /// What to do, in both languages.
    pub fn line(&self) -> Line {
        working::attention(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStatus {
    /// Open and on time: due in `remaining` working days (0 = due today).
    OnTime { due: Date, remaining: u32 },
    /// Open and past the due date by `by` working days (`None` when today's calendar is not
    /// loaded: overdue all the same).
    Overdue { due: Date, by: Option<u32> },
    /// Open, clock stopped by a consultation or fee notice.
    Paused { remaining: u32 },
    /// Open, waiting for the 补正; the applicant's period ends on `until` (when known).
    AwaitingSupplement { until: Option<Date> },
    /// Concluded on `on`; `late_by` working days after the due date, 0 when on time.
    Concluded { on: Date, late_by: u32 },
    /// The calendar for `year` is missing.
    Unknown { year: i32 },
}

impl ClockStatus {
    /// A stable key for the status (for lists, JSON and filters).
    pub fn key(self) -> &'static str {
        match self {
            ClockStatus::OnTime { .. } => "on_time",
            ClockStatus::Overdue { .. } => "overdue",
            ClockStatus::Paused { .. } => "paused",
            ClockStatus::AwaitingSupplement { .. } => "awaiting_supplement",
            ClockStatus::Concluded { .. } => "concluded",
            ClockStatus::Unknown { .. } => "unknown",
        }
    }
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
    /// The applicant's payment deadline, when a fee notice was issued.
    pub fee_payment_due: Option<Due>,
    /// The applicant's deadline to state reasons (Art. 35), when asked.
    pub reasons_due: Option<Due>,
    /// 20 working days from `count_from`, excluded periods skipped.
    pub reply_due: Due,
    /// With the approved extension.
    pub extended_due: Option<Due>,
    /// The reasonable period set under Art. 35.
    pub reasonable_due: Option<Due>,
    /// The due date in force (`reasonable_due`, else `extended_due`, else `reply_due`).
    pub due: Due,
    pub excluded: Vec<Excluded>,
    pub status: ClockStatus,
    /// The status in words, in both languages.
    pub status_line: Line,
    /// What the staff must do although the clock is stopped (empty for closed cases).
    pub attention: Vec<Attention>,
    pub working: Vec<Line>,
    /// The folded log.
    pub state: CaseState,
}

impl Clock {
    /// The year whose missing calendar keeps an open period of another party from being
    /// known, so whether it has passed cannot be told.
    pub fn undetermined_period(&self) -> Option<i32> {
        let pending_supplement = self
            .state
            .supplement
            .as_ref()
            .is_some_and(|s| s.received_on.is_none() && self.state.is_open());
        let supplement = self.supplement_due.filter(|_| pending_supplement);
        let open = self
            .excluded
            .iter()
            .filter(|x| x.to.is_none() && self.state.is_open())
            .map(|x| x.period_end);
        supplement.into_iter().chain(open).find_map(|d| match d {
            Due::NoCalendar { year } => Some(year),
            _ => None,
        })
    }

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

/// The end of the period of `days` working days that letter `letter` gives its recipient.
fn other_party_due(state: &CaseState, cal: &Calendar, letter: u32, days: u32) -> Due {
    match state.letter(letter).and_then(|l| l.received()) {
        Some(r) => due_of(cal.add_working_days(r, days).map(Some), 0),
        None => Due::ReceiptUnknown,
    }
}

/// The clock of one application at `today`. Refuses a log the state machine refuses.
pub fn clock(
    channel: Channel,
    received_on: Date,
    log: &[Event],
    law: Law<'_>,
    today: Date,
) -> Result<Clock, Refusal> {
    let cal = law.calendar;
    let state = replay(received_on, log, law)?;
    let mut w: Vec<Line> = vec![working::receipt(channel, received_on)];

    // 补正 notice limit and the applicant's period.
    let supplement_notice_due = due_of(
        cal.add_working_days(received_on, SUPPLEMENT_NOTICE_DAYS)
            .map(Some),
        0,
    );
    let supplement_due = state
        .supplement
        .as_ref()
        .map(|s| other_party_due(&state, cal, s.letter, s.period_working_days));
    working::supplement(&mut w, &state, supplement_notice_due, supplement_due);

    // Excluded periods, each with the other party's deadline.
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
        let days = match p.reason {
            ExcludedReason::Consultation { .. } => CONSULTATION_DAYS,
            ExcludedReason::Fee => law.periods.fee_payment_days,
            ExcludedReason::Reasons => state.reasons.map_or(0, |r| r.period_working_days),
        };
        let x = Excluded {
            from: p.from,
            to: p.to,
            reason: p.reason.clone(),
            working_days,
            letter: p.letter,
            letter_received_on: state.letter(p.letter).and_then(|l| l.received()),
            period_end: other_party_due(&state, cal, p.letter, days),
        };
        w.push(working::excluded(&x, days));
        excluded.push(x);
    }
    let fee_payment_due = state
        .fee
        .map(|f| other_party_due(&state, cal, f.letter, law.periods.fee_payment_days));
    let reasons_due = state
        .reasons
        .map(|r| other_party_due(&state, cal, r.letter, r.period_working_days));

    // Reply due.
    let awaiting = state.phase == Phase::AwaitingSupplement
        || (state
            .supplement
            .as_ref()
            .is_some_and(|s| s.received_on.is_none()));
    let (reply_due, extended_due, reasonable_due) = if awaiting {
        let a = Due::AwaitingSupplement;
        (
            a,
            state.extension.as_ref().map(|_| a),
            state.reasonable_period.map(|_| a),
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
        let due_in = |n: u32| {
            due_of(
                count_due(cal, state.count_from, n, &relevant),
                done_before_pause(n),
            )
        };
        (
            due_in(REPLY_DAYS),
            state
                .extension
                .as_ref()
                .map(|(n, _, _)| due_in(REPLY_DAYS + n)),
            state.reasonable_period.map(|(n, _)| due_in(n)),
        )
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
        working::reasonable_period(&mut w, &state, reasonable_due);
    }
    let due = reasonable_due.or(extended_due).unwrap_or(reply_due);

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
        // Past the due date it is overdue whatever today's calendar says; only the count of
        // working days needs it.
        (None, Due::On(d)) => ClockStatus::Overdue {
            due: d,
            by: cal.working_days_between(d, today).ok().map(|n| n as u32),
        },
        (None, Due::Paused { remaining }) => ClockStatus::Paused { remaining },
        (None, Due::AwaitingSupplement) => ClockStatus::AwaitingSupplement {
            until: supplement_due.and_then(Due::date),
        },
        (None, Due::NoCalendar { year }) => ClockStatus::Unknown { year },
        (None, Due::ReceiptUnknown) => ClockStatus::Unknown { year: today.year() },
    };
    let status_line = working::status(status, today);
    w.push(status_line.clone());

    let attention = if state.is_open() {
        attention(&state, &excluded, supplement_due, today)
    } else {
        Vec::new()
    };
    w.extend(attention.iter().map(Attention::line));

    Ok(Clock {
        received_on,
        count_from: state.count_from,
        supplement_notice_due,
        supplement_due,
        fee_payment_due,
        reasons_due,
        reply_due,
        extended_due,
        reasonable_due,
        due,
        excluded,
        status,
        status_line,
        attention,
        working: w,
        state,
    })
}

/// The other party's periods that have passed while the case waits on them, and the letters
/// whose receipt must be recorded before their period is known.
fn attention(
    state: &CaseState,
    excluded: &[Excluded],
    supplement_due: Option<Due>,
    today: Date,
) -> Vec<Attention> {
    let mut out = Vec::new();
    let lapsed = |d: Due| d.date().filter(|d| today > *d);
    if let Some(s) = state
        .supplement
        .as_ref()
        .filter(|s| s.received_on.is_none())
    {
        match supplement_due {
            Some(Due::ReceiptUnknown) => out.push(Attention::ReceiptUnknown { letter: s.letter }),
            Some(d) => {
                if let Some(until) = lapsed(d) {
                    out.push(Attention::SupplementLapsed { until });
                }
            }
            None => {}
        }
    }
    for x in excluded.iter().filter(|x| x.to.is_none()) {
        if x.period_end == Due::ReceiptUnknown {
            out.push(Attention::ReceiptUnknown { letter: x.letter });
            continue;
        }
        let Some(until) = lapsed(x.period_end) else {
            continue;
        };
        out.push(match &x.reason {
            ExcludedReason::Consultation { kind, party } => Attention::ConsultationLapsed {
                kind: *kind,
                party: party.clone(),
                until,
            },
            ExcludedReason::Fee => Attention::FeeLapsed { until },
            ExcludedReason::Reasons => Attention::ReasonsLapsed { until },
        });
    }
    out
}
