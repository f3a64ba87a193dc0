//! `data/indicators.yaml`: which rows and column of which gap file measure which outcome for
//! which group. Each entry is read key by key, so every bad key has its own line; the rows it
//! names are checked against the table once the tables are read.

use crate::diagnostic::{Diagnostic, Pos};
use crate::frontmatter::Fields;
use crate::source::SourceFile;
use crate::suggest::did_you_mean;
use crate::taxonomy::{GroupSlug, Kind as TaxonomyKind, OutcomeSlug, Taxonomies, Vocabulary};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The id of an indicator defined in indicators.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct IndicatorId(String);

impl IndicatorId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IndicatorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value from the YAML with where it was written, for checks made against a table.
#[derive(Debug, Clone)]
pub struct Spanned {
    pub value: String,
    pub pos: Pos,
}

/// Which rows of the table an indicator reads.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Other filter columns held fixed.
    pub fixed: Vec<(Spanned, Spanned)>,
    /// The filter column that tells the group from the comparison.
    pub column: Spanned,
    pub group: Spanned,
    pub comparison: Spanned,
}

/// One entry of indicators.yaml, checked against the vocabularies.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: IndicatorId,
    pub title: String,
    /// The gap file, relative to `data/`: `gaps/outcome-gaps.csv`.
    pub file: Spanned,
    pub column: Spanned,
    pub unit: String,
    pub higher_is_better: bool,
    pub outcome: OutcomeSlug,
    pub group: GroupSlug,
    pub filter: Filter,
    /// How pages name the two series.
    pub group_label: String,
    pub comparison_label: String,
    /// Changes and differences of the gap smaller than this, in the indicator's unit, count
    /// as holding steady or similar.
    pub tolerance: f64,
    pub note: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub licence: Option<String>,
}

/// The default `tolerance`: a gap that moved by less than one point (or percentage point)
/// over the period has held.
pub const DEFAULT_TOLERANCE: f64 = 1.0;

/// Every indicator by id, in file order.
#[derive(Debug, Default)]
pub struct Indicators {
    pub list: Vec<Indicator>,
    by_id: BTreeMap<String, usize>,
}

impl Indicators {
    pub fn index(&self, id: &IndicatorId) -> usize {
        self.by_id[id.as_str()]
    }

    /// Resolves an id a document names, or says what it may have meant.
    pub fn resolve(&self, s: &str) -> Result<IndicatorId, Option<String>> {
        match self.by_id.get(s) {
            Some(&i) => Ok(self.list[i].id.clone()),
            None => Err(did_you_mean(s, self.by_id.keys().map(String::as_str))),
        }
    }

