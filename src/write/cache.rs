//! The incremental cache's store: what one successful build keeps for the next, in
//! `.ntg-cache/build/` under the site root (beside the search indexes).
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
//! The entries of a kind are split by their key's first hex digit into sixteen shards, one
//! file each (`markdown-3.bin`), and a commit writes only the shards whose entries changed:
//! an edit to one document changes one shard of rendered bodies, where one file for all
//! would be 130 MB rewritten on every build at 10,000 documents. Every entry is keyed by what
//! it was made from (or, for an output's manifest, checked against the files themselves), so
//! shards of different builds side by side are each still true.
//!
//! A shard's file: `MAGIC`, the format (u32), the version's length (u32) and text, the body's
//! length (u64) and its checksum (a `ContentHash`, 16 bytes), all little-endian, then the
//! body: postcard of key -> the entry's own postcard bytes, so that an entry is decoded only
//! when it is asked for, and carried to the next build without being decoded. A shard that
//! cannot be trusted is ignored alone.

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

/// The file of shard `shard` of `kind`, in [`DIR`].
fn shard_file(kind: &str, shard: u8) -> String {
    format!("{kind}-{shard:x}.bin")
}

/// The kind and shard a file name in [`DIR`] names, if it names one.
fn parse_shard_file(name: &str) -> Option<(&str, u8)> {
    let (kind, digit) = name.strip_suffix(".bin")?.rsplit_once('-')?;
    let shard = u8::from_str_radix(digit, 16).ok()?;
    (digit.len() == 1 && !kind.is_empty()).then_some((kind, shard))
}

/// The shard of `key`: its first hex digit, one of sixteen.
fn shard_of(key: ContentHash) -> u8 {
    key.to_bytes()[0] >> 4
}

/// What every cache file starts with, so that any other file is known for what it is.
const MAGIC: &[u8; 8] = b"ntgcache";

/// The layout of the header and body; raised when either changes.
const FORMAT: u32 = 2;

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

/// One shard's entries: key -> entry. Sorted, so the same entries make the same file.
type Shard = BTreeMap<ContentHash, Encoded>;

/// Every shard, by kind, then by shard number.
type Body = BTreeMap<String, BTreeMap<u8, Shard>>;

/// Why a store opened empty, or a shard of it was left out.
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
    /// The checksum in each shard's header as read, so a commit can tell that the file is
    /// still the one read before it leaves it in place.
    checksums: BTreeMap<(String, u8), ContentHash>,
    ignored: Option<Ignored>,
}

impl Store {
    /// Opens the cache of the site at `root`: empty with `no_cache`, and without each shard
    /// that cannot be trusted. Needs no lock: a commit replaces each shard's file in one
    /// rename, so this reads every shard whole, old or new.
    pub fn open(root: &Path, no_cache: bool) -> Store {
        if no_cache {
            return Store::empty(Ignored::NoCache);
        }
        read(&root.join(DIR), &crate::names::stamp::version())
    }

    fn empty(why: Ignored) -> Store {
        Store {
            ignored: Some(why),
            ..Store::default()
        }
    }

    /// Why this store is empty, or some of its shards were left out: the first reason met.
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
        self.body
            .get(T::KIND)
            .map_or(0, |shards| shards.values().map(BTreeMap::len).sum())
    }

    fn encoded<T: Entry>(&self, key: ContentHash) -> Option<&Encoded> {
        self.body.get(T::KIND)?.get(&shard_of(key))?.get(&key)
    }
}

/// Reads the shards in the folder `dir`, trusting each only if it was written under
/// `version`; a file that names no shard is not read.
fn read(dir: &Path, version: &str) -> Store {
    let names = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect::<std::collections::BTreeSet<_>>(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Store::empty(Ignored::Missing),
        Err(e) => return Store::empty(unreadable(e)),
    };
    let mut store = Store::default();
    for name in names {
        let Some((kind, shard)) = parse_shard_file(&name) else {
            continue;
        };
        match read_shard(&dir.join(&name), version) {
            Ok((entries, checksum)) => {
                store.checksums.insert((kind.to_string(), shard), checksum);
                store
                    .body
                    .entry(kind.to_string())
                    .or_default()
                    .insert(shard, entries);
            }
            Err(why) => {
                store.ignored.get_or_insert(why);
            }
        }
    }
    if store.body.is_empty() && store.ignored.is_none() {
        store.ignored = Some(Ignored::Missing);
    }
    store
}

