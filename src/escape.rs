//! Escaping for every piece of markup ntg writes itself: HTML pages, SVG charts, the Atom feed
//! and the sitemap. One rule serves them all, so no writer can escape a little less than another,
//! and none can write a character that makes an XML file unreadable.

/// `s` made safe for HTML or XML text and for a quoted attribute value: `&`, `<`, `>`, `"`
/// and `'` become entities, so a value can neither open a tag nor leave its attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// [`escape`], appended to `out`, for writers that build their markup in one buffer.
pub fn push_escaped(out: &mut String, s: &str) {
    let write = |out: &mut String, s: &str| {
        pulldown_cmark_escape::escape_html(out, s).expect("writing to a String cannot fail")
    };
    if s.contains(not_in_xml) {
        let kept: String = s
            .chars()
            .map(|c| if not_in_xml(c) { '\u{FFFD}' } else { c })
            .collect();
        write(out, &kept);
    } else {
        write(out, s);
    }
}

/// Characters XML 1.0 forbids even as references: one in a title (YAML's `"\x01"` makes it)
/// would leave the whole Atom feed unreadable, so each becomes U+FFFD, as a parser shows it.
fn not_in_xml(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\u{FFFE}' | '\u{FFFF}')
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

    #[test]
    fn characters_xml_forbids_are_replaced_and_line_breaks_kept() {
        assert_eq!(escape("a\u{1}b\u{b}<\tc\n"), "a\u{FFFD}b\u{FFFD}&lt;\tc\n");
    }
}
