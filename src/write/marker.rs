//! The marker file in every output ntg writes. It says the folder is ntg's, so that a later
//! build may replace it (a folder without it is refused unless `--force`), and it names the
//! search index built with the site it sits in, so that `ntg search` answers for that site.

use crate::names::build_id::BuildId;
use std::io;
use std::path::Path;

/// The marker's name in the output folder.
pub const FILE: &str = ".ntg-output";

/// The marker's first line: what the folder is, for a person who finds it.
const HEADER: &str =
    "This folder was written by `ntg build`, which replaces it whole on every build.";

/// The prefix of the marker's line naming the search index.
const INDEX: &str = "search-index ";

/// Writes the marker of a build with `id` into `dir`.
pub fn write(dir: &Path, id: BuildId) -> io::Result<()> {
    std::fs::write(dir.join(FILE), format!("{HEADER}\n{INDEX}{id}\n"))
}

/// The id in `dir`'s marker: `None` if it has no marker of ntg's (ntg did not write it, or
/// wrote it before outputs were marked).
pub fn read(dir: &Path) -> io::Result<Option<BuildId>> {
    let text = match std::fs::read_to_string(dir.join(FILE)) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound || e.kind() == io::ErrorKind::InvalidData => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Ok(None);
    }
    Ok(lines
        .find_map(|l| l.strip_prefix(INDEX))
        .and_then(BuildId::parse))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_back_as_written_and_nothing_else_reads() {
        let id = BuildId::new(0x1234_5678_9abc_def0);
        assert_eq!(id.to_string(), "56789abcdef0");
        assert_eq!(BuildId::parse(&id.to_string()), Some(id));
        for bad in [
            "",
            "56789abcdef",
            "56789abcdef00",
            "56789ABCDEF0",
            "../../etc/x",
            "+6789abcdef0",
        ] {
            assert_eq!(BuildId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_marker_names_its_build_and_a_foreign_file_names_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        let id = BuildId::new(42);
        write(dir.path(), id).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(id));
        std::fs::write(dir.path().join(FILE), "search-index 00000000002a\n").unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
    }
}
