//! Templates and static files: the built-in default theme carried inside the binary, then a
//! theme folder named in site.yaml, then the site's own `templates/` and `static/`, each
//! layer overriding files of the same name in the one before.

use crate::diagnostic::{Diagnostic, display_path};
use std::collections::BTreeMap;
use std::path::Path;
use walkdir::WalkDir;

macro_rules! embedded {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $dir, "/", $name)))),*]
    };
}

const BUILTIN_TEMPLATES: &[(&str, &[u8])] = embedded!("templates":
    "base.html", "home.html", "case-study.html", "hypothesis.html", "evidence.html",
    "page.html", "list.html", "taxonomy.html", "authorities.html", "authority.html",
    "indicators.html", "indicator.html", "evidence-map.html", "map-cell.html", "search.html",
    "404.html",
    "partials/cards.html", "partials/pagination.html", "partials/tags.html", "partials/gaps.html",
);

const BUILTIN_STATIC: &[(&str, &[u8])] = embedded!("static": "css/ntg.css", "favicon.svg",
    "search/ui.js", "search/worker.js", "search/engine.js", "search/stem.js",
);

/// A template's name, its source, and where it came from (for error messages).
pub struct Template {
    pub name: String,
    pub source: String,
    pub origin: String,
}

pub struct Theme {
    pub templates: Vec<Template>,
    /// Output path (`css/ntg.css`) to bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Layers the built-in theme, the named theme (if any) and the site's own files.
    pub fn load(root: &Path, theme: Option<&str>) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, Template> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let mut diags = Vec::new();
        for (name, bytes) in BUILTIN_TEMPLATES {
            let source = String::from_utf8(bytes.to_vec()).expect("built-in templates are UTF-8");
            templates.insert(
                name.to_string(),
                Template {
                    name: name.to_string(),
                    source,
                    origin: format!("(built-in theme)/templates/{name}"),
                },
            );
        }
        for (name, bytes) in BUILTIN_STATIC {
            static_files.insert(name.to_string(), bytes.to_vec());
        }
        let mut layers = Vec::new();
        // site.yaml's reader has checked that the theme's folder exists.
        layers.extend(theme.map(|t| root.join("themes").join(t)));
        layers.push(root.to_path_buf());
        for layer in layers {
            for (rel, abs) in files_under(root, &layer.join("templates"), &mut diags) {
                match std::fs::read_to_string(&abs) {
                    Ok(source) => {
                        templates.insert(
                            rel.clone(),
                            Template {
                                name: rel,
                                source,
                                origin: display_path(root, &abs),
                            },
                        );
                    }
                    Err(e) => diags.push(Diagnostic::new(
                        display_path(root, &abs),
                        None,
                        format!("cannot read template: {e}"),
                    )),
                }
            }
            for (rel, abs) in files_under(root, &layer.join("static"), &mut diags) {
                match std::fs::read(&abs) {
                    Ok(bytes) => {
                        static_files.insert(rel, bytes);
                    }
                    Err(e) => diags.push(Diagnostic::new(
                        display_path(root, &abs),
                        None,
                        format!("cannot read: {e}"),
                    )),
                }
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Theme {
            templates: templates.into_values().collect(),
            static_files,
        })
    }
}

/// Files below `dir` as (`a/b.css`, absolute path), sorted; none if `dir` does not exist.
/// A folder that cannot be read is an error, not a silently missing file.
fn files_under(
    root: &Path,
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, std::path::PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                files.push((display_path(dir, e.path()), e.path().to_path_buf()))
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| display_path(root, dir), |p| display_path(root, p));
                diags.push(Diagnostic::new(path, None, format!("cannot read: {e}")));
            }
        }
    }
    files
}
