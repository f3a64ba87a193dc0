//! `ntg` builds the Narrowing the Gap effective-practice digest: markdown documents with
//! typed front matter, checked against the programme's vocabularies, rendered to a static site.
//!
//! One build is a pipeline of stages, each a function of the previous stage's value:
//! load and resolve (`load`), join (`facts`), markdown (`markdown`), link check
//! (`linkcheck`), render (`render`, `feeds`) and write (`output`).

pub mod authorities;
pub mod charts;
pub mod config;
pub mod content;
pub mod csp;
pub mod csvfile;
pub mod data;
pub mod diagnostic;
pub mod escape;
pub mod facts;
pub mod feeds;
pub mod frontmatter;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod hash;
pub mod html_tokens;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod names;
pub mod nesting;
pub mod newdoc;
pub mod outpath;
pub mod output;
pub mod render;
pub mod routes;
pub mod sanitise;
pub mod search;
pub mod site;
pub mod source;
pub mod stamp;
pub mod suggest;
pub mod taxonomy;
pub mod yaml;

pub use diagnostic::Diagnostic;
pub use load::Options;

use content::Section;
use markdown::{Highlighter, Links, Rendered};
use output::Sink;
use rayon::prelude::*;
use sanitise::RawHtml;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

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

/// Why a build did not put a new site in place, and what it left at the output.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// What the output is now, for the CLI to say.
    pub output: output::Left,
}

