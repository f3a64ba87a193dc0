//! What one build's search stage keeps: the key of everything it read, its export (whose
//! gzipped files the next build takes where their bytes are unchanged), each document's
//! analysis, and what the tantivy index holds of each document in index order, from which
//! `ntg search` makes the index when it is first asked. It is a file in the build's index
//! folder (`<index>/reuse.bin`), so it is exactly as current as the export that names the
//! folder, and a failed build, whose folder is never placed, cannot leave a wrong one.
//!
//! The file starts with a header naming its format and ntg's version, then the length and
//! a 128-bit checksum of the body: a missing, cut, damaged or foreign file is ignored (the
//! stage does all its work again), never trusted.

use super::analysed::{Analysed, Dictionary, TEXT_FIELDS};
use super::doc::Indexed;
use super::export::{Export, varint};
use crate::join::facets::Facet;
use std::collections::HashMap;
use std::path::Path;

/// The file's name in its index folder.
pub const FILE: &str = crate::names::store::INDEX_STATE;

/// The file's first bytes: what it is, and the version of its layout.
const MAGIC: &[u8] = b"ntg search reuse state, format 2\n";

/// What a build's search stage leaves for the next.
pub struct State {
    /// The key of every input of the stage: equal keys mean an equal export and index.
    pub inputs: u128,
    pub export: Export,
    pub dict: Dictionary,
    /// Each document's analysis, by `analysed::key`.
    pub docs: HashMap<u128, Analysed>,
    /// The documents in index order, each naming its analysis in `docs`.
    pub order: Vec<Indexed>,
}

/// Writes the state of a stage into its index folder `dir`. Only the terms and words of
/// `docs` are written, so the dictionary never outgrows the site; `order` names each
/// analysis it needs among `docs`.
pub fn write(
    dir: &Path,
    inputs: u128,
    export: &Export,
    dict: &Dictionary,
    docs: &[(u128, &Analysed)],
    order: &[Indexed],
) -> std::io::Result<()> {
    let body = encode(inputs, export, dict, docs, order);
    let mut out = Vec::with_capacity(body.len() + 128);
    out.extend_from_slice(MAGIC);
    string(&mut out, &crate::names::stamp::version());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(
        &crate::names::hash::ContentHash::of(&body)
            .as_u128()
            .to_le_bytes(),
    );
    out.extend_from_slice(&body);
    std::fs::write(dir.join(FILE), out)
}

/// The state kept in the index folder `dir`, if it is there, whole, and of this version.
pub fn read(dir: &Path) -> Option<State> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    let mut r = Reader {
        bytes: bytes.strip_prefix(MAGIC)?,
    };
    if r.string()? != crate::names::stamp::version() {
        return None;
    }
    let len = r.u64()?;
    let sum = r.u128()?;
    if len != r.bytes.len() as u64 || crate::names::hash::ContentHash::of(r.bytes).as_u128() != sum
    {
        return None;
    }
    decode(&mut r)
}

fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn string(out: &mut Vec<u8>, s: &str) {
    bytes(out, s.as_bytes());
}

/// Renumbers the terms and words `docs` use, in order of first use.
struct Renumber {
    ids: HashMap<u32, u32>,
    order: Vec<u32>,
}

impl Renumber {
    fn new() -> Renumber {
        Renumber {
            ids: HashMap::new(),
            order: Vec::new(),
        }
    }

    fn id(&mut self, old: u32) -> u32 {
        let next = self.order.len() as u32;
        *self.ids.entry(old).or_insert_with(|| {
            self.order.push(old);
            next
        })
    }
}

