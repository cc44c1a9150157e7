//! 文号 (document number), e.g. `国办函〔2020〕109号`: the year goes in 六角括号 〔〕. Common
//! mistakes (`[2020]`, `(2020)`, `（2020）`, `【2020】`, full-width digits, stray spaces) are
//! normalised; a number that still cannot be read as `机关代字〔年份〕序号号` is kept as written
//! and flagged for the reviewer, never rejected or guessed.

/// A 文号 as stored: the normalised text, and its parts when it could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    text: String,
    parts: Option<DocNumberParts>,
}

/// The three parts of a well-formed 文号.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumberParts {
    /// 机关代字, e.g. `国办函`.
    pub issuer_code: String,
    pub year: i32,
    pub serial: u32,
}

const OPENERS: [char; 8] = ['[', '(', '（', '【', '［', '〖', '﹝', '〔'];
const CLOSERS: [char; 8] = [']', ')', '）', '】', '］', '〗', '﹞', '〕'];

impl DocNumber {
    /// Normalises `raw`. Returns `None` for an empty 文号 (an item without one).
    pub fn parse(raw: &str) -> Option<DocNumber> {
        let mut text: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                // Full-width digits to ASCII.
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                _ => c,
            })
            .collect();
        if text.is_empty() {
            return None;
        }
        // Replace a bracket pair that encloses exactly a four-digit year.
        let chars: Vec<char> = text.chars().collect();
        for i in 0..chars.len() {
            if OPENERS.contains(&chars[i])
                && i + 5 < chars.len()
                && chars[i + 1..i + 5].iter().all(char::is_ascii_digit)
                && CLOSERS.contains(&chars[i + 5])
            {
                let mut fixed = chars.clone();
                fixed[i] = '〔';
                fixed[i + 5] = '〕';
                text = fixed.into_iter().collect();
                break;
            }
        }
        let parts = read_parts(&text);
        Some(DocNumber { text, parts })
    }

    /// A stored 文号, read again (its flag is recomputed, not stored).
    pub fn from_stored(text: &str) -> Option<DocNumber> {
        DocNumber::parse(text)
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn parts(&self) -> Option<&DocNumberParts> {
        self.parts.as_ref()
    }

    /// True when the reviewer should look at it: not of the form `机关代字〔年份〕序号号`.
    pub fn flagged(&self) -> bool {
        self.parts.is_none()
    }
}

impl std::fmt::Display for DocNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

fn read_parts(text: &str) -> Option<DocNumberParts> {
    let (code, rest) = text.split_once('〔')?;
    let (year, rest) = rest.split_once('〕')?;
    let serial = rest.strip_suffix('号')?;
    let code_ok = !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_alphanumeric() && !OPENERS.contains(&c) && !CLOSERS.contains(&c));
    if !code_ok || year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if serial.is_empty() || !serial.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    if !(1949..=2100).contains(&year) {
        return None;
    }
    Some(DocNumberParts {
        issuer_code: code.to_string(),
        year,
        serial: serial.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_brackets_are_normalised() {
        for raw in [
            "张机事发[2020]3号",
            "张机事发(2020)3号",
            "张机事发（2020）3号",
            "张机事发【2020】3号",
            "张机事发〔2020〕3号",
            "张机事发 ［２０２０］ 3 号",
        ] {
            let d = DocNumber::parse(raw).expect("not empty");
            assert_eq!(d.as_str(), "张机事发〔2020〕3号", "{raw}");
            assert!(!d.flagged(), "{raw}");
            let p = d.parts().expect("parts");
            assert_eq!(
                (p.issuer_code.as_str(), p.year, p.serial),
                ("张机事发", 2020, 3)
            );
        }
    }

    #[test]
    fn unreadable_numbers_are_kept_and_flagged() {
        for (raw, kept) in [
            ("张机事发2020年3号", "张机事发2020年3号"),
            ("〔2020〕3号", "〔2020〕3号"),
            ("张机事发〔20〕3号", "张机事发〔20〕3号"),
            ("张机事发〔2020〕第三号", "张机事发〔2020〕第三号"),
            ("见附件", "见附件"),
            ("张机事发[2020]3", "张机事发〔2020〕3"),
        ] {
            let d = DocNumber::parse(raw).expect("not empty");
            assert!(d.flagged(), "{raw}");
            assert_eq!(d.as_str(), kept);
        }
        assert_eq!(DocNumber::parse("  "), None);
    }

    proptest::proptest! {
        /// Normalising never panics, is idempotent, and keeps every non-space character but
        /// the year's brackets.
        #[test]
        fn normalisation_is_idempotent(raw in "[张机事发国办函\\[\\]()（）【】〔〕０-９0-9号 第年]{0,16}") {
            if let Some(d) = DocNumber::parse(&raw) {
                let again = DocNumber::parse(d.as_str()).expect("not empty");
                proptest::prop_assert_eq!(again.as_str(), d.as_str());
                proptest::prop_assert_eq!(again.flagged(), d.flagged());
                proptest::prop_assert_eq!(
                    d.as_str().chars().count(),
                    raw.chars().filter(|c| !c.is_whitespace()).count()
                );
            } else {
                proptest::prop_assert!(raw.trim().is_empty());
            }
        }
    }
}
