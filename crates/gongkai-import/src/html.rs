//! HTML as rows: leaf tables become grids (rowspan/colspan expanded, capped), prose becomes
//! one row per block. Scripts, styles, frames and hidden elements are dropped (BI-IM-7,
//! BI-IM-9). A report held in a JavaScript string (`let content = "<p>…"`) is unescaped and
//! read as HTML. The markup goes through [`gongkai_core::html_bound`] first, so that the
//! parser's work is linear whatever the nesting (BI-IM-10); the DOM is walked without
//! recursion, in one pass.

use crate::error::ImportError;
use crate::grid::Slot;
use crate::limits::{Budget, over};
use crate::rows::{Document, Row};
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use gongkai_core::html_bound::{HtmlBounds, HtmlLimit, OverLimit, bound_html};
use gongkai_core::report::cell::Place;
use scraper::{Html, Node};
use std::collections::HashSet;

/// Largest span honoured (BI-IM-2).
const MAX_SPAN: usize = 100;

pub fn read(source: String, budget: &mut Budget<'_>) -> Result<Document, ImportError> {
    let o = budget.o;
    let html_text = embedded_html(&source).unwrap_or(source);
    let bounded = bound_html(
        &html_text,
        &HtmlBounds {
            max_depth: o.max_depth,
            max_elements: o.max_elements,
            max_attributes: o.max_attributes,
            over_limit: OverLimit::Refuse,
        },
    )
    .map_err(|limit| match limit {
        HtmlLimit::Depth(n) => over(
            format!("HTML elements nested more than {n} deep"),
            n,
            "levels",
            "max_depth",
        ),
        HtmlLimit::Elements(n) => over(
            format!("more than {n} HTML elements"),
            n,
            "elements",
            "max_elements",
        ),
        HtmlLimit::Attributes(n) => over(
            format!("an HTML tag with more than {n} attributes"),
            n,
            "attributes per tag",
            "max_attributes",
        ),
    })?;
    drop(html_text);
    let html = Html::parse_document(&bounded);
    drop(bounded);
    let title_hint = title_hint(&html, budget)?;
    let mut w = Walker {
        rows: Vec::new(),
        line: String::new(),
        tables: 0,
        budget,
    };
    w.walk(html.tree.root())?;
    w.flush()?;
    Ok(Document {
        rows: w.rows,
        title_hint,
    })
}

