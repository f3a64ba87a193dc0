//! The YAML mistakes writers make most, named in their words: a `: ` in an unquoted value, a
//! tab in the indentation, a line indented out of step with the one above it, a quote never
//! closed. The parser only says where it stopped and what it expected there; these read the
//! source lines around that place (never parsing the YAML again) to say what the writer did
//! and how to write it instead. A mistake that is none of these keeps the parser's words.

use crate::diagnostic::{Code, Pos};
use serde_saphyr::granit_parser::ErrorKind;

/// A mistake recognised at a parser error, at the place the writer has to change.
#[derive(Debug, PartialEq)]
pub struct Mistake {
    /// The kind of mistake.
    pub code: Code,
    /// Where it is, in the lines of the text given to [`explain`].
    pub pos: Pos,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to write it instead.
    pub help: String,
}

/// Names the mistake behind a parser error of kind `kind` at `at` (a position in `text`'s own
/// lines), if it is one writers make; `first_line` is the file's line number of `text`'s first
/// line, for messages that name a line.
pub fn explain(text: &str, kind: &ErrorKind, at: Pos, first_line: usize) -> Option<Mistake> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let here = at.line.checked_sub(1).filter(|&i| i < lines.len())?;
    let tab_kind = matches!(
        kind,
        ErrorKind::TabNotAllowed
            | ErrorKind::TabInBlockIndentation
            | ErrorKind::TabInIndentation
            | ErrorKind::TabAtBlockScalarStart
            | ErrorKind::TabInPlainScalar
    );
    // The parser often stops at the line before a tab-indented one (after `key: |`), so a
    // tab error looks at the next line written too; any other error only at its own line.
    let tab_line = std::iter::once(here)
        .chain(tab_kind.then(|| next_written(&lines, here)).flatten())
        .find(|&i| indent_tab(lines[i]).is_some());
    if let Some(i) = tab_line {
        return Some(tab(&lines, i, first_line));
    }
    match kind {
        ErrorKind::UnclosedQuotedScalar => unclosed_quote(&lines, at, None),
        ErrorKind::InvalidTrailingDoubleQuotedScalar
        | ErrorKind::InvalidTrailingSingleQuotedScalar => {
            unclosed_quote(&lines, at, Some(first_line))
        }
        ErrorKind::MappingValueNotAllowed => {
            unquoted_colon(lines[here], at).or_else(|| bad_indent(&lines, here))
        }
        ErrorKind::ExpectedBlockMappingKey
        | ErrorKind::InvalidIndentation
        | ErrorKind::ExpectedBlockSequenceEntry
        | ErrorKind::BlockSequenceEntryNotAllowed => bad_indent(&lines, here),
        _ => None,
    }
}

/// The index of the first line after `i` with something written on it.
fn next_written(lines: &[&str], i: usize) -> Option<usize> {
    (i + 1..lines.len()).find(|&j| !lines[j].trim().is_empty())
}

