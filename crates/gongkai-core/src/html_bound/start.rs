//! Start tags: what each one closes first (the implicit closings of the tree construction that
//! matter) and how it opens: as HTML, as foreign content, as raw text or as a table part.

use super::Bounder;
use super::elements::{
    BREAKOUT, CLOSES_P, HEADINGS, MARKER_F, Ns, RAW_TEXT, SPECIAL_F, TABLE_PARTS, VOID,
};
use super::limits::HtmlLimit;
use super::tokenizer::{Tag, escape_into, find, is_ws};

impl Bounder<'_> {
    /// A start tag at `at`. Returns where to go on, `None` at the end of the input.
    pub(super) fn start(&mut self, at: usize, tag: Tag) -> Result<Option<usize>, HtmlLimit> {
        if self.in_foreign() {
            if BREAKOUT.contains(&tag.name.as_str()) {
                while self.in_foreign() {
                    let top = self.stack.len() - 1;
                    self.close_to(top);
                }
            } else {
                return self.foreign(at, tag).map(Some);
            }
        }
        let name = tag.name.as_str();
        match name {
            "svg" | "math" => return self.foreign(at, tag).map(Some),
            "html" | "head" | "body" => {
                // Never nested: html5ever merges their attributes, or ignores them.
                let end = tag.end;
                if self.admit(&tag)? {
                    self.out.push_str(&self.src[at..end]);
                }
                return Ok(Some(end));
            }
            "frameset" | "frame" => return Ok(Some(tag.end)),
            "plaintext" => {
                // Everything after it is text.
                self.close_p();
                let from = tag.end.min(self.bytes.len());
                escape_into(&mut self.out, &self.src[from..]);
                return Ok(None);
            }
            _ => {}
        }
        if RAW_TEXT.contains(&name) {
            return self.raw_text(at, tag).map(Some);
        }
        if TABLE_PARTS.contains(&name) {
            return self.table_part(at, tag).map(Some);
        }
        if VOID.contains(&name) {
            if name == "hr" {
                self.close_p();
            }
            if matches!(name, "input" | "keygen") {
                self.leave_select();
            }
            let end = tag.end;
            if self.admit(&tag)? {
                self.out.push_str(&self.src[at..end]);
            }
            return Ok(Some(end));
        }
        if CLOSES_P.contains(&name) {
            self.close_p();
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                if self.stack.last().is_some_and(|o| o.is_any(&HEADINGS)) =>
            {
                // A heading directly in a heading closes it.
                let top = self.stack.len() - 1;
                self.close_to(top);
            }
            "li" | "dd" | "dt" => {
                let closes: &[&str] = if name == "li" { &["li"] } else { &["dd", "dt"] };
                let found = self.stack.iter().rposition(|o| {
                    o.is_any(closes) || (o.has(SPECIAL_F) && !o.is_any(&["address", "div", "p"]))
                });
                if let Some(i) = found
                    && self.stack[i].is_any(closes)
                {
                    self.close_to(i);
                }
                self.close_p();
            }
            "button" | "nobr" => {
                if let Some(i) = self.in_scope(&[name], &[]) {
                    self.close_to(i);
                }
            }
            "a" => {
                if let Some(i) = self
                    .stack
                    .iter()
                    .rposition(|o| o.is("a") || o.has(MARKER_F))
                    && self.stack[i].is("a")
                {
                    self.close_to(i);
                }
            }
            "option" if self.stack.last().is_some_and(|o| o.is("option")) => {
                let top = self.stack.len() - 1;
                self.close_to(top);
            }
            "optgroup" => {
                for n in ["option", "optgroup"] {
                    if self.stack.last().is_some_and(|o| o.is(n)) {
                        let top = self.stack.len() - 1;
                        self.close_to(top);
                    }
                }
            }
            // A select inside a select ends it and opens nothing.
            "select" if self.leave_select() => return Ok(Some(tag.end)),
            "form" => {
                if self.nearest("form").is_some() {
                    return Ok(Some(tag.end));
                }
                if self.table_context().is_some_and(|i| {
                    self.stack[i].is_any(&["table", "tbody", "thead", "tfoot", "tr"])
                }) {
                    // In a table (not in a cell) html5ever opens and closes it at once.
                    let end = tag.end;
                    if self.admit(&tag)? {
                        self.out.push_str(&self.src[at..end]);
                        self.out.push_str("</form>");
                    }
                    return Ok(Some(end));
                }
            }
            "table" => {
                if let Some(i) = self.table_context()
                    && self.stack[i].is_any(&["table", "tbody", "thead", "tfoot", "tr", "colgroup"])
                    && let Some(t) = self.nearest("table")
                {
                    // A table in a table (not in a cell) closes the first.
                    self.close_to(t);
                }
                self.close_p();
            }
            _ => {}
        }
        self.push(at, tag, Ns::Html).map(Some)
    }

    /// Closes an open `<select>` (in select scope); whether there was one.
    pub(super) fn leave_select(&mut self) -> bool {
        for (i, o) in self.stack.iter().enumerate().rev() {
            if o.is("select") {
                self.close_to(i);
                return true;
            }
            if !o.is_any(&["option", "optgroup"]) {
                return false;
            }
        }
        false
    }

    /// An element of SVG or MathML, or their root.
    pub(super) fn foreign(&mut self, at: usize, tag: Tag) -> Result<usize, HtmlLimit> {
        let ns = match tag.name.as_str() {
            "svg" if !self.in_foreign() => Ns::Svg,
            "math" if !self.in_foreign() => Ns::Math,
            _ => self.stack.last().map_or(Ns::Html, |o| o.ns),
        };
        let end = tag.end;
        match tag.self_closing {
            Some(slash) => {
                // `<path/>` closes itself in foreign content: written as `<path></path>`, so
                // that it closes whichever way the parser reads it.
                if self.admit(&tag)? {
                    self.out.push_str(&self.src[at..slash]);
                    self.out.push('>');
                    self.out.push_str("</");
                    self.out.push_str(&tag.name);
                    self.out.push('>');
                }
                Ok(end)
            }
            None => self.push(at, tag, ns),
        }
    }

    /// `<script>`, `<style>`, `<title>` …: their text up to the end tag, written as it is
    /// (in a script, `<!--` is written `&lt;!--`, so that the parser cannot enter the
    /// script's escaped states and read past the end tag), then the end tag.
    pub(super) fn raw_text(&mut self, at: usize, tag: Tag) -> Result<usize, HtmlLimit> {
        if tag.name == "xmp" {
            self.close_p();
        }
        if tag.name == "textarea" {
            self.leave_select();
        }
        let b = self.bytes;
        let from = tag.end.min(b.len());
        let name = tag.name.as_bytes();
        let mut k = from;
        let close_at = loop {
            let Some(p) = find(&b[k..], b"</") else {
                break None;
            };
            let s = k + p + 2;
            let after = s + name.len();
            if after <= b.len()
                && b[s..after].eq_ignore_ascii_case(name)
                && b.get(after)
                    .is_none_or(|&c| is_ws(c) || c == b'/' || c == b'>')
            {
                break Some(k + p);
            }
            k = k + p + 2;
        };
        let (to, resume) = match close_at {
            Some(c) => match self.tag(c + 2) {
                Some(end_tag) => (c, Some(end_tag.end)),
                None => (c, None),
            },
            None => (b.len(), None),
        };
        if self.admit(&tag)? {
            self.out.push_str(&self.src[at..tag.end.min(b.len())]);
            let content = &self.src[from..to];
            if tag.name == "script" {
                self.out.push_str(&content.replace("<!--", "&lt;!--"));
            } else {
                self.out.push_str(content);
            }
            self.out.push_str("</");
            self.out.push_str(&tag.name);
            self.out.push('>');
        }
        Ok(resume.unwrap_or(b.len()))
    }

    /// A table part: clears the table's context as html5ever does, then opens it.
    pub(super) fn table_part(&mut self, at: usize, tag: Tag) -> Result<usize, HtmlLimit> {
        let name = tag.name.clone();
        let Some(mut ctx) = self.table_context() else {
            // Outside a table html5ever ignores table parts.
            return Ok(tag.end);
        };
        // A new part ends an open cell or caption, and a column group unless it is a column.
        if self.stack[ctx].is_any(&["td", "th", "caption"])
            || (self.stack[ctx].is("colgroup") && name != "col")
        {
            self.close_to(ctx);
            match self.table_context() {
                Some(c) => ctx = c,
                None => return Ok(tag.end),
            }
        }
        match name.as_str() {
            "td" | "th" => self.close_above(ctx),
            "tr" => {
                if self.stack[ctx].is("tr") {
                    self.close_to(ctx);
                    match self.table_context() {
                        Some(c) => ctx = c,
                        None => return Ok(tag.end),
                    }
                }
                self.close_above(ctx);
            }
            "col" => {
                if !self.stack[ctx].is("colgroup") {
                    match self.nearest("table") {
                        Some(t) => self.close_above(t),
                        None => return Ok(tag.end),
                    }
                }
                let end = tag.end;
                if self.admit(&tag)? {
                    self.out.push_str(&self.src[at..end]);
                }
                return Ok(end);
            }
            _ => match self.nearest("table") {
                // tbody, thead, tfoot, caption, colgroup: directly in the table.
                Some(t) => self.close_above(t),
                None => return Ok(tag.end),
            },
        }
        self.push(at, tag, Ns::Html)
    }
}
