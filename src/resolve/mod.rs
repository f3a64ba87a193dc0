//! The load and resolve stages: walk `content/` and `data/`, read every file in parallel,
//! and turn them into the immutable `Site`, or into every error found on the way.

pub mod authorities;
pub mod config;
pub mod content;
pub mod csvfile;
pub mod data;
pub mod frontmatter;
pub mod routes;
pub mod site;
pub mod taxonomy;
pub mod yaml;

use crate::diagnostic::{Code, Diagnostic};
use crate::inputs::{Inputs, SETTINGS, SourceFile};
use authorities::Authorities;
use config::SiteConfig;
use content::{
    DocSlug, Document, Home, INDEX_FILE, Lookups, Section, SectionIndex, Unread, UnreadBody,
    cross_check, read_document, read_home, read_section_index, unpublished_refs,
};
use data::indicators::Indicators;
use rayon::prelude::*;
use site::{Reference, Site};
use taxonomy::Taxonomies;

/// What the command line can change about a build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides site.yaml's `base_url`.
    pub base_url: Option<String>,
    /// Publishes documents marked `draft: true`.
    pub drafts: bool,
    /// Builds from nothing, neither reading nor trusting what earlier builds kept in
    /// `.ntg-cache/` (`--no-cache`).
    pub no_cache: bool,
    /// Fails the build on any warning of its content, as on an error, so that nothing is
    /// written (`--deny-warnings`).
    pub deny_warnings: bool,
}

/// The list of local authorities, as the site's data gives it (`ntg search` needs it alone).
pub const AUTHORITIES: &str = "data/local-authorities.csv";

/// The vocabularies (`ntg new` needs them alone).
pub const TAXONOMIES: &str = "data/taxonomies.yaml";

fn read_required(inputs: &Inputs, rel: &str) -> Result<SourceFile, Vec<Diagnostic>> {
    inputs.required(rel).map_err(|d| vec![d])
}

/// Reads the list of local authorities.
pub fn authorities(inputs: &Inputs) -> Result<Authorities, Vec<Diagnostic>> {
    read_required(inputs, AUTHORITIES).and_then(|f| Authorities::parse(&f))
}

/// Reads the vocabularies.
pub fn taxonomies(inputs: &Inputs) -> Result<Taxonomies, Vec<Diagnostic>> {
    read_required(inputs, TAXONOMIES).and_then(|f| Taxonomies::parse(&f))
}

/// A document that could not be read, with the slug and URL it would most likely have had,
/// so that references and links to it are not reported a second time.
#[derive(Debug, Clone)]
pub struct Failed {
    pub path: String,
    pub section: Option<Section>,
    pub slug: String,
    pub url: String,
    /// Its body, when the front matter could be told from it, for its links to be checked.
    pub body: Option<Box<UnreadBody>>,
}

/// The site made of every document that could be read, and the errors in the rest.
pub struct Loaded {
    pub site: Site,
    pub errors: Vec<Diagnostic>,
    pub failed: Vec<Failed>,
    /// How long reading the gap tables and computing their series took, alongside the
    /// documents (for `--timings`).
    pub data_time: std::time::Duration,
}

