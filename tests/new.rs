//! `ntg new` writes a draft that cannot be published unfilled: for each kind, and for titles
//! in other scripts, `ntg check` fails at every placeholder, at its line and column, saying
//! what to write (the vocabularies' slugs read from the site's taxonomies); once the test
//! writes real values in their place, the same check passes.

mod common;

use common::{check_json, copy_tree, fixtures, ntg, stderr, stdout};
use std::path::Path;

/// A placeholder as `ntg new` writes it: where it is, and the key it is the value of.
#[derive(Debug, PartialEq)]
struct Placeholder {
    line: u64,
    column: u64,
    key: String,
}

/// Every placeholder in the front matter `text`, found in the text itself (not through
/// ntg), skipping the commented-out optional keys.
fn placeholders_in(text: &str) -> Vec<Placeholder> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line == "---" {
            break;
        }
        if line.starts_with('#') {
            continue;
        }
        let key = line.split(':').next().unwrap().to_string();
        for (byte, _) in line.match_indices("<TODO") {
            found.push(Placeholder {
                line: i as u64 + 1,
                column: line[..byte].chars().count() as u64 + 1,
                key: key.clone(),
            });
        }
    }
    found
}

/// A real value for each key `ntg new` leaves to the writer, from the valid fixture's data.
fn fill(text: &str) -> String {
    let values = [
        ("summary: ", "A summary written by hand."),
        ("themes: ", "[engaging-parents]"),
        ("groups: ", "[young-carers, refugees]"),
        ("outcomes: ", "[staying-safe]"),
        ("local_authorities: ", "[E08000035, Birmingham]"),
        ("evidence_level: ", "2"),
        ("organisation: ", "A reading charity"),
    ];
    text.lines()
        .map(|line| {
            match values
                .iter()
                .find(|(key, _)| line.starts_with(key) && line.contains("<TODO"))
            {
                Some((key, value)) => format!("{key}{value}"),
                None => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A copy of the valid fixture.
fn valid_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), site.path());
    site
}

/// Runs `ntg new` in `site` and returns the path it wrote, relative to the site.
fn new(site: &Path, kind: &str, title: &str) -> String {
    let o = ntg(&["new", kind, title, "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{title}: {}", stderr(&o));
    let written = stdout(&o).trim().to_string();
    Path::new(&written)
        .strip_prefix(site)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// What the check's message must say to write in `key`.
fn advice(key: &str) -> &'static str {
    match key {
        "summary" => "one or two sentences for listings and search results, at most 400 characters",
        "themes" => "one or more of: engaging-parents, leadership-and-governance",
        "groups" => "one or more of: children-in-care, young-carers, refugees",
        "outcomes" => "one or more of: enjoying-and-achieving, staying-safe",
        "local_authorities" => {
            "the GSS code (a letter and eight digits) or the exact name of each council, as \
             data/local-authorities.csv lists them"
        }
        "evidence_level" => "one of: 1 (Emerging), 2 (Promising)",
        "organisation" => "who submitted it",
        other => panic!("no placeholder expected in `{other}`"),
    }
}

#[test]
fn each_kind_fails_check_at_each_placeholder_until_it_is_filled() {
    for (kind, title, file, keys) in [
        (
            "case-study",
            "Études de cas: Ćwiczenia für Kinder",
            "content/case-studies/etudes-de-cas-cwiczenia-fur-kinder.md",
            &[
                "summary",
                "themes",
                "groups",
                "outcomes",
                "local_authorities",
                "evidence_level",
            ][..],
        ),
        (
            "hypothesis",
            "Παιδιά: Kinder lesen 🎉",
            "content/hypotheses/kinder-lesen.md",
            &["summary", "themes", "groups", "outcomes"][..],
        ),
        (
            "evidence",
            "Straße der Kinder",
            "content/evidence/strasse-der-kinder.md",
            &[
                "summary",
                "themes",
                "groups",
                "outcomes",
                "organisation",
                "evidence_level",
            ][..],
        ),
    ] {
        let site = valid_site();
        assert_eq!(new(site.path(), kind, title), file);
        let path = site.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = placeholders_in(&text);
        let expected_keys: Vec<&str> = expected.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(expected_keys, keys, "{text}");

        let (status, diags) = check_json(site.path());
        assert_eq!(status, Some(1), "{diags:#}");
        let mut reported = Vec::new();
        for d in diags.as_array().unwrap() {
            assert_eq!(d["file"], file, "an error elsewhere: {d:#}");
            assert_eq!(d["code"], "placeholder", "{d:#}");
            let message = d["message"].as_str().unwrap();
            let key = message.split('`').nth(1).unwrap().to_string();
            assert_eq!(
                message,
                format!(
                    "`{key}` still holds the placeholder from `ntg new`: write {}",
                    advice(&key)
                )
            );
            reported.push(Placeholder {
                line: d["line"].as_u64().unwrap(),
                column: d["column"].as_u64().unwrap(),
                key,
            });
        }
        assert_eq!(reported, expected, "{kind}: {diags:#}");

        std::fs::write(&path, fill(&text)).unwrap();
        let (status, diags) = check_json(site.path());
        assert_eq!((status, &diags), (Some(0), &serde_json::json!([])));
    }
}

#[test]
fn optional_keys_uncommented_are_keys_of_the_kind_and_unfilled_ones_are_caught() {
    for (kind, expected) in [
        ("case-study", &["age_range", "organisation", "slug"][..]),
        ("hypothesis", &["slug"][..]),
        ("evidence", &["promoted_to", "slug"][..]),
    ] {
        let site = valid_site();
        let file = new(site.path(), kind, "Reading together");
        let path = site.path().join(&file);
        let text = fill(&std::fs::read_to_string(&path).unwrap());
        let uncommented: Vec<&str> = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if !rest.starts_with("Optional") => rest,
                _ => l,
            })
            .collect();
        std::fs::write(&path, uncommented.join("\n")).unwrap();
        let (status, diags) = check_json(site.path());
        assert_eq!(status, Some(1));
        let keys: Vec<&str> = diags
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                assert_eq!(d["code"], "placeholder", "{d:#}");
                d["message"].as_str().unwrap().split('`').nth(1).unwrap()
            })
            .collect();
        assert_eq!(keys, expected, "{kind}: {diags:#}");
    }
}

