//! A personal-information scan of what is about to be published (docs/reliability.md PI-12):
//! resident ID numbers whose check digit is valid and mainland mobile numbers. Hits are flagged
//! for the reviewer, masked, never echoed in full.

use crate::checksum::id_number_check;

/// What was found, masked for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PiiHit {
    /// A checksum-valid 18-character resident ID number (shown as `3703**********123X`).
    IdNumber(String),
    /// A mobile number (shown as `138****5678`).
    Mobile(String),
}

impl PiiHit {
    pub fn zh(&self) -> String {
        match self {
            PiiHit::IdNumber(m) => format!("疑似包含公民身份号码（{m}），请核对是否应当公开"),
            PiiHit::Mobile(m) => format!("疑似包含手机号码（{m}），请核对是否应当公开"),
        }
    }
}

/// Scans `text` (plain text or HTML). Digits inside a longer run of digits are not matched, so
/// document numbers, amounts and dates do not trip it.
pub fn scan(text: &str) -> Vec<PiiHit> {
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'ｘ' | 'Ｘ' => 'X',
            _ => c,
        })
        .collect();
    let mut hits = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let run_end = (i..chars.len())
            .find(|&j| !chars[j].is_ascii_digit())
            .unwrap_or(chars.len());
        let run: String = chars[i..run_end].iter().collect();
        let next = chars.get(run_end).copied();
        if run.len() == 17 && matches!(next, Some('X' | 'x')) {
            let after = chars.get(run_end + 1).copied();
            if !after.is_some_and(|c| c.is_ascii_alphanumeric())
                && id_number_check(&run) == Some('X')
            {
                hits.push(PiiHit::IdNumber(mask(&format!("{run}X"), 4, 4)));
            }
        } else if run.len() == 18 && !next.is_some_and(|c| c.is_ascii_alphabetic()) {
            let (body, check) = run.split_at(17);
            if id_number_check(body).map(String::from).as_deref() == Some(check) {
                hits.push(PiiHit::IdNumber(mask(&run, 4, 4)));
            }
        } else if run.len() == 11
            && run.starts_with('1')
            && matches!(run.as_bytes()[1], b'3'..=b'9')
            && !next.is_some_and(|c| c.is_ascii_alphabetic())
        {
            hits.push(PiiHit::Mobile(mask(&run, 3, 4)));
        }
        i = run_end;
    }
    hits
}

fn mask(s: &str, keep_start: usize, keep_end: usize) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_start || i >= n.saturating_sub(keep_end) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_valid_id_numbers_and_mobiles_masked() {
        // 11010519491231002X is the standard's worked example (check digit X).
        let hits = scan("<p>申请人张三，身份证号11010519491231002X，电话13812345678。</p>");
        assert_eq!(
            hits,
            vec![
                PiiHit::IdNumber("1101**********002X".into()),
                PiiHit::Mobile("138****5678".into())
            ]
        );
        assert!(hits[0].zh().contains("1101**********002X"));
        assert!(!hits[0].zh().contains("19491231"));
    }

    #[test]
    fn ignores_numbers_that_are_not_personal_information() {
        for text in [
            "张机事发〔2021〕5号",
            "索引号000014349/2021-00222",
            "预算金额12345678901234567元", // 17 digits, no check character
            "110105194912310021",          // wrong check digit
            "编号138123456789",            // 12 digits
            "座机0533-2869928",
            "统一社会信用代码11370303004351234X00",
        ] {
            assert_eq!(scan(text), vec![], "{text}");
        }
    }
}