/// The index of the nearest line before `i` with a key or value on it (not blank, not only a
/// comment).
fn previous_written(lines: &[&str], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| {
        let t = lines[j].trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

/// The column of the first tab in a line's indentation, if it has one.
fn indent_tab(line: &str) -> Option<usize> {
    let lead: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    if lead.len() == line.len() {
        return None;
    }
    lead.find('\t').map(|i| i + 1)
}

fn tab(lines: &[&str], i: usize, first_line: usize) -> Mistake {
    let col = indent_tab(lines[i]).unwrap_or(1);
    let line = i + first_line;
    Mistake {
        code: Code::YamlTabIndent,
        pos: Pos::new(i + 1, col),
        message: format!("YAML indents with spaces; line {line} has a tab"),
        help: "replace the tab with spaces (an editor can be set to type spaces for the Tab key)"
            .into(),
    }
}

/// A line as this module reads it: its indentation, whether it is a list item (`- `), and
/// its key and value when it is `key: value`.
#[derive(Clone, Copy)]
struct Line<'a> {
    /// Spaces before the first character.
    indent: usize,
    /// What is written after the indentation, without trailing spaces.
    content: &'a str,
    /// `content` after any `- ` that makes it a list item.
    entry: &'a str,
    item: bool,
    /// The key, and the character offset in `entry` of the `:` after it.
    key: Option<(&'a str, usize)>,
}

impl<'a> Line<'a> {
    fn read(line: &'a str) -> Line<'a> {
        let content = line.trim_start_matches(' ').trim_end();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let entry = content
            .strip_prefix("- ")
            .map_or(content, str::trim_start)
            .trim_start();
        let item = entry.len() != content.len() || content == "-";
        // A key is plain text up to the first `:` that ends the line or has a space after it;
        // a quoted or bracketed start is not read as a key.
        let key = (!entry.starts_with(['"', '\'', '[', '{', '#', '|', '>']))
            .then(|| {
                entry.char_indices().find(|&(i, c)| {
                    c == ':' && entry[i + 1..].chars().next().is_none_or(|n| n == ' ')
                })
            })
            .flatten()
            .map(|(i, _)| (entry[..i].trim_end(), entry[..i].chars().count()))
            .filter(|(k, _)| !k.is_empty() && !k.contains(" #"));
        Line {
            indent,
            content,
            entry,
            item,
            key,
        }
    }

    /// How a message names the line: its key, or the list item as written.
    fn name(&self) -> String {
        match self.key {
            Some((key, _)) if !self.item => key.to_string(),
            _ => {
                let shown: String = self.content.chars().take(40).collect();
                if shown.len() < self.content.len() {
                    format!("{shown}...")
                } else {
                    shown
                }
            }
        }
    }

    /// The value written after the key's `:`, without a trailing comment.
    fn value(&self) -> &'a str {
        let Some((_, colon)) = self.key else {
            return "";
        };
        let start = self
            .entry
            .char_indices()
            .nth(colon)
            .map_or(0, |(i, _)| i + 1);
        let value = self.entry[start..].trim_start();
        value.find(" #").map_or(value, |i| &value[..i]).trim_end()
    }

    /// The column of `entry`'s `n`th character in the line.
    fn col_in_entry(&self, n: usize) -> usize {
        let before = self.content.chars().count() - self.entry.chars().count();
        self.indent + before + n + 1
    }
}

/// `summary: Leeds: what worked`: the parser stops at the second `: `, which it reads as
/// starting a key inside a value.
fn unquoted_colon(line: &str, at: Pos) -> Option<Mistake> {
    let l = Line::read(line);
    let (key, colon) = l.key?;
    let value = l.value();
    // The error is at a `:` after the key's own: otherwise the key itself is misplaced.
    if at.col <= l.col_in_entry(colon) || value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    let inner = value.find(": ")?;
    let value_col = l.col_in_entry(l.entry.find(value).map(|i| l.entry[..i].chars().count())?);
    let col = value_col + value[..inner].chars().count();
    let noun = key.replace('_', " ");
    let dash = if l.item { "- " } else { "" };
    Some(Mistake {
        code: Code::YamlUnquotedColon,
        pos: Pos::new(at.line, col),
        message: format!("the value of `{key}` contains `: `"),
        help: format!("put the {noun} in quotes: {dash}{key}: {}", quoted(value)),
    })
}

/// `value` in the quotes YAML reads it back from unchanged: double quotes, or single quotes
/// (with `'` doubled) when it holds a `"` or `\`, which double quotes would read otherwise.
fn quoted(value: &str) -> String {
    if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

/// A quote that opens a value and is not closed on its line. The parser reports one never
/// closed at all where it opens (`closed_at` is `None`); one closed by the next value's
/// opening quote, lines later, is reported where the text after that quote goes on, so the
/// opening quote is found by reading back from there.
fn unclosed_quote(lines: &[&str], at: Pos, closed_at: Option<usize>) -> Option<Mistake> {
    let i = at.line - 1;
    let col = at.col - 1;
    let (open_line, open_col, quote) = if closed_at.is_none() {
        let c = lines[i]
            .chars()
            .nth(col)
            .filter(|c| matches!(c, '"' | '\''))?;
        (i, col, c)
    } else {
        // The closing quote is the last one before the error; the opening is the one before
        // it (not an escaped `\"` or a doubled `''`), on an earlier line.
        let before: Vec<(usize, usize, char)> = lines[..=i]
            .iter()
            .enumerate()
            .flat_map(|(n, l)| l.chars().enumerate().map(move |(c, ch)| (n, c, ch)))
            .take_while(|&(n, c, _)| n < i || c < col)
            .collect();
        let close = before
            .iter()
            .rposition(|&(_, _, c)| c == '"' || c == '\'')?;
        let quote = before[close].2;
        let mut k = close;
        loop {
            k = k.checked_sub(1)?;
            if before[k].2 != quote {
                continue;
            }
            let escaped = k > 0 && before[k - 1].2 == if quote == '"' { '\\' } else { '\'' };
            if escaped {
                k -= 1;
                continue;
            }
            break;
        }
        let (line, c, _) = before[k];
        if line == before[close].0 {
            return None;
        }
        (line, c, quote)
    };
    let l = Line::read(lines[open_line]);
    let reads_on = closed_at.map_or(String::new(), |first| {
        format!(
            "YAML reads on to the next `{quote}`, on line {}; ",
            at.line + first - 1
        )
    });
    Some(Mistake {
        code: Code::YamlUnclosedQuote,
        pos: Pos::new(open_line + 1, open_col + 1),
        message: "this quote is never closed".into(),
        help: format!(
            "{reads_on}end the value with a closing quote: {}{quote}",
            l.content
        ),
    })
}

/// A line indented out of step with the written line above it.
fn bad_indent(lines: &[&str], here: usize) -> Option<Mistake> {
    let e = Line::read(lines[here]);
    let above = previous_written(lines, here)?;
    let p = Line::read(lines[above]);
    let pos = Pos::new(here + 1, e.indent + 1);
    let (name, pname) = (e.name(), p.name());
    // The nearest key at or before `from` indented at most `most`: what a line lines up with.
    let key_above = |from: usize, most: usize| {
        (0..=from)
            .rev()
            .map(|j| Line::read(lines[j]))
            .find(|l| l.key.is_some() && !l.item && l.indent <= most && !l.content.is_empty())
    };
    let column = |l: &Line| format!("column {}, as `{}` is", l.indent + 1, l.name());
    let (message, help) = if e.item && p.key.is_some() && !p.item && !p.value().is_empty() {
        let key = p.key.map_or("", |(k, _)| k);
        let value = p.value();
        let merged = value
            .strip_prefix('[')
            .and_then(|v| v.strip_suffix(']'))
            .map(|v| format!("{key}: [{}, {}]", v.trim(), e.entry));
        let how = match merged {
            Some(m) => format!("add it to the list on that line: {m}"),
            None => format!(
                "write `{key}:` with nothing after it, and each item under it on its own line"
            ),
        };
        let relation = if e.indent > p.indent {
            "indented more than"
        } else {
            "written after"
        };
        (
            format!("`{name}` is {relation} the key above it, `{key}`, which already has a value"),
            how,
        )
    } else if e.indent > p.indent {
        let target = if p.key.is_some() && !p.item {
            Some(p)
        } else {
            key_above(above, p.indent)
        };
        let help = match target {
            Some(t) if e.key.is_some() => format!("start `{name}` in {}", column(&t)),
            _ => format!("start `{name}` in {}", column(&p)),
        };
        let what = if p.key.is_some() && !p.item {
            "the key"
        } else {
            "the line"
        };
        (
            format!("`{name}` is indented more than {what} above it, `{pname}`"),
            help,
        )
    } else if e.indent < p.indent {
        let outer = key_above(above, e.indent.saturating_sub(1)).filter(|_| e.indent > 0);
        let help = match outer {
            Some(o) => format!("start `{name}` in {}, or in {}", column(&p), column(&o)),
            None => format!("start `{name}` in {}", column(&p)),
        };
        (
            format!("`{name}` is indented less than `{pname}` above it"),
            help,
        )
    } else {
        return None;
    };
    Some(Mistake {
        code: Code::YamlBadIndent,
        pos,
        message,
        help,
    })
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Pos};
    use crate::resolve::yaml::parse;

    /// The diagnostic `yaml` (front matter from line 2) gets: its code, position and help.
    fn said(yaml: &str) -> (Code, Pos, String, String) {
        let d = parse("a.md", yaml, 2).unwrap_err();
        (
            d.code,
            d.pos.unwrap(),
            d.message,
            d.help.unwrap_or_default(),
        )
    }

    #[test]
    fn a_colon_in_a_value_is_named_where_it_is_with_the_value_quoted() {
        let (code, pos, message, help) = said("title: A\nsummary: Leeds: what worked # n\n");
        assert_eq!((code, pos), (Code::YamlUnquotedColon, Pos::new(3, 15)));
        assert_eq!(message, "the value of `summary` contains `: `");
        assert_eq!(
            help,
            "put the summary in quotes: summary: \"Leeds: what worked\""
        );
        let (_, pos, _, help) = said("- name: It's \"A: B\"\n");
        assert_eq!(pos, Pos::new(2, 16));
        assert_eq!(help, "put the name in quotes: - name: 'It''s \"A: B\"'");
    }

    #[test]
    fn a_tab_is_named_at_its_line_and_column() {
        let (code, pos, message, _) = said("groups:\n  - a\n \t- b\n");
        assert_eq!((code, pos), (Code::YamlTabIndent, Pos::new(4, 2)));
        assert_eq!(message, "YAML indents with spaces; line 4 has a tab");
        // The parser stops at the `|` above the tab.
        let (code, pos, _, _) = said("summary: |\n\tText.\n");
        assert_eq!((code, pos), (Code::YamlTabIndent, Pos::new(3, 1)));
    }

    #[test]
    fn an_unclosed_quote_is_named_where_it_opens() {
        let (code, pos, _, help) = said("title: \"A: b\nsummary: \"c\"\n");
        assert_eq!((code, pos), (Code::YamlUnclosedQuote, Pos::new(2, 8)));
        assert!(help.ends_with("title: \"A: b\""), "{help}");
        // A quote inside a quoted value is another mistake: the parser's words stay.
        let (code, ..) = said("summary: \"He said \"hi\" there\"\n");
        assert_eq!(code, Code::InvalidYaml);
    }

    #[test]
    fn a_line_out_of_step_is_named_with_the_line_to_line_up_with() {
        let (code, pos, message, help) = said("a:\n  b: 1\n c: 2\n");
        assert_eq!((code, pos), (Code::YamlBadIndent, Pos::new(4, 2)));
        assert_eq!(message, "`c` is indented less than `b` above it");
        assert_eq!(
            help,
            "start `c` in column 3, as `b` is, or in column 1, as `a` is"
        );
        let (_, pos, message, help) = said("themes: [x]\n  - y\n");
        assert_eq!(pos, Pos::new(3, 3));
        assert!(message.starts_with("`- y` is indented more than the key above it"));
        assert_eq!(help, "add it to the list on that line: themes: [x, y]");
    }
}
