//! Hostile YAML in each place a site holds it (front matter, site.yaml, data/indicators.yaml)
//! is one exact diagnostic from `ntg check --format json`, at its line and column, and the
//! anchors indicators.yaml may use still work.

mod common;

use common::{check_json, copy_tree, fixtures, ntg, site_in};
use serde_json::{Value, json};
use std::path::Path;

const DEEP: usize = 100_000;

const TOO_MANY_BRACKETS: &str = "YAML has more than 16 brackets open at once";
const DEPTH_HELP: &str = "ntg reads at most 16 levels of lists and mappings inside each other; \
                          close the brackets or flatten the value";

/// The valid site with `files` (path, text) written over it, checked as JSON.
fn check_with(files: &[(&str, String)]) -> Value {
    let site = tempfile::tempdir().unwrap();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    site_in(site.path(), &files);
    let (status, diags) = check_json(site.path());
    assert_eq!(status, Some(1), "{diags}");
    diags
}

fn diagnostic(code: &str, path: &str, line: usize, col: usize, message: &str, help: &str) -> Value {
    json!([{
        "file": path,
        "line": line,
        "column": col,
        "code": code,
        "message": message,
        "severity": "error",
        "help": help,
    }])
}

fn valid(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join("valid").join(rel)).unwrap()
}

#[test]
fn brackets_nested_100000_deep_in_front_matter() {
    let page = valid("content/pages/about.md").replacen(
        "---\n",
        &format!("---\nnotes: {}\n", "[".repeat(DEEP)),
        1,
    );
    let got = check_with(&[("content/pages/about.md", page)]);
    // `notes: ` is seven columns; the seventeenth bracket is the first past the limit.
    let want = diagnostic(
        "yaml-too-deep",
        "content/pages/about.md",
        2,
        8 + 16,
        TOO_MANY_BRACKETS,
        DEPTH_HELP,
    );
    assert_eq!(got, want);
}

#[test]
fn brackets_nested_100000_deep_in_site_yaml() {
    let config = format!(
        "{}\ntheme: {}\n",
        valid("site.yaml").trim_end(),
        "[".repeat(DEEP)
    );
    let line = config.lines().count();
    let got = check_with(&[("site.yaml", config)]);
    let want = diagnostic(
        "yaml-too-deep",
        "site.yaml",
        line,
        8 + 16,
        TOO_MANY_BRACKETS,
        DEPTH_HELP,
    );
    assert_eq!(got, want);
}

#[test]
fn brackets_nested_100000_deep_in_indicators_yaml() {
    let indicators = format!("- id: deep\n  filter:\n    where: {}\n", "[".repeat(DEEP));
    let got = check_with(&[("data/indicators.yaml", indicators)]);
    let want = diagnostic(
        "yaml-too-deep",
        "data/indicators.yaml",
        3,
        12 + 16,
        TOO_MANY_BRACKETS,
        DEPTH_HELP,
    );
    assert_eq!(got, want);
}

#[test]
fn an_alias_bomb_in_indicators_yaml_stops_at_the_alias_that_crosses_the_budget() {
    let mut bomb =
        String::from("- id: laughs\n  source: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let aliases = [prev.as_str(); 9].join(", ");
        bomb.push_str(&format!("  note{i}: &a{i} [{aliases}]\n"));
    }
    let got = check_with(&[("data/indicators.yaml", bomb)]);
    // The parser stops at the first alias of `note4`, long before the billion values the
    // file asks for.
    let want = diagnostic(
        "yaml-alias-limit",
        "data/indicators.yaml",
        6,
        15,
        "YAML aliases expand too far",
        "each alias (`*name`) repeats its anchor's whole value; a file may use at most \
         10,000 aliases, and they may repeat at most 10,000 keys, values and brackets in all",
    );
    assert_eq!(got, want);
}

/// An anchor shared by two indicators reaches both in the open data.
#[test]
fn anchors_in_indicators_yaml_are_shared_by_entries() {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), site.path());
    copy_tree(&fixtures().join("with-data"), site.path());
    let path = site.path().join("data/indicators.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let shared = "  source: &dfe Invented for the test suite\n";
    let text = text
        .replacen("  source: Invented for the test suite\n", shared, 1)
        .replacen(
            "  tolerance: 0.25\n",
            "  tolerance: 0.25\n  source: *dfe\n",
            1,
        );
    assert!(text.contains("*dfe"), "the fixture changed: {text}");
    std::fs::write(&path, text).unwrap();
    let out = ntg(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    for id in ["ks4-looked-after", "absence-young-carers"] {
        let json = read_json(
            &site
                .path()
                .join(format!("public/data/indicators/{id}.json")),
        );
        assert_eq!(json["source"], "Invented for the test suite", "{id}");
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
