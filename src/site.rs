//! The resolved site: configuration, vocabularies and the documents this build publishes.
//! Built once by `load`, only read afterwards.

use crate::authorities::Authorities;
use crate::config::SiteConfig;
use crate::content::{Document, EvidenceStatus, Home, Kind};
use crate::data::DataSet;
use crate::taxonomy::Taxonomies;

/// A document left out of this build.
#[derive(Debug)]
pub struct Withheld {
    pub path: String,
    pub url: String,
    pub section: crate::content::Section,
    pub slug: String,
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
        } = reference;
        let mut docs = Vec::with_capacity(all.len());
        let mut unpublished = Vec::new();
        for d in all {
            match withheld(&d, &config, drafts) {
                Some(why) => unpublished.push(Withheld {
                    section: d.section(),
                    slug: d.common.slug.as_str().to_string(),
                    path: d.path,
                    url: d.url,
                    why,
                }),
                None => docs.push(d),
            }
        }
        Site {
            config,
            taxonomies,
            authorities,
            data,
            home,
            docs,
            unpublished,
        }
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
