//! The load and resolve stages: walk `content/` and `data/`, read every file in parallel,
//! and turn them into the immutable `Site`, or into every error found on the way.

use crate::authorities::Authorities;
use crate::config::SiteConfig;
use crate::content::{
    DocSlug, Document, Home, INDEX_FILE, Lookups, Section, SectionIndex, cross_check,
    read_document, read_home, read_section_index, unpublished_refs,
};
use crate::data::{self, indicators::Indicators};
use crate::diagnostic::{Diagnostic, display_path};
use crate::site::{Reference, Site};
use crate::source::SourceFile;
use crate::taxonomy::Taxonomies;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

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
}

fn read_required(root: &Path, rel: &str) -> Result<SourceFile, Vec<Diagnostic>> {
    let abs = root.join(rel);
    if !abs.is_file() {
        return Err(vec![Diagnostic::new(rel, None, "file is missing")]);
    }
    SourceFile::read(root, &abs).map_err(|d| vec![d])
}

/// Reads data/local-authorities.csv alone (for `ntg search`).
pub fn authorities(root: &Path) -> Result<Authorities, Vec<Diagnostic>> {
    read_required(root, "data/local-authorities.csv").and_then(|f| Authorities::parse(&f))
}

/// Reads data/taxonomies.yaml alone (for `ntg new`).
pub fn taxonomies(root: &Path) -> Result<Taxonomies, Vec<Diagnostic>> {
    read_required(root, "data/taxonomies.yaml").and_then(|f| Taxonomies::parse(&f))
}

/// A document that could not be read, with the slug and URL it would most likely have had,
/// so that references and links to it are not reported a second time.
#[derive(Debug, Clone)]
pub struct Failed {
    pub path: String,
    pub section: Option<Section>,
    pub slug: String,
    pub url: String,
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

/// Loads and resolves the site at `root`. Only problems that leave nothing to check the
/// documents against (a broken site.yaml or data file) are `Err`, and even then every
/// document is read so that all its errors are reported together.
pub fn load(root: &Path, options: &Options) -> Result<Loaded, Vec<Diagnostic>> {
    let config = read_required(root, "site.yaml")
        .and_then(|f| SiteConfig::parse(&f, options.base_url.as_deref()));
    let taxonomies = taxonomies(root);
    let authorities = authorities(root);
    let indicators = match &taxonomies {
        Ok(t) => data::read_indicators(root, t),
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
    let (files, mut errors) = content_files(root);
    let read_all = || -> Vec<Result<Read, (Failed, Vec<Diagnostic>)>> {
        files
            .par_iter()
            .map(|(abs, role)| {
                let section = match role {
                    Role::Document(s) => Some(*s),
                    Role::Home | Role::SectionIndex(_) => None,
                };
                let failed = |d: Vec<Diagnostic>| {
                    let slug = abs
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let url = match (section, DocSlug::parse(&slug)) {
                        (Some(s), Some(slug)) => s.doc_url(&slug),
                        _ => String::new(),
                    };
                    (
                        Failed {
                            path: display_path(root, abs),
                            section,
                            slug,
                            url,
                        },
                        d,
                    )
                };
                let file = SourceFile::read(root, abs).map_err(|d| failed(vec![d]))?;
                match role {
                    Role::Document(s) => {
                        read_document(file, *s, &lookups).map(|d| Read::Doc(Box::new(d)))
                    }
                    Role::Home => read_home(file).map(Read::Home),
                    Role::SectionIndex(s) => read_section_index(file, *s).map(Read::Index),
                }
                .map_err(failed)
            })
            .collect()
    };
    // The tables are the biggest files; they are read while the documents are.
    let (results, ((data, data_errors), data_time)) = rayon::join(read_all, || {
        let started = std::time::Instant::now();
        let loaded = data::load(root, &indicators, &authorities);
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
        root: root.to_path_buf(),
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

/// Every markdown file under content/ with its role, sorted by path so that every later
/// stage sees documents in one order whatever the file system returns.
fn content_files(root: &Path) -> (Vec<(PathBuf, Role)>, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut files = Vec::new();
    let (found, mut diags) = crate::source::walk(root, &content);
    for path in &found {
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = path.strip_prefix(&content).unwrap_or(path);
        let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
        let first = parts.next().unwrap_or_default();
        let depth = 1 + parts.count();
        let section = Section::ALL.into_iter().find(|s| s.dir() == first);
        let index = rel.file_name().is_some_and(|n| n == INDEX_FILE);
        match (section, depth, index) {
            (Some(s), 2, true) if Section::LISTED.contains(&s) => {
                files.push((path.to_path_buf(), Role::SectionIndex(s)))
            }
            (Some(s), 2.., false) => files.push((path.to_path_buf(), Role::Document(s))),
            (None, 1, true) => files.push((path.to_path_buf(), Role::Home)),
            (_, _, true) => diags.push(
                Diagnostic::new(
                    display_path(root, path),
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
                    display_path(root, path),
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
