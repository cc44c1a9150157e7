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
//!
//! It is pure text in, text out (std only), so it lives in the domain crate and neither of its
//! users depends on the other. The pass is split by what each part does: `limits` (the bounds
//! and what happens beyond them), `tokenizer` (tags, comments and text, read in one pass),
//! `elements` (the element categories of the standard the rules ask about), `start` (what a
//! start tag closes and opens) and `close` (end tags and the stack of open elements).

mod close;
mod elements;
mod limits;
mod start;
#[cfg(test)]
mod tests;
mod tokenizer;

pub use limits::{DEFAULT_MAX_ATTRIBUTES, DEFAULT_MAX_DEPTH, HtmlBounds, HtmlLimit, OverLimit};

use elements::Open;

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

/// The state of one pass: the input, the output so far and the stack of open elements.
struct Bounder<'a> {
    src: &'a str,
    bytes: &'a [u8],
    out: String,
    stack: Vec<Open>,
    elements: usize,
    bounds: HtmlBounds,
}
