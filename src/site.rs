//! The resolved site: configuration, vocabularies and the documents this build publishes.
//! Built once by `load`, only read afterwards.

use crate::authorities::Authorities;
use crate::config::SiteConfig;
use crate::content::{Document, EvidenceStatus, Home, Kind};
use crate::taxonomy::Taxonomies;
use std::collections::HashMap;
use std::path::PathBuf;

/// Index of a document in `Site::docs`.
pub type DocId = usize;

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub taxonomies: Taxonomies,
    pub authorities: Authorities,
    pub home: Option<Home>,
    /// The documents this build publishes, sorted by path.
    pub docs: Vec<Document>,
    /// Documents that were read and checked but are not published, with the reason, so a
    /// link to one can say why it is broken.
    pub unpublished: HashMap<String, &'static str>,
}

impl Site {
    pub fn new(
        root: PathBuf,
        config: SiteConfig,
        taxonomies: Taxonomies,
        authorities: Authorities,
        home: Option<Home>,
        all: Vec<Document>,
        drafts: bool,
    ) -> Site {
        let mut docs = Vec::with_capacity(all.len());
        let mut unpublished = HashMap::new();
        for d in all {
            match withheld(&d, &config, drafts) {
                Some(why) => {
                    unpublished.insert(d.path.clone(), why);
                }
                None => docs.push(d),
            }
        }
        Site {
            root,
            config,
            taxonomies,
            authorities,
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
