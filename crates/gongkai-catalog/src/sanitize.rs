//! Rich text from staff (item bodies, 指南 and 制度) is cleaned with ammonia before it is stored:
//! no scripts, event handlers, styles that hide content, or links other than http(s)/mailto.
//! Input is not NFKC-normalised afterwards (docs/reliability.md, "Rich text": that would revive
//! full-width payloads).
//!
//! Bounded whatever the input (docs/reliability.md BI-IM-10): the markup first goes through
//! the linear pre-pass the importer uses too ([`gongkai_core::html_bound`]), which closes
//! every element explicitly and flattens what nests deeper than [`MAX_DEPTH`] (or has more
//! than [`MAX_ATTRIBUTES`] attributes): such an element's tags are left out and its text kept. So
//! html5ever inside ammonia does linear work — without it, 100,000 nested `<div>`s took 35 s
//! and a few thousand unclosed `<b>`s before many paragraphs gigabytes. [`HtmlSanitizer::try_clean`]
//! also refuses input over [`MAX_INPUT`] bytes, with a message in Chinese for the editor.

use gongkai_core::catalog::Sanitizer;
use gongkai_core::html_bound::{HtmlBounds, OverLimit, bound_html};
use std::collections::HashSet;

/// Elements nested deeper than this are flattened.
pub const MAX_DEPTH: usize = gongkai_core::html_bound::DEFAULT_MAX_DEPTH;
/// A tag with more attributes than this is flattened.
pub const MAX_ATTRIBUTES: usize = gongkai_core::html_bound::DEFAULT_MAX_ATTRIBUTES;
/// Largest rich text sanitised by [`HtmlSanitizer::try_clean`], in bytes: an item's body
/// (`gongkai_core::catalog`, 2,000,000) or a guide.
pub const MAX_INPUT: usize = 2_000_000;

/// Rich text that cannot be sanitised. `Display` is English (logs, CLI); [`SanitizeError::zh`]
/// is the message the catalogue editor shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SanitizeError {
    #[error("the rich text is {len} bytes, over the limit of {max} bytes")]
    TooLarge { len: usize, max: usize },
}

impl SanitizeError {
    pub fn zh(&self) -> String {
        match self {
            SanitizeError::TooLarge { len, max } => {
                format!("正文过长（{len}字节），超过{max}字节的上限")
            }
        }
    }
}

/// The sanitiser used for every rich-text field.
pub struct HtmlSanitizer {
    builder: ammonia::Builder<'static>,
    bounds: HtmlBounds,
    max_input: usize,
}

impl Default for HtmlSanitizer {
    fn default() -> HtmlSanitizer {
        let mut builder = ammonia::Builder::default();
        builder.url_schemes(HashSet::from(["http", "https", "mailto"]));
        HtmlSanitizer {
            builder,
            bounds: HtmlBounds {
                max_depth: MAX_DEPTH,
                max_elements: usize::MAX,
                max_attributes: MAX_ATTRIBUTES,
                over_limit: OverLimit::Flatten,
            },
            max_input: MAX_INPUT,
        }
    }
}

impl HtmlSanitizer {
    /// Sanitises `html` (nesting beyond [`MAX_DEPTH`] flattened). Linear in the input, whose
    /// size the caller bounds: item bodies are refused over 2,000,000 bytes before this runs,
    /// other rich text goes through [`HtmlSanitizer::try_clean`].
    pub fn clean(&self, html: &str) -> String {
        // Flattening never fails: the pre-pass refuses nothing with these bounds.
        let bounded = bound_html(html, &self.bounds).unwrap_or_default();
        self.builder.clean(&bounded).to_string()
    }

    /// [`HtmlSanitizer::clean`], refusing input over [`MAX_INPUT`] bytes.
    pub fn try_clean(&self, html: &str) -> Result<String, SanitizeError> {
        if html.len() > self.max_input {
            return Err(SanitizeError::TooLarge {
                len: html.len(),
                max: self.max_input,
            });
        }
        Ok(self.clean(html))
    }
}

