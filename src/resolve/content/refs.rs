//! Checks between documents, once all are read: one document per URL, and every
//! `supports`, `challenges` and `promoted_to` naming a document that exists.

use super::{DocSlug, Document, Kind, Located, Section};
use crate::diagnostic::{Code, Diagnostic};
use crate::resolve::Failed;
use crate::resolve::routes::GENERATED_SECTIONS;
use crate::resolve::site::Site;
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};

/// `docs` must be sorted by path, so that "the first file" in a clash is stable. References
/// to documents that `failed` to load are not reported: their own errors are.
pub fn cross_check(docs: &[Document], failed: &[Failed]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut by_url: BTreeMap<&str, &str> = BTreeMap::new();
    for d in docs {
        let first_segment = d.url.trim_matches('/').split('/').next().unwrap_or("");
        if d.section() == Section::Pages && GENERATED_SECTIONS.contains(&first_segment) {
            diags.push(
                Diagnostic::at(
                    Code::ReservedUrl,
                    &d.path,
                    d.common.slug_pos,
                    format!("page URL `{}` is one that ntg generates", d.url),
                )
                .with_help(Some("rename the file or set another `slug`".into())),
            );
        } else if let Some(first) = by_url.insert(&d.url, &d.path) {
            by_url.insert(&d.url, first);
            diags.push(
                Diagnostic::at(
                    Code::DuplicateSlug,
                    &d.path,
                    d.common.slug_pos,
                    format!("URL `{}` is taken by both {first} and {}", d.url, d.path),
                )
                .with_help(Some("rename one of the files or set another `slug`".into())),
            );
        }
    }
    let slugs = |section: Section| -> BTreeSet<&str> {
        let failed = failed
            .iter()
            .filter(|f| f.section == Some(section))
            .map(|f| f.slug.as_str());
        docs.iter()
            .filter(|d| d.section() == section)
            .map(|d| d.common.slug.as_str())
            .chain(failed)
            .collect()
    };
    let hypotheses = slugs(Section::Hypotheses);
    let case_studies = slugs(Section::CaseStudies);
    let mut check = |d: &Document, r: &Located<DocSlug>, known: &BTreeSet<&str>, what: &str| {
        if !known.contains(r.value.as_str()) {
            diags.push(
                Diagnostic::at(
                    Code::UnknownReference,
                    &d.path,
                    r.pos,
                    format!("unknown {what} `{}`", r.value),
                )
                .with_help(did_you_mean(r.value.as_str(), known.iter().copied())),
            );
        }
    };
    for d in docs {
        match &d.kind {
            Kind::CaseStudy(c) => {
                for r in c.supports.iter().chain(&c.challenges) {
                    check(d, r, &hypotheses, "hypothesis");
                }
            }
            Kind::Evidence(e) => {
                if let Some(r) = &e.promoted_to {
                    check(d, r, &case_studies, "case study");
                }
            }
            _ => {}
        }
    }
    diags
}

/// A published document that names an unpublished one (a draft hypothesis it supports, say)
/// would link to a page that does not exist.
pub fn unpublished_refs(site: &Site) -> Vec<Diagnostic> {
    let withheld: std::collections::HashMap<(Section, &str), &crate::resolve::site::Withheld> =
        site.unpublished
            .iter()
            .map(|w| ((w.doc.section(), w.doc.common.slug.as_str()), w))
            .collect();
    let mut diags = Vec::new();
    for d in &site.docs {
        let refs: Vec<(&Located<DocSlug>, Section, &str)> = match &d.kind {
            Kind::CaseStudy(c) => c
                .supports
                .iter()
                .chain(&c.challenges)
                .map(|r| (r, Section::Hypotheses, "hypothesis"))
                .collect(),
            Kind::Evidence(e) => e
                .promoted_to
                .iter()
                .map(|r| (r, Section::CaseStudies, "case study"))
                .collect(),
            _ => continue,
        };
        for (r, section, what) in refs {
            if let Some(w) = withheld.get(&(section, r.value.as_str())) {
                diags.push(Diagnostic::at(
                    Code::UnpublishedReference,
                    &d.path,
                    r.pos,
                    format!("{what} `{}` is not published ({})", r.value, w.why),
                ));
            }
        }
    }
    diags
}
