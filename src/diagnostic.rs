//! Content errors as values: every stage returns them instead of stopping, and the CLI decides
//! how to print them (human, JSON, GitHub annotations).

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a source file, 1-based, as editors and CI annotations count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, col: 1 };

    pub fn new(line: usize, col: usize) -> Pos {
        Pos { line, col }
    }
}

/// One content error: where it is, what is wrong, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators, so output is the same everywhere.
    pub path: String,
    /// `None` for problems with a whole file (unreadable, missing).
    pub pos: Option<Pos>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<String>, pos: Option<Pos>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            pos,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(path: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic::new(path, Some(pos), message)
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    fn sort_key(&self) -> (&str, Option<Pos>, &str) {
        (&self.path, self.pos, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(p) => write!(
                f,
                "{}:{}:{}: error: {}",
                self.path, p.line, p.col, self.message
            )?,
            None => write!(f, "{}: error: {}", self.path, self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file, position and message and drops exact repeats, so that the
/// report does not depend on which thread found what first.
pub fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    diags
}

/// How the CLI prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// Renders a list of diagnostics in the chosen format.
pub fn render(diags: &[Diagnostic], format: Format) -> String {
    match format {
        Format::Human => {
            let mut out = String::new();
            for d in diags {
                out.push_str(&d.to_string());
                out.push('\n');
            }
            if !diags.is_empty() {
                let n = diags.len();
                out.push_str(&format!("{n} error{}\n", if n == 1 { "" } else { "s" }));
            }
            out
        }
        Format::Json => serde_json::to_string_pretty(diags).expect("diagnostics serialise") + "\n",
        Format::Github => {
            let mut out = String::new();
            for d in diags {
                let mut props = format!("file={}", gh_escape_prop(&d.path));
                if let Some(p) = d.pos {
                    props.push_str(&format!(",line={},col={}", p.line, p.col));
                }
                let mut msg = d.message.clone();
                if let Some(h) = &d.help {
                    msg.push_str(&format!("\n{h}"));
                }
                out.push_str(&format!("::error {props}::{}\n", gh_escape_data(&msg)));
            }
            out
        }
    }
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Maps byte offsets of one text to 1-based line and column (columns count characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn pos(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let end = offset.min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map_or(1, |s| s.chars().count() + 1);
        Pos::new(line + 1, col)
    }
}

/// The path of `file` relative to `root`, with `/` separators, for diagnostics.
pub fn display_path(root: &Path, file: &Path) -> String {
    let rel: PathBuf = file.strip_prefix(root).unwrap_or(file).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_characters() {
        let idx = LineIndex::new("ab\ncé d\n");
        assert_eq!(idx.pos(0), Pos::new(1, 1));
        assert_eq!(idx.pos(3), Pos::new(2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(idx.pos(6), Pos::new(2, 3));
    }

    #[test]
    fn github_format_escapes_newlines() {
        let d = Diagnostic::at("a,b.md", Pos::new(2, 3), "bad")
            .with_help(Some("did you mean x?".into()));
        assert_eq!(
            render(&[d], Format::Github),
            "::error file=a%2Cb.md,line=2,col=3::bad%0Adid you mean x?\n"
        );
    }
}
