//! The load stage's file reading: bytes to checked UTF-8 text, and the split of a document
//! into its front matter and body.

use crate::diagnostic::{Diagnostic, LineIndex, Pos, display_path};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One text file of the site, read and known to be valid UTF-8.
#[derive(Debug)]
pub struct SourceFile {
    pub abs: PathBuf,
    /// Path relative to the site root with `/` separators: what diagnostics show.
    pub rel: String,
    pub text: String,
}

impl SourceFile {
    /// Reads a file; invalid UTF-8 is reported at the line and column of its first bad byte.
    /// A symbolic link is refused, as `walk` skips one: a link in place of `site.yaml` or a
    /// data file would read (and quote in diagnostics) any file the build can open.
    pub fn read(root: &Path, abs: &Path) -> Result<SourceFile, Diagnostic> {
        let rel = display_path(root, abs);
        if abs
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(Diagnostic::new(
                rel,
                None,
                "is a symbolic link, which ntg does not follow: it reads only files inside the site",
            )
            .with_help(Some(
                "put the file itself here instead of a link to it".into(),
            )));
        }
        let bytes = std::fs::read(abs)
            .map_err(|e| Diagnostic::new(rel.clone(), None, format!("cannot read file: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let good = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..good]).expect("prefix is valid");
            Diagnostic::at(
                &rel,
                LineIndex::new(valid).pos(good),
                "file is not valid UTF-8",
            )
            .with_help(Some("save the file as UTF-8 in your editor".into()))
        })?;
        Ok(SourceFile {
            abs: abs.to_path_buf(),
            rel,
            text,
        })
    }
}

/// Every file below `dir`, sorted by path so later stages see one order whatever the file
/// system returns. A symbolic link is skipped with a warning naming it: following one could
/// read outside the site or loop, and skipping it silently would lose a document unnoticed.
/// An entry that cannot be read is an error.
pub fn walk(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.path_is_symlink() && e.depth() > 0 => diags.push(
                Diagnostic::new(
                    display_path(root, e.path()),
                    None,
                    "symbolic link skipped: ntg reads only files inside the site",
                )
                .with_help(Some(
                    "put the file (or folder) itself here instead of a link to it".into(),
                ))
                .warning(),
            ),
            Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
            Ok(_) => {}
            Err(e) => {
                let path = display_path(root, e.path().unwrap_or(dir));
                diags.push(Diagnostic::new(path, None, format!("cannot read: {e}")));
            }
        }
    }
    (files, diags)
}

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
        Diagnostic::at(&file.rel, Pos::START, "document has no front matter").with_help(Some(
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
    Err(
        Diagnostic::at(&file.rel, Pos::START, "front matter is not closed")
            .with_help(Some("end the front matter with a line `---`".into())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            abs: PathBuf::from("x.md"),
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
