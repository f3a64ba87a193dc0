//! Reads one YAML mapping (a document's front matter, or `site.yaml`) key by key, so that
//! every bad key in it is reported with its own line, not just the first one serde meets.
//!
//! Each document kind asks for its keys with `required` and `optional`; the keys it asked for
//! are the schema, so `finish` can name every other key as unknown, with the nearest known key.

use crate::diagnostic::{Diagnostic, Pos};
use crate::suggest::did_you_mean;
use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

/// Where a top-level key sits in the YAML, and how many lines its value spans.
#[derive(Debug, Clone)]
struct KeyLoc {
    name: String,
    pos: Pos,
    /// Index of this key's first line and one past its last line, in the YAML's lines.
    lines: (usize, usize),
}

pub struct Fields<'a> {
    path: &'a str,
    yaml: &'a str,
    first_line: usize,
    map: Mapping,
    keys: Vec<KeyLoc>,
    asked: Vec<&'static str>,
    diags: Vec<Diagnostic>,
    /// Columns the YAML was indented by in its file (an item of a list), and where a missing
    /// key is reported: the opening fence of front matter, or the item's first line.
    indent: usize,
    missing_line: usize,
}

impl<'a> Fields<'a> {
    /// Parses `yaml`, whose first line is line `first_line` of the file at `path`.
    pub fn parse(path: &'a str, yaml: &'a str, first_line: usize) -> Result<Self, Diagnostic> {
        let value: Value = serde_yaml::from_str(yaml).map_err(|e| {
            let (pos, message) = yaml_error(&e, yaml, first_line);
            Diagnostic::at(path, pos, format!("malformed YAML: {message}"))
        })?;
        Fields::item(path, yaml, value, first_line, 0)
    }

    /// One item of a YAML list of mappings (`- id: ...`), already parsed with the whole file
    /// (so anchors and aliases resolve): `yaml` is its text with the `- ` and indentation
    /// removed, `indent` columns, so positions still match the file.
    /// (Front matter is the item at indent 0: `parse` reads it this way.)
    pub fn item(
        path: &'a str,
        yaml: &'a str,
        value: Value,
        first_line: usize,
        indent: usize,
    ) -> Result<Self, Diagnostic> {
        let map = match value {
            Value::Mapping(m) => m,
            Value::Null => Mapping::new(),
            _ => {
                let content = yaml
                    .lines()
                    .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                    .unwrap_or(0);
                return Err(Diagnostic::at(
                    path,
                    Pos::new(first_line + content, 1 + indent),
                    "expected `key: value` lines",
                ));
            }
        };
        Ok(Fields {
            path,
            yaml,
            first_line,
            map,
            keys: locate_keys(yaml, first_line),
            asked: Vec::new(),
            diags: Vec::new(),
            indent,
            missing_line: if indent == 0 {
                first_line.saturating_sub(1).max(1)
            } else {
                first_line
            },
        })
    }

    pub fn path(&self) -> &'a str {
        self.path
    }

    /// A key that must be present; its absence is reported at the opening fence.
    pub fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        self.asked.push(key);
        if self.map.get(key).is_none() {
            self.diags.push(Diagnostic::at(
                self.path,
                Pos::new(self.missing_line, 1 + self.indent),
                format!("missing required key `{key}`"),
            ));
            return None;
        }
        self.read(key)
    }

    /// A key that may be absent.
    pub fn optional<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        self.asked.push(key);
        self.map.get(key)?;
        self.read(key)
    }

    fn read<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        let value = self.map.get(key)?.clone();
        if value.is_null() {
            self.error(self.key_pos(key), format!("`{key}` has no value"), None);
            return None;
        }
        let sequence_expected = std::any::type_name::<T>().contains("Vec<");
        match serde_yaml::from_value::<T>(value) {
            Ok(v) => Some(v),
            Err(e) => {
                let help = sequence_expected
                    .then(|| format!("write a list, such as `{key}: [first, second]`"));
                let (_, message) = yaml_error(&e, self.yaml, self.first_line);
                self.error(self.key_pos(key), format!("`{key}`: {message}"), help);
                None
            }
        }
    }

    /// Records an error found while checking a value this reader gave out.
    pub fn error(&mut self, pos: Pos, message: String, help: Option<String>) {
        self.diags
            .push(Diagnostic::at(self.path, pos, message).with_help(help));
    }

    pub fn key_pos(&self, key: &str) -> Pos {
        let pos = self
            .key(key)
            .map_or(Pos::new(self.first_line, 1), |k| k.pos);
        Pos::new(pos.line, pos.col + self.indent)
    }

    /// The position of `value` inside the lines of `key` (for list items and scalars).
    pub fn value_pos(&self, key: &str, value: &str) -> Pos {
        let Some(k) = self.key(key) else {
            return self.key_pos(key);
        };
        for (i, line) in self
            .yaml
            .lines()
            .enumerate()
            .take(k.lines.1)
            .skip(k.lines.0)
        {
            let skip = if i == k.lines.0 {
                line.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            // A comment may mention the value too; only the YAML before it counts.
            let code = line.find(" #").map_or(line, |c| &line[..c]);
            if code.trim_start().starts_with('#') || code.len() <= skip {
                continue;
            }
            if let Some(col) = find_token(&code[skip..], value) {
                let col = line[..skip + col].chars().count() + 1;
                return Pos::new(self.first_line + i, col + self.indent);
            }
        }
        self.key_pos(key)
    }

    fn key(&self, key: &str) -> Option<&KeyLoc> {
        self.keys.iter().find(|k| k.name == key)
    }

    /// Reports every key nobody asked for, and returns all errors found.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let unknown: Vec<(String, Pos)> = self
            .map
            .keys()
            .map(|k| match k {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            })
            .filter(|k| !self.asked.contains(&k.as_str()))
            .map(|k| {
                let pos = self.key_pos(&k);
                (k, pos)
            })
            .collect();
        for (key, pos) in unknown {
            let help = did_you_mean(&key, self.asked.iter().copied());
            self.error(pos, format!("unknown key `{key}`"), help);
        }
        self.diags
    }
}

