//! What a public form's text is screened for before anything is stored (docs/feedback.md#what-is-refused):
//! web code (HTML tags, `<script`, `javascript:` and its kin, escaped angle brackets), links
//! (schemes, `www.`, a domain with a common top-level domain, also written with full-width
//! letters or a Chinese full stop), characters that are invisible or control the terminal, and
//! the key under which two comments count as the same text.

/// Characters that show nothing: zero-width spaces and joiners, bidirectional overrides and
/// isolates, word joiners and the byte order mark. They are dropped from what is stored and
/// ignored by every check (so `w\u{200b}ww.` is still `www.`).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
            | '\u{00ad}'
    )
}

/// A control character other than the line breaks and tab a comment may hold.
pub fn is_forbidden_control(c: char, multiline: bool) -> bool {
    c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'))
}

/// `s` without invisible characters, lower-cased, full-width ASCII folded to ASCII, and the
/// full stops that stand for a dot in a domain (`。`, `．`, `｡`) folded to `.` when they follow
/// an ASCII letter or digit; white space dropped when `squeeze`.
fn fold(s: &str, squeeze: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_invisible(c) || (squeeze && c.is_whitespace()) {
            continue;
        }
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        };
        let c = match c {
            '。' | '．' | '｡'
                if out
                    .chars()
                    .last()
                    .is_some_and(|p: char| p.is_ascii_alphanumeric()) =>
            {
                '.'
            }
            c => c,
        };
        out.extend(c.to_lowercase());
    }
    out
}

/// Whether `s` holds web code: an HTML tag or comment (`<` before a letter, `/`, `!` or `?`),
/// an escaped angle bracket (`&lt;`, `&#60;`, `&#x3c;`), or a script scheme (`javascript:`,
/// `vbscript:`, `data:text/html`), however spaced or cased.
pub fn has_markup(s: &str) -> bool {
    let f = fold(s, false);
    let tag = f.char_indices().any(|(i, c)| {
        c == '<'
            && f[i + 1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
    });
    if tag {
        return true;
    }
    let squeezed = fold(s, true);
    [
        "<script",
        "javascript:",
        "vbscript:",
        "livescript:",
        "data:text/html",
        "&lt;",
        "&#60",
        "&#x3c",
        "expression(",
    ]
    .iter()
    .any(|p| squeezed.contains(p))
}

/// Top-level domains of the links that spam carries (generic and the region's country codes).
const TLDS: [&str; 40] = [
    "com", "cn", "net", "org", "gov", "edu", "info", "biz", "top", "xyz", "vip", "cc", "tv", "me",
    "io", "co", "site", "online", "shop", "club", "wang", "ink", "ltd", "pro", "app", "dev",
    "link", "tk", "ru", "jp", "hk", "tw", "mo", "uk", "us", "win", "bid", "work", "live", "store",
];

/// Whether `s` holds a link: a scheme (`http://`, `https://`, `ftp://`, any `://`), `www.`, or
/// a name ending in a dot and a common top-level domain (`example.com`, `abc。cn`, `ｅｘａｍｐｌｅ．ｃｏｍ`),
/// white space inside ignored. A dot after a non-ASCII character is not a domain (`满意。CN`
/// stays text), nor is a number (`3.5`).
pub fn has_link(s: &str) -> bool {
    let f = fold(s, true);
    if f.contains("://") || f.contains("www.") || f.contains("http:") || f.contains("https:") {
        return true;
    }
    let b = f.as_bytes();
    for (i, _) in f.match_indices('.') {
        let before_ok = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'-');
        if !before_ok {
            continue;
        }
        let rest = &f[i + 1..];
        let word: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
        let after = rest[word.len()..].chars().next();
        let ends = after.is_none_or(|c| !c.is_ascii_alphanumeric());
        if ends && TLDS.contains(&word.as_str()) {
            return true;
        }
    }
    false
}

/// The key two comments are the same text under: folded as for the link check, with white
/// space and punctuation (ASCII and Chinese) dropped, so `很好！` and ` 很 好 ` are one text.
pub fn dedup_key(s: &str) -> String {
    fold(s, true)
        .chars()
        .filter(|c| !c.is_ascii_punctuation() && !is_cjk_punctuation(*c))
        .collect()
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{2010}'..='\u{2027}' | '\u{fe30}'..='\u{fe4f}')
        || "，。！？、；：“”‘’（）《》【】…—·".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_found_however_written() {
        for s in [
            "<script>alert(1)</script>",
            "好<SCRIPT src=x>",
            "<img src=x onerror=alert(1)>",
            "</p>",
            "<!-- x -->",
            "点击 java\u{200b}script:alert(1)",
            "JavaScript :alert(1)",
            "ｊａｖａｓｃｒｉｐｔ:alert(1)",
            "vbscript:msgbox",
            "data:text/html;base64,xx",
            "&lt;script&gt;",
            "&#60;b&#62;",
        ] {
            assert!(has_markup(s), "{s}");
        }
        for s in [
            "1 < 2，满意",
            "a<1",
            "《政府信息公开条例》第二十条",
            "很好 :)",
            "<<规章>>",
        ] {
            assert!(!has_markup(s), "{s}");
        }
    }

    #[test]
    fn links_are_found_however_written() {
        for s in [
            "详见 http://spam.example",
            "HTTPS://x",
            "ftp://files",
            "访问www.example.net",
            "w w w . spam . com",
            "w\u{200b}ww.x",
            "加我 abc.com 领取",
            "去 spam。cn 看看",
            "ｓｐａｍ．ｃｏｍ",
            "shop.top!",
            "a-b.vip",
        ] {
            assert!(has_link(s), "{s}");
        }
        for s in [
            "满意。CN",
            "增长了3.5个百分点",
            "第2.1条",
            "很好。Me too",
            "张政办发〔2024〕3号",
            "e.g",
            "版本1.2.3",
            "com",
        ] {
            assert!(!has_link(s), "{s}");
        }
    }

    #[test]
    fn the_same_text_has_one_key() {
        assert_eq!(dedup_key("很好！"), dedup_key(" 很 好 "));
        assert_eq!(dedup_key("Good, thanks."), dedup_key("good thanks"));
        assert_eq!(dedup_key("ＡＢＣ"), "abc");
        assert_ne!(dedup_key("很好"), dedup_key("不好"));
        assert!(is_invisible('\u{200b}') && is_invisible('\u{202e}') && !is_invisible('a'));
        assert!(is_forbidden_control('\u{7}', true));
        assert!(!is_forbidden_control('\n', true));
        assert!(is_forbidden_control('\n', false));
    }
}
