//! Writing only what changed, end to end with the real binary: a rebuild hard-links the files
//! it would write unchanged from the previous output, writes anew every file edited or
//! replaced by hand since, and writes everything when the cache cannot be trusted (garbage,
//! cut short, another version's) or is not to be read (`--no-cache`). In every case the
//! output is byte for byte a clean build's. A file's inode tells whether it was linked.
#![cfg(unix)]

mod common;

use common::{copy_tree, fixtures, snapshot, stderr};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The build cache's folder in a site: one file per shard of each kind of entry.
const CACHE: &str = ".ntg-cache/build";

/// Every file of the build cache of the site at `root`, by name, with its bytes.
fn cache_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(root.join(CACHE))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A copy of the valid fixture in a temporary folder.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("valid"), &dir.path().join("site"));
        Site { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// The spare tree kept beside `public/`.
    fn spare(&self) -> PathBuf {
        self.root().join(".public.ntg-spare")
    }

    /// What is beside `public/` that ntg made, sorted: the output and its spare, and any
    /// staging folder.
    fn beside(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public") || n == "public")
            .collect();
        names.sort();
        names
    }

    /// `ntg build` of the site into `public/` with `args` and environment `env`.
    fn build(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ntg"));
        c.current_dir(self.root()).arg("build").args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("ntg runs")
    }

    /// Builds, asserting success.
    fn built(&self, args: &[&str], env: &[(&str, &str)]) {
        let o = self.build(args, env);
        assert!(o.status.success(), "{}", stderr(&o));
    }

    /// Adds a paragraph to the body of one document.
    fn edit_a_document(&self) {
        let doc = walkdir::WalkDir::new(self.root().join("content"))
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .find(|e| {
                e.path().extension().is_some_and(|x| x == "md")
                    && e.depth() == 2
                    && e.file_name() != "_index.md"
            })
            .expect("a document in a section")
            .into_path();
        let text = std::fs::read_to_string(&doc).unwrap();
        std::fs::write(&doc, format!("{text}\nA new closing paragraph.\n")).unwrap();
    }

    /// Edits a document and builds, checking that the edit was written, that most files are
    /// the same files on disk as before, and that the site is a clean build's.
    fn rebuild_after_an_edit(&self) {
        let before = inodes(&self.public());
        self.edit_a_document();
        self.built(&[], &[]);
        let same = kept(&before, &inodes(&self.public()));
        assert!(same.len() < linkable(&before).len(), "the edit was written");
        assert!(
            same.len() > linkable(&before).len() / 2,
            "most files were kept as they were"
        );
        assert_eq!(snapshot(&self.public()), self.clean());
    }

    /// What a clean build of the site as it is now writes, built elsewhere without a cache.
    fn clean(&self) -> Vec<(String, Vec<u8>)> {
        let out = self.dir.path().join("clean");
        let o = self.build(&["--no-cache", "--output", out.to_str().unwrap()], &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        snapshot(&out)
    }
}

/// Adds `text` to the end of the file at `path`, in place: the same inode, a new size and
/// modification time.
fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
}

/// Every file below `dir` by relative path, with its inode.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (rel.display().to_string(), e.metadata().unwrap().ino())
        })
        .collect()
}

