//! Documents: their kinds, the typed front matter of each, and reading them from disk.

pub mod placeholder;
mod read;
mod refs;
mod section_index;
pub mod split;

pub use read::{Lookups, read_document, read_home};
pub use refs::{cross_check, unpublished_refs};
pub use section_index::{INDEX_FILE, SectionIndex, read_section_index};

use crate::diagnostic::{Diagnostic, Pos};
use crate::names::date::Date;
use crate::names::{is_slug, slug};
use crate::resolve::authorities::LaCode;
use crate::resolve::taxonomy::{GroupSlug, Level, OutcomeSlug, ThemeSlug};
use serde::Serialize;
use std::fmt;

/// A slug for a document made from `s` (a title, a file name): `names::slug` (accents folded,
/// what cannot be folded dropped) kept to at most `MAX_SLUG_BYTES`, cut at a hyphen where it
/// can be, so what `ntg new` writes and what `check` suggests always passes `DocSlug::check`.
/// Empty if nothing of `s` folds to an ASCII letter or digit.
pub fn doc_slug(s: &str) -> String {
    let mut out = String::new();
    for w in slug(s).split('-') {
        let sep = usize::from(!out.is_empty());
        if out.len() + sep + w.len() > MAX_SLUG_BYTES {
            if out.is_empty() {
                out = w[..MAX_SLUG_BYTES].to_string();
            }
            break;
        }
        if sep == 1 {
            out.push('-');
        }
        out.push_str(w);
    }
    out
}

/// A document slug: valid characters, unique within its section.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct DocSlug(String);

/// The longest slug, in bytes. A slug is one segment of its page's path, and file systems
/// take at most 255 bytes a segment; 200 keeps a margin, and makes a file name that is too
/// long an error here rather than at the file system.
pub const MAX_SLUG_BYTES: usize = 200;

/// Why a string cannot be a document's slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugError {
    /// Characters other than `a-z0-9` and single inner hyphens, or nothing at all.
    Characters,
    /// More than `MAX_SLUG_BYTES` bytes long (this many).
    TooLong(usize),
}

impl DocSlug {
    /// `s` as a slug, if its characters and length allow.
    pub fn parse(s: &str) -> Option<DocSlug> {
        DocSlug::check(s).ok()
    }

    /// `parse`, saying why a string is refused.
    pub fn check(s: &str) -> Result<DocSlug, SlugError> {
        if !is_slug(s) {
            Err(SlugError::Characters)
        } else if s.len() > MAX_SLUG_BYTES {
            Err(SlugError::TooLong(s.len()))
        } else {
            Ok(DocSlug(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A reference to another document, kept with where it was written for later checks.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

/// The folders of `content/`, each a kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    CaseStudies,
    Hypotheses,
    Evidence,
    Pages,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::CaseStudies,
        Section::Hypotheses,
        Section::Evidence,
        Section::Pages,
    ];

    /// The folder under content/, and (but for pages) the URL section.
    pub fn dir(self) -> &'static str {
        match self {
            Section::CaseStudies => "case-studies",
            Section::Hypotheses => "hypotheses",
            Section::Evidence => "evidence",
            Section::Pages => "pages",
        }
    }

    /// The listed sections, in the order the site presents them.
    pub const LISTED: [Section; 3] = [Section::CaseStudies, Section::Hypotheses, Section::Evidence];

    /// The search facet and template value: `case-study`.
    pub fn type_name(self) -> &'static str {
        match self {
            Section::CaseStudies => "case-study",
            Section::Hypotheses => "hypothesis",
            Section::Evidence => "evidence",
            Section::Pages => "page",
        }
    }

    /// What one document of the section is called on pages and in search results.
    pub fn type_label(self) -> &'static str {
        match self {
            Section::CaseStudies => "Case study",
            Section::Hypotheses => "Hypothesis",
            Section::Evidence => "Evidence submission",
            Section::Pages => "Page",
        }
    }

    /// The section's name: in navigation and breadcrumbs, and the heading of its listing page
    /// unless its `_index.md` gives a `title`.
    pub fn title(self) -> &'static str {
        match self {
            Section::CaseStudies => "Case studies",
            Section::Hypotheses => "Hypotheses",
            Section::Evidence => "Call for evidence submissions",
            Section::Pages => "Pages",
        }
    }

    pub fn url(self) -> String {
        format!("/{}/", self.dir())
    }

    pub fn doc_url(self, slug: &DocSlug) -> String {
        match self {
            Section::Pages => format!("/{slug}/"),
            _ => format!("/{}/{slug}/", self.dir()),
        }
    }
}

/// Declares a closed set of front-matter words with their spelling in YAML.
macro_rules! words {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|w| w.as_str() == s)
            }
        }
    };
}

words! {
    /// Where a hypothesis stands after councils have reality-checked it.
    HypothesisStatus {
        Proposed = "proposed",
        Testing = "testing",
        Supported = "supported",
        Mixed = "mixed",
        Refuted = "refuted",
    }
}

