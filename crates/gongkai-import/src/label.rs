//! Matching printed labels against the official ones. Labels in real reports are wrapped,
//! spaced, numbered differently, bracketed full- or half-width, and sometimes damaged
//! (`其他法律行政止公开`), so they are compared by their ideographs, not character for character.

use crate::number::fold_char;

/// Chinese numerals used in the format's numbering (`一、`, `（三）`).
fn is_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    ) || c.is_ascii_digit()
}

fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The folded text without whitespace: `（一） 予以公开` → `(一)予以公开`.
pub fn compact(s: &str) -> String {
    s.chars()
        .filter_map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The comparison key of a label: its ideographs and letters, with the numbering markers of
/// the format (`一、`, `(三)`, `1.`, `2、`) removed wherever they stand.
pub fn key(s: &str) -> Vec<char> {
    let c: Vec<char> = compact(s).chars().collect();
    let mut out = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        // `(三)` / `（三）` numbering.
        if c[i] == '(' {
            let mut j = i + 1;
            while j < c.len() && j - i <= 3 && is_numeral(c[j]) {
                j += 1;
            }
            if j > i + 1 && j < c.len() && c[j] == ')' {
                i = j + 1;
                continue;
            }
        }
        // `一、` `1.` `2、` numbering: numerals followed by a separator, at a boundary.
        if is_numeral(c[i]) && (i == 0 || !is_ideograph(c[i - 1]) || is_numeral(c[i - 1])) {
            let mut j = i;
            while j < c.len() && j - i < 3 && is_numeral(c[j]) {
                j += 1;
            }
            if j < c.len() && matches!(c[j], '、' | '.' | ',' | '．') {
                i = j + 1;
                continue;
            }
        }
        if is_ideograph(c[i]) || c[i].is_ascii_alphabetic() {
            out.push(c[i]);
        }
        i += 1;
    }
    out
}

/// Longest key compared; longer text (narrative) is never a label.
const MAX_KEY: usize = 200;

/// Length of the longest common subsequence, on two rows of the table kept on the stack.
fn lcs(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() || b.len() > MAX_KEY {
        return 0;
    }
    let mut prev = [0u16; MAX_KEY + 1];
    let mut cur = [0u16; MAX_KEY + 1];
    for &x in a {
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    usize::from(prev[b.len()])
}

/// Similarity of two keys in [0, 1]: LCS² / (|a|·|b|). 1 for equal keys; a damaged or
/// wrapped label keeps most of its score, a short label inside a long one does not.
pub fn similarity(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() || b.is_empty() || a.len() > MAX_KEY || b.len() > MAX_KEY {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    // The LCS is at most the shorter key; below 0.1 the score is noise anyway.
    let (short, long) = (a.len().min(b.len()) as f64, a.len().max(b.len()) as f64);
    if short / long < 0.1 {
        return 0.0;
    }
    // No ideograph in common: nothing to align.
    if !a.iter().any(|c| b.contains(c)) {
        return 0.0;
    }
    let l = lcs(a, b) as f64;
    l * l / (a.len() as f64 * b.len() as f64)
}

/// Whether `hay` contains the ideographs of `needle` in one piece.
pub fn contains(hay: &[char], needle: &str) -> bool {
    let n: Vec<char> = needle.chars().collect();
    !n.is_empty() && hay.windows(n.len()).any(|w| w == n.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Vec<char> {
        key(s)
    }

    #[test]
    fn keys_drop_numbering_and_brackets() {
        assert_eq!(k("（一） 予以公开"), "予以公开".chars().collect::<Vec<_>>());
        assert_eq!(k("(一)予以公开"), k("（一）予以公开"));
        assert_eq!(
            k("一、本年新收政府信息公开申请数量"),
            k("本年新收政府信息公开申请数量")
        );
        assert_eq!(k("1. 属于国家秘密"), k("1.属于国家秘密"));
        assert_eq!(k("3.危及“三安全一稳定”"), k("危及三安全一稳定"));
    }

    #[test]
    fn damaged_labels_still_match_best() {
        let damaged = k("2.其他法律行政止公开");
        let right = similarity(&damaged, &k("2.其他法律行政法规禁止公开"));
        let other = similarity(&damaged, &k("3.其他"));
        assert!(right > 0.7 && other < 0.3, "{right} {other}");
        let wrapped = k("本            2.其他法律行政法规禁止公开");
        assert!(similarity(&wrapped, &k("2.其他法律行政法规禁止公开")) > 0.8);
    }
}