fn title_hint(html: &Html, budget: &Budget<'_>) -> Result<Option<String>, ImportError> {
    let mut title = None;
    let mut meta = None;
    for node in html.tree.root().descendants() {
        if let Node::Element(e) = node.value() {
            match e.name() {
                "title" if title.is_none() => {
                    let t = text_of(node);
                    budget.chars(&t, || "the title".into())?;
                    title = Some(t);
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
    if let Some(m) = &meta {
        budget.chars(m, || "the title in the page's metadata".into())?;
    }
    Ok(meta.into_iter().chain(title).find(|t| t.contains("报告")))
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

struct Walker<'b, 'o> {
    rows: Vec<Row>,
    line: String,
    tables: u32,
    budget: &'b mut Budget<'o>,
}

impl Walker<'_, '_> {
    fn flush(&mut self) -> Result<(), ImportError> {
        let t = self.line.trim();
        if !t.is_empty() {
            self.budget.chars(t, || "a paragraph".into())?;
            let row = crate::text::layout_row(t, &Place::default(), self.budget)?;
            self.budget
                .row(row.labels.len() + row.values.len(), t.len(), || {
                    "a paragraph".into()
                })?;
            self.rows.push(row);
        }
        self.line.clear();
        Ok(())
    }

    fn walk(&mut self, root: NodeRef<'_, Node>) -> Result<(), ImportError> {
        let nested = tables_with_tables(root);
        let mut skip: Option<NodeId> = None;
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
                            if name == "table" && !nested.contains(&n.id()) {
                                self.flush()?;
                                self.tables += 1;
                                let rows = grid_rows(n, self.tables, self.budget)?;
                                self.rows.extend(rows);
                                skip = Some(n.id());
                                continue;
                            }
                            if is_block(name) {
                                self.flush()?;
                            }
                        }
                        Node::Text(t) => {
                            push_collapsed(&mut self.line, t);
                            // A run of inline text is a line too: bounded as it grows.
                            if self.line.len() > 4 * self.budget.o.max_line_chars {
                                self.budget.chars(&self.line, || "a paragraph".into())?;
                            }
                        }
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
                        self.flush()?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The tables that hold another table, in one pass (a table's leaf test is then a look-up,
/// not a walk of its subtree, which nested tables would make quadratic).
fn tables_with_tables(root: NodeRef<'_, Node>) -> HashSet<NodeId> {
    let mut open: Vec<NodeId> = Vec::new();
    let mut nested = HashSet::new();
    for edge in root.traverse() {
        match edge {
            Edge::Open(n) if matches!(n.value(), Node::Element(e) if e.name() == "table") => {
                if let Some(&outer) = open.last() {
                    nested.insert(outer);
                }
                open.push(n.id());
            }
            Edge::Close(n) if matches!(n.value(), Node::Element(e) if e.name() == "table") => {
                open.pop();
            }
            _ => {}
        }
    }
    nested
}

fn span(attr: Option<&str>, default: usize) -> usize {
    let Some(a) = attr else { return default };
    let digits: String = a
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .take(20)
        .collect();
    match digits.parse::<usize>() {
        Ok(0) => 0,
        Ok(n) => n.min(MAX_SPAN),
        Err(_) if !digits.is_empty() => MAX_SPAN,
        Err(_) => default,
    }
}

/// The rows of a leaf table as a grid with merged cells expanded. Spans are capped at
/// [`MAX_SPAN`] (BI-IM-2); a table over [`crate::Options::max_table_cells`] cells or
/// [`crate::Options::max_row_cells`] columns is refused.
fn grid_rows(
    table: NodeRef<'_, Node>,
    table_no: u32,
    budget: &mut Budget<'_>,
) -> Result<Vec<Row>, ImportError> {
    let o = budget.o;
    let too_many = |what: String| {
        over(
            format!("table {table_no} {what}"),
            o.max_table_cells,
            "cells per table",
            "max_table_cells",
        )
    };
    let trs: Vec<NodeRef<'_, Node>> = table
        .descendants()
        .filter(|d| matches!(d.value(), Node::Element(e) if e.name() == "tr" && !is_hidden(e)))
        .collect();
    let n_rows = trs.len();
    if n_rows > o.max_table_cells {
        return Err(too_many(format!("has {n_rows} rows")));
    }
    let mut grid: Vec<Vec<Option<Slot>>> = vec![Vec::new(); n_rows];
    let mut slots = 0usize;
    for (r, tr) in trs.iter().enumerate() {
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
            let colspan = span(e.attr("colspan"), 1).max(1);
            let rowspan = match span(e.attr("rowspan"), 1) {
                0 => (n_rows - r).min(MAX_SPAN),
                n => n.min(n_rows - r),
            }
            .max(1);
            if c + colspan > o.max_row_cells {
                return Err(over(
                    format!(
                        "table {table_no} row {} has more than {} columns",
                        r + 1,
                        o.max_row_cells
                    ),
                    o.max_row_cells,
                    "cells per row",
                    "max_row_cells",
                ));
            }
            slots += rowspan * colspan;
            if slots > o.max_table_cells {
                return Err(too_many(format!(
                    "expands to more than {} cells (rows × columns, merged cells included)",
                    o.max_table_cells
                )));
            }
            let text = text_of(td);
            budget.chars(&text, || {
                format!("table {table_no} row {} column {}", r + 1, c + 1)
            })?;
            // Each row a merged cell covers holds its text.
            budget.text(text.len() * rowspan)?;
            for dr in 0..rowspan {
                let row = &mut grid[r + dr];
                if row.len() < c + colspan {
                    row.resize(c + colspan, None);
                }
                for dc in 0..colspan {
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
    crate::grid::to_rows(grid, table_no, budget)
}

/// HTML held in JavaScript string literals of a script file (`let content = "<p>…"`):
/// the literals that contain markup, unescaped and joined. `None` for an HTML document.
/// One pass over the bytes (every delimiter is ASCII, so a cut never splits a character).
fn embedded_html(source: &str) -> Option<String> {
    let head = source.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        return None;
    }
    let b = source.as_bytes();
    // The literals that hold markup, joined by newlines as they are found.
    let mut html = String::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = b[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(b.len(), |p| i + 2 + p + 2);
            }
            b'"' | b'\'' | b'`' => {
                let (lit, end) = literal(source, i);
                if lit.len() > 40 && lit.contains('<') && lit.contains('>') {
                    if !html.is_empty() {
                        html.push('\n');
                    }
                    html.push_str(&lit);
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    let markup = |tag: &[u8]| {
        html.as_bytes()
            .windows(tag.len())
            .any(|w| w.eq_ignore_ascii_case(tag))
    };
    (markup(b"<table") || markup(b"<p")).then_some(html)
}

/// Reads a JavaScript string literal starting at the quote at byte `start`; returns its
/// unescaped value and the byte index after the closing quote.
fn literal(source: &str, start: usize) -> (String, usize) {
    let b = source.as_bytes();
    let quote = b[start];
    let mut out = String::new();
    let mut i = start + 1;
    // Text is copied a run at a time, between the bytes that need a look.
    let mut run = i;
    let hex = |from: usize, n: usize| -> Option<char> {
        let digits = source.get(from..from + n)?;
        u32::from_str_radix(digits, 16)
            .ok()
            .and_then(char::from_u32)
    };
    while i < b.len() {
        let c = b[i];
        if c == quote {
            out.push_str(&source[run..i]);
            return (out, i + 1);
        }
        if c == b'\n' && quote != b'`' {
            // An unterminated literal ends at the line.
            out.push_str(&source[run..i]);
            return (out, i + 1);
        }
        if c == b'\\' {
            out.push_str(&source[run..i]);
            i += 1;
            let Some(&e) = b.get(i) else {
                return (out, i);
            };
            match e {
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'b' | b'f' | b'v' | b'0' => out.push(' '),
                b'\n' => {}
                b'x' => {
                    if let Some(ch) = hex(i + 1, 2) {
                        out.push(ch);
                        i += 2;
                    }
                }
                b'u' => {
                    if let Some(ch) = hex(i + 1, 4) {
                        out.push(ch);
                        i += 4;
                    }
                }
                _ => {
                    // Any other escaped character stands for itself (a whole UTF-8 one).
                    let len = source[i..].chars().next().map_or(1, char::len_utf8);
                    out.push_str(&source[i..i + len]);
                    i += len - 1;
                }
            }
            i += 1;
            run = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&source[run..]);
    (out, i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;

    fn read_with(html: &str, o: &Options) -> Result<Document, ImportError> {
        super::read(html.to_string(), &mut Budget::new(o))
    }

    fn read(html: &str) -> Document {
        read_with(html, &Options::default()).expect("read")
    }

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
    fn bi_im_10_deep_nesting_is_refused_with_its_limit() {
        let deep = "<div>".repeat(20_000) + "规章 1" + &"</div>".repeat(20_000);
        let err = read_with(&deep, &Options::default()).expect_err("refused");
        assert!(
            matches!(
                &err,
                ImportError::OverLimit {
                    option: "max_depth",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("256"), "{err}");
        // Within the limit, nesting is read as before.
        let d = read(&("<div>".repeat(200) + "规章 1" + &"</div>".repeat(200)));
        assert_eq!(d.rows.len(), 1);
    }

    #[test]
    fn bi_im_10_nested_tables_read_the_innermost() {
        let nested =
            "<table><tr><td>".repeat(60) + "规章</td><td>1" + &"</td></tr></table>".repeat(60);
        let d = read(&nested);
        assert_eq!(d.rows.len(), 1);
        assert_eq!(d.rows[0].values[0].place.table, Some(1));
    }
}
