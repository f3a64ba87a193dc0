//! What search knows of a document: its text as a reader sees it, its facet values, and
//! what a result shows of it besides (type, councils, evidence level or status).

use crate::join::facets::{Facet, region_slug};
use crate::resolve::content::Kind;
use crate::resolve::site::Site;

/// One document as search indexes and shows it.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// Site path: `/case-studies/x/`.
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    /// What the body field indexes: the summary and the rendered body's text.
    pub text: String,
    pub type_label: &'static str,
    /// The names of the local authorities the document is from, in its own order: an
    /// officer looks for their council, or one like it, first.
    pub councils: Vec<String>,
    /// How far the document can be relied on, as its page words it: "Evidence level 2:
    /// Promising" for case studies and submissions, "Status: Testing" for hypotheses and
    /// submissions.
    pub standing: Vec<String>,
    /// Values per facet, in `Facet::ALL` order.
    pub facets: [Vec<String>; Facet::ALL.len()],
}

/// A rendered body's text as a reader reads it (`text::from_html`): made once per body and
/// kept by the incremental cache, since a build needs every document's text for the export
/// and extracting it from the HTML was a tenth of a rebuild's time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BodyText(String);

/// Changed whenever `text::from_html` reads the same HTML differently, so that a cache of
/// texts made by an earlier extraction (with heading anchors' "#", say) is not trusted.
const TEXT_FORMAT: &[u8] = b"search text 2";

impl BodyText {
    /// The text of the rendered body `html`.
    pub fn of(html: &str) -> BodyText {
        BodyText(super::text::from_html(html))
    }

    /// The key the text of `html` is kept under by the incremental cache.
    pub fn key(html: &str) -> crate::names::hash::ContentHash {
        crate::names::hash::Hasher::new()
            .part(TEXT_FORMAT)
            .part(html.as_bytes())
            .finish()
    }
}

impl SearchDoc {
    /// The search document of `site.docs[id]`, whose rendered body's text is `body`.
    pub fn of(site: &Site, id: usize, body: &BodyText) -> SearchDoc {
        let d = &site.docs[id];
        let text = match &d.common.summary {
            Some(s) => format!("{s} {}", body.0),
            None => body.0.clone(),
        };
        let slugs = |v: Vec<&str>| v.into_iter().map(str::to_string).collect::<Vec<_>>();
        let mut regions: Vec<String> = d
            .kind
            .local_authorities()
            .iter()
            .map(|code| site.authorities.get(code).region.as_str())
            .filter(|r| !r.is_empty())
            .map(region_slug)
            .collect();
        regions.sort();
        regions.dedup();
        SearchDoc {
            url: d.url.clone(),
            title: d.common.title.clone(),
            summary: d.common.summary.clone(),
            text,
            type_label: d.section().type_label(),
            councils: d
                .kind
                .local_authorities()
                .iter()
                .map(|code| site.authorities.get(code).name.clone())
                .collect(),
            standing: standing(site, &d.kind),
            facets: [
                slugs(d.common.themes.iter().map(|s| s.as_str()).collect()),
                slugs(d.common.groups.iter().map(|s| s.as_str()).collect()),
                slugs(d.common.outcomes.iter().map(|s| s.as_str()).collect()),
                vec![d.section().type_name().to_string()],
                regions,
            ],
        }
    }
}

/// How far a document of kind `kind` can be relied on, in the words its page uses.
fn standing(site: &Site, kind: &Kind) -> Vec<String> {
    let level = match kind {
        Kind::CaseStudy(c) => Some(c.evidence_level),
        Kind::Evidence(e) => Some(e.evidence_level),
        Kind::Hypothesis(_) | Kind::Page => None,
    };
    level
        .map(|l| site.taxonomies.level_text(l))
        .into_iter()
        .chain(kind.status_text())
        .collect()
}

/// What the tantivy index holds of a document besides its words. A build keeps these, in
/// index order, with its search state, so that `ntg search` can make the index the first
/// time it is asked (`index::open`) without the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Indexed {
    /// The key of the document's analysis (`analysed::key`) in the state's analyses.
    pub analysis: u128,
    /// Site path: `/case-studies/x/`.
    pub url: String,
    pub title: String,
    /// Values per facet, in `Facet::ALL` order.
    pub facets: [Vec<String>; Facet::ALL.len()],
}

impl Indexed {
    /// What the index holds of `doc`, whose analysis has the key `analysis`.
    pub fn of(doc: &SearchDoc, analysis: u128) -> Indexed {
        Indexed {
            analysis,
            url: doc.url.clone(),
            title: doc.title.clone(),
            facets: doc.facets.clone(),
        }
    }
}
