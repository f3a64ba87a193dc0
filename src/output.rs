//! The write stage: every file goes into a fresh folder beside the output, which then takes
//! the output's place, so a failed build never leaves a half-written or missing site.

use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

/// Writes `files` (relative path, bytes) as the whole content of `out`.
pub fn write_atomically(out: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.ntg-new-{}", std::process::id()));
    let result = write_tree(&staging, files).and_then(|()| swap(&staging, out, parent, &name));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_tree(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|(rel, _)| Path::new(rel).parent().map(|p| dir.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    std::fs::create_dir_all(dir)?;
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    files
        .par_iter()
        .try_for_each(|(rel, bytes)| std::fs::write(dir.join(rel), bytes))
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
