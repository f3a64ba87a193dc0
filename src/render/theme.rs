//! Templates and static files: the built-in default theme carried inside the binary, then a
//! theme folder named in site.yaml, then the site's own `templates/` and `static/`, each
//! layer overriding files of the same name in the one before.

use crate::diagnostic::Diagnostic;
use crate::inputs::{Inputs, SourceFile};
use std::collections::BTreeMap;

macro_rules! embedded {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $dir, "/", $name)))),*]
    };
}

const BUILTIN_TEMPLATES: &[(&str, &[u8])] = embedded!("templates":
    "base.html", "home.html", "case-study.html", "hypothesis.html", "evidence.html",
    "page.html", "list.html", "taxonomy.html", "authorities.html", "authority.html",
    "authority-indicator.html",
    "indicators.html", "indicator.html", "evidence-map.html", "map-cell.html", "search.html",
    "404.html",
    "partials/cards.html", "partials/pagination.html", "partials/tags.html", "partials/gaps.html",
);

const BUILTIN_STATIC: &[(&str, &[u8])] = embedded!("static": "css/ntg.css", "favicon.svg", "js/menu.js",
    "search/ui.js", "search/worker.js", "search/engine.js", "search/stem.js",
);

/// A template's name, its source, and where it came from (for error messages).
pub struct Template {
    pub name: String,
    pub source: String,
    pub origin: String,
}

/// The templates and static files a build renders with, layered.
pub struct Theme {
    pub templates: Vec<Template>,
    /// Output path (`css/ntg.css`) to bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Links in place of theme files, skipped.
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    /// Layers the built-in theme, the named theme (if any) and the site's own files, as
    /// `inputs` holds them.
    pub fn load(inputs: &Inputs, theme: Option<&str>) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, Template> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let mut diags = Vec::new();
        let mut warnings = Vec::new();
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
        // site.yaml's reader has checked that the theme's folder exists.
        let mut layers: Vec<String> = theme.map(|t| format!("themes/{t}/")).into_iter().collect();
        layers.push(String::new());
        for layer in layers {
            let templates_dir = format!("{layer}templates");
            for (rel, bytes) in inputs.files_under(&templates_dir) {
                let name = rel[templates_dir.len() + 1..].to_string();
                match SourceFile::decode(rel, bytes) {
                    Ok(file) => {
                        templates.insert(
                            name.clone(),
                            Template {
                                name,
                                source: file.text,
                                origin: file.rel,
                            },
                        );
                    }
                    Err(d) => diags.push(d),
                }
            }
            let static_dir = format!("{layer}static");
            for (rel, bytes) in inputs.files_under(&static_dir) {
                static_files.insert(rel[static_dir.len() + 1..].to_string(), bytes.to_vec());
            }
            warnings.extend(inputs.links_under(&templates_dir));
            warnings.extend(inputs.links_under(&static_dir));
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Theme {
            templates: templates.into_values().collect(),
            static_files,
            warnings,
        })
    }
}
