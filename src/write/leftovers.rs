//! What builds leave beside their output and in the cache while they run, named so that a
//! later build can tell its own leftovers from anything else: a name ntg makes ends in the
//! id of the process that made it, and a later build removes such a thing only once that
//! process has ended. A build never removes what a running build is writing, and never
//! touches a name it did not make.

use super::Target;
use std::io;
use std::path::{Path, PathBuf};

/// What ntg keeps beside its output `name`: while a build runs, its staging folder (which
/// holds the old site after the exchange) and, in the two-rename fallback, the old site moved
/// aside; between builds, the spare (see `staging`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beside {
    /// The staging folder: the new site, or the old one once exchanged.
    New,
    /// The old site moved aside by the fallback swap.
    Old,
    /// The output before last, kept for the next build to take as its staging folder. One
    /// per output, so its name has no process id.
    Spare,
}

impl Beside {
    fn tag(self) -> &'static str {
        match self {
            Beside::New => "ntg-new",
            Beside::Old => "ntg-old",
            Beside::Spare => "ntg-spare",
        }
    }

    /// The path of this process's folder of this kind beside the output `out` (the one
    /// spare, for `Spare`).
    pub fn path(self, out: &Path) -> PathBuf {
        let (parent, name) = parent_and_name(out);
        match self {
            Beside::Spare => parent.join(format!(".{name}.{}", self.tag())),
            _ => parent.join(format!(".{name}.{}-{}", self.tag(), std::process::id())),
        }
    }
}

fn parent_and_name(path: &Path) -> (&Path, String) {
    let name = path
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    (super::parent_of(path), name)
}

/// If `name` is `<prefix><pid>` or `<prefix><pid>-<more>` for a process that has ended (and
/// is not this one), that pid: the thing so named was left by a killed build.
pub fn abandoned(name: &str, prefix: &str) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?;
    let digits = rest.split_once('-').map_or(rest, |(pid, _)| pid);
    let pid: u32 = digits.parse().ok()?;
    (pid != std::process::id() && !running(pid)).then_some(pid)
}

/// Whether process `pid` is running. Where that cannot be told it is taken to be, so that
/// nothing of a live build is ever removed.
#[cfg(unix)]
fn running(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return true;
    };
    rustix::process::test_kill_process(pid) != Err(rustix::io::Errno::SRCH)
}

#[cfg(not(unix))]
fn running(_pid: u32) -> bool {
    true
}

/// Something a sweep could not tidy away, and why.
#[derive(Debug)]
pub struct Stuck {
    /// What is still there.
    pub path: PathBuf,
    /// It is the previous site, which was to be moved back as the missing output, not removed.
    pub unrestored: bool,
    /// Why it could not be.
    pub error: io::Error,
}

impl Stuck {
    /// `path` could not be removed.
    pub fn removing(path: PathBuf, error: io::Error) -> Stuck {
        Stuck {
            path,
            unrestored: false,
            error,
        }
    }
}

/// Removes the folders killed builds left beside `target`. If the output itself is missing,
/// which only a kill in the middle of the two-rename fallback leaves, the old site moved
/// aside is put back first, so a later failed build still leaves a site in place. A killed
/// build's staging folder becomes the spare if there is none: whatever it holds, the next
/// build trusts only what it can prove (`held`), and renaming it costs nothing where
/// removing it costs seconds.
pub fn sweep_beside(target: &Target) -> Vec<Stuck> {
    let (parent, name) = parent_and_name(target.path());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut stuck = Vec::new();
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for kind in [Beside::Old, Beside::New] {
        let prefix = format!(".{name}.{}-", kind.tag());
        for found in names.iter().filter(|n| abandoned(n, &prefix).is_some()) {
            let path = parent.join(found);
            let restore = kind == Beside::Old && !target.path().exists();
            let spare = Beside::Spare.path(target.path());
            let done = if restore {
                std::fs::rename(&path, target.path())
            } else if kind == Beside::New
                && spare.symlink_metadata().is_err()
                && path.symlink_metadata().is_ok_and(|m| m.is_dir())
            {
                std::fs::rename(&path, &spare).or_else(|_| std::fs::remove_dir_all(&path))
            } else {
                std::fs::remove_dir_all(&path)
            };
            if let Err(error) = done {
                stuck.push(Stuck {
                    path,
                    unrestored: restore,
                    error,
                });
            }
        }
    }
    stuck
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_ended_processes_are_abandoned() {
        let me = std::process::id();
        assert_eq!(
            abandoned(&format!(".public.ntg-new-{me}"), ".public.ntg-new-"),
            None
        );
        // The parent of this test process is running.
        #[cfg(unix)]
        {
            let parent = std::os::unix::process::parent_id();
            assert_eq!(abandoned(&format!("staging-{parent}"), "staging-"), None);
            let mut child = std::process::Command::new("true").spawn().unwrap();
            let pid = child.id();
            child.wait().unwrap();
            assert_eq!(abandoned(&format!("staging-{pid}"), "staging-"), Some(pid));
            assert_eq!(
                abandoned(&format!("staging-{pid}-0123456789ab"), "staging-"),
                Some(pid)
            );
        }
        assert_eq!(abandoned("staging-x", "staging-"), None);
        assert_eq!(abandoned("other-1", "staging-"), None);
    }
}
