//! Every YAML file and front matter is read here: parsed by serde-saphyr within fixed budgets,
//! into a tree whose every key and value carries the position the parser gave it, so no
//! reader has to guess from the text where a value was written.
//!
//! The budgets make hostile input fail fast, at its line, in time linear in its size:
//! nesting deeper than [`MAX_DEPTH`] levels, more than [`MAX_NODES`] values, more than
//! [`MAX_ALIASES`] aliases, or aliases repeating more than [`MAX_REPLAYED`] parser events in
//! all is a diagnostic.

use crate::diagnostic::{Code, Diagnostic, LineIndex, Pos};
use serde::de::value::{Error as ValueError, MapDeserializer, SeqDeserializer};
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::{Error, ExternalMessageSource, MessageFormatter, Spanned};
use std::fmt;

mod mistakes;

/// The deepest nesting of lists and mappings, flow (`[[...]]`) or block, that ntg reads.
/// The content format needs four levels (an indicator's `filter: where:`); the limit keeps
/// the parser's work small and its recursion within a worker thread's stack.
pub const MAX_DEPTH: usize = 16;
/// The most keys and values (scalars, lists and mappings) one file may hold.
pub const MAX_NODES: usize = 250_000;
/// The most aliases (`*name`) one file may use.
pub const MAX_ALIASES: usize = 10_000;
/// The most parser events aliases may repeat in all: an anchored mapping of five keys costs
/// about a dozen each time it is used, and a billion-laughs bomb stops here.
pub const MAX_REPLAYED: usize = 10_000;

/// The parser's settings: budgets, and the YAML 1.2 core schema's booleans (`yes` and `no`
/// are strings, as the content format has always read them).
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_aliases = MAX_ALIASES;
    let mut alias_limits = serde_saphyr::Options::default().alias_limits;
    alias_limits.max_total_replayed_events = MAX_REPLAYED;
    serde_saphyr::options! {
        budget: Some(budget),
        alias_limits: alias_limits,
        strict_booleans: true,
    }
}

/// A YAML value and where it is written: for a scalar its first character, for a block list
/// its first `-`, for a mapping its first key.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts, in the file's lines (already moved past any lines before it).
    pub pos: Pos,
    /// What the node holds.
    pub value: Value,
}

/// What a node holds. Scalars are typed by the YAML 1.2 core schema (`2` is an integer,
/// `2008-05-14` and `yes` are strings, `~` and an empty value are null).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in the order written; the parser has refused repeated keys.
    Map(Vec<(Node, Node)>),
}

/// Parses `text`, whose first line is line `first_line` of the file at `path`, into a tree
/// whose positions are the file's.
pub fn parse(path: &str, text: &str, first_line: usize) -> Result<Node, Diagnostic> {
    let mut node: Node = serde_saphyr::from_str_with_options(text, options())
        .map_err(|e| diagnostic(path, text, &e, first_line))?;
    node.shift(first_line - 1);
    Ok(node)
}

/// Reads a whole file straight into `T` (whose fields may be `Spanned`), with the same
/// budgets and error wording as [`parse`].
pub fn from_str<T: DeserializeOwned>(path: &str, text: &str) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| diagnostic(path, text, &e, 1))
}

/// The file position of a `Spanned` value read by [`from_str`].
pub fn spanned_pos<T>(s: &Spanned<T>) -> Pos {
    location_pos(s.referenced, 1)
}

fn location_pos(l: serde_saphyr::Location, first_line: usize) -> Pos {
    let number = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    Pos::new(
        (number(l.line()) + first_line - 1).max(1),
        number(l.column()).max(1),
    )
}

/// A parser error as a diagnostic at its position in the file, in a writer's words. The
/// parser puts an error at the end of a text without a final line break on the line after
/// the last; it is shown at the end of the last line, where the writer's editor has it.
fn diagnostic(path: &str, text: &str, err: &Error, first_line: usize) -> Diagnostic {
    let end = LineIndex::new(text).pos(text.len());
    // In `text`'s own lines; moved to the file's at the end.
    let at = err.location().map_or(Pos::START, |l| {
        let pos = location_pos(l, 1);
        if pos.line > end.line { end } else { pos }
    });
    let in_file = |pos: Pos| Pos::new(pos.line + first_line - 1, pos.col);
    let mut inner = err;
    let mut through_alias = false;
    loop {
        match inner {
            Error::WithSnippet { error, .. } => inner = error,
            Error::AliasError { error, .. } => {
                through_alias = true;
                inner = error;
            }
            _ => break,
        }
    }
    if let Error::ExternalMessage { source, .. } = inner
        && let ExternalMessageSource::Parser(e) = source.as_ref()
        && let Some(m) = mistakes::explain(text, e.kind(), at, first_line)
    {
        return Diagnostic::at(m.code, path, in_file(m.pos), m.message).with_help(Some(m.help));
    }
    let (code, message, help) = words(inner, through_alias);
    Diagnostic::at(code, path, in_file(at), message).with_help(help)
}

