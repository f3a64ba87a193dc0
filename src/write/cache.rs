//! The incremental cache's store: what one successful build keeps for the next, in one file,
//! `.ntg-cache/build/entries.bin` under the site root (beside the search indexes).
//!
//! Entries are typed values ([`Entry`]) filed by kind and by a [`ContentHash`] key: the hash
//! of whatever the value was made from. A build reads the previous build's entries from a
//! [`Store`], collects its own in a [`Next`], and commits them once its site is in place, so
//! the cache holds exactly what the last successful build made and needed, nothing older.
//!
//! The cache is an optimisation and is never trusted beyond its checks: a file that is
//! missing, unreadable, truncated, of another format or another version of ntg
//! (`crate::names::stamp::version`), or whose body fails its checksum or does not decode, opens as
//! an empty store that says why ([`Ignored`]). Opening never fails and never panics.
//!
//! The file: `MAGIC`, the format (u32), the version's length (u32) and text, the body's
//! length (u64) and its checksum (a `ContentHash`, 16 bytes), all little-endian, then the
//! body: postcard of kind -> key -> the entry's own postcard bytes, so that an entry is
//! decoded only when it is asked for, and carried to the next build without being decoded.

use crate::names::hash::{ContentHash, Memo};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
#[cfg(test)]
use std::path::PathBuf;
use std::sync::Mutex;

/// The cache's folder, below the site root.
pub const DIR: &str = ".ntg-cache/build";

/// The one file of the cache, in [`DIR`].
pub const FILE: &str = "entries.bin";

/// What every cache file starts with, so that any other file is known for what it is.
const MAGIC: &[u8; 8] = b"ntgcache";

/// The layout of the header and body; raised when either changes.
const FORMAT: u32 = 1;

/// The longest version text a header may hold: anything longer is not one of ours.
const MAX_VERSION: u32 = 256;

/// A kind of value the cache keeps. The kind is the type's, so an entry is always read back
/// as the type it was stored as.
pub trait Entry: Serialize + DeserializeOwned {
    /// The kind's name in the cache file; unique among the kinds.
    const KIND: &'static str;
}

/// An entry's encoded bytes, stored as one byte string rather than a sequence of numbers,
/// which postcard reads back in one copy.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Encoded(Vec<u8>);

impl Serialize for Encoded {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Encoded {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Encoded, D::Error> {
        struct Bytes;
        impl Visitor<'_> for Bytes {
            type Value = Encoded;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an encoded cache entry")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Encoded, E> {
                Ok(Encoded(v.to_vec()))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Encoded, E> {
                Ok(Encoded(v))
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

/// The body: kind -> key -> entry. Sorted, so the same entries make the same file.
type Body = BTreeMap<String, BTreeMap<ContentHash, Encoded>>;

/// Why a store opened empty: what the lead may show under `--timings`, or drop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ignored {
    /// `--no-cache`: the cache was not read.
    NoCache,
    /// No build has left a cache yet.
    Missing,
    /// The file could not be read (the error's text).
    Unreadable(String),
    /// The file does not start as a cache file does.
    NotACache,
    /// Written in another layout.
    OtherFormat(u32),
    /// Written by another version of ntg.
    OtherVersion(String),
    /// The header gives the body a length the file does not have: cut short, or grown.
    Length { said: u64, found: u64 },
    /// The body is not what was written: its checksum differs.
    WrongChecksum,
    /// The body passed its checksum but does not decode (the error's text).
    Undecodable(String),
}

impl fmt::Display for Ignored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ignored::NoCache => write!(f, "not read (--no-cache)"),
            Ignored::Missing => write!(f, "none yet"),
            Ignored::Unreadable(e) => write!(f, "ignored: cannot be read: {e}"),
            Ignored::NotACache => write!(f, "ignored: not a cache file"),
            Ignored::OtherFormat(n) => write!(f, "ignored: written in format {n}, not {FORMAT}"),
            Ignored::OtherVersion(v) => write!(f, "ignored: written by ntg {v}"),
            Ignored::Length { said, found } => write!(
                f,
                "ignored: its header gives {said} bytes of entries, the file holds {found}"
            ),
            Ignored::WrongChecksum => write!(f, "ignored: its entries fail their checksum"),
            Ignored::Undecodable(e) => write!(f, "ignored: its entries do not decode: {e}"),
        }
    }
}