/// The files of `after` that are the same files on disk as in `before`.
fn kept(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> Vec<String> {
    after
        .iter()
        .filter(|(rel, ino)| before.get(*rel) == Some(ino))
        .map(|(rel, _)| rel.clone())
        .collect()
}

/// The files the manifest covers: all but the marker, which is written on every build.
fn linkable(files: &BTreeMap<String, u64>) -> Vec<String> {
    files
        .keys()
        .filter(|rel| *rel != ".ntg-output")
        .cloned()
        .collect()
}

#[test]
fn a_rebuild_links_every_unchanged_file_and_writes_the_same_site() {
    let site = Site::new();
    site.built(&[], &[]);
    let first = inodes(&site.public());
    site.built(&[], &[]);
    let second = inodes(&site.public());
    assert!(first.len() > 20, "the fixture writes a real site");
    assert_eq!(kept(&first, &second), linkable(&first));
    // The old tree is the spare now: each unchanged file has its name there and in the
    // output, and no other.
    for rel in linkable(&second) {
        let meta = std::fs::metadata(site.public().join(&rel)).unwrap();
        assert_eq!(meta.nlink(), 2, "{rel}");
        assert_eq!(inodes(&site.spare()).get(&rel), Some(&meta.ino()), "{rel}");
    }
    assert_eq!(snapshot(&site.public()), site.clean());
}

#[test]
fn the_next_build_takes_the_spare_and_writes_only_what_changed() {
    let site = Site::new();
    site.built(&[], &[]);
    site.built(&[], &[]);
    assert!(
        site.spare().is_dir(),
        "the second build kept the first's tree"
    );
    site.rebuild_after_an_edit();
    // One spare, no staging folder: the spare was renamed, filled and swapped in.
    assert_eq!(site.beside(), [".public.ntg-spare", "public"]);
    // And again, from the spare the last build left.
    site.edit_a_document();
    site.built(&[], &[]);
    assert_eq!(snapshot(&site.public()), site.clean());
}

#[test]
fn whatever_the_spare_holds_the_build_is_whole_and_writes_nothing_outside() {
    let site = Site::new();
    site.built(&[], &[]);
    site.built(&[], &[]);
    let spare = site.spare();
    let outside = site.dir.path().join("outside");
    std::fs::create_dir_all(outside.join("folder")).unwrap();
    std::fs::write(outside.join("file.html"), "not the site's").unwrap();
    std::fs::write(outside.join("folder/index.html"), "not the site's").unwrap();
    let pages: Vec<String> = linkable(&inodes(&spare))
        .into_iter()
        .filter(|rel| rel.ends_with("/index.html") && rel.matches('/').count() == 2)
        .collect();
    // Pages two folders down: none's folder holds another's.
    assert!(pages.len() >= 4, "the fixture has pages in folders");
    // A page replaced by a symlink out of the site, a page's folder replaced by one, a
    // page's folder replaced by a file, a page edited in place where it is shared with the
    // live output (both names see it), and files and folders no build wrote.
    std::fs::remove_file(spare.join(&pages[0])).unwrap();
    std::os::unix::fs::symlink(outside.join("file.html"), spare.join(&pages[0])).unwrap();
    let folder = Path::new(&pages[1]).parent().unwrap();
    std::fs::remove_dir_all(spare.join(folder)).unwrap();
    std::os::unix::fs::symlink(outside.join("folder"), spare.join(folder)).unwrap();
    let folder = Path::new(&pages[2]).parent().unwrap();
    std::fs::remove_dir_all(spare.join(folder)).unwrap();
    std::fs::write(spare.join(folder), "a file where a folder was").unwrap();
    append(&spare.join(&pages[3]), "<!-- edited in the spare -->");
    std::fs::write(spare.join("extra.txt"), "put here by hand").unwrap();
    std::fs::create_dir_all(spare.join("extra/deeper")).unwrap();
    std::fs::write(spare.join("extra/deeper/x.html"), "x").unwrap();
    // The live output, edited through the name it shares with the spare, must be written
    // again too.
    site.built(&[], &[]);
    assert_eq!(snapshot(&site.public()), site.clean());
    assert_eq!(
        std::fs::read_to_string(outside.join("file.html")).unwrap(),
        "not the site's"
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("folder/index.html")).unwrap(),
        "not the site's"
    );
    let names: Vec<_> = std::fs::read_dir(&outside)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "nothing was written outside the site");
    // The tree the spare now holds (the last output) is taken next, and is whole too.
    site.built(&[], &[]);
    assert_eq!(snapshot(&site.public()), site.clean());
}

#[test]
fn a_build_killed_after_taking_the_spare_leaves_the_site_and_the_next_is_whole() {
    if !cfg!(debug_assertions) {
        eprintln!("note: the kill hooks exist in debug builds only; not checked");
        return;
    }
    let site = Site::new();
    site.built(&[], &[]);
    site.built(&[], &[]);
    let before = snapshot(&site.public());
    site.edit_a_document();
    let killed = site.build(&[], &[("NTG_TEST_KILL_AT", "write-3")]);
    assert_eq!(killed.status.code(), None, "{}", stderr(&killed));
    assert_eq!(snapshot(&site.public()), before, "the site was touched");
    // The spare, half written, was left under the killed build's name.
    let beside = site.beside();
    assert_eq!(beside.len(), 2, "{beside:?}");
    assert!(beside[0].starts_with(".public.ntg-new-"), "{beside:?}");
    site.built(&[], &[]);
    assert_eq!(snapshot(&site.public()), site.clean());
    assert_eq!(site.beside(), [".public.ntg-spare", "public"]);
}