/// The kind of a parser error, and what to tell the writer about it.
fn words(err: &Error, through_alias: bool) -> (Code, String, Option<String>) {
    // The parser counts brackets (`[`, `{`) alone, and stops at the first one past the limit
    // even before it sees the rest; the budget counts every level, indented ones too.
    let too_deep = |message: String| {
        (
            Code::YamlTooDeep,
            message,
            Some(format!(
                "ntg reads at most {MAX_DEPTH} levels of lists and mappings inside each other; \
                 close the brackets or flatten the value"
            )),
        )
    };
    let aliases = || {
        (
            Code::YamlAliasLimit,
            "YAML aliases expand too far".to_string(),
            Some(format!(
                "each alias (`*name`) repeats its anchor's whole value; a file may use at \
                 most {} aliases, and they may repeat at most {} keys, values and brackets \
                 in all",
                thousands(MAX_ALIASES),
                thousands(MAX_REPLAYED)
            )),
        )
    };
    match err {
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => {
                too_deep(format!("YAML is nested deeper than {MAX_DEPTH} levels"))
            }
            BudgetBreach::Nodes { .. } if through_alias => aliases(),
            BudgetBreach::Aliases { .. } => aliases(),
            BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => (
                Code::YamlTooLarge,
                format!("YAML holds more than {} values", thousands(MAX_NODES)),
                Some("split the file, or write fewer keys and list items".into()),
            ),
            other => (
                Code::YamlTooLarge,
                format!("YAML is larger than ntg reads ({other:?})"),
                Some("split the file into smaller ones".into()),
            ),
        },
        Error::ExternalMessage { source, .. }
            if matches!(source.as_ref(), ExternalMessageSource::Parser(e)
                if matches!(e.kind(), ErrorKind::RecursionLimitExceeded)) =>
        {
            too_deep(format!(
                "YAML has more than {MAX_DEPTH} brackets open at once"
            ))
        }
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => aliases(),
        // The library's own words name its API ("use from_str_multiple"), not the fix.
        Error::MultipleDocuments { .. } => (
            Code::MultipleYamlDocuments,
            "a second YAML document starts here: a `---` line before it ended the first, and \
             ntg reads one document a file"
                .into(),
            Some(
                "remove that `---` line (and any `...` line) and write what follows as keys of \
                 the one document"
                    .into(),
            ),
        ),
        Error::DuplicateMappingKey { key, .. } => (
            Code::DuplicateKey,
            match key {
                Some(k) => format!("malformed YAML: duplicate entry with key \"{k}\""),
                None => "malformed YAML: duplicate entry".into(),
            },
            Some("write each key once".into()),
        ),
        // Errors of a file read straight into a struct: serde's own words.
        Error::SerdeUnknownField { .. } => (
            Code::UnknownKey,
            humanise(&serde_saphyr::DefaultMessageFormatter.format_message(err)),
            None,
        ),
        Error::SerdeMissingField { .. } => (
            Code::MissingRequiredKey,
            humanise(&serde_saphyr::DefaultMessageFormatter.format_message(err)),
            None,
        ),
        Error::SerdeInvalidType { .. }
        | Error::SerdeInvalidValue { .. }
        | Error::SerdeInvalidLength { .. }
        | Error::SerdeUnknownVariant { .. }
        | Error::InvalidBooleanStrict { .. }
        | Error::Message { .. } => (
            Code::WrongType,
            humanise(&serde_saphyr::DefaultMessageFormatter.format_message(err)),
            None,
        ),
        Error::InvalidScalar { ty, .. } => (
            Code::WrongType,
            humanise(&format!("invalid value, expected {ty}")),
            None,
        ),
        _ => (
            Code::InvalidYaml,
            format!(
                "malformed YAML: {}",
                serde_saphyr::DefaultMessageFormatter.format_message(err)
            ),
            None,
        ),
    }
}

/// serde names Rust types in its messages; writers know YAML's.
pub fn humanise(message: &str) -> String {
    ["i64", "u64", "u8", "i32", "u32", "usize"]
        .iter()
        .fold(message.to_string(), |m, t| {
            m.replace(&format!("expected {t}"), "expected an integer")
        })
}

/// `10000` as a message writes it: `10,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Node {
    fn shift(&mut self, lines: usize) {
        self.pos.line += lines;
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.shift(lines)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.shift(lines);
                v.shift(lines);
            }),
            _ => {}
        }
    }

    /// `~`, `null` or nothing at all: a key written without a value.
    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }

    /// The text of a string scalar; `None` for numbers, booleans, lists and mappings.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A mapping's entries; `None` for anything else.
    pub fn entries(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The entry of a mapping whose key is the string `key`.
    pub fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
    }

    /// Where the first scalar under this node (itself, a list item, a key or a value of a
    /// mapping, in the order written) that reads as `text` is written.
    pub fn find(&self, text: &str) -> Option<Pos> {
        match &self.value {
            Value::Seq(items) => items.iter().find_map(|n| n.find(text)),
            Value::Map(entries) => entries
                .iter()
                .find_map(|(k, v)| k.find(text).or_else(|| v.find(text))),
            _ => (self.to_string() == text).then_some(self.pos),
        }
    }

    /// Reads this node as `T`, with serde's words for a mismatch
    /// (`invalid type: string "maybe", expected a boolean`).
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, ValueError> {
        T::deserialize(self)
    }
}

