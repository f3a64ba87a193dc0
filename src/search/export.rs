//! The static export of the index under `/search/<hash>/`, which the browser client reads:
//!
//! - `meta.bin`: document count, each text field's average field norm, the analyzer's stop
//!   words and length limit, the first term of every shard, the facets and their values,
//!   and the names results show (councils, evidence levels and statuses) that documents
//!   refer to by number.
//! - `t/<n>.bin`: term shards cut by term range. Terms are front-coded; each carries the
//!   surface word it most often stands for (for "did you mean"), and per field its BM25
//!   weight (idf x (1 + k1) x boost, as tantivy computes it in f32) and its postings: doc
//!   deltas, then term frequencies, then field-norm ids.
//! - `f/<facet>.bin`: per facet value, its documents as a delta list or a bitset.
//! - `d/<doc>.bin`: per document what a result shows: URL, title, summary, type, facet
//!   labels, councils and standing (numbers in the meta file's lists) and the text excerpts
//!   are cut from.
//!
//! Every file is gzip-compressed by the build (the client inflates it), so what a browser
//! downloads does not depend on the host compressing it; the folder is named by a hash of
//! its contents, so a host can cache it forever.

use super::analysed::{Analysed, Dictionary};
use super::analyzer;
use super::doc::SearchDoc;
use super::index::TITLE_BOOST;
use crate::join::facets::Facet;
use crate::resolve::site::Site;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use tantivy::fieldnorm::FieldNormReader;

/// A shard is cut once its terms take this many bytes before compression: about 8 KB on
/// the wire, small enough for a phone and few enough that the meta file stays small.
const SHARD_BYTES: usize = 16 * 1024;

/// Excerpts are cut from this much of a document's text.
const FRAGMENT_TEXT: usize = 1200;

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// What the export wrote: files by path below `/search/`, and the meta file's path.
pub struct Export {
    pub files: Vec<(String, Vec<u8>)>,
    /// `/search/<hash>/meta.bin`.
    pub meta: String,
    /// The hash that names the export's folder: equal hashes mean equal exports, and so
    /// indexes that answer every query alike.
    pub hash: u64,
    /// The key of each file's bytes before compression, in `files`' order: what the next
    /// build finds them by in [`Kept`].
    pub(super) raw: Vec<u128>,
}

#[derive(Serialize)]
struct Meta<'a> {
    v: u8,
    docs: u32,
    /// The text fields, in the order their scores are added.
    fields: Vec<FieldMeta>,
    stop: &'a [&'static str],
    limit: usize,
    shards: Vec<String>,
    facets: Vec<FacetMeta>,
    /// Every council some document is from, by name: fragments name them by number.
    councils: Vec<&'a str>,
    /// Every evidence level and status some document has, worded: fragments name them by
    /// number.
    standings: Vec<&'a str>,
}

#[derive(Serialize)]
struct FieldMeta {
    name: &'static str,
    boost: f32,
    /// BM25's length normalisation per field-norm id, `k1 x (1 - b + b x norm / avg)`,
    /// exactly as tantivy computes and caches it in f32.
    norms: Vec<f32>,
}

#[derive(Serialize)]
struct FacetMeta {
    key: &'static str,
    title: &'static str,
    values: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Fragment<'a> {
    u: String,
    t: &'a str,
    s: Option<&'a str>,
    y: &'a str,
    l: Vec<&'a str>,
    /// Councils, as numbers in the meta file's `councils`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    c: Vec<u32>,
    /// Evidence level and status, as numbers in the meta file's `standings`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    e: Vec<u32>,
    x: &'a str,
}

/// The distinct strings `each` gives over `docs`, sorted, with each one's number: a name a
/// thousand documents share is exported once.
fn names<'a>(
    docs: &'a [SearchDoc],
    each: impl Fn(&'a SearchDoc) -> &'a [String],
) -> (Vec<&'a str>, HashMap<&'a str, u32>) {
    let mut all: Vec<&str> = docs
        .iter()
        .flat_map(|d| each(d).iter().map(String::as_str))
        .collect();
    all.sort_unstable();
    all.dedup();
    let numbers = all
        .iter()
        .enumerate()
        .map(|(i, &n)| (n, i as u32))
        .collect();
    (all, numbers)
}

