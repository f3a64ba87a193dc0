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
pub mod csvfile;
pub mod data;
pub mod diagnostic;
pub mod facts;
pub mod feeds;
pub mod frontmatter;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod newdoc;
pub mod output;
pub mod render;
pub mod routes;
pub mod search;
pub mod site;
pub mod source;
pub mod suggest;
pub mod taxonomy;

pub use diagnostic::Diagnostic;
pub use load::Options;

use content::Section;
use markdown::{Highlighter, Links, Rendered};
use output::Sink;
use rayon::prelude::*;
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
    /// How long each stage took, in order (`--timings`).
    pub timings: Vec<(&'static str, Duration)>,
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
/// place.
fn generate(
    root: &Path,
    options: &Options,
    sink: &dyn Sink,
    index: bool,
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
    let bodies: Vec<Rendered> = site
        .docs
        .par_iter()
        .map(|d| {
            let untrusted = d.section() == Section::Evidence;
            markdown::render(
                &d.path,
                &d.text,
                d.body_offset,
                &links,
                &highlighter,
                untrusted,
            )
        })
        .collect();
    let home_body = match &site.home {
        Some(h) => markdown::render(&h.path, &h.text, h.body_offset, &links, &highlighter, false),
        None => Rendered::default(),
    };
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
    let page_files: BTreeSet<String> = urls.iter().map(|u| routes::output_file(u)).collect();
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
    if !diags.is_empty() {
        return Err(diagnostic::sorted(diags));
    }
    clock.lap("link check");

    let mut renderer = render::Renderer::new(&site, &facts, &theme, &bodies, &home_body.html)?;
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
                search::stage(root, &site, docs)
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
            timings: clock.laps,
        },
        staged,
    ))
}

/// Checks the site at `root` as a build would, writing nothing.
pub fn check(root: &Path, options: &Options) -> Result<Built, Vec<Diagnostic>> {
    generate(root, options, &output::Discard::default(), false).map(|(built, _)| built)
}

/// Builds the site at `root` into `out`, replacing it only if the whole build succeeds.
pub fn build(root: &Path, out: &Path, options: &Options) -> Result<Built, Vec<Diagnostic>> {
    let (built, staged) = output::atomically(
        out,
        |folder| generate(root, options, folder, true),
        |e| {
            vec![Diagnostic::new(
                out.display().to_string(),
                None,
                format!("cannot write the site: {e}"),
            )]
        },
    )?;
    if let Some(staged) = staged {
        staged.commit(root).map_err(|e| {
            vec![Diagnostic::new(
                search::INDEX_DIR,
                None,
                format!("the site was built, but the search index could not be saved: {e}"),
            )]
        })?;
    }
    Ok(built)
}
