//! Every address the build generates, in one place, so that pages, links, the sitemap and
//! the check for free pages that would take a generated URL all agree.

use crate::diagnostic::Diagnostic;
use crate::names::indicator::IndicatorId;
use crate::outpath::OutputPath;
use crate::resolve::authorities::LaCode;
use crate::resolve::content::Section;
use crate::resolve::taxonomy::{Kind, TermSlug};

/// First path segments that belong to generated pages; a free page may not use them.
pub const GENERATED_SECTIONS: &[&str] = &[
    "case-studies",
    "hypotheses",
    "evidence",
    "themes",
    "groups",
    "outcomes",
    "local-authorities",
    "indicators",
    "evidence-map",
    "search",
    "data",
    "static",
];

/// Files at the site root that the build writes.
pub const GENERATED_FILES: &[&str] = &[
    "/sitemap.xml",
    "/atom.xml",
    "/robots.txt",
    "/404.html",
    "/_headers",
];

pub fn home() -> String {
    "/".into()
}

/// Page `n` (1-based) of a paginated listing whose first page is `first`.
pub fn paginated(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

pub fn section(section: Section) -> String {
    section.url()
}

pub fn taxonomy<K: Kind>() -> String {
    format!("/{}/", K::KEY)
}

pub fn term<K: Kind>(slug: &TermSlug<K>) -> String {
    format!("/{}/{}/", K::KEY, slug)
}

pub fn authorities() -> String {
    "/local-authorities/".into()
}

pub fn authority(code: &LaCode) -> String {
    format!("/local-authorities/{code}/")
}

/// One authority's figures for one indicator: its chart, table and trends.
pub fn authority_indicator(code: &LaCode, id: &IndicatorId) -> String {
    format!("/local-authorities/{code}/{id}/")
}

pub fn indicators() -> String {
    "/indicators/".into()
}

pub fn indicator(id: &IndicatorId) -> String {
    format!("/indicators/{id}/")
}

/// An indicator's open data, without the `.json` or `.csv` extension.
pub fn indicator_data(id: &IndicatorId) -> String {
    format!("/data/indicators/{id}")
}

/// A local authority's open data, without the extension.
pub fn authority_data(code: &LaCode) -> String {
    format!("/data/local-authorities/{code}")
}

pub fn search() -> String {
    "/search/".into()
}

pub fn evidence_map() -> String {
    "/evidence-map/".into()
}

/// The documents behind one cell of the evidence map: `rows` is `groups` or `themes`.
pub fn map_cell(rows: &str, row: &str, outcome: &str) -> String {
    format!("/evidence-map/{rows}/{row}/{outcome}/")
}

/// The output file for a URL path: `/a/b/` is `a/b/index.html`, `/atom.xml` is `atom.xml`;
/// refused if any segment is unsafe.
pub fn output_file(url: &str) -> Result<OutputPath, Diagnostic> {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        OutputPath::checked(&format!("{rel}index.html"))
    } else {
        OutputPath::checked(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files() {
        let file = |url| output_file(url).unwrap().as_str().to_string();
        assert_eq!(file("/"), "index.html");
        assert_eq!(file("/themes/x/"), "themes/x/index.html");
        assert_eq!(file("/atom.xml"), "atom.xml");
        assert!(output_file("/local-authorities/../../../x/").is_err());
        assert!(output_file("/a//b/").is_err());
        assert_eq!(paginated("/case-studies/", 1), "/case-studies/");
        assert_eq!(paginated("/case-studies/", 3), "/case-studies/page/3/");
    }
}
