//! `ntg new` names a file by the one slug rule `ntg check` holds it to: accents folded, what
//! cannot be folded dropped, so a title in any Latin spelling gives a file name the check
//! accepts (the file's only errors are the placeholders left for the writer).

mod common;

use common::{copy_tree, fixtures, ntg, stderr, stdout};

#[test]
fn new_folds_accents_into_a_file_name_that_checks_clean() {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), site.path());
    let root = site.path().to_str().unwrap();
    let mut written = Vec::new();
    for (title, file) in [
        ("Café à la carte", "cafe-a-la-carte.md"),
        ("Straße, Ærø and Łódź 🎉", "strasse-aero-and-lodz.md"),
    ] {
        let o = ntg(&["new", "case-study", title, "--root", root]);
        assert!(o.status.success(), "{title}: {}", stderr(&o));
        let path = site.path().join("content/case-studies").join(file);
        assert_eq!(stdout(&o).trim(), path.display().to_string());
        assert!(path.is_file(), "{title}: no {file}");
        written.push(format!("content/case-studies/{file}"));
    }
    // The same document under a name that is no slug fails, so the check does judge names.
    let bad = "content/case-studies/Bad_Name.md";
    let text = std::fs::read_to_string(site.path().join(&written[0])).unwrap();
    std::fs::write(site.path().join(bad), text).unwrap();

    let o = ntg(&["check", "--drafts", "--format", "json", "--root", root]);
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&o), stderr(&o)));
    // The new files' only errors are the placeholders left for the writer to fill.
    let named: Vec<(&str, &str)> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" && d["code"] != "placeholder")
        .map(|d| (d["file"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(named, [(bad, "invalid-slug")], "{diags:#}");
}

#[test]
fn a_title_with_nothing_to_fold_is_named_by_its_kind() {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), site.path());
    let root = site.path().to_str().unwrap();
    for title in ["", "   "] {
        let o = ntg(&["new", "hypothesis", title, "--root", root]);
        assert_eq!(o.status.code(), Some(2), "{title:?}: {}", stderr(&o));
    }
    for title in ["🎉🚀", "中文"] {
        let o = ntg(&["new", "hypothesis", title, "--root", root]);
        assert!(o.status.success(), "{title:?}: {}", stderr(&o));
        let name = stdout(&o).trim().rsplit('/').next().unwrap().to_string();
        assert!(name.starts_with("hypothesis-"), "{title:?}: {name}");
    }
}
