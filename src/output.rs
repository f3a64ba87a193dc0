//! The write stage. Pages go to a `Sink` as they are rendered: `check` discards them, `build`
//! writes them into a fresh folder beside the output, which takes the output's place only
//! when the whole build has succeeded, so a failed build never leaves a broken site.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where rendered files go. Shared by the render threads.
pub trait Sink: Sync {
    /// Stores `bytes` at the output-relative path `rel` (`themes/x/index.html`).
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
}

/// Stores one file in `sink`, as a diagnostic on that file if it cannot be written. Every
/// output file passes here, so a path that is not an `OutputPath` is refused before any sink
/// sees it.
pub fn put(sink: &dyn Sink, rel: &str, bytes: &[u8]) -> Result<(), crate::Diagnostic> {
    let rel = crate::outpath::OutputPath::checked(rel)?;
    sink.put(&rel, bytes)
        .map_err(|e| crate::Diagnostic::new(rel.as_str(), None, format!("cannot write: {e}")))
}

/// Keeps nothing, counts bytes: what `check` renders into.
#[derive(Default)]
pub struct Discard {
    pub bytes: AtomicU64,
}

impl Sink for Discard {
    fn put(&self, _rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }
}

/// Writes files below a folder, creating sub-folders as needed.
pub struct Folder {
    root: PathBuf,
}

impl Sink for Folder {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)
    }
}

/// Runs `fill` on a fresh staging folder beside `out`; if it succeeds, the staging folder
/// replaces `out`. If it fails (or the swap does), `out` is left as it was.
pub fn atomically<T, E>(
    out: &Path,
    fill: impl FnOnce(&Folder) -> Result<T, E>,
    io_error: impl Fn(io::Error) -> E,
) -> Result<T, E> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.ntg-new-{}", std::process::id()));
    let prepare = || -> io::Result<()> {
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir_all(&staging)
    };
    prepare().map_err(&io_error)?;
    let result = fill(&Folder {
        root: staging.clone(),
    })
    .and_then(|v| {
        swap(&staging, out, parent, &name)
            .map(|()| v)
            .map_err(&io_error)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Puts `staging` where `out` is. The old output is moved aside first and removed after,
/// so at every moment either the old or the new site is complete at `out`.
fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    let old = parent.join(format!(".{name}.ntg-old-{}", std::process::id()));
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    std::fs::remove_dir_all(&old)
}
