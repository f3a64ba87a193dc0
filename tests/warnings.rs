//! Warnings for what is legal but probably wrong: each folder of tests/fixtures/warnings/
//! lays its `files/` over the valid fixture and must make `ntg check` report exactly its
//! warnings (code, file, line), exit 0, and exit 1 with `--deny-warnings`; a denied build
//! leaves the output it would have replaced as it was.

mod common;

use common::{build_into, check_json, copy_tree, fixtures, ntg, snapshot, stderr, stdout};
use std::path::Path;

/// A warning a case must give: (code, file, line, column).
type Expected = (&'static str, &'static str, u64, u64);

/// Each case and its warnings, in report order.
const CASES: &[(&str, &[Expected])] = &[
    (
        "unsupported-status",
        &[(
            "unsupported-status",
            "content/hypotheses/mentors-for-care-leavers.md",
            7,
            1,
        )],
    ),
    (
        "no-indicators",
        &[
            // No `indicators` key: the start of the file.
            (
                "no-indicators",
                "content/case-studies/2008/hackney-young-carers.md",
                1,
                1,
            ),
            // `indicators: []`: the key.
            (
                "no-indicators",
                "content/case-studies/young-carers-drop-in.md",
                9,
                1,
            ),
        ],
    ),
    (
        "promotion-not-linked-back",
        &[(
            "promotion-not-linked-back",
            "content/evidence/breakfast-club-report.md",
            9,
            14,
        )],
    ),
    (
        "summary-repeats-title",
        &[(
            "summary-repeats-title",
            "content/hypotheses/mentors-for-young-carers.md",
            3,
            1,
        )],
    ),
];

/// The valid fixture with the case `name`'s files over it, in `dir`.
fn lay(name: &str, dir: &Path) {
    copy_tree(&fixtures().join("valid"), dir);
    copy_tree(&fixtures().join("warnings").join(name).join("files"), dir);
}

fn root(dir: &Path) -> &str {
    dir.to_str().expect("a UTF-8 path")
}

#[test]
fn each_fixture_gives_exactly_its_warnings_and_passes() {
    for (name, expected) in CASES {
        let site = tempfile::tempdir().unwrap();
        lay(name, site.path());
        let (status, diags) = check_json(site.path());
        assert_eq!(status, Some(0), "{name}: {diags:#}");
        let got: Vec<(&str, &str, &str, u64, u64)> = diags
            .as_array()
            .expect("an array")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap(),
                    d["severity"].as_str().unwrap(),
                    d["file"].as_str().unwrap(),
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap(),
                )
            })
            .collect();
        let want: Vec<(&str, &str, &str, u64, u64)> = expected
            .iter()
            .map(|&(code, file, line, col)| (code, "warning", file, line, col))
            .collect();
        assert_eq!(got, want, "{name}");
        for d in diags.as_array().unwrap() {
            let help = d["help"].as_str().unwrap_or_default();
            assert!(!help.is_empty(), "{name}: a warning without help: {d}");
        }
    }
}

#[test]
fn denied_warnings_fail_check_in_every_format() {
    for (name, expected) in CASES {
        let site = tempfile::tempdir().unwrap();
        lay(name, site.path());
        let n = expected.len();
        let last = format!(
            "{n} warning{} denied by --deny-warnings\n",
            if n == 1 { "" } else { "s" }
        );
        for format in ["human", "json", "sarif", "github"] {
            let args = [
                "check",
                "--root",
                root(site.path()),
                "--format",
                format,
                "--deny-warnings",
            ];
            let out = ntg(&args);
            assert_eq!(out.status.code(), Some(1), "{name} {format}");
            assert!(
                stderr(&out).ends_with(&last),
                "{name} {format}: {}",
                stderr(&out)
            );
            let report = if format == "human" {
                stderr(&out)
            } else {
                stdout(&out)
            };
            let shown = match format {
                "human" => format!(
                    "{}:{}:{}: warning: ",
                    expected[0].1, expected[0].2, expected[0].3
                ),
                "json" => format!("\"code\": \"{}\"", expected[0].0),
                "sarif" => "\"level\": \"warning\"".to_string(),
                _ => format!("::warning file={},line={}", expected[0].1, expected[0].2),
            };
            assert!(report.contains(&shown), "{name} {format}: {report}");
            // Without the flag, the same report passes.
            let out = ntg(&args[..5]);
            assert_eq!(out.status.code(), Some(0), "{name} {format}");
            assert!(!stderr(&out).contains("denied"), "{name} {format}");
        }
    }
}

#[test]
fn a_denied_build_leaves_the_previous_output_whole() {
    let site = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    copy_tree(&fixtures().join("valid"), site.path());
    let first = build_into(site.path(), &public);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = snapshot(&public);
    copy_tree(
        &fixtures().join("warnings/summary-repeats-title/files"),
        site.path(),
    );
    let denied = ntg(&[
        "build",
        "--root",
        root(site.path()),
        "--output",
        root(&public),
        "--deny-warnings",
    ]);
    let report = stderr(&denied);
    assert_eq!(denied.status.code(), Some(1), "{report}");
    assert!(
        report.contains("warning: `summary` only repeats the title"),
        "{report}"
    );
    assert!(
        report.ends_with("left as it was\n1 warning denied by --deny-warnings\n"),
        "{report}"
    );
    assert!(
        snapshot(&public) == before,
        "a denied build changed the output"
    );
    // Without the flag the same build goes through, printing the warning.
    let built = build_into(site.path(), &public);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(stderr(&built).contains("warning: `summary` only repeats the title"));
    assert!(snapshot(&public) != before);
}

#[test]
fn the_repository_digest_has_no_warnings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (status, diags) = check_json(repo);
    assert_eq!(status, Some(0));
    assert_eq!(
        diags,
        serde_json::json!([]),
        "CI checks the digest with no warnings"
    );
}
