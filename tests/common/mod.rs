//! Helpers shared by the end-to-end tests: fixture sites copied to temporary folders and
//! the real `ntg` binary run on them.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folder of fixture sites, `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies every file below `from` to the same place below `to`, over what is there: how a
/// test lays a fixture (or a case's files) over a site.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture readable");
        let rel = entry.path().strip_prefix(from).expect("below the root");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create dir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Runs `ntg` with `args` and returns its output.
pub fn ntg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ntg"))
        .args(args)
        .output()
        .expect("ntg runs")
}

/// Runs `ntg build` on the site at `site` into `out` and returns its output.
pub fn build_into(site: &Path, out: &Path) -> Output {
    ntg(&[
        "build",
        "--root",
        site.to_str().expect("a UTF-8 path"),
        "--output",
        out.to_str().expect("a UTF-8 path"),
    ])
}

/// A copy of the valid fixture in `dir`, with `files` (path, text) written over it.
pub fn site_in(dir: &Path, files: &[(&str, &str)]) {
    copy_tree(&fixtures().join("valid"), dir);
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a file's folder")).expect("create dir");
        std::fs::write(path, text).expect("write file");
    }
}

/// `ntg check --format json` on the site in `root`: its exit status and its diagnostics,
/// parsed.
pub fn check_json(root: &Path) -> (Option<i32>, serde_json::Value) {
    let out = ntg(&[
        "check",
        "--root",
        root.to_str().expect("a UTF-8 path"),
        "--format",
        "json",
    ]);
    let diags = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON diagnostics on stdout ({e}):\n{}{}",
            stdout(&out),
            stderr(&out)
        )
    });
    (out.status.code(), diags)
}

/// What `o` printed on standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What `o` printed on standard output, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file below `dir` as (relative path, bytes), sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Where two snapshots (from [`snapshot`]) differ, described for a failing test: the files
/// only one of them has, the first files whose bytes differ, and the first differing line
/// of each of the first three; `None` when they are the same files with the same bytes.
pub fn snapshot_difference(
    left_name: &str,
    left: &[(String, Vec<u8>)],
    right_name: &str,
    right: &[(String, Vec<u8>)],
) -> Option<String> {
    use std::collections::BTreeMap;
    let l: BTreeMap<&str, &[u8]> = left.iter().map(|(p, b)| (p.as_str(), &b[..])).collect();
    let r: BTreeMap<&str, &[u8]> = right.iter().map(|(p, b)| (p.as_str(), &b[..])).collect();
    let only = |a: &BTreeMap<&str, &[u8]>, b: &BTreeMap<&str, &[u8]>| -> Vec<String> {
        a.keys()
            .filter(|p| !b.contains_key(*p))
            .map(|p| p.to_string())
            .collect()
    };
    let only_left = only(&l, &r);
    let only_right = only(&r, &l);
    let differing: Vec<&str> = l
        .iter()
        .filter(|(p, bytes)| r.get(*p).is_some_and(|other| other != *bytes))
        .map(|(p, _)| *p)
        .collect();
    if only_left.is_empty() && only_right.is_empty() && differing.is_empty() {
        return None;
    }
    let mut report = String::new();
    let mut list = |what: String, paths: &[String]| {
        if !paths.is_empty() {
            let shown: Vec<&str> = paths.iter().take(5).map(String::as_str).collect();
            let more = paths.len().saturating_sub(shown.len());
            report.push_str(&format!("{what} ({}): {}", paths.len(), shown.join(", ")));
            if more > 0 {
                report.push_str(&format!(" and {more} more"));
            }
            report.push('\n');
        }
    };
    list(format!("only in {left_name}"), &only_left);
    list(format!("only in {right_name}"), &only_right);
    list(
        "different bytes".to_string(),
        &differing.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
    );
    for path in differing.iter().take(3) {
        report.push_str(&first_differing_line(
            path, left_name, l[path], right_name, r[path],
        ));
    }
    Some(report)
}

/// The first line at which two versions of the file `path` differ, each cut to a short
/// window around the first differing character so a minified page stays readable.
fn first_differing_line(
    path: &str,
    left_name: &str,
    left: &[u8],
    right_name: &str,
    right: &[u8],
) -> String {
    let (l, r) = (
        String::from_utf8_lossy(left),
        String::from_utf8_lossy(right),
    );
    let (mut ll, mut rl) = (l.split('\n'), r.split('\n'));
    let mut number = 1;
    loop {
        match (ll.next(), rl.next()) {
            (Some(a), Some(b)) if a == b => number += 1,
            (a, b) => {
                let (a, b) = (a.unwrap_or("<end of file>"), b.unwrap_or("<end of file>"));
                let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
                let window = |s: &str| -> String {
                    s.chars().skip(at.saturating_sub(60)).take(160).collect()
                };
                return format!(
                    "{path}, line {number}, from character {}:\n  {left_name}: {}\n  {right_name}: {}\n",
                    at.saturating_sub(60) + 1,
                    window(a),
                    window(b)
                );
            }
        }
    }
}

/// Generates the benchmark corpus of `docs` documents into `out` (which must not exist)
/// with `../shared/bench/gen_corpus.py`, the generator `scripts/test.sh` uses. A missing
/// python3 or generator fails the test with the reason rather than skipping it.
pub fn gen_corpus(docs: usize, out: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    assert!(
        script.is_file(),
        "the corpus generator is missing: {} (the tests need the shared bench folder beside the repository)",
        script.display()
    );
    let o = Command::new("python3")
        .arg(&script)
        .args(["--docs", &docs.to_string(), "--out"])
        .arg(out)
        .output()
        .unwrap_or_else(|e| panic!("python3 cannot run ({e}); the corpus tests need it"));
    assert!(
        o.status.success(),
        "{} --docs {docs} failed:\n{}",
        script.display(),
        stderr(&o)
    );
}
