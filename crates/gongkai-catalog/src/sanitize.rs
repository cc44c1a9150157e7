//! Rich text from staff (item bodies, 指南 and 制度) is cleaned with ammonia before it is stored:
//! no scripts, event handlers, styles that hide content, or links other than http(s)/mailto.
//! Input is not NFKC-normalised afterwards (docs/reliability.md, "Rich text": that would revive
//! full-width payloads).

use gongkai_core::catalog::Sanitizer;
use std::collections::HashSet;

/// The sanitiser used for every rich-text field.
pub struct HtmlSanitizer {
    builder: ammonia::Builder<'static>,
}

impl Default for HtmlSanitizer {
    fn default() -> HtmlSanitizer {
        let mut builder = ammonia::Builder::default();
        builder.url_schemes(HashSet::from(["http", "https", "mailto"]));
        HtmlSanitizer { builder }
    }
}

impl HtmlSanitizer {
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
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
}
