//! The write stage. Pages go to a `Sink` as they are rendered: `check` discards them, `build`
//! writes them into a staging folder beside the output, which takes the output's place in
//! one atomic step only when the whole build has succeeded.
//!
//! What keeps a build from losing data, in the order `build` meets it: `Target::check`
//! refuses an output that is the site, holds it, lies in its inputs, is a file, or is a
//! folder ntg did not write; the staging folder is filled and marked as ntg's (`marker`),
//! naming the search index built with it; the index is put in place under that name; the
//! staging folder and the output are exchanged (`Staging::swap_in`); the old tree is kept as
//! the spare the next build takes as its staging folder (`held` says what such a folder may
//! be trusted to hold), and what killed builds left behind is tidied (`leftovers`), all
//! under one `Lock` per site.

pub mod cache;
mod held;
mod hooks;
pub mod indexes;
pub mod leftovers;
mod lock;
pub mod manifest;
pub mod marker;
mod staging;
mod target;

pub use hooks::reached;
pub use lock::Lock;
pub use staging::{Old, Retired, Staging};
pub use target::Target;

use crate::Diagnostic;
use crate::diagnostic::Code;
use crate::names::hash::ContentHash;
use manifest::{Manifest, Previous, Record, Recorder};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Where rendered files go. Shared by the render threads.
pub trait Sink: Sync {
    /// Stores `bytes` at the output-relative path `rel` (`themes/x/index.html`).
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;

    /// Takes the previous build's `rel` as it is, for an output the caller did not render
    /// again: true if the sink has it now, false if it cannot (no previous build, the file
    /// changed since), and the caller renders and puts it.
    fn reuse(&self, _rel: &str) -> bool {
        false
    }

    /// Says that the files that follow under `dir` (`search/0123456789ab/`) go in a folder
    /// named by a hash of its contents, which takes the place of the last build's folder of
    /// that form beside it: a sink that holds that folder may rename it rather than write
    /// every file anew.
    fn versioned(&self, _dir: &str) {}
}

/// Stores one file in `sink`, as a diagnostic on that file if it cannot be written. Every
/// output file passes here, so a path that is not an `OutputPath` is refused before any sink
/// sees it.
pub fn put(sink: &dyn Sink, rel: &str, bytes: &[u8]) -> Result<(), crate::Diagnostic> {
    let rel = crate::outpath::OutputPath::checked(rel)?;
    sink.put(&rel, bytes).map_err(|e| {
        crate::Diagnostic::new(
            crate::diagnostic::Code::WriteFailed,
            rel.as_str(),
            None,
            format!("cannot write: {e}"),
        )
    })
}

/// Takes the previous build's `rel` into `sink` (see `Sink::reuse`); false for a path that is
/// not an `OutputPath`, which `put` then refuses with its diagnostic.
pub fn reuse(sink: &dyn Sink, rel: &str) -> bool {
    crate::outpath::OutputPath::checked(rel).is_ok_and(|rel| sink.reuse(&rel))
}