/// Where a YAML error is, in the file's own line numbers, and its message in words a writer
/// knows: serde_yaml's own " at line L column C" is dropped (we print the position) and any
/// other position it mentions is moved to the file's numbering.
pub fn yaml_error(e: &serde_yaml::Error, yaml: &str, first_line: usize) -> (Pos, String) {
    let mut pos = e.location().map_or(Pos::new(first_line, 1), |l| {
        Pos::new(l.line() + first_line - 1, l.column())
    });
    let raw = e.to_string();
    let mut message = String::new();
    let mut rest = raw.as_str();
    let mut first = true;
    while let Some(i) = rest.find(" at line ") {
        message.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| {
            s.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        };
        let line = digits(after);
        let tail = &after[line.len()..];
        let column = tail
            .strip_prefix(" column ")
            .map(digits)
            .unwrap_or_default();
        let consumed = line.len()
            + if column.is_empty() {
                0
            } else {
                " column ".len() + column.len()
            };
        if !first && let Ok(l) = line.parse::<usize>() {
            message.push_str(&format!(" at line {}", l + first_line - 1));
            if !column.is_empty() {
                message.push_str(&format!(" column {column}"));
            }
        }
        first = false;
        rest = &after[consumed..];
    }
    message.push_str(rest);
    // A repeated key: point at the repeat, not at the mapping that holds it.
    if let Some(key) = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|k| k.strip_suffix('"'))
        && let Some(second) = locate_keys(yaml, first_line)
            .into_iter()
            .filter(|k| k.name == key)
            .nth(1)
    {
        pos = second.pos;
    }
    (pos, humanise(&message))
}

/// serde names Rust types in its messages; writers know YAML's.
fn humanise(message: &str) -> String {
    ["i64", "u64", "u8", "i32", "u32", "usize"]
        .iter()
        .fold(message.to_string(), |m, t| {
            m.replace(&format!("expected {t}"), "expected an integer")
        })
}

fn locate_keys(yaml: &str, first_line: usize) -> Vec<KeyLoc> {
    let mut keys: Vec<KeyLoc> = Vec::new();
    let lines: Vec<&str> = yaml.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let top_level = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        let Some(colon) = line.find(':').filter(|_| top_level) else {
            continue;
        };
        if let Some(prev) = keys.last_mut() {
            prev.lines.1 = i;
        }
        let name = line[..colon].trim().trim_matches(['"', '\'']).to_string();
        keys.push(KeyLoc {
            name,
            pos: Pos::new(first_line + i, 1),
            lines: (i, lines.len()),
        });
    }
    keys
}

/// Byte offset of `needle` in `hay` where it stands as a whole YAML scalar.
fn find_token(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let boundary = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || matches!(c, '[' | ',' | '"' | '\''))
    };
    hay.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        boundary(before)
            && (after
                .is_none_or(|c| c.is_whitespace() || matches!(c, ']' | ',' | '"' | '\'' | '#')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_bad_key_with_its_line() {
        let yaml = "title: A\nthems: [x]\ndraft: maybe\n";
        let mut f = Fields::parse("a.md", yaml, 2).unwrap();
        let _: Option<String> = f.required("title");
        let _: Option<bool> = f.optional("draft");
        let _: Option<Vec<String>> = f.optional("themes");
        let _: Option<String> = f.required("summary");
        let diags = f.finish();
        let lines: Vec<_> = diags
            .iter()
            .map(|d| (d.pos.unwrap().line, d.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (
                    4,
                    "`draft`: invalid type: string \"maybe\", expected a boolean"
                ),
                (1, "missing required key `summary`"),
                (3, "unknown key `thems`"),
            ]
        );
        assert_eq!(diags[2].help.as_deref(), Some("did you mean `themes`?"));
    }

    #[test]
    fn finds_list_items_in_flow_and_block_style() {
        let yaml = "themes: [a-b, b]\ngroups:\n  - x\n  - b\n";
        let f = Fields::parse("a.md", yaml, 2).unwrap();
        assert_eq!(f.value_pos("themes", "b"), Pos::new(2, 15));
        assert_eq!(f.value_pos("groups", "b"), Pos::new(5, 5));
    }
}
