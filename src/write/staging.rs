//! The staging folder a build writes beside its output, and the swap that puts it in the
//! output's place.
//!
//! The tree a swap takes out of the output is not removed but kept beside it as the spare
//! (`Beside::Spare`), and the next build takes the spare as its staging folder: it holds
//! the output before last, so only what changed in the last two builds is written, and no
//! tree of 20,000 files is made and removed on every build, which on a disk like ours cost
//! most of a rebuild. A build takes the spare by renaming it to its own staging name, so
//! two builds never share one; what the spare holds is trusted file by file (`held`).

use super::held::Held;
use super::leftovers::Beside;
use super::manifest::{Manifest, Previous};
use super::{Folder, Left, Target, hooks, marker};
use crate::names::build_id::BuildId;
use std::io;
use std::path::{Path, PathBuf};

/// A build's staging folder beside its output. Removed when dropped unless it was swapped in,
/// so an early return never leaves it behind; a spare taken as the staging folder is put
/// back as the spare instead.
pub struct Staging {
    folder: Folder,
    out: PathBuf,
    /// Where the spare is kept, when the build keeps one.
    spare: Option<PathBuf>,
    /// Whether the staging folder is the spare, taken.
    taken: bool,
    swapped: bool,
}

impl Staging {
    /// Creates this process's staging folder beside `target` (and the folders above it).
    /// With `previous` (the output's manifest from the cache), files unchanged since the
    /// previous build are linked from it rather than written. With `spare` (the spare's
    /// manifest, or `None` where the cache has none), the build keeps a spare: it takes the
    /// one beside the output as its staging folder if there is one, and keeps the tree the
    /// swap takes out as the next one.
    pub fn create(
        target: &Target,
        previous: Option<Manifest>,
        spare: Option<Option<Manifest>>,
    ) -> io::Result<Staging> {
        let dir = Beside::New.path(target.path());
        std::fs::create_dir_all(super::parent_of(&dir))?;
        // Only a killed build that had this process's id could have left it.
        if dir.symlink_metadata().is_ok() {
            std::fs::remove_dir_all(&dir)?;
        }
        let kept = spare.is_some().then(|| Beside::Spare.path(target.path()));
        let taken = kept.as_deref().is_some_and(|from| take(from, &dir));
        if !taken {
            std::fs::create_dir(&dir)?;
        }
        let held = taken.then(|| Held::new(spare.flatten().unwrap_or_default()));
        Ok(Staging {
            folder: Folder::new(dir, previous.map(|m| Previous::new(target.path(), m)), held),
            out: target.path().to_path_buf(),
            spare: kept,
            taken,
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

    /// Removes the staging folder, or puts a taken spare back; the output was never touched.
    pub fn discard(mut self) -> io::Result<()> {
        self.swapped = true;
        self.put_back()
    }

    fn put_back(&self) -> io::Result<()> {
        let dir = &self.folder.root;
        match &self.spare {
            Some(spare) if self.taken && std::fs::rename(dir, spare).is_ok() => Ok(()),
            _ => std::fs::remove_dir_all(dir),
        }
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
            return Ok(Old {
                dir: None,
                spare: None,
            });
        }
        let old = |dir| Old {
            dir: Some(dir),
            spare: self.spare.clone(),
        };
        match exchange(&staged, &self.out) {
            Ok(()) => {
                self.swapped = true;
                return Ok(old(staged));
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
        Ok(old(aside))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.swapped {
            let _ = self.put_back();
        }
    }
}

/// The previous site after a swap, no longer at the output.
#[must_use = "the old site stays on disk until kept or removed"]
pub struct Old {
    dir: Option<PathBuf>,
    /// Where it is kept as the spare, when the build keeps one.
    spare: Option<PathBuf>,
}

/// What became of the old site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retired {
    /// There was none.
    None,
    /// It is the spare now, for the next build to take.
    Spare,
    /// It was removed.
    Removed,
}

impl Old {
    /// Keeps the old site as the spare where the build keeps one and nothing is in the
    /// spare's place; removes it otherwise. On failure, where it still is.
    pub fn retire(self) -> Result<Retired, (PathBuf, io::Error)> {
        let Some(dir) = &self.dir else {
            return Ok(Retired::None);
        };
        if let Some(spare) = &self.spare
            && spare.symlink_metadata().is_err()
            && std::fs::rename(dir, spare).is_ok()
        {
            return Ok(Retired::Spare);
        }
        self.remove().map(|()| Retired::Removed)
    }

    /// Removes the old site; on failure, where it still is. Its top-level entries are
    /// removed in parallel: at 10,000 documents the old tree holds 21,000 files, and one
    /// thread unlinking them took a third of a rebuild.
    fn remove(self) -> Result<(), (PathBuf, io::Error)> {
        use rayon::prelude::*;
        let Some(dir) = self.dir else {
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

/// Takes the spare at `spare` as the staging folder `dir`, in one rename: true if it was
/// there, a real folder, and is now `dir`. A symlink in its place is left alone.
fn take(spare: &Path, dir: &Path) -> bool {
    spare.symlink_metadata().is_ok_and(|m| m.is_dir()) && std::fs::rename(spare, dir).is_ok()
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
