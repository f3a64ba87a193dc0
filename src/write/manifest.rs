//! The manifest of a build's output: for every file, the hash of what was written and the
//! identity the file had on disk when the build ended. Kept in the cache, it lets the next
//! build take a file it would write again unchanged by hard-linking the previous output's
//! file into its staging folder instead of writing the bytes, but only while that file is
//! provably as the manifest records it: the same device and inode, size and modification
//! time (to the nanosecond). A file edited by hand in the output, in place or replaced, fails
//! that test and is written anew; only an edit that keeps the size and sets the modification
//! time back on purpose (`touch -r`) would not be seen. The status-change time cannot serve:
//! removing the old tree after the swap unlinks every linked file once more, which moves it.

use super::cache::Entry;
use crate::names::hash::ContentHash;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

/// What one output file held and which file on disk it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The hash of the bytes written.
    pub hash: ContentHash,
    /// The file as it was on disk.
    identity: Identity,
}

impl Record {
    /// Whether `meta` describes the very file this record was made of, unchanged since.
    pub(super) fn describes(&self, meta: &Metadata) -> bool {
        Identity::of(meta) == Some(self.identity)
    }

    /// The record of a file just written with bytes of `hash`, as `meta` describes it;
    /// `None` where its identity cannot be had, and the next build writes it again.
    pub(super) fn written(hash: ContentHash, meta: &Metadata) -> Option<Record> {
        Some(Record {
            hash,
            identity: Identity::of(meta)?,
        })
    }
}

/// What tells one file on disk from another, and tells when it was last changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Identity {
    device: u64,
    inode: u64,
    size: u64,
    /// Modification time, seconds and nanoseconds.
    modified: (i64, i64),
}

impl Identity {
    /// The identity of the file `meta` describes: `None` for anything but a plain file, and
    /// everywhere but Unix, where the standard library gives no inode (nothing is linked).
    fn of(meta: &Metadata) -> Option<Identity> {
        if !meta.file_type().is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Identity {
                device: meta.dev(),
                inode: meta.ino(),
                size: meta.size(),
                modified: (meta.mtime(), meta.mtime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    /// The identity of the file at `path`, not following a symlink.
    fn at(path: &Path) -> Option<Identity> {
        Identity::of(&path.symlink_metadata().ok()?)
    }
}

/// Every file of one output, by output-relative path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    files: BTreeMap<String, Record>,
}

impl Entry for Manifest {
    const KIND: &'static str = "output-manifest";
}

impl Manifest {
    /// The cache key of the manifest of the output at `target` (resolved): a site built into
    /// two folders has one manifest for each.
    pub fn key(target: &Path) -> ContentHash {
        ContentHash::of(target.as_os_str().as_encoded_bytes())
    }

    /// The cache key of the manifest of the spare folder kept beside the output at `target`
    /// (see `staging`): the tree the build before last left there.
    pub fn spare_key(target: &Path) -> ContentHash {
        let mut h = crate::names::hash::Hasher::new();
        h.part(b"spare").part(target.as_os_str().as_encoded_bytes());
        h.finish()
    }

    /// The record of `rel`, if the output had it.
    pub fn get(&self, rel: &str) -> Option<&Record> {
        self.files.get(rel)
    }

    /// Every file, by output path.
    pub(super) fn files(&self) -> &BTreeMap<String, Record> {
        &self.files
    }

    /// Every file below the folder `prefix` (`search/`), by output path.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a Record)> {
        self.files
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(rel, _)| rel.starts_with(prefix))
            .map(|(rel, r)| (rel.as_str(), r))
    }
}

/// The output a build replaces and its manifest: where unchanged files are linked from.
#[derive(Debug)]
pub struct Previous {
    dir: PathBuf,
    manifest: Manifest,
}

impl Previous {
    /// The output at `dir` as `manifest` recorded it.
    pub fn new(dir: &Path, manifest: Manifest) -> Previous {
        Previous {
            dir: dir.to_path_buf(),
            manifest,
        }
    }

    /// The previous output's file for `rel`, and its record for the new manifest, if it is
    /// still the file the manifest records and held bytes of `hash`: what the caller may
    /// link. `None` when it cannot be taken, and the caller writes.
    pub(super) fn linkable(&self, rel: &str, hash: ContentHash) -> Option<(PathBuf, Record)> {
        let record = self.manifest.get(rel)?;
        if hash != record.hash {
            return None;
        }
        let from = self.dir.join(rel);
        if Identity::at(&from) != Some(record.identity) {
            return None;
        }
        Some((from, record.clone()))
    }

    /// The previous output's manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }
}

/// Collects the new output's manifest as its files are written and linked.
#[derive(Debug, Default)]
pub(super) struct Recorder {
    files: std::sync::Mutex<BTreeMap<String, Record>>,
}

impl Recorder {
    /// Records `rel` as `record`.
    pub(super) fn record(&self, rel: &str, record: Record) {
        self.lock().insert(rel.to_string(), record);
    }

