//! `ntg` builds the Narrowing the Gap effective-practice digest: markdown documents with
//! typed front matter, checked against the programme's vocabularies, rendered to a static site.
//!
//! One build is a pipeline of stages, each a function of the previous stage's value:
//! load and resolve (`load`), join (`facts`), markdown (`markdown`), link check
//! (`linkcheck`), render (`render`, `feeds`) and write (`output`).

pub mod diagnostic;
pub mod escape;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod inputs;
pub mod join;
pub mod live;
pub mod names;
pub mod newdoc;
pub mod outpath;
pub mod render;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod suggest;
pub mod write;

use diagnostic::Code;
pub use diagnostic::Diagnostic;
pub use resolve::Options;

use inputs::Source;
use rayon::prelude::*;
use render::markdown::Rendered;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};
use write::Sink;

/// What a successful build produced.
pub struct Built {
    /// Pages rendered from templates.
    pub pages: usize,
    /// Every file written: pages, feeds, sitemap and static files.
    pub files: usize,
    pub documents: usize,
    /// Warnings: printed, but they do not fail the build. Among them, what the build could
    /// not tidy away once its site was in place (an old tree, a killed build's leftovers):
    /// the site is whole, and the next build tries again.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in order (`--timings`).
    pub timings: Vec<(&'static str, Duration)>,
}

impl Built {
    /// `--timings`: one line a stage, its time in milliseconds and its name.
    pub fn timings_text(&self) -> String {
        self.timings
            .iter()
            .map(|(stage, took)| format!("{:>8.1} ms  {stage}\n", took.as_secs_f64() * 1000.0))
            .collect()
    }
}

/// A site rendered in memory (`render`).
pub struct Made {
    /// Every output file, by its path below the output folder (`themes/x/index.html`).
    pub files: std::collections::BTreeMap<String, Vec<u8>>,
    /// Warnings, as a build prints them.
    pub warnings: Vec<Diagnostic>,
}

/// Why a build did not put a new site in place, and what it left at the output.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// What the output is now, for the CLI to say.
    pub output: write::Left,
}

/// Time per stage, taken as each one ends.
pub(crate) struct Stopwatch {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// What the stages may reuse from the last build, by kind.
pub(crate) struct Memos<'a> {
    pub(crate) bodies: &'a dyn names::hash::Memo<Rendered>,
    pub(crate) pages: &'a dyn names::hash::Memo<render::PageDone>,
    pub(crate) texts: &'a dyn names::hash::Memo<search::BodyText>,
}

/// Nothing reused: `check`, and sites rendered from memory.
const FORGET: Memos<'static> = Memos {
    bodies: &names::hash::Forget,
    pages: &names::hash::Forget,
    texts: &names::hash::Forget,
};

/// Renders `pages` in parallel into `sink`, returning every error. A page whose key the last
/// build rendered at its path is taken from the last build's output as it is, when the sink
/// can; any other is rendered and kept under its key for the next build.
fn write_pages(
    renderer: &render::Renderer,
    pages: &[&render::Planned],
    search: &render::SearchAssets,
    sink: &dyn Sink,
    memo: &dyn names::hash::Memo<render::PageDone>,
) -> Vec<Diagnostic> {
    let at = |rel: &str, key: names::hash::ContentHash| {
        let mut h = names::hash::Hasher::new();
        h.part(rel.as_bytes()).part(&key.to_bytes());
        h.finish()
    };
    let one = |page: &render::Planned| -> Result<(), Diagnostic> {
        let rel = resolve::routes::output_file(&page.url)?;
        // Only when the last build kept pages is a page's key worth its own pass; a page
        // rendered after that pass keeps the key it already has.
        let mut known = None;
        if memo.recalls() {
            let key = at(&rel, renderer.key(page, search));
            if memo.recall(key).is_some() && write::reuse(sink, &rel) {
                return Ok(());
            }
            known = Some(key);
        }
        let keyed = known.is_none() && memo.keeps();
        let (html, fresh) = renderer.render(page, search, keyed)?;
        write::put(sink, &rel, html.as_bytes())?;
        if let Some(key) = known.or(fresh.map(|k| at(&rel, k))) {
            memo.keep(key, &render::PageDone);
        }
        Ok(())
    };
    pages.par_iter().filter_map(|p| one(p).err()).collect()
}