words! {
    /// Where a call-for-evidence submission is in its review.
    EvidenceStatus {
        Received = "received",
        UnderReview = "under-review",
        Accepted = "accepted",
        NotTakenForward = "not-taken-forward",
    }
}

/// What every document kind may carry.
#[derive(Debug, Clone)]
pub struct Common {
    pub title: String,
    pub summary: Option<String>,
    /// Where `summary` is written (line 1 when it is not).
    pub summary_pos: Pos,
    pub date: Option<Date>,
    pub slug: DocSlug,
    /// Where the slug is written: its `slug` key, or line 1 when it is the file name.
    pub slug_pos: Pos,
    pub draft: bool,
    pub themes: Vec<ThemeSlug>,
    pub groups: Vec<GroupSlug>,
    pub outcomes: Vec<OutcomeSlug>,
    pub weight: i64,
}

#[derive(Debug, Clone)]
pub struct CaseStudy {
    pub date: Date,
    pub local_authorities: Vec<LaCode>,
    pub evidence_level: Level,
    pub supports: Vec<Located<DocSlug>>,
    pub challenges: Vec<Located<DocSlug>>,
    pub indicators: Vec<crate::names::indicator::IndicatorId>,
    /// Where `indicators` is written (line 1 when it is not).
    pub indicators_pos: Pos,
    pub age_range: Option<String>,
    pub organisation: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Hypothesis {
    pub status: HypothesisStatus,
    /// Where `status` is written.
    pub status_pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Evidence {
    pub date: Date,
    pub organisation: String,
    pub status: EvidenceStatus,
    pub evidence_level: Level,
    pub hearing: bool,
    pub promoted_to: Option<Located<DocSlug>>,
    pub local_authorities: Vec<LaCode>,
}

#[derive(Debug, Clone)]
pub enum Kind {
    CaseStudy(CaseStudy),
    Hypothesis(Hypothesis),
    Evidence(Evidence),
    Page,
}

impl Kind {
    /// Where a hypothesis or submission stands, as pages and search results word it:
    /// "Status: Under review".
    pub fn status_text(&self) -> Option<String> {
        let word = match self {
            Kind::Hypothesis(h) => h.status.as_str(),
            Kind::Evidence(e) => e.status.as_str(),
            Kind::CaseStudy(_) | Kind::Page => return None,
        };
        Some(format!("Status: {}", crate::names::label(word)))
    }

    pub fn section(&self) -> Section {
        match self {
            Kind::CaseStudy(_) => Section::CaseStudies,
            Kind::Hypothesis(_) => Section::Hypotheses,
            Kind::Evidence(_) => Section::Evidence,
            Kind::Page => Section::Pages,
        }
    }

    pub fn local_authorities(&self) -> &[LaCode] {
        match self {
            Kind::CaseStudy(c) => &c.local_authorities,
            Kind::Evidence(e) => &e.local_authorities,
            _ => &[],
        }
    }
}

/// One markdown file of `content/`, read and typed.
#[derive(Debug)]
pub struct Document {
    /// Path relative to the site root, for diagnostics.
    pub path: String,
    /// The file's text; the body starts at `body_offset`.
    pub text: String,
    pub body_offset: usize,
    pub common: Common,
    pub kind: Kind,
    /// Site-root URL path: `/case-studies/slug/`.
    pub url: String,
}

impl Document {
    pub fn section(&self) -> Section {
        self.kind.section()
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// The text of a document that could not be read but whose body could be told from its
/// front matter, so that the body's links are still checked: one error does not hide another.
#[derive(Debug, Clone)]
pub struct UnreadBody {
    pub text: String,
    pub body_offset: usize,
}

/// A document that could not be read: why, and its body where there is one.
#[derive(Debug)]
pub struct Unread {
    pub diags: Vec<Diagnostic>,
    pub body: Option<Box<UnreadBody>>,
}

impl From<Vec<Diagnostic>> for Unread {
    fn from(diags: Vec<Diagnostic>) -> Unread {
        Unread { diags, body: None }
    }
}

/// `content/_index.md`: the home page's own words.
#[derive(Debug)]
pub struct Home {
    pub path: String,
    pub text: String,
    pub body_offset: usize,
    pub title: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        let longest = "a".repeat(MAX_SLUG_BYTES);
        assert!(DocSlug::parse(&longest).is_some());
        assert_eq!(
            DocSlug::check(&format!("{longest}b")),
            Err(SlugError::TooLong(MAX_SLUG_BYTES + 1))
        );
        assert_eq!(DocSlug::check("a_b"), Err(SlugError::Characters));
        assert_eq!(doc_slug("Café in Hackney: é/ü"), "cafe-in-hackney-eu");
        assert_eq!(doc_slug("🎉/中文"), "");
        for long in [
            "word ".repeat(2000),
            "a".repeat(1000),
            format!("b {}", "c".repeat(300)),
        ] {
            let slug = doc_slug(&long);
            assert!(DocSlug::check(&slug).is_ok(), "{slug}");
        }
        assert_eq!(doc_slug(&"word ".repeat(2000)).len(), 199);
        assert_eq!(doc_slug(&format!("b {}", "c".repeat(300))), "b");
    }
}
