//! The pre-pass on small inputs: closings, raw text, foreign content, attributes, limits.

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
