//! What templates receive: plain values computed in Rust, so templates only lay them out.

use crate::join::Facts;
use crate::render::markdown::Heading;
use crate::resolve::content::{Document, Kind, Section};
use crate::resolve::data::indicators::Measures;
use crate::resolve::routes;
use crate::resolve::site::{DocId, Site};
use crate::resolve::taxonomy::{Kind as TaxonomyKind, TermSlug};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub href: String,
}

/// A document as a listing shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub href: String,
    pub summary: Option<String>,
    pub type_name: &'static str,
    pub type_label: &'static str,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub meta: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelView {
    pub level: u8,
    pub name: String,
    pub description: Option<String>,
}

impl From<&crate::resolve::taxonomy::EvidenceLevel> for LevelView {
    fn from(info: &crate::resolve::taxonomy::EvidenceLevel) -> Self {
        LevelView {
            level: info.level,
            name: info.name.clone(),
            description: info.description.clone(),
        }
    }
}

/// One document's page.
#[derive(Debug, Serialize)]
pub struct DocView<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub html: &'a str,
    pub contents: Vec<&'a Heading>,
    pub type_name: &'static str,
    pub type_label: &'static str,
    pub section: LinkView,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub themes: Vec<LinkView>,
    pub groups: Vec<LinkView>,
    pub outcomes: Vec<LinkView>,
    pub authorities: Vec<LinkView>,
    pub evidence_level: Option<LevelView>,
    pub status: Option<&'static str>,
    pub status_label: Option<String>,
    pub organisation: Option<&'a str>,
    pub age_range: Option<&'a str>,
    pub hearing: bool,
    /// A case study's hypotheses.
    pub supports: Vec<LinkView>,
    pub challenges: Vec<LinkView>,
    /// A hypothesis's case studies, and how many local authorities they come from.
    pub supported_by: Vec<Card>,
    pub challenged_by: Vec<Card>,
    pub evidence_authority_count: usize,
    pub promoted_to: Option<LinkView>,
    pub promoted_from: Vec<LinkView>,
}

use crate::names::label;

pub struct Views<'a> {
    pub site: &'a Site,
    pub facts: &'a Facts,
}

impl<'a> Views<'a> {
    pub fn link(&self, title: impl Into<String>, path: &str) -> LinkView {
        LinkView {
            title: title.into(),
            href: self.site.href(path),
        }
    }

    /// A link to each group an indicator measures, in the order written.
    pub fn group_links(&self, measures: &Measures) -> Vec<LinkView> {
        let tax = &self.site.taxonomies;
        measures
            .groups()
            .iter()
            .map(|g| self.link(&tax.groups.get(g).name, &routes::term(g)))
            .collect()
    }

    pub fn doc_link(&self, id: DocId) -> LinkView {
        let d = &self.site.docs[id];
        self.link(&d.common.title, &d.url)
    }

    pub fn term_links<K: TaxonomyKind>(
        &self,
        vocab: &crate::resolve::taxonomy::Vocabulary<K>,
        slugs: &[TermSlug<K>],
    ) -> Vec<LinkView> {
        slugs
            .iter()
            .map(|s| self.link(&vocab.get(s).name, &routes::term(s)))
            .collect()
    }

    pub fn card(&self, id: DocId) -> Card {
        let d = &self.site.docs[id];
        let mut meta = Vec::new();
        match &d.kind {
            Kind::CaseStudy(c) => {
                let names: Vec<&str> = c
                    .local_authorities
                    .iter()
                    .map(|code| self.site.authorities.get(code).name.as_str())
                    .collect();
                meta.push(names.join(", "));
                meta.push(self.site.taxonomies.level_text(c.evidence_level));
            }
            Kind::Hypothesis(_) => meta.extend(d.kind.status_text()),
            Kind::Evidence(e) => {
                meta.push(e.organisation.clone());
                meta.extend(d.kind.status_text());
            }
            Kind::Page => {}
        }
        Card {
            title: d.common.title.clone(),
            href: self.site.href(&d.url),
            summary: d.common.summary.clone(),
            type_name: d.section().type_name(),
            type_label: d.section().type_label(),
            date: d.common.date.map(|x| x.long()),
            date_iso: d.common.date.map(|x| x.to_string()),
            meta,
        }
    }

    /// A level as taxonomies.yaml names and describes it.
    pub(super) fn level(&self, level: crate::resolve::taxonomy::Level) -> LevelView {
        self.site.taxonomies.level_info(level).into()
    }

    fn authority_links(&self, d: &Document) -> Vec<LinkView> {
        d.kind
            .local_authorities()
            .iter()
            .map(|code| {
                self.link(
                    &self.site.authorities.get(code).name,
                    &routes::authority(code),
                )
            })
            .collect()
    }

