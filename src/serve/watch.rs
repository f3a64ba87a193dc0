//! Watching the site's files: the folders a build reads and `site.yaml`, as editors save
//! them (written in place, written beside and renamed over, deleted and created again),
//! with the burst of events one save makes gathered into one change, and editors' swap and
//! backup files ignored.

use crate::inputs::{FOLDERS, SETTINGS};
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long the files must be quiet before a change is taken: long enough for an editor's
/// write-then-rename or delete-then-create to land as one change.
const QUIET: Duration = Duration::from_millis(30);

/// The longest a change waits for quiet, so that a file written without pause still
/// rebuilds.
const LONGEST: Duration = Duration::from_millis(500);

/// The site's files, watched.
pub struct Watch {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

impl Watch {
    /// Watches the site at `root`: the root itself (for `site.yaml`, and for a read folder
    /// made later), and every read folder there now, with all below it.
    pub fn start(root: &Path) -> notify::Result<Watch> {
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        for folder in FOLDERS {
            let dir = root.join(folder);
            if dir.is_dir() {
                watcher.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(Watch {
            root,
            watcher,
            events,
        })
    }

    /// Waits for the site's files to change and settle, and returns the paths that changed,
    /// below the root (`content/case-studies/x.md`); `None` once watching has ended.
    pub fn next_change(&mut self) -> Option<Vec<String>> {
        let mut changed = Vec::new();
        while changed.is_empty() {
            let first = self.events.recv().ok()?;
            self.take(first, &mut changed);
            let started = Instant::now();
            while started.elapsed() < LONGEST {
                match self.events.recv_timeout(QUIET) {
                    Ok(event) => self.take(event, &mut changed),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
        }
        changed.sort();
        changed.dedup();
        Some(changed)
    }

    /// Adds what `event` changed of the site to `changed`, and watches a read folder made
    /// at the root.
    fn take(&mut self, event: notify::Result<notify::Event>, changed: &mut Vec<String>) {
        let Ok(event) = event else {
            // The watcher lost events (its queue overflowed): the whole site may have changed.
            changed.push(SETTINGS.to_string());
            return;
        };
        let opened = matches!(event.kind, EventKind::Access(a)
            if a != AccessKind::Close(AccessMode::Write));
        if opened {
            return;
        }
        for path in &event.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            let rel: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
            if rel.len() == 1 && FOLDERS.contains(&rel[0]) && path.is_dir() {
                let _ = self.watcher.watch(path, RecursiveMode::Recursive);
            }
            let rel = rel.join("/");
            if read_by_build(&rel) {
                changed.push(rel);
            }
        }
    }
}

/// Whether the file at `rel` (below the root) is one a build reads, and not an editor's
/// swap, backup or temporary file.
pub fn read_by_build(rel: &str) -> bool {
    let top = rel.split('/').next().unwrap_or_default();
    let name = rel.rsplit('/').next().unwrap_or_default();
    (rel == SETTINGS || FOLDERS.contains(&top)) && !editors_own(name)
}

/// Files editors make beside the one being edited: vim's swap files and its write test
/// (`4913`), Emacs's lock and auto-save files, backups ending `~`, JetBrains' safe-write
/// files, and temporary files of the write-then-rename kind.
fn editors_own(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        || name == "4913"
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_a_build_reads_counts() {
        for rel in [
            "site.yaml",
            "content/case-studies/x.md",
            "data/gaps.csv",
            "themes/default/static/css/ntg.css",
            "templates/base.html",
            "static/logo.svg",
            "content",
        ] {
            assert!(read_by_build(rel), "{rel}");
        }
        for rel in [
            "public/index.html",
            ".ntg-cache/page-0.bin",
            "README.md",
            "content/case-studies/.x.md.swp",
            "content/case-studies/x.md~",
            "content/case-studies/4913",
            "content/case-studies/.#x.md",
            "content/case-studies/#x.md#",
            "content/case-studies/x.md___jb_tmp___",
            "site.yaml.swp",
        ] {
            assert!(!read_by_build(rel), "{rel}");
        }
    }
}
