//! Reads one YAML mapping (a document's front matter, or `site.yaml`) key by key, so that
//! every bad key in it is reported with its own line, not just the first one serde meets.
//!
//! Each document kind asks for its keys with `required` and `optional`; the keys it asked for
//! are the schema, so `finish` can name every other key as unknown, with the nearest known key.

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::resolve::yaml::{self, Node, Value};
use crate::suggest::did_you_mean;
use serde::de::DeserializeOwned;

/// The keys of one mapping as the parser read them, and the errors found in them so far.
pub struct Fields<'a> {
    path: &'a str,
    entries: Vec<(Node, Node)>,
    asked: Vec<&'static str>,
    /// Keys whose value holds a placeholder, already reported (`placeholders`).
    held: Vec<String>,
    diags: Vec<Diagnostic>,
    /// Where a missing key is reported: the opening fence of front matter, or the first key
    /// of a list item.
    missing: Pos,
}

impl<'a> Fields<'a> {
    /// Parses `yaml`, whose first line is line `first_line` of the file at `path`.
    pub fn parse(path: &'a str, yaml: &str, first_line: usize) -> Result<Self, Diagnostic> {
        let node = yaml::parse(path, yaml, first_line)?;
        let fence = Pos::new(first_line.saturating_sub(1).max(1), 1);
        Fields::item(path, node, fence)
    }

    /// One mapping already parsed with its whole file (an item of a list of mappings, so
    /// that anchors and aliases resolve); a missing key is reported at `missing`.
    pub fn item(path: &'a str, node: Node, missing: Pos) -> Result<Self, Diagnostic> {
        let pos = node.pos;
        let entries = match node.value {
            Value::Map(entries) => entries,
            Value::Null => Vec::new(),
            _ => {
                return Err(Diagnostic::at(
                    Code::NotAMapping,
                    path,
                    pos,
                    "expected `key: value` lines",
                ));
            }
        };
        Ok(Fields {
            path,
            entries,
            asked: Vec::new(),
            held: Vec::new(),
            diags: Vec::new(),
            missing,
        })
    }

    /// The file the keys come from, as diagnostics name it.
    pub fn path(&self) -> &'a str {
        self.path
    }

    fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        self.entries.iter().find(|(k, _)| k.as_str() == Some(key))
    }

    /// A key that must be present; its absence is reported at the opening fence.
    pub fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        self.asked.push(key);
        if self.entry(key).is_none() {
            self.diags.push(Diagnostic::at(
                Code::MissingRequiredKey,
                self.path,
                self.missing,
                format!("missing required key `{key}`"),
            ));
            return None;
        }
        self.read(key)
    }

    /// A key that may be absent.
    pub fn optional<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        self.asked.push(key);
        self.entry(key)?;
        self.read(key)
    }

    fn read<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        if self.held.iter().any(|k| k == key) {
            return None;
        }
        let (k, value) = self.entry(key)?;
        let pos = k.pos;
        if value.is_null() {
            self.error(Code::EmptyValue, pos, format!("`{key}` has no value"), None);
            return None;
        }
        match value.read::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                let sequence_expected = std::any::type_name::<T>().contains("Vec<");
                let help = sequence_expected
                    .then(|| format!("write a list, such as `{key}: [first, second]`"));
                self.error(
                    Code::WrongType,
                    pos,
                    format!("`{key}`: {}", yaml::humanise(&e.to_string())),
                    help,
                );
                None
            }
        }
    }

    /// Reports every string in any key's value (itself or an item of its list) that
    /// `is_placeholder` accepts, each at its own position, with the message `message` gives
    /// for its key. Those keys then read as `None` with no error of their own, so that a
    /// placeholder where a number or a slug belongs is one error, not two.
    pub fn placeholders(
        &mut self,
        is_placeholder: fn(&str) -> bool,
        message: impl Fn(&str) -> String,
    ) {
        let mut found = Vec::new();
        for (k, v) in &self.entries {
            let items = match &v.value {
                Value::Seq(items) => items.as_slice(),
                _ => std::slice::from_ref(v),
            };
            for item in items {
                if let Some(key) = k
                    .as_str()
                    .filter(|_| item.as_str().is_some_and(is_placeholder))
                {
                    found.push((key.to_string(), item.pos));
                }
            }
        }
        for (key, pos) in found {
            self.error(Code::Placeholder, pos, message(&key), None);
            if !self.held.contains(&key) {
                self.held.push(key);
            }
        }
    }

    /// Records an error of kind `code` found while checking a value this reader gave out.
    pub fn error(&mut self, code: Code, pos: Pos, message: String, help: Option<String>) {
        self.diags
            .push(Diagnostic::at(code, self.path, pos, message).with_help(help));
    }

    /// Where `key` is written (the missing-key position if it is not).
    pub fn key_pos(&self, key: &str) -> Pos {
        self.entry(key).map_or(self.missing, |(k, _)| k.pos)
    }

    /// Where `value` (a list item, a scalar, or a key or value of a mapping) is written in
    /// the value of `key`, as the parser saw it.
    pub fn value_pos(&self, key: &str, value: &str) -> Pos {
        self.entry(key)
            .and_then(|(_, v)| v.find(value))
            .unwrap_or_else(|| self.key_pos(key))
    }

    /// Reports every key nobody asked for, and returns all errors found.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let unknown: Vec<(String, Pos)> = self
            .entries
            .iter()
            .map(|(k, _)| (k.to_string(), k.pos))
            .filter(|(k, _)| !self.asked.contains(&k.as_str()))
            .collect();
        for (key, pos) in unknown {
            let help = did_you_mean(&key, self.asked.iter().copied());
            self.error(Code::UnknownKey, pos, format!("unknown key `{key}`"), help);
        }
        self.diags
    }
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
        let yaml = "themes: [a-b, b]\ngroups:\n  - x\n  - b\nsummary: |\n  b\nslug: [a,\n   b]\n";
        let f = Fields::parse("a.md", yaml, 2).unwrap();
        assert_eq!(f.value_pos("themes", "b"), Pos::new(2, 15));
        assert_eq!(f.value_pos("groups", "b"), Pos::new(5, 5));
        assert_eq!(f.value_pos("slug", "b"), Pos::new(9, 4));
    }
}
