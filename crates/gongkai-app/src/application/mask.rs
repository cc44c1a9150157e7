//! Masking of personal numbers in lists (docs/back-office.md#personal-data): an ID number keeps
//! its first and last characters, a phone number its first three and last four digits; the
//! rest become `*`. A case page shows the full values only on request, and that access is
//! recorded ([`super::reveal_identity`]).

/// `370302********123X` for an 18-character ID number: the first 6 (the region of issue)
/// and last 4 characters stay for numbers of 12 characters or more; shorter ones (passports,
/// permits) keep their first and last character.
pub fn mask_id(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let (head, tail) = match chars.len() {
        0 => return String::new(),
        n if n >= 12 => (6, 4),
        n if n >= 3 => (1, 1),
        _ => (0, 0),
    };
    mask(&chars, head, tail)
}

/// `138****5678` for a mobile number, `0533****1234` for a fixed line with its area code:
/// the first three (four with a leading 0) and the last four digits stay when there are 8 or
/// more characters, else the last two.
pub fn mask_phone(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let (head, tail) = match chars.len() {
        0 => return String::new(),
        n if n >= 11 && chars[0] == '0' => (4, 4),
        n if n >= 8 => (3, 4),
        n if n >= 3 => (0, 2),
        _ => (0, 0),
    };
    mask(&chars, head, tail)
}

/// `z***@example.cn`: the first character of the mailbox and the domain stay.
pub fn mask_email(s: &str) -> String {
    match s.trim().split_once('@') {
        Some((user, domain)) => {
            let first: String = user.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => mask_id(s),
    }
}

/// An address cut after its district or county (PI-7: `北京市西城区***`); without one, the
/// first six characters.
pub fn mask_address(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() {
        return String::new();
    }
    let chars: Vec<char> = s.chars().collect();
    let cut = chars
        .iter()
        .enumerate()
        .filter(|(i, c)| matches!(c, '区' | '县' | '旗') && *i >= 2)
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(6.min(chars.len()));
    let head: String = chars[..cut].iter().collect();
    if cut < chars.len() {
        format!("{head}***")
    } else {
        head
    }
}

fn mask(chars: &[char], head: usize, tail: usize) -> String {
    let n = chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { *c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_keep_region_and_check_character_only() {
        assert_eq!(mask_id("37030219900101123X"), "370302********123X");
        assert_eq!(mask_id(" E12345678 "), "E*******8");
        assert_eq!(mask_id("ab"), "**");
        assert_eq!(mask_address("北京市西城区某街1号"), "北京市西城区***");
        assert_eq!(mask_address("某路1号"), "某路1号");
        assert_eq!(mask_email("zhang@example.cn"), "z***@example.cn");
        assert_eq!(mask_id(""), "");
    }

    #[test]
    fn phone_numbers_keep_the_prefix_and_last_four() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("053312341234"), "0533****1234");
        assert_eq!(mask_phone("88881234"), "888*1234");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone(""), "");
    }
}
