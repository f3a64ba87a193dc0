//! The one gate every output file passes through: a path below the output folder made only of
//! segments that name a file or folder there and nothing else, so no input (a code, a slug, a
//! static file's name) can make the build write outside its output or trip the file system.

use crate::diagnostic::{Code, Diagnostic, printable};
use std::fmt;

/// The longest segment most file systems (ext4, APFS, NTFS) accept, in bytes.
pub const MAX_SEGMENT_BYTES: usize = 255;

/// A `/`-separated path relative to the output folder, every segment of it safe.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutputPath(String);

/// Why a path was refused, in words for the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// The whole path is empty or starts at the file system's root.
    Absolute,
    /// An empty segment: `a//b` or a trailing `/`.
    EmptySegment,
    /// `.` or `..`, which name the folder itself or its parent.
    Dots(String),
    /// A character that is a separator or special somewhere: `\`, `:`, NUL or a control.
    Character(char),
    /// A segment longer than `MAX_SEGMENT_BYTES`.
    TooLong(usize),
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Absolute => f.write_str("it is empty or absolute"),
            PathError::EmptySegment => f.write_str("it has an empty segment"),
            PathError::Dots(s) => write!(f, "it has a `{s}` segment"),
            PathError::Character(c) => write!(f, "it holds the character {c:?}"),
            PathError::TooLong(n) => write!(
                f,
                "a segment is {n} bytes long, more than the {MAX_SEGMENT_BYTES} a file name may have"
            ),
        }
    }
}

impl OutputPath {
    /// Accepts `rel` only if every segment is a plain, non-empty name: no `.` or `..`, no
    /// leading `/`, no `\`, `:`, NUL or other control character, none over 255 bytes.
    pub fn new(rel: &str) -> Result<OutputPath, PathError> {
        if rel.is_empty() || rel.starts_with('/') {
            return Err(PathError::Absolute);
        }
        for segment in rel.split('/') {
            if segment.is_empty() {
                return Err(PathError::EmptySegment);
            }
            if segment == "." || segment == ".." {
                return Err(PathError::Dots(segment.to_string()));
            }
            if let Some(c) = segment
                .chars()
                .find(|&c| c == '\\' || c == ':' || c.is_control())
            {
                return Err(PathError::Character(c));
            }
            if segment.len() > MAX_SEGMENT_BYTES {
                return Err(PathError::TooLong(segment.len()));
            }
        }
        Ok(OutputPath(rel.to_string()))
    }

    /// `new`, with a refusal as a diagnostic on the path.
    pub fn checked(rel: &str) -> Result<OutputPath, Diagnostic> {
        OutputPath::new(rel).map_err(|e| {
            Diagnostic::new(
                Code::OutputRefused,
                printable(rel),
                None,
                format!("refusing to write this output file: {e}"),
            )
            .with_help(Some(
                "output files are named from codes, slugs and file names; rename the input it \
                 came from"
                    .into(),
            ))
        })
    }

    /// The path, `/`-separated: `themes/x/index.html`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for OutputPath {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OutputPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_pass() {
        for ok in [
            "index.html",
            "themes/x/index.html",
            "local-authorities/E08000035/index.html",
            "search/ab12/t/0.bin",
            ".well-known/security.txt",
            "a..b/c.d",
        ] {
            assert_eq!(OutputPath::new(ok).unwrap().as_str(), ok);
        }
        let longest = "a".repeat(MAX_SEGMENT_BYTES);
        assert!(OutputPath::new(&longest).is_ok());
    }

    #[test]
    fn hostile_paths_are_refused() {
        let long = format!("x/{}/index.html", "é".repeat(128));
        let cases: &[(&str, PathError)] = &[
            ("", PathError::Absolute),
            ("/etc/passwd", PathError::Absolute),
            ("a//b", PathError::EmptySegment),
            ("a/", PathError::EmptySegment),
            ("..", PathError::Dots("..".into())),
            ("./x", PathError::Dots(".".into())),
            (
                "local-authorities/../../../x/index.html",
                PathError::Dots("..".into()),
            ),
            ("a/..", PathError::Dots("..".into())),
            ("a\\..\\..\\b", PathError::Character('\\')),
            ("C:/x", PathError::Character(':')),
            ("a\0b", PathError::Character('\0')),
            ("a\nb/index.html", PathError::Character('\n')),
            ("a\u{1b}[31m", PathError::Character('\u{1b}')),
            ("x\u{85}y", PathError::Character('\u{85}')),
            (&long, PathError::TooLong(256)),
        ];
        for (path, why) in cases {
            assert_eq!(OutputPath::new(path).as_ref(), Err(why), "{path:?}");
        }
    }

    #[test]
    fn a_refusal_names_the_path_and_why() {
        let d = OutputPath::checked("a/../../b").unwrap_err();
        assert_eq!(d.path, "a/../../b");
        assert_eq!(
            d.message,
            "refusing to write this output file: it has a `..` segment"
        );
        // A control character is shown escaped, so the report cannot rewrite the terminal.
        assert_eq!(
            OutputPath::checked("a\u{1b}b").unwrap_err().path,
            "a\\u{1b}b"
        );
    }
}
