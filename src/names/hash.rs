//! Stable hashes, the same for the same bytes on every build and machine (which a std
//! `Hasher` does not promise):
//!
//! - [`fnv1a`] (64 bits) for content-addressed names: asset URLs, the search export's folder
//!   and the build id. Published in URLs, so it never changes.
//! - [`ContentHash`] (xxh3, 128 bits) for what the incremental cache is keyed by and what the
//!   output manifest records: wide enough that two different inputs or outputs of one site
//!   never meet by chance, and fast enough to hash every output of a build (hundreds of
//!   megabytes) for less than a tenth of the time writing it takes.

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io;
use std::str::FromStr;

/// The hash of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_continue(0xcbf2_9ce4_8422_2325, bytes)
}

/// Continues [`fnv1a`] from `h` over more bytes, to hash many files as one.
pub fn fnv1a_continue(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The 128-bit hash of some content: a cache key, or what an output file held when it was
/// written. Shown as 32 lower-case hex digits; stored as that in text formats (JSON) and as
/// 16 bytes in binary ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContentHash(u128);

impl ContentHash {
    /// The hash as one number, for formats that store hashes as such (the search index's
    /// reusable state).
    pub fn as_u128(self) -> u128 {
        self.0
    }

    /// The hash of `bytes`, equal to a [`Hasher`] fed the same bytes in any pieces.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(xxhash_rust::xxh3::xxh3_128(bytes))
    }

    /// The hash as 16 bytes, little-endian: its form in binary files.
    pub fn to_bytes(self) -> [u8; 16] {
        self.0.to_le_bytes()
    }

    /// The hash that [`ContentHash::to_bytes`] gave as `bytes`.
    pub fn from_bytes(bytes: [u8; 16]) -> ContentHash {
        ContentHash(u128::from_le_bytes(bytes))
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// Why a text is not a [`ContentHash`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAHash;

impl fmt::Display for NotAHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a content hash is 32 lower-case hex digits")
    }
}

impl FromStr for ContentHash {
    type Err = NotAHash;

    /// Reads a hash as `Display` writes it, and nothing else (no sign, no upper case).
    fn from_str(s: &str) -> Result<ContentHash, NotAHash> {
        let digits = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
        if s.len() != 32 || !s.bytes().all(digits) {
            return Err(NotAHash);
        }
        u128::from_str_radix(s, 16)
            .map(ContentHash)
            .map_err(|_| NotAHash)
    }
}

impl Serialize for ContentHash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            self.to_bytes().serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ContentHash, D::Error> {
        if d.is_human_readable() {
            let text = String::deserialize(d)?;
            text.parse().map_err(de::Error::custom)
        } else {
            <[u8; 16]>::deserialize(d).map(ContentHash::from_bytes)
        }
    }
}

/// Hashes content fed in pieces. It is an `io::Write`, so a serialisable value hashes as
/// `serde_json::to_writer(&mut hasher, &value)` without the text being built first.
#[derive(Clone, Default)]
pub struct Hasher(xxhash_rust::xxh3::Xxh3Default);

impl Hasher {
    /// A hasher that has been fed nothing.
    pub fn new() -> Hasher {
        Hasher::default()
    }

    /// Feeds `bytes`.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Feeds a piece of a key: its length first, so that ("ab", "c") and ("a", "bc") differ.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.update(&(bytes.len() as u64).to_le_bytes());
        self.update(bytes);
        self
    }

    /// The hash of everything fed so far.
    pub fn finish(&self) -> ContentHash {
        ContentHash(self.0.digest128())
    }
}

impl io::Write for Hasher {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What a stage made before, found by the hash of what it was made from: the incremental
/// cache as the stages see it, so that a stage need not know where or how it is kept.
pub trait Memo<T>: Sync {
    /// The value made from `key` by the last build, if it kept one; recalled values are kept
    /// for the next build too.
    fn recall(&self, key: ContentHash) -> Option<T>;

    /// Keeps `value`, made from `key`, for the next build.
    fn keep(&self, key: ContentHash, value: &T);

    /// Whether what is made will be kept: when not, a stage need not compute keys.
    fn keeps(&self) -> bool {
        true
    }

    /// Whether the last build kept anything of this kind: when not, a stage need not look.
    fn recalls(&self) -> bool {
        true
    }
}

/// No memory: every value is made afresh (`ntg check`, tests).
pub struct Forget;

impl<T> Memo<T> for Forget {
    fn recall(&self, _: ContentHash) -> Option<T> {
        None
    }

    fn keep(&self, _: ContentHash, _: &T) {}

    fn keeps(&self) -> bool {
        false
    }

    fn recalls(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hash_as_the_whole_and_a_changed_byte_changes_the_hash() {
        let bytes = b"<p>Narrowing the gap</p>".repeat(100);
        let mut h = Hasher::new();
        for piece in bytes.chunks(7) {
            h.update(piece);
        }
        assert_eq!(h.finish(), ContentHash::of(&bytes));
        let mut changed = bytes.clone();
        changed[1000] ^= 1;
        assert_ne!(ContentHash::of(&changed), ContentHash::of(&bytes));
    }

    #[test]
    fn a_serialised_value_hashes_as_its_json_text() {
        let value = serde_json::json!({"title": "Café", "tags": ["a", "b"]});
        let mut h = Hasher::new();
        serde_json::to_writer(&mut h, &value).unwrap();
        let text = serde_json::to_string(&value).unwrap();
        assert_eq!(h.finish(), ContentHash::of(text.as_bytes()));
    }

    #[test]
    fn hex_text_and_json_round_trip_and_only_display_form_parses() {
        let h = ContentHash::of(b"x");
        let hex = h.to_string();
        assert_eq!(hex.len(), 32);
        assert_eq!(hex.parse::<ContentHash>(), Ok(h));
        assert_eq!(serde_json::to_string(&h).unwrap(), format!("\"{hex}\""));
        assert_eq!(
            serde_json::from_str::<ContentHash>(&format!("\"{hex}\"")).unwrap(),
            h
        );
        for bad in [
            &hex.to_uppercase(),
            &hex[1..],
            "+0000000000000000000000000000000",
        ] {
            assert_eq!(bad.parse::<ContentHash>(), Err(NotAHash), "{bad}");
        }
    }

    #[test]
    fn binary_form_is_sixteen_bytes() {
        let h = ContentHash::of(b"x");
        let bytes = postcard::to_stdvec(&h).unwrap();
        assert_eq!(bytes.len(), 16);
        assert_eq!(postcard::from_bytes::<ContentHash>(&bytes).unwrap(), h);
    }

    #[test]
    fn fnv1a_is_unchanged() {
        // Asset URLs and build ids of published sites are made of it.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
