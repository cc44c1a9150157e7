//! Reading one printed cell as a value (docs/reliability.md BI-IM-4, BI-IM-5): full-width digits,
//! thousands separators, unit suffixes and the not-applicable markers are accepted; anything
//! else is kept as printed text ([`Value::Invalid`]), never guessed.

use gongkai_core::report::{CellRef, Value};
use rust_decimal::Decimal;
use std::num::NonZeroU64;
use std::str::FromStr;

/// Folds the characters that vary between sources: full-width ASCII to ASCII, the ideographic
/// space and no-break space to a space, zero-width characters away.
pub fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' => Some(' '),
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}' => None,
        _ => Some(c),
    }
}

/// `fold_char` over a string, trimmed.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter_map(fold_char)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Unit suffixes printed after a number; stripped, never converted.
const UNITS: [&str; 8] = ["万元", "元", "件", "个", "条", "项", "次", "份"];

/// Markers printed for "not applicable / none" (docs/report-json.md, "Values").
const NOT_APPLICABLE: [&str; 11] = [
    "/",
    "\\",
    "—",
    "——",
    "–",
    "-",
    "--",
    "无",
    "不适用",
    "﹣",
    "−",
];

/// Reads a printed cell. `amount` cells (万元) take decimals; count cells take whole numbers
/// (a printed `12.0` is the count 12).
pub fn parse_value(raw: &str, amount: bool) -> Value {
    let s: String = raw
        .chars()
        .filter_map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() || s == "空" {
        return Value::Blank;
    }
    if NOT_APPLICABLE.contains(&s.as_str()) {
        return Value::NotApplicable;
    }
    if s == "〇" || s == "零" {
        return Value::Count(0);
    }
    let Some(number) = plain_number(&s) else {
        return Value::Invalid(raw.trim().to_string());
    };
    let Ok(d) = Decimal::from_str(&number) else {
        return Value::Invalid(raw.trim().to_string());
    };
    if amount {
        return Value::Amount(d);
    }
    if d.fract().is_zero()
        && let Ok(n) = u64::try_from(d.trunc())
    {
        return Value::Count(n);
    }
    Value::Invalid(raw.trim().to_string())
}

/// Reads a printed cell of a signed column (本年增/减 of the 2019 layout, where a decrease is
/// printed negative, `-8`): what [`parse_value`] reads, or a whole number after one minus sign
/// (`-18`, `－18`, `−18`, `﹣18`) or plus sign (`+5`). Words (`减少18`) and dashes (`–18`,
/// `—18`) are not read: they are kept as printed.
pub fn parse_signed(raw: &str) -> Value {
    let value = parse_value(raw, false);
    if !matches!(value, Value::Invalid(_)) {
        return value;
    }
    let s: String = raw
        .chars()
        .filter_map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut chars = s.chars();
    let negative = match chars.next() {
        Some('-' | '\u{2212}' | '\u{FE63}') => true,
        Some('+') => false,
        _ => return value,
    };
    match parse_value(chars.as_str(), false) {
        Value::Count(n) if negative => NonZeroU64::new(n).map_or(Value::Count(0), Value::Negative),
        Value::Count(n) => Value::Count(n),
        _ => value,
    }
}

/// Reads a printed cell as the value its place takes: an amount in 万元, a signed count
/// (本年增/减) or a count.
pub fn parse_cell(raw: &str, at: CellRef) -> Value {
    match at {
        CellRef::T2(k) if k.is_amount() => parse_value(raw, true),
        CellRef::T2(k) if k.is_signed() => parse_signed(raw),
        _ => parse_value(raw, false),
    }
}

/// Whether a printed token reads as a cell value (a number, a negative number or a marker),
/// for splitting a text line into its label and its values.
pub fn is_value_token(raw: &str) -> bool {
    matches!(
        parse_value(raw, true),
        Value::Amount(_) | Value::Count(_) | Value::NotApplicable
    ) || matches!(parse_signed(raw), Value::Negative(_))
}

