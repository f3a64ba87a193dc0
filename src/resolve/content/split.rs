//! The split of a document into its front matter and body.

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::inputs::SourceFile;

/// A document split at its front matter fences. Offsets are into the file's text.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Splits `---\n<yaml>---\n<body>`; a document without front matter is an error at line 1.
pub fn split_front_matter<'a>(file: &'a SourceFile) -> Result<Split<'a>, Diagnostic> {
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let bom = file.text.len() - text.len();
    let no_front_matter = || {
        Diagnostic::at(
            Code::NoFrontMatter,
            &file.rel,
            Pos::START,
            "document has no front matter",
        )
        .with_help(Some(
            "start the file with a line `---`, then `title: ...` and the other keys, then `---`"
                .into(),
        ))
    };
    let first_line_end = text.find('\n').ok_or_else(no_front_matter)?;
    if text[..first_line_end].trim_end() != "---" {
        return Err(no_front_matter());
    }
    let yaml_start = first_line_end + 1;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset: body_offset + bom,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::at(
        Code::UnclosedFrontMatter,
        &file.rel,
        Pos::START,
        "front matter is not closed",
    )
    .with_help(Some("end the front matter with a line `---`".into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            rel: "x.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn splits_front_matter_and_body() {
        let f = file("---\ntitle: A\n---\n\nBody\n");
        let s = split_front_matter(&f).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(&f.text[s.body_offset..], "\nBody\n");
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_an_error() {
        assert!(split_front_matter(&file("# Title\n")).is_err());
        assert!(split_front_matter(&file("---\ntitle: A\n")).is_err());
    }
}