/// Time per stage, taken as each one ends.
struct Stopwatch {
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

/// Runs every stage, sending each output file to `sink` as it is made: `check` passes a sink
/// that keeps nothing, `build` one that writes the staging folder. With `index`, the search
/// index is built too, and returned staged for the caller to commit once the output is in
/// place, reusing what the index folder `previous` kept of unchanged work.
fn generate(
    root: &Path,
    options: &Options,
    sink: &dyn Sink,
    index: bool,
    previous: Option<&Path>,
) -> Result<(Built, Option<search::Staged>), Vec<Diagnostic>> {
    let mut clock = Stopwatch::start();
    let load::Loaded {
        site,
        errors,
        failed,
        data_time,
    } = load::load(root, options).map_err(diagnostic::sorted)?;
    clock.lap("load and resolve (documents and data together)");
    clock
        .laps
        .push(("  of which gap tables and series", data_time));
    let mut diags = errors;
    let facts = facts::join(&site);
    clock.lap("join");
    let theme = render::Theme::load(root, site.config.theme.as_deref())?;
    let jobs = render::jobs(&site, &facts);
    let urls: Vec<String> = jobs.iter().map(|j| j.url(&site)).collect();

    let by_path: HashMap<String, String> = site
        .docs
        .iter()
        .map(|d| (d.path.clone(), d.url.clone()))
        .collect();
    let href = |p: &str| site.href(p);
    let links = Links {
        by_path: &by_path,
        href: &href,
    };
    let highlighter = Highlighter::default();
    let own_html = if site.config.trusted_raw_html {
        RawHtml::PassThrough
    } else {
        RawHtml::Safe
    };
    let rendered: Vec<Result<Rendered, Diagnostic>> = site
        .docs
        .par_iter()
        .map(|d| {
            let raw = if d.section() == Section::Evidence {
                RawHtml::Submission
            } else {
                own_html
            };
            markdown::render(&d.path, &d.text, d.body_offset, &links, &highlighter, raw)
        })
        .collect();
    let home_body = match &site.home {
        Some(h) => markdown::render(
            &h.path,
            &h.text,
            h.body_offset,
            &links,
            &highlighter,
            own_html,
        ),
        None => Ok(Rendered::default()),
    };
    // A body too deep to render has no anchors for links to be checked against, so the
    // build stops here, reporting it with the errors found so far.
    let mut too_deep = Vec::new();
    let mut keep = |r: Result<Rendered, Diagnostic>| {
        r.unwrap_or_else(|d| {
            too_deep.push(d);
            Rendered::default()
        })
    };
    let bodies: Vec<Rendered> = rendered.into_iter().map(&mut keep).collect();
    let home_body = keep(home_body);
    if !too_deep.is_empty() {
        too_deep.extend(diags);
        return Err(diagnostic::sorted(too_deep));
    }
    clock.lap("markdown");

    let mut pages: Vec<linkcheck::Page> = site
        .docs
        .iter()
        .zip(&bodies)
        .map(|(d, body)| linkcheck::Page {
            path: &d.path,
            url: &d.url,
            body,
        })
        .collect();
    if let Some(h) = &site.home {
        pages.push(linkcheck::Page {
            path: &h.path,
            url: "/",
            body: &home_body,
        });
    }
    let open_data = data::export::all(&site.data, &site.authorities);
    clock.lap("open data");
    let doc_urls: BTreeSet<&str> = site.docs.iter().map(|d| d.url.as_str()).collect();
    let generated: BTreeSet<String> = urls
        .iter()
        .filter(|u| !doc_urls.contains(u.as_str()))
        .cloned()
        .chain(theme.static_files.keys().map(|k| format!("/{k}")))
        .chain(open_data.iter().map(|(path, _)| path.clone()))
        .chain(routes::GENERATED_FILES.iter().map(|s| s.to_string()))
        .collect();
    diags.extend(linkcheck::check(
        &pages,
        &linkcheck::Known {
            site: &site,
            generated: &generated,
            failed: &failed,
        },
    ));
    // A URL that makes no valid file is reported when its page is written.
    let page_files: BTreeSet<String> = urls
        .iter()
        .filter_map(|u| routes::output_file(u).ok())
        .map(|p| p.as_str().to_string())
        .collect();
    for rel in theme.static_files.keys() {
        if page_files.contains(rel) || routes::GENERATED_FILES.contains(&format!("/{rel}").as_str())
        {
            diags.push(Diagnostic::new(
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

    let mut renderer = render::Renderer::new(&site, &facts, &theme, &bodies, &home_body.html)
        .map_err(|mut e| {
            e.extend(warnings.iter().cloned());
            diagnostic::sorted(e)
        })?;
    let (scripts, scripts_dir) = search::scripts(&theme.static_files);
    let (page_jobs, search_jobs): (Vec<render::Job>, Vec<render::Job>) = jobs
        .iter()
        .cloned()
        .partition(|j| !matches!(j, render::Job::Search));
    // The index is built while the pages render: it needs only the documents' text.
    let (mut errors, staged) = rayon::join(
        || renderer.render_all(&page_jobs, sink),
        || {
            let started = Instant::now();
            let staged = index.then(|| {
                let docs: Vec<search::SearchDoc> = (0..site.docs.len())
                    .into_par_iter()
                    .map(|i| search::SearchDoc::of(&site, i, &bodies[i].html))
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
    renderer.set_search(render::SearchAssets {
        script: site.href(&format!("{scripts_dir}ui.js")),
        meta: staged.as_ref().map(|s| site.href(&s.export.meta)),
    });
    errors.extend(renderer.render_all(&search_jobs, sink));
    clock.lap("render and write pages, and index for search");
    if index {
        clock
            .laps
            .push(("  of which the search index and its export", search_time));
    }
    let sitemap_urls: Vec<&str> = urls
        .iter()
        .map(String::as_str)
        .filter(|u| *u != "/404.html")
        .collect();
    let extras = [
        (
            "sitemap.xml",
            feeds::sitemap(&site, &sitemap_urls).into_bytes(),
        ),
        ("atom.xml", feeds::atom(&site, &facts).into_bytes()),
        ("robots.txt", feeds::robots(&site).into_bytes()),
        (csp::HEADERS_FILE, csp::headers_file().into_bytes()),
    ];
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
        .filter_map(|(rel, bytes)| output::put(sink, rel, bytes).err())
        .collect::<Vec<_>>();
    errors.extend(writes);
    if !errors.is_empty() {
        errors.extend(warnings);
        return Err(diagnostic::sorted(errors));
    }
    clock.lap("feeds, static files, open data and search files written");
    let files = jobs.len()
        + extras.len()
        + theme.static_files.len()
        + open_data.len()
        + staged.as_ref().map_or(0, |s| s.export.files.len());
    Ok((
        Built {
            pages: jobs.len(),
            files,
            documents: site.docs.len(),
            warnings: diagnostic::sorted(warnings),
            timings: clock.laps,
        },
        staged,
    ))
}

/// Checks the site at `root` as a build would, writing nothing.
pub fn check(root: &Path, options: &Options) -> Result<Built, Vec<Diagnostic>> {
    generate(root, options, &output::Discard::default(), false, None).map(|(built, _)| built)
}

/// Builds the site at `root` into `out`, replacing it only if the whole build succeeds.
///
/// `out` is checked first (`output::Target`), and refused before anything is written if a
/// build there could destroy the site's files or a folder ntg did not write (`force`
/// allows the last). The site is written to a staging folder beside `out` and marked with
/// the build's id; then, holding the site's lock, the search index is put in place under
/// that id, the staging folder is exchanged with `out` in one step, and the old tree, other
/// indexes and killed builds' leftovers are removed. A kill at any moment leaves the old or
/// the new site at `out`, each with the index its marker names (see `search::INDEX_DIR`).
pub fn build(root: &Path, out: &Path, options: &Options, force: bool) -> Result<Built, Failure> {
    let target = output::Target::check(root, out, force).map_err(|d| Failure {
        diagnostics: vec![d],
        output: output::Left::Refused,
    })?;
    let unchanged = |diagnostics| Failure {
        diagnostics,
        output: output::Left::Unchanged {
            existed: target.exists(),
        },
    };
    let cannot = |what: &str, e: std::io::Error| {
        Diagnostic::new(target.shown(), None, format!("{what}: {e}"))
    };
    let lock = |what| {
        output::Lock::exclusive(&root.join(search::LOCK)).map_err(|e| {
            unchanged(vec![
                Diagnostic::new(search::LOCK, None, format!("{what}: {e}")).with_help(Some(
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
    let staging = output::Staging::create(&target)
        .map_err(|e| unchanged(vec![cannot("cannot write the site", e)]))?;
    let abandon = |staging: output::Staging, mut diags: Vec<Diagnostic>| {
        let index = (search::INDEX_DIR, root.join(search::INDEX_DIR));
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
    let previous = match output::marker::read(out) {
        Ok(Some(id)) if !options.no_cache => {
            Some(root.join(search::INDEX_DIR).join(id.to_string()))
        }
        _ => None,
    };
    let (mut built, staged) =
        match generate(root, options, staging.folder(), true, previous.as_deref()) {
            Ok((built, Some(staged))) => (built, staged),
            Ok((_, None)) => {
                let missing = Diagnostic::new(search::INDEX_DIR, None, "no search index was built");
                return Err(abandon(staging, vec![missing]));
            }
            Err(diags) => return Err(abandon(staging, diags)),
        };
    if let Err(e) = staging.mark(staged.id()) {
        return Err(abandon(staging, vec![cannot("cannot write the site", e)]));
    }
    built.files += 1;
    output::reached("staged");
    let _held = lock("cannot lock the site's search indexes")?;
    let id = match staged.place(root) {
        Ok(id) => id,
        Err(e) => {
            let d = Diagnostic::new(
                search::INDEX_DIR,
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
    output::reached("index-placed");
    let old = staging.swap_in().map_err(|(e, left)| Failure {
        diagnostics: vec![cannot("cannot put the new site in place", e)],
        output: left,
    })?;
    output::reached("exchanged");
    if let Err((dir, e)) = old.remove() {
        warnings.push(stuck(&dir, e));
    }
    output::reached("old-removed");
    warnings.extend(tidy(root, &target, &[id]));
    built.warnings.extend(warnings);
    built.warnings = diagnostic::sorted(std::mem::take(&mut built.warnings));
    Ok(built)
}

/// Removes what killed builds left beside `target` and every search index but `keep` and
/// those the markers of `target` and of the site's `public/` name. Called with the site's
/// lock held; returns what could not be removed, as warnings.
fn tidy(root: &Path, target: &output::Target, keep: &[output::BuildId]) -> Vec<Diagnostic> {
    // Beside the output first: it may put back a site whose index must then be kept.
    let mut stuck_dirs = output::leftovers::sweep_beside(target);
    let mut keep = keep.to_vec();
    for out in [target.path(), &root.join("public")] {
        if let Ok(Some(id)) = output::marker::read(out) {
            keep.push(id);
        }
    }
    stuck_dirs.extend(search::sweep(root, &keep));
    stuck_dirs
        .into_iter()
        .map(|s| {
            if s.unrestored {
                Diagnostic::new(
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

/// The warning for a folder a build meant to remove and could not.
fn stuck(dir: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(
        dir.display().to_string(),
        None,
        format!("could not remove this folder, which the next build will try again: {e}"),
    )
    .warning()
}
