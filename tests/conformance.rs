//! What the build writes for the repository's own digest (and for a title XML cannot hold),
//! judged by parsers we did not write: the Atom feed by atom_syndication, the sitemap by
//! roxmltree. (HTML, CSS and SVG are judged by the Nu Html Checker in scripts/conformance.sh,
//! which needs Java.)

mod common;

use common::{build_into, copy_tree, fixtures, ntg, snapshot, stderr};
use std::collections::BTreeSet;
use std::path::Path;

fn build_digest() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let o = build_into(Path::new(root), &out.path().join("public"));
    assert!(
        o.status.success(),
        "the repository's digest does not build:\n{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    out
}

fn base_url(root: &Path) -> String {
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let line = yaml.lines().find(|l| l.starts_with("base_url:")).unwrap();
    line["base_url:".len()..]
        .trim()
        .trim_matches('"')
        .trim_end_matches('/')
        .to_string()
}

#[test]
fn atom_feed_is_valid_and_lists_case_studies() {
    let out = build_digest();
    let xml = std::fs::read(out.path().join("public/atom.xml")).unwrap();
    let feed = atom_syndication::Feed::read_from(&xml[..]).expect("atom.xml parses as Atom");
    let base = base_url(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(feed.title().contains("case studies"));
    assert!(!feed.entries().is_empty());
    let case_studies = std::fs::read_dir(out.path().join("public/case-studies"))
        .unwrap()
        .filter(|e| {
            let e = e.as_ref().unwrap();
            e.file_type().unwrap().is_dir() && e.file_name() != "page"
        });
    assert_eq!(feed.entries().len(), case_studies.count().min(50));
    for e in feed.entries() {
        assert!(
            e.id().starts_with(&format!("{base}/case-studies/")),
            "{}",
            e.id()
        );
        assert_eq!(e.links()[0].href(), e.id());
        assert!(e.summary().is_some());
    }
    // Newest first.
    let dates: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn a_title_with_characters_xml_forbids_leaves_the_feed_readable() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixtures().join("valid"), &site);
    let doc = site.join("content/case-studies/leeds-family-reading.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    let before = "title: \"Leeds: family reading club\"";
    assert!(text.contains(before), "the fixture changed");
    // YAML's escapes make a U+0001 and a vertical tab, which XML 1.0 cannot hold at all.
    let after = "title: \"Leeds:\\x01 family reading club\\x0B\"";
    std::fs::write(&doc, text.replace(before, after)).unwrap();
    let out = dir.path().join("public");
    let o = build_into(&site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    // roxmltree holds the file to XML 1.0's characters, which atom_syndication does not check.
    roxmltree::Document::parse(&xml).expect("atom.xml is well-formed XML");
    let feed = atom_syndication::Feed::read_from(xml.as_bytes()).expect("atom.xml parses as Atom");
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert!(
        titles.contains(&"Leeds:\u{FFFD} family reading club\u{FFFD}"),
        "{titles:?}"
    );
}

#[test]
fn sitemap_lists_every_page_on_the_base_url() {
    let out = build_digest();
    let public = out.path().join("public");
    let base = base_url(Path::new(env!("CARGO_MANIFEST_DIR")));
    let xml = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is XML");
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let listed: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let pages: BTreeSet<String> = snapshot(&public)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with("index.html"))
        .map(|p| format!("{base}/{}", p.trim_end_matches("index.html")))
        .collect();
    assert_eq!(listed, pages, "sitemap and written pages differ");
}

#[test]
fn robots_points_at_the_sitemap() {
    let out = build_digest();
    let base = base_url(Path::new(env!("CARGO_MANIFEST_DIR")));
    let robots = std::fs::read_to_string(out.path().join("public/robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {base}/sitemap.xml")));
}

#[test]
fn the_digest_checks_clean() {
    let o = ntg(&["check", "--root", env!("CARGO_MANIFEST_DIR")]);
    assert!(o.status.success(), "{}", stderr(&o));
}
