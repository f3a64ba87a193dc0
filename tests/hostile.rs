//! The hostile fixture (tests/fixtures/hostile/, laid over a copy of the valid fixture) holds
//! each attack content can make on a page: script, handlers, `javascript:` and `data:` URLs,
//! resources from other hosts, form controls, ids the page uses, inline styles, a code fence
//! that tries to leave its attribute. Its build is read back with real parsers (HTML, XML,
//! JSON) and every file must be clean; the safe elements must still be there.
//!
//! Then bodies nested 100,000 deep in each form and each kind of document, generated here
//! because they are too big to commit, must each give one exact diagnostic.

mod common;

use common::{build_into, copy_tree, fixtures, ntg, snapshot, stderr, stdout};
use scraper::{ElementRef, Html, Selector};
const CASE: scraper::CaseSensitivity = scraper::CaseSensitivity::CaseSensitive;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::Path;

const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
    connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/// Builds the hostile site, with `site_extra` appended to its site.yaml; returns the folder
/// that holds `site/` and `public/`.
fn build_hostile(site_extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixtures().join("valid"), &site);
    copy_tree(&fixtures().join("hostile"), &site);
    if !site_extra.is_empty() {
        let yaml = site.join("site.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap() + site_extra;
        std::fs::write(&yaml, text).unwrap();
    }
    let out = dir.path().join("public");
    let run = build_into(&site, &out);
    assert!(run.status.success(), "build failed:\n{}", stderr(&run));
    dir
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Fails unless `within` holds an element for each of `selectors`: the safe set survived.
fn assert_kept(within: ElementRef, selectors: &[&str]) {
    for kept in selectors {
        assert!(within.select(&sel(kept)).next().is_some(), "{kept} dropped");
    }
}

/// The `data-lang` of every code block in `within`, in order.
fn fence_langs<'a>(within: ElementRef<'a>) -> Vec<&'a str> {
    within
        .select(&sel("pre[data-lang]"))
        .filter_map(|p| p.attr("data-lang"))
        .collect()
}

fn page(dir: &Path, rel: &str) -> Html {
    let path = dir.join("public").join(rel);
    Html::parse_document(&std::fs::read_to_string(&path).unwrap())
}

/// A URL as a browser reads its scheme: without the spaces, tabs and newlines it ignores.
fn scheme_of(url: &str) -> Option<String> {
    let u: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let colon = u.find(':')?;
    u[..colon]
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        .then(|| u[..colon].to_string())
}

/// Whether a resource URL stays on the site (the fixture's base path is `/digest/`).
fn is_local(url: &str) -> bool {
    let u = url.trim().replace('\\', "/");
    !u.starts_with("//") && scheme_of(&u).is_none()
}

/// The URLs `srcset` names, or the attribute's whole value.
fn urls<'a>(name: &str, value: &'a str) -> Vec<&'a str> {
    if name == "srcset" {
        value
            .split(',')
            .filter_map(|c| c.split_whitespace().next())
            .collect()
    } else {
        vec![value]
    }
}

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "srcset",
    "cite",
    "background",
];
const RESOURCE_ATTRIBUTES: &[&str] = &["src", "srcset", "poster", "data"];
const FORM_CONTROLS: &[&str] = &["form", "input", "button", "select", "textarea"];