/// The search text of `body`, taken from the last build where its HTML is unchanged.
fn body_text(body: &Rendered, memo: &dyn names::hash::Memo<search::BodyText>) -> search::BodyText {
    if !memo.keeps() {
        return search::BodyText::of(&body.html);
    }
    let key = search::BodyText::key(&body.html);
    memo.recall(key).unwrap_or_else(|| {
        let text = search::BodyText::of(&body.html);
        memo.keep(key, &text);
        text
    })
}

/// Runs every stage over `inputs`, sending each output file to `sink` as it is made: `check`
/// passes a sink that keeps nothing, `build` one that writes the staging folder, tests one
/// that keeps the files in memory. With `index` (the site's root), the search index is built
/// too, beside the site, and returned staged for the caller to commit once the output is in
/// place.
pub(crate) fn generate(
    inputs: &inputs::Inputs,
    options: &Options,
    memos: &Memos,
    sink: &dyn Sink,
    index: Option<&Path>,
    previous: Option<&Path>,
    mut clock: Stopwatch,
) -> Result<(Built, Option<search::Staged>), Vec<Diagnostic>> {
    let resolve::Loaded {
        site,
        mut errors,
        failed,
        data_time,
    } = resolve::load(inputs, options).map_err(|mut d| {
        d.extend(inputs.problems.iter().cloned());
        diagnostic::sorted(d)
    })?;
    errors.extend(inputs.problems.iter().cloned());
    clock.lap("resolve (documents and data together)");
    clock
        .laps
        .push(("  of which gap tables and series", data_time));
    let mut diags = errors;
    let facts = join::join(&site);
    diags.extend(join::lint::warnings(&site, &facts));
    clock.lap("join");
    let theme = render::Theme::load(inputs, site.config.theme.as_deref())?;
    diags.extend(theme.warnings.iter().cloned());
    let plan = render::plan(&site, &facts);

    let render::markdown::Bodies {
        docs: bodies,
        home: home_body,
        failed: failed_bodies,
        errors: too_deep,
    } = render::markdown::bodies(&site, &failed, memos.bodies);
    // A body too deep to render has no anchors for links to be checked against, so the
    // build stops here, reporting it with the errors found so far.
    if !too_deep.is_empty() {
        diags.extend(too_deep);
        return Err(diagnostic::sorted(diags));
    }
    clock.lap("markdown");

    // The documents that failed to load come first, so that a page that did load wins an
    // address they share; their links are checked all the same.
    let mut pages: Vec<render::linkcheck::Page> = failed
        .iter()
        .zip(&failed_bodies)
        .filter_map(|(f, body)| {
            Some(render::linkcheck::Page {
                path: &f.path,
                url: &f.url,
                body: body.as_ref()?,
            })
        })
        .chain(
            site.docs
                .iter()
                .zip(&bodies)
                .map(|(d, body)| render::linkcheck::Page {
                    path: &d.path,
                    url: &d.url,
                    body,
                }),
        )
        .collect();
    if let Some(h) = &site.home {
        pages.push(render::linkcheck::Page {
            path: &h.path,
            url: "/",
            body: &home_body,
        });
    }
    let open_data = render::open_data::all(&site.data, &site.authorities);
    clock.lap("open data");
    let doc_urls: BTreeSet<&str> = site.docs.iter().map(|d| d.url.as_str()).collect();
    let generated: BTreeSet<String> = plan
        .iter()
        .map(|p| &p.url)
        .filter(|u| !doc_urls.contains(u.as_str()))
        .cloned()
        .chain(theme.static_files.keys().map(|k| format!("/{k}")))
        .chain(open_data.iter().map(|(path, _)| path.clone()))
        .chain(
            resolve::routes::GENERATED_FILES
                .iter()
                .map(|s| s.to_string()),
        )
        .collect();
    diags.extend(render::linkcheck::check(
        &pages,
        &render::linkcheck::Known {
            site: &site,
            generated: &generated,
            failed: &failed,
        },
    ));
    // A URL that makes no valid file is reported when its page is written.
    let page_files: BTreeSet<String> = plan
        .iter()
        .filter_map(|p| resolve::routes::output_file(&p.url).ok())
        .map(|p| p.as_str().to_string())
        .collect();
    for rel in theme.static_files.keys() {
        if page_files.contains(rel)
            || resolve::routes::GENERATED_FILES.contains(&format!("/{rel}").as_str())
        {
            diags.push(Diagnostic::new(
                Code::StaticFileClash,
                format!("static/{rel}"),
                None,
                format!("static file `{rel}` has the address of a page the build generates"),
            ));
        }
    }
    if diagnostic::has_errors(&diags) {
        return Err(diagnostic::sorted(diags));
    }
    // What is left are warnings, reported with whatever follows.
    let warnings = diags;
    clock.lap("link check");

    let renderer = render::Renderer::new(&site, &facts, &theme, &bodies, &home_body.html).map_err(
        |mut e| {
            e.extend(warnings.iter().cloned());
            diagnostic::sorted(e)
        },
    )?;
    let (scripts, scripts_dir) = search::scripts(&theme.static_files);
    let (after_index, pages): (Vec<&render::Planned>, Vec<&render::Planned>) = plan
        .iter()
        .partition(|p| p.needs() == render::Needs::SearchIndex);
    let mut assets = render::SearchAssets {
        script: site.href(&format!("{scripts_dir}ui.js")),
        meta: None,
    };
    // The index is built while the pages render: it needs only the documents' text.
    let (mut errors, staged) = rayon::join(
        || write_pages(&renderer, &pages, &assets, sink, memos.pages),
        || {
            let started = Instant::now();
            let staged = index.map(|root| {
                let docs: Vec<search::SearchDoc> = (0..site.docs.len())
                    .into_par_iter()
                    .map(|i| search::SearchDoc::of(&site, i, &body_text(&bodies[i], memos.texts)))
                    .collect();
                search::stage(root, &site, docs, previous)
            });
            (staged, started.elapsed())
        },
    );
    let (staged, search_time) = staged;
    let staged = match staged.transpose() {
        Ok(s) => s,
        Err(d) => {
            errors.push(d);
            None
        }
    };
    assets.meta = staged.as_ref().map(|s| site.href(&s.export.meta));
    errors.extend(write_pages(
        &renderer,
        &after_index,
        &assets,
        sink,
        memos.pages,
    ));
    // `check` renders everything a build would into a sink that keeps nothing: its stages say so.
    clock.lap(if index.is_some() {
        "render and write pages, and index for search"
    } else {
        "render pages, not written"
    });
    if index.is_some() {
        clock
            .laps
            .push(("  of which the search index and its export", search_time));
    }
    let sitemap_urls: Vec<&str> = plan
        .iter()
        .map(|p| p.url.as_str())
        .filter(|u| *u != "/404.html")
        .collect();
    let extras = [
        (
            "sitemap.xml",
            render::feeds::sitemap(&site, &sitemap_urls).into_bytes(),
        ),
        ("atom.xml", render::feeds::atom(&site, &facts).into_bytes()),
        ("robots.txt", render::feeds::robots(&site).into_bytes()),
        (
            render::csp::HEADERS_FILE,
            render::csp::headers_file().into_bytes(),
        ),
    ];
    // The export's folder is named by its hash, new whenever the export changes.
    if let Some((dir, _)) = staged
        .as_ref()
        .and_then(|s| s.export.meta.trim_start_matches('/').rsplit_once('/'))
    {
        write::versioned(sink, dir);
    }
    let writes = extras
        .par_iter()
        .map(|(rel, bytes)| (*rel, bytes.as_slice()))
        .chain(
            theme
                .static_files
                .par_iter()
                .filter(|(rel, _)| !search::is_script(rel))
                .map(|(rel, bytes)| (rel.as_str(), bytes.as_slice())),
        )
        .chain(
            scripts
                .par_iter()
                .map(|(rel, bytes)| (rel.as_str(), bytes.as_slice())),
        )
        .chain(staged.par_iter().flat_map_iter(|s| {
            s.export
                .files
                .iter()
                .map(|(rel, bytes)| (rel.as_str(), bytes.as_slice()))
        }))
        .chain(
            open_data
                .par_iter()
                .map(|(path, bytes)| (path.trim_start_matches('/'), bytes.as_slice())),
        )
        .filter_map(|(rel, bytes)| write::put(sink, rel, bytes).err())
        .collect::<Vec<_>>();
    errors.extend(writes);
    // Denied warnings fail here, once everything has been rendered, so that the report
    // holds every error a build would find too; for `build`, before anything is swapped in.
    if !errors.is_empty() || (options.deny_warnings && !warnings.is_empty()) {
        errors.extend(warnings);
        return Err(diagnostic::sorted(errors));
    }
    clock.lap(if index.is_some() {
        "feeds, static files, open data and search files written"
    } else {
        "feeds, static files and open data made, not written"
    });
    let files = plan.len()
        + extras.len()
        + theme.static_files.len()
        + open_data.len()
        + staged.as_ref().map_or(0, |s| s.export.files.len());
    Ok((
        Built {
            pages: plan.len(),
            files,
            documents: site.docs.len(),
            warnings: diagnostic::sorted(warnings),
            timings: clock.laps,
        },
        staged,
    ))
}

