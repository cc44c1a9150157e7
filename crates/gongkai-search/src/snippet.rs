//! Highlighting (docs/search.md#snippets): the query's words and phrases are found in the stored
//! plain text (folded the way the index folds it), the window of text holding most of them is cut
//! out, HTML-escaped, and every occurrence wrapped in `<mark>…</mark>`.

use crate::analysis::fold_char;

/// Characters in a body snippet.
pub(crate) const SNIPPET_CHARS: usize = 120;
/// Characters shown before the first highlighted word of a snippet.
const LEAD_CHARS: usize = 20;
/// Occurrences looked at when choosing the window.
const MAX_MATCHES: usize = 500;

/// The whole text (a title) with every needle marked.
pub(crate) fn highlight_all(text: &str, needles: &[String]) -> String {
    let chars = collapse_spaces(text);
    let marks = find(&chars, needles);
    render(&chars, &marks.marked, 0, chars.len())
}

/// A window of at most `SNIPPET_CHARS` characters of `text`, where the needles are densest, with
/// each occurrence marked; the start of the text when none occurs.
pub(crate) fn snippet(text: &str, needles: &[String]) -> String {
    let chars = collapse_spaces(text);
    let marks = find(&chars, needles);
    let mut best = (0usize, 0usize, 0usize); // (distinct needles, marked chars, start)
    for &(start, _, _) in &marks.matches {
        let from = start.saturating_sub(LEAD_CHARS);
        let to = (from + SNIPPET_CHARS).min(chars.len());
        let mut seen: Vec<usize> = Vec::new();
        for &(s, e, needle) in &marks.matches {
            if s >= from && e <= to && !seen.contains(&needle) {
                seen.push(needle);
            }
        }
        let covered = marks.marked[from..to].iter().filter(|m| **m).count();
        if (seen.len(), covered) > (best.0, best.1) {
            best = (seen.len(), covered, from);
        }
    }
    let from = best.2;
    let to = (from + SNIPPET_CHARS).min(chars.len());
    let mut html = String::new();
    if from > 0 {
        html.push('…');
    }
    html.push_str(&render(&chars, &marks.marked, from, to));
    if to < chars.len() {
        html.push('…');
    }
    html
}

/// The characters of `text` with every run of white space made one space, trimmed.
fn collapse_spaces(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_whitespace() {
            if out.last() != Some(&' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

struct Marks {
    /// (start, end, needle) of occurrences, in order of the needles.
    matches: Vec<(usize, usize, usize)>,
    marked: Vec<bool>,
}

fn find(chars: &[char], needles: &[String]) -> Marks {
    let folded: Vec<char> = chars.iter().map(|c| fold_char(*c)).collect();
    let mut marks = Marks {
        matches: Vec::new(),
        marked: vec![false; chars.len()],
    };
    for (n, needle) in needles.iter().enumerate() {
        let needle: Vec<char> = needle.chars().collect();
        if needle.is_empty() || needle.len() > folded.len() {
            continue;
        }
        for start in 0..=folded.len() - needle.len() {
            if marks.matches.len() >= MAX_MATCHES {
                break;
            }
            let end = start + needle.len();
            if folded[start..end] == needle[..] {
                marks.matches.push((start, end, n));
                marks.marked[start..end].iter_mut().for_each(|m| *m = true);
            }
        }
    }
    marks.matches.sort_unstable();
    marks
}

fn render(chars: &[char], marked: &[bool], from: usize, to: usize) -> String {
    let mut html = String::new();
    for i in from..to {
        if marked[i] && (i == from || !marked[i - 1]) {
            html.push_str("<mark>");
        }
        match chars[i] {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
        if marked[i] && (i + 1 == to || !marked[i + 1]) {
            html.push_str("</mark>");
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn occurrences_are_marked_and_text_escaped() {
        assert_eq!(
            highlight_all(
                "<b>节能</b> & 宣传周 ＡＢ",
                &needles(&["节能", "宣传", "ab"])
            ),
            "&lt;b&gt;<mark>节能</mark>&lt;/b&gt; &amp; <mark>宣传</mark>周 <mark>ＡＢ</mark>"
        );
        // Overlapping needles make one mark.
        assert_eq!(
            highlight_all("公务用车管理", &needles(&["公务用车", "用车管理"])),
            "<mark>公务用车管理</mark>"
        );
    }

    #[test]
    fn the_window_holds_the_most_needles() {
        let text = format!(
            "{}节能{}节能宣传周{}",
            "甲".repeat(200),
            "乙".repeat(200),
            "丙".repeat(200)
        );
        let s = snippet(&text, &needles(&["节能", "宣传周"]));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>节能宣传周</mark>"), "{s}");
        assert_eq!(
            s.replace("<mark>", "")
                .replace("</mark>", "")
                .chars()
                .count(),
            SNIPPET_CHARS + 2
        );
    }

    #[test]
    fn without_a_match_the_start_is_shown() {
        let s = snippet("第一段\n\n  第二段", &needles(&["节能"]));
        assert_eq!(s, "第一段 第二段");
    }
}