/// Resolves the site in `inputs`, reading nothing else. Only problems that leave nothing to
/// check the documents against (a broken site.yaml or data file) are `Err`, and even then
/// every document is read so that all its errors are reported together.
pub fn load(inputs: &Inputs, options: &Options) -> Result<Loaded, Vec<Diagnostic>> {
    let config = read_required(inputs, SETTINGS)
        .and_then(|f| SiteConfig::parse(&f, options.base_url.as_deref(), inputs));
    let taxonomies = taxonomies(inputs);
    let authorities = authorities(inputs);
    let indicators = match &taxonomies {
        Ok(t) => data::read_indicators(inputs, t),
        Err(_) => Ok(Indicators::default()),
    };
    let (taxonomies, authorities, indicators) = match (taxonomies, authorities, indicators) {
        (Ok(t), Ok(a), Ok(i)) => (t, a, i),
        (t, a, i) => {
            // Without the vocabularies, documents cannot be checked meaningfully.
            let mut diags: Vec<Diagnostic> = config.err().unwrap_or_default();
            diags.extend(t.err().into_iter().flatten());
            diags.extend(a.err().into_iter().flatten());
            diags.extend(i.err().into_iter().flatten());
            return Err(diags);
        }
    };
    let lookups = Lookups {
        taxonomies: &taxonomies,
        authorities: &authorities,
        indicators: &indicators,
    };
    let (files, mut errors) = content_files(inputs);
    let read_all = || -> Vec<Result<Read, (Failed, Vec<Diagnostic>)>> {
        files
            .par_iter()
            .map(|(rel, bytes, role)| {
                let section = match role {
                    Role::Document(s) => Some(*s),
                    Role::Home | Role::SectionIndex(_) => None,
                };
                let failed = |unread: Unread| {
                    let name = rel.rsplit('/').next().unwrap_or(rel);
                    let slug = name.strip_suffix(".md").unwrap_or(name).to_string();
                    let url = match (section, DocSlug::parse(&slug)) {
                        (Some(s), Some(slug)) => s.doc_url(&slug),
                        _ => String::new(),
                    };
                    (
                        Failed {
                            path: rel.to_string(),
                            section,
                            slug,
                            url,
                            body: unread.body,
                        },
                        unread.diags,
                    )
                };
                let file =
                    SourceFile::decode(rel, bytes).map_err(|d| failed(Unread::from(vec![d])))?;
                match role {
                    Role::Document(s) => {
                        read_document(file, *s, &lookups).map(|d| Read::Doc(Box::new(d)))
                    }
                    Role::Home => read_home(file).map(Read::Home).map_err(Unread::from),
                    Role::SectionIndex(s) => read_section_index(file, *s)
                        .map(Read::Index)
                        .map_err(Unread::from),
                }
                .map_err(failed)
            })
            .collect()
    };
    // The tables are the biggest files; they are read while the documents are.
    let (results, ((data, data_errors), data_time)) = rayon::join(read_all, || {
        let started = std::time::Instant::now();
        let loaded = data::load(inputs, &indicators, &authorities);
        (loaded, started.elapsed())
    });
    errors.extend(data_errors);
    let mut docs: Vec<Document> = Vec::with_capacity(results.len());
    let mut home: Option<Home> = None;
    let mut section_indexes: Vec<SectionIndex> = Vec::new();
    let mut failed = Vec::new();
    for r in results {
        match r {
            Ok(Read::Doc(d)) => docs.push(*d),
            Ok(Read::Home(h)) => home = Some(h),
            Ok(Read::Index(i)) => section_indexes.push(i),
            Err((f, d)) => {
                errors.extend(d);
                failed.push(f);
            }
        }
    }
    errors.extend(cross_check(&docs, &failed));
    let config = match config {
        Ok(c) => c,
        Err(d) => {
            errors.extend(d);
            return Err(errors);
        }
    };
    let reference = Reference {
        config,
        taxonomies,
        authorities,
        data: data.with(indicators),
        home,
        section_indexes,
    };
    let site = Site::new(reference, docs, options.drafts);
    errors.extend(unpublished_refs(&site));
    Ok(Loaded {
        site,
        errors,
        failed,
        data_time,
    })
}

enum Read {
    Doc(Box<Document>),
    Home(Home),
    Index(SectionIndex),
}

/// What a markdown file under content/ is, by where it is.
enum Role {
    Document(Section),
    /// `content/_index.md`.
    Home,
    /// `content/<section>/_index.md` of a listed section.
    SectionIndex(Section),
}

/// A markdown file under content/: its path, bytes and role.
type ContentFile<'a> = (&'a str, &'a [u8], Role);

/// Every markdown file under content/ with its role, in path order, so that every later
/// stage sees documents in one order whatever the file system returns.
fn content_files(inputs: &Inputs) -> (Vec<ContentFile<'_>>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = inputs.links_under("content");
    for (rel, bytes) in inputs.files_under("content") {
        if !rel.ends_with(".md") {
            continue;
        }
        let below = &rel["content/".len()..];
        let mut parts = below.split('/');
        let first = parts.next().unwrap_or_default();
        let depth = 1 + parts.count();
        let section = Section::ALL.into_iter().find(|s| s.dir() == first);
        let index = below.rsplit('/').next() == Some(INDEX_FILE);
        match (section, depth, index) {
            (Some(s), 2, true) if Section::LISTED.contains(&s) => {
                files.push((rel, bytes, Role::SectionIndex(s)))
            }
            (Some(s), 2.., false) => files.push((rel, bytes, Role::Document(s))),
            (None, 1, true) => files.push((rel, bytes, Role::Home)),
            (_, _, true) => diags.push(
                Diagnostic::new(
                    Code::MisplacedIndex,
                    rel,
                    None,
                    "an _index.md here introduces nothing",
                )
                .with_help(Some(format!(
                    "only content/_index.md (the home page) and content/{{{}}}/_index.md \
                         (a section's listing page) are read",
                    Section::LISTED.map(Section::dir).join(",")
                ))),
            ),
            _ => diags.push(
                Diagnostic::new(
                    Code::StrayFile,
                    rel,
                    None,
                    "file is not in a content section",
                )
                .with_help(Some(format!(
                    "put documents in content/{{{}}}/; only content/_index.md stands alone",
                    Section::ALL.map(Section::dir).join(",")
                ))),
            ),
        }
    }
    (files, diags)
}
