//! The periods the clock works with: the statutory ones (条例 Art. 30, 32–34), the fee payment
//! period (configurable: the 20 working days the provincial rules implementing
//! 国办函〔2020〕109号 give), and the upper bounds that keep numeric event arguments sane.
//! `docs/rules/deadlines.md` explains each.

use crate::calendar::Calendar;
use serde::{Deserialize, Serialize};

/// The reply period of Art. 33, in working days.
pub const REPLY_DAYS: u32 = 20;
/// The longest extension of Art. 33, in working days.
pub const MAX_EXTENSION_DAYS: u32 = 20;
/// The 补正 notice limit of Art. 30, in working days.
pub const SUPPLEMENT_NOTICE_DAYS: u32 = 7;
/// The consulted party's answer period of Art. 32/34, in working days.
pub const CONSULTATION_DAYS: u32 = 15;
/// The applicant's payment period after receiving a fee notice, by default.
pub const FEE_PAYMENT_DAYS: u32 = 20;
/// The longest period an applicant may be given to supplement or to state reasons: a
/// "reasonable period" (Art. 30, Art. 35) beyond three months of working days is a typing slip.
pub const MAX_APPLICANT_PERIOD_DAYS: u32 = 60;
/// The longest reply period an agency may set under Art. 35, counted like the Art. 33 period.
pub const MAX_REASONABLE_PERIOD_DAYS: u32 = 120;

/// The periods an agency may configure (`gongkai.toml`, `[periods]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Periods {
    /// Working days the applicant has to pay, from the day after receiving the fee notice.
    pub fee_payment_days: u32,
}

impl Default for Periods {
    fn default() -> Periods {
        Periods {
            fee_payment_days: FEE_PAYMENT_DAYS,
        }
    }
}

impl Periods {
    /// Checks configured values: a payment period of 1 to 60 working days.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=MAX_APPLICANT_PERIOD_DAYS).contains(&self.fee_payment_days) {
            return Err(format!(
                "periods.fee_payment_days must be 1 to {MAX_APPLICANT_PERIOD_DAYS} working days, not {}",
                self.fee_payment_days
            ));
        }
        Ok(())
    }
}

/// What the clock needs besides the log: the working-day calendar and the periods in force.
#[derive(Debug, Clone, Copy)]
pub struct Law<'a> {
    pub calendar: &'a Calendar,
    pub periods: Periods,
}

impl<'a> Law<'a> {
    /// The calendar with the default periods.
    pub fn new(calendar: &'a Calendar) -> Law<'a> {
        Law {
            calendar,
            periods: Periods::default(),
        }
    }

    pub fn with_periods(calendar: &'a Calendar, periods: Periods) -> Law<'a> {
        Law { calendar, periods }
    }
}