fn encode(
    inputs: u128,
    export: &Export,
    dict: &Dictionary,
    docs: &[(u128, &Analysed)],
    order: &[Indexed],
) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&inputs.to_le_bytes());
    out.extend_from_slice(&export.hash.to_le_bytes());
    string(&mut out, &export.meta);
    varint(&mut out, export.files.len() as u64);
    for ((path, b), key) in export.files.iter().zip(&export.raw) {
        string(&mut out, path);
        out.extend_from_slice(&key.to_le_bytes());
        bytes(&mut out, b);
    }
    let mut terms = Renumber::new();
    let mut words = Renumber::new();
    let mut listed = Vec::new();
    varint(&mut listed, docs.len() as u64);
    for (key, a) in docs {
        listed.extend_from_slice(&key.to_le_bytes());
        for field in &a.fields {
            varint(&mut listed, field.len() as u64);
            for &(t, tf) in field {
                varint(&mut listed, u64::from(terms.id(t)));
                varint(&mut listed, u64::from(tf));
            }
        }
        varint(&mut listed, a.words.len() as u64);
        for &(w, n) in &a.words {
            varint(&mut listed, u64::from(words.id(w)));
            varint(&mut listed, u64::from(n));
        }
    }
    // A word's term may be one no document holds (the analyzer treats a lone word and the
    // same word in a text alike, but a word cut short by the length limit need not be).
    let word_terms: Vec<Option<u32>> = words
        .order
        .iter()
        .map(|&w| dict.word_term(w).map(|t| terms.id(t)))
        .collect();
    varint(&mut out, terms.order.len() as u64);
    for &t in &terms.order {
        string(&mut out, dict.term(t));
    }
    varint(&mut out, words.order.len() as u64);
    for (&w, t) in words.order.iter().zip(&word_terms) {
        string(&mut out, dict.word(w));
        varint(&mut out, t.map_or(0, |t| u64::from(t) + 1));
    }
    out.extend_from_slice(&listed);
    varint(&mut out, order.len() as u64);
    for d in order {
        out.extend_from_slice(&d.analysis.to_le_bytes());
        string(&mut out, &d.url);
        string(&mut out, &d.title);
        for values in &d.facets {
            varint(&mut out, values.len() as u64);
            for v in values {
                string(&mut out, v);
            }
        }
    }
    out
}

/// Reads what `encode` wrote; `None` at the first thing out of place.
fn decode(r: &mut Reader) -> Option<State> {
    let inputs = r.u128()?;
    let hash = r.u64()?;
    let meta = r.string()?;
    let n = r.count()?;
    let mut files = Vec::with_capacity(n);
    let mut raw = Vec::with_capacity(n);
    for _ in 0..n {
        let path = r.string()?;
        raw.push(r.u128()?);
        files.push((path, r.bytes()?.to_vec()));
    }
    let export = Export {
        files,
        meta,
        hash,
        raw,
    };
    let n_terms = r.count()?;
    let terms = (0..n_terms)
        .map(|_| r.string())
        .collect::<Option<Vec<_>>>()?;
    let n_words = r.count()?;
    let words = (0..n_words)
        .map(|_| {
            let w = r.string()?;
            let t = match r.varint()? {
                0 => None,
                t => Some(u32::try_from(t - 1).ok()?),
            };
            Some((w, t))
        })
        .collect::<Option<Vec<_>>>()?;
    let dict = Dictionary::from_parts(terms, words)?;
    let pairs = |r: &mut Reader, below: usize| -> Option<Vec<(u32, u32)>> {
        let n = r.count()?;
        (0..n)
            .map(|_| {
                let id = u32::try_from(r.varint()?).ok()?;
                let count = u32::try_from(r.varint()?).ok()?;
                ((id as usize) < below).then_some((id, count))
            })
            .collect()
    };
    let n_docs = r.count()?;
    let mut docs = HashMap::with_capacity(n_docs);
    for _ in 0..n_docs {
        let key = r.u128()?;
        let mut fields: [Vec<(u32, u32)>; TEXT_FIELDS] = Default::default();
        for field in &mut fields {
            *field = pairs(r, n_terms)?;
        }
        let words = pairs(r, n_words)?;
        docs.insert(key, Analysed { fields, words });
    }
    let n_order = r.count()?;
    let mut order = Vec::with_capacity(n_order);
    for _ in 0..n_order {
        let analysis = r.u128()?;
        let url = r.string()?;
        let title = r.string()?;
        let mut facets: [Vec<String>; Facet::ALL.len()] = Default::default();
        for values in &mut facets {
            let n = r.count()?;
            *values = (0..n).map(|_| r.string()).collect::<Option<_>>()?;
        }
        if !docs.contains_key(&analysis) {
            return None;
        }
        order.push(Indexed {
            analysis,
            url,
            title,
            facets,
        });
    }
    r.bytes.is_empty().then_some(State {
        inputs,
        export,
        dict,
        docs,
        order,
    })
}

/// Reads a body from the front, every read checked against what is left: the state's, and
/// the export's shards where `ntg search` reads them (`shown`).
pub(super) struct Reader<'a> {
    pub(super) bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Some(head)
    }

    pub(super) fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.take(1)?.first()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// A count of things still to read, each at least one byte: more than the bytes left
    /// is damage, refused before anything is allocated for it.
    pub(super) fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n <= self.bytes.len()).then_some(n)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.varint()?).ok()?;
        self.take(n)
    }

    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
}
