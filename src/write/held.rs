//! What a staging folder already holds when it is not new: the spare tree a build leaves
//! beside its output (the output before last), taken again as the next build's staging
//! folder so that only what differs is written (see `staging`).
//!
//! Nothing in such a folder is trusted for what it is called. A file counts as holding an
//! output's bytes only while it is provably the file a manifest recorded (`Record::describes`):
//! the spare's own manifest, or the live output's for a file the two share by a hard link.
//! Anything else is written again, and when the build has put every file, `sweep` removes
//! whatever the build did not write or confirm: files of pages that are gone, what a killed
//! build left, anything put there by hand. So a folder in any state is a safe start.
//!
//! Writing on this disk costs most where a file is created or its last link removed; a
//! rewrite in place or a rename costs a tenth of that. So a file only this folder names is
//! rewritten in place, and a folder named by a hash of its contents (the search export's)
//! is renamed to its new name before its files are put, most of them already as they are.

use super::manifest::{Manifest, Record};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

/// The manifest of what a reused folder held, and the folders renamed in it since.
#[derive(Debug)]
pub(super) struct Held {
    manifest: Manifest,
    /// (new folder, old folder), both output paths ending in `/`.
    moved: Mutex<Vec<(String, String)>>,
}

impl Held {
    /// A folder that held what `manifest` records, as far as its files still prove it.
    pub(super) fn new(manifest: Manifest) -> Held {
        Held {
            manifest,
            moved: Mutex::new(Vec::new()),
        }
    }

    /// What `rel` held when the folder was taken, after the renames since.
    fn record(&self, rel: &str) -> Option<&Record> {
        let moved = self.moved.lock().unwrap_or_else(|p| p.into_inner());
        let old = moved.iter().find_map(|(new, old)| {
            rel.strip_prefix(new.as_str())
                .map(|rest| format!("{old}{rest}"))
        });
        drop(moved);
        self.manifest.get(old.as_deref().unwrap_or(rel))
    }

    /// The record of the file at `path` (the folder's `rel`) if it provably holds bytes of
    /// `hash` already: it is the file this folder's manifest or the live output's (`live`)
    /// recorded there, unchanged since, with those bytes. `None`, and the caller writes.
    pub(super) fn present(
        &self,
        rel: &str,
        hash: super::ContentHash,
        path: &Path,
        live: Option<&Manifest>,
    ) -> Option<Record> {
        let meta = path.symlink_metadata().ok()?;
        [self.record(rel), live.and_then(|m| m.get(rel))]
            .into_iter()
            .flatten()
            .find(|r| r.hash == hash && r.describes(&meta))
            .cloned()
    }

    /// Before the files of `dir` (`search/0123456789ab/`, named by a hash of what it holds)
    /// are put: if the folder has no `dir` but holds a sibling named by a hash of the same
    /// form (the export of the build before last), that sibling is renamed to `dir`, so that
    /// its files that are unchanged need no writing. Nothing is lost if this cannot be done.
    pub(super) fn versioned(&self, root: &Path, dir: &str) {
        let Some((parent, name)) = dir
            .strip_suffix('/')
            .and_then(|d| d.rsplit_once('/').or(Some(("", d))))
        else {
            return;
        };
        let parent = if parent.is_empty() {
            String::new()
        } else {
            format!("{parent}/")
        };
        if root.join(dir).symlink_metadata().is_ok() {
            return;
        }
        let same_form = |n: &str| {
            n != name && n.len() == name.len() && n.bytes().all(|b| b.is_ascii_hexdigit())
        };
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (rel, _) in self.manifest.under(&parent) {
            if let Some((first, _)) = rel[parent.len()..].split_once('/')
                && same_form(first)
            {
                *counts.entry(first).or_default() += 1;
            }
        }
        // The sibling holding most files; of equals, the first by name, so runs agree.
        let Some((sibling, _)) =
            counts
                .into_iter()
                .fold(None, |best: Option<(&str, usize)>, (n, c)| match best {
                    Some((_, bc)) if bc >= c => best,
                    _ => Some((n, c)),
                })
        else {
            return;
        };
        let from = root.join(&parent).join(sibling);
        let is_dir = from.symlink_metadata().is_ok_and(|m| m.is_dir());
        if is_dir && std::fs::rename(&from, root.join(dir)).is_ok() {
            let mut moved = self.moved.lock().unwrap_or_else(|p| p.into_inner());
            moved.push((dir.to_string(), format!("{parent}{sibling}/")));
        }
    }
}

/// Writes `bytes` as the file at `path` in a reused folder. A plain file that no other path
/// names (one link) is rewritten in place; anything else there (a file shared with the live
/// output by a hard link, a symlink, a folder) is removed first and a new file made, so the
/// live output and anything a link points to are never written through.
pub(super) fn overwrite(path: &Path, bytes: &[u8]) -> io::Result<File> {
    let mut file = match path.symlink_metadata() {
        Ok(meta) if meta.file_type().is_file() && links(&meta) == 1 => {
            let mut file = open_in_place(path)?;
            file.write_all(bytes)?;
            file.set_len(bytes.len() as u64)?;
            return Ok(file);
        }
        Ok(_) => {
            clear(path)?;
            File::create_new(path)?
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => File::create_new(path)?,
        Err(e) => return Err(e),
    };
    file.write_all(bytes)?;
    Ok(file)
}

/// Opens an existing file for writing without following a symlink that replaced it since
/// it was looked at.
fn open_in_place(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

/// Elsewhere the link count cannot be had, so no file is taken to be this folder's alone.
#[cfg(not(unix))]
fn links(_meta: &std::fs::Metadata) -> u64 {
    u64::MAX
}

/// Removes whatever is at `path` (a file, a symlink, not what it points to, or a folder).
pub(super) fn clear(path: &Path) -> io::Result<()> {
    match path.symlink_metadata() {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes `dir` a real folder in a reused folder: a file or a symlink in its place (left by
/// an earlier build's page, or put there by hand) is removed, never followed.
pub(super) fn make_dir(dir: &Path) -> io::Result<()> {
    match dir.symlink_metadata() {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => {
            std::fs::remove_file(dir)?;
            std::fs::create_dir(dir)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => match std::fs::create_dir(dir) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => make_dir(dir),
            done => done,
        },
        Err(e) => Err(e),
    }
}

/// Removes from the folder `root` every file that `keep` (the build's manifest) does not
/// name, and every folder left empty: what the build did not write or confirm. Folders are
/// read in parallel: at 10,000 documents the tree has 12,000 of them.
pub(super) fn sweep(root: &Path, keep: &BTreeMap<String, Record>) -> io::Result<()> {
    sweep_dir(root, "", keep).map(|_| ())
}

/// Sweeps the folder `dir` (output path `prefix`); true if it is empty afterwards.
fn sweep_dir(dir: &Path, prefix: &str, keep: &BTreeMap<String, Record>) -> io::Result<bool> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    let kept: Vec<bool> = entries
        .par_iter()
        .map(|entry| -> io::Result<bool> {
            let path = entry.path();
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                clear(&path)?;
                return Ok(false);
            };
            let rel = format!("{prefix}{name}");
            if entry.file_type()?.is_dir() {
                if sweep_dir(&path, &format!("{rel}/"), keep)? {
                    std::fs::remove_dir(&path)?;
                    return Ok(false);
                }
                return Ok(true);
            }
            if keep.contains_key(&rel) {
                return Ok(true);
            }
            std::fs::remove_file(&path)?;
            Ok(false)
        })
        .collect::<io::Result<_>>()?;
    Ok(!kept.contains(&true))
}
