//! The interchange format `gongkai.annual-report/1` (docs/report-json.md): writing a
//! report, and reading one back with errors that name the JSON path and what was expected.

mod read;
mod write;

pub use read::{cell_ref_by_path, from_json, from_str};
pub use write::{gap_json, place_json, to_json, value_json};

use serde_json::Value as Json;

pub const FORMAT: &str = "gongkai.annual-report/1";

/// Why a document could not be read. Paths are JSON paths such as `table3.granted.total`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    #[error("not valid JSON (line {line}, column {column}): {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("at {path}: expected {expected}, found {found}")]
    Invalid {
        path: String,
        expected: String,
        found: String,
    },
}

pub(crate) fn invalid(path: &str, expected: impl Into<String>, found: &Json) -> JsonError {
    let mut found = found.to_string();
    if found.chars().count() > 60 {
        found = found.chars().take(57).collect::<String>() + "...";
    }
    JsonError::Invalid {
        path: path.to_string(),
        expected: expected.into(),
        found,
    }
}

#[cfg(test)]
mod tests;
