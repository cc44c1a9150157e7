//! The element categories of the HTML standard's tree construction that the pre-pass asks
//! about, and the open elements on its stack.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    Html,
    Svg,
    Math,
}

#[derive(Debug, Clone)]
pub(super) struct Open {
    pub(super) name: String,
    pub(super) ns: Ns,
    /// What the scans of the stack ask about it, computed once ([`SPECIAL_F`] …).
    pub(super) flags: u8,
}

pub(super) const SPECIAL_F: u8 = 1;
/// A boundary of the default scope.
pub(super) const SCOPE_F: u8 = 2;
pub(super) const INTEGRATION_F: u8 = 4;
/// A table, section, row, cell, caption or column group.
pub(super) const TABLE_F: u8 = 8;
/// Where html5ever puts a marker in its list of formatting elements.
pub(super) const MARKER_F: u8 = 16;

pub(super) fn flags(name: &str, ns: Ns) -> u8 {
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

pub(super) const VOID: [&str; 19] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose start tag closes an open `<p>` (in button scope).
pub(super) const CLOSES_P: [&str; 34] = [
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

pub(super) const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];

pub(super) const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

pub(super) const SPECIAL: [&str; 82] = [
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
pub(super) const BREAKOUT: [&str; 45] = [
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

pub(super) const TABLE_PARTS: [&str; 9] = [
    "caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th",
];

/// Elements whose content is text up to their end tag (in HTML content).
pub(super) const RAW_TEXT: [&str; 9] = [
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

impl Open {
    pub(super) fn is(&self, name: &str) -> bool {
        self.ns == Ns::Html && self.name == name
    }

    pub(super) fn is_any(&self, names: &[&str]) -> bool {
        self.ns == Ns::Html && names.contains(&self.name.as_str())
    }

    pub(super) fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}