    /// The manifest of everything recorded so far.
    pub(super) fn manifest(&self) -> Manifest {
        Manifest {
            files: self.lock().clone(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Record>> {
        self.files.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::super::{Folder, Sink};
    use super::*;
    use std::os::unix::fs::MetadataExt;

    /// A previous output written by a folder of its own, and a staging folder beside it that
    /// links from it.
    fn previous_and_next(files: &[(&str, &str)]) -> (tempfile::TempDir, Folder) {
        let dir = tempfile::tempdir().unwrap();
        let old = Folder::new(dir.path().join("public"), None, None);
        for (rel, text) in files {
            old.put(rel, text.as_bytes()).unwrap();
        }
        let previous = Previous::new(&dir.path().join("public"), old.manifest());
        let next = Folder::new(dir.path().join("staging"), Some(previous), None);
        (dir, next)
    }

    fn inode(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().ino()
    }

    #[test]
    fn the_same_bytes_are_linked_and_other_bytes_written_without_touching_the_old_file() {
        let (dir, next) = previous_and_next(&[("a/index.html", "same"), ("b.css", "old")]);
        let (old, new) = (dir.path().join("public"), dir.path().join("staging"));
        next.put("a/index.html", b"same").unwrap();
        next.put("b.css", b"new").unwrap();
        assert_eq!(
            inode(&new.join("a/index.html")),
            inode(&old.join("a/index.html"))
        );
        assert_ne!(inode(&new.join("b.css")), inode(&old.join("b.css")));
        assert_eq!(std::fs::read(new.join("b.css")).unwrap(), b"new");
        // A second put of a linked file replaces the link; it never writes through it into
        // the previous output, still the live site.
        next.put("a/index.html", b"changed").unwrap();
        assert_eq!(std::fs::read(old.join("a/index.html")).unwrap(), b"same");
        assert_eq!(std::fs::read(new.join("a/index.html")).unwrap(), b"changed");
        let manifest = next.manifest();
        assert_eq!(
            manifest.get("a/index.html").map(|r| r.hash),
            Some(ContentHash::of(b"changed"))
        );
        assert_eq!(
            manifest.get("b.css").map(|r| r.hash),
            Some(ContentHash::of(b"new"))
        );
    }

    #[test]
    fn reuse_links_an_unchanged_file_and_refuses_a_changed_or_unknown_one() {
        let (dir, next) = previous_and_next(&[("kept.html", "k"), ("edited.html", "e")]);
        let (old, new) = (dir.path().join("public"), dir.path().join("staging"));
        // Edited in place by hand: same inode, another size and modification time.
        std::fs::write(old.join("edited.html"), "edited by hand").unwrap();
        assert!(next.reuse("kept.html"));
        assert!(!next.reuse("edited.html"));
        assert!(!next.reuse("never-built.html"));
        assert_eq!(inode(&new.join("kept.html")), inode(&old.join("kept.html")));
        assert!(!new.join("edited.html").exists());
        assert_eq!(
            next.manifest().get("kept.html").map(|r| r.hash),
            Some(ContentHash::of(b"k"))
        );
        assert_eq!(next.manifest().get("edited.html"), None);
    }

    #[test]
    fn a_file_replaced_by_a_link_or_a_folder_is_not_linked() {
        let (dir, next) = previous_and_next(&[("a.html", "a"), ("b.html", "b")]);
        let old = dir.path().join("public");
        let elsewhere = dir.path().join("elsewhere.html");
        std::fs::write(&elsewhere, "a").unwrap();
        std::fs::remove_file(old.join("a.html")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, old.join("a.html")).unwrap();
        std::fs::remove_file(old.join("b.html")).unwrap();
        std::fs::create_dir(old.join("b.html")).unwrap();
        assert!(!next.reuse("a.html"));
        assert!(!next.reuse("b.html"));
        next.put("a.html", b"a").unwrap();
        let new = dir.path().join("staging/a.html");
        assert!(new.symlink_metadata().unwrap().file_type().is_file());
        assert_ne!(inode(&new), inode(&elsewhere));
    }

    #[test]
    fn without_a_previous_output_nothing_is_reused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path().join("out"), None, None);
        assert!(!folder.reuse("index.html"));
        folder.put("index.html", b"x").unwrap();
        assert_eq!(
            folder.manifest().get("index.html").map(|r| r.hash),
            Some(ContentHash::of(b"x"))
        );
    }

    #[test]
    fn a_manifest_round_trips_through_the_cache() {
        let (dir, next) = previous_and_next(&[("a.html", "a")]);
        next.put("a.html", b"a").unwrap();
        let key = Manifest::key(&dir.path().join("public"));
        let cache = super::super::cache::Next::new();
        cache.put(key, &next.manifest()).unwrap();
        cache.commit(dir.path(), &Default::default()).unwrap();
        let store = super::super::cache::Store::open(dir.path(), false);
        assert_eq!(store.get::<Manifest>(key), Some(next.manifest()));
        assert_eq!(store.get::<Manifest>(Manifest::key(dir.path())), None);
    }
}
