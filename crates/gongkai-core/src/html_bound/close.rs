//! The stack of open elements: closing elements explicitly, innermost first, the scopes the
//! rules search, and end tags.

use super::Bounder;
use super::elements::{
    FORMATTING, HEADINGS, INTEGRATION_F, MARKER_F, Ns, Open, SCOPE_F, SPECIAL, SPECIAL_F, TABLE_F,
    VOID, flags,
};
use super::limits::HtmlLimit;
use super::tokenizer::Tag;

impl Bounder<'_> {
    pub(super) fn in_foreign(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|o| o.ns != Ns::Html && !o.has(INTEGRATION_F))
    }

    /// Writes `</name>` for every element from the top down to `index`, and pops them.
    pub(super) fn close_to(&mut self, index: usize) {
        while self.stack.len() > index {
            if let Some(o) = self.stack.pop() {
                self.out.push_str("</");
                self.out.push_str(&o.name);
                self.out.push('>');
            }
        }
    }

    /// Closes the elements above `index` (not it).
    pub(super) fn close_above(&mut self, index: usize) {
        self.close_to(index + 1);
    }

    /// The index of the nearest `name` (HTML) before a boundary of the scope.
    pub(super) fn in_scope(&self, names: &[&str], extra_boundaries: &[&str]) -> Option<usize> {
        for (i, o) in self.stack.iter().enumerate().rev() {
            if o.is_any(names) {
                return Some(i);
            }
            if o.has(SCOPE_F) || o.is_any(extra_boundaries) {
                return None;
            }
        }
        None
    }

    pub(super) fn close_p(&mut self) {
        if let Some(i) = self.in_scope(&["p"], &["button"]) {
            self.close_to(i);
        }
    }

    /// The nearest table context: a table, a table section, a row, a cell, a caption or a
    /// column group, skipping what html5ever would foster-parent above it.
    pub(super) fn table_context(&self) -> Option<usize> {
        self.stack.iter().rposition(|o| o.has(TABLE_F))
    }

    pub(super) fn nearest(&self, name: &str) -> Option<usize> {
        self.stack.iter().rposition(|o| o.is(name))
    }

    pub(super) fn push(&mut self, at: usize, tag: Tag, ns: Ns) -> Result<usize, HtmlLimit> {
        let end = tag.end;
        if self.admit(&tag)? {
            self.out.push_str(&self.src[at..end]);
            let flags = flags(&tag.name, ns);
            self.stack.push(Open {
                name: tag.name,
                ns,
                flags,
            });
        }
        Ok(end)
    }

    /// An end tag: closes the element it names and everything inside it, as html5ever
    /// would, or is dropped when it names nothing open.
    pub(super) fn end(&mut self, name: &str) -> Result<(), HtmlLimit> {
        if self.in_foreign() {
            let mut i = self.stack.len() - 1;
            loop {
                if self.stack[i].name == name {
                    self.close_to(i);
                    return Ok(());
                }
                if i == 0 {
                    return Ok(());
                }
                i -= 1;
                if self.stack[i].ns == Ns::Html {
                    break;
                }
            }
        }
        let found = match name {
            "br" => {
                // `</br>` is a line break.
                let br = Tag {
                    name: "br".into(),
                    end: 0,
                    self_closing: None,
                    attributes: 0,
                };
                if self.admit(&br)? {
                    self.out.push_str("<br>");
                }
                return Ok(());
            }
            "p" => self.in_scope(&["p"], &["button"]),
            "li" => self.in_scope(&["li"], &["ol", "ul"]),
            "dd" | "dt" => self.in_scope(&[name], &[]),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.in_scope(&HEADINGS, &[]),
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup" => {
                let mut found = None;
                for (i, o) in self.stack.iter().enumerate().rev() {
                    if o.is(name) {
                        found = Some(i);
                        break;
                    }
                    if o.is_any(&["html", "table", "template"]) {
                        break;
                    }
                }
                found
            }
            _ if FORMATTING.contains(&name) => self
                .stack
                .iter()
                .rposition(|o| o.is(name) || o.has(MARKER_F))
                .filter(|&i| self.stack[i].is(name)),
            _ if VOID.contains(&name) || matches!(name, "html" | "head" | "body" | "frameset") => {
                None
            }
            _ if SPECIAL.contains(&name) => self.in_scope(&[name], &[]),
            _ => {
                let mut found = None;
                for (i, o) in self.stack.iter().enumerate().rev() {
                    if o.name == name {
                        found = Some(i);
                        break;
                    }
                    if o.has(SPECIAL_F) {
                        break;
                    }
                }
                found
            }
        };
        if let Some(i) = found {
            self.close_to(i);
        }
        Ok(())
    }
}