/// The previous build's entries, read-only.
#[derive(Debug, Default)]
pub struct Store {
    body: Body,
    ignored: Option<Ignored>,
}

impl Store {
    /// Opens the cache of the site at `root`: empty with `no_cache`, or when the file cannot
    /// be trusted. Needs no lock: a commit replaces the file in one rename, so this reads a
    /// whole cache, old or new.
    pub fn open(root: &Path, no_cache: bool) -> Store {
        if no_cache {
            return Store::empty(Ignored::NoCache);
        }
        read(&root.join(DIR).join(FILE), &crate::names::stamp::version())
    }

    fn empty(why: Ignored) -> Store {
        Store {
            body: Body::new(),
            ignored: Some(why),
        }
    }

    /// Why this store is empty, if it was not read or not trusted.
    pub fn ignored(&self) -> Option<&Ignored> {
        self.ignored.as_ref()
    }

    /// The entry of kind `T` under `key`; `None` if there is none, or if it does not decode
    /// as a `T` (a miss, as if it had never been kept).
    pub fn get<T: Entry>(&self, key: ContentHash) -> Option<T> {
        postcard::from_bytes(&self.encoded::<T>(key)?.0).ok()
    }

    /// How many entries of kind `T` the store holds.
    pub fn count<T: Entry>(&self) -> usize {
        self.body.get(T::KIND).map_or(0, BTreeMap::len)
    }

    fn encoded<T: Entry>(&self, key: ContentHash) -> Option<&Encoded> {
        self.body.get(T::KIND)?.get(&key)
    }
}

/// Reads the cache file at `path`, trusting it only if it was written under `version`.
fn read(path: &Path, version: &str) -> Store {
    match read_body(path, version) {
        Ok(body) => Store {
            body,
            ignored: None,
        },
        Err(why) => Store::empty(why),
    }
}

fn read_body(path: &Path, version: &str) -> Result<Body, Ignored> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Ignored::Missing),
        Err(e) => return Err(unreadable(e)),
    };
    let left = file.metadata().map_err(unreadable)?.len();
    let mut file = Bounded {
        file: &mut file,
        left,
    };
    if file.fixed::<8>()? != *MAGIC {
        return Err(Ignored::NotACache);
    }
    let format = u32::from_le_bytes(file.fixed()?);
    if format != FORMAT {
        return Err(Ignored::OtherFormat(format));
    }
    let version_len = u32::from_le_bytes(file.fixed()?);
    if version_len > MAX_VERSION {
        return Err(Ignored::NotACache);
    }
    let written_by = file.take(version_len.into())?;
    if written_by != version.as_bytes() {
        return Err(Ignored::OtherVersion(
            String::from_utf8_lossy(&written_by).into_owned(),
        ));
    }
    let said = u64::from_le_bytes(file.fixed()?);
    let checksum = ContentHash::from_bytes(file.fixed()?);
    if said != file.left {
        return Err(Ignored::Length {
            said,
            found: file.left,
        });
    }
    let body = file.take(said)?;
    if ContentHash::of(&body) != checksum {
        return Err(Ignored::WrongChecksum);
    }
    postcard::from_bytes(&body).map_err(|e| Ignored::Undecodable(e.to_string()))
}

fn unreadable(e: io::Error) -> Ignored {
    Ignored::Unreadable(e.to_string())
}

/// A file read no further than the size it had when opened: every length read from it is
/// checked against what is left, so a garbage length can neither run past the end nor make
/// a large allocation.
struct Bounded<'a> {
    file: &'a mut File,
    left: u64,
}

impl Bounded<'_> {
    /// The next `n` bytes; a file too short for them is not a cache.
    fn take(&mut self, n: u64) -> Result<Vec<u8>, Ignored> {
        if n > self.left {
            return Err(Ignored::NotACache);
        }
        self.left -= n;
        // Bounded by the file's size, checked above.
        let mut buf = Vec::with_capacity(n as usize);
        (&mut *self.file)
            .take(n)
            .read_to_end(&mut buf)
            .map_err(unreadable)?;
        if buf.len() as u64 != n {
            // The file shrank while it was read.
            return Err(Ignored::NotACache);
        }
        Ok(buf)
    }

    /// The next `N` bytes.
    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], Ignored> {
        let mut a = [0; N];
        if (N as u64) > self.left {
            return Err(Ignored::NotACache);
        }
        self.left -= N as u64;
        self.file.read_exact(&mut a).map_err(unreadable)?;
        Ok(a)
    }
}

