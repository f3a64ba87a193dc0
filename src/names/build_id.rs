//! The id of a build, named by the hash of its search export: the output's marker names it,
//! and the search index of that build is kept under it.

use std::fmt;

/// A build's id: the hash of its search export, so that equal ids mean indexes that answer
/// every query alike, and a rebuild of the same content has the same id (builds stay
/// byte-identical). Twelve hex digits, which is all it can be displayed as, so it is always
/// a safe folder name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuildId(u64);

impl BuildId {
    const DIGITS: usize = 12;

    /// The id of a build whose search export has `hash` (its low 48 bits count).
    pub fn new(hash: u64) -> BuildId {
        BuildId(hash & 0xffff_ffff_ffff)
    }

    /// Reads an id as `Display` writes it: exactly twelve lower-case hex digits.
    pub fn parse(s: &str) -> Option<BuildId> {
        let hex = s.len() == Self::DIGITS
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        hex.then(|| u64::from_str_radix(s, 16).ok().map(BuildId))
            .flatten()
    }
}

impl fmt::Display for BuildId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012x}", self.0)
    }
}
