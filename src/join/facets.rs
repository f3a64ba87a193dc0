//! The facets of the site: the filters of search (theme, group, outcome, type, region) and
//! their values. Joined from the resolved site once, and read by both the search page
//! (render) and the index (search), so neither imports the other.

use crate::names::slug;
use crate::resolve::authorities::Authorities;
use crate::resolve::content::Section;
use crate::resolve::site::Site;
use crate::resolve::taxonomy::Taxonomies;

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
        fn terms<K: crate::resolve::taxonomy::Kind>(
            v: &crate::resolve::taxonomy::Vocabulary<K>,
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
