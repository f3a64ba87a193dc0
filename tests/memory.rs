//! A site built entirely from memory: the library's pipeline fed an in-memory source, with no
//! site on disk, gives the pages a build writes and the diagnostics `ntg check` reports.

use ntg::Options;
use ntg::inputs::Memory;
use scraper::{Html, Selector};

const TAXONOMIES: &str = "themes:
  - slug: engaging-parents
    name: Engaging and supporting parents and carers
groups:
  - slug: children-in-care
    name: Children in care
outcomes:
  - slug: enjoying-and-achieving
    name: Enjoying and achieving
evidence_levels:
  - level: 1
    name: Emerging
    description: Practitioners' account only.
";

const CASE_STUDY: &str = "---
title: \"Leeds: family reading club\"
summary: Carers and children in care read together weekly.
date: 2008-05-14
themes: [engaging-parents]
groups: [children-in-care]
outcomes: [enjoying-and-achieving]
local_authorities: [Leeds]
evidence_level: 1
supports: [family-learning]
---

> **Illustrative example.** Invented for this test.

## What they did

See [the hypothesis](../hypotheses/family-learning.md#evidence-so-far).
";

const HYPOTHESIS: &str = "---
title: Family learning raises attainment
summary: Learning alongside carers helps children in care progress.
themes: [engaging-parents]
groups: [children-in-care]
outcomes: [enjoying-and-achieving]
status: testing
---

## Evidence so far

One council has tried it.
";

fn site() -> Memory {
    Memory::new([
        (
            "site.yaml",
            "title: Memory digest\nbase_url: https://example.org/\nlanguage: en-GB\n",
        ),
        ("data/taxonomies.yaml", TAXONOMIES),
        (
            "data/local-authorities.csv",
            "code,name,region\nE08000035,Leeds,Yorkshire and The Humber\n",
        ),
        ("content/case-studies/leeds-reading.md", CASE_STUDY),
        ("content/hypotheses/family-learning.md", HYPOTHESIS),
    ])
}

fn page(files: &std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> Html {
    let bytes = files
        .get(path)
        .unwrap_or_else(|| panic!("{path} was rendered; got {:?}", files.keys()));
    Html::parse_document(std::str::from_utf8(bytes).expect("pages are UTF-8"))
}

fn text(html: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("a valid selector");
    html.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn a_site_renders_from_memory_alone() {
    let made = ntg::render(&site(), &Options::default()).expect("the site renders");
    assert!(made.warnings.is_empty(), "{:?}", made.warnings);
    let doc = page(&made.files, "case-studies/leeds-reading/index.html");
    assert_eq!(text(&doc, "h1"), ["Leeds: family reading club"]);
    // The markdown link to the other document became its address, with its anchor.
    let sel = Selector::parse("main a[href]").expect("selector");
    let hrefs: Vec<&str> = doc
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"/hypotheses/family-learning/#evidence-so-far"),
        "{hrefs:?}"
    );
    // Listings, term pages and the files every site has are there too.
    let listing = page(&made.files, "case-studies/index.html");
    assert!(
        text(&listing, "main a")
            .iter()
            .any(|t| t == "Leeds: family reading club")
    );
    let term = page(&made.files, "themes/engaging-parents/index.html");
    assert!(text(&term, "main a").len() >= 2);
    for file in [
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "404.html",
        "css/ntg.css",
    ] {
        assert!(made.files.contains_key(file), "{file} missing");
    }
    let sitemap = std::str::from_utf8(&made.files["sitemap.xml"]).expect("UTF-8");
    let xml = roxmltree::Document::parse(sitemap).expect("the sitemap is XML");
    let locs: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://example.org/case-studies/leeds-reading/"));
}

#[test]
fn errors_in_memory_name_their_file_and_line() {
    let mut site = site();
    site.put(
        "content/case-studies/leeds-reading.md",
        CASE_STUDY.replace("[engaging-parents]", "[engaging-parent]"),
    );
    site.put("content/hypotheses/family-learning.md", "no front matter\n");
    let diags = match ntg::render(&site, &Options::default()) {
        Err(d) => d,
        Ok(_) => panic!("a site with errors rendered"),
    };
    let found: Vec<(&str, Option<usize>, &str)> = diags
        .iter()
        .map(|d| (d.path.as_str(), d.pos.map(|p| p.line), d.message.as_str()))
        .collect();
    assert!(
        found.contains(&(
            "content/case-studies/leeds-reading.md",
            Some(5),
            "unknown theme `engaging-parent`"
        )),
        "{found:?}"
    );
    assert!(
        found.iter().any(
            |(path, line, _)| *path == "content/hypotheses/family-learning.md" && *line == Some(1)
        ),
        "{found:?}"
    );
}

#[test]
fn the_same_memory_renders_the_same_bytes() {
    let a = ntg::render(&site(), &Options::default()).expect("renders");
    let b = ntg::render(&site(), &Options::default()).expect("renders");
    assert_eq!(a.files, b.files);
}
