//! Content errors as values: every stage returns them instead of stopping, and the CLI decides
//! how to print them (human, JSON, SARIF, GitHub annotations).

mod code;
mod sarif;

pub use code::Code;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a source file, 1-based, as editors and CI annotations count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
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

/// How serious a diagnostic is. Errors fail the command; warnings (legal but probably not
/// meant, such as a skipped symlink) are printed and counted, and change nothing else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is wrong: the build fails and exits 1.
    #[default]
    Error,
    /// Worth saying, but the build goes on and exits as it would without it.
    Warning,
}

impl Severity {
    /// The word diagnostics print: `error`, `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// `n` of this severity in words: "1 warning", "3 errors".
    pub fn counted(self, n: usize) -> String {
        format!("{n} {}{}", self.as_str(), if n == 1 { "" } else { "s" })
    }
}

/// At most this many diagnostics of one file are kept by a reader and printed, in every
/// format; the rest are counted into one line, so a bad file of millions of rows neither
/// floods the terminal nor fills memory.
pub const PER_FILE: usize = 20;

/// One content error or warning: where it is, what is wrong, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators, so output is the same everywhere.
    pub path: String,
    /// `None` for problems with a whole file (unreadable, missing).
    pub pos: Option<Pos>,
    /// Whether it fails the build.
    pub severity: Severity,
    /// What kind of problem it is, for tools to match on.
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
    /// Non-zero only on the line that stands for a file's diagnostics past `PER_FILE`: how
    /// many of this severity were found there but not kept. Set only by `Diagnostic::omitted`.
    omitted: usize,
}

/// A diagnostic as JSON shows it (and `ntg serve` sends it): one flat object that a script
/// reads without knowing Rust's shapes.
#[derive(Serialize)]
struct Flat<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    severity: Severity,
    code: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    /// Only on the `more-in-file` line: how many it stands for, so a script need not parse
    /// the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    omitted: Option<usize>,
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Flat {
            file: &self.path,
            line: self.pos.map(|p| p.line),
            column: self.pos.map(|p| p.col),
            severity: self.severity,
            code: self.code.as_str(),
            message: &self.message,
            help: self.help.as_deref(),
            omitted: (self.omitted > 0).then_some(self.omitted),
        }
        .serialize(s)
    }
}

