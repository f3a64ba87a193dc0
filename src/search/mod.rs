//! Search: a tantivy index of every published document's rendered text, built with the site;
//! `ntg search` queries it, and its static export under `/search/` lets the browser client
//! answer the same queries with the same ranking.

pub mod analyzer;
mod doc;
mod export;
mod index;
mod query;
mod text;

pub use doc::{Facet, SearchDoc, region_slug};
pub use export::Export;
pub use query::{Filters, Hit, query_terms, search as run};

use crate::diagnostic::Diagnostic;
use crate::site::Site;
use std::path::{Path, PathBuf};

/// Where a site keeps its index, below its root: beside the site, not in it.
pub const INDEX_DIR: &str = ".ntg-cache/search-index";

/// A build's new index, written beside the old one until the build has succeeded; removed
/// when dropped uncommitted, so a failed build leaves the old index as it was.
pub struct Staged {
    dir: Option<PathBuf>,
    pub export: Export,
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new(INDEX_DIR, None, format!("{what}: {e}"))
}

/// Indexes `docs` into a fresh folder next to the site's index and exports it. Documents are
/// numbered in facet order (type, region, group, theme, outcome, then site order), so each
/// facet's documents lie in long runs: its file in the export shrinks to a fraction of what
/// site order gives.
pub fn stage(root: &Path, site: &Site, mut docs: Vec<SearchDoc>) -> Result<Staged, Diagnostic> {
    const ORDER: [Facet; 5] = [
        Facet::Type,
        Facet::Region,
        Facet::Group,
        Facet::Theme,
        Facet::Outcome,
    ];
    let ranks: Vec<std::collections::HashMap<String, usize>> = ORDER
        .iter()
        .map(|f| {
            f.values(site)
                .into_iter()
                .enumerate()
                .map(|(i, (v, _))| (v, i))
                .collect()
        })
        .collect();
    let key = |d: &SearchDoc| -> Vec<Vec<usize>> {
        ORDER
            .iter()
            .zip(&ranks)
            .map(|(&f, rank)| {
                let mut r: Vec<usize> = d.facets[f as usize]
                    .iter()
                    .filter_map(|v| rank.get(v).copied())
                    .collect();
                r.sort_unstable();
                r
            })
            .collect()
    };
    let keys: Vec<(Vec<Vec<usize>>, usize)> =
        docs.iter().enumerate().map(|(i, d)| (key(d), i)).collect();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut slots: Vec<Option<SearchDoc>> = docs.drain(..).map(Some).collect();
    let docs: Vec<SearchDoc> = order
        .iter()
        .map(|&i| slots[i].take().expect("each once"))
        .collect();
    let docs = docs.as_slice();
    let dir = root.join(format!("{INDEX_DIR}.new-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| failed("cannot clear the new index", e))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| failed("cannot create the index", e))?;
    let result = index::write(&dir, docs)
        .and_then(|(idx, fields)| export::export(&idx, &fields, docs, site))
        .map_err(|e| failed("cannot build the search index", e));
    match result {
        Ok(export) => Ok(Staged {
            dir: Some(dir),
            export,
        }),
        Err(d) => {
            let _ = std::fs::remove_dir_all(&dir);
            Err(d)
        }
    }
}

impl Staged {
    /// Puts the new index in place of the old one: called once the whole build succeeded.
    pub fn commit(mut self, root: &Path) -> std::io::Result<()> {
        let Some(dir) = self.dir.as_ref() else {
            return Ok(());
        };
        let target = root.join(INDEX_DIR);
        // The old index moves aside first, so a failed rename can put it back and there is
        // always a whole index (or none yet) in place.
        let old = root.join(format!("{INDEX_DIR}.old-{}", std::process::id()));
        let had_old = target.exists();
        if had_old {
            std::fs::rename(&target, &old)?;
        }
        if let Err(e) = std::fs::rename(dir, &target) {
            if had_old {
                let _ = std::fs::rename(&old, &target);
            }
            return Err(e);
        }
        self.dir = None;
        if had_old {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

/// The client's scripts: the theme's `search/*.js`, written to a folder named by their
/// hash so a host can cache them forever. Returns the files and the folder's site path.
pub fn scripts(
    static_files: &std::collections::BTreeMap<String, Vec<u8>>,
) -> (Vec<(String, Vec<u8>)>, String) {
    let js: Vec<(&str, String)> = static_files
        .iter()
        .filter(|(rel, _)| is_script(rel))
        .map(|(rel, bytes)| (rel.as_str(), compact(&String::from_utf8_lossy(bytes))))
        .collect();
    let hash = js.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, (rel, text)| {
        crate::render::fnv1a_continue(
            crate::render::fnv1a_continue(h, rel.as_bytes()),
            text.as_bytes(),
        )
    });
    let dir = format!("/search/js/{:012x}/", hash & 0xffff_ffff_ffff);
    let files = js
        .into_iter()
        .map(|(rel, text)| {
            let name = rel.trim_start_matches("search/");
            (
                format!("{}{name}", dir.trim_start_matches('/')),
                text.into_bytes(),
            )
        })
        .collect();
    (files, dir)
}

/// The client's scripts without their whole-line comments, blank lines and indentation: a
/// quarter of what a phone downloads, for nothing it runs. Only whole lines go, so the
/// scripts must not start a line of code with `*` or hold multi-line strings (ours do not;
/// the browser and parity tests run what this produces).
fn compact(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    for line in js.lines().map(str::trim) {
        let comment = line.starts_with("//")
            || line.starts_with("/*")
            || line.starts_with("* ")
            || line == "*"
            || line.starts_with("*/");
        if !line.is_empty() && !comment {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Is this static file one of the search client's scripts (written by `scripts`, not copied)?
pub fn is_script(rel: &str) -> bool {
    rel.starts_with("search/") && rel.ends_with(".js")
}

/// Opens the index a build left at `root`.
pub fn open(root: &Path) -> Result<(tantivy::Index, index::Fields), String> {
    let dir = root.join(INDEX_DIR);
    if !dir.join("meta.json").is_file() {
        return Err(format!(
            "no search index at {}: run `ntg build` first",
            dir.display()
        ));
    }
    index::open(&dir).map_err(|e| format!("cannot open the search index: {e}"))
}

/// Why `ntg search` could not answer.
pub enum SearchError {
    /// The command line named a filter value the site does not have (exit status 2).
    Usage(String),
    /// The site's data or index could not be read (exit status 1).
    Site(String),
}

/// `ntg search`: checks the filters against the site's vocabularies, then queries the
/// index the last build left.
pub fn cli(
    root: &Path,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> Result<Vec<Hit>, SearchError> {
    let site_error = |d: Vec<Diagnostic>| {
        SearchError::Site(
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    };
    let tax = crate::load::taxonomies(root).map_err(site_error)?;
    let las = crate::load::authorities(root).map_err(site_error)?;
    for (f, chosen) in Facet::ALL.iter().zip(filters) {
        let values = f.values_of(&tax, &las);
        for v in chosen {
            if !values.iter().any(|(known, _)| known == v) {
                let help = crate::suggest::did_you_mean(v, values.iter().map(|(k, _)| k.as_str()))
                    .unwrap_or_else(|| {
                        let all: Vec<&str> = values.iter().map(|(k, _)| k.as_str()).collect();
                        format!("one of: {}", all.join(", "))
                    });
                return Err(SearchError::Usage(format!(
                    "unknown {} `{v}`; {help}",
                    f.key()
                )));
            }
        }
    }
    let (index, fields) = open(root).map_err(SearchError::Site)?;
    run(&index, &fields, query, filters, limit)
        .map_err(|e| SearchError::Site(format!("search failed: {e}")))
}