#[test]
fn a_title_with_nothing_to_fold_is_named_by_its_kind_and_a_hash_and_says_so() {
    let site = valid_site();
    let root = site.path().to_str().unwrap();
    let o = ntg(&["new", "hypothesis", "子どもの読書", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = stdout(&o).trim().to_string();
    let name = Path::new(&written).file_name().unwrap().to_str().unwrap();
    let hash = name
        .strip_prefix("hypothesis-")
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or_else(|| panic!("{name}"));
    assert!(
        hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{name}"
    );
    assert_eq!(
        stderr(&o),
        "note: nothing of the title `子どもの読書` folds to a-z or 0-9, so the file is named by \
         its type and a hash of the title; rename it, or set `slug:`, for a readable address\n"
    );
    // The same title gives the same name, so a second run finds the first's file.
    let again = ntg(&["new", "hypothesis", "子どもの読書", "--root", root]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains(&format!("{written} already exists")));
    // Another title gives another name; once filled, both check clean.
    let other = ntg(&["new", "hypothesis", "🎉🚀", "--root", root]);
    assert!(other.status.success(), "{}", stderr(&other));
    assert_ne!(stdout(&other).trim(), written);
    for path in [written, stdout(&other).trim().to_string()] {
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, fill(&text)).unwrap();
    }
    let (status, diags) = check_json(site.path());
    assert_eq!((status, &diags), (Some(0), &serde_json::json!([])));
}