/// Tells `sink` that the folder `dir` is named by a hash of its contents (see
/// `Sink::versioned`); nothing for a path that is not an `OutputPath`.
pub fn versioned(sink: &dyn Sink, dir: &str) {
    if let Ok(dir) = crate::outpath::OutputPath::checked(dir) {
        sink.versioned(&format!("{}/", dir.as_str()));
    }
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

/// Keeps every file in memory: what a site rendered from memory goes to (tests, fuzzing,
/// `ntg serve`). Files are shared, not copied, so a page taken from the last build in
/// memory costs no bytes.
#[derive(Default)]
pub struct Memory {
    files: Mutex<BTreeMap<String, Arc<[u8]>>>,
    /// The last build's files, which `reuse` takes from.
    previous: BTreeMap<String, Arc<[u8]>>,
}

impl Memory {
    /// A sink that may take files from `previous`, the last build's output.
    pub fn after(previous: BTreeMap<String, Arc<[u8]>>) -> Memory {
        Memory {
            files: Mutex::default(),
            previous,
        }
    }

    /// The files kept, by output path.
    pub fn into_files(self) -> BTreeMap<String, Arc<[u8]>> {
        self.files.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for Memory {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.insert(rel.to_string(), bytes.into());
        Ok(())
    }

    fn reuse(&self, rel: &str) -> bool {
        let Some(bytes) = self.previous.get(rel) else {
            return false;
        };
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.insert(rel.to_string(), Arc::clone(bytes));
        true
    }
}

/// Writes files below a folder, creating sub-folders as needed. The first write that fails
/// stops it: every later one is refused without touching the disk, so a full disk is one
/// error, not one per file. With a previous output, a file that would be written with the
/// bytes it already has there is hard-linked from it instead (see `manifest`); whatever
/// cannot be linked is written. A folder that is not new (`held`) keeps the files it
/// provably holds already, and `finish` removes the rest.
pub struct Folder {
    root: PathBuf,
    previous: Option<Previous>,
    /// What the folder held when the build took it, if it was not made new.
    held: Option<held::Held>,
    /// The manifest of what this folder holds.
    recorder: Recorder,
    /// The first write that failed: its file and the error.
    failed: OnceLock<(String, io::Error)>,
    /// Every file whose write failed or was refused, to take their diagnostics back.
    refused: Mutex<BTreeSet<String>>,
    /// Folders made so far: most files share their folder with others, and asking the file
    /// system again for each cost a tenth of a rebuild's time.
    made: Mutex<HashSet<PathBuf>>,
}

impl Folder {
    fn new(root: PathBuf, previous: Option<Previous>, held: Option<held::Held>) -> Folder {
        Folder {
            root,
            previous,
            held,
            recorder: Recorder::default(),
            failed: OnceLock::new(),
            refused: Mutex::new(BTreeSet::new()),
            made: Mutex::new(HashSet::new()),
        }
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.prepare(rel)?;
        let hash = ContentHash::of(bytes);
        if let Some(record) = self.take(rel, hash, &path) {
            self.recorder.record(rel, record);
            return Ok(());
        }
        let file = match &self.held {
            Some(_) => held::overwrite(&path, bytes)?,
            None => {
                let mut file = create_new(&path)?;
                file.write_all(bytes)?;
                file
            }
        };
        if let Some(record) = Record::written(hash, &file.metadata()?) {
            self.recorder.record(rel, record);
        }
        Ok(())
    }

    /// The record of `rel` at `path` if it holds bytes of `hash` without writing them: the
    /// folder holds them already, or the previous output's file is linked in.
    fn take(&self, rel: &str, hash: ContentHash, path: &Path) -> Option<Record> {
        let live = self.previous_manifest();
        let held = self.held.as_ref();
        held.and_then(|h| h.present(rel, hash, path, live))
            .or_else(|| self.link(rel, hash, path))
    }

    /// Where `rel` goes, its folder created; the test hooks count it as a write.
    fn prepare(&self, rel: &str) -> io::Result<PathBuf> {
        hooks::before_write()?;
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            let made = |m: &Mutex<HashSet<PathBuf>>| {
                m.lock().unwrap_or_else(|p| p.into_inner()).contains(parent)
            };
            if !made(&self.made) {
                match self.held {
                    Some(_) => self.make_dirs(parent)?,
                    None => std::fs::create_dir_all(parent)?,
                }
                let mut m = self.made.lock().unwrap_or_else(|p| p.into_inner());
                m.insert(parent.to_path_buf());
            }
        }
        Ok(path)
    }

    /// Makes `dir` and the folders above it, up to the root, real folders in a folder that
    /// was not new, where a file or a symlink may stand in the way. Folders made already
    /// are not looked at again: most pages share their folders' parents.
    fn make_dirs(&self, dir: &Path) -> io::Result<()> {
        let made = |d: &Path| {
            self.made
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(d)
        };
        if dir == self.root || made(dir) {
            return Ok(());
        }
        if let Some(parent) = dir.parent() {
            self.make_dirs(parent)?;
        }
        held::make_dir(dir)?;
        let mut m = self.made.lock().unwrap_or_else(|p| p.into_inner());
        m.insert(dir.to_path_buf());
        Ok(())
    }

    /// Links the previous output's `rel` to `to` if it holds bytes of `hash`, replacing
    /// whatever is at `to` in a folder that was not new.
    fn link(&self, rel: &str, hash: ContentHash, to: &Path) -> Option<Record> {
        let (from, record) = self.previous.as_ref()?.linkable(rel, hash)?;
        match std::fs::hard_link(&from, to) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && self.held.is_some() => {
                held::clear(to).ok()?;
                std::fs::hard_link(&from, to).ok()?;
            }
            linked => linked.ok()?,
        }
        Some(record)
    }

    /// Once every file is put: in a folder that was not new, removes every file the build
    /// did not write or confirm, and the folders left empty (see `held`).
    pub fn finish(&self) -> io::Result<()> {
        if self.held.is_none() {
            return Ok(());
        }
        let keep = self.recorder.manifest();
        held::sweep(&self.root, keep.files())
    }

    /// The previous output's manifest, if the build had one: what the output holds until
    /// the swap.
    pub fn previous_manifest(&self) -> Option<&Manifest> {
        self.previous.as_ref().map(Previous::manifest)
    }

    /// The manifest of every file written or linked so far, for the next build.
    pub fn manifest(&self) -> Manifest {
        self.recorder.manifest()
    }

    /// The build's diagnostics with the writes this folder failed replaced by one: the error
    /// that stopped it, on the output `shown`. Diagnostics on `beside` (a store of the build
    /// outside the output) go too when it is on the same disk as this folder: a full or
    /// read-only disk fails it for the same reason, and one error says so. Unchanged if every
    /// write succeeded.
    pub fn one_write_error(
        &self,
        mut diags: Vec<Diagnostic>,
        shown: &str,
        beside: (&str, &Path),
    ) -> Vec<Diagnostic> {
        let Some((rel, e)) = self.failed.get() else {
            return diags;
        };
        let refused = self.refused.lock().unwrap_or_else(|p| p.into_inner());
        let (beside_shown, beside_path) = beside;
        let shared = same_disk(&self.root, beside_path);
        let same_failure =
            |d: &Diagnostic| refused.contains(&d.path) || (shared && d.path == beside_shown);
        diags.retain(|d| !same_failure(d));
        diags.push(
            Diagnostic::new(
                Code::WriteFailed,
                shown,
                None,
                format!("cannot write the site: {e}"),
            )
            .with_help(Some(format!(
                "writing stopped at `{rel}`, the first file that could not be written"
            ))),
        );
        diags
    }
}

