//! HTML as rows: leaf tables become grids (rowspan/colspan expanded, capped), prose becomes
//! one row per block. Scripts, styles, frames and hidden elements are dropped (BI-IM-7,
//! BI-IM-9). A report held in a JavaScript string (`let content = "<p>…"`) is unescaped and
//! read as HTML. The DOM is walked without recursion, so deep nesting cannot overflow the
//! stack (BI-IM-10).

use crate::grid::Slot;
use crate::rows::{Document, Row};
use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use gongkai_core::report::cell::Place;
use scraper::{Html, Node};

/// Largest span honoured (BI-IM-2).
const MAX_SPAN: usize = 100;
const MAX_GRID_ROWS: usize = 5_000;
const MAX_GRID_COLS: usize = 200;
/// Most grid slots one table may fill: spans are capped, but many capped spans still add up.
const MAX_GRID_SLOTS: usize = 1_000_000;

pub fn read(source: &str) -> Document {
    let html_text = embedded_html(source).unwrap_or_else(|| source.to_string());
    let html = Html::parse_document(&html_text);
    let mut w = Walker::default();
    w.walk(html.tree.root());
    w.flush();
    Document {
        rows: w.rows,
        title_hint: title_hint(&html),
    }
}

fn title_hint(html: &Html) -> Option<String> {
    let mut title = None;
    let mut meta = None;
    for node in html.tree.root().descendants() {
        if let Node::Element(e) = node.value() {
            match e.name() {
                "title" if title.is_none() => {
                    title = Some(text_of(node));
                }
                "meta" if meta.is_none() => {
                    let name = e.attr("name").or(e.attr("property")).unwrap_or("");
                    if matches!(name, "ArticleTitle" | "og:title" | "title") {
                        meta = e.attr("content").map(str::to_string);
                    }
                }
                _ => {}
            }
        }
    }
    meta.into_iter().chain(title).find(|t| t.contains("报告"))
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "iframe"
            | "frame"
            | "template"
            | "head"
            | "select"
            | "option"
            | "textarea"
            | "svg"
            | "object"
            | "embed"
            | "button"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "section"
            | "article"
            | "dd"
            | "dt"
            | "dl"
            | "blockquote"
            | "pre"
            | "center"
            | "hr"
            | "header"
            | "footer"
            | "nav"
            | "form"
            | "caption"
    )
}

fn is_hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        // Most elements carry a style; only look closer when it can hide them.
        let b = s.as_bytes();
        let may_hide = b.windows(4).any(|w| w.eq_ignore_ascii_case(b"none"))
            || b.windows(6).any(|w| w.eq_ignore_ascii_case(b"hidden"));
        if !may_hide {
            return false;
        }
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// The visible text of a node, whitespace collapsed; block boundaries inside a table cell
/// join without a space (`本年新<br>制作数量`, `1<br>234`).
fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Element(e)
                        if (is_skipped(e.name()) || is_hidden(e)) && n.id() != node.id() =>
                    {
                        skip = Some(n.id());
                    }
                    Node::Text(t) => push_collapsed(&mut out, t),
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                }
            }
        }
    }
    out.trim().to_string()
}

fn push_collapsed(out: &mut String, t: &str) {
    for c in t.chars() {
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{3000}' {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

#[derive(Default)]
struct Walker {
    rows: Vec<Row>,
    line: String,
    tables: u32,
}

impl Walker {
    fn flush(&mut self) {
        let t = self.line.trim();
        if !t.is_empty() {
            self.rows
                .push(crate::text::layout_row(t, &Place::default()));
        }
        self.line.clear();
    }

    fn walk(&mut self, root: NodeRef<'_, Node>) {
        let mut skip: Option<ego_tree::NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(n) => {
                    if skip.is_some() {
                        continue;
                    }
                    match n.value() {
                        Node::Element(e) => {
                            let name = e.name();
                            if is_skipped(name) || is_hidden(e) {
                                skip = Some(n.id());
                                continue;
                            }
                            if name == "table" && !has_nested_table(n) {
                                self.flush();
                                self.tables += 1;
                                let rows = grid_rows(n, self.tables);
                                self.rows.extend(rows);
                                skip = Some(n.id());
                                continue;
                            }
                            if is_block(name) {
                                self.flush();
                            }
                        }
                        Node::Text(t) => push_collapsed(&mut self.line, t),
                        _ => {}
                    }
                }
                Edge::Close(n) => {
                    if skip == Some(n.id()) {
                        skip = None;
                        continue;
                    }
                    if skip.is_none()
                        && let Node::Element(e) = n.value()
                        && is_block(e.name())
                    {
                        self.flush();
                    }
                }
            }
        }
    }
}

fn has_nested_table(table: NodeRef<'_, Node>) -> bool {
    table
        .descendants()
        .skip(1)
        .any(|d| matches!(d.value(), Node::Element(e) if e.name() == "table"))
}

fn span(attr: Option<&str>, default: usize) -> usize {
    let Some(a) = attr else { return default };
    let digits: String = a
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    match digits.parse::<usize>() {
        Ok(0) => 0,
        Ok(n) => n.min(MAX_SPAN),
        Err(_) => default,
    }
}

