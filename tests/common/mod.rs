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