/// The files `source` holds, read once, and the clock started before.
pub(crate) fn snapshot(source: &dyn Source) -> (inputs::Inputs, Stopwatch) {
    let mut clock = Stopwatch::start();
    let inputs = source.snapshot();
    clock.lap("read the site's files");
    (inputs, clock)
}

/// Checks the site at `root` as a build would, writing nothing.
pub fn check(root: &Path, options: &Options) -> Result<Built, Vec<Diagnostic>> {
    let (inputs, clock) = snapshot(&inputs::Disk { root });
    let sink = write::Discard::default();
    generate(&inputs, options, &FORGET, &sink, None, None, clock).map(|(built, _)| built)
}

/// A site rendered from `source` alone, with no disk: every output file by path, and the
/// build's warnings. No search index is built (it is kept on disk), so the search page
/// names none. For tests, fuzzing and the dev server.
pub fn render(source: &dyn Source, options: &Options) -> Result<Made, Vec<Diagnostic>> {
    let (inputs, clock) = snapshot(source);
    let sink = write::Memory::default();
    let (built, _) = generate(&inputs, options, &FORGET, &sink, None, None, clock)?;
    Ok(Made {
        files: sink
            .into_files()
            .into_iter()
            .map(|(rel, bytes)| (rel, bytes.to_vec()))
            .collect(),
        warnings: built.warnings,
    })
}

