//! `--timings` on build and check: one line a stage, a duration and the stage's name, the
//! same stages in the same order, but for what only a build does (write, index for search).

mod common;

use common::{copy_tree, fixtures, ntg, stderr};

/// The (milliseconds, stage) lines of a `--timings` report, with the other lines left out.
fn stages(report: &str) -> Vec<(f64, String)> {
    report
        .lines()
        .filter_map(|line| {
            let (ms, stage) = line.trim_start().split_once(" ms  ")?;
            Some((ms.parse().ok()?, stage.to_string()))
        })
        .collect()
}

#[test]
fn check_prints_the_stage_times_build_prints() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    copy_tree(&fixtures().join("valid"), &site);
    let root = site.to_str().unwrap();
    let check = ntg(&["check", "--timings", "--root", root]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let report = stderr(&check);
    let checked = stages(&report);
    // Every line but the summary is a stage.
    assert_eq!(checked.len(), report.lines().count() - 1, "{report}");
    assert!(report.ends_with("no errors\n"), "{report}");
    assert!(checked.iter().all(|(ms, _)| *ms >= 0.0));

    let built = ntg(&[
        "build",
        "--timings",
        "--root",
        root,
        "--output",
        out.path().join("public").to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    let names = |s: &[(f64, String)]| s.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>();
    let build_names = names(&stages(&stderr(&built)));
    let check_names = names(&checked);
    // Up to rendering, the same stages by the same names.
    let shared = build_names
        .iter()
        .position(|n| n.starts_with("render"))
        .unwrap();
    assert!(shared >= 5, "{build_names:?}");
    assert_eq!(check_names[..shared], build_names[..shared]);
    // Then check renders and makes every file as a build does, but writes none and
    // indexes nothing.
    assert_eq!(
        check_names[shared..],
        [
            "render pages, not written",
            "feeds, static files and open data made, not written"
        ]
    );
    assert!(
        build_names[shared..]
            .iter()
            .any(|n| n.contains("search index"))
    );
    // Without the flag, no stage lines.
    assert!(stages(&stderr(&ntg(&["check", "--root", root]))).is_empty());
}
