//! A build that takes work from the previous build's search state (`reuse.bin` in its index
//! folder) makes the same export, and an index that answers the same, as a build from
//! nothing of the same content; a damaged or foreign state is ignored.

mod common;

use common::{build_into, site_in, stderr, stdout};
use std::collections::BTreeMap;
use std::path::Path;

const DOC: &str = "content/hypotheses/family-learning.md";

/// Every file of the output's search export, by path.
fn export(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out.join("search"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && !e.path().to_string_lossy().contains("/js/"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn built(site: &Path, out: &Path) {
    let o = build_into(site, out);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn answers(site: &Path, out: &Path, query: &[&str]) -> serde_json::Value {
    let o = search_as(site, out, query, None);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// `ntg search` of the site built into `out`, as the ntg of `version` (this one if `None`).
fn search_as(
    site: &Path,
    out: &Path,
    query: &[&str],
    version: Option<&str>,
) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ntg"));
    cmd.args(["search", "--root", site.to_str().unwrap(), "--output"])
        .arg(out)
        .args(["--format", "json"])
        .args(query);
    if let Some(v) = version {
        cmd.env("NTG_TEST_VERSION", v);
    }
    cmd.output().unwrap()
}

/// The reuse state of the index the output's marker names.
fn state(site: &Path, out: &Path) -> std::path::PathBuf {
    let marker = std::fs::read_to_string(out.join(".ntg-output")).unwrap();
    let id = marker
        .lines()
        .find_map(|l| l.strip_prefix("search-index "))
        .unwrap();
    site.join(".ntg-cache/search-index")
        .join(id)
        .join("reuse.bin")
}

/// Builds the valid fixture, applies `edit`, builds again over the first output, and checks
/// the second build against a clean build of a fresh copy with the same edit.
fn same_as_clean(edit: impl Fn(&Path)) {
    let work = tempfile::tempdir().unwrap();
    let (site, out) = (work.path().join("site"), work.path().join("out"));
    site_in(&site, &[]);
    built(&site, &out);
    assert!(
        state(&site, &out).is_file(),
        "a build leaves its reuse state"
    );
    edit(&site);
    built(&site, &out);
    let fresh = tempfile::tempdir().unwrap();
    let (clean_site, clean_out) = (fresh.path().join("site"), fresh.path().join("out"));
    site_in(&clean_site, &[]);
    edit(&clean_site);
    built(&clean_site, &clean_out);
    let (reused, clean) = (export(&out), export(&clean_out));
    assert!(!clean.is_empty());
    assert_eq!(
        reused.keys().collect::<Vec<_>>(),
        clean.keys().collect::<Vec<_>>()
    );
    assert!(reused == clean, "the export differs from a clean build's");
    for q in [
        &["reading"][..],
        &["family learning"],
        &["--theme", "engaging-parents", "carers"],
    ] {
        assert_eq!(
            answers(&site, &out, q),
            answers(&clean_site, &clean_out, q),
            "{q:?}"
        );
    }
}

fn rewrite(site: &Path, rel: &str, from: &str, to: &str) {
    let path = site.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_body_edit_gives_a_clean_builds_export_and_answers() {
    same_as_clean(|site| {
        let path = site.join(DOC);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("\nReading together weekly helps family learning and carers.\n");
        std::fs::write(path, text).unwrap();
    });
}

#[test]
fn a_facet_edit_gives_a_clean_builds_export_and_answers() {
    same_as_clean(|site| {
        rewrite(
            site,
            "content/case-studies/leeds-family-reading.md",
            "  - children-in-care",
            "  - children-in-care\n  - young-carers",
        )
    });
}

#[test]
fn an_added_document_gives_a_clean_builds_export_and_answers() {
    same_as_clean(|site| {
        std::fs::write(
            site.join("content/hypotheses/reading-mentors.md"),
            "---\ntitle: \"Reading mentors\"\nsummary: Older pupils mentor readers.\nthemes: [engaging-parents]\ngroups: [young-carers]\noutcomes: [staying-safe]\nstatus: testing\n---\n\nReading mentors meet carers and families weekly.\n",
        )
        .unwrap();
    });
}

#[test]
fn a_removed_document_gives_a_clean_builds_export_and_answers() {
    same_as_clean(|site| {
        std::fs::remove_file(site.join("content/evidence/reading-charity.md")).unwrap()
    });
}

#[test]
fn a_retitled_document_moves_and_gives_a_clean_builds_export() {
    // A new title changes the site's order of documents, and so their numbers in the index.
    same_as_clean(|site| {
        rewrite(
            site,
            "content/case-studies/leeds-family-reading.md",
            "Leeds: family",
            "Aardvark: family",
        )
    });
}

#[test]
fn an_unchanged_rebuild_takes_the_index_whole_and_answers_alike() {
    same_as_clean(|_| {});
}

#[test]
fn a_damaged_cut_or_foreign_state_is_ignored() {
    for damage in ["garbage", "cut", "flipped", "foreign"] {
        let work = tempfile::tempdir().unwrap();
        let (site, out) = (work.path().join("site"), work.path().join("out"));
        site_in(&site, &[]);
        built(&site, &out);
        let before = export(&out);
        let file = state(&site, &out);
        let bytes = std::fs::read(&file).unwrap();
        // Hard links share the file with the next index: write a new file in its place.
        std::fs::remove_file(&file).unwrap();
        match damage {
            "garbage" => std::fs::write(&file, b"not a state at all").unwrap(),
            "cut" => std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap(),
            "flipped" => {
                let mut b = bytes.clone();
                let last = b.len() - 1;
                b[last] ^= 0xff;
                std::fs::write(&file, b).unwrap();
            }
            _ => std::fs::write(&file, &bytes).unwrap(),
        }
        rewrite(&site, DOC, "---\n\n", "---\n\nCarers read.\n\n");
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ntg"));
        cmd.args([
            "build",
            "--root",
            site.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        if damage == "foreign" {
            cmd.env("NTG_TEST_VERSION", "0.0.0-another");
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{damage}: {}", stderr(&o));
        let fresh = tempfile::tempdir().unwrap();
        let (clean_site, clean_out) = (fresh.path().join("site"), fresh.path().join("out"));
        site_in(&clean_site, &[]);
        rewrite(&clean_site, DOC, "---\n\n", "---\n\nCarers read.\n\n");
        built(&clean_site, &clean_out);
        assert!(export(&out) == export(&clean_out), "{damage}");
        assert!(
            export(&out) != before,
            "{damage}: the edit reached the export"
        );
        let clean_answers = answers(&clean_site, &clean_out, &["carers"]);
        if damage == "foreign" {
            // The site in `out` is the other version's: this ntg will not make an index from
            // its state, and says why; that version answers as a clean build does.
            let o = search_as(&site, &out, &["carers"], None);
            assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
            assert!(
                stderr(&o).contains("run `ntg build` again"),
                "{}",
                stderr(&o)
            );
            let o = search_as(&site, &out, &["carers"], Some("0.0.0-another"));
            assert!(o.status.success(), "{}", stderr(&o));
            let theirs: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
            assert_eq!(theirs, clean_answers);
        } else {
            assert_eq!(answers(&site, &out, &["carers"]), clean_answers, "{damage}");
        }
    }
}
