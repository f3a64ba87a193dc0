//! Each folder of tests/fixtures/invalid/ is a kind of bad input. Its `files/` are laid over a
//! copy of the valid fixture (a `delete` file lists paths to remove first), `ntg check` runs on
//! the result, and its report must equal `expected.txt` exactly, with exit status 1.

mod common;

use common::{check_json, copy_tree, fixtures, ntg, stderr};

/// Runs one case; returns what is wrong with ntg's answer, if anything.
fn run_case(name: &str) -> Option<String> {
    let case = fixtures().join("invalid").join(name);
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), site.path());
    if let Ok(list) = std::fs::read_to_string(case.join("delete")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            std::fs::remove_file(site.path().join(rel.trim()))
                .unwrap_or_else(|e| panic!("{name}: delete {rel}: {e}"));
        }
    }
    if case.join("files").is_dir() {
        copy_tree(&case.join("files"), site.path());
    }
    let root = site.path().to_str().unwrap();
    let out = ntg(&["check", "--root", root]);
    let report = stderr(&out);
    if report.contains("panicked") {
        return Some(format!("{name}: ntg panicked:\n{report}"));
    }
    let expected = std::fs::read_to_string(case.join("expected.txt"))
        .unwrap_or_else(|e| panic!("{name}: expected.txt: {e}"));
    if report != expected {
        return Some(format!(
            "{name}: diagnostics differ\n--- expected\n{expected}--- ntg check printed\n{report}"
        ));
    }
    if out.status.code() != Some(1) {
        return Some(format!(
            "{name}: check exited with {:?}, not 1",
            out.status.code()
        ));
    }
    // The same errors as a build: it fails, reports the same, and writes nothing.
    let public = site.path().join("public");
    let build = ntg(&["build", "--root", root]);
    if build.status.code() != Some(1) || !stderr(&build).starts_with(&expected) {
        return Some(format!(
            "{name}: build did not fail with the same report:\n{}",
            stderr(&build)
        ));
    }
    public
        .exists()
        .then(|| format!("{name}: a failed build wrote output"))
}

#[test]
fn every_invalid_fixture_reports_exactly_its_errors() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 10,
        "expected a fixture per kind of bad input, found {names:?}"
    );
    let failures: Vec<String> = names.iter().filter_map(|n| run_case(n)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

#[test]
fn json_format_carries_file_line_and_help() {
    let case = fixtures().join("invalid/unknown-slug");
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), site.path());
    copy_tree(&case.join("files"), site.path());
    let (status, diags) = check_json(site.path());
    assert_eq!(status, Some(1));
    let first = &diags.as_array().expect("an array")[0];
    assert!(first["file"].as_str().unwrap().starts_with("content/"));
    assert!(first["line"].as_u64().unwrap() > 1);
    assert!(first["column"].as_u64().unwrap() >= 1);
    assert_eq!(first["code"], "unknown-theme");
    assert!(first["help"].as_str().unwrap().starts_with("did you mean"));
}

#[test]
fn github_format_is_one_annotation_per_error() {
    let case = fixtures().join("invalid/unknown-slug");
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), site.path());
    copy_tree(&case.join("files"), site.path());
    let out = ntg(&[
        "check",
        "--root",
        site.path().to_str().unwrap(),
        "--format",
        "github",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.is_empty());
    assert!(
        text.lines()
            .all(|l| l.starts_with("::error file=content/") && l.contains(",line=")),
        "{text}"
    );
}

#[test]
fn a_wrong_command_line_exits_2() {
    assert_eq!(ntg(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(ntg(&["new", "essay", "Title"]).status.code(), Some(2));
}
