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
    /// A pre-2015 identifier: a 15-digit 工商注册号 or a 9-character 组织机构代码.
    #[error("{0:?} looks like a pre-2015 {1}; ask for the 18-character unified social credit code")]
    Legacy(String, &'static str),
    #[error(
        "character {position} ({found:?}) is not allowed: digits and capital letters except I, O, Z, S, V"
    )]
    Charset { position: usize, found: char },
    #[error(
        "positions 1-2 ({0}) are not a registration authority and organisation category of GB 32100"
    )]
    Semantic(String),
    #[error("positions 3-8 must be an administrative division code of digits, found {0}")]
    Division(String),
    #[error("wrong check character: expected {expected}, found {found}")]
    Checksum { expected: char, found: char },
}

impl CreditCodeError {
    /// The stable code (`uscc.checksum`, …; docs/rules/identifiers.md).
    pub fn code(&self) -> &'static str {
        match self {
            CreditCodeError::Empty => "required",
            CreditCodeError::Length(_) => "uscc.length",
            CreditCodeError::Legacy(..) => "uscc.legacy",
            CreditCodeError::Charset { .. } => "uscc.charset",
            CreditCodeError::Semantic(_) => "uscc.semantic",
            CreditCodeError::Division(_) => "uscc.division",
            CreditCodeError::Checksum { .. } => "uscc.checksum",
        }
    }
}

/// Registration authorities (position 1): 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游,
/// 7 宗教, 8 工会, 9 工商 (市场监管), A 中央军委改革和编制办公室, N 农业, Y 其他.
const AUTHORITIES: &str = "123456789ANY";
/// Organisation categories (position 2) used across the authorities: 1–5 and 9 (其他).
const CATEGORIES: &str = "123459";

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
    if chars.len() == 15 && chars.iter().all(char::is_ascii_digit) {
        return Err(CreditCodeError::Legacy(s, "工商注册号"));
    }
    let org_code = |c: &[char]| c.len() == 9 && c[..8].iter().all(char::is_ascii_alphanumeric);
    if org_code(&chars)
        || (chars.len() == 10 && chars[8] == '-' && org_code(&[&chars[..8], &chars[9..]].concat()))
    {
        return Err(CreditCodeError::Legacy(s, "组织机构代码"));
    }
    if let Some((i, &c)) = chars.iter().enumerate().find(|(_, c)| value(**c).is_none()) {
        return Err(CreditCodeError::Charset {
            position: i + 1,
            found: c,
        });
    }
    if chars.len() != 18 {
        return Err(CreditCodeError::Length(chars.len()));
    }
    if !AUTHORITIES.contains(chars[0]) || !CATEGORIES.contains(chars[1]) {
        return Err(CreditCodeError::Semantic(chars[..2].iter().collect()));
    }
    let division: String = chars[2..8].iter().collect();
    if !division.bytes().all(|b| b.is_ascii_digit()) || division == "000000" {
        return Err(CreditCodeError::Division(division));
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
