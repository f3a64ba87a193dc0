//! The inputs stage: the one reader of a site's files. A `Source` makes a snapshot,
//! `Inputs`, of every file a build reads (site.yaml, content/, data/, themes/, templates/,
//! static/), each with its bytes and content hash; every later stage reads the snapshot,
//! never the disk, so a build can run from memory (tests, fuzzing, the dev server's
//! overlay) and two snapshots can be compared file by file.

mod disk;
mod memory;
mod root;

pub use disk::Disk;
pub use memory::Memory;
pub use root::{NotASite, site_at};

use crate::diagnostic::{Code, Diagnostic, LineIndex};
use std::collections::{BTreeMap, BTreeSet};

/// The folders below the site root whose files a build reads, and the one file it reads
/// by name at the root.
pub const FOLDERS: [&str; 5] = ["content", "data", "themes", "templates", "static"];

/// The site's settings file, at the root.
pub const SETTINGS: &str = "site.yaml";

/// What makes a snapshot of a site's files.
pub trait Source {
    /// Every file the build reads, with what could not be read as diagnostics.
    fn snapshot(&self) -> Inputs;
}

/// One entry of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A file's bytes, with their hash (for the incremental cache's keys).
    File { bytes: Vec<u8>, hash: u64 },
    /// A symbolic link where a file was expected: never followed, since it could read (and
    /// quote in diagnostics) any file the build can open. Kept so that a file read by name
    /// (`site.yaml`, a data file) can be refused with the reason.
    Link,
}

impl Entry {
    /// A file entry holding `bytes`.
    pub fn file(bytes: Vec<u8>) -> Entry {
        let hash = crate::names::hash::fnv1a(&bytes);
        Entry::File { bytes, hash }
    }
}

/// A snapshot of a site's files, keyed by their path below the site root with `/`
/// separators (what diagnostics show), in path order.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    entries: BTreeMap<String, Entry>,
    /// Folders seen, so an empty theme folder still counts as there.
    folders: BTreeSet<String>,
    /// What the source could not read.
    pub problems: Vec<Diagnostic>,
}

/// One text file of the site, known to be valid UTF-8.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root with `/` separators: what diagnostics show.
    pub rel: String,
    /// The file's text.
    pub text: String,
}

impl SourceFile {
    /// Bytes as text; invalid UTF-8 is reported at the line and column of its first bad byte.
    pub fn decode(rel: &str, bytes: &[u8]) -> Result<SourceFile, Diagnostic> {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.to_string(),
            Err(e) => {
                let good = e.valid_up_to();
                let valid = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
                return Err(Diagnostic::at(
                    Code::InvalidUtf8,
                    rel,
                    LineIndex::new(valid).pos(good),
                    "file is not valid UTF-8",
                )
                .with_help(Some("save the file as UTF-8 in your editor".into())));
            }
        };
        Ok(SourceFile {
            rel: rel.to_string(),
            text,
        })
    }

    /// The file's name without its folder or its last extension: a document's slug.
    pub fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
}

