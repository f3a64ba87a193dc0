//! The in-memory source: a site given as (path, bytes) pairs, for tests and fuzzing, with
//! no disk at all.

use super::{Entry, Inputs, Source};

/// A site held in memory, keyed by path below the site root with `/` separators.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    inputs: Inputs,
}

impl Memory {
    /// A site of these files.
    pub fn new<P: Into<String>, B: Into<Vec<u8>>>(
        files: impl IntoIterator<Item = (P, B)>,
    ) -> Memory {
        let mut m = Memory::default();
        for (rel, bytes) in files {
            m.put(rel, bytes);
        }
        m
    }

    /// Writes (or replaces) one file.
    pub fn put(&mut self, rel: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.inputs.insert(rel.into(), Entry::file(bytes.into()));
    }
}

impl Source for Memory {
    fn snapshot(&self) -> Inputs {
        self.inputs.clone()
    }
}
