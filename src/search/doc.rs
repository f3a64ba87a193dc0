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

impl SearchDoc {
    /// The search document of `site.docs[id]`, whose rendered body is `html`.
    pub fn of(site: &Site, id: usize, html: &str) -> SearchDoc {
        let d = &site.docs[id];
        let body = super::text::from_html(html);
        let text = match &d.common.summary {
            Some(s) => format!("{s} {body}"),
            None => body,
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
