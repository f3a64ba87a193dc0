//! The ground floor's rules for names: what a slug is, and how words become one. Content,
//! vocabularies, indicators, the site's settings, headings and search facets all name things
//! this way, so the rule lives below all of them rather than in any one. Below it, the other
//! names every stage shares: dates, GSS codes and indicator ids. The ground floor imports
//! nothing of ours.

pub mod date;
pub mod gss;
pub mod indicator;

/// `a-z0-9-`, not empty, no leading, trailing or doubled `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Lower-cases and joins words with `-`: a suggestion for a file name that is not a slug,
/// and the heading-id rule of CONTENT-FORMAT.md.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty()
            && !out.ends_with('-')
            && (c.is_whitespace() || c == '-' || c == '_')
        {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("family-learning-2"));
        assert!(!is_slug("Family_learning"));
        assert!(!is_slug("-x"));
        assert!(!is_slug("a--b"));
        assert_eq!(slugify("Evidence of impact"), "evidence-of-impact");
        assert_eq!(slugify("What's next? (2009)"), "whats-next-2009");
        assert_eq!(slugify("Family_Learning  plan"), "family-learning-plan");
    }
}
