//! `data/indicators.yaml`: which rows and column of which gap file measure which outcome for
//! which group. Each entry is read key by key, so every bad key has its own line; the rows it
//! names are checked against the table once the tables are read.

use crate::diagnostic::{Code, Diagnostic, Pos, printable};
use crate::inputs::SourceFile;
use crate::names::indicator::IndicatorId;
use crate::resolve::frontmatter::Fields;
use crate::resolve::taxonomy::{
    GroupSlug, Kind as TaxonomyKind, OutcomeSlug, Taxonomies, Vocabulary,
};
use crate::resolve::yaml::Value;
use crate::suggest::did_you_mean;
use serde::Deserialize;
use std::collections::BTreeMap;

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
    /// `short_title`, or the title: what a council's at-a-glance row calls the indicator,
    /// so that eighteen rows fit a laptop's screen and a half.
    pub short_title: String,
    /// The gap file, relative to `data/`: `gaps/outcome-gaps.csv`.
    pub file: Spanned,
    pub column: Spanned,
    pub unit: String,
    pub higher_is_better: bool,
    pub outcome: OutcomeSlug,
    pub measures: Measures,
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

/// Which of the programme's groups an indicator measures: one, or several with the reason
/// each is named (DfE's "Child in need" rows match no single group), so that a page naming
/// several groups always has the words that say why.
#[derive(Debug, Clone)]
pub enum Measures {
    One(GroupSlug),
    Several {
        /// Two or more, none repeated, as written.
        groups: Vec<GroupSlug>,
        /// `groups_note`: why each group is named, from the source's own definition.
        why: String,
    },
}

impl Measures {
    /// Every group measured, the first as written first.
    pub fn groups(&self) -> &[GroupSlug] {
        match self {
            Measures::One(g) => std::slice::from_ref(g),
            Measures::Several { groups, .. } => groups,
        }
    }

    /// Why several groups are named; `None` for one.
    pub fn why(&self) -> Option<&str> {
        match self {
            Measures::One(_) => None,
            Measures::Several { why, .. } => Some(why),
        }
    }
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
        let root = crate::resolve::yaml::parse(rel, &file.text, 1).map_err(|d| vec![d])?;
        let items = match root.value {
            Value::Seq(items) => items,
            Value::Null => Vec::new(),
            _ => return Err(vec![not_a_list(rel, root.pos)]),
        };
        let mut out = Indicators::default();
        let mut diags = Vec::new();
        // Ids of every entry, good or bad, so a repeat is reported even if the first is wrong.
        let mut seen = std::collections::HashSet::new();
        for item in items {
            let id = item
                .entry("id")
                .and_then(|(_, v)| v.as_str())
                .map(str::to_string);
            let pos = item.pos;
            let mut f = match Fields::item(rel, item, pos) {
                Ok(f) => f,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            if let Some(id) = id.filter(|id| !seen.insert(id.clone())) {
                diags.push(Diagnostic::at(
                    Code::DuplicateIndicator,
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
            out.by_id
                .insert(entry.id.as_str().to_string(), out.list.len());
            out.list.push(entry);
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(diags)
        }
    }
}

fn not_a_list(rel: &str, pos: Pos) -> Diagnostic {
    Diagnostic::at(
        Code::NotAList,
        rel,
        pos,
        "expected a list of indicators, each starting with `- id: ...`",
    )
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
        if id == "page" {
            // `/local-authorities/<code>/page/2/` is a council's second page of documents.
            let p = f.value_pos("id", &id);
            f.error(
                Code::InvalidIndicatorId,
                p,
                "`page` cannot be an indicator id: a council's pages of documents use it".into(),
                Some("name the measure and the group instead, as in `ks2-rwm-fsm`".into()),
            );
            None
        } else if let Some(id) = IndicatorId::parse(&id) {
            Some(id)
        } else {
            let p = f.value_pos("id", &id);
            f.error(
                Code::InvalidIndicatorId,
                p,
                format!("`{id}` is not a valid indicator id (use a-z, 0-9 and -)"),
                None,
            );
            None
        }
    });
    let title: Option<String> = f.required("title");
    let short_title: Option<String> = f.optional("short_title");
    if short_title.as_deref().is_some_and(|s| s.trim().is_empty()) {
        let p = f.key_pos("short_title");
        f.error(
            Code::EmptyValue,
            p,
            "`short_title` is empty".into(),
            Some("write a few words (\"Age 11 reading, writing and maths: free school meals\"), or leave the key out to use the title".into()),
        );
    }
    let file = spanned(f, "file");
    let column = spanned(f, "indicator");
    let unit = f.required("unit");
    let higher_is_better = f.required("higher_is_better");
    let outcome = term(f, "outcome", &taxonomies.outcomes);
    let measures = measures(f, taxonomies);
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
            Code::InvalidTolerance,
            p,
            format!("`tolerance` must be zero or more, not {t}"),
            None,
        );
    }
    let note = f.optional("note");
    let source = f.optional("source");
    let source_url: Option<String> = f.optional("source_url");
    // The address becomes a link on every chart: only a web address, so that neither a
    // `javascript:` URL nor a stray quote reaches the page.
    let source_url = source_url.filter(|url| {
        let web = (url.starts_with("https://") || url.starts_with("http://"))
            && !url.contains(crate::resolve::config::not_in_a_url);
        if !web {
            let p = f.value_pos("source_url", url);
            f.error(
                Code::InvalidSourceUrl,
                p,
                format!("`source_url` `{}` is not a web address", printable(url)),
                Some(
                    "write the address of the source's page, starting with https://, with no \
                     spaces, quotes or angle brackets"
                        .into(),
                ),
            );
        }
        web
    });
    let licence = f.optional("licence");
    let filter = filter?;
    Some(Indicator {
        id: id?,
        short_title: short_title
            .filter(|s| !s.trim().is_empty())
            .or_else(|| title.clone())?,
        title: title?,
        file: file?,
        column: column?,
        unit: unit?,
        higher_is_better: higher_is_better?,
        outcome: outcome?,
        measures: measures?,
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

/// A filter value or a term's name as it reads inside a sentence: `All pupils` is "all pupils", but `SEN
/// support` keeps its capitals.
pub fn in_sentence(value: &str) -> String {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(value.chars().skip(1)).collect()
        }
        _ => value.to_string(),
    }
}

