//! `content/<section>/_index.md`: the optional words a section's listing page opens with,
//! kept in content so that rewording them is an edit to the site, not to ntg.

use super::Section;
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::inputs::SourceFile;
use crate::resolve::content::split::split_front_matter;
use crate::resolve::frontmatter::Fields;

/// The name of the file that introduces a section.
pub const INDEX_FILE: &str = "_index.md";

/// What a section's `_index.md` says about its listing page.
#[derive(Debug, Clone)]
pub struct SectionIndex {
    pub section: Section,
    /// The listing page's heading and title, in place of the section's own name.
    pub title: Option<String>,
    /// The sentence under the heading, which is also the page's meta description.
    pub description: Option<String>,
}

/// Reads the `_index.md` of `section`: front matter with an optional `title` and
/// `description`, and no body (a listing page shows none, so written text would be lost).
pub fn read_section_index(
    file: SourceFile,
    section: Section,
) -> Result<SectionIndex, Vec<Diagnostic>> {
    let split = split_front_matter(&file).map_err(|d| vec![d])?;
    let mut f = Fields::parse(&file.rel, split.yaml, split.yaml_line).map_err(|d| vec![d])?;
    let title = f.optional("title");
    let description = f.optional("description");
    if let Some(offset) = split.body.find(|c: char| !c.is_whitespace()) {
        let at = split.body_offset + offset;
        let line = file.text[..at].matches('\n').count() + 1;
        f.error(
            Code::SectionIndexBody,
            Pos::new(line, 1),
            "a section's _index.md has front matter only: its listing page shows no body".into(),
            Some("put the words that introduce the section in `description`".into()),
        );
    }
    let diags = f.finish();
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(SectionIndex {
        section,
        title,
        description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SectionIndex, Vec<Diagnostic>> {
        let file = SourceFile {
            rel: "content/hypotheses/_index.md".into(),
            text: text.into(),
        };
        read_section_index(file, Section::Hypotheses)
    }

    #[test]
    fn keys_are_optional_and_a_body_is_refused() {
        let full = read("---\ntitle: Ideas\ndescription: What we think works.\n---\n").unwrap();
        assert_eq!(full.title.as_deref(), Some("Ideas"));
        assert_eq!(full.description.as_deref(), Some("What we think works."));
        let empty = read("---\n---\n\n").unwrap();
        assert!(empty.title.is_none() && empty.description.is_none());
        let body = read("---\ntitle: Ideas\n---\n\nLost words.\n").unwrap_err();
        assert_eq!(body.len(), 1);
        assert_eq!(body[0].pos, Some(Pos::new(5, 1)));
        assert!(
            read("---\nsummary: x\n---\n").is_err(),
            "unknown keys are errors"
        );
    }
}
