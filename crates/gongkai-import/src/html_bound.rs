//! A linear pre-pass that bounds what an HTML parser does with hostile markup (BI-IM-10).
//!
//! html5ever follows the HTML standard, whose tree construction looks through the stack of
//! open elements for most tags and re-opens every formatting element (`<b>`, `<font>` …)
//! that a block closed implicitly. On markup nested 100,000 deep, or on a few thousand unclosed
//! formatting elements followed by many paragraphs, that is quadratic in time and in nodes
//! (a 68 KB input made 2 GB of elements). The importer and the catalogue's sanitiser (ammonia)
//! both stand on html5ever, so both run their input through [`bound_html`] first.
//!
//! The pre-pass tokenizes as html5ever does (tags with their attributes, comments, raw text
//! elements, foreign content), follows the implicit closings of the tree construction that
//! matter (a block closes an open `<p>`, `<li>` closes `<li>`, a table part clears the table's
//! context, a breakout tag leaves SVG) and writes the markup back with **every element closed
//! explicitly, innermost first**. html5ever then never closes a formatting element behind the
//! text's back, so it never has to re-open one, and its stack is as deep as the pre-pass's
//! (at most `max_depth`, plus the table parts it adds). Text and tags are written as they were;
//! comments and bogus comments are dropped (neither reader keeps them); a tag with more than
//! `max_attributes` attributes is over a limit too (html5ever compares each attribute with the
//! ones before it).
//!
//! Beyond a limit the caller chooses ([`OverLimit`]): the importer refuses the file (a report
//! is never read from markup it could only guess at), the sanitiser flattens: an element
//! deeper than `max_depth`, or with too many attributes, is left out with its tags, its text
//! kept (a raw text element such as `<script>` is left out with its content).

/// What to do with an element beyond a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverLimit {
    /// Stop with an error.
    Refuse,
    /// Leave the element's tags out and keep its content.
    Flatten,
}

/// The limits of [`bound_html`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtmlBounds {
    /// Most elements open inside one another.
    pub max_depth: usize,
    /// Most elements in the document (start tags written).
    pub max_elements: usize,
    /// Most attributes on one tag.
    pub max_attributes: usize,
    pub over_limit: OverLimit,
}

/// The default depth: far beyond any real document (Word's HTML nests some 20 deep).
pub const DEFAULT_MAX_DEPTH: usize = 256;
/// The default number of attributes on one tag.
pub const DEFAULT_MAX_ATTRIBUTES: usize = 256;

impl Default for HtmlBounds {
    fn default() -> HtmlBounds {
        HtmlBounds {
            max_depth: DEFAULT_MAX_DEPTH,
            max_elements: usize::MAX,
            max_attributes: DEFAULT_MAX_ATTRIBUTES,
            over_limit: OverLimit::Flatten,
        }
    }
}

/// Which limit the markup is over (with [`OverLimit::Refuse`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlLimit {
    Depth(usize),
    Elements(usize),
    Attributes(usize),
}

