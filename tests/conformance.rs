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

/// The gap file's rows, keyed by (phase, measure, pupil group, place code, time period).
fn gap_rows(root: &Path) -> std::collections::BTreeMap<[String; 5], String> {
    let mut rows = std::collections::BTreeMap::new();
    let mut r = csv::Reader::from_path(root.join("data/gaps/outcome-gaps.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (level, phase, measure, group) = (
        col("geographic_level"),
        col("phase"),
        col("measure"),
        col("pupil_group"),
    );
    let (country, region, la, period, value) = (
        col("country_code"),
        col("region_code"),
        col("new_la_code"),
        col("time_period"),
        col("value"),
    );
    for rec in r.records() {
        let rec = rec.unwrap();
        let code = match &rec[level] {
            "National" => &rec[country],
            "Regional" => &rec[region],
            _ => &rec[la],
        };
        let key = [&rec[phase], &rec[measure], &rec[group], code, &rec[period]].map(String::from);
        rows.insert(key, rec[value].to_string());
    }
    rows
}

#[test]
fn the_child_in_need_indicators_reproduce_the_gap_files_figures_and_keep_missing_ones_missing() {
    let out = build_digest();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rows = gap_rows(root);
    for (id, phase, measure) in [
        (
            "ks2-rwm-child-in-need",
            "KS2",
            "Expected standard in reading, writing and maths",
        ),
        (
            "ks4-attainment8-child-in-need",
            "KS4",
            "Average Attainment 8 score",
        ),
    ] {
        let json = std::fs::read(out.path().join(format!("public/data/indicators/{id}.json")))
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let (mut points, mut missing, mut authorities) = (0, 0, 0);
        for place in json["places"].as_array().unwrap() {
            let code = place["code"].as_str().unwrap();
            authorities += usize::from(place["level"] == "Local authority");
            for p in place["series"].as_array().unwrap() {
                let period = p["time_period"].as_str().unwrap();
                for (group, field) in [
                    ("Child in need", "group_value"),
                    ("All pupils", "comparison_value"),
                ] {
                    let key = [phase, measure, group, code, period].map(String::from);
                    let source = &rows[&key];
                    match source.parse::<f64>() {
                        Ok(v) => assert_eq!(p[field].as_f64(), Some(v), "{id} {code} {period}"),
                        Err(_) => {
                            assert!(p[field].is_null(), "{id} {code} {period}: `{source}`");
                            missing += 1;
                        }
                    }
                    points += 1;
                }
                // A gap needs both values; where either is missing, so is the gap.
                let both = p["group_value"]
                    .as_f64()
                    .zip(p["comparison_value"].as_f64());
                assert_eq!(both.is_some(), !p["gap"].is_null(), "{id} {code} {period}");
            }
        }
        assert!(authorities > 100, "{id}: {authorities} authorities");
        assert!(
            missing > 0 && missing < points,
            "{id}: {missing} of {points} missing"
        );
    }
}

#[test]
fn every_group_and_comparison_in_the_gap_file_is_published_as_an_indicator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let yaml = std::fs::read_to_string(root.join("data/indicators.yaml")).unwrap();
    let list: Vec<serde_json::Value> = serde_saphyr::from_str(&yaml).unwrap();
    let mut read = std::collections::BTreeSet::new();
    for ind in &list {
        let f = &ind["filter"];
        let (phase, measure) = (&f["where"]["phase"], &f["where"]["measure"]);
        for side in ["group", "comparison"] {
            read.insert([phase, measure, &f[side]].map(|v| v.as_str().unwrap().to_string()));
        }
    }
    let in_file: std::collections::BTreeSet<[String; 3]> = gap_rows(root)
        .into_keys()
        .map(|[phase, measure, group, ..]| [phase, measure, group])
        .collect();
    let unread: Vec<_> = in_file.difference(&read).collect();
    assert!(unread.is_empty(), "no indicator reads {unread:?}");
}