/// Whether a printed token stands where a number stands: a value, or number-like text that
/// is not one (`12*`, `(12)`, `12%`), which is kept and flagged rather than read as a label.
pub fn is_valueish(raw: &str) -> bool {
    if is_value_token(raw) {
        return true;
    }
    let t = raw.trim();
    t.chars().count() <= 12
        && t.chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && !t
            .chars()
            .any(|c| c > '\u{2E80}' && !('\u{FF00}'..='\u{FFEF}').contains(&c))
}

/// Digits with optional thousands separators and one decimal point, after stripping one unit
/// suffix: returns the bare number, or `None` if the text is anything else.
fn plain_number(s: &str) -> Option<String> {
    let mut body = s;
    for unit in UNITS {
        if let Some(b) = body.strip_suffix(unit) {
            body = b;
            break;
        }
    }
    if body.is_empty() || body.len() > 40 {
        return None;
    }
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let digits = if int.contains(',') {
        // Thousands separators only in their places: 1,234,567.
        let groups: Vec<&str> = int.split(',').collect();
        let first = groups[0];
        if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        groups.concat()
    } else {
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        int.to_string()
    };
    Some(match frac {
        Some(f) => format!("{digits}.{f}"),
        None => digits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(s: &str) -> Value {
        parse_value(s, false)
    }

    #[test]
    fn bi_im_4_numbers() {
        assert_eq!(count("1,234"), Value::Count(1234));
        assert_eq!(count("1，234"), Value::Count(1234));
        assert_eq!(count("１２３４"), Value::Count(1234));
        assert_eq!(count("12件"), Value::Count(12));
        assert_eq!(count("12.0"), Value::Count(12));
        assert_eq!(count(" 7 "), Value::Count(7));
        assert_eq!(count("1 234"), Value::Count(1234));
        for flagged in [
            "12*", "(12)", "约12", "十二", "12%", "1,23", "12.5", "-5", "1.2.3",
        ] {
            assert!(
                matches!(count(flagged), Value::Invalid(_)),
                "{flagged} must be flagged"
            );
        }
        assert_eq!(
            parse_value("96171.6", true),
            Value::Amount(Decimal::from_str("96171.6").expect("decimal"))
        );
        assert_eq!(
            parse_value("251000元", true),
            Value::Amount(Decimal::from(251000))
        );
    }

    #[test]
    fn bi_im_5_markers() {
        assert_eq!(count("0"), Value::Count(0));
        assert_eq!(count("〇"), Value::Count(0));
        for na in ["/", "／", "—", "–", "-", "－", "无", "不适用"] {
            assert_eq!(count(na), Value::NotApplicable, "{na}");
        }
        assert_eq!(count(""), Value::Blank);
        assert_eq!(count("\u{a0}"), Value::Blank);
        assert_eq!(count("空"), Value::Blank);
    }

    #[test]
    fn signed_cells_read_a_minus_sign() {
        let minus_18 = Value::Negative(NonZeroU64::new(18).expect("non-zero"));
        for printed in ["-18", "－18", "−18", "﹣18", " -18 ", "-18项"] {
            assert_eq!(parse_signed(printed), minus_18, "{printed}");
        }
        assert_eq!(parse_signed("+5"), Value::Count(5));
        assert_eq!(parse_signed("＋5"), Value::Count(5));
        assert_eq!(parse_signed("-0"), Value::Count(0));
        assert_eq!(parse_signed("7"), Value::Count(7));
        for na in ["-", "－", "—", "/", "--"] {
            assert_eq!(parse_signed(na), Value::NotApplicable, "{na}");
        }
        for kept in [
            "减少18", "减18", "–18", "—18", "-1.5", "--18", "-18-", "+-1",
        ] {
            assert_eq!(parse_signed(kept), Value::Invalid(kept.into()), "{kept}");
        }
        // Only the signed cells read it; a count cell keeps it as printed.
        assert!(matches!(count("-18"), Value::Invalid(_)));
    }

    #[test]
    fn value_tokens() {
        assert!(is_value_token("3001"));
        assert!(is_value_token("/"));
        assert!(is_value_token("-18"));
        assert!(!is_value_token("减少18"));
        assert!(!is_value_token("-4-"));
        assert!(!is_value_token("规章"));
        assert!(!is_value_token("1.属于国家秘密"));
    }
}
