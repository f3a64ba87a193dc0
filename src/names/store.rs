//! Where a site keeps what its builds make beside it, below its root: the search indexes and
//! the lock of its builds. Named once, for the index that writes there and the write stage
//! that tidies it.

/// Where a site keeps its indexes, below its root: beside the site, not in it.
///
/// Each build's index is a folder named by its build id (`<INDEX_DIR>/<id>/`), put there
/// before the build's site takes the output's place, and the output's marker names it.
/// `ntg search` opens the index the marker of the output names, so whenever a build is
/// killed, the site in the output and the index that answers for it are of the same build:
/// before the swap the old marker names the old index, which is still there, and after it
/// the new marker names the new one, already there. A build, once its site is in place,
/// removes every other index except the one `public/`'s marker names.
pub const INDEX_DIR: &str = ".ntg-cache/search-index";

/// The file in a build's index folder that holds its search state (`search::reuse`): what
/// the next build reuses, and what `ntg search` makes the tantivy index from.
pub const INDEX_STATE: &str = "reuse.bin";

/// The lock file (`write::Lock`) of a site's builds, among its indexes.
pub const LOCK: &str = ".ntg-cache/search-index/.lock";

/// The prefix of an index being written, before the process id of its build.
pub const INDEX_STAGING: &str = "staging-";

/// What builds before the index folders were named by build id left while running
/// (`search-index.new-<pid>`, `search-index.old-<pid>`, in `.ntg-cache/`).
pub const EARLIER: [&str; 2] = ["search-index.new-", "search-index.old-"];
