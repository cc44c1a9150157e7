//! The bounds of the pre-pass and what happens beyond them (docs/import.md, BI-IM-10).

use super::Bounder;
use super::tokenizer::Tag;

/// What to do with an element beyond a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverLimit {
    /// Stop with an error.
    Refuse,
    /// Leave the element's tags out and keep its content.
    Flatten,
}

/// The limits of [`bound_html`](super::bound_html).
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

impl Bounder<'_> {
    /// Counts a start tag written and checks the depth at which it opens: `Ok(true)` to
    /// write it, `Ok(false)` to leave it out (flattening), `Err` to refuse.
    pub(super) fn admit(&mut self, tag: &Tag) -> Result<bool, HtmlLimit> {
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
}
