//! The staging folder a build writes beside its output, and the swap that puts it in the
//! output's place.

use super::leftovers::Beside;
use super::manifest::{Manifest, Previous};
use super::{Folder, Left, Target, hooks, marker};
use crate::names::build_id::BuildId;
use std::io;
use std::path::{Path, PathBuf};

/// A build's staging folder beside its output. Removed when dropped unless it was swapped in,
/// so an early return never leaves it behind.
pub struct Staging {
    folder: Folder,
    out: PathBuf,
    swapped: bool,
}

impl Staging {
    /// Creates this process's staging folder beside `target` (and the folders above it).
    /// With `previous` (the output's manifest from the cache), files unchanged since the
    /// previous build are linked from it rather than written.
    pub fn create(target: &Target, previous: Option<Manifest>) -> io::Result<Staging> {
        let dir = Beside::New.path(target.path());
        std::fs::create_dir_all(super::parent_of(&dir))?;
        // Only a killed build that had this process's id could have left it.
        if dir.symlink_metadata().is_ok() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        Ok(Staging {
            folder: Folder::new(dir, previous.map(|m| Previous::new(target.path(), m))),
            out: target.path().to_path_buf(),
            swapped: false,
        })
    }

    /// The sink the build writes into.
    pub fn folder(&self) -> &Folder {
        &self.folder
    }

    /// Marks the staged site as ntg's, built with search index `id`: the last file written.
    pub fn mark(&self, id: BuildId) -> io::Result<()> {
        marker::write(&self.folder.root, id)
    }

    /// Removes the staging folder; the output was never touched.
    pub fn discard(mut self) -> io::Result<()> {
        self.swapped = true;
        std::fs::remove_dir_all(&self.folder.root)
    }

    /// Puts the staged site in the output's place in one step, where the system can exchange
    /// two folders atomically (Linux's `renameat2(RENAME_EXCHANGE)`, macOS's
    /// `renamex_np(RENAME_SWAP)`): at every moment one whole site, old or new, is at the
    /// output. Elsewhere, or on a file system that cannot exchange, the old site is renamed
    /// aside and the new one renamed in: a moment without an output, closed by moving the old
    /// site back if the second rename fails, and by the next build's sweep after a kill.
    /// Returns the old site, now outside the output, to be removed.
    pub fn swap_in(mut self) -> Result<Old, (io::Error, Left)> {
        let unchanged = |e| (e, Left::Unchanged { existed: true });
        let staged = self.folder.root.clone();
        if self.out.symlink_metadata().is_err() {
            std::fs::rename(&staged, &self.out)
                .map_err(|e| (e, Left::Unchanged { existed: false }))?;
            self.swapped = true;
            return Ok(Old(None));
        }
        match exchange(&staged, &self.out) {
            Ok(()) => {
                self.swapped = true;
                return Ok(Old(Some(staged)));
            }
            Err(e) if e.kind() != io::ErrorKind::Unsupported => return Err(unchanged(e)),
            Err(_) => {}
        }
        let aside = Beside::Old.path(&self.out);
        std::fs::rename(&self.out, &aside).map_err(unchanged)?;
        hooks::reached("moved-aside");
        if let Err(e) = std::fs::rename(&staged, &self.out) {
            return Err(match std::fs::rename(&aside, &self.out) {
                Ok(()) => unchanged(e),
                Err(_) => (e, Left::Aside(aside)),
            });
        }
        self.swapped = true;
        Ok(Old(Some(aside)))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.swapped {
            let _ = std::fs::remove_dir_all(&self.folder.root);
        }
    }
}

/// The previous site after a swap, no longer at the output.
#[must_use = "the old site stays on disk until removed"]
pub struct Old(Option<PathBuf>);

impl Old {
    /// Removes the old site; on failure, where it still is. Its top-level entries are
    /// removed in parallel: at 10,000 documents the old tree holds 21,000 files, and one
    /// thread unlinking them took a third of a rebuild.
    pub fn remove(self) -> Result<(), (PathBuf, io::Error)> {
        use rayon::prelude::*;
        let Some(dir) = self.0 else {
            return Ok(());
        };
        let entries: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
            Err(e) => return Err((dir, e)),
        };
        let removed = entries
            .par_iter()
            .map(|path| match path.symlink_metadata() {
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
                _ => std::fs::remove_file(path),
            })
            .collect::<io::Result<()>>()
            .and_then(|()| std::fs::remove_dir_all(&dir));
        removed.map_err(|e| (dir, e))
    }
}

/// Exchanges two folders in one step; `Unsupported` where that cannot be done.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    if hooks::no_exchange() {
        return Err(io::ErrorKind::Unsupported.into());
    }
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // Old kernels, and file systems that cannot exchange (some network ones).
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => Err(io::ErrorKind::Unsupported.into()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}
