//! Search: every published document's rendered text, analysed once per build into a static
//! export under `/search/` that the browser client queries, and a state beside the site from
//! which `ntg search` makes a tantivy index that answers the same queries with the same
//! ranking.

mod analysed;
pub mod analyzer;
mod doc;
mod export;
mod index;
mod query;
mod reuse;
mod shown;
mod text;

use crate::join::facets::Facet;
pub use doc::{BodyText, SearchDoc};
pub use export::Export;
pub use index::open;
pub use query::{Filters, Hit, query_terms, search as run};
pub use shown::{Answer, Shown};

use crate::diagnostic::{Code, Diagnostic};
use crate::names::build_id::BuildId;
use crate::names::store::{INDEX_DIR, INDEX_STAGING};
use crate::resolve::site::Site;
use std::path::{Path, PathBuf};

/// A build's new index, written beside the others until the build's site is ready; removed
/// when dropped before it is placed, so a failed build leaves the indexes as they were.
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
    Diagnostic::new(
        Code::SearchIndexFailed,
        INDEX_DIR,
        None,
        format!("{what}: {e}"),
    )
}

/// Analyses and exports `docs`, keeping the state in a fresh folder next to the site's other
/// index folders. Documents are numbered in facet order (type, region, group, theme,
/// outcome, then site order), so each facet's documents lie in long runs: its file in the
/// export shrinks to a fraction of what site order gives.
///
/// `previous` is the index folder of the build whose site is in the output, if any: what
/// that build kept there (`reuse`) spares this one the work whose inputs are unchanged. When
/// nothing the stage reads has changed, its state and export are taken whole; otherwise each
/// document's analysis and each export file's compression are taken where their inputs are
/// the same. Either way the result is what a build from nothing makes.
pub fn stage(
    root: &Path,
    site: &Site,
    docs: Vec<SearchDoc>,
    previous: Option<&Path>,
) -> Result<Staged, Diagnostic> {
    let docs = in_facet_order(site, docs);
    let dir = root
        .join(INDEX_DIR)
        .join(format!("{INDEX_STAGING}{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| failed("cannot clear the new index", e))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| failed("cannot create the index", e))?;
    let kept = previous.and_then(|p| kept(p).map(|state| (p, state)));
    let inputs = inputs(site, &docs);
    let result = match kept {
        Some((from, state)) if state.inputs == inputs && linked(from, &dir).is_ok() => {
            Ok(state.export)
        }
        kept => clear(&dir).and_then(|()| {
            let state = kept.map(|(_, state)| state);
            work(&dir, site, &docs, inputs, state)
        }),
    };
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

/// `docs` in facet order.
fn in_facet_order(site: &Site, docs: Vec<SearchDoc>) -> Vec<SearchDoc> {
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
    let mut slots: Vec<Option<SearchDoc>> = docs.into_iter().map(Some).collect();
    order
        .iter()
        .map(|&i| slots[i].take().expect("each once"))
        .collect()
}

/// The key of everything the state and export are made of: the documents in index order,
/// as far as either shows them, and the facets' values and labels.
fn inputs(site: &Site, docs: &[SearchDoc]) -> u128 {
    use rayon::prelude::*;
    let per_doc: Vec<u128> = docs
        .par_iter()
        .map(|d| {
            let mut h = crate::names::hash::Hasher::new();
            h.part(d.url.as_bytes())
                .part(site.href(&d.url).as_bytes())
                .part(d.title.as_bytes())
                .part(&[u8::from(d.summary.is_some())])
                .part(d.summary.as_deref().unwrap_or_default().as_bytes())
                .part(d.text.as_bytes())
                .part(d.type_label.as_bytes());
            for values in [&d.councils, &d.standing].into_iter().chain(&d.facets) {
                h.part(&(values.len() as u64).to_le_bytes());
                for v in values {
                    h.part(v.as_bytes());
                }
            }
            h.finish().as_u128()
        })
        .collect();
    let mut h = crate::names::hash::Hasher::new();
    for f in Facet::ALL {
        for (value, label) in f.values(site) {
            h.part(value.as_bytes()).part(label.as_bytes());
        }
        h.part(b"");
    }
    for d in per_doc {
        h.part(&d.to_le_bytes());
    }
    h.finish().as_u128()
}

/// The state kept in the index folder `dir`, if it can be trusted: whole, of this version,
/// and of the export that names the folder.
fn kept(dir: &Path) -> Option<reuse::State> {
    let state = reuse::read(dir)?;
    let named = dir
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(BuildId::parse);
    (named == Some(BuildId::new(state.export.hash))).then_some(state)
}

/// Fills the empty folder `to` with the files of the index folder `from`, as hard links
/// where it can (an index's files are never written again once made), or as copies.
fn linked(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let target = to.join(entry.file_name());
        if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Empties the folder `dir` (of what a failed `linked` left).
fn clear(dir: &Path) -> Result<(), Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| failed("cannot clear the new index", e))?;
    for entry in entries {
        let path = entry
            .map_err(|e| failed("cannot clear the new index", e))?
            .path();
        std::fs::remove_file(&path).map_err(|e| failed("cannot clear the new index", e))?;
    }
    Ok(())
}

/// Analyses and exports `docs`, taking from `state` what it kept of the same inputs, and
/// leaves the new state in the empty folder `dir`: for the next build, and for `ntg search`
/// to make its index from.
fn work(
    dir: &Path,
    site: &Site,
    docs: &[SearchDoc],
    inputs: u128,
    state: Option<reuse::State>,
) -> Result<Export, Diagnostic> {
    use rayon::prelude::*;
    let (mut dict, mut known, old) = match state {
        Some(s) => (s.dict, s.docs, Some(s.export)),
        None => Default::default(),
    };
    let sampled = |i: usize| i < analysed::SURFACE_SAMPLE;
    let keys: Vec<u128> = docs
        .par_iter()
        .enumerate()
        .map(|(i, d)| analysed::key(d, sampled(i)))
        .collect();
    let mut missing: Vec<usize> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, k) in keys.iter().enumerate() {
        if !known.contains_key(k) && seen.insert(*k) {
            missing.push(i);
        }
    }
    let fresh: Vec<analysed::Fresh> = missing
        .par_iter()
        .map_init(analyzer::analyzer, |a, &i| {
            analysed::analyse(a, &docs[i], sampled(i))
        })
        .collect();
    let mut a = analyzer::analyzer();
    for (i, f) in missing.into_iter().zip(fresh) {
        known.insert(keys[i], f.intern(&mut dict, &mut a));
    }
    let analysed: Vec<&analysed::Analysed> = keys.iter().map(|k| &known[k]).collect();
    let kept = old.as_ref().map(export::kept).unwrap_or_default();
    let export = export::export(docs, &analysed, &dict, site, &kept);
    let mut listed: Vec<(u128, &analysed::Analysed)> =
        keys.iter().zip(&analysed).map(|(&k, &a)| (k, a)).collect();
    listed.sort_unstable_by_key(|&(k, _)| k);
    listed.dedup_by_key(|&mut (k, _)| k);
    let order: Vec<doc::Indexed> = docs
        .iter()
        .zip(&keys)
        .map(|(d, &k)| doc::Indexed::of(d, k))
        .collect();
    reuse::write(dir, inputs, &export, &dict, &listed, &order)
        .map_err(|e| failed("cannot save the search state", e))?;
    Ok(export)
}

impl Staged {
    /// The id of the build this index belongs to: its output's marker names it.
    pub fn id(&self) -> BuildId {
        BuildId::new(self.export.hash)
    }

    /// Puts the index where the id names it: called with the site's lock held, once the
    /// build's site is ready, before it is swapped in. A folder of that id already there was
    /// placed whole by an earlier build of the same export (a folder named by an id is only
    /// ever made, and removed, by one rename), so it answers alike and stays.
    pub fn place(mut self, root: &Path) -> std::io::Result<BuildId> {
        let id = self.id();
        let target = root.join(INDEX_DIR).join(id.to_string());
        if let Some(dir) = self.dir.take() {
            if target.is_dir() {
                std::fs::remove_dir_all(dir)?;
            } else {
                std::fs::rename(dir, &target)?;
            }
        }
        Ok(id)
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
        crate::names::hash::fnv1a_continue(
            crate::names::hash::fnv1a_continue(h, rel.as_bytes()),
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

/// `ntg search`'s answer to `query` with `filters`: the top `limit` documents of the build
/// whose index folder is `dir` and whose site is in `out`, shown from the site's export as
/// the browser shows them.
pub fn answer(
    out: &Path,
    dir: &Path,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> Result<Answer, SearchError> {
    let (index, fields) = open(dir).map_err(SearchError::Site)?;
    let hits = run(&index, &fields, query, filters, limit)
        .map_err(|e| SearchError::Site(format!("search failed: {e}")))?;
    let id = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let filtered = filters.iter().any(|f| !f.is_empty());
    shown::Exported::open(out, id)
        .and_then(|e| e.answer(query, hits, filtered))
        .map_err(SearchError::Site)
}

/// Why `ntg search` could not answer.
pub enum SearchError {
    /// The command line named a filter value the site does not have (exit status 2).
    Usage(String),
    /// The site's data or index could not be read (exit status 1).
    Site(String),
}