/// The entries this build keeps for the next, collected from any thread.
#[derive(Debug, Default)]
pub struct Next {
    body: Mutex<Body>,
}

impl Next {
    /// Nothing kept yet.
    pub fn new() -> Next {
        Next::default()
    }

    /// Keeps `value` as the entry of its kind under `key`, replacing any there. Fails only
    /// for a value postcard cannot encode (a sequence of unknown length).
    pub fn put<T: Entry>(&self, key: ContentHash, value: &T) -> Result<(), postcard::Error> {
        let encoded = Encoded(postcard::to_stdvec(value)?);
        self.insert(T::KIND, key, encoded);
        Ok(())
    }

    /// Keeps the previous build's entry of kind `T` under `key`, as it is, without decoding
    /// it; false if `previous` has none.
    pub fn carry<T: Entry>(&self, previous: &Store, key: ContentHash) -> bool {
        match previous.encoded::<T>(key) {
            Some(encoded) => {
                self.insert(T::KIND, key, encoded.clone());
                true
            }
            None => false,
        }
    }

    fn insert(&self, kind: &str, key: ContentHash, encoded: Encoded) {
        let mut body = self.body.lock().unwrap_or_else(|p| p.into_inner());
        body.entry(kind.to_string())
            .or_default()
            .insert(key, encoded);
    }

    /// Replaces the site's cache with these entries, atomically: written to a temporary file
    /// beside it, flushed to disk, renamed over it, and the folder flushed, so that a crash
    /// at any moment leaves the old cache or the new one, whole.
    ///
    /// Call only once the build's site is in place (after the swap), so that a failed or
    /// killed build leaves the old cache with the old site, and with the site's `Lock` held,
    /// so that two builds never commit at once (and a temporary file found here can only be
    /// a killed build's, to remove).
    pub fn commit(self, root: &Path) -> io::Result<()> {
        let body = self.body.into_inner().unwrap_or_else(|p| p.into_inner());
        write(&root.join(DIR), &body, &crate::names::stamp::version())
    }
}

/// The previous build's store and this build's entries seen as one [`Memo`]: what a stage
/// recalls is carried to the next build as it was, and what it makes is kept.
pub struct Memory<'a> {
    /// What the last build kept.
    pub previous: &'a Store,
    /// What this build keeps.
    pub next: &'a Next,
}

impl<T: Entry> Memo<T> for Memory<'_> {
    fn recall(&self, key: ContentHash) -> Option<T> {
        let value = self.previous.get::<T>(key)?;
        self.next.carry::<T>(self.previous, key);
        Some(value)
    }

    fn keep(&self, key: ContentHash, value: &T) {
        // A value postcard cannot encode is not kept: the next build makes it again.
        let _ = self.next.put(key, value);
    }

    fn recalls(&self) -> bool {
        self.previous.count::<T>() > 0
    }
}

/// A page rendered, keyed by its path and everything it was rendered from.
impl Entry for crate::render::PageDone {
    const KIND: &'static str = "page";
}

/// A document's rendered body, keyed by what it was rendered from.
impl Entry for crate::render::markdown::Rendered {
    const KIND: &'static str = "markdown";
}

/// Writes `body` as the cache in `dir`, under `version`.
fn write(dir: &Path, body: &Body, version: &str) -> io::Result<()> {
    let encoded = postcard::to_stdvec(body).map_err(io::Error::other)?;
    std::fs::create_dir_all(dir)?;
    remove_temporaries(dir)?;
    let temp = dir.join(format!("{FILE}.new-{}", std::process::id()));
    let written = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(&header(version, &encoded))?;
        file.write_all(&encoded)?;
        // Not flushed to disk first: after a crash, a cache whose bytes never reached the
        // disk fails its checksum and is ignored, which costs one clean build, whereas a
        // flush costs every build a third of a second at 10,000 documents.
        std::fs::rename(&temp, dir.join(FILE))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// The header of a cache file whose body is `body`.
fn header(version: &str, body: &[u8]) -> Vec<u8> {
    let mut h = Vec::with_capacity(40 + version.len());
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&FORMAT.to_le_bytes());
    h.extend_from_slice(&(version.len() as u32).to_le_bytes());
    h.extend_from_slice(version.as_bytes());
    h.extend_from_slice(&(body.len() as u64).to_le_bytes());
    h.extend_from_slice(&ContentHash::of(body).to_bytes());
    h
}