    /// Links to the published documents of `section` named by `slugs`.
    fn refs<'s>(&self, section: Section, slugs: impl Iterator<Item = &'s str>) -> Vec<LinkView> {
        slugs
            .filter_map(|s| self.facts.doc(section, s))
            .map(|id| self.doc_link(id))
            .collect()
    }

    pub fn doc(&self, id: DocId, html: &'a str, headings: &'a [Heading]) -> DocView<'a> {
        let site = self.site;
        let d = &site.docs[id];
        let tax = &site.taxonomies;
        let section = d.section();
        let mut v = DocView {
            title: &d.common.title,
            summary: d.common.summary.as_deref(),
            html,
            contents: headings.iter().filter(|h| h.level == 2).collect(),
            type_name: section.type_name(),
            type_label: section.type_label(),
            section: self.link(section.title(), &routes::section(section)),
            date: d.common.date.map(|x| x.long()),
            date_iso: d.common.date.map(|x| x.to_string()),
            themes: self.term_links(&tax.themes, &d.common.themes),
            groups: self.term_links(&tax.groups, &d.common.groups),
            outcomes: self.term_links(&tax.outcomes, &d.common.outcomes),
            authorities: self.authority_links(d),
            evidence_level: None,
            status: None,
            status_label: None,
            organisation: None,
            age_range: None,
            hearing: false,
            supports: Vec::new(),
            challenges: Vec::new(),
            supported_by: Vec::new(),
            challenged_by: Vec::new(),
            evidence_authority_count: 0,
            promoted_to: None,
            promoted_from: Vec::new(),
        };
        match &d.kind {
            Kind::CaseStudy(c) => {
                v.evidence_level = Some(self.level(c.evidence_level));
                v.organisation = c.organisation.as_deref();
                v.age_range = c.age_range.as_deref();
                v.supports = self.refs(
                    Section::Hypotheses,
                    c.supports.iter().map(|r| r.value.as_str()),
                );
                v.challenges = self.refs(
                    Section::Hypotheses,
                    c.challenges.iter().map(|r| r.value.as_str()),
                );
                v.promoted_from = ids(self.facts.promoted_from.get(&id))
                    .map(|i| self.doc_link(i))
                    .collect();
            }
            Kind::Hypothesis(h) => {
                v.status = Some(h.status.as_str());
                v.status_label = Some(label(h.status.as_str()));
                let sup: Vec<DocId> = ids(self.facts.supported_by.get(&id)).collect();
                let cha: Vec<DocId> = ids(self.facts.challenged_by.get(&id)).collect();
                let mut las: Vec<&crate::resolve::authorities::LaCode> = sup
                    .iter()
                    .chain(&cha)
                    .flat_map(|&i| site.docs[i].kind.local_authorities())
                    .collect();
                las.sort();
                las.dedup();
                v.evidence_authority_count = las.len();
                v.supported_by = sup.into_iter().map(|i| self.card(i)).collect();
                v.challenged_by = cha.into_iter().map(|i| self.card(i)).collect();
            }
            Kind::Evidence(e) => {
                v.evidence_level = Some(self.level(e.evidence_level));
                v.status = Some(e.status.as_str());
                v.status_label = Some(label(e.status.as_str()));
                v.organisation = Some(&e.organisation);
                v.hearing = e.hearing;
                v.promoted_to = e.promoted_to.as_ref().and_then(|r| {
                    self.refs(Section::CaseStudies, std::iter::once(r.value.as_str()))
                        .pop()
                });
            }
            Kind::Page => {}
        }
        v
    }
}

fn ids(list: Option<&Vec<DocId>>) -> impl Iterator<Item = DocId> + '_ {
    list.into_iter().flatten().copied()
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    /// 0 marks a gap ("…") between page numbers.
    pub number: usize,
    pub href: String,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

impl Pagination {
    /// Page `current` of `total` for the listing whose first page is at `first`: the first,
    /// the last and two either side of the current page, with gaps marked.
    pub fn new(site: &Site, first: &str, current: usize, total: usize) -> Option<Pagination> {
        if total <= 1 {
            return None;
        }
        let href = |n: usize| site.href(&routes::paginated(first, n));
        let mut pages = Vec::new();
        for n in 1..=total {
            let shown = n == 1 || n == total || n.abs_diff(current) <= 2;
            if shown {
                pages.push(PageLink {
                    number: n,
                    href: href(n),
                    current: n == current,
                });
            } else if pages.last().is_some_and(|p| p.number != 0) {
                pages.push(PageLink {
                    number: 0,
                    href: String::new(),
                    current: false,
                });
            }
        }
        Some(Pagination {
            current,
            total,
            previous: (current > 1).then(|| href(current - 1)),
            next: (current < total).then(|| href(current + 1)),
            pages,
        })
    }
}
