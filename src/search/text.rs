//! The text of rendered HTML, for the search index and its excerpts: what a reader sees,
//! without tags, with entities decoded and block boundaries kept as spaces.

/// Elements whose content is not text a reader reads.
const SKIPPED: [&str; 3] = ["script", "style", "svg"];

/// The class of the link `render::markdown` puts after each heading's text: its "#" is a
/// control, not a word of the heading, and an excerpt showing it read "did # Twenty".
const HEADING_ANCHOR: &str = "class=\"heading-anchor\"";

/// The text of `html` as a reader reads it, without the content of `SKIPPED` elements or
/// of heading anchor links.
pub fn from_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skipping: Option<&str> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match skipping {
            Some(s) if tag.starts_with('/') && name == s => skipping = None,
            Some(_) => {}
            None => {
                if let Some(s) = skipped(&name, tag) {
                    if !tag.starts_with('/') && !tag.ends_with('/') {
                        skipping = Some(s);
                    }
                } else if !out.ends_with(' ') && !out.is_empty() && !is_inline(&name) {
                    out.push(' ');
                }
            }
        }
        rest = &rest[lt + gt + 1..];
    }
    if skipping.is_none() {
        push_text(&mut out, rest);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The element name to skip to the end of, if the tag `tag` named `name` opens content no
/// reader reads.
fn skipped(name: &str, tag: &str) -> Option<&'static str> {
    if name == "a" && tag.contains(HEADING_ANCHOR) {
        return Some("a");
    }
    SKIPPED.iter().find(|s| **s == name).copied()
}

/// Inline elements do not separate words: `<em>re</em>use` is one word.
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "em"
            | "strong"
            | "code"
            | "span"
            | "abbr"
            | "b"
            | "i"
            | "sup"
            | "sub"
            | "del"
            | "s"
            | "mark"
            | "small"
    )
}

fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&after[..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_a_reader_sees() {
        assert_eq!(
            from_html(
                "<h2 id=\"a\">Evidence <a href=\"#a\">#</a></h2><p>Tom &amp; Jerry&#39;s <em>re</em>use</p><script>x()</script><p>end</p>"
            ),
            "Evidence # Tom & Jerry's reuse end"
        );
    }

    /// The anchor `render::markdown` writes after a heading is not part of its text.
    #[test]
    fn heading_anchors_are_not_text() {
        assert_eq!(
            from_html(
                "<p>did</p>\n<h2 id=\"t\">Twenty <em>extended</em> schools <a class=\"heading-anchor\" href=\"#t\" aria-label=\"Link to this section\">#</a></h2>\n<p>Then <a href=\"/x/\">a link</a>.</p>"
            ),
            "did Twenty extended schools Then a link."
        );
    }

    #[test]
    fn script_text_never_reaches_the_index() {
        assert_eq!(
            from_html("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
            "<script>alert(1)</script>"
        );
    }
}
