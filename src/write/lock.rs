//! One lock per site, so that two builds (and a search) of it never see each other's
//! half-done steps: a build holds it exclusively while it puts its search index in place,
//! swaps its output and removes leftovers; `ntg search` holds it shared while it reads the
//! output's marker and opens the index the marker names. The operating system releases it
//! when its process ends, however it ends, so a killed build never leaves it held.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// A held lock; released when dropped.
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Waits for and takes the lock at `path` for a build, creating the file if need be.
    pub fn exclusive(path: &Path) -> io::Result<Lock> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        file.lock()?;
        Ok(Lock { _file: file })
    }

    /// Waits for and takes the lock at `path` shared, for a reader; `None` if no build has
    /// made the file yet (nothing to wait for). Never writes.
    pub fn shared(path: &Path) -> io::Result<Option<Lock>> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        file.lock_shared()?;
        Ok(Some(Lock { _file: file }))
    }
}
