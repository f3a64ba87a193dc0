//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) and every input the fuzzer found
//! crashing (`fuzz/regressions/<target>/`) through the same `ntg::fuzzing` entry points the
//! fuzz targets call, on stable and in the normal test run.

use ntg::fuzzing::{self, Vocabularies};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// Every fuzz target, as named in fuzz/Cargo.toml and fuzz/regressions/, with its corpus
/// folder: both markdown targets read one corpus, as scripts/fuzz.sh runs them.
const TARGETS: &[(&str, &str)] = &[
    ("front_matter", "front_matter"),
    ("site_config", "site_config"),
    ("markdown_untrusted", "markdown"),
    ("markdown_trusted", "markdown"),
    ("ees_csv", "ees_csv"),
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The inputs kept for `target`: its corpus and its regressions.
fn inputs(target: &str) -> Vec<PathBuf> {
    let corpus = TARGETS
        .iter()
        .find(|(t, _)| *t == target)
        .map(|(_, corpus)| *corpus)
        .expect("a known target");
    let mut found = Vec::new();
    for (kind, folder) in [("corpus", corpus), ("regressions", target)] {
        let dir = repo().join("fuzz").join(kind).join(folder);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("fuzz folder readable").path();
            if path.is_file() {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Runs every input of `target` through `run`, and fails naming each input that panicked.
fn replay(target: &str, run: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(
        !inputs.is_empty(),
        "{target} has no corpus in fuzz/corpus/: run fuzz/seed.py"
    );
    let failed: Vec<String> = inputs
        .iter()
        .filter(|path| {
            let bytes = std::fs::read(path).expect("fuzz input readable");
            catch_unwind(AssertUnwindSafe(|| run(&bytes))).is_err()
        })
        .map(|path| {
            path.strip_prefix(repo())
                .unwrap_or(path)
                .display()
                .to_string()
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} inputs failed (their panics are printed above):\n{}",
        failed.len(),
        inputs.len(),
        failed.join("\n")
    );
}

#[test]
fn every_fuzz_folder_names_a_target() {
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(repo().join("fuzz").join(kind)) else {
            continue;
        };
        for entry in entries {
            let name = entry.expect("fuzz folder readable").file_name();
            let name = name.to_string_lossy();
            let known = TARGETS.iter().any(|(target, corpus)| match kind {
                "corpus" => *corpus == name,
                _ => *target == name,
            });
            assert!(
                known,
                "fuzz/{kind}/{name}/ is not a fuzz target's folder, so nothing replays it"
            );
        }
    }
    let manifest = std::fs::read_to_string(repo().join("fuzz/Cargo.toml")).expect("fuzz manifest");
    for (target, _) in TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{target}\"")),
            "fuzz/Cargo.toml has no target {target}"
        );
    }
}

#[test]
fn front_matter() {
    let vocabularies = Vocabularies::load(repo()).expect("the repository's data files load");
    replay("front_matter", |bytes| {
        fuzzing::front_matter(bytes, &vocabularies);
    });
}

#[test]
fn site_config() {
    replay("site_config", |bytes| {
        fuzzing::site_config(bytes);
    });
}

#[test]
fn markdown_untrusted() {
    replay("markdown_untrusted", |bytes| {
        fuzzing::markdown(bytes, false);
    });
}

#[test]
fn markdown_trusted() {
    replay("markdown_trusted", |bytes| {
        fuzzing::markdown(bytes, true);
    });
}

#[test]
fn ees_csv() {
    let inputs = ntg::inputs::Disk { root: repo() }.named(&[ntg::resolve::AUTHORITIES]);
    let authorities =
        ntg::resolve::authorities(&inputs).expect("the repository's local authorities load");
    replay("ees_csv", |bytes| {
        fuzzing::ees_csv(bytes, &authorities);
    });
}