/// Removes what killed commits left in `dir` (with the lock held, no commit is running).
fn remove_temporaries(dir: &Path) -> io::Result<()> {
    let prefix = format!("{FILE}.new-");
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Page {
        html: String,
        links: Vec<String>,
    }

    impl Entry for Page {
        const KIND: &'static str = "test-page";
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Count(u64);

    impl Entry for Count {
        const KIND: &'static str = "test-count";
    }

    fn page(n: usize) -> Page {
        Page {
            html: format!("<p>document {n}</p>"),
            links: vec![format!("/d/{n}/")],
        }
    }

    /// A site root holding a committed cache of three pages and a count, and its file.
    fn committed() -> (tempfile::TempDir, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let next = Next::new();
        for n in 0..3 {
            next.put(ContentHash::of(&[n as u8]), &page(n)).unwrap();
        }
        next.put(ContentHash::of(b"count"), &Count(7)).unwrap();
        next.commit(root.path()).unwrap();
        let file = root.path().join(DIR).join(FILE);
        (root, file)
    }

    fn assert_empty(store: &Store) {
        assert!(store.ignored().is_some());
        assert_eq!(store.count::<Page>(), 0);
        assert_eq!(store.get::<Page>(ContentHash::of(&[0])), None);
    }

    #[test]
    fn entries_come_back_as_they_were_put_by_kind_and_key() {
        let (root, _) = committed();
        let store = Store::open(root.path(), false);
        assert_eq!(store.ignored(), None);
        assert_eq!(store.count::<Page>(), 3);
        assert_eq!(store.get::<Page>(ContentHash::of(&[1])), Some(page(1)));
        assert_eq!(
            store.get::<Count>(ContentHash::of(b"count")),
            Some(Count(7))
        );
        // The same key under another kind is another entry.
        assert_eq!(store.get::<Count>(ContentHash::of(&[1])), None);
        assert_eq!(store.get::<Page>(ContentHash::of(&[9])), None);
    }

    #[test]
    fn the_same_entries_make_the_same_file() {
        let (_a, first) = committed();
        let (_b, second) = committed();
        assert_eq!(
            std::fs::read(first).unwrap(),
            std::fs::read(second).unwrap()
        );
    }

    #[test]
    fn a_commit_keeps_only_this_builds_entries_and_carried_ones_come_as_they_were() {
        let (root, _) = committed();
        let previous = Store::open(root.path(), false);
        let next = Next::new();
        assert!(next.carry::<Page>(&previous, ContentHash::of(&[2])));
        assert!(!next.carry::<Page>(&previous, ContentHash::of(&[8])));
        next.commit(root.path()).unwrap();
        let store = Store::open(root.path(), false);
        assert_eq!(store.count::<Page>(), 1);
        assert_eq!(store.get::<Page>(ContentHash::of(&[2])), Some(page(2)));
        assert_eq!(store.count::<Count>(), 0);
    }

    #[test]
    fn no_cache_and_a_missing_cache_are_empty() {
        let (root, _) = committed();
        let store = Store::open(root.path(), true);
        assert_empty(&store);
        assert_eq!(store.ignored(), Some(&Ignored::NoCache));
        let fresh = tempfile::tempdir().unwrap();
        assert_eq!(
            Store::open(fresh.path(), false).ignored(),
            Some(&Ignored::Missing)
        );
    }

    #[test]
    fn a_cache_cut_short_anywhere_is_empty() {
        let (root, file) = committed();
        let whole = std::fs::read(&file).unwrap();
        for eighth in 0..8 {
            let cut = whole.len() * eighth / 8;
            std::fs::write(&file, &whole[..cut]).unwrap();
            let store = Store::open(root.path(), false);
            assert_empty(&store);
        }
        // Cut inside the body, the header's length says so.
        std::fs::write(&file, &whole[..whole.len() - 1]).unwrap();
        assert!(matches!(
            Store::open(root.path(), false).ignored(),
            Some(Ignored::Length { said, found }) if said == &(found + 1)
        ));
    }

    #[test]
    fn garbage_is_empty() {
        let (root, file) = committed();
        // Deterministic noise, and noise behind a real magic and format.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        std::fs::write(&file, &noise).unwrap();
        assert_eq!(
            Store::open(root.path(), false).ignored(),
            Some(&Ignored::NotACache)
        );
        let mut framed = MAGIC.to_vec();
        framed.extend_from_slice(&FORMAT.to_le_bytes());
        framed.extend_from_slice(&noise);
        std::fs::write(&file, &framed).unwrap();
        assert_empty(&Store::open(root.path(), false));
    }

    #[test]
    fn an_unreadable_cache_is_empty() {
        let (root, file) = committed();
        std::fs::remove_file(&file).unwrap();
        // A folder where the file should be opens but cannot be read.
        std::fs::create_dir(&file).unwrap();
        let store = Store::open(root.path(), false);
        assert_empty(&store);
        assert!(matches!(
            store.ignored(),
            Some(Ignored::Unreadable(_) | Ignored::NotACache)
        ));
    }

    #[test]
    fn a_length_past_the_end_of_the_file_is_refused_before_it_is_read() {
        let (root, file) = committed();
        let version = crate::names::stamp::version();
        let mut bytes = header(&version, b"");
        let at = MAGIC.len() + 8 + version.len();
        bytes[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(
            Store::open(root.path(), false).ignored(),
            Some(&Ignored::Length {
                said: u64::MAX,
                found: 0
            })
        );
    }

    #[test]
    fn another_version_or_format_is_empty() {
        let (root, file) = committed();
        let body = Store::open(root.path(), false).body;
        write(&root.path().join(DIR), &body, "0.0.0-another").unwrap();
        let store = Store::open(root.path(), false);
        assert_empty(&store);
        assert_eq!(
            store.ignored(),
            Some(&Ignored::OtherVersion("0.0.0-another".into()))
        );
        let mut bytes = std::fs::read(&file).unwrap();
        bytes[MAGIC.len()..MAGIC.len() + 4].copy_from_slice(&(FORMAT + 1).to_le_bytes());
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(
            Store::open(root.path(), false).ignored(),
            Some(&Ignored::OtherFormat(FORMAT + 1))
        );
    }

    #[test]
    fn a_changed_body_fails_its_checksum() {
        let (root, file) = committed();
        let mut bytes = std::fs::read(&file).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        std::fs::write(&file, &bytes).unwrap();
        let store = Store::open(root.path(), false);
        assert_empty(&store);
        assert_eq!(store.ignored(), Some(&Ignored::WrongChecksum));
    }

    #[test]
    fn a_body_that_does_not_decode_is_empty() {
        let (root, file) = committed();
        let body = [0xff; 32];
        let mut bytes = header(&crate::names::stamp::version(), &body);
        bytes.extend_from_slice(&body);
        std::fs::write(&file, &bytes).unwrap();
        let store = Store::open(root.path(), false);
        assert_empty(&store);
        assert!(matches!(store.ignored(), Some(Ignored::Undecodable(_))));
    }

    #[test]
    fn an_entry_that_does_not_decode_as_its_type_is_a_miss() {
        let root = tempfile::tempdir().unwrap();
        let next = Next::new();
        // Stored under Page's kind, but not a Page.
        next.insert(Page::KIND, ContentHash::of(b"x"), Encoded(vec![0xff, 0xff]));
        next.commit(root.path()).unwrap();
        let store = Store::open(root.path(), false);
        assert_eq!(store.ignored(), None);
        assert_eq!(store.get::<Page>(ContentHash::of(b"x")), None);
    }

    #[test]
    fn a_commit_removes_what_killed_commits_left() {
        let (root, _) = committed();
        let left = root.path().join(DIR).join(format!("{FILE}.new-999999"));
        std::fs::write(&left, b"half").unwrap();
        Next::new().commit(root.path()).unwrap();
        assert!(!left.exists());
        let names: Vec<_> = std::fs::read_dir(root.path().join(DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [FILE]);
    }
}
