//! Where `build` may write, decided before anything is touched: the output is replaced whole,
//! so it must not be, hold, or lie inside anything the site is made of, and must not be a
//! folder of someone else's files.

use super::marker;
use crate::Diagnostic;
use crate::diagnostic::Code;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What a site is made of, below its root: an output inside or around one of these would be
/// written over the build's own inputs (`.ntg-cache` holds the search indexes).
const INPUTS: [&str; 6] = [
    "content",
    "data",
    "themes",
    "templates",
    "static",
    ".ntg-cache",
];

/// An output folder that `build` may replace: not the site root or an ancestor of it, not
/// inside or around an input folder, not a file, and new, empty, marked as ntg's, or forced.
#[derive(Debug)]
pub struct Target {
    /// Absolute, with every part that exists resolved (symlinks followed), so the staging
    /// folder goes beside the real folder and a link to the output stays a link.
    path: PathBuf,
    /// As the command line gave it, for messages.
    shown: String,
}

impl Target {
    /// Checks `out` as the output of the site at `root`. `force` lets a build replace a
    /// non-empty folder ntg did not write, and nothing else.
    pub fn check(root: &Path, out: &Path, force: bool) -> Result<Target, Diagnostic> {
        let shown = out.display().to_string();
        let refuse = |message: String, help: &str| {
            Diagnostic::new(Code::OutputRefused, shown.as_str(), None, message)
                .with_help(Some(help.to_string()))
        };
        let unreadable = |what: &Path, e: io::Error| {
            refuse(
                format!("cannot read {}: {e}", what.display()),
                "make it readable, or choose another --output",
            )
        };
        let site = root.canonicalize().map_err(|e| {
            Diagnostic::new(
                Code::UnreadableFile,
                root.display().to_string(),
                None,
                format!("cannot read the site's folder: {e}"),
            )
            .with_help(Some("--root names the folder that holds site.yaml".into()))
        })?;
        let path = resolve(out).map_err(|e| match e {
            Unresolved::Io(e) => unreadable(out, e),
            Unresolved::DanglingLink(link) => refuse(
                format!(
                    "the output goes through the symbolic link {}, which points at nothing",
                    link.display()
                ),
                "create the folder the link points to, or remove the link",
            ),
        })?;
        let elsewhere = "write the site into a folder of its own, such as `public` (the default)";
        if path == site {
            return Err(refuse(
                "the output is the site's own folder: building would replace every file of the site"
                    .into(),
                elsewhere,
            ));
        }
        if site.starts_with(&path) {
            return Err(refuse(
                format!(
                    "the output holds the site ({}): building would replace the site and everything beside it",
                    site.display()
                ),
                elsewhere,
            ));
        }
        for input in INPUTS {
            let dir = site.join(input);
            let dir = dir.canonicalize().unwrap_or(dir);
            if path.starts_with(&dir) || dir.starts_with(&path) {
                let place = if path.starts_with(&dir) {
                    "is inside"
                } else {
                    "holds"
                };
                return Err(refuse(
                    format!(
                        "the output {place} the site's `{input}` folder, which the build reads"
                    ),
                    elsewhere,
                ));
            }
        }
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(unreadable(&path, e)),
            Ok(m) if !m.is_dir() => {
                return Err(refuse(
                    "the output is a file, not a folder".into(),
                    "choose a folder: a new one, or one an earlier build wrote",
                ));
            }
            Ok(_) => {
                let empty = std::fs::read_dir(&path)
                    .map_err(|e| unreadable(&path, e))?
                    .next()
                    .is_none();
                let ours = marker::read(&path)
                    .map_err(|e| unreadable(&path, e))?
                    .is_some();
                if !(empty || ours || force) {
                    return Err(refuse(
                        format!(
                            "the output is a folder that ntg did not write (it has no `{}` file): building would delete everything in it",
                            marker::FILE
                        ),
                        "choose a new or empty folder, or run again with --force to replace this folder and all it holds",
                    ));
                }
            }
        }
        Ok(Target { path, shown })
    }

    /// The output folder, resolved.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The output as the command line named it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Whether there is an output now (a sweep may have put back one a killed build moved).
    pub fn exists(&self) -> bool {
        self.path.symlink_metadata().is_ok()
    }
}

/// Why an output path could not be resolved.
#[derive(Debug)]
enum Unresolved {
    Io(io::Error),
    /// A symlink on the way points at nothing: where the site would go is unclear.
    DanglingLink(PathBuf),
}

impl From<io::Error> for Unresolved {
    fn from(e: io::Error) -> Unresolved {
        Unresolved::Io(e)
    }
}

/// `out` made absolute, its longest existing part canonicalised and the rest (which does not
/// exist yet, so holds no symlink) appended with `.` and `..` applied.
fn resolve(out: &Path) -> Result<PathBuf, Unresolved> {
    let absolute = std::path::absolute(out)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let base = loop {
        match existing.canonicalize() {
            Ok(c) => break c,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if existing.symlink_metadata().is_ok() {
                    return Err(Unresolved::DanglingLink(existing.to_path_buf()));
                }
                let Some(last) = existing.components().next_back() else {
                    return Err(e.into());
                };
                rest.push(last);
                existing = existing.parent().ok_or(e)?;
            }
            Err(e) => return Err(e.into()),
        }
    };
    let mut path = base;
    for part in rest.into_iter().rev() {
        match part {
            Component::ParentDir => {
                path.pop();
            }
            Component::Normal(name) => path.push(name),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_that_does_not_exist_yet_resolves_through_its_existing_part() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("a")).unwrap();
        assert_eq!(
            resolve(&real.join("a/x/../y/./z")).unwrap(),
            real.join("a/y/z")
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(real.join("a"), real.join("link")).unwrap();
            assert_eq!(resolve(&real.join("link/new")).unwrap(), real.join("a/new"));
            std::os::unix::fs::symlink(real.join("gone"), real.join("dangling")).unwrap();
            assert!(matches!(
                resolve(&real.join("dangling/x")),
                Err(Unresolved::DanglingLink(l)) if l == real.join("dangling")
            ));
        }
    }
}