/// `values` as their numbers in `numbers` (which holds every one of them).
fn numbered(values: &[String], numbers: &HashMap<&str, u32>) -> Vec<u32> {
    values
        .iter()
        .filter_map(|v| numbers.get(v.as_str()).copied())
        .collect()
}

/// Appends `v` as a LEB128 varint, as the client and the reuse state read it.
pub(super) fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Level 6: within a few per cent of the best size at a third of the time (and, with
/// zlib-rs, smaller than level 9 on the shards).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    // Writing to memory cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

/// tantivy's BM25 idf, in f32 as it computes it.
fn idf(doc_freq: u64, docs: u64) -> f32 {
    let x = ((docs - doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

/// Gzipped files of an earlier export, by the key of the bytes they compress: a file whose
/// bytes are unchanged is taken from here rather than compressed again.
pub type Kept<'a> = HashMap<u128, &'a [u8]>;

/// The files of `export` as [`Kept`] for the next one.
pub fn kept(export: &Export) -> Kept<'_> {
    export
        .raw
        .iter()
        .zip(&export.files)
        .map(|(&k, (_, bytes))| (k, bytes.as_slice()))
        .collect()
}

/// `raw` gzipped, or the copy `kept` holds of it, with its key.
fn packed(raw: &[u8], kept: &Kept) -> (u128, Vec<u8>) {
    let key = crate::names::hash::ContentHash::of(raw).as_u128();
    let bytes = match kept.get(&key) {
        Some(b) => b.to_vec(),
        None => gzip(raw),
    };
    (key, bytes)
}

/// One field's postings of one term.
struct FieldPostings<'a> {
    weight: f32,
    postings: &'a [(u32, u32)],
}

/// The export of `docs`, numbered in their order, whose analyses (in `dict`'s numbers) are
/// `analysed`. It holds what the tantivy index `index::write` makes of the same documents
/// holds, term for term and posting for posting (the tests check this), so the browser
/// ranks as `ntg search` does; it is computed from the analyses rather than read back from
/// the index so that the two are built at the same time.
pub fn export(
    docs: &[SearchDoc],
    analysed: &[&Analysed],
    dict: &Dictionary,
    site: &Site,
    kept: &Kept,
) -> Export {
    // A site with no documents has no segment: its export is the meta file alone.
    if docs.is_empty() {
        return empty(site, kept);
    }
    let n_docs = docs.len() as u64;
    let fields = [("title", TITLE_BOOST), ("body", 1.0)];
    let mut field_meta = Vec::new();
    let mut norms: Vec<Vec<u8>> = Vec::new();
    let mut postings: Vec<Vec<Vec<(u32, u32)>>> = Vec::new();
    for (f, &(name, boost)) in fields.iter().enumerate() {
        let lens: Vec<u32> = analysed.iter().map(|a| a.len(f)).collect();
        let total: u64 = lens.iter().map(|&l| u64::from(l)).sum();
        let avg = total as f32 / n_docs as f32;
        field_meta.push(FieldMeta {
            name,
            boost,
            norms: (0..=255u8)
                .map(|id| K1 * (1.0 - B + B * FieldNormReader::id_to_fieldnorm(id) as f32 / avg))
                .collect(),
        });
        norms.push(
            lens.into_iter()
                .map(FieldNormReader::fieldnorm_to_id)
                .collect(),
        );
        let mut lists: Vec<Vec<(u32, u32)>> = vec![Vec::new(); dict.terms()];
        for (doc, a) in analysed.iter().enumerate() {
            for &(t, tf) in &a.fields[f] {
                lists[t as usize].push((doc as u32, tf));
            }
        }
        postings.push(lists);
    }
    let sample = &analysed[..analysed.len().min(super::analysed::SURFACE_SAMPLE)];
    let surface = super::analysed::surfaces(dict, sample);

    // Every term some field holds, in byte order (tantivy's term dictionaries' order), each
    // written once with whichever fields hold it.
    let mut terms: Vec<u32> = (0..dict.terms() as u32)
        .filter(|&t| postings.iter().any(|p| !p[t as usize].is_empty()))
        .collect();
    terms.sort_unstable_by(|&a, &b| dict.term(a).as_bytes().cmp(dict.term(b).as_bytes()));
    let mut shards: Vec<Vec<u8>> = Vec::new();
    let mut firsts: Vec<String> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let mut count = 0u64;
    let mut previous: &[u8] = &[];
    let mut body = Vec::new();
    let flush = |current: &mut Vec<u8>, count: &mut u64, shards: &mut Vec<Vec<u8>>| {
        let mut shard = Vec::with_capacity(current.len() + 4);
        varint(&mut shard, *count);
        shard.extend_from_slice(current);
        shards.push(shard);
        current.clear();
        *count = 0;
    };
    for t in terms {
        let key = dict.term(t).as_bytes();
        let per_field: Vec<Option<FieldPostings>> = fields
            .iter()
            .enumerate()
            .map(|(f, &(_, boost))| {
                let list = &postings[f][t as usize];
                (!list.is_empty()).then(|| {
                    let mut weight = idf(list.len() as u64, n_docs) * (1.0 + K1);
                    if boost != 1.0 {
                        weight *= boost;
                    }
                    FieldPostings {
                        weight,
                        postings: list,
                    }
                })
            })
            .collect();
        if count == 0 {
            firsts.push(dict.term(t).to_string());
            previous = &[];
        }
        let shared = previous.iter().zip(key).take_while(|(a, b)| a == b).count();
        varint(&mut current, shared as u64);
        varint(&mut current, (key.len() - shared) as u64);
        current.extend_from_slice(&key[shared..]);
        match surface[t as usize] {
            None => varint(&mut current, 0),
            Some(word) => {
                let w = dict.word(word).as_bytes();
                let common = w.iter().zip(key).take_while(|(a, b)| a == b).count();
                varint(&mut current, common as u64 + 1);
                varint(&mut current, (w.len() - common) as u64);
                current.extend_from_slice(&w[common..]);
            }
        }
        let mask = per_field
            .iter()
            .enumerate()
            .fold(0u8, |m, (i, f)| if f.is_some() { m | (1 << i) } else { m });
        current.push(mask);
        for (f, p) in per_field.into_iter().enumerate() {
            let Some(p) = p else { continue };
            current.extend_from_slice(&p.weight.to_le_bytes());
            varint(&mut current, p.postings.len() as u64);
            // Column by column (deltas, then frequencies, then norms): each column is
            // alike within itself, which is what gzip compresses best.
            let mut last = 0u32;
            body.clear();
            for &(doc, _) in p.postings {
                varint(&mut body, u64::from(doc - last));
                last = doc;
            }
            for &(_, tf) in p.postings {
                varint(&mut body, u64::from(tf));
            }
            body.extend(p.postings.iter().map(|&(doc, _)| norms[f][doc as usize]));
            current.extend_from_slice(&body);
        }
        count += 1;
        previous = key;
        if current.len() >= SHARD_BYTES {
            flush(&mut current, &mut count, &mut shards);
        }
    }
    if count > 0 {
        flush(&mut current, &mut count, &mut shards);
    }

    let mut files: Vec<(String, Vec<u8>)> = shards
        .into_iter()
        .enumerate()
        .map(|(i, s)| (format!("t/{i}.bin"), s))
        .collect();
    let n = docs.len();
    let mut facet_meta = Vec::new();
    for f in Facet::ALL {
        let values = f.values(site);
        let index: HashMap<&str, usize> = values
            .iter()
            .enumerate()
            .map(|(i, (v, _))| (v.as_str(), i))
            .collect();
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); values.len()];
        for (id, d) in docs.iter().enumerate() {
            for v in &d.facets[f as usize] {
                if let Some(&i) = index.get(v.as_str()) {
                    lists[i].push(id as u32);
                }
            }
        }
        let mut out = Vec::new();
        for list in &lists {
            let mut deltas = Vec::new();
            let mut last = 0;
            for &d in list {
                varint(&mut deltas, u64::from(d - last));
                last = d;
            }
            let bits = n.div_ceil(8);
            if deltas.len() <= bits {
                out.push(0);
                varint(&mut out, list.len() as u64);
                out.extend_from_slice(&deltas);
            } else {
                out.push(1);
                varint(&mut out, list.len() as u64);
                let mut set = vec![0u8; bits];
                for &d in list {
                    set[d as usize / 8] |= 1 << (d % 8);
                }
                out.extend_from_slice(&set);
            }
        }
        files.push((format!("f/{}.bin", f.key()), out));
        facet_meta.push(FacetMeta {
            key: f.key(),
            title: f.title(),
            values,
        });
    }
    let labels: Vec<HashMap<&str, &str>> = facet_meta
        .iter()
        .map(|m| {
            m.values
                .iter()
                .map(|(v, l)| (v.as_str(), l.as_str()))
                .collect()
        })
        .collect();
    let (councils, council_numbers) = names(docs, |d| &d.councils);
    let (standings, standing_numbers) = names(docs, |d| &d.standing);
    use rayon::prelude::*;
    let fragments: Vec<(String, Vec<u8>)> = docs
        .par_iter()
        .enumerate()
        .map(|(id, d)| {
            let l = [Facet::Theme, Facet::Group, Facet::Outcome]
                .iter()
                .flat_map(|&f| {
                    let names = &labels[f as usize];
                    d.facets[f as usize]
                        .iter()
                        .filter_map(move |v| names.get(v.as_str()).copied())
                })
                .collect();
            let frag = Fragment {
                u: site.href(&d.url),
                t: &d.title,
                s: d.summary.as_deref(),
                y: d.type_label,
                l,
                c: numbered(&d.councils, &council_numbers),
                e: numbered(&d.standing, &standing_numbers),
                x: cut(&d.text, FRAGMENT_TEXT),
            };
            (
                format!("d/{id}.bin"),
                serde_json::to_vec(&frag).unwrap_or_default(),
            )
        })
        .collect();
    files.extend(fragments);
    let meta = Meta {
        v: 1,
        docs: n as u32,
        fields: field_meta,
        stop: &analyzer::STOP_WORDS,
        limit: analyzer::TOKEN_LIMIT,
        shards: firsts,
        facets: facet_meta,
        councils,
        standings,
    };
    files.push((
        "meta.bin".into(),
        serde_json::to_vec(&meta).unwrap_or_default(),
    ));
    let files = pack(files, kept);
    let hash = files
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, (path, _, bytes)| {
            let h = crate::names::hash::fnv1a_continue(h, path.as_bytes());
            crate::names::hash::fnv1a_continue(h, bytes)
        });
    named(files, hash)
}