/// The rows of a leaf table as a grid with merged cells expanded.
fn grid_rows(table: NodeRef<'_, Node>, table_no: u32) -> Vec<Row> {
    let trs: Vec<NodeRef<'_, Node>> = table
        .descendants()
        .filter(|d| matches!(d.value(), Node::Element(e) if e.name() == "tr" && !is_hidden(e)))
        .take(MAX_GRID_ROWS)
        .collect();
    let n_rows = trs.len();
    let mut grid: Vec<Vec<Option<Slot>>> = vec![Vec::new(); n_rows];
    let mut budget = MAX_GRID_SLOTS;
    'rows: for (r, tr) in trs.iter().enumerate() {
        let mut c = 0usize;
        for td in tr.children() {
            let Node::Element(e) = td.value() else {
                continue;
            };
            if !matches!(e.name(), "td" | "th") || is_hidden(e) {
                continue;
            }
            while grid[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            if c >= MAX_GRID_COLS {
                break;
            }
            let colspan = span(e.attr("colspan"), 1).max(1);
            let rowspan = match span(e.attr("rowspan"), 1) {
                0 => (n_rows - r).min(MAX_SPAN),
                n => n,
            };
            let text = text_of(td);
            let slots = rowspan.min(n_rows - r) * colspan.min(MAX_GRID_COLS - c);
            if slots > budget {
                break 'rows;
            }
            budget -= slots;
            for dr in 0..rowspan.min(n_rows - r) {
                for dc in 0..colspan.min(MAX_GRID_COLS - c) {
                    let row = &mut grid[r + dr];
                    if row.len() <= c + dc {
                        row.resize(c + dc + 1, None);
                    }
                    if row[c + dc].is_some() {
                        // Overlapping spans: the first cell keeps the slot (BI-IM-2).
                        continue;
                    }
                    row[c + dc] = Some(match (dr, dc) {
                        (0, 0) => Slot::Origin(text.clone()),
                        (_, 0) => Slot::RowSpan(text.clone(), r, c),
                        _ => Slot::ColSpan,
                    });
                }
            }
            c += colspan;
        }
    }
    crate::grid::to_rows(grid, table_no)
}

/// HTML held in JavaScript string literals of a script file (`let content = "<p>…"`):
/// the literals that contain markup, unescaped and joined. `None` for an HTML document.
fn embedded_html(source: &str) -> Option<String> {
    let head = source.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        return None;
    }
    let mut parts = Vec::new();
    let chars: Vec<char> = source.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '"' | '\'' | '`' => {
                let (lit, end) = literal(&chars, i);
                if lit.len() > 40 && lit.contains('<') && lit.contains('>') {
                    parts.push(lit);
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    let html = parts.join("\n");
    let lower = html.to_ascii_lowercase();
    (lower.contains("<table") || lower.contains("<p")).then_some(html)
}

/// Reads a JavaScript string literal starting at the quote `start`; returns its unescaped
/// value and the index after the closing quote.
fn literal(chars: &[char], start: usize) -> (String, usize) {
    let quote = chars[start];
    let mut out = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        let c = chars[i];
        if c == quote {
            return (out, i + 1);
        }
        if c == '\n' && quote != '`' {
            // An unterminated literal ends at the line.
            return (out, i + 1);
        }
        if c == '\\' {
            i += 1;
            let Some(&e) = chars.get(i) else { break };
            match e {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'b' | 'f' | 'v' | '0' => out.push(' '),
                '\n' => {}
                'x' => {
                    let hex: String = chars.iter().skip(i + 1).take(2).collect();
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        out.push(ch);
                        i += 2;
                    }
                }
                'u' => {
                    let hex: String = chars.iter().skip(i + 1).take(4).collect();
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        out.push(ch);
                        i += 4;
                    }
                }
                other => out.push(other),
            }
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    (out, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bi_im_2_spans_are_expanded_and_capped() {
        let d = read(
            "<table><tr><td rowspan=2>三、结果</td><td>（一）予以公开</td><td colspan=1000000>1</td><td>2</td></tr>\
             <tr><td>（二）部分公开</td><td rowspan=0>3</td><td colspan='2px'>&nbsp;</td></tr></table>",
        );
        assert_eq!(d.rows.len(), 2);
        assert_eq!(d.rows[0].own_label(), "（一）予以公开");
        assert_eq!(
            d.rows[1].labels.len(),
            2,
            "the merged group label carries down"
        );
        assert_eq!(d.rows[1].values[0].text, "3");
        assert_eq!(d.rows[1].values[1].text, "");
    }

    #[test]
    fn bi_im_7_9_hidden_and_scripts_are_dropped() {
        let d = read(
            "<p>规章 <span style='display: none'>9</span>1</p><script>var x='<p>规章 5</p>'</script>",
        );
        assert_eq!(d.rows.len(), 1);
        assert_eq!(d.rows[0].own_label(), "规章");
        assert_eq!(d.rows[0].values[0].text, "1");
    }

    #[test]
    fn report_inside_a_javascript_string() {
        let d = read(
            "let a = 1;\nlet content = \"<table><tr><td style=\\\"w\\\">规章</td><td>7</td></tr></table><p>其他说明文字</p>\";",
        );
        assert_eq!(d.rows[0].own_label(), "规章");
        assert_eq!(d.rows[0].values[0].text, "7");
        assert_eq!(d.rows[0].values[0].place.table, Some(1));
    }

    #[test]
    fn bi_im_10_deep_nesting_does_not_overflow() {
        let deep = "<div>".repeat(20_000) + "规章 1" + &"</div>".repeat(20_000);
        let d = read(&deep);
        assert_eq!(d.rows.len(), 1);
    }
}