#[test]
fn a_file_edited_or_replaced_in_the_output_is_written_again() {
    let site = Site::new();
    site.built(&[], &[]);
    let public = site.public();
    let before = inodes(&public);
    let appended = "index.html";
    let replaced = "sitemap.xml";
    let touched = "robots.txt";
    // In place (same inode, new size and time), replaced by a new file of the same size,
    // and in place keeping the size (same inode and size, new time).
    append(&public.join(appended), "<!-- edited -->");
    let len = std::fs::metadata(public.join(replaced)).unwrap().len() as usize;
    std::fs::remove_file(public.join(replaced)).unwrap();
    std::fs::write(public.join(replaced), vec![b'x'; len]).unwrap();
    let text = std::fs::read(public.join(touched)).unwrap();
    let same_size: Vec<u8> = text.iter().map(|b| b.to_ascii_uppercase()).collect();
    assert_ne!(same_size, text, "the edit changes the file");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(public.join(touched), &same_size).unwrap();
    let edited = inodes(&public);

    site.built(&[], &[]);
    let after = inodes(&public);
    let relinked = kept(&edited, &after);
    for rel in [appended, replaced, touched] {
        assert!(!relinked.contains(&rel.to_string()), "{rel} was linked");
    }
    let untouched: Vec<String> = linkable(&before)
        .into_iter()
        .filter(|rel| ![appended, replaced, touched].contains(&rel.as_str()))
        .collect();
    assert_eq!(relinked, untouched);
    assert_eq!(snapshot(&public), site.clean());
}

#[test]
fn a_changed_input_writes_its_pages_and_links_the_rest() {
    let site = Site::new();
    site.built(&[], &[]);
    site.rebuild_after_an_edit();
}

/// Builds once, damages every file of the cache with `damage`, rebuilds (with `env`), and
/// checks that the rebuild succeeded, linked nothing and wrote a clean build's site.
fn nothing_linked_after(damage: impl Fn(&Path), env: &[(&str, &str)]) {
    let site = Site::new();
    site.built(&[], &[]);
    let before = inodes(&site.public());
    let files = cache_files(&site.root());
    assert!(!files.is_empty());
    for name in files.keys() {
        damage(&site.root().join(CACHE).join(name));
    }
    site.built(&[], env);
    assert_eq!(kept(&before, &inodes(&site.public())), Vec::<String>::new());
    assert_eq!(snapshot(&site.public()), site.clean());
}

#[test]
fn a_cache_of_garbage_or_cut_short_is_ignored_and_the_build_is_whole() {
    nothing_linked_after(|f| std::fs::write(f, [0x5a; 999]).unwrap(), &[]);
    for eighth in 0..8 {
        nothing_linked_after(
            |f| {
                let bytes = std::fs::read(f).unwrap();
                std::fs::write(f, &bytes[..bytes.len() * eighth / 8]).unwrap();
            },
            &[],
        );
    }
    nothing_linked_after(
        |f| {
            let mut bytes = std::fs::read(f).unwrap();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 1;
            std::fs::write(f, bytes).unwrap();
        },
        &[],
    );
}

#[test]
fn a_cache_of_another_version_is_ignored() {
    if !cfg!(debug_assertions) {
        eprintln!("note: NTG_TEST_VERSION is read by debug builds only; not checked");
        return;
    }
    // Written by "another version", read by this one.
    let site = Site::new();
    site.built(&[], &[("NTG_TEST_VERSION", "0.0.0-another")]);
    let before = inodes(&site.public());
    site.built(&[], &[]);
    assert_eq!(kept(&before, &inodes(&site.public())), Vec::<String>::new());
    assert_eq!(snapshot(&site.public()), site.clean());
    // And the other way round.
    nothing_linked_after(|_| {}, &[("NTG_TEST_VERSION", "0.0.0-another")]);
}

#[test]
fn no_cache_neither_reads_nor_replaces_the_cache() {
    let site = Site::new();
    site.built(&[], &[]);
    let cache = cache_files(&site.root());
    let before = inodes(&site.public());
    site.built(&["--no-cache"], &[]);
    assert_eq!(kept(&before, &inodes(&site.public())), Vec::<String>::new());
    assert_eq!(cache_files(&site.root()), cache);
}

#[test]
fn a_failed_or_killed_build_leaves_the_cache_as_it_was() {
    if !cfg!(debug_assertions) {
        eprintln!("note: the failure hooks exist in debug builds only; not checked");
        return;
    }
    let site = Site::new();
    site.built(&[], &[]);
    let cache = cache_files(&site.root());
    // An input edit, so that a committed cache would differ.
    site.edit_a_document();
    let failed = site.build(&[], &[("NTG_TEST_FAIL_WRITE_AFTER", "3")]);
    assert!(!failed.status.success());
    assert_eq!(cache_files(&site.root()), cache);
    // Killed after the swap, before the commit: the old cache names files the new site has
    // only where they are the same files, so the next build is still whole.
    let killed = site.build(&[], &[("NTG_TEST_KILL_AT", "exchanged")]);
    assert_eq!(killed.status.code(), None, "{}", stderr(&killed));
    assert_eq!(cache_files(&site.root()), cache);
    site.built(&[], &[]);
    assert_eq!(snapshot(&site.public()), site.clean());
}
