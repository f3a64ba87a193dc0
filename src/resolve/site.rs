//! The resolved site: configuration, vocabularies and the documents this build publishes.
//! Built once by `load`, only read afterwards.

use crate::resolve::authorities::Authorities;
use crate::resolve::config::SiteConfig;
use crate::resolve::content::{Document, EvidenceStatus, Home, Kind, Section, SectionIndex};
use crate::resolve::data::DataSet;
use crate::resolve::taxonomy::Taxonomies;

/// A document left out of this build, kept whole: a link to it can say why it is broken,
/// and what it says of published documents can be checked (a submission promoted to one).
#[derive(Debug)]
pub struct Withheld {
    pub doc: Document,
    pub why: &'static str,
}

/// Index of a document in `Site::docs`.
pub type DocId = usize;

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub taxonomies: Taxonomies,
    pub authorities: Authorities,
    /// Indicators, their gap series and statistical neighbours.
    pub data: DataSet,
    pub home: Option<Home>,
    /// The `_index.md` of each listed section that has one.
    pub section_indexes: Vec<SectionIndex>,
    /// The documents this build publishes, sorted by path.
    pub docs: Vec<Document>,
    /// Documents that were read and checked but are not published, so a link to one can say
    /// why it is broken.
    pub unpublished: Vec<Withheld>,
}

/// Everything a site is made of besides its documents: what they are checked against.
pub struct Reference {
    pub config: SiteConfig,
    pub taxonomies: Taxonomies,
    pub authorities: Authorities,
    pub data: DataSet,
    pub home: Option<Home>,
    pub section_indexes: Vec<SectionIndex>,
}

impl Site {
    /// The site that publishes those of `all` that this build includes.
    pub fn new(reference: Reference, all: Vec<Document>, drafts: bool) -> Site {
        let Reference {
            config,
            taxonomies,
            authorities,
            data,
            home,
            section_indexes,
        } = reference;
        let mut docs = Vec::with_capacity(all.len());
        let mut unpublished = Vec::new();
        for d in all {
            match withheld(&d, &config, drafts) {
                Some(why) => unpublished.push(Withheld { doc: d, why }),
                None => docs.push(d),
            }
        }
        Site {
            config,
            taxonomies,
            authorities,
            data,
            home,
            section_indexes,
            docs,
            unpublished,
        }
    }

    /// What the `_index.md` of `section` says, if it has one.
    pub fn section_index(&self, section: Section) -> Option<&SectionIndex> {
        self.section_indexes.iter().find(|i| i.section == section)
    }

    pub fn href(&self, path: &str) -> String {
        self.config.base_url.href(path)
    }
}

/// Why a document is left out of this build, if it is.
fn withheld(d: &Document, config: &SiteConfig, drafts: bool) -> Option<&'static str> {
    if d.common.draft && !drafts {
        return Some("it is a draft; build with --drafts to include drafts");
    }
    match &d.kind {
        Kind::Evidence(e)
            if e.status != EvidenceStatus::Accepted && !config.publish_all_evidence =>
        {
            Some(
                "only accepted submissions are published unless site.yaml sets publish_all_evidence",
            )
        }
        _ => None,
    }
}