impl Diagnostic {
    /// An error of kind `code` in `path`, at `pos` or about the whole file.
    pub fn new(
        code: Code,
        path: impl Into<String>,
        pos: Option<Pos>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            pos,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
            omitted: 0,
        }
    }

    /// An error of kind `code` at `pos` in `path`.
    pub fn at(code: Code, path: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic::new(code, path, Some(pos), message)
    }

    /// The line standing for `n` diagnostics of `severity` in `path` that were not kept.
    pub fn omitted(path: &str, severity: Severity, n: usize) -> Self {
        let what = severity.counted(n);
        let (count, noun) = what.split_once(' ').unwrap_or((&what, ""));
        Diagnostic {
            severity,
            omitted: n,
            ..Diagnostic::new(
                Code::MoreInFile,
                path,
                None,
                format!("and {count} more {noun} in this file"),
            )
        }
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// The same diagnostic as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this diagnostic fails the command.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// How many diagnostics this one reports: itself, or those it stands for.
    fn weight(&self) -> usize {
        self.omitted.max(1)
    }

    // The lines standing for omitted diagnostics come last in their file.
    fn sort_key(&self) -> (&str, bool, Option<Pos>, &str, Severity, Code) {
        (
            &self.path,
            self.omitted > 0,
            self.pos,
            &self.message,
            self.severity,
            self.code,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = self.severity.as_str();
        match self.pos {
            _ if self.omitted > 0 => write!(f, "{}: {}", self.path, self.message)?,
            Some(p) => write!(
                f,
                "{}:{}:{}: {severity}: {}",
                self.path, p.line, p.col, self.message
            )?,
            None => write!(f, "{}: {severity}: {}", self.path, self.message)?,
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

/// Whether any of `diags` is an error: what makes a command fail.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Bounds what a reader keeps of one file's diagnostics: `keep` after adding each, then
/// `finish`.
/// Past `PER_FILE` of a severity, diagnostics are counted, not stored.
pub struct Bounded<'a> {
    path: &'a str,
    kept: [usize; 2],
    dropped: [usize; 2],
}

impl<'a> Bounded<'a> {
    /// A bound on the diagnostics of the file at `path`; others pass untouched.
    pub fn new(path: &'a str) -> Self {
        Bounded {
            path,
            kept: [0; 2],
            dropped: [0; 2],
        }
    }

    /// Keeps the new diagnostics at the end of `diags` (from index `from`) that fit under the
    /// bound, in order, and counts the others.
    pub fn keep(&mut self, diags: &mut Vec<Diagnostic>, from: usize) {
        let mut i = from;
        while i < diags.len() {
            let s = diags[i].severity as usize;
            if diags[i].path == self.path && diags[i].omitted == 0 && self.kept[s] >= PER_FILE {
                self.dropped[s] += 1;
                diags.remove(i);
            } else {
                self.kept[s] += 1;
                i += 1;
            }
        }
    }

    /// Adds the lines standing for what was counted but not kept.
    pub fn finish(self, diags: &mut Vec<Diagnostic>) {
        for severity in [Severity::Error, Severity::Warning] {
            let n = self.dropped[severity as usize];
            if n > 0 {
                diags.push(Diagnostic::omitted(self.path, severity, n));
            }
        }
    }
}

/// The diagnostics a report shows: per file and severity, the first `PER_FILE` (in `diags`'
/// order), then one line for the rest, merged with any a reader already counted. Every
/// format shows these, and so does `ntg serve`'s overlay.
pub fn capped(diags: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut start = 0;
    while start < diags.len() {
        let path = &diags[start].path;
        let end = diags[start..]
            .iter()
            .position(|d| &d.path != path)
            .map_or(diags.len(), |n| start + n);
        let mut shown = [0usize; 2];
        let mut rest = [0usize; 2];
        for d in &diags[start..end] {
            let s = d.severity as usize;
            if d.omitted == 0 && shown[s] < PER_FILE {
                shown[s] += 1;
                out.push(d.clone());
            } else {
                rest[s] += d.weight();
            }
        }
        for severity in [Severity::Error, Severity::Warning] {
            let n = rest[severity as usize];
            if n > 0 {
                out.push(Diagnostic::omitted(path, severity, n));
            }
        }
        start = end;
    }
    out
}

/// The summary line's count: `3 errors`, `1 warning`, `3 errors, 1 warning`.
fn summary(diags: &[Diagnostic]) -> Option<String> {
    let count = |s: Severity| -> usize {
        diags
            .iter()
            .filter(|d| d.severity == s)
            .map(Diagnostic::weight)
            .sum()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    match (errors, warnings) {
        (0, 0) => None,
        (e, 0) => Some(Severity::Error.counted(e)),
        (0, w) => Some(Severity::Warning.counted(w)),
        (e, w) => Some(format!(
            "{}, {}",
            Severity::Error.counted(e),
            Severity::Warning.counted(w)
        )),
    }
}

/// How the CLI prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: error: message`, then `help:`, then a summary line.
    Human,
    /// An array of flat objects: `file`, `line`, `column`, `severity`, `code`, `message`, `help`.
    Json,
    /// SARIF 2.1.0, for code-scanning tools and editors.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

/// Renders diagnostics, sorted as `sorted` leaves them, in the chosen format. Every format
/// shows at most `PER_FILE` of each file's errors and of its warnings, then a line with how
/// many more there are; the human summary line counts them all.
pub fn render(diags: &[Diagnostic], format: Format) -> String {
    let shown = capped(diags);
    match format {
        Format::Human => {
            let mut out = String::new();
            for d in &shown {
                out.push_str(&d.to_string());
                out.push('\n');
            }
            if let Some(summary) = summary(diags) {
                out.push_str(&summary);
                out.push('\n');
            }
            out
        }
        Format::Json => serde_json::to_string_pretty(&shown).expect("diagnostics serialise") + "\n",
        Format::Sarif => sarif::render(&shown),
        Format::Github => {
            let mut out = String::new();
            for d in &shown {
                let mut props = format!("file={}", gh_escape_prop(&d.path));
                if let Some(p) = d.pos {
                    props.push_str(&format!(",line={},col={}", p.line, p.col));
                }
                let mut msg = d.message.clone();
                if let Some(h) = &d.help {
                    msg.push_str(&format!("\n{h}"));
                }
                out.push_str(&format!(
                    "::{} {props}::{}\n",
                    d.severity.as_str(),
                    gh_escape_data(&msg)
                ));
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

/// `s` with its control characters (newlines, escapes, NUL) written as escapes, so that a
/// value quoted in a diagnostic stays on its line and cannot drive the terminal.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Whether the byte at `i` ends a line: `\n`, or a `\r` not followed by `\n`. The one rule
/// of what a line is, for every position ntg reports.
pub fn ends_line(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' => true,
        b'\r' => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// Maps byte offsets of one text to 1-based line and column (columns count characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`'s lines. A line ends at `\n`, `\r\n` or a lone `\r`, as YAML,
    /// CommonMark and editors count them, so a position from the YAML parser and one from
    /// this index name the same line.
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            (0..bytes.len())
                .filter(|&i| ends_line(bytes, i))
                .map(|i| i + 1),
        );
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
        // A lone `\r` ends a line, as in YAML and editors; `\r\n` is one line end.
        let idx = LineIndex::new("a\r\rb\r\nc");
        assert_eq!(idx.pos(3), Pos::new(3, 1));
        assert_eq!(idx.pos(6), Pos::new(4, 1));
    }

    #[test]
    fn warnings_print_as_warnings_and_are_counted_apart() {
        let diags = sorted(vec![
            Diagnostic::new(Code::SkippedSymlink, "b.md", None, "link skipped").warning(),
            Diagnostic::at(Code::InvalidYaml, "a.md", Pos::new(2, 3), "bad"),
        ]);
        assert_eq!(
            render(&diags, Format::Human),
            "a.md:2:3: error: bad\nb.md: warning: link skipped\n1 error, 1 warning\n"
        );
        assert_eq!(
            render(&diags, Format::Github),
            "::error file=a.md,line=2,col=3::bad\n::warning file=b.md::link skipped\n"
        );
        assert!(has_errors(&diags));
        assert!(!has_errors(&diags[1..]));
        assert_eq!(
            render(&diags[1..], Format::Human).lines().last(),
            Some("1 warning")
        );
    }

    #[test]
    fn a_reader_keeps_a_bounded_number_and_the_report_counts_them_all() {
        let mut diags = Vec::new();
        let mut bound = Bounded::new("t.csv");
        for line in 1..=(PER_FILE + 5) {
            let from = diags.len();
            diags.push(Diagnostic::at(
                Code::MalformedCsv,
                "t.csv",
                Pos::new(line, 1),
                "bad row",
            ));
            bound.keep(&mut diags, from);
        }
        bound.finish(&mut diags);
        assert_eq!(diags.len(), PER_FILE + 1);
        // Another stage's error in the same file sorts before the reader's count line, and
        // the two overflow counts merge into one line.
        diags.push(Diagnostic::at(
            Code::MalformedCsv,
            "t.csv",
            Pos::new(99, 1),
            "late",
        ));
        let text = render(&sorted(diags), Format::Human);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), PER_FILE + 2);
        assert_eq!(lines[PER_FILE - 1], "t.csv:20:1: error: bad row");
        assert_eq!(lines[PER_FILE], "t.csv: and 6 more errors in this file");
        assert_eq!(lines[PER_FILE + 1], "26 errors");
    }

    #[test]
    fn printable_escapes_controls_only() {
        assert_eq!(printable("a\"b\\c é"), "a\"b\\c é");
        assert_eq!(printable("a\nb\u{1b}[2J\0"), "a\\nb\\u{1b}[2J\\u{0}");
    }

    #[test]
    fn github_format_escapes_newlines() {
        let d = Diagnostic::at(Code::UnknownTheme, "a,b.md", Pos::new(2, 3), "bad")
            .with_help(Some("did you mean x?".into()));
        assert_eq!(
            render(&[d], Format::Github),
            "::error file=a%2Cb.md,line=2,col=3::bad%0Adid you mean x?\n"
        );
    }

    #[test]
    fn json_is_flat_with_nulls_for_what_is_missing() {
        let diags = sorted(vec![
            Diagnostic::at(
                Code::UnknownTheme,
                "a.md",
                Pos::new(5, 10),
                "unknown theme `x`",
            )
            .with_help(Some("did you mean `y`?".into())),
            Diagnostic::new(Code::MissingFile, "b.csv", None, "file is missing"),
        ]);
        let json: serde_json::Value = serde_json::from_str(&render(&diags, Format::Json)).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"file": "a.md", "line": 5, "column": 10, "severity": "error",
                 "code": "unknown-theme", "message": "unknown theme `x`",
                 "help": "did you mean `y`?"},
                {"file": "b.csv", "line": null, "column": null, "severity": "error",
                 "code": "missing-file", "message": "file is missing", "help": null},
            ])
        );
    }
}
