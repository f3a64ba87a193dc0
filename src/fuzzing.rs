//! Entry points for fuzzing and its regression tests: one function per fuzz target, each
//! taking arbitrary bytes, calling the same library code a build calls, and returning what
//! the target checks. The fuzz targets in `fuzz/` and `tests/fuzz_regressions.rs` both call
//! these, so a crash found by the fuzzer replays on stable exactly as it was found.
//!
//! The checkers panic, because a panic is what a fuzzer records as a finding and what a test
//! reports as a failure.
//!
//! Built only with the `fuzzing` feature, so that the HTML parser the checker needs is not
//! part of `ntg` itself.

use crate::diagnostic::Diagnostic;
use crate::inputs::SourceFile;
use crate::render::markdown::{Highlighter, Links};
use crate::render::sanitise::RawHtml;
use crate::resolve::authorities::Authorities;
use crate::resolve::config::SiteConfig;
use crate::resolve::content::{Lookups, Section, read_document, read_home};
use crate::resolve::data::ees::{Table, parse_meta};
use crate::resolve::data::indicators::Indicators;
use crate::resolve::taxonomy::Taxonomies;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// What front matter is checked against: a site's vocabularies, local authorities and
/// indicators, loaded once and shared by every input.
pub struct Vocabularies {
    taxonomies: Taxonomies,
    authorities: Authorities,
    indicators: Indicators,
}

impl Vocabularies {
    /// Loads the data files of the site at `root` as a build does.
    pub fn load(root: &Path) -> Result<Vocabularies, Vec<Diagnostic>> {
        use crate::resolve::{AUTHORITIES, TAXONOMIES};
        let inputs = crate::inputs::Disk { root }.named(&[
            TAXONOMIES,
            AUTHORITIES,
            crate::resolve::data::INDICATORS,
        ]);
        let taxonomies = crate::resolve::taxonomies(&inputs)?;
        let authorities = crate::resolve::authorities(&inputs)?;
        let indicators = crate::resolve::data::read_indicators(&inputs, &taxonomies)?;
        Ok(Vocabularies {
            taxonomies,
            authorities,
            indicators,
        })
    }
}

/// Bytes to text as `SourceFile::decode` takes them: input that is not UTF-8 stops there, so it
/// has nothing further to exercise.
fn source(rel: &str, bytes: &[u8]) -> Option<SourceFile> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(SourceFile {
        rel: rel.to_string(),
        text: text.to_string(),
    })
}

/// Reads `bytes` as a document of every section and as the home page, returning every
/// diagnostic, each checked to point inside the document.
pub fn front_matter(bytes: &[u8], vocabularies: &Vocabularies) -> Vec<Diagnostic> {
    let lookups = Lookups {
        taxonomies: &vocabularies.taxonomies,
        authorities: &vocabularies.authorities,
        indicators: &vocabularies.indicators,
    };
    let mut diags = Vec::new();
    for section in Section::ALL {
        let rel = format!("content/{}/fuzz.md", section.dir());
        let Some(file) = source(&rel, bytes) else {
            return diags;
        };
        let text = file.text.clone();
        if let Err(unread) = read_document(file, section, &lookups) {
            assert_positions(&unread.diags, &[(&rel, &text)]);
            diags.extend(unread.diags);
        }
    }
    if let Some(file) = source("content/_index.md", bytes) {
        let text = file.text.clone();
        if let Err(d) = read_home(file) {
            assert_positions(&d, &[("content/_index.md", &text)]);
            diags.extend(d);
        }
    }
    diags
}

/// Reads `bytes` as `site.yaml`, returning its diagnostics, each checked to point inside it.
pub fn site_config(bytes: &[u8]) -> Vec<Diagnostic> {
    let Some(file) = source("site.yaml", bytes) else {
        return Vec::new();
    };
    match SiteConfig::parse(&file, None, &crate::inputs::Inputs::default()) {
        Ok(_) => Vec::new(),
        Err(d) => {
            assert_positions(&d, &[("site.yaml", &file.text)]);
            d
        }
    }
}

