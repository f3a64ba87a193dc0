//! The write stage's side of the search indexes kept beside the site: which one answers for
//! an output, and the removal of those no output needs.

use super::Lock;
use super::leftovers::{Stuck, abandoned};
use crate::names::build_id::BuildId;
use crate::names::store::{EARLIER, INDEX_DIR, INDEX_STAGING, LOCK};
use std::path::{Path, PathBuf};

/// Removes every index of the site at `root` but those `keep` names, and what killed builds
/// left while writing one: called with the site's lock held. Returns what could not be
/// removed.
pub fn sweep(root: &Path, keep: &[BuildId]) -> Vec<Stuck> {
    let list = |dir: &Path| -> Vec<(PathBuf, String)> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut found: Vec<(PathBuf, String)> = entries
            .filter_map(|e| e.ok())
            .map(|e| (e.path(), e.file_name().to_string_lossy().into_owned()))
            .collect();
        found.sort();
        found
    };
    let cache = root.join(INDEX_DIR);
    // Builds before index folders were named by id wrote one index into the folder itself.
    let unnamed = cache.join("meta.json").is_file();
    let lock = Path::new(LOCK).file_name().and_then(|n| n.to_str());
    let indexes = list(&cache).into_iter().filter(|(path, name)| {
        BuildId::parse(name).is_some_and(|id| !keep.contains(&id))
            || abandoned(name, INDEX_STAGING).is_some()
            || (unnamed && path.is_file() && Some(name.as_str()) != lock)
    });
    let earlier = list(cache.parent().unwrap_or(root))
        .into_iter()
        .filter(|(_, name)| EARLIER.iter().any(|p| abandoned(name, p).is_some()));
    indexes
        .chain(earlier)
        .filter_map(|(path, name)| {
            let e = remove(&cache, &path, &name).err()?;
            Some(Stuck::removing(path, e))
        })
        .collect()
}

/// Removes one thing the sweep found. An index named by an id is first renamed to a staging
/// name of this process, in one step, so a kill while it is being deleted never leaves a
/// part of it under its id for a later build to take as whole.
fn remove(cache: &Path, path: &Path, name: &str) -> std::io::Result<()> {
    if !path.is_dir() {
        return std::fs::remove_file(path);
    }
    if BuildId::parse(name).is_none() {
        return std::fs::remove_dir_all(path);
    }
    let doomed = cache.join(format!("{INDEX_STAGING}{}-{name}", std::process::id()));
    std::fs::rename(path, &doomed)?;
    super::reached("index-doomed");
    std::fs::remove_dir_all(&doomed)
}

/// The folder of the index that answers for the site a build left in `out`: the one its
/// marker names, with the site's lock held shared, so that no build removes it while the
/// caller reads it (no lock where no build has made one yet).
pub fn answering(root: &Path, out: &Path) -> Result<(PathBuf, Option<Lock>), String> {
    let lock =
        Lock::shared(&root.join(LOCK)).map_err(|e| format!("cannot read the search index: {e}"))?;
    let rebuild = "run `ntg build` first";
    let id = match super::marker::read(out) {
        Ok(Some(id)) => id,
        Ok(None) if !out.is_dir() => {
            return Err(format!("no site at {}: {rebuild}", out.display()));
        }
        Ok(None) => {
            return Err(format!(
                "{} holds no site built by `ntg build` (it has no `{}`): {rebuild}",
                out.display(),
                super::marker::FILE
            ));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", out.display())),
    };
    let dir = root.join(INDEX_DIR).join(id.to_string());
    if !dir.join(crate::names::store::INDEX_STATE).is_file() {
        return Err(format!(
            "no search index for the site in {} at {}: the cache keeps the index of `public` and of the last build only; run `ntg build --output {}` again",
            out.display(),
            dir.display(),
            out.display()
        ));
    }
    Ok((dir, lock))
}