/// What is wrong with one HTML or SVG document, by the rules every sanitised page keeps.
fn problems(rel: &str, doc: &Html) -> Vec<String> {
    let mut found = Vec::new();
    let mut ids = HashSet::new();
    for node in doc.root_element().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let name = el.value().name();
        for (attr, value) in el.value().attrs() {
            if attr.starts_with("on") {
                found.push(format!(
                    "{rel}: <{name} {attr}=\"{value}\">: an event handler"
                ));
            }
            if attr == "style" {
                found.push(format!("{rel}: <{name} style>: an inline style"));
            }
            if URL_ATTRIBUTES.contains(&attr) {
                for url in urls(attr, value) {
                    if let Some(s) = scheme_of(url)
                        && matches!(s.as_str(), "javascript" | "data" | "vbscript")
                    {
                        found.push(format!("{rel}: <{name} {attr}=\"{url}\">: a {s}: URL"));
                    }
                }
            }
            if RESOURCE_ATTRIBUTES.contains(&attr) {
                for url in urls(attr, value) {
                    if !is_local(url) {
                        found.push(format!(
                            "{rel}: <{name} {attr}=\"{url}\">: from another host"
                        ));
                    }
                }
            }
            if attr == "id" && !ids.insert(value.to_string()) {
                found.push(format!("{rel}: id `{value}` twice"));
            }
        }
        match name {
            "script" => {
                // The theme's own: the search page's client and the header's Menu button.
                let own = el.attr("src").is_some_and(|s| {
                    s.starts_with("/digest/search/") || s.starts_with("/digest/js/menu.js?v=")
                });
                if !own || el.text().next().is_some() {
                    found.push(format!(
                        "{rel}: a script that is not the site's: {}",
                        el.html()
                    ));
                }
            }
            "style" | "iframe" | "object" | "embed" | "base" | "frame" => {
                found.push(format!("{rel}: a <{name}> element"));
            }
            "link" => {
                // A canonical or alternate address is not fetched; a stylesheet or icon is.
                let fetched = el.attr("rel").unwrap_or("").split(' ').any(|r| {
                    matches!(
                        r,
                        "stylesheet"
                            | "icon"
                            | "preload"
                            | "modulepreload"
                            | "prefetch"
                            | "manifest"
                    )
                });
                if fetched && !is_local(el.attr("href").unwrap_or("")) {
                    found.push(format!("{rel}: {}", el.html()));
                }
            }
            "meta" if el.attr("http-equiv") == Some("refresh") => {
                found.push(format!("{rel}: {}", el.html()));
            }
            _ => {}
        }
        let within = |class: &str| {
            el.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().name() == class || a.value().has_class(class, CASE))
        };
        // The site's own search, and the disabled checkboxes of a task list in the team's
        // documents (submissions show those as marks).
        let task_mark = name == "input"
            && el.attr("type") == Some("checkbox")
            && el.attr("disabled").is_some()
            && !within("submission");
        if FORM_CONTROLS.contains(&name)
            && !within("header")
            && !task_mark
            && rel != "search/index.html"
        {
            found.push(format!(
                "{rel}: a form control outside the site's search: <{name}>"
            ));
        }
    }
    found
}

