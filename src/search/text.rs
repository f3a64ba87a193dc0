//! The text of rendered HTML, for the search index and its excerpts: what a reader sees,
//! without tags, with entities decoded and block boundaries kept as spaces.

/// Elements whose content is not text a reader reads.
const SKIPPED: [&str; 3] = ["script", "style", "svg"];

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
                if let Some(s) = SKIPPED.iter().find(|s| **s == name) {
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

    #[test]
    fn script_text_never_reaches_the_index() {
        assert_eq!(
            from_html("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
            "<script>alert(1)</script>"
        );
    }
}
