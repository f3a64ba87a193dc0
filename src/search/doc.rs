//! What search knows of a document: its text as a reader sees it, and its facet values.

use crate::join::facets::{Facet, region_slug};
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
    /// Values per facet, in `Facet::ALL` order.
    pub facets: [Vec<String>; Facet::ALL.len()],
}

/// A rendered body's text as a reader reads it (`text::from_html`): made once per body and
/// kept by the incremental cache, since a build needs every document's text for the export
/// and extracting it from the HTML was a tenth of a rebuild's time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BodyText(String);

impl BodyText {
    /// The text of the rendered body `html`.
    pub fn of(html: &str) -> BodyText {
        BodyText(super::text::from_html(html))
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
