//! Whether a folder is a site at all. Run outside one, every command would otherwise report
//! each file a site needs as missing, which reads as a broken site rather than the wrong
//! folder; one line naming the folder says what is wrong and how to fix it.

use super::SETTINGS;
use std::fmt;
use std::path::{Path, PathBuf};

/// `root` holds no `site.yaml`, so it is no site's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotASite {
    /// The folder, made absolute so that `.` names where the command ran.
    pub folder: PathBuf,
    /// Whether there is a folder there at all (`--root` may name none).
    pub exists: bool,
}

/// The message, one line: the folder, and the two ways to name a site instead.
impl fmt::Display for NotASite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let folder = self.folder.display();
        if self.exists {
            write!(
                f,
                "there is no {SETTINGS} in {folder}, so it is not a site's folder"
            )?;
        } else {
            write!(f, "there is no folder {folder}")?;
        }
        f.write_str(": cd into the site, or name it with --root DIR")
    }
}

/// `Ok` if `root` holds a `site.yaml`, even one that cannot be read or is a link: those are
/// errors of the site, which the build reports at that file.
pub fn site_at(root: &Path) -> Result<(), NotASite> {
    if root.join(SETTINGS).symlink_metadata().is_ok() {
        return Ok(());
    }
    let folder = std::fs::canonicalize(root)
        .or_else(|_| std::path::absolute(root))
        .unwrap_or_else(|_| root.to_path_buf());
    Err(NotASite {
        exists: root.is_dir(),
        folder,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_a_site_by_its_settings_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = site_at(dir.path()).unwrap_err();
        assert_eq!(err.folder, std::fs::canonicalize(dir.path()).unwrap());
        assert!(err.exists);
        assert!(!site_at(&dir.path().join("x")).unwrap_err().exists);
        std::fs::write(dir.path().join("site.yaml"), "").unwrap();
        assert_eq!(site_at(dir.path()), Ok(()));
    }
}