/// The node as written in flow style: what a message quotes of a key or value.
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::UInt(u) => write!(f, "{u}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => f.write_str(s),
            Value::Seq(items) => {
                f.write_str("[")?;
                for (i, n) in items.iter().enumerate() {
                    write!(f, "{}{n}", if i == 0 { "" } else { ", " })?;
                }
                f.write_str("]")
            }
            Value::Map(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    write!(f, "{}{k}: {v}", if i == 0 { "" } else { ", " })?;
                }
                f.write_str("}")
            }
        }
    }
}

/// Positions come from serde-saphyr's `Spanned`: each node asks for its own span.
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        let s = Spanned::<Value>::deserialize(d)?;
        Ok(Node {
            pos: location_pos(s.referenced, 1),
            value: s.value,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::UInt(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element()? {
            items.push(n);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key()? {
            entries.push((k, map.next_value()?));
        }
        Ok(Value::Map(entries))
    }
}

/// A node is read into typed fields the way serde reads any self-describing format.
impl<'de> Deserializer<'de> for &'de Node {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ValueError> {
        match &self.value {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Int(i) => v.visit_i64(*i),
            Value::UInt(u) => v.visit_u64(*u),
            Value::Float(x) => v.visit_f64(*x),
            Value::Str(s) => v.visit_borrowed_str(s),
            Value::Seq(items) => {
                let mut seq = SeqDeserializer::new(items.iter());
                let out = v.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(out)
            }
            Value::Map(entries) => {
                let mut map = MapDeserializer::new(entries.iter().map(|(k, v)| (k, v)));
                let out = v.visit_map(&mut map)?;
                map.end()?;
                Ok(out)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ValueError> {
        if self.is_null() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

impl<'de> IntoDeserializer<'de, ValueError> for &'de Node {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_has_the_parsers_position() {
        let yaml = "themes: [a-b,\n  b]\ngroups:\n  - x\n  - \"b\"\nd: |\n  one\n  two\nz: 2\n";
        let n = parse("a.md", yaml, 2).unwrap();
        assert_eq!(n.entry("themes").unwrap().1.find("b"), Some(Pos::new(3, 3)));
        assert_eq!(n.entry("groups").unwrap().1.find("b"), Some(Pos::new(6, 5)));
        assert_eq!(n.entry("z").unwrap().0.pos, Pos::new(10, 1));
        assert_eq!(n.entry("z").unwrap().1.read::<i64>().unwrap(), 2);
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let n = parse("site.yaml", "\u{feff}a: 1\nb: [x, y]\n", 1).unwrap();
        assert_eq!(n.entry("a").unwrap().0.pos, Pos::new(1, 1));
        assert_eq!(n.entry("b").unwrap().1.find("y"), Some(Pos::new(2, 8)));
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let n = parse("a.md", "a: yes\nb: 2008-05-14\nc: 2\nd:\ne: 123\n", 1).unwrap();
        let get = |k: &str| n.entry(k).unwrap().1.clone();
        assert_eq!(get("a").value, Value::Str("yes".into()));
        assert_eq!(get("b").value, Value::Str("2008-05-14".into()));
        assert!(get("d").is_null());
        let err = get("e").read::<String>().unwrap_err().to_string();
        assert_eq!(err, "invalid type: integer `123`, expected a string");
        let err = get("a").read::<bool>().unwrap_err().to_string();
        assert_eq!(err, "invalid type: string \"yes\", expected a boolean");
    }

    #[test]
    fn budgets_are_diagnostics_at_their_line() {
        let deep = format!("a: 1\nb: {}\n", "[".repeat(100_000));
        let d = parse("s.yaml", &deep, 1).unwrap_err();
        assert_eq!(d.pos, Some(Pos::new(2, 4 + MAX_DEPTH)));
        assert_eq!(d.message, "YAML has more than 16 brackets open at once");
        let block: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let d = parse("s.yaml", &block, 1).unwrap_err();
        assert_eq!(d.message, "YAML is nested deeper than 16 levels");
        assert_eq!(d.pos.unwrap().line, MAX_DEPTH + 1);
    }

    #[test]
    fn numbers_in_messages_have_thousands_separators() {
        assert_eq!(thousands(250_000), "250,000");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn nesting_up_to_the_limit_is_read() {
        // A test thread has the same small stack as the build's worker threads.
        let flow = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let mut n = &parse("s.yaml", &flow, 1).unwrap();
        for _ in 1..MAX_DEPTH {
            let Value::Seq(items) = &n.value else {
                panic!("expected a list, found {n}");
            };
            n = &items[0];
        }
        assert_eq!(n.value, Value::Seq(Vec::new()));
        let block: String = (0..MAX_DEPTH)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(parse("s.yaml", &block, 1).is_ok());
    }
}