/// The checksum in the header of the shard file at `path`, if it has a header of this
/// format and `version`.
fn header_checksum(path: &Path, version: &str) -> Option<ContentHash> {
    let mut file = Bounded::open(path).ok()?;
    read_header(&mut file, version).ok().map(|(_, sum)| sum)
}

/// A shard file's entries and the checksum its header gives them.
fn read_shard(path: &Path, version: &str) -> Result<(Shard, ContentHash), Ignored> {
    let mut file = match Bounded::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Ignored::Missing),
        Err(e) => return Err(unreadable(e)),
    };
    let (said, checksum) = read_header(&mut file, version)?;
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
    let shard = postcard::from_bytes(&body).map_err(|e| Ignored::Undecodable(e.to_string()))?;
    Ok((shard, checksum))
}

/// Reads a shard file's header: the body's length and checksum.
fn read_header(file: &mut Bounded, version: &str) -> Result<(u64, ContentHash), Ignored> {
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
    Ok((said, checksum))
}

fn unreadable(e: io::Error) -> Ignored {
    Ignored::Unreadable(e.to_string())
}

/// A file read no further than the size it had when opened: every length read from it is
/// checked against what is left, so a garbage length can neither run past the end nor make
/// a large allocation.
struct Bounded {
    file: File,
    left: u64,
}

impl Bounded {
    /// The file at `path`, to be read no further than its size now.
    fn open(path: &Path) -> io::Result<Bounded> {
        let file = File::open(path)?;
        let left = file.metadata()?.len();
        Ok(Bounded { file, left })
    }

    /// The next `n` bytes; a file too short for them is not a cache.
    fn take(&mut self, n: u64) -> Result<Vec<u8>, Ignored> {
        if n > self.left {
            return Err(Ignored::NotACache);
        }
        self.left -= n;
        // Bounded by the file's size, checked above.
        let mut buf = Vec::with_capacity(n as usize);
        (&mut self.file)
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
            .entry(shard_of(key))
            .or_default()
            .insert(key, encoded);
    }

    /// These entries as the store the next build reads, in memory: `ntg serve` keeps its
    /// cache between rebuilds this way, never on disk.
    pub fn into_store(self) -> Store {
        Store {
            body: self.body.into_inner().unwrap_or_else(|p| p.into_inner()),
            ..Store::default()
        }
    }

