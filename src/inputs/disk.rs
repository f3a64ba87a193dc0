//! The disk source: walks the site's folders and reads every file, in parallel, in path
//! order whatever the file system returns.

use super::{Entry, FOLDERS, Inputs, SETTINGS, Source};
use crate::diagnostic::{Code, Diagnostic, display_path};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The site's files on disk, below `root`.
pub struct Disk<'a> {
    pub root: &'a Path,
}

impl Disk<'_> {
    /// A snapshot of only the files named, for a command that needs a few of them (`ntg
    /// search` reads the vocabularies, not the documents). One not there is left out.
    pub fn named(&self, rels: &[&str]) -> Inputs {
        let mut inputs = Inputs::default();
        for rel in rels {
            match read(&self.root.join(rel)) {
                Ok(e) => inputs.insert(rel.to_string(), e),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => inputs.problems.push(Diagnostic::new(
                    Code::UnreadableFile,
                    *rel,
                    None,
                    format!("cannot read file: {e}"),
                )),
            }
        }
        inputs
    }
}

impl Source for Disk<'_> {
    fn snapshot(&self) -> Inputs {
        let root = self.root;
        let mut inputs = Inputs::default();
        let mut found: Vec<PathBuf> = Vec::new();
        let settings = root.join(SETTINGS);
        if settings.symlink_metadata().is_ok() {
            found.push(settings);
        }
        for folder in FOLDERS {
            walk(root, &root.join(folder), &mut inputs, &mut found);
        }
        let read: Vec<(String, Result<Entry, Diagnostic>)> = found
            .par_iter()
            .map(|abs| {
                let rel = display_path(root, abs);
                let entry = read(abs).map_err(|e| {
                    Diagnostic::new(
                        Code::UnreadableFile,
                        rel.clone(),
                        None,
                        format!("cannot read file: {e}"),
                    )
                });
                (rel, entry)
            })
            .collect();
        for (rel, entry) in read {
            match entry {
                Ok(e) => inputs.insert(rel, e),
                Err(d) => inputs.problems.push(d),
            }
        }
        inputs
    }
}

/// A file's entry: a link is recorded, never followed.
fn read(abs: &Path) -> std::io::Result<Entry> {
    if abs.symlink_metadata()?.file_type().is_symlink() {
        return Ok(Entry::Link);
    }
    std::fs::read(abs).map(Entry::file)
}

/// Every file and link below `dir` into `found`, and every folder into `inputs`. A link
/// below it is not followed (it could read outside the site, or loop); it is recorded, so
/// each stage that lists a folder can warn of it. An entry that cannot be read is an error.
/// A folder that is not there holds nothing.
fn walk(root: &Path, dir: &Path, inputs: &mut Inputs, found: &mut Vec<PathBuf>) {
    if dir.symlink_metadata().is_err() {
        return;
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.path_is_symlink() && e.depth() > 0 => found.push(e.into_path()),
            Ok(e) if e.file_type().is_file() => found.push(e.into_path()),
            Ok(e) if e.file_type().is_dir() => {
                inputs.insert_folder(display_path(root, e.path()));
            }
            Ok(_) => {}
            Err(e) => {
                let path = display_path(root, e.path().unwrap_or(dir));
                inputs.problems.push(Diagnostic::new(
                    Code::UnreadableFile,
                    path,
                    None,
                    format!("cannot read: {e}"),
                ));
            }
        }
    }
}