    /// Reads indicators.yaml, reporting every problem in every entry.
    pub fn parse(
        file: &SourceFile,
        taxonomies: &Taxonomies,
    ) -> Result<Indicators, Vec<Diagnostic>> {
        let rel = file.rel.as_str();
        let values = match serde_yaml::from_str::<serde_yaml::Value>(&file.text) {
            Err(e) => {
                let (pos, message) = crate::frontmatter::yaml_error(&e, &file.text, 1);
                return Err(vec![Diagnostic::at(
                    rel,
                    pos,
                    format!("malformed YAML: {message}"),
                )]);
            }
            Ok(serde_yaml::Value::Sequence(v)) => v,
            Ok(serde_yaml::Value::Null) => Vec::new(),
            Ok(_) => return Err(vec![not_a_list(rel)]),
        };
        let items = items(&file.text);
        if items.len() != values.len() {
            return Err(vec![not_a_list(rel)]);
        }
        let mut out = Indicators::default();
        let mut diags = Vec::new();
        // Ids of every entry, good or bad, so a repeat is reported even if the first is wrong.
        let mut seen = std::collections::HashSet::new();
        for (item, value) in items.iter().zip(values) {
            let id = value.get("id").and_then(|v| v.as_str()).map(str::to_string);
            let mut f = match Fields::item(rel, &item.yaml, value, item.line, item.indent) {
                Ok(f) => f,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            if let Some(id) = id.filter(|id| !seen.insert(id.clone())) {
                diags.push(Diagnostic::at(
                    rel,
                    f.value_pos("id", &id),
                    format!("indicator `{id}` is defined twice"),
                ));
                continue;
            }
            let entry = read_entry(&mut f, taxonomies);
            let errors = f.finish();
            let failed = !errors.is_empty();
            diags.extend(errors);
            let Some(entry) = entry.filter(|_| !failed) else {
                continue;
            };
            out.by_id.insert(entry.id.0.clone(), out.list.len());
            out.list.push(entry);
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(diags)
        }
    }
}

fn not_a_list(rel: &str) -> Diagnostic {
    Diagnostic::at(
        rel,
        Pos::START,
        "expected a list of indicators, each starting with `- id: ...` at the start of a line",
    )
}

struct Item {
    yaml: String,
    line: usize,
    indent: usize,
}

/// Splits a top-level YAML list into its items, each with its first line and indentation.
fn items(text: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line
            .strip_prefix('-')
            .filter(|r| r.is_empty() || r.starts_with(' '))
        {
            let indent = 1 + rest.len() - rest.trim_start().len();
            items.push(Item {
                yaml: format!("{}\n", rest.trim_start()),
                line: i + 1,
                indent: if rest.trim().is_empty() { 2 } else { indent },
            });
        } else if let Some(item) = items.last_mut() {
            let body = match line.get(..item.indent) {
                Some(lead) if lead.trim().is_empty() => &line[item.indent..],
                _ => line.trim_start(),
            };
            // A comment or blank line between items belongs to neither.
            let top_comment = line.starts_with('#');
            item.yaml.push_str(if top_comment { "" } else { body });
            item.yaml.push('\n');
        }
    }
    items
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFilter {
    #[serde(default, rename = "where")]
    fixed: BTreeMap<String, String>,
    column: String,
    group: String,
    comparison: String,
}

fn read_entry(f: &mut Fields, taxonomies: &Taxonomies) -> Option<Indicator> {
    let id: Option<String> = f.required("id");
    let id = id.and_then(|id| {
        if crate::content::is_slug(&id) {
            Some(IndicatorId(id))
        } else {
            let p = f.value_pos("id", &id);
            f.error(
                p,
                format!("`{id}` is not a valid indicator id (use a-z, 0-9 and -)"),
                None,
            );
            None
        }
    });
    let title = f.required("title");
    let file = spanned(f, "file");
    let column = spanned(f, "indicator");
    let unit = f.required("unit");
    let higher_is_better = f.required("higher_is_better");
    let outcome = term(f, "outcome", &taxonomies.outcomes);
    let group = term(f, "group", &taxonomies.groups);
    let raw_filter: Option<RawFilter> = f.required("filter");
    let filter = raw_filter.map(|r| {
        let at = |f: &Fields, v: String| Spanned {
            pos: f.value_pos("filter", &v),
            value: v,
        };
        Filter {
            fixed: r
                .fixed
                .into_iter()
                .map(|(k, v)| (at(f, k), at(f, v)))
                .collect(),
            column: at(f, r.column),
            group: at(f, r.group),
            comparison: at(f, r.comparison),
        }
    });
    let group_label = f.optional("group_label");
    let comparison_label = f.optional("comparison_label");
    let tolerance: Option<f64> = f.optional("tolerance");
    if let Some(t) = tolerance.filter(|t| !(t.is_finite() && *t >= 0.0)) {
        let p = f.key_pos("tolerance");
        f.error(
            p,
            format!("`tolerance` must be zero or more, not {t}"),
            None,
        );
    }
    let note = f.optional("note");
    let source = f.optional("source");
    let source_url = f.optional("source_url");
    let licence = f.optional("licence");
    let filter = filter?;
    Some(Indicator {
        id: id?,
        title: title?,
        file: file?,
        column: column?,
        unit: unit?,
        higher_is_better: higher_is_better?,
        outcome: outcome?,
        group: group?,
        group_label: group_label.unwrap_or_else(|| in_sentence(&filter.group.value)),
        comparison_label: comparison_label.unwrap_or_else(|| in_sentence(&filter.comparison.value)),
        filter,
        tolerance: tolerance.unwrap_or(DEFAULT_TOLERANCE),
        note,
        source,
        source_url,
        licence,
    })
}

/// A filter value as it reads inside a sentence: `All pupils` is "all pupils", but `SEN
/// support` keeps its capitals.
fn in_sentence(value: &str) -> String {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(value.chars().skip(1)).collect()
        }
        _ => value.to_string(),
    }
}

fn spanned(f: &mut Fields, key: &'static str) -> Option<Spanned> {
    let value: String = f.required(key)?;
    Some(Spanned {
        pos: f.value_pos(key, &value),
        value,
    })
}

fn term<K: TaxonomyKind>(
    f: &mut Fields,
    key: &'static str,
    vocab: &Vocabulary<K>,
) -> Option<crate::taxonomy::TermSlug<K>> {
    let s: String = f.required(key)?;
    match vocab.resolve(&s) {
        Ok(slug) => Some(slug),
        Err(help) => {
            let pos = f.value_pos(key, &s);
            f.error(pos, format!("unknown {} `{s}`", K::SINGULAR), help);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_read_in_a_sentence() {
        assert_eq!(in_sentence("All pupils"), "all pupils");
        assert_eq!(in_sentence("SEN support"), "SEN support");
    }

    #[test]
    fn items_keep_their_lines_and_indentation() {
        let text = "# intro\n- id: a\n  title: A\n\n# between\n-   id: b\n    title: B\n";
        let items = items(text);
        assert_eq!(items.len(), 2);
        assert_eq!((items[0].line, items[0].indent), (2, 2));
        assert_eq!(items[0].yaml, "id: a\ntitle: A\n\n\n");
        assert_eq!((items[1].line, items[1].indent), (6, 4));
        assert_eq!(items[1].yaml, "id: b\ntitle: B\n");
    }
}
