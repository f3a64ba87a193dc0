//! What search knows of a document: its text as a reader sees it, and its facet values.

use crate::authorities::Authorities;
use crate::content::Section;
use crate::names::slug;
use crate::site::Site;
use crate::taxonomy::Taxonomies;

/// The filters of search, in the order pages and the index list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Theme,
    Group,
    Outcome,
    Type,
    Region,
}

impl Facet {
    pub const ALL: [Facet; 5] = [
        Facet::Theme,
        Facet::Group,
        Facet::Outcome,
        Facet::Type,
        Facet::Region,
    ];

    /// The query-string key and CLI flag: `?theme=`, `--theme`.
    pub fn key(self) -> &'static str {
        match self {
            Facet::Theme => "theme",
            Facet::Group => "group",
            Facet::Outcome => "outcome",
            Facet::Type => "type",
            Facet::Region => "region",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Facet::Theme => "Theme",
            Facet::Group => "Group of children",
            Facet::Outcome => "Outcome",
            Facet::Type => "Type",
            Facet::Region => "Region",
        }
    }

    /// Every value of this facet on `site`, as (value, label), in the site's order.
    pub fn values(self, site: &Site) -> Vec<(String, String)> {
        self.values_of(&site.taxonomies, &site.authorities)
    }

    /// The same, from the vocabularies alone (for `ntg search`, which reads no documents).
    pub fn values_of(self, tax: &Taxonomies, las: &Authorities) -> Vec<(String, String)> {
        fn terms<K: crate::taxonomy::Kind>(
            v: &crate::taxonomy::Vocabulary<K>,
        ) -> Vec<(String, String)> {
            v.terms()
                .iter()
                .map(|t| (t.slug.as_str().to_string(), t.name.clone()))
                .collect()
        }
        match self {
            Facet::Theme => terms(&tax.themes),
            Facet::Group => terms(&tax.groups),
            Facet::Outcome => terms(&tax.outcomes),
            Facet::Type => Section::ALL
                .iter()
                .map(|s| (s.type_name().to_string(), s.title().to_string()))
                .collect(),
            Facet::Region => {
                // Some rows (abolished or combined authorities) name no region.
                let mut regions: Vec<String> = las
                    .regions()
                    .filter(|r| !r.is_empty())
                    .map(str::to_string)
                    .collect();
                regions.sort();
                regions.dedup();
                regions.into_iter().map(|r| (region_slug(&r), r)).collect()
            }
        }
    }
}

/// The filter value of a region: the slug of its name (`north-west`).
pub fn region_slug(name: &str) -> String {
    slug(name)
}

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