/// Renders `bytes` as the markdown body of a document and returns its HTML (empty when the
/// body is refused, as too deep, with a diagnostic that must point inside it). `trusted`
/// passes raw HTML through, as `trusted_raw_html: true` does; otherwise the body is
/// sanitised, as a submission when its first byte is even and as a team document's safe set
/// when odd, so one target covers both modes, and the HTML is checked with
/// `assert_no_script`.
pub fn markdown(bytes: &[u8], trusted: bool) -> String {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(bytes) else {
        return String::new();
    };
    let by_path = HashMap::new();
    let href = |p: &str| p.to_string();
    let links = Links {
        by_path: &by_path,
        href: &href,
    };
    let (section, mode) = match (trusted, bytes.first().map_or(0, |b| b % 2)) {
        (true, _) => (Section::CaseStudies, RawHtml::PassThrough),
        (false, 0) => (Section::Evidence, RawHtml::Submission),
        (false, _) => (Section::CaseStudies, RawHtml::Safe),
    };
    let path = format!("content/{}/fuzz.md", section.dir());
    let rendered = crate::render::markdown::render(
        &path,
        text,
        0,
        &links,
        HIGHLIGHTER.get_or_init(Highlighter::default),
        mode,
    );
    match rendered {
        Ok(r) => {
            if !trusted {
                assert_no_script(&r.html);
            }
            r.html
        }
        Err(d) => {
            assert_positions(&[d], &[(&path, text)]);
            String::new()
        }
    }
}

/// Reads `bytes` as a gap file in EES's tidy layout. A NUL byte, if any, separates its
/// `.meta.csv` (before) from the data (after); without one the data's indicator column is
/// `value`, as indicators.yaml would name it. Returns the diagnostics, each checked to point
/// inside its file.
pub fn ees_csv(bytes: &[u8], authorities: &Authorities) -> Vec<Diagnostic> {
    const DATA: &str = "data/gaps/fuzz.csv";
    const META: &str = "data/gaps/fuzz.meta.csv";
    let (meta_bytes, data_bytes) = match bytes.iter().position(|&b| b == 0) {
        Some(nul) => (Some(&bytes[..nul]), &bytes[nul + 1..]),
        None => (None, bytes),
    };
    let (Ok(meta_text), Ok(data_text)) = (
        std::str::from_utf8(meta_bytes.unwrap_or_default()),
        std::str::from_utf8(data_bytes),
    ) else {
        return Vec::new();
    };
    let files = [(DATA, data_text), (META, meta_text)];
    let meta = match meta_bytes.map(|_| parse_meta(META, meta_text)) {
        None => HashMap::new(),
        Some(Ok(meta)) => meta,
        Some(Err(d)) => {
            assert_positions(&d, &files);
            return d;
        }
    };
    match Table::parse(DATA, data_text, meta, &["value"], authorities) {
        Ok(_) => Vec::new(),
        Err(d) => {
            assert_positions(&d, &files);
            d
        }
    }
}

/// Panics unless every diagnostic names one of `files` (path, text) and, if it has a
/// position, one inside that file: a line it has (counted as `LineIndex` counts them, at
/// `\n`, `\r\n` or a lone `\r`) and a column within that line or just past its end.
pub fn assert_positions(diags: &[Diagnostic], files: &[(&str, &str)]) {
    for d in diags {
        let Some((_, text)) = files.iter().find(|(path, _)| *path == d.path) else {
            panic!("diagnostic names a file it was not about: {d}");
        };
        let Some(pos) = d.pos else { continue };
        let lines: Vec<&str> = text
            .split("\r\n")
            .flat_map(|l| l.split(['\r', '\n']))
            .collect();
        let inside = pos
            .line
            .checked_sub(1)
            .and_then(|i| lines.get(i))
            .is_some_and(|l| (1..=l.chars().count() + 1).contains(&pos.col));
        assert!(
            inside,
            "diagnostic points outside its file ({} lines): {d}",
            lines.len()
        );
    }
}

