//! GB 11643-1999 citizen identity number: 6-digit region + 8-digit birth date + 3-digit
//! sequence + check character (ISO 7064 MOD 11-2).

use super::fold_width;
use time::{Date, Month};

/// Left-to-right weights of the 17 body digits: 2^(i-1) mod 11 for positions 18…2.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character by S mod 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Longest input looked at; anything longer is refused before parsing.
const MAX_INPUT: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("the ID number is empty")]
    Empty,
    #[error("an ID number has 18 characters, this one has {0}")]
    Length(usize),
    #[error("a 15-digit ID number is a first-generation card (GB 11643-1989), no longer valid")]
    Legacy15,
    #[error(
        "the ID number must be 17 digits and a final digit or X; character {position} ({found:?}) is not allowed"
    )]
    Format { position: usize, found: char },
    #[error("the birth date {0} in the ID number is not a real past date")]
    BirthDate(String),
    #[error("the region code {0} is not a province-level code")]
    Region(String),
    #[error("wrong check digit: expected {expected}, found {found}")]
    Checksum { expected: char, found: char },
}

impl IdNumberError {
    /// The stable code (`id.checksum`, …; docs/rules/identifiers.md).
    pub fn code(&self) -> &'static str {
        match self {
            IdNumberError::Empty => "required",
            IdNumberError::Length(_) => "id.length",
            IdNumberError::Legacy15 => "id.legacy15",
            IdNumberError::Format { .. } => "id.format",
            IdNumberError::BirthDate(_) => "id.birthdate",
            IdNumberError::Region(_) => "id.region",
            IdNumberError::Checksum { .. } => "id.checksum",
        }
    }
}

/// The check character for a 17-digit body; `None` when the body is not 17 ASCII digits.
pub fn id_number_check(body: &str) -> Option<char> {
    if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let s: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK[(s % 11) as usize])
}

/// Province-level codes of GB/T 2260 (first two digits), plus 81/82/83 for the residence
/// permits of Hong Kong, Macao and Taiwan residents, and 91/93 for foreigners' permanent
/// residence cards (2023 layout).
const PROVINCES: [u8; 37] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91, 93,
];

/// Validates an ID number and returns it normalised (ASCII, uppercase `X`). `today` bounds the
/// birth date.
pub fn validate_id_number(input: &str, today: Date) -> Result<String, IdNumberError> {
    if input.chars().count() > MAX_INPUT {
        return Err(IdNumberError::Length(input.chars().count()));
    }
    let s = fold_width(input);
    if s.is_empty() {
        return Err(IdNumberError::Empty);
    }
    let chars: Vec<char> = s.chars().collect();
    if chars.len() == 15 && chars.iter().all(char::is_ascii_digit) {
        return Err(IdNumberError::Legacy15);
    }
    // Foreign characters first: an ID with a space or a Cyrillic Х inside is a format error
    // whatever its length.
    if let Some((i, &c)) = chars
        .iter()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_digit() || **c == 'X' || **c == 'x'))
    {
        return Err(IdNumberError::Format {
            position: i + 1,
            found: c,
        });
    }
    if chars.len() != 18 {
        return Err(IdNumberError::Length(chars.len()));
    }
    for (i, &c) in chars.iter().enumerate() {
        let ok = c.is_ascii_digit() || (i == 17 && (c == 'X' || c == 'x'));
        if !ok {
            return Err(IdNumberError::Format {
                position: i + 1,
                found: c,
            });
        }
    }
    let s = s.to_ascii_uppercase();
    let province: u8 = s[0..2].parse().expect("two ASCII digits");
    if !PROVINCES.contains(&province) {
        return Err(IdNumberError::Region(s[0..6].to_string()));
    }
    let birth = &s[6..14];
    let date = parse_birth(birth).filter(|d| *d <= today && d.year() >= 1900);
    if date.is_none() {
        return Err(IdNumberError::BirthDate(birth.to_string()));
    }
    let expected = id_number_check(&s[..17]).expect("17 ASCII digits");
    let found = chars[17].to_ascii_uppercase();
    if expected != found {
        return Err(IdNumberError::Checksum { expected, found });
    }
    Ok(s)
}

fn parse_birth(yyyymmdd: &str) -> Option<Date> {
    let y: i32 = yyyymmdd[0..4].parse().ok()?;
    let m: u8 = yyyymmdd[4..6].parse().ok()?;
    let d: u8 = yyyymmdd[6..8].parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}
