//! One cell of a report: what it holds and where that came from (docs/rules/annual-report.md).

use rust_decimal::Decimal;
use std::fmt;
use std::num::NonZeroU64;

/// What a cell holds. Never silently zero: a blank stays [`Value::Blank`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// A count as printed (件).
    Count(u64),
    /// The negative integer −n as printed: a decrease in a signed cell. Only the 2019 layout's
    /// 本年增/减 cells of table 二 hold one ([`super::T2Key::is_signed`]); the tables turn it
    /// into [`Value::Invalid`] anywhere else, so every other cell is non-negative. A signed
    /// cell's zero or increase is a [`Value::Count`]: each integer has one form.
    Negative(NonZeroU64),
    /// An amount in 万元, exact.
    Amount(Decimal),
    /// Printed as not applicable: `/`, `—`, `无`, `不适用`.
    NotApplicable,
    /// Blank or absent in the source.
    #[default]
    Blank,
    /// Printed, but not readable as a number (kept as text; fails the table's domain rule).
    Invalid(String),
}

impl Value {
    /// A signed integer in its one form: a count when ≥ 0, else [`Value::Negative`].
    pub fn signed(n: i64) -> Value {
        match NonZeroU64::new(n.unsigned_abs()) {
            Some(m) if n < 0 => Value::Negative(m),
            _ => Value::Count(n.unsigned_abs()),
        }
    }

    /// The value as a number for sums: `None` for blank, not applicable or invalid.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Count(n) => Some(Decimal::from(*n)),
            Value::Negative(m) => Some(-Decimal::from(m.get())),
            Value::Amount(d) => Some(*d),
            _ => None,
        }
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Value::Blank)
    }

    /// The same cell of two reports added, for a region's sum: a blank or unreadable part
    /// leaves the sum unknown (blank), never guessed; not applicable adds nothing; counts and
    /// signed changes add as integers, amounts as amounts.
    pub fn plus(&self, other: &Value) -> Value {
        match (self, other) {
            (Value::Blank | Value::Invalid(_), _) | (_, Value::Blank | Value::Invalid(_)) => {
                Value::Blank
            }
            (Value::NotApplicable, v) | (v, Value::NotApplicable) => v.clone(),
            (Value::Amount(a), Value::Amount(b)) => Value::Amount(a + b),
            (Value::Amount(_), _) | (_, Value::Amount(_)) => Value::Blank,
            (a, b) => match (a.number(), b.number()) {
                (Some(x), Some(y)) => i64::try_from(x + y).map_or(Value::Blank, Value::signed),
                _ => Value::Blank,
            },
        }
    }
}

#[cfg(test)]
mod plus_tests {
    use super::Value;
    use rust_decimal::Decimal;

    #[test]
    fn sums_never_guess_a_blank_part() {
        let n = Value::Count;
        assert_eq!(n(2).plus(&n(3)), n(5));
        assert_eq!(n(2).plus(&Value::signed(-5)), Value::signed(-3));
        assert_eq!(n(2).plus(&Value::NotApplicable), n(2));
        assert_eq!(
            Value::NotApplicable.plus(&Value::NotApplicable),
            Value::NotApplicable
        );
        assert_eq!(n(2).plus(&Value::Blank), Value::Blank);
        assert_eq!(Value::Invalid("约3".into()).plus(&n(1)), Value::Blank);
        let a = |x: i64| Value::Amount(Decimal::new(x, 2));
        assert_eq!(a(125).plus(&a(250)), a(375));
        assert_eq!(a(125).plus(&n(1)), Value::Blank);
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Count(n) => write!(f, "{n}"),
            Value::Negative(m) => write!(f, "-{m}"),
            Value::Amount(d) => write!(f, "{}", d.normalize()),
            Value::NotApplicable => f.write_str("/"),
            Value::Blank => Ok(()),
            Value::Invalid(s) => f.write_str(s),
        }
    }
}

/// Where a cell's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Computed from records: the ids of the records counted (drill-down to the cases).
    Computed { records: Vec<String> },
    /// Entered by a person.
    Entered {
        by: String,
        at: String,
        note: Option<String>,
    },
    /// Read from a file: the place it was read from.
    Imported(Place),
}

/// A place in an imported file. Any combination may be known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    pub line: Option<u32>,
    pub page: Option<u32>,
    pub table: Option<u32>,
    pub row: Option<u32>,
    pub column: Option<u32>,
    /// The text as it stood in the source.
    pub text: Option<String>,
}

/// A cell: a value and, when known, its source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    pub value: Value,
    pub source: Option<Source>,
}

impl Cell {
    pub fn count(n: u64) -> Cell {
        Cell {
            value: Value::Count(n),
            source: None,
        }
    }

    pub fn new(value: Value) -> Cell {
        Cell {
            value,
            source: None,
        }
    }

    pub fn with_source(mut self, source: Source) -> Cell {
        self.source = Some(source);
        self
    }
}