/// Elements that run script or load a document of their own, or that change where the
/// page's own links and scripts come from.
const ACTIVE_ELEMENTS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "template",
];

/// Attributes whose value a browser follows as a URL (`href` also covers SVG's `xlink:href`,
/// whose local name it is).
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
];

/// Panics, naming the element, if `html` (a body fragment, parsed as a browser parses it)
/// holds anything that runs script: an `on*` event-handler attribute, a `<script>` or other
/// active element, or a `javascript:`, `vbscript:` or `data:` URL.
pub fn assert_no_script(html: &str) {
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        assert!(
            !ACTIVE_ELEMENTS.contains(&name),
            "sanitised HTML has a <{name}> element: {html}"
        );
        for (attr, value) in element.attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(
                !attr.starts_with("on"),
                "sanitised HTML has an event handler `{attr}` on <{name}>: {html}"
            );
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                for url in value.split(',') {
                    assert!(
                        !runs_script(url),
                        "sanitised HTML has `{attr}=\"{value}\"` on <{name}>: {html}"
                    );
                }
            }
        }
    }
}

/// Whether a URL is in a scheme that runs script or carries a document of its own, read as
/// the URL standard reads it: surrounding spaces and controls dropped, tabs and newlines
/// removed anywhere, scheme in any case.
fn runs_script(url: &str) -> bool {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(html: &str) -> bool {
        std::panic::catch_unwind(|| assert_no_script(html)).is_err()
    }

    #[test]
    fn the_checker_finds_every_kind_of_script() {
        for bad in [
            "<p onclick=x>a</p>",
            "<IMG SRC=x ONERROR=alert(1)>",
            "<script>alert(1)</script>",
            "<a href=\" JaVa\tScRiPt:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:x\">x</a>",
            "<img src=\"data:image/svg+xml,x\">",
            "<img srcset=\"a.png 1x, javascript:x 2x\">",
            "<form action=\"javascript:x\"></form>",
            "<svg><a xlink:href=\"javascript:x\">x</a></svg>",
            "<iframe src=\"/x\"></iframe>",
            "<table><tr><td><svg><script>x</script></svg></td></tr></table>",
        ] {
            assert!(finds(bad), "missed: {bad}");
        }
    }

    #[test]
    fn the_checker_passes_plain_markup() {
        for good in [
            "<p>onclick=x and javascript:alert(1) as text</p>",
            "<a href=\"https://example.org/data:x\" title=\"onload\">x</a>",
            "<pre class=\"code\" data-lang=\"onload\"><code>&lt;script&gt;</code></pre>",
            "<img src=\"/a.png\" alt=\"javascript:\">",
        ] {
            assert!(!finds(good), "wrongly flagged: {good}");
        }
    }

    #[test]
    fn positions_outside_the_file_are_found() {
        let d = |line, col| {
            Diagnostic::at(
                crate::diagnostic::Code::InvalidYaml,
                "f",
                crate::diagnostic::Pos::new(line, col),
                "m",
            )
        };
        assert_positions(&[d(1, 1), d(2, 4), d(3, 1)], &[("f", "ab\nabc\n")]);
        // Line 3 as YAML counts lines: `\r` alone breaks a line too.
        assert_positions(&[d(3, 2)], &[("f", "a\r\rb:\n")]);
        for bad in [d(0, 1), d(1, 4), d(4, 1), d(2, 0)] {
            let diags = [bad];
            let r = std::panic::catch_unwind(|| assert_positions(&diags, &[("f", "ab\nabc\n")]));
            assert!(r.is_err(), "missed {:?}", diags[0].pos);
        }
    }
}