/// `src` with every element closed explicitly and the limits applied; see the module.
pub fn bound_html(src: &str, bounds: &HtmlBounds) -> Result<String, HtmlLimit> {
    let mut b = Bounder {
        src,
        bytes: src.as_bytes(),
        out: String::with_capacity(src.len() + src.len() / 8),
        stack: Vec::new(),
        elements: 0,
        bounds: *bounds,
    };
    b.run()?;
    Ok(b.out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    Math,
}

#[derive(Debug, Clone)]
struct Open {
    name: String,
    ns: Ns,
    /// What the scans of the stack ask about it, computed once ([`SPECIAL_F`] …).
    flags: u8,
}

const SPECIAL_F: u8 = 1;
/// A boundary of the default scope.
const SCOPE_F: u8 = 2;
const INTEGRATION_F: u8 = 4;
/// A table, section, row, cell, caption or column group.
const TABLE_F: u8 = 8;
/// Where html5ever puts a marker in its list of formatting elements.
const MARKER_F: u8 = 16;

fn flags(name: &str, ns: Ns) -> u8 {
    let integration = match ns {
        Ns::Html => false,
        Ns::Svg => matches!(name, "foreignobject" | "desc" | "title"),
        Ns::Math => matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml"),
    };
    if ns != Ns::Html {
        return if integration {
            SPECIAL_F | SCOPE_F | INTEGRATION_F
        } else {
            0
        };
    }
    let mut f = 0;
    if SPECIAL.contains(&name) {
        f |= SPECIAL_F;
    }
    if matches!(
        name,
        "applet" | "caption" | "html" | "table" | "td" | "th" | "marquee" | "object" | "template"
    ) {
        f |= SCOPE_F;
    }
    if matches!(
        name,
        "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup"
    ) {
        f |= TABLE_F;
    }
    if matches!(
        name,
        "td" | "th" | "caption" | "applet" | "marquee" | "object" | "template"
    ) {
        f |= MARKER_F;
    }
    f
}

/// A tag as the tokenizer reads it.
struct Tag {
    /// Lowercase name.
    name: String,
    /// The index after its `>`.
    end: usize,
    /// `/>`: the index of the slash.
    self_closing: Option<usize>,
    attributes: usize,
}

struct Bounder<'a> {
    src: &'a str,
    bytes: &'a [u8],
    out: String,
    stack: Vec<Open>,
    elements: usize,
    bounds: HtmlBounds,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

const VOID: [&str; 19] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose start tag closes an open `<p>` (in button scope).
const CLOSES_P: [&str; 34] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
];

const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];

const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

