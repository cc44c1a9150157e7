//! GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters over a 31-symbol
//! alphabet (no I, O, Z, S, V), check character MOD 31.

use super::fold_width;

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights 3^(i-1) mod 31 for positions 1…17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const MAX_INPUT: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("the credit code is empty")]
    Empty,
    #[error("a unified social credit code has 18 characters, this one has {0}")]
    Length(usize),
    #[error(
        "character {position} ({found:?}) is not allowed: digits and capital letters except I, O, Z, S, V"
    )]
    Format { position: usize, found: char },
    #[error("positions 3-8 must be a region code of digits, found {0}")]
    Region(String),
    #[error("wrong check character: expected {expected}, found {found}")]
    Checksum { expected: char, found: char },
}

impl CreditCodeError {
    pub fn code(&self) -> &'static str {
        match self {
            CreditCodeError::Empty => "required",
            CreditCodeError::Length(_) => "uscc.length",
            CreditCodeError::Format { .. } => "uscc.format",
            CreditCodeError::Region(_) => "uscc.region",
            CreditCodeError::Checksum { .. } => "uscc.checksum",
        }
    }
}

fn value(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// The check character for a 17-character body; `None` when a character is outside the alphabet.
pub fn credit_code_check(body: &str) -> Option<char> {
    if body.chars().count() != 17 {
        return None;
    }
    let mut s = 0;
    for (c, w) in body.chars().zip(WEIGHTS) {
        s += value(c)? * w;
    }
    let v = (31 - s % 31) % 31;
    ALPHABET.chars().nth(v as usize)
}

/// Validates a credit code and returns it normalised (ASCII uppercase).
pub fn validate_credit_code(input: &str) -> Result<String, CreditCodeError> {
    if input.chars().count() > MAX_INPUT {
        return Err(CreditCodeError::Length(input.chars().count()));
    }
    let s = fold_width(input).to_ascii_uppercase();
    if s.is_empty() {
        return Err(CreditCodeError::Empty);
    }
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length(chars.len()));
    }
    if let Some((i, &c)) = chars.iter().enumerate().find(|(_, c)| value(**c).is_none()) {
        return Err(CreditCodeError::Format {
            position: i + 1,
            found: c,
        });
    }
    if !chars[2..8].iter().all(char::is_ascii_digit) {
        return Err(CreditCodeError::Region(chars[2..8].iter().collect()));
    }
    let body: String = chars[..17].iter().collect();
    let expected = credit_code_check(&body).expect("17 characters of the alphabet");
    if expected != chars[17] {
        return Err(CreditCodeError::Checksum {
            expected,
            found: chars[17],
        });
    }
    Ok(s)
}