/// `group: slug`, or `groups: [a, b, ...]` with `groups_note` saying why each is named.
fn measures(f: &mut Fields, taxonomies: &Taxonomies) -> Option<Measures> {
    let one: Option<String> = f.optional("group");
    let several: Option<Vec<String>> = f.optional("groups");
    let why: Option<String> = f.optional("groups_note");
    let vocab = &taxonomies.groups;
    match (one, several) {
        (Some(_), Some(_)) => {
            let p = f.key_pos("groups");
            f.error(
                Code::ConflictingKeys,
                p,
                "both `group` and `groups` are given".into(),
                Some("keep `group` for one group, or list every group under `groups`".into()),
            );
            None
        }
        (None, None) => {
            let p = f.key_pos("group");
            f.error(
                Code::MissingRequiredKey,
                p,
                "missing required key `group`".into(),
                Some(
                    "name the group of children the indicator measures, such as `group: \
                     children-in-care`, or several as `groups: [a, b]` with a `groups_note`"
                        .into(),
                ),
            );
            None
        }
        (Some(g), None) => {
            if why.is_some() {
                let p = f.key_pos("groups_note");
                f.error(
                    Code::MisusedGroupsNote,
                    p,
                    "`groups_note` says why several groups are named, but `group` names one".into(),
                    Some("use `note` for a caveat about one group".into()),
                );
            }
            resolve_term(f, "group", &g, vocab).map(Measures::One)
        }
        (None, Some(list)) => {
            let mut groups = Vec::new();
            let mut ok = true;
            for s in &list {
                match resolve_term(f, "groups", s, vocab) {
                    Some(slug) if groups.contains(&slug) => {
                        let p = f.value_pos("groups", s);
                        f.error(
                            Code::DuplicateGroup,
                            p,
                            format!("group `{s}` is listed twice"),
                            None,
                        );
                        ok = false;
                    }
                    Some(slug) => groups.push(slug),
                    None => ok = false,
                }
            }
            if !ok {
                return None;
            }
            match (groups.len(), why) {
                (0, _) => {
                    let p = f.key_pos("groups");
                    f.error(Code::EmptyValue, p, "`groups` is empty".into(), None);
                    None
                }
                (1, None) => groups.pop().map(Measures::One),
                (1, Some(_)) => {
                    let p = f.key_pos("groups_note");
                    f.error(
                        Code::MisusedGroupsNote,
                        p,
                        "`groups_note` says why several groups are named, but `groups` names one"
                            .into(),
                        Some("use `note` for a caveat about one group".into()),
                    );
                    None
                }
                (_, Some(why)) => Some(Measures::Several { groups, why }),
                (_, None) => {
                    let p = f.key_pos("groups");
                    f.error(
                        Code::MissingGroupsNote,
                        p,
                        "an indicator naming several groups must say why".into(),
                        Some(
                            "add `groups_note:` with the source's definition of the group, \
                             saying why each group is named"
                                .into(),
                        ),
                    );
                    None
                }
            }
        }
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
) -> Option<crate::resolve::taxonomy::TermSlug<K>> {
    let s: String = f.required(key)?;
    resolve_term(f, key, &s, vocab)
}

/// The slug `s`, written under `key`, or an error there with the nearest slug.
fn resolve_term<K: TaxonomyKind>(
    f: &mut Fields,
    key: &'static str,
    s: &str,
    vocab: &Vocabulary<K>,
) -> Option<crate::resolve::taxonomy::TermSlug<K>> {
    match vocab.resolve(s) {
        Ok(slug) => Some(slug),
        Err(help) => {
            let pos = f.value_pos(key, s);
            f.error(
                K::UNKNOWN,
                pos,
                format!("unknown {} `{s}`", K::SINGULAR),
                help,
            );
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
}
