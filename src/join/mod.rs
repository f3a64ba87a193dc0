//! The join stage: everything a page shows about other pages, computed once for the whole
//! site (listings, term and local-authority lists, backlinks), so no page scans all documents.

pub mod facets;
pub mod lint;

use crate::resolve::authorities::LaCode;
use crate::resolve::content::{Document, Kind, Section};
use crate::resolve::site::{DocId, Site};
use crate::resolve::taxonomy::{Kind as TaxonomyKind, TermSlug, Vocabulary};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Default)]
pub struct Facts {
    /// Each section's documents, in listing order (free pages too: the footer lists them).
    pub sections: BTreeMap<Section, Vec<DocId>>,
    /// Per term, in vocabulary order, the documents tagged with it, in listing order.
    pub themes: Vec<Vec<DocId>>,
    pub groups: Vec<Vec<DocId>>,
    pub outcomes: Vec<Vec<DocId>>,
    /// Local authorities with content, and their documents in listing order.
    pub authorities: BTreeMap<LaCode, Vec<DocId>>,
    /// Hypothesis to the case studies that support it, and that challenge it.
    pub supported_by: HashMap<DocId, Vec<DocId>>,
    pub challenged_by: HashMap<DocId, Vec<DocId>>,
    /// Case study to the submissions promoted to it.
    pub promoted_from: HashMap<DocId, Vec<DocId>>,
    /// Slug to document, per section, for references from front matter.
    pub by_slug: HashMap<(Section, String), DocId>,
    /// Per group and per outcome term, the indicators that measure it, in file order.
    pub indicators_by_group: Vec<Vec<usize>>,
    pub indicators_by_outcome: Vec<Vec<usize>>,
    /// The evidence and gap map: case studies and hypotheses per (group, outcome) and per
    /// (theme, outcome), indexed by vocabulary rank, in listing order.
    pub group_outcome: Vec<Vec<Vec<DocId>>>,
    pub theme_outcome: Vec<Vec<Vec<DocId>>>,
}

/// The one order of every listing: weight, newest first, then title, then URL for ties.
pub fn listing_order(a: &Document, b: &Document) -> Ordering {
    a.common
        .weight
        .cmp(&b.common.weight)
        .then_with(|| b.common.date.cmp(&a.common.date))
        .then_with(|| a.common.title.cmp(&b.common.title))
        .then_with(|| a.url.cmp(&b.url))
}

pub fn join(site: &Site) -> Facts {
    let docs = &site.docs;
    let mut order: Vec<DocId> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| listing_order(&docs[a], &docs[b]));

    let tax = &site.taxonomies;
    let (n_themes, n_groups, n_outcomes) = (
        tax.themes.terms().len(),
        tax.groups.terms().len(),
        tax.outcomes.terms().len(),
    );
    let mut f = Facts {
        themes: vec![Vec::new(); n_themes],
        groups: vec![Vec::new(); n_groups],
        outcomes: vec![Vec::new(); n_outcomes],
        indicators_by_group: vec![Vec::new(); n_groups],
        indicators_by_outcome: vec![Vec::new(); n_outcomes],
        group_outcome: vec![vec![Vec::new(); n_outcomes]; n_groups],
        theme_outcome: vec![vec![Vec::new(); n_outcomes]; n_themes],
        ..Facts::default()
    };
    for (id, d) in docs.iter().enumerate() {
        f.by_slug
            .insert((d.section(), d.common.slug.as_str().to_string()), id);
    }
    // Walking documents in listing order makes every list below come out sorted.
    for &id in &order {
        let d = &docs[id];
        f.sections.entry(d.section()).or_default().push(id);
        tag(&mut f.themes, &site.taxonomies.themes, &d.common.themes, id);
        tag(&mut f.groups, &site.taxonomies.groups, &d.common.groups, id);
        tag(
            &mut f.outcomes,
            &site.taxonomies.outcomes,
            &d.common.outcomes,
            id,
        );
        for code in d.kind.local_authorities() {
            f.authorities.entry(code.clone()).or_default().push(id);
        }
        if matches!(d.section(), Section::CaseStudies | Section::Hypotheses) {
            for o in &d.common.outcomes {
                let o = tax.outcomes.rank(o);
                for g in &d.common.groups {
                    f.group_outcome[tax.groups.rank(g)][o].push(id);
                }
                for t in &d.common.themes {
                    f.theme_outcome[tax.themes.rank(t)][o].push(id);
                }
            }
        }
        match &d.kind {
            Kind::CaseStudy(c) => {
                for (refs, map) in [
                    (&c.supports, &mut f.supported_by),
                    (&c.challenges, &mut f.challenged_by),
                ] {
                    for r in refs {
                        let key = (Section::Hypotheses, r.value.as_str().to_string());
                        if let Some(&h) = f.by_slug.get(&key) {
                            map.entry(h).or_default().push(id);
                        }
                    }
                }
            }
            Kind::Evidence(e) => {
                if let Some(r) = &e.promoted_to {
                    let key = (Section::CaseStudies, r.value.as_str().to_string());
                    if let Some(&c) = f.by_slug.get(&key) {
                        f.promoted_from.entry(c).or_default().push(id);
                    }
                }
            }
            _ => {}
        }
    }
    for (i, (ind, gaps)) in site.data.each().enumerate() {
        for g in ind.measures.groups() {
            f.indicators_by_group[tax.groups.rank(g)].push(i);
        }
        f.indicators_by_outcome[tax.outcomes.rank(&ind.outcome)].push(i);
        // Every authority with figures gets its page, with or without documents.
        for code in gaps.authorities.keys() {
            f.authorities.entry(code.clone()).or_default();
        }
    }
    f
}

fn tag<K: TaxonomyKind>(
    lists: &mut [Vec<DocId>],
    vocab: &Vocabulary<K>,
    slugs: &[TermSlug<K>],
    id: DocId,
) {
    for s in slugs {
        lists[vocab.rank(s)].push(id);
    }
}

impl Facts {
    /// The published document a front-matter reference names, if it is published.
    pub fn doc(&self, section: Section, slug: &str) -> Option<DocId> {
        self.by_slug.get(&(section, slug.to_string())).copied()
    }
}