    /// Replaces the site's cache with these entries, shard by shard, each atomically:
    /// written to a temporary file beside it and renamed over it, so that a build killed at
    /// any moment leaves each shard old or new, whole (after a crash of the machine, a shard
    /// whose bytes never reached the disk fails its checksum and is ignored). A shard equal
    /// to `previous`'s, whose file is still the one `previous` read, is left as it is; files
    /// of shards this build did not keep are removed.
    ///
    /// Call only once the build's site is in place (after the swap), so that a failed or
    /// killed build leaves the old cache with the old site, and with the site's `Lock` held,
    /// so that two builds never commit at once (and a temporary file found here can only be
    /// a killed build's, to remove).
    pub fn commit(self, root: &Path, previous: &Store) -> io::Result<()> {
        let body = self.body.into_inner().unwrap_or_else(|p| p.into_inner());
        write(
            &root.join(DIR),
            &body,
            previous,
            &crate::names::stamp::version(),
        )
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

/// A body's text for search, keyed by the body's HTML.
impl Entry for crate::search::BodyText {
    const KIND: &'static str = "search-text";
}

/// Writes `body` as the cache in `dir`, under `version`, leaving in place the shards that
/// are `previous`'s as it read them, and removing every other file.
fn write(dir: &Path, body: &Body, previous: &Store, version: &str) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut wanted = std::collections::BTreeSet::new();
    for (kind, shards) in body {
        for (&shard, entries) in shards {
            let name = shard_file(kind, shard);
            let read = previous.body.get(kind).and_then(|s| s.get(&shard));
            let unchanged = read == Some(entries)
                && previous.checksums.get(&(kind.clone(), shard)).copied()
                    == header_checksum(&dir.join(&name), version);
            if !unchanged {
                write_shard(dir, &name, entries, version)?;
            }
            wanted.insert(name);
        }
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if !entry
            .file_name()
            .to_str()
            .is_some_and(|n| wanted.contains(n))
        {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Writes one shard's file, `name` in `dir`, through a temporary file renamed over it.
fn write_shard(dir: &Path, name: &str, entries: &Shard, version: &str) -> io::Result<()> {
    let encoded = postcard::to_stdvec(entries).map_err(io::Error::other)?;
    let temp = dir.join(format!("{name}.new-{}", std::process::id()));
    let written = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(&header(version, &encoded))?;
        file.write_all(&encoded)?;
        // Not flushed to disk first: after a crash, a cache whose bytes never reached the
        // disk fails its checksum and is ignored, which costs one clean build, whereas a
        // flush costs every build a third of a second at 10,000 documents.
        std::fs::rename(&temp, dir.join(name))
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

    /// A site root holding a committed cache of three pages and a count, and the file of
    /// the shard that holds page 0.
    fn committed() -> (tempfile::TempDir, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let next = Next::new();
        for n in 0..3 {
            next.put(ContentHash::of(&[n as u8]), &page(n)).unwrap();
        }
        next.put(ContentHash::of(b"count"), &Count(7)).unwrap();
        next.commit(root.path(), &Store::default()).unwrap();
        let shard = shard_of(ContentHash::of(&[0]));
        let file = root.path().join(DIR).join(shard_file(Page::KIND, shard));
        (root, file)
    }

    /// Page 0's shard was left out, and said why.
    fn assert_empty(store: &Store) {
        assert!(store.ignored().is_some());
        assert_eq!(store.get::<Page>(ContentHash::of(&[0])), None);
    }

    /// The inode of each file in the cache's folder, by name.
    fn inodes(root: &Path) -> BTreeMap<String, u64> {
        use std::os::unix::fs::MetadataExt;
        std::fs::read_dir(root.join(DIR))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().into_string().unwrap(),
                    e.metadata().unwrap().ino(),
                )
            })
            .collect()
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
        next.commit(root.path(), &previous).unwrap();
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
        let (root, _) = committed();
        let body = Store::open(root.path(), false).body;
        write(
            &root.path().join(DIR),
            &body,
            &Store::default(),
            "0.0.0-another",
        )
        .unwrap();
        let store = Store::open(root.path(), false);
        assert_eq!(store.count::<Page>() + store.count::<Count>(), 0);
        assert_eq!(
            store.ignored(),
            Some(&Ignored::OtherVersion("0.0.0-another".into()))
        );
        let (root, file) = committed();
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
        next.commit(root.path(), &Store::default()).unwrap();
        let store = Store::open(root.path(), false);
        assert_eq!(store.ignored(), None);
        assert_eq!(store.get::<Page>(ContentHash::of(b"x")), None);
    }

    #[test]
    fn a_commit_removes_what_killed_commits_and_other_formats_left() {
        let (root, file) = committed();
        let name = file.file_name().unwrap().to_str().unwrap();
        let left = root.path().join(DIR).join(format!("{name}.new-999999"));
        std::fs::write(&left, b"half").unwrap();
        std::fs::write(root.path().join(DIR).join("entries.bin"), b"format 1").unwrap();
        let previous = Store::open(root.path(), false);
        let next = Next::new();
        assert!(next.carry::<Page>(&previous, ContentHash::of(&[0])));
        next.commit(root.path(), &previous).unwrap();
        let names: Vec<String> = inodes(root.path()).into_keys().collect();
        assert_eq!(names, [name]);
    }

    #[test]
    fn a_commit_writes_only_the_shards_that_changed() {
        let (root, _) = committed();
        let before = inodes(root.path());
        let previous = Store::open(root.path(), false);
        let next = Next::new();
        for n in 0..3 {
            assert!(next.carry::<Page>(&previous, ContentHash::of(&[n as u8])));
        }
        let count = ContentHash::of(b"count");
        next.put(count, &Count(8)).unwrap();
        next.commit(root.path(), &previous).unwrap();
        let after = inodes(root.path());
        let count_file = shard_file(Count::KIND, shard_of(count));
        for (name, inode) in &before {
            assert_eq!(after[name] == *inode, *name != count_file, "{name}");
        }
        let store = Store::open(root.path(), false);
        assert_eq!(store.get::<Count>(count), Some(Count(8)));
        assert_eq!(store.get::<Page>(ContentHash::of(&[1])), Some(page(1)));
        // A shard that another build committed after this one read it is written again,
        // though this build's entries are those it read.
        let previous = Store::open(root.path(), false);
        let other = Next::new();
        other.put(count, &Count(9)).unwrap();
        let other = other.body.into_inner().unwrap();
        let dir = root.path().join(DIR);
        let version = crate::names::stamp::version();
        write_shard(
            &dir,
            &count_file,
            &other[Count::KIND][&shard_of(count)],
            &version,
        )
        .unwrap();
        let next = Next::new();
        assert!(next.carry::<Count>(&previous, count));
        next.commit(root.path(), &previous).unwrap();
        assert_eq!(
            Store::open(root.path(), false).get::<Count>(count),
            Some(Count(8))
        );
    }
}
