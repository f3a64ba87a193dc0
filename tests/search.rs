//! `ntg search` end to end on the valid fixture: ranking, filters, its output shapes and its
//! errors, and where the build leaves the index and the static export.

mod common;

use common::{copy_tree, fixtures, ntg, stderr, stdout};
use serde_json::Value;
use std::path::Path;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), dir.path());
    dir
}

fn build(root: &Path) {
    let o = ntg(&["build", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn search(root: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec![
        "search",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ];
    all.extend_from_slice(args);
    let o = ntg(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str::<Value>(&stdout(&o))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn hypothesis(root: &Path, slug: &str, title: &str, body: &str) {
    std::fs::write(
        root.join(format!("content/hypotheses/{slug}.md")),
        format!("---\ntitle: \"{title}\"\nsummary: A hypothesis for the search tests.\nthemes: [engaging-parents]\ngroups: [young-carers]\noutcomes: [staying-safe]\nstatus: testing\n---\n\n{body}\n"),
    )
    .unwrap();
}

#[test]
fn a_word_in_the_title_ranks_above_the_same_word_in_the_body_only() {
    let dir = site();
    hypothesis(
        dir.path(),
        "in-title",
        "Mentoring works",
        "Some adults meet pupils weekly.",
    );
    hypothesis(
        dir.path(),
        "in-body",
        "Adults who meet pupils",
        "Mentoring, mentoring and more mentoring: the body says it three times.",
    );
    build(dir.path());
    let hits = search(dir.path(), &["mentoring"]);
    let urls: Vec<&str> = hits.iter().map(|h| h["url"].as_str().unwrap()).collect();
    assert_eq!(urls, ["/hypotheses/in-title/", "/hypotheses/in-body/"]);
    assert!(hits[0]["score"].as_f64().unwrap() > hits[1]["score"].as_f64().unwrap());
    assert_eq!(hits[0]["title"], "Mentoring works");
}

#[test]
fn every_word_must_match_and_filters_narrow() {
    let dir = site();
    build(dir.path());
    let both = search(dir.path(), &["reading carers"]);
    let reading = search(dir.path(), &["reading"]);
    assert!(!both.is_empty() && both.len() <= reading.len());
    let hypotheses = search(dir.path(), &["--type", "hypothesis", "reading"]);
    assert!(
        hypotheses
            .iter()
            .all(|h| h["url"].as_str().unwrap().starts_with("/hypotheses/"))
    );
    assert!(
        hypotheses.len() < reading.len(),
        "the type filter left out the case study"
    );
    // A repeated key widens within its facet.
    let either = search(
        dir.path(),
        &["--type", "hypothesis", "--type", "case-study", "reading"],
    );
    assert!(either.len() > hypotheses.len());
    assert!(
        search(dir.path(), &["the and of"]).is_empty(),
        "stop words alone find nothing"
    );
}

#[test]
fn bad_filters_are_command_line_errors_and_a_missing_index_says_what_to_do() {
    let dir = site();
    let root = dir.path().to_str().unwrap();
    let o = ntg(&["search", "--root", root, "reading"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("run `ntg build` first"),
        "{}",
        stderr(&o)
    );
    build(dir.path());
    let o = ntg(&[
        "search",
        "--root",
        root,
        "--theme",
        "engaging-parent",
        "reading",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: unknown theme `engaging-parent`; did you mean `engaging-parents`?\n"
    );
    let o = ntg(&["search", "--root", root, "reading"]);
    assert!(
        stdout(&o).starts_with(" 1. "),
        "human format numbers results:\n{}",
        stdout(&o)
    );
}

#[test]
fn the_index_stays_beside_the_site_and_the_export_is_under_search() {
    let dir = site();
    build(dir.path());
    // The index is the one the output's marker names, in a folder of that build's id.
    let public = dir.path().join("public");
    let marker = std::fs::read_to_string(public.join(".ntg-output")).unwrap();
    let id = marker
        .lines()
        .find_map(|l| l.strip_prefix("search-index "))
        .expect("the marker names the index");
    // The build keeps the search state there; the first `ntg search` makes the tantivy
    // index from it, in the same folder, and the next finds it made.
    let folder = dir.path().join(".ntg-cache/search-index").join(id);
    assert!(folder.join("reuse.bin").is_file());
    let made = folder.join("tantivy").join("meta.json");
    assert!(!made.exists(), "a build makes no tantivy index");
    let first = search(dir.path(), &["reading"]);
    assert!(!first.is_empty(), "the first search answers");
    assert!(made.is_file(), "the first search made the index");
    assert_eq!(first, search(dir.path(), &["reading"]));
    let page = std::fs::read_to_string(public.join("search/index.html")).unwrap();
    let meta = page
        .split("data-meta=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the search page names its index");
    assert!(
        meta.starts_with("/digest/search/") && meta.ends_with("/meta.bin"),
        "{meta}"
    );
    let on_disk = public.join(meta.trim_start_matches("/digest/"));
    let bytes = std::fs::read(&on_disk).unwrap();
    assert_eq!(
        &bytes[..2],
        [0x1f, 0x8b],
        "export files are gzipped by the build"
    );
    let script = page.split("<script type=\"module\" src=\"").nth(1).unwrap();
    assert!(script.starts_with("/digest/search/js/"), "{script}");
    let walk: Vec<String> = walkdir::WalkDir::new(&public)
        .into_iter()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    assert!(
        !walk
            .iter()
            .any(|p| p.ends_with(".idx") || p.ends_with("meta.json")),
        "no tantivy files in the output"
    );
}

#[test]
fn analyze_prints_the_terms_search_makes() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ntg"))
        .arg("analyze")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"The Families of LEARNING\nchildren in care\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "famili learn\nchildren care\n"
    );
}

/// `ntg search`'s human output: the text of one run, which must succeed.
fn search_human(root: &Path, args: &[&str]) -> String {
    let mut all = vec!["search", "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = ntg(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// The result for `url` among `hits`.
fn hit<'a>(hits: &'a [Value], url: &str) -> &'a Value {
    hits.iter()
        .find(|h| h["url"] == url)
        .unwrap_or_else(|| panic!("no {url} in {hits:?}"))
}

#[test]
fn results_show_their_type_council_and_evidence_level_or_status() {
    let dir = site();
    hypothesis(
        dir.path(),
        "club-reading",
        "Reading clubs help",
        "Weekly reading clubs.",
    );
    build(dir.path());
    let hits = search(dir.path(), &["reading"]);
    let case = hit(&hits, "/case-studies/leeds-family-reading/");
    assert_eq!(case["type"], "Case study");
    assert_eq!(case["councils"], serde_json::json!(["Leeds"]));
    assert_eq!(
        case["standing"],
        serde_json::json!(["Evidence level 2: Promising"])
    );
    let claim = hit(&hits, "/hypotheses/club-reading/");
    assert_eq!(claim["type"], "Hypothesis");
    assert_eq!(claim["councils"], serde_json::json!([]));
    assert_eq!(claim["standing"], serde_json::json!(["Status: Testing"]));
    let human = search_human(dir.path(), &["reading"]);
    assert!(
        human.contains("    Case study · Evidence level 2: Promising\n    Leeds\n"),
        "{human}"
    );
    assert!(
        human.contains("    Hypothesis · Status: Testing\n"),
        "{human}"
    );
}

#[test]
fn excerpts_hold_no_heading_anchor_marks() {
    let dir = site();
    hypothesis(
        dir.path(),
        "extended",
        "Schools open longer",
        "The council did this.\n\n## Twenty extended schools\n\nEach school opened early.\n\n### What changed\n\nMore families came.",
    );
    build(dir.path());
    let hits = search(dir.path(), &["extended schools"]);
    let excerpt = hit(&hits, "/hypotheses/extended/")["excerpt"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        excerpt.contains("did this. Twenty extended schools Each school"),
        "{excerpt}"
    );
    for h in &hits {
        let e = h["excerpt"].as_str().unwrap();
        assert!(!e.contains('#'), "{}: {e}", h["url"]);
    }
}

#[test]
fn a_word_that_matches_nothing_gets_a_suggestion_and_filters_that_leave_nothing_say_so() {
    let dir = site();
    build(dir.path());
    let human = search_human(dir.path(), &["young carrers"]);
    assert!(human.starts_with("no results\n"), "{human}");
    assert!(human.ends_with("did you mean: young carers\n"), "{human}");
    assert!(!search(dir.path(), &["carers"]).is_empty());
    let filtered = search_human(dir.path(), &["--type", "page", "carers"]);
    assert_eq!(
        filtered,
        "no results\nthe filters leave nothing: leave them out to search everything\n"
    );
}
