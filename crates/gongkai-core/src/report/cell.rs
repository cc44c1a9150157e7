//! One cell of a report: what it holds and where that came from (docs/rules/annual-report.md).

use rust_decimal::Decimal;
use std::fmt;

/// What a cell holds. Never silently zero: a blank stays [`Value::Blank`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// A count as printed (件).
    Count(u64),
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
    /// The value as a number for sums: `None` for blank, not applicable or invalid.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Count(n) => Some(Decimal::from(*n)),
            Value::Amount(d) => Some(*d),
            _ => None,
        }
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Value::Blank)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Count(n) => write!(f, "{n}"),
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