/// Builds the site at `root` into `out`, replacing it only if the whole build succeeds.
///
/// `out` is checked first (`write::Target`), and refused before anything is written if a
/// build there could destroy the site's files or a folder ntg did not write (`force`
/// allows the last). The site is written to a staging folder beside `out` (the spare the
/// last build kept, when there is one, updated) and marked with the build's id; then,
/// holding the site's lock, the search index is put in place under that id, the staging
/// folder is exchanged with `out` in one step, the old tree is kept as the next spare, and
/// other indexes and killed builds' leftovers are removed. A kill at any moment leaves the
/// old or the new site at `out`, each with the index its marker names (see
/// `names::store::INDEX_DIR`).
pub fn build(root: &Path, out: &Path, options: &Options, force: bool) -> Result<Built, Failure> {
    let target = write::Target::check(root, out, force).map_err(|d| Failure {
        diagnostics: vec![d],
        output: write::Left::Refused,
    })?;
    let unchanged = |diagnostics| Failure {
        diagnostics,
        output: write::Left::Unchanged {
            existed: target.exists(),
        },
    };
    let cannot = |what: &str, e: std::io::Error| {
        Diagnostic::new(
            Code::WriteFailed,
            target.shown(),
            None,
            format!("{what}: {e}"),
        )
    };
    let lock = |what| {
        write::Lock::exclusive(&root.join(names::store::LOCK)).map_err(|e| {
            unchanged(vec![
                Diagnostic::new(
                    Code::LockFailed,
                    names::store::LOCK,
                    None,
                    format!("{what}: {e}"),
                )
                .with_help(Some(
                    "the lock lives in the site's `.ntg-cache/` folder: make that folder \
                     writable, then build again"
                        .into(),
                )),
            ])
        })
    };
    // Leftovers first, so that space they hold is free for this build.
    let mut warnings = {
        let _held = lock("cannot lock the site's search indexes")?;
        tidy(root, &target, &[])
    };
    // What the last build kept: among it, the previous output's manifest, so that files this
    // build leaves unchanged are linked.
    let previous = write::cache::Store::open(root, options.no_cache);
    let manifest_key = write::manifest::Manifest::key(target.path());
    let spare_key = write::manifest::Manifest::spare_key(target.path());
    // `--no-cache` keeps no spare: the manifest that would prove its files is not saved.
    let spare = (!options.no_cache).then(|| previous.get(spare_key));
    let staging = write::Staging::create(&target, previous.get(manifest_key), spare)
        .map_err(|e| unchanged(vec![cannot("cannot write the site", e)]))?;
    let abandon = |staging: write::Staging, mut diags: Vec<Diagnostic>| {
        let index = (names::store::INDEX_DIR, root.join(names::store::INDEX_DIR));
        diags = staging
            .folder()
            .one_write_error(diags, target.shown(), (index.0, &index.1));
        if let Err(e) = staging.discard() {
            diags.push(cannot("cannot remove the staging folder beside it", e));
        }
        unchanged(diagnostic::sorted(diags))
    };
    // The index that answers for the site in the output now, whose kept work this build
    // may take; read before the lock is taken again, and trusted only as `stage` checks it.
    let previous_index = match write::marker::read(out) {
        Ok(Some(id)) if !options.no_cache => {
            Some(root.join(names::store::INDEX_DIR).join(id.to_string()))
        }
        _ => None,
    };
    let next = write::cache::Next::new();
    let memory = write::cache::Memory {
        previous: &previous,
        next: &next,
    };
    // `--no-cache` keeps nothing, so nothing is worth a key.
    let memos = if options.no_cache {
        FORGET
    } else {
        Memos {
            bodies: &memory,
            pages: &memory,
            texts: &memory,
        }
    };
    let (inputs, clock) = snapshot(&inputs::Disk { root });
    let generated = generate(
        &inputs,
        options,
        &memos,
        staging.folder(),
        Some(root),
        previous_index.as_deref(),
        clock,
    );
    let (mut built, staged) = match generated {
        Ok((built, Some(staged))) => (built, staged),
        Ok((_, None)) => {
            let missing = Diagnostic::new(
                Code::SearchIndexFailed,
                names::store::INDEX_DIR,
                None,
                "no search index was built",
            );
            return Err(abandon(staging, vec![missing]));
        }
        Err(diags) => return Err(abandon(staging, diags)),
    };
    if let Err(e) = staging.folder().finish() {
        return Err(abandon(staging, vec![cannot("cannot write the site", e)]));
    }
    if let Err(e) = staging.mark(staged.id()) {
        return Err(abandon(staging, vec![cannot("cannot write the site", e)]));
    }
    built.files += 1;
    write::reached("staged");
    // The steps after the site is staged, timed too: at 10,000 documents, putting the site
    // in place and removing the old one cost seconds.
    let mut clock = Stopwatch::start();
    let _held = lock("cannot lock the site's search indexes")?;
    let id = match staged.place(root) {
        Ok(id) => id,
        Err(e) => {
            let d = Diagnostic::new(
                Code::SearchIndexFailed,
                names::store::INDEX_DIR,
                None,
                format!("cannot save the search index: {e}"),
            )
            .with_help(Some(
                "make room on the site's disk, or make `.ntg-cache/` writable, then build again"
                    .into(),
            ));
            return Err(abandon(staging, vec![d]));
        }
    };
    write::reached("index-placed");
    clock.lap("site lock taken and search index saved");
    let manifest = staging.folder().manifest();
    let old_manifest = staging.folder().previous_manifest().cloned();
    let old = staging.swap_in().map_err(|(e, left)| Failure {
        diagnostics: vec![cannot("cannot put the new site in place", e)],
        output: left,
    })?;
    write::reached("exchanged");
    clock.lap("new site swapped in");
    let retired = old.retire().unwrap_or_else(|(dir, e)| {
        warnings.push(stuck(&dir, e));
        write::Retired::Removed
    });
    write::reached("old-removed");
    // The old site, kept as the spare, is what the output's manifest recorded until now.
    let mut manifests = vec![(manifest_key, manifest)];
    if retired == write::Retired::Spare {
        manifests.push((spare_key, old_manifest.unwrap_or_default()));
    }
    // `--no-cache` neither reads nor replaces the cache.
    if !options.no_cache {
        warnings.extend(keep(root, next, &previous, &manifests));
    }
    clock.lap("old site kept as the spare, and build cache saved");
    warnings.extend(tidy(root, &target, &[id]));
    clock.lap("leftovers and old indexes removed");
    built.timings.extend(clock.laps);
    built.warnings.extend(warnings);
    built.warnings = diagnostic::sorted(std::mem::take(&mut built.warnings));
    Ok(built)
}