#[test]
fn nothing_in_the_hostile_site_runs_loads_or_leaves() {
    let dir = build_hostile("");
    let public = dir.path().join("public");
    let mut found = Vec::new();
    let mut pages = 0;
    for (rel, bytes) in snapshot(&public) {
        let text = || String::from_utf8(bytes.clone()).unwrap();
        if rel.ends_with(".html") || rel.ends_with(".svg") {
            let doc = Html::parse_document(&text());
            found.extend(problems(&rel, &doc));
            if rel.ends_with(".html") {
                pages += 1;
                let csp: Vec<&str> = doc
                    .select(&sel(r#"head meta[http-equiv="Content-Security-Policy"]"#))
                    .filter_map(|m| m.attr("content"))
                    .collect();
                if csp != [POLICY] {
                    found.push(format!("{rel}: Content-Security-Policy {csp:?}"));
                }
            }
        } else if rel.ends_with(".xml") {
            let text = text();
            let xml = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{rel} is not XML: {e}"));
            for n in xml.descendants().filter(|n| n.is_element()) {
                if n.tag_name().name() == "script"
                    || n.attributes().any(|a| a.name().starts_with("on"))
                {
                    found.push(format!(
                        "{rel}: a script or handler in <{}>",
                        n.tag_name().name()
                    ));
                }
                for a in n.attributes() {
                    if scheme_of(a.value()).is_some_and(|s| s == "javascript" || s == "data") {
                        found.push(format!("{rel}: {}=\"{}\"", a.name(), a.value()));
                    }
                }
            }
        } else if rel.ends_with(".json") {
            let v: Value =
                serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"));
            let mut strings = vec![&v];
            while let Some(v) = strings.pop() {
                match v {
                    Value::String(s) if s.contains("<script") || s.contains("javascript:") => {
                        found.push(format!("{rel}: {s}"))
                    }
                    Value::Array(a) => strings.extend(a),
                    Value::Object(o) => strings.extend(o.values()),
                    _ => {}
                }
            }
        }
    }
    assert!(pages > 30, "only {pages} pages were checked");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_headers_file_carries_the_same_policy() {
    let dir = build_hostile("");
    let text = std::fs::read_to_string(dir.path().join("public/_headers")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("/*"), "one rule, for every address");
    let headers: Vec<(&str, &str)> = lines
        .map(|l| {
            let l = l
                .strip_prefix("  ")
                .unwrap_or_else(|| panic!("header line not indented: {l:?}"));
            l.split_once(": ").unwrap()
        })
        .collect();
    assert_eq!(
        headers,
        [
            (
                "Content-Security-Policy",
                format!("{POLICY}; frame-ancestors 'none'").as_str()
            ),
            ("X-Content-Type-Options", "nosniff"),
        ]
    );
}

/// A submission's page: its own ids prefixed, its foreign resources links, its form
/// controls gone, its safe elements kept.
fn assert_submission_is_contained(dir: &Path) {
    let doc = page(dir, "evidence/hostile-submission/index.html");
    let body = doc.select(&sel(".submission")).next().unwrap();
    let ids: Vec<&str> = body
        .select(&sel("[id]"))
        .filter_map(|e| e.attr("id"))
        .collect();
    assert_eq!(
        ids,
        ["submission-main-content", "submission-site-search-q"],
        "every id prefixed; the repeated one dropped"
    );
    assert!(body.select(&sel("[name]")).next().is_none());
    for control in FORM_CONTROLS {
        assert!(
            body.select(&sel(control)).next().is_none(),
            "{control} kept"
        );
    }
    // The page's own ids are still its own.
    assert_eq!(doc.select(&sel("#main-content")).count(), 1);
    assert_eq!(doc.select(&sel("#main-content.main")).count(), 1);
    let link = |href: &str| {
        body.select(&sel(&format!(r#"a[href="{href}"]"#)))
            .next()
            .unwrap_or_else(|| panic!("no link to {href}"))
    };
    let logo = link("https://tracker.example/pixel.gif");
    assert_eq!(logo.text().collect::<String>(), "Hostile Trust logo");
    let rel: Vec<&str> = logo.attr("rel").unwrap().split(' ').collect();
    assert!(rel.contains(&"nofollow") && rel.contains(&"noopener"));
    assert_eq!(
        link("https://tracker.example/md.gif")
            .text()
            .collect::<String>(),
        "markdown pixel"
    );
    for href in [
        "//tracker.example/bare.gif",
        "https://tracker.example/a.webp",
        "https://tracker.example/v.mp4",
        "https://tracker.example/poster.jpg",
        "https://tracker.example/a.mp3",
        "https://tracker.example/frame",
    ] {
        link(href);
    }
    let local: Vec<&str> = body
        .select(&sel("img"))
        .filter_map(|i| i.attr("src"))
        .collect();
    assert_eq!(local, ["/digest/favicon.svg", "/digest/favicon.svg"]);
    assert_eq!(
        link("#submission-main-content").text().collect::<String>(),
        "#"
    );
    assert_kept(
        body,
        &[
            "details > summary",
            "table th",
            "abbr[title]",
            "sup",
            "sub",
            "kbd",
        ],
    );
    let lang = fence_langs(body);
    assert_eq!(lang, [r#"js"onclick="alert(17)"#]);
    let found = problems("evidence", &doc);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn submissions_keep_to_themselves() {
    assert_submission_is_contained(build_hostile("").path());
}

#[test]
fn the_safe_set_is_kept_in_the_teams_documents() {
    let dir = build_hostile("");
    let case = page(dir.path(), "case-studies/hostile-raw-html/index.html");
    let prose = case.select(&sel(".prose")).next().unwrap();
    assert_kept(
        prose,
        &[
            "details > summary",
            "table > caption",
            "th[scope=col]",
            "abbr[title=\"Local authority\"]",
            "sup",
            "sub",
            "kbd",
            "figure > figcaption",
            "td.align-center",
            "td.align-right",
            "p.trusted-marker",
        ],
    );
    let lang = fence_langs(prose);
    assert_eq!(
        lang,
        [
            r#"x"onmouseover="alert(1)"#,
            r#""><script>alert(2)</script>"#
        ],
        "a fence's first word, kept whole inside its attribute"
    );
    let hypothesis = page(dir.path(), "hypotheses/hostile-hypothesis/index.html");
    assert!(
        hypothesis
            .select(&sel("details[open] > summary"))
            .next()
            .is_some()
    );
}

#[test]
fn trusted_raw_html_passes_for_the_team_and_never_for_submissions() {
    let dir = build_hostile("trusted_raw_html: true\n");
    let case = page(dir.path(), "case-studies/hostile-raw-html/index.html");
    let marker = case.select(&sel("p.trusted-marker")).next().unwrap();
    assert_eq!(marker.attr("onclick"), Some("steal()"));
    assert_eq!(marker.attr("style"), Some("color: red"));
    assert!(case.select(&sel(".prose iframe")).next().is_some());
    assert_submission_is_contained(dir.path());
}

/// Writes `body` into a copy of the valid fixture as the body of one document of each kind,
/// runs `ntg check --format json`, and returns its diagnostics and the line each body
/// starts on, by path.
fn check_deep(body: &str) -> (Value, Vec<(&'static str, usize)>) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), dir.path());
    let docs = [
        "content/case-studies/leeds-family-reading.md",
        "content/evidence/reading-charity.md",
        "content/hypotheses/lead-member.md",
        "content/pages/about.md",
    ];
    let mut starts = Vec::new();
    for rel in docs {
        let path = dir.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let end = text[4..].find("\n---\n").unwrap() + 4 + 5;
        let front = &text[..end];
        starts.push((rel, front.lines().count() + 2));
        std::fs::write(&path, format!("{front}\n{body}")).unwrap();
    }
    let out = ntg(&[
        "check",
        "--root",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    (serde_json::from_str(&stdout(&out)).unwrap(), starts)
}

fn expect(starts: &[(&str, usize)], line_after_start: usize, col: usize, what: &str) -> Value {
    let (message, help) = match what {
        "blocks" => (
            "lists and block quotes are nested more than 64 deep here".to_string(),
            "nest lists and quotes at most 64 levels deep".to_string(),
        ),
        element => (
            format!("raw HTML is nested more than 64 elements deep here, at `<{element}>`"),
            "close elements sooner: raw HTML may nest at most 64 elements deep".to_string(),
        ),
    };
    Value::Array(
        starts
            .iter()
            .map(|(path, start)| {
                json!({
                    "file": path,
                    "line": start + line_after_start,
                    "column": col,
                    "code": "nesting-too-deep",
                    "message": message,
                    "severity": "error",
                    "help": help,
                })
            })
            .collect(),
    )
}

const DEEP: usize = 100_000;

#[test]
fn lists_nested_100000_deep_on_one_line_are_reported_at_the_65th() {
    let (report, starts) = check_deep(&format!("{}item\n", "- ".repeat(DEEP)));
    assert_eq!(report, expect(&starts, 0, 2 * 64 + 1, "blocks"));
}

#[test]
fn indented_lists_nested_too_deep_are_reported_at_the_65th() {
    // Indentation grows with depth, so the input is quadratic in it: 1,000 levels are 1 MB.
    let body: String = (0..1000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let (report, starts) = check_deep(&body);
    assert_eq!(report, expect(&starts, 64, 2 * 64 + 1, "blocks"));
}

#[test]
fn quotes_nested_100000_deep_are_reported_at_the_65th() {
    let (report, starts) = check_deep(&format!("{}quoted\n", "> ".repeat(DEEP)));
    assert_eq!(report, expect(&starts, 0, 2 * 64 + 1, "blocks"));
}

#[test]
fn divs_nested_100000_deep_are_reported_at_the_65th() {
    let (report, starts) = check_deep(&"<div>\n".repeat(DEEP));
    assert_eq!(report, expect(&starts, 64, 1, "div"));
}

#[test]
fn inline_html_nested_100000_deep_is_reported_at_the_65th() {
    let (report, starts) = check_deep(&format!("text {}\n", "<span>".repeat(DEEP)));
    assert_eq!(report, expect(&starts, 0, 6 + 6 * 64, "span"));
}

#[test]
fn a_region_code_from_a_gap_file_cannot_leave_its_chart_id() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixtures().join("valid"), &site);
    copy_tree(&fixtures().join("with-data"), &site);
    let csv = site.join("data/gaps/ks4.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let hostile = text.replace(",E12000003,", r#","E12""><svg onload=alert(1)> x","#);
    assert_ne!(hostile, text);
    std::fs::write(&csv, hostile).unwrap();
    let out = dir.path().join("public");
    let run = build_into(&site, &out);
    if !run.status.success() {
        // Refusing the code where the file is read holds it too. (The valid site's case
        // studies name none of with-data's indicators: warnings come first, by path.)
        let report = stderr(&run);
        let first_error = report.lines().find(|l| l.contains(": error: "));
        assert!(
            first_error.is_some_and(|l| l.starts_with("data/gaps/ks4.csv:")),
            "{report}"
        );
        return;
    }
    let mut found = Vec::new();
    let mut charts = 0;
    for (rel, bytes) in snapshot(&out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        found.extend(problems(&rel, &doc));
        let ids: HashSet<&str> = doc
            .select(&sel("[id]"))
            .filter_map(|e| e.attr("id"))
            .collect();
        for svg in doc.select(&sel("svg[aria-labelledby]")) {
            charts += 1;
            for id in svg.attr("aria-labelledby").unwrap().split(' ') {
                if !ids.contains(id) {
                    found.push(format!(
                        "{rel}: a chart labelled by `{id}`, which is not there"
                    ));
                }
            }
        }
    }
    assert!(charts > 0);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
