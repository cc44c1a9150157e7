//! The limits of an import ([`Options`], docs/import.md "Limits", BI-IM-10, BI-IM-11): the
//! errors that name them, and the running count of what the readers have produced, so that
//! a file is refused as soon as it is over a limit, before the memory is spent.

use crate::Options;
use crate::error::{ImportError, mb};

/// `what: over the limit of {max} {unit} ({option})`.
pub(crate) fn over(
    what: impl Into<String>,
    max: impl std::fmt::Display,
    unit: &str,
    option: &'static str,
) -> ImportError {
    ImportError::OverLimit {
        what: what.into(),
        limit: format!("{max} {unit}"),
        option,
    }
}

/// Over a limit in bytes, said in MB.
pub(crate) fn over_bytes(what: impl Into<String>, max: u64, option: &'static str) -> ImportError {
    ImportError::OverLimit {
        what: what.into(),
        limit: format!("{} MB", mb(max)),
        option,
    }
}

/// Text over [`Options::max_text`].
pub(crate) fn over_text(what: &str, max: u64) -> ImportError {
    over_bytes(
        format!("{what} is more than {} MB", mb(max)),
        max,
        "max_text",
    )
}

/// What the readers of one file have produced so far.
pub(crate) struct Budget<'a> {
    pub o: &'a Options,
    rows: usize,
    cells: usize,
    text: u64,
}

impl<'a> Budget<'a> {
    pub fn new(o: &'a Options) -> Budget<'a> {
        Budget {
            o,
            rows: 0,
            cells: 0,
            text: 0,
        }
    }

    /// Counts a row of `cells` cells holding `text` bytes; `at` says where it is.
    pub fn row(
        &mut self,
        cells: usize,
        text: usize,
        at: impl Fn() -> String,
    ) -> Result<(), ImportError> {
        self.rows += 1;
        if self.rows > self.o.max_lines {
            return Err(over(
                "too many lines or rows",
                self.o.max_lines,
                "lines or rows",
                "max_lines",
            ));
        }
        self.row_cells(cells, &at)?;
        self.cells += cells;
        if self.cells > self.o.max_cells {
            return Err(over(
                "too many cells",
                self.o.max_cells,
                "cells",
                "max_cells",
            ));
        }
        self.text(text)
    }

    /// Counts `bytes` of text read into rows (a merged cell's text once for each row it
    /// covers).
    pub fn text(&mut self, bytes: usize) -> Result<(), ImportError> {
        self.text += bytes as u64;
        if self.text > self.o.max_text {
            return Err(over_text(
                "the text read into rows (merged cells expanded)",
                self.o.max_text,
            ));
        }
        Ok(())
    }

    /// Checks the number of cells of one row.
    pub fn row_cells(&self, cells: usize, at: &impl Fn() -> String) -> Result<(), ImportError> {
        check_row_cells(self.o, cells, at)
    }

    /// Checks the length of one line, paragraph or cell.
    pub fn chars(&self, text: &str, at: impl Fn() -> String) -> Result<(), ImportError> {
        check_chars(self.o, text, at)
    }
}

pub(crate) fn check_row_cells(
    o: &Options,
    cells: usize,
    at: &impl Fn() -> String,
) -> Result<(), ImportError> {
    if cells > o.max_row_cells {
        return Err(over(
            format!("{} has {cells} cells", at()),
            o.max_row_cells,
            "cells per row",
            "max_row_cells",
        ));
    }
    Ok(())
}

pub(crate) fn check_chars(
    o: &Options,
    text: &str,
    at: impl Fn() -> String,
) -> Result<(), ImportError> {
    // Bytes bound characters from above: count only when the bytes are over.
    if text.len() > o.max_line_chars {
        let n = text.chars().count();
        if n > o.max_line_chars {
            return Err(over(
                format!("{} has {n} characters", at()),
                o.max_line_chars,
                "characters per line, paragraph or cell",
                "max_line_chars",
            ));
        }
    }
    Ok(())
}
