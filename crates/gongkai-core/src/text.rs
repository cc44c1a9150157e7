//! Small text helpers shared by every adapter that writes documents, and the text hygiene
//! every field passes at the boundary (docs/reliability.md#text-hygiene).

/// Characters no text field takes: controls (C0, C1, DEL) — except newlines and tabs in long
/// text — the line and paragraph separators, the byte-order mark, and the bidirectional
/// overrides and isolates (which could make a name read differently from what is stored).
pub fn forbidden_char(c: char, multi_line: bool) -> bool {
    if multi_line && matches!(c, '\n' | '\r' | '\t') {
        return false;
    }
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// True when `s` holds a forbidden character ([`forbidden_char`]).
pub fn has_forbidden(s: &str, multi_line: bool) -> bool {
    s.chars().any(|c| forbidden_char(c, multi_line))
}

/// Characters that show nothing: white space (the ideographic space and NBSP included), the
/// zero-width space, joiners, word joiner, soft hyphen and byte-order mark.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
                | '\u{00AD}'
                | '\u{180E}'
        )
}

/// `s` without invisible characters at either end; empty when nothing in it shows.
pub fn trim_invisible(s: &str) -> &str {
    s.trim_matches(is_invisible)
}

/// True when nothing in `s` shows: a field of only spaces or zero-width characters is empty.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(is_invisible)
}

/// `s` safe to print on a terminal: control characters (escape sequences included) and
/// bidirectional overrides written as `\u{…}`; newlines and tabs kept.
pub fn escape_terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if forbidden_char(c, true) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text of sanitised HTML (the catalogue's bodies) for indexing and snippets: tags dropped,
/// block ends as line breaks, the common entities decoded, runs of blank space collapsed.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name = tag.split([' ', '/', '\t', '\n']).next().unwrap_or("");
        if matches!(
            name,
            "p" | "br" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table"
        ) {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let mut text = String::with_capacity(decoded.len());
    for line in decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
    {
        if !line.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&line);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_text_of_html() {
        assert_eq!(
            super::plain_text(
                "<p>第一段&nbsp;A&amp;B</p><p>第二段<br>下一行</p>  <ul><li>一</li></ul>"
            ),
            "第一段 A&B\n第二段\n下一行\n一"
        );
        assert_eq!(super::plain_text("无标记"), "无标记");
        assert_eq!(super::plain_text("坏的<p"), "坏的");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}

#[cfg(test)]
mod hygiene_tests {
    use super::*;

    #[test]
    fn bi_u_2_zero_width_only_text_is_blank_and_controls_are_escaped() {
        assert!(is_blank("\u{200B}\u{200B} \u{3000}\u{FEFF}"));
        assert!(!is_blank("\u{200B}申请"));
        assert_eq!(trim_invisible("\u{200B} 申请\u{3000}"), "申请");
        assert!(has_forbidden("a\u{1b}[31mb", false));
        assert!(has_forbidden("a\nb", false));
        assert!(!has_forbidden("a\nb\tc", true));
        assert!(has_forbidden("abc\u{202E}def", true));
        assert_eq!(escape_terminal("a\u{1b}[2Jb\nc"), "a\\u{1b}[2Jb\nc");
    }
}
