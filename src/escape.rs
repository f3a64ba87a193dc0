//! Escaping for every piece of markup ntg writes itself: HTML pages, SVG charts, the Atom feed
//! and the sitemap. One rule serves them all, so no writer can escape a little less than another.

/// `s` made safe for HTML or XML text and for a quoted attribute value: `&`, `<`, `>`, `"`
/// and `'` become entities, so a value can neither open a tag nor leave its attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// [`escape`], appended to `out`, for writers that build their markup in one buffer.
pub fn push_escaped(out: &mut String, s: &str) {
    pulldown_cmark_escape::escape_html(&mut *out, s).expect("writing to a String cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_opens_a_tag_or_leaves_an_attribute() {
        assert_eq!(
            escape(r#"a"b onload='x' <svg>&amp;"#),
            "a&quot;b onload=&#39;x&#39; &lt;svg&gt;&amp;amp;"
        );
        assert_eq!(escape("plain words, 42%"), "plain words, 42%");
    }
}
