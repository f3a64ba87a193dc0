//! The pipeline kept alive between builds, for `ntg serve`. Each rebuild reads the site's
//! files again and runs the same stages as `ntg build`, into memory: what the last good
//! build made (its cache entries and its files) is held in memory and reused exactly as a
//! build reuses `.ntg-cache/` and its spare tree, and the search stage keeps its state in a
//! private folder that is removed when serving stops. A rebuild that fails leaves all of it
//! as it was, so the next one starts from the last good build.

use crate::diagnostic::Code;
use crate::names::store::INDEX_DIR;
use crate::{Built, Diagnostic, Memos, Options, generate, inputs, snapshot, write};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A site's output in memory, by path below the output folder (`themes/x/index.html`).
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// A folder of the session's own, removed when it is dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty folder for this process below the system's temporary folder.
    pub fn new() -> std::io::Result<Scratch> {
        let dir = std::env::temp_dir().join(format!("ntg-serve-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The site at `root`, rebuilt on demand, with what its last good build made.
pub struct Live {
    root: PathBuf,
    options: Options,
    /// Where the search stage keeps its state (below it, `INDEX_DIR`).
    scratch: PathBuf,
    /// The cache entries the last good build kept; at first, the site's `.ntg-cache/`.
    store: write::cache::Store,
    /// The last good build's output.
    files: Arc<Files>,
    /// The index folder of the last good build, whose kept work the next one may take.
    index: Option<PathBuf>,
    /// Each file the last good build read, with its hash (`None`: a link, not followed).
    read: BTreeMap<String, Option<u64>>,
}

/// A good build.
pub struct Rebuilt {
    /// Its output.
    pub files: Arc<Files>,
    /// Its warnings and timings.
    pub built: Built,
    /// The site's files that differ from the last good build's: changed, added or removed
    /// (all of them for the first).
    pub inputs: Vec<String>,
}

impl Live {
    /// The site at `root`, not built yet; `scratch` holds the search state.
    pub fn new(root: &Path, options: Options, scratch: &Scratch) -> Live {
        Live {
            root: root.to_path_buf(),
            store: write::cache::Store::open(root, options.no_cache),
            options,
            scratch: scratch.path().to_path_buf(),
            files: Arc::default(),
            index: None,
            read: BTreeMap::new(),
        }
    }

    /// The last good build's output (empty before one succeeded).
    pub fn files(&self) -> &Arc<Files> {
        &self.files
    }

    /// Builds the site from its files as they are now. On success the new output is the
    /// last good build; on failure, the diagnostics are returned, and the last good build
    /// stays.
    pub fn rebuild(&mut self) -> Result<Rebuilt, Vec<Diagnostic>> {
        let next = write::cache::Next::new();
        let memory = write::cache::Memory {
            previous: &self.store,
            next: &next,
        };
        let memos = Memos {
            bodies: &memory,
            pages: &memory,
            texts: &memory,
        };
        let sink = write::Memory::after(Files::clone(&self.files));
        let (inputs, clock) = snapshot(&inputs::Disk { root: &self.root });
        let (built, staged) = generate(
            &inputs,
            &self.options,
            &memos,
            &sink,
            Some(&self.scratch),
            self.index.as_deref(),
            clock,
        )?;
        let Some(staged) = staged else {
            return Err(vec![Diagnostic::new(
                Code::SearchIndexFailed,
                INDEX_DIR,
                None,
                "no search index was built",
            )]);
        };
        let id = staged.place(&self.scratch).map_err(|e| {
            vec![Diagnostic::new(
                Code::SearchIndexFailed,
                self.scratch.join(INDEX_DIR).display().to_string(),
                None,
                format!("cannot keep the search state: {e}"),
            )]
        })?;
        let index = self.scratch.join(INDEX_DIR).join(id.to_string());
        if let Some(old) = self.index.replace(index.clone())
            && old != index
        {
            let _ = std::fs::remove_dir_all(old);
        }
        let read: BTreeMap<String, Option<u64>> = inputs
            .entries()
            .map(|(rel, entry)| {
                let hash = match entry {
                    inputs::Entry::File { hash, .. } => Some(*hash),
                    inputs::Entry::Link => None,
                };
                (rel.to_string(), hash)
            })
            .collect();
        let differ = read
            .iter()
            .filter(|(rel, hash)| self.read.get(*rel) != Some(hash))
            .map(|(rel, _)| rel.clone())
            .chain(
                self.read
                    .keys()
                    .filter(|rel| !read.contains_key(*rel))
                    .cloned(),
            )
            .collect();
        self.read = read;
        self.store = next.into_store();
        self.files = Arc::new(sink.into_files());
        Ok(Rebuilt {
            files: Arc::clone(&self.files),
            built,
            inputs: differ,
        })
    }
}