impl Inputs {
    /// Adds (or replaces) the entry at `rel`, recording its folders.
    pub fn insert(&mut self, rel: String, entry: Entry) {
        let mut folder = rel.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if !self.folders.insert(parent.to_string()) {
                break;
            }
            folder = parent;
        }
        self.entries.insert(rel, entry);
    }

    /// Records a folder that holds no file.
    pub fn insert_folder(&mut self, rel: String) {
        self.folders.insert(rel);
    }

    /// The entry at `rel`, if there is one.
    pub fn get(&self, rel: &str) -> Option<&Entry> {
        self.entries.get(rel)
    }

    /// Whether `rel` is a folder of the snapshot.
    pub fn is_folder(&self, rel: &str) -> bool {
        self.folders.contains(rel)
    }

    /// The files below the folder `dir` (links excluded), as (path from the site root, bytes),
    /// in path order.
    pub fn files_under<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a str, &'a [u8])> {
        let prefix = format!("{dir}/");
        self.entries
            .range(prefix.clone()..)
            .take_while(move |(rel, _)| rel.starts_with(&prefix))
            .filter_map(|(rel, e)| match e {
                Entry::File { bytes, .. } => Some((rel.as_str(), bytes.as_slice())),
                Entry::Link => None,
            })
    }

    /// The links below the folder `dir`, in path order, each as the warning that it was
    /// skipped: for the stages that list a folder (content, gap tables, theme files), so
    /// that a link in place of a document is not lost unnoticed.
    pub fn links_under(&self, dir: &str) -> Vec<Diagnostic> {
        let prefix = format!("{dir}/");
        self.entries
            .range(prefix.clone()..)
            .take_while(|(rel, _)| rel.starts_with(&prefix))
            .filter(|(_, e)| matches!(e, Entry::Link))
            .map(|(rel, _)| {
                Diagnostic::new(
                    Code::SkippedSymlink,
                    rel.as_str(),
                    None,
                    "symbolic link skipped: ntg reads only files inside the site",
                )
                .with_help(Some(
                    "put the file (or folder) itself here instead of a link to it".into(),
                ))
                .warning()
            })
            .collect()
    }

    /// Every entry, in path order: what the incremental cache compares between builds.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(rel, e)| (rel.as_str(), e))
    }

    /// Reads the text file `rel`, which the build needs by name: missing, a link, or not
    /// UTF-8 is an error on it.
    pub fn required(&self, rel: &str) -> Result<SourceFile, Diagnostic> {
        self.optional(rel).unwrap_or_else(|| {
            Err(Diagnostic::new(
                Code::MissingFile,
                rel,
                None,
                "file is missing",
            ))
        })
    }

    /// Reads the text file `rel` if there is one: a link or text that is not UTF-8 is an
    /// error on it.
    pub fn optional(&self, rel: &str) -> Option<Result<SourceFile, Diagnostic>> {
        match self.entries.get(rel)? {
            Entry::File { bytes, .. } => Some(SourceFile::decode(rel, bytes)),
            Entry::Link => Some(Err(Diagnostic::new(
                Code::LinkedFile,
                rel,
                None,
                "is a symbolic link, which ntg does not follow: it reads only files inside the site",
            )
            .with_help(Some(
                "put the file itself here instead of a link to it".into(),
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_below_a_folder_in_order() {
        let inputs = Memory::new([
            ("content/pages/b.md", "b"),
            ("content/pages/a.md", "a"),
            ("contents.md", "x"),
            ("data/x.csv", "y"),
        ])
        .snapshot();
        let under: Vec<&str> = inputs.files_under("content").map(|(r, _)| r).collect();
        assert_eq!(under, ["content/pages/a.md", "content/pages/b.md"]);
        assert!(inputs.is_folder("content/pages"));
        assert!(inputs.is_folder("content"));
        assert!(!inputs.is_folder("content/case-studies"));
    }

    #[test]
    fn required_files_say_what_is_wrong() {
        let mut inputs = Memory::new([("site.yaml", "ok")]).snapshot();
        inputs.insert("data/taxonomies.yaml".into(), Entry::Link);
        inputs.insert("bad.md".into(), Entry::file(b"ab\n\xffc".to_vec()));
        assert_eq!(inputs.required("site.yaml").unwrap().text, "ok");
        let missing = inputs.required("data/indicators.yaml").unwrap_err();
        assert_eq!(missing.message, "file is missing");
        let link = inputs.required("data/taxonomies.yaml").unwrap_err();
        assert!(link.message.contains("symbolic link"));
        let bad = inputs.required("bad.md").unwrap_err();
        assert_eq!(bad.pos.map(|p| (p.line, p.col)), Some((2, 1)));
    }

    #[test]
    fn a_stem_is_the_file_name_without_its_extension() {
        let f = SourceFile::decode("content/case-studies/x/leeds.md", b"").unwrap();
        assert_eq!(f.stem(), "leeds");
    }
}