const SPECIAL: [&str; 82] = [
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// Start tags that leave foreign content (SVG, MathML).
const BREAKOUT: [&str; 45] = [
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
    "font",
];

const TABLE_PARTS: [&str; 9] = [
    "caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th",
];

/// Elements whose content is text up to their end tag (in HTML content).
const RAW_TEXT: [&str; 9] = [
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

impl Open {
    fn is(&self, name: &str) -> bool {
        self.ns == Ns::Html && self.name == name
    }

    fn is_any(&self, names: &[&str]) -> bool {
        self.ns == Ns::Html && names.contains(&self.name.as_str())
    }

    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

impl Bounder<'_> {
    fn run(&mut self) -> Result<(), HtmlLimit> {
        let n = self.bytes.len();
        let mut i = 0;
        let mut text_from = 0;
        while i < n {
            let Some(lt) = self.bytes[i..].iter().position(|&c| c == b'<') else {
                break;
            };
            let at = i + lt;
            let next = self.bytes.get(at + 1).copied();
            match next {
                Some(c) if c.is_ascii_alphabetic() => {
                    self.text(text_from, at);
                    let Some(tag) = self.tag(at + 1) else {
                        // A tag cut off by the end of the file is dropped with the rest.
                        return Ok(());
                    };
                    match self.start(at, tag)? {
                        Some(resume) => i = resume,
                        None => return Ok(()),
                    }
                    text_from = i;
                }
                Some(b'/') => match self.bytes.get(at + 2).copied() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.text(text_from, at);
                        let Some(tag) = self.tag(at + 2) else {
                            return Ok(());
                        };
                        i = tag.end;
                        self.end(&tag.name)?;
                        text_from = i;
                    }
                    Some(b'>') => {
                        self.text(text_from, at);
                        i = at + 3;
                        text_from = i;
                    }
                    None => break,
                    Some(_) => {
                        self.text(text_from, at);
                        i = self.bogus_comment(at + 2);
                        text_from = i;
                    }
                },
                Some(b'!') => {
                    self.text(text_from, at);
                    i = self.declaration(at);
                    text_from = i;
                }
                Some(b'?') => {
                    self.text(text_from, at);
                    i = self.bogus_comment(at + 2);
                    text_from = i;
                }
                _ => i = at + 1,
            }
        }
        self.text(text_from, n);
        Ok(())
    }

    /// Text as it stands, less NUL characters (html5ever drops them from the body; each is a
    /// parse error otherwise), and with `<` written `&lt;`: text that was not markup must not
    /// become markup next to what follows it once a comment or a flattened tag between them
    /// is left out (`<<!-- -->div>` is text, `<div>` would be a tag).
    fn text(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let t = &self.src[from..to];
        if t.contains(['\0', '<']) {
            for c in t.chars() {
                match c {
                    '\0' => {}
                    '<' => self.out.push_str("&lt;"),
                    c => self.out.push(c),
                }
            }
        } else {
            self.out.push_str(t);
        }
    }

    /// Reads a tag whose name starts at `from`; `None` when the file ends inside it.
    fn tag(&self, from: usize) -> Option<Tag> {
        let b = self.bytes;
        let n = b.len();
        let mut k = from;
        while k < n && !is_ws(b[k]) && b[k] != b'/' && b[k] != b'>' {
            k += 1;
        }
        let name = self.src[from..k].to_ascii_lowercase();
        let mut attributes = 0;
        let mut self_closing = None;
        #[derive(Clone, Copy)]
        enum S {
            BeforeName,
            Name,
            AfterName,
            BeforeValue,
            AfterQuoted,
            SelfClosing,
        }
        let mut s = S::BeforeName;
        loop {
            let c = *b.get(k)?;
            match s {
                S::BeforeName => {
                    if is_ws(c) {
                        k += 1;
                    } else if c == b'/' {
                        s = S::SelfClosing;
                        k += 1;
                    } else if c == b'>' {
                        return Some(Tag {
                            name,
                            end: k + 1,
                            self_closing,
                            attributes,
                        });
                    } else {
                        attributes += 1;
                        s = S::Name;
                        k += 1;
                    }
                }
                S::Name => {
                    if is_ws(c) {
                        s = S::AfterName;
                        k += 1;
                    } else if c == b'/' {
                        s = S::SelfClosing;
                        k += 1;
                    } else if c == b'>' {
                        s = S::BeforeName;
                    } else if c == b'=' {
                        s = S::BeforeValue;
                        k += 1;
                    } else {
                        k += 1;
                    }
                }
                S::AfterName => {
                    if is_ws(c) {
                        k += 1;
                    } else if c == b'/' {
                        s = S::SelfClosing;
                        k += 1;
                    } else if c == b'=' {
                        s = S::BeforeValue;
                        k += 1;
                    } else if c == b'>' {
                        s = S::BeforeName;
                    } else {
                        attributes += 1;
                        s = S::Name;
                        k += 1;
                    }
                }
                S::BeforeValue => {
                    if is_ws(c) {
                        k += 1;
                    } else if c == b'"' || c == b'\'' {
                        let close = b[k + 1..].iter().position(|&x| x == c)?;
                        k = k + 1 + close + 1;
                        s = S::AfterQuoted;
                    } else if c == b'>' {
                        s = S::BeforeName;
                    } else {
                        // Unquoted: up to whitespace or `>` (a `/` belongs to the value).
                        while k < n && !is_ws(b[k]) && b[k] != b'>' {
                            k += 1;
                        }
                        s = S::BeforeName;
                    }
                }
                S::AfterQuoted => {
                    if c == b'/' {
                        s = S::SelfClosing;
                        k += 1;
                    } else {
                        s = S::BeforeName;
                    }
                }
                S::SelfClosing => {
                    if c == b'>' {
                        self_closing = Some(k - 1);
                        return Some(Tag {
                            name,
                            end: k + 1,
                            self_closing,
                            attributes,
                        });
                    }
                    s = S::BeforeName;
                }
            }
        }
    }

    /// `<!…`: a comment or a bogus comment (dropped), a DOCTYPE (kept), CDATA (its text kept
    /// as text in foreign content, else a bogus comment). Returns the index after it.
    fn declaration(&mut self, at: usize) -> usize {
        let b = self.bytes;
        let rest = &b[at + 2..];
        if rest.starts_with(b"--") {
            return self.comment(at + 4);
        }
        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            let end = self.bogus_comment(at + 2);
            if self.src[at..end].ends_with('>') {
                self.out.push_str(&self.src[at..end]);
            }
            return end;
        }
        if rest.starts_with(b"[CDATA[") && self.in_foreign() {
            let from = at + 9;
            let (to, end) = match find(&b[from..], b"]]>") {
                Some(p) => (from + p, from + p + 3),
                None => (b.len(), b.len()),
            };
            escape_into(&mut self.out, &self.src[from..to]);
            return end;
        }
        self.bogus_comment(at + 2)
    }

    /// A comment whose text starts at `from`: it ends at `-->`, `--!>`, or right away with
    /// `<!-->` / `<!--->`. Returns the index after it.
    fn comment(&self, from: usize) -> usize {
        let b = self.bytes;
        let n = b.len();
        if b.get(from) == Some(&b'>') {
            return from + 1;
        }
        if b.get(from) == Some(&b'-') && b.get(from + 1) == Some(&b'>') {
            return from + 2;
        }
        let mut k = from;
        while let Some(p) = find(&b[k..], b"--") {
            let mut m = k + p + 2;
            while m < n && b[m] == b'-' {
                m += 1;
            }
            if b.get(m) == Some(&b'>') {
                return m + 1;
            }
            if b.get(m) == Some(&b'!') && b.get(m + 1) == Some(&b'>') {
                return m + 2;
            }
            k = m;
        }
        n
    }

    /// A bogus comment (`<?…>`, `<!x…>`, `</1…>`): up to the next `>`.
    fn bogus_comment(&self, from: usize) -> usize {
        match self.bytes[from.min(self.bytes.len())..]
            .iter()
            .position(|&c| c == b'>')
        {
            Some(p) => from + p + 1,
            None => self.bytes.len(),
        }
    }

    fn in_foreign(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|o| o.ns != Ns::Html && !o.has(INTEGRATION_F))
    }

    /// Writes `</name>` for every element from the top down to `index`, and pops them.
    fn close_to(&mut self, index: usize) {
        while self.stack.len() > index {
            if let Some(o) = self.stack.pop() {
                self.out.push_str("</");
                self.out.push_str(&o.name);
                self.out.push('>');
            }
        }
    }

    /// Closes the elements above `index` (not it).
    fn close_above(&mut self, index: usize) {
        self.close_to(index + 1);
    }

    /// The index of the nearest `name` (HTML) before a boundary of the scope.
    fn in_scope(&self, names: &[&str], extra_boundaries: &[&str]) -> Option<usize> {
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

    fn close_p(&mut self) {
        if let Some(i) = self.in_scope(&["p"], &["button"]) {
            self.close_to(i);
        }
    }

    /// The nearest table context: a table, a table section, a row, a cell, a caption or a
    /// column group, skipping what html5ever would foster-parent above it.
    fn table_context(&self) -> Option<usize> {
        self.stack.iter().rposition(|o| o.has(TABLE_F))
    }

    fn nearest(&self, name: &str) -> Option<usize> {
        self.stack.iter().rposition(|o| o.is(name))
    }

    /// Counts a start tag written and checks the depth at which it opens: `Ok(true)` to
    /// write it, `Ok(false)` to leave it out (flattening), `Err` to refuse.
    fn admit(&mut self, tag: &Tag) -> Result<bool, HtmlLimit> {
        let refuse = self.bounds.over_limit == OverLimit::Refuse;
        if tag.attributes > self.bounds.max_attributes {
            return if refuse {
                Err(HtmlLimit::Attributes(self.bounds.max_attributes))
            } else {
                Ok(false)
            };
        }
        if self.stack.len() >= self.bounds.max_depth {
            return if refuse {
                Err(HtmlLimit::Depth(self.bounds.max_depth))
            } else {
                Ok(false)
            };
        }
        self.elements += 1;
        if self.elements > self.bounds.max_elements {
            return Err(HtmlLimit::Elements(self.bounds.max_elements));
        }
        Ok(true)
    }

    fn push(&mut self, at: usize, tag: Tag, ns: Ns) -> Result<usize, HtmlLimit> {
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

    /// A start tag at `at`. Returns where to go on, `None` at the end of the input.
    fn start(&mut self, at: usize, tag: Tag) -> Result<Option<usize>, HtmlLimit> {
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
    fn leave_select(&mut self) -> bool {
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
    fn foreign(&mut self, at: usize, tag: Tag) -> Result<usize, HtmlLimit> {
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
    fn raw_text(&mut self, at: usize, tag: Tag) -> Result<usize, HtmlLimit> {
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
    fn table_part(&mut self, at: usize, tag: Tag) -> Result<usize, HtmlLimit> {
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

    /// An end tag: closes the element it names and everything inside it, as html5ever
    /// would, or is dropped when it names nothing open.
    fn end(&mut self, name: &str) -> Result<(), HtmlLimit> {
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

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Text as HTML text: `&`, `<` and `>` escaped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(src: &str) -> String {
        bound_html(src, &HtmlBounds::default()).expect("flattened")
    }

    fn refuse(src: &str, depth: usize) -> Result<String, HtmlLimit> {
        bound_html(
            src,
            &HtmlBounds {
                max_depth: depth,
                max_elements: 1_000,
                max_attributes: 8,
                over_limit: OverLimit::Refuse,
            },
        )
    }

    #[test]
    fn elements_are_closed_innermost_first() {
        assert_eq!(flat("<p>a<b>b<div>c</div>"), "<p>a<b>b</b></p><div>c</div>");
        assert_eq!(flat("<ul><li>a<li>b</ul>"), "<ul><li>a</li><li>b</li></ul>");
        assert_eq!(
            flat("<table><tr><td>1<td>2<tr><td>3</table>x"),
            "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>x"
        );
        assert_eq!(flat("<span><div>a</span>b</div>"), "<span><div>ab</div>");
        assert_eq!(
            flat("a<!-- c -->b<?x?>c</ x>d<!DOCTYPE html>"),
            "abcd<!DOCTYPE html>"
        );
        // Text that was not markup does not become markup once a comment is left out.
        assert_eq!(flat("1 < 2<<!-- -->div>"), "1 &lt; 2&lt;div>");
    }

    #[test]
    fn raw_text_and_foreign_content() {
        assert_eq!(
            flat("<script>if (a<b) x='<p>'</script><p>1"),
            "<script>if (a<b) x='<p>'</script><p>1"
        );
        assert_eq!(
            flat("<script><!--<script></script>x"),
            "<script>&lt;!--<script></script>x"
        );
        assert_eq!(flat("<title>a<b>c</title >d"), "<title>a<b>c</title>d");
        assert_eq!(
            flat("<svg><path d='m0'/><g/><p>x"),
            "<svg><path d='m0'></path><g></g></svg><p>x"
        );
        assert_eq!(flat("<p>a<plaintext>b<i>"), "<p>a</p>b&lt;i&gt;");
    }

    #[test]
    fn attributes_end_where_the_parser_ends_them() {
        assert_eq!(
            flat("<a title='x>y' href=a/b>1</a>"),
            "<a title='x>y' href=a/b>1</a>"
        );
        assert_eq!(flat("<div title='unterminated>x"), "");
    }

    #[test]
    fn deep_nesting_is_flattened_or_refused() {
        let deep = "<div>".repeat(1_000) + "x";
        let out = flat(&deep);
        assert_eq!(out.matches("<div>").count(), DEFAULT_MAX_DEPTH);
        assert!(out.ends_with('x'));
        assert_eq!(refuse(&deep, 16), Err(HtmlLimit::Depth(16)));
        assert_eq!(
            refuse("<p a b c d e f g h i>", 16),
            Err(HtmlLimit::Attributes(8))
        );
        assert_eq!(
            refuse(&"<br>".repeat(1_001), 16),
            Err(HtmlLimit::Elements(1_000))
        );
        // Closed siblings never add up.
        assert!(refuse(&"<div><b>x</b></div>".repeat(400), 16).is_ok());
    }

    #[test]
    fn formatting_elements_are_closed_before_a_block_reopens_them() {
        let src = format!(
            "<p>{}{}",
            (0..50)
                .map(|i| format!("<b class=c{i}>"))
                .collect::<String>(),
            "</p><p>x".repeat(50)
        );
        let out = flat(&src);
        // Each <b> opened once and closed once: nothing for the parser to re-open.
        assert_eq!(out.matches("<b ").count(), 50);
        assert_eq!(out.matches("</b>").count(), 50);
    }
}