/// `ntg search`: checks the filters against the site's vocabularies, then queries the
/// index that answers for the site in `out`.
pub fn query(
    root: &Path,
    out: &Path,
    query: &str,
    filters: &search::Filters,
    limit: usize,
) -> Result<search::Answer, search::SearchError> {
    let site_error = |d: Vec<Diagnostic>| {
        search::SearchError::Site(
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    };
    use crate::resolve::{AUTHORITIES, TAXONOMIES};
    let inputs = crate::inputs::Disk { root }.named(&[TAXONOMIES, AUTHORITIES]);
    let tax = crate::resolve::taxonomies(&inputs).map_err(site_error)?;
    let las = crate::resolve::authorities(&inputs).map_err(site_error)?;
    for (f, chosen) in join::facets::Facet::ALL.iter().zip(filters) {
        let values = f.values_of(&tax, &las);
        for v in chosen {
            if !values.iter().any(|(known, _)| known == v) {
                let help = crate::suggest::did_you_mean(v, values.iter().map(|(k, _)| k.as_str()))
                    .unwrap_or_else(|| {
                        let all: Vec<&str> = values.iter().map(|(k, _)| k.as_str()).collect();
                        format!("one of: {}", all.join(", "))
                    });
                return Err(search::SearchError::Usage(format!(
                    "unknown {} `{v}`; {help}",
                    f.key()
                )));
            }
        }
    }
    let (dir, _held) = write::indexes::answering(root, out).map_err(search::SearchError::Site)?;
    search::answer(out, &dir, query, filters, limit)
}

/// Removes what killed builds left beside `target` and every search index but `keep` and
/// those the markers of `target` and of the site's `public/` name. Called with the site's
/// lock held; returns what could not be removed, as warnings.
fn tidy(root: &Path, target: &write::Target, keep: &[names::build_id::BuildId]) -> Vec<Diagnostic> {
    // Beside the output first: it may put back a site whose index must then be kept.
    let mut stuck_dirs = write::leftovers::sweep_beside(target);
    let mut keep = keep.to_vec();
    for out in [target.path(), &root.join("public")] {
        if let Ok(Some(id)) = write::marker::read(out) {
            keep.push(id);
        }
    }
    stuck_dirs.extend(write::indexes::sweep(root, &keep));
    stuck_dirs
        .into_iter()
        .map(|s| {
            if s.unrestored {
                Diagnostic::new(
                    Code::RestoreFailed,
                    s.path.display().to_string(),
                    None,
                    format!(
                        "the previous site, moved here by a build that was stopped, could not \
                         be moved back to {}: {}",
                        target.shown(),
                        s.error
                    ),
                )
                .with_help(Some(format!(
                    "if this build fails too, move this folder to {} by hand",
                    target.shown()
                )))
                .warning()
            } else {
                stuck(&s.path, s.error)
            }
        })
        .collect()
}

/// Commits the cache the next build reads: what the stages kept, and the manifests of the
/// output now in place and of the spare beside it. Called with the site's lock held, after
/// the swap, so that a build that failed or was killed before leaves the old cache beside
/// the old site; a cache that cannot be saved is a warning (the site is whole, and the next
/// build makes everything).
fn keep(
    root: &Path,
    next: write::cache::Next,
    previous: &write::cache::Store,
    manifests: &[(names::hash::ContentHash, write::manifest::Manifest)],
) -> Option<Diagnostic> {
    let saved = manifests
        .iter()
        .try_for_each(|(key, m)| next.put(*key, m))
        .map_err(std::io::Error::other)
        .and_then(|()| next.commit(root, previous));
    saved.err().map(|e| cache_not_saved(&e.to_string()))
}

/// The warning for a build cache that could not be saved.
fn cache_not_saved(why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::CacheNotSaved,
        write::cache::DIR,
        None,
        format!("could not save the build cache, so the next build makes every file: {why}"),
    )
    .warning()
}

/// The warning for a folder a build meant to remove and could not.
fn stuck(dir: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::CleanupFailed,
        dir.display().to_string(),
        None,
        format!("could not remove this folder, which the next build will try again: {e}"),
    )
    .warning()
}
