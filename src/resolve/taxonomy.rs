//! The controlled vocabularies of `data/taxonomies.yaml`: themes, groups, outcomes and
//! evidence levels. A slug of one vocabulary is a different type from a slug of another.

use crate::diagnostic::{Code, Diagnostic};
use crate::inputs::SourceFile;
use crate::resolve::yaml::spanned_pos;
use crate::suggest::did_you_mean;
use serde::{Deserialize, Serialize, Serializer};
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

/// What distinguishes one vocabulary from another at the type level.
pub trait Kind:
    fmt::Debug
    + Clone
    + Copy
    + PartialEq
    + Eq
    + std::hash::Hash
    + PartialOrd
    + Ord
    + Send
    + Sync
    + 'static
{
    /// The key in taxonomies.yaml and front matter, and the URL section: `themes`.
    const KEY: &'static str;
    /// How a page names one term of it: `theme`.
    const SINGULAR: &'static str;
    /// The code of a term that is not in it.
    const UNKNOWN: Code;
}

macro_rules! kinds {
    ($($kind:ident = $key:literal, $singular:literal, $unknown:ident;)*) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $kind {}
        impl Kind for $kind {
            const KEY: &'static str = $key;
            const SINGULAR: &'static str = $singular;
            const UNKNOWN: Code = Code::$unknown;
        }
    )*};
}

kinds! {
    ThemeKind = "themes", "theme", UnknownTheme;
    GroupKind = "groups", "group", UnknownGroup;
    OutcomeKind = "outcomes", "outcome", UnknownOutcome;
}

/// A slug known to be defined in its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermSlug<K>(String, PhantomData<K>);

pub type ThemeSlug = TermSlug<ThemeKind>;
pub type GroupSlug = TermSlug<GroupKind>;
pub type OutcomeSlug = TermSlug<OutcomeKind>;

impl<K> TermSlug<K> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<K> fmt::Display for TermSlug<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<K> Serialize for TermSlug<K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[derive(Debug, Clone)]
pub struct Term<K> {
    pub slug: TermSlug<K>,
    pub name: String,
    pub description: Option<String>,
}

/// One vocabulary, in the order the file gives (which is the order pages list them in).
#[derive(Debug)]
pub struct Vocabulary<K> {
    terms: Vec<Term<K>>,
    index: HashMap<String, usize>,
}

impl<K: Kind> Vocabulary<K> {
    pub fn terms(&self) -> &[Term<K>] {
        &self.terms
    }

    pub fn get(&self, slug: &TermSlug<K>) -> &Term<K> {
        &self.terms[self.index[slug.as_str()]]
    }

    /// Position of a term in file order, for sorting by the vocabulary's own order.
    pub fn rank(&self, slug: &TermSlug<K>) -> usize {
        self.index[slug.as_str()]
    }

    /// The slug if defined, else the help line suggesting the nearest one.
    pub fn resolve(&self, s: &str) -> Result<TermSlug<K>, Option<String>> {
        match self.index.get(s) {
            Some(&i) => Ok(self.terms[i].slug.clone()),
            None => Err(did_you_mean(s, self.terms.iter().map(|t| t.slug.as_str()))),
        }
    }
}

/// An evidence level number defined in taxonomies.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Level(u8);

impl Level {
    pub fn get(self) -> u8 {
        self.0
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceLevel {
    pub level: u8,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug)]
pub struct Taxonomies {
    pub themes: Vocabulary<ThemeKind>,
    pub groups: Vocabulary<GroupKind>,
    pub outcomes: Vocabulary<OutcomeKind>,
    pub evidence_levels: Vec<EvidenceLevel>,
}

impl Taxonomies {
    pub fn level(&self, n: i64) -> Result<Level, Option<String>> {
        match self
            .evidence_levels
            .iter()
            .find(|l| i64::from(l.level) == n)
        {
            Some(l) => Ok(Level(l.level)),
            None => {
                let known: Vec<String> = self
                    .evidence_levels
                    .iter()
                    .map(|l| format!("{} ({})", l.level, l.name))
                    .collect();
                Err(Some(format!("evidence levels are {}", known.join(", "))))
            }
        }
    }

    pub fn level_info(&self, level: Level) -> &EvidenceLevel {
        self.evidence_levels
            .iter()
            .find(|l| l.level == level.0)
            .expect("a Level is only made for a defined level")
    }

    /// A level as pages and search results word it: "Evidence level 2: Promising".
    pub fn level_text(&self, level: Level) -> String {
        let info = self.level_info(level);
        format!("Evidence level {}: {}", info.level, info.name)
    }

    /// Reads data/taxonomies.yaml, reporting every problem in it.
    pub fn parse(file: &SourceFile) -> Result<Taxonomies, Vec<Diagnostic>> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawTerm {
            slug: Spanned<String>,
            name: String,
            #[serde(default)]
            description: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            themes: Vec<RawTerm>,
            groups: Vec<RawTerm>,
            outcomes: Vec<RawTerm>,
            evidence_levels: Vec<RawLevel>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawLevel {
            level: Spanned<u8>,
            name: String,
            #[serde(default)]
            description: Option<String>,
        }
        let raw: Raw =
            crate::resolve::yaml::from_str(&file.rel, &file.text).map_err(|d| vec![d])?;
        let mut diags = Vec::new();
        fn vocabulary<K: Kind>(
            raw: Vec<RawTerm>,
            file: &SourceFile,
            diags: &mut Vec<Diagnostic>,
        ) -> Vocabulary<K> {
            let mut terms = Vec::new();
            let mut index = HashMap::new();
            for t in raw {
                let pos = Some(spanned_pos(&t.slug));
                let slug = t.slug.value;
                if !crate::names::is_slug(&slug) {
                    diags.push(Diagnostic::new(
                        Code::InvalidTermSlug,
                        &file.rel,
                        pos,
                        format!(
                            "`{slug}` is not a valid {} slug (use a-z, 0-9 and -)",
                            K::SINGULAR
                        ),
                    ));
                    continue;
                }
                if index.insert(slug.clone(), terms.len()).is_some() {
                    diags.push(Diagnostic::new(
                        Code::DuplicateTerm,
                        &file.rel,
                        pos,
                        format!("{} `{slug}` is defined twice", K::SINGULAR),
                    ));
                    continue;
                }
                terms.push(Term {
                    slug: TermSlug(slug, PhantomData),
                    name: t.name,
                    description: t.description,
                });
            }
            Vocabulary { terms, index }
        }
        let mut levels: Vec<EvidenceLevel> = Vec::with_capacity(raw.evidence_levels.len());
        for l in raw.evidence_levels {
            let level = l.level.value;
            if levels.iter().any(|seen| seen.level == level) {
                diags.push(Diagnostic::new(
                    Code::DuplicateTerm,
                    &file.rel,
                    Some(spanned_pos(&l.level)),
                    format!("evidence level `{level}` is defined twice"),
                ));
            }
            levels.push(EvidenceLevel {
                level,
                name: l.name,
                description: l.description,
            });
        }
        let tax = Taxonomies {
            themes: vocabulary(raw.themes, file, &mut diags),
            groups: vocabulary(raw.groups, file, &mut diags),
            outcomes: vocabulary(raw.outcomes, file, &mut diags),
            evidence_levels: levels,
        };
        if diags.is_empty() {
            Ok(tax)
        } else {
            Err(diags)
        }
    }
}