/// Each file gzipped (or taken from `kept`), in parallel, with the key of its raw bytes.
fn pack(files: Vec<(String, Vec<u8>)>, kept: &Kept) -> Vec<(String, u128, Vec<u8>)> {
    use rayon::prelude::*;
    files
        .into_par_iter()
        .map(|(path, raw)| {
            let (key, bytes) = packed(&raw, kept);
            (path, key, bytes)
        })
        .collect()
}

/// The export of `files` in the folder `hash` names.
fn named(files: Vec<(String, u128, Vec<u8>)>, hash: u64) -> Export {
    let hash = hash & 0xffff_ffff_ffff;
    let dir = format!("search/{hash:012x}");
    let (files, raw) = files
        .into_iter()
        .map(|(p, key, b)| ((format!("{dir}/{p}"), b), key))
        .unzip();
    Export {
        meta: format!("/{dir}/meta.bin"),
        hash,
        files,
        raw,
    }
}

/// The export of a site with nothing to search: a meta file with no documents and no shards.
fn empty(site: &Site, kept: &Kept) -> Export {
    let meta = Meta {
        v: 1,
        docs: 0,
        fields: Vec::new(),
        stop: &analyzer::STOP_WORDS,
        limit: analyzer::TOKEN_LIMIT,
        shards: Vec::new(),
        facets: Facet::ALL
            .iter()
            .map(|&f| FacetMeta {
                key: f.key(),
                title: f.title(),
                values: f.values(site),
            })
            .collect(),
        councils: Vec::new(),
        standings: Vec::new(),
    };
    let mut files = vec![(
        "meta.bin".to_string(),
        serde_json::to_vec(&meta).unwrap_or_default(),
    )];
    // Facet files with every value empty, so the client's counts still load.
    for f in Facet::ALL {
        let mut out = Vec::new();
        for _ in f.values(site) {
            out.extend([0, 0]);
        }
        files.push((format!("f/{}.bin", f.key()), out));
    }
    let files = pack(files, kept);
    let hash = crate::names::hash::fnv1a(&files[0].2);
    named(files, hash)
}

/// The first `max` bytes of `text`, cut at a word boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(' ') {
        Some(space) => &text[..space],
        None => &text[..end],
    }
}
