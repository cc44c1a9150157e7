//! Check digits of the two identifiers applicants give: the resident identity number
//! (GB 11643-1999, ISO 7064 MOD 11-2) and the unified social credit code (GB 32100-2015,
//! MOD 31); docs/rules/identifiers.md. Input is normalised first (full-width forms folded,
//! lowercase `x` uppercased); anything else that is not the exact layout is refused.

mod credit_code;
mod id_number;

pub use credit_code::{CreditCodeError, credit_code_check, validate_credit_code};
pub use id_number::{IdNumberError, id_number_check, validate_id_number};

/// Folds full-width ASCII (U+FF01…U+FF5E) to ASCII and trims surrounding whitespace
/// (including the ideographic space). Inner characters are left alone.
pub(crate) fn fold_width(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace())
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests;
