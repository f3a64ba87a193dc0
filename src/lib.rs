//! `ntg` builds the Narrowing the Gap effective-practice digest: markdown documents with
//! typed front matter, checked against the programme's vocabularies, rendered to a static site.
//!
//! One build is a pipeline of stages, each a function of the previous stage's value:
//! load and resolve (`load`), join (`facts`), markdown (`markdown`), link check
//! (`linkcheck`), render (`render`, `feeds`) and write (`output`).

pub mod authorities;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod facts;
pub mod feeds;
pub mod frontmatter;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod newdoc;
pub mod output;
pub mod render;
pub mod routes;
pub mod site;
pub mod source;
pub mod suggest;
pub mod taxonomy;

pub use diagnostic::Diagnostic;
pub use load::Options;

use content::Section;
use markdown::{Highlighter, Links, Rendered};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// What a successful build produced.
pub struct Built {
    /// Output-relative path and bytes of every file, sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
    pub pages: usize,
    pub documents: usize,
}

/// Runs every stage but the write: everything `build` checks, and the files it would write.
pub fn generate(root: &Path, options: &Options) -> Result<Built, Vec<Diagnostic>> {
    let site = load::load(root, options).map_err(diagnostic::sorted)?;
    let facts = facts::join(&site);
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
        unpublished: &site.unpublished,
        href: &href,
    };
    let highlighter = Highlighter::default();
    let rendered: Vec<(Rendered, Vec<Diagnostic>)> = site
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
    let (home_body, home_diags) = match &site.home {
        Some(h) => markdown::render(&h.path, &h.text, h.body_offset, &links, &highlighter, false),
        None => Default::default(),
    };
    let mut diags: Vec<Diagnostic> = home_diags;
    let mut bodies = Vec::with_capacity(rendered.len());
    for (body, d) in rendered {
        diags.extend(d);
        bodies.push(body);
    }

    let mut sources: Vec<linkcheck::Page> = site
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
        sources.push(linkcheck::Page {
            path: &h.path,
            url: "/",
            body: &home_body,
        });
    }
    let doc_urls: BTreeSet<&str> = site.docs.iter().map(|d| d.url.as_str()).collect();
    let generated: BTreeSet<String> = urls
        .iter()
        .filter(|u| !doc_urls.contains(u.as_str()))
        .cloned()
        .collect();
    let files: BTreeSet<String> = theme
        .static_files
        .keys()
        .map(|k| format!("/{k}"))
        .chain(routes::GENERATED_FILES.iter().map(|s| s.to_string()))
        .collect();
    diags.extend(linkcheck::check(&sources, &generated, &files));
    if !diags.is_empty() {
        return Err(diagnostic::sorted(diags));
    }

    let renderer = render::Renderer::new(&site, &facts, &theme, &bodies, &home_body.html)?;
    let (pages, render_diags) = renderer.render_all(&jobs);
    if !render_diags.is_empty() {
        return Err(diagnostic::sorted(render_diags));
    }
    let page_count = pages.len();
    let mut out: Vec<(String, Vec<u8>)> =
        Vec::with_capacity(pages.len() + theme.static_files.len() + 3);
    let sitemap_urls: Vec<&str> = urls
        .iter()
        .map(String::as_str)
        .filter(|u| *u != "/404.html")
        .collect();
    out.push((
        "sitemap.xml".into(),
        feeds::sitemap(&site, &sitemap_urls).into_bytes(),
    ));
    out.push(("atom.xml".into(), feeds::atom(&site, &facts).into_bytes()));
    out.push(("robots.txt".into(), feeds::robots(&site).into_bytes()));
    out.extend(
        pages
            .into_iter()
            .map(|(url, html)| (routes::output_file(&url), html.into_bytes())),
    );
    let generated_files: BTreeSet<String> = out.iter().map(|(p, _)| p.clone()).collect();
    let mut clashes = Vec::new();
    for (rel, bytes) in theme.static_files {
        if generated_files.contains(&rel) {
            clashes.push(Diagnostic::new(
                format!("static/{rel}"),
                None,
                format!("static file `{rel}` has the address of a generated page"),
            ));
        } else {
            out.push((rel, bytes));
        }
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Built {
        files: out,
        pages: page_count,
        documents: site.docs.len(),
    })
}

/// Builds the site at `root` into `output`, replacing it only if the whole build succeeds.
pub fn build(root: &Path, output: &Path, options: &Options) -> Result<Built, Vec<Diagnostic>> {
    let built = generate(root, options)?;
    output::write_atomically(output, &built.files).map_err(|e| {
        vec![Diagnostic::new(
            output.display().to_string(),
            None,
            format!("cannot write the site: {e}"),
        )]
    })?;
    Ok(built)
}