impl Sink for Folder {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let result = match self.failed.get() {
            Some((_, first)) => Err(io::Error::new(
                first.kind(),
                "not written: an earlier write failed",
            )),
            None => self.write(rel, bytes).map_err(|e| {
                let told = io::Error::new(e.kind(), e.to_string());
                let _ = self.failed.set((rel.to_string(), e));
                told
            }),
        };
        if result.is_err() {
            self.refused
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(rel.to_string());
        }
        result
    }

    fn reuse(&self, rel: &str) -> bool {
        if self.failed.get().is_some() {
            return false;
        }
        let Some(hash) = self
            .previous_manifest()
            .and_then(|m| m.get(rel))
            .map(|r| r.hash)
        else {
            return false;
        };
        let Ok(path) = self.prepare(rel) else {
            return false;
        };
        match self.take(rel, hash, &path) {
            Some(record) => {
                self.recorder.record(rel, record);
                true
            }
            None => false,
        }
    }

    fn versioned(&self, dir: &str) {
        if let Some(held) = &self.held {
            held.versioned(&self.root, dir);
        }
    }
}

/// Creates the file at `path`, replacing any there by a new file rather than writing into it:
/// a file linked from the previous output shares its bytes with that output, which is still
/// the site being served until the swap.
fn create_new(path: &Path) -> io::Result<File> {
    match File::create_new(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            File::create_new(path)
        }
        created => created,
    }
}

/// What a failed build left at its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Left {
    /// The output was refused before anything was written anywhere.
    Refused,
    /// The output is as it was before the build (`existed` false: there is still none).
    Unchanged { existed: bool },
    /// The previous site was moved aside to this folder and could not be moved back: only
    /// the two-rename fallback swap, where the exchange in one step is not available, can
    /// leave this.
    Aside(PathBuf),
}

/// Whether two existing paths are on one file system (on Unix; elsewhere taken not to be).
fn same_disk(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// The folder `path` is in, `.` for a bare name.
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}