impl Sanitizer for HtmlSanitizer {
    fn sanitize(&self, html: &str) -> String {
        self.clean(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The usual XSS payloads (docs/reliability.md, "Rich text") come out inert.
    #[test]
    fn xss_payloads_are_removed() {
        let s = HtmlSanitizer::default();
        for payload in [
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "<svg onload=alert(1)>",
            "</textarea><script>alert(1)</script>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<iframe srcdoc=\"<script>alert(1)</script>\">",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
            "<svg><style><img src=x onerror=alert(1)></style></svg>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<script><!--<script></script><img src=x onerror=alert(1)>-->",
            "<!--><img src=x onerror=alert(1)>-->",
            &("<div>".repeat(300) + "<img src=x onerror=alert(1)>"),
            &("<div>".repeat(300) + "<script>alert(1)</script>"),
        ] {
            let out = s.clean(payload).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onload",
                "javascript:",
                "<iframe",
                "<svg",
            ] {
                assert!(!out.contains(bad), "{payload} -> {out}");
            }
        }
    }

    #[test]
    fn ordinary_formatting_is_kept() {
        let s = HtmlSanitizer::default();
        let html = "<p>各单位：</p><p><strong>一、</strong>工作目标</p><table><tr><td>1</td></tr></table>\
                    <a href=\"https://www.zhangdian.gov.cn/\">张店区</a>";
        let out = s.clean(html);
        assert!(out.contains("<p>各单位：</p>"));
        assert!(out.contains("<strong>一、</strong>"));
        assert!(out.contains("<td>1</td>"));
        assert!(out.contains("href=\"https://www.zhangdian.gov.cn/\""));
        // Full-width brackets are text, and stay text.
        assert_eq!(s.clean("＜script＞"), "＜script＞");
    }

    /// BI-IM-10: 200,000 nested `<div>`s are flattened below the depth limit, in linear time,
    /// and every character of text is kept.
    #[test]
    fn bi_im_10_deep_nesting_is_linear() {
        let s = HtmlSanitizer::default();
        let deep = "<div>".repeat(200_000) + "规章" + &"</div>".repeat(200_000);
        let out = s.clean(&deep);
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        assert!(out.contains("规章"));
        // Unclosed: the same.
        let open = "<div>".repeat(200_000) + "规章";
        assert!(s.clean(&open).contains("规章"));
    }

    /// BI-IM-10: unclosed formatting elements before many paragraphs are closed before each
    /// block, so the parser never re-opens them (a 68 KB input used to make 2 GB of elements).
    #[test]
    fn bi_im_10_unclosed_formatting_is_not_reopened() {
        let s = HtmlSanitizer::default();
        let src = format!(
            "<p>{}{}",
            (0..3_000)
                .map(|i| format!("<b title=t{i}>"))
                .collect::<String>(),
            "</p><p>x".repeat(3_000)
        );
        let out = s.clean(&src);
        assert!(out.matches("<b").count() <= MAX_DEPTH, "{}", out.len());
        assert_eq!(out.matches('x').count(), 3_000);
    }

    /// BI-IM-10: a tag with thousands of attributes (html5ever compares each with the ones
    /// before it) is left out; its text stays.
    #[test]
    fn bi_im_10_a_tag_with_too_many_attributes_is_flattened() {
        let s = HtmlSanitizer::default();
        let attrs: String = (0..100_000).map(|i| format!(" a{i}")).collect();
        let out = s.clean(&format!("<p{attrs}>规章</p>"));
        assert_eq!(out, "规章");
    }

    #[test]
    fn bi_im_10_rich_text_over_the_limit_is_refused_in_chinese() {
        let s = HtmlSanitizer::default();
        let big = "a".repeat(MAX_INPUT + 1);
        let err = s.try_clean(&big).expect_err("refused");
        assert!(err.to_string().contains("2000000"), "{err}");
        assert!(err.zh().contains("2000000字节的上限"), "{}", err.zh());
        assert!(s.try_clean(&big[..MAX_INPUT]).is_ok());
    }
}
