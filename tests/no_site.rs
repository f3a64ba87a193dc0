//! Run outside a site, every command that reads one says so in one line, naming the folder
//! and how to name a site instead, exits 2 (a wrong command line), and writes nothing.

mod common;

use common::{stderr, stdout};
use std::process::Command;

#[test]
fn outside_a_site_each_command_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let folder = std::fs::canonicalize(dir.path()).unwrap();
    let expected = format!(
        "error: there is no site.yaml in {}, so it is not a site's folder: cd into the site, \
         or name it with --root DIR\n",
        folder.display()
    );
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["build"],
        &["serve", "--port", "0"],
        &["new", "case-study", "A title"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_ntg"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), expected, "{args:?}");
        assert_eq!(stdout(&o), "", "{args:?}");
    }
    // Nothing was written there: no public/, no content/.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    // `--root` naming the same folder, or one that is not there, says the same of it.
    let root = dir.path().to_str().unwrap();
    let o = common::ntg(&["check", "--root", root]);
    assert_eq!((o.status.code(), stderr(&o)), (Some(2), expected.clone()));
    let gone = folder.join("gone");
    let o = common::ntg(&["build", "--root", gone.to_str().unwrap()]);
    assert_eq!(
        (o.status.code(), stderr(&o)),
        (
            Some(2),
            format!(
                "error: there is no folder {}: cd into the site, or name it with --root DIR\n",
                gone.display()
            )
        )
    );
}
