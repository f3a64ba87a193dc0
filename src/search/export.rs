//! The static export of the index under `/search/<hash>/`, which the browser client reads:
//!
//! - `meta.bin`: document count, each text field's average field norm, the analyzer's stop
//!   words and length limit, the first term of every shard, the facets and their values.
//! - `t/<n>.bin`: term shards cut by term range. Terms are front-coded; each carries the
//!   surface word it most often stands for (for "did you mean"), and per field its BM25
//!   weight (idf x (1 + k1) x boost, as tantivy computes it in f32) and its postings: doc
//!   deltas, then term frequencies, then field-norm ids.
//! - `f/<facet>.bin`: per facet value, its documents as a delta list or a bitset.
//! - `d/<doc>.bin`: per document what a result shows: URL, title, summary, type, facet
//!   labels and the text excerpts are cut from.
//!
//! Every file is gzip-compressed by the build (the client inflates it), so what a browser
//! downloads does not depend on the host compressing it; the folder is named by a hash of
//! its contents, so a host can cache it forever.

use super::analyzer;
use super::doc::SearchDoc;
use super::index::Fields;
use crate::join::facets::Facet;
use crate::resolve::site::Site;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use tantivy::Index;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

/// A shard is cut once its terms take this many bytes before compression: about 8 KB on
/// the wire, small enough for a phone and few enough that the meta file stays small.
const SHARD_BYTES: usize = 16 * 1024;

/// Excerpts are cut from this much of a document's text.
const FRAGMENT_TEXT: usize = 1200;

/// Surface words are gathered from this many documents: enough to name nearly every term
/// in a suggestion, without analysing a large site's text twice.
const SURFACE_SAMPLE: usize = 4000;

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
    x: &'a str,
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
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

/// The most common surface word of each term in the first documents.
fn surfaces(docs: &[SearchDoc]) -> HashMap<String, String> {
    let mut words: HashMap<String, u32> = HashMap::new();
    for d in docs.iter().take(SURFACE_SAMPLE) {
        for text in [&d.title, &d.text] {
            for word in analyzer::lower_words(text) {
                *words.entry(word).or_default() += 1;
            }
        }
    }
    let mut a = analyzer::analyzer();
    let mut best: HashMap<String, (u32, String)> = HashMap::new();
    for (word, n) in words {
        let Some(term) = analyzer::terms(&mut a, &word).pop() else {
            continue;
        };
        let e = best.entry(term).or_insert((0, String::new()));
        // Most frequent, then alphabetical, so the choice is the same on every build.
        if n > e.0 || (n == e.0 && word < e.1) {
            *e = (n, word);
        }
    }
    best.into_iter().map(|(t, (_, w))| (t, w)).collect()
}

/// One field's postings of the term under a stream's cursor.
struct FieldPostings {
    weight: f32,
    postings: Vec<(u32, u32, u8)>,
}

pub fn export(
    index: &Index,
    fields: &Fields,
    docs: &[SearchDoc],
    site: &Site,
) -> tantivy::Result<Export> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    // A site with no documents has no segment: its export is the meta file alone.
    let Some(segment) = searcher.segment_readers().first() else {
        return Ok(empty(site));
    };
    let n_docs = u64::from(segment.max_doc());
    let text_fields = fields.text();
    let mut field_meta = Vec::new();
    let mut inverted = Vec::new();
    let mut norms = Vec::new();
    for &(field, boost) in &text_fields {
        let inv = segment.inverted_index(field)?;
        let avg = inv.total_num_tokens() as f32 / n_docs.max(1) as f32;
        field_meta.push(FieldMeta {
            name: if field == fields.title {
                "title"
            } else {
                "body"
            },
            boost,
            norms: (0..=255u8)
                .map(|id| K1 * (1.0 - B + B * FieldNormReader::id_to_fieldnorm(id) as f32 / avg))
                .collect(),
        });
        norms.push(segment.get_fieldnorms_reader(field)?);
        inverted.push(inv);
    }
    let surface = surfaces(docs);

    // Walk both fields' sorted term dictionaries together, so every term is written once,
    // in order, with whichever fields hold it.
    let mut streams = Vec::new();
    for inv in &inverted {
        streams.push(inv.terms().stream()?);
    }
    let mut live: Vec<bool> = streams.iter_mut().map(|s| s.advance()).collect();
    let mut shards: Vec<Vec<u8>> = Vec::new();
    let mut firsts: Vec<String> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let mut count = 0u64;
    let mut previous: Vec<u8> = Vec::new();
    let mut body = Vec::new();
    let flush = |current: &mut Vec<u8>, count: &mut u64, shards: &mut Vec<Vec<u8>>| {
        let mut shard = Vec::with_capacity(current.len() + 4);
        varint(&mut shard, *count);
        shard.extend_from_slice(current);
        shards.push(shard);
        current.clear();
        *count = 0;
    };
    loop {
        let key: Option<Vec<u8>> = (0..streams.len())
            .filter(|&i| live[i])
            .map(|i| streams[i].key().to_vec())
            .min();
        let Some(key) = key else { break };
        let mut per_field: Vec<Option<FieldPostings>> = Vec::new();
        for i in 0..streams.len() {
            if !(live[i] && streams[i].key() == key.as_slice()) {
                per_field.push(None);
                continue;
            }
            let info = streams[i].value().clone();
            let mut p =
                inverted[i].read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
            let mut postings = Vec::with_capacity(info.doc_freq as usize);
            let mut doc = p.doc();
            while doc != TERMINATED {
                postings.push((doc, p.term_freq(), norms[i].fieldnorm_id(doc)));
                doc = p.advance();
            }
            let boost = text_fields[i].1;
            let mut weight = idf(u64::from(info.doc_freq), n_docs) * (1.0 + K1);
            if boost != 1.0 {
                weight *= boost;
            }
            per_field.push(Some(FieldPostings { weight, postings }));
            live[i] = streams[i].advance();
        }
        let term = String::from_utf8_lossy(&key).into_owned();
        if count == 0 {
            firsts.push(term.clone());
            previous.clear();
        }
        let shared = previous
            .iter()
            .zip(&key)
            .take_while(|(a, b)| a == b)
            .count();
        varint(&mut current, shared as u64);
        varint(&mut current, (key.len() - shared) as u64);
        current.extend_from_slice(&key[shared..]);
        match surface.get(&term) {
            None => varint(&mut current, 0),
            Some(word) => {
                let w = word.as_bytes();
                let common = w.iter().zip(&key).take_while(|(a, b)| a == b).count();
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
        for f in per_field.into_iter().flatten() {
            current.extend_from_slice(&f.weight.to_le_bytes());
            varint(&mut current, f.postings.len() as u64);
            // Column by column (deltas, then frequencies, then norms): each column is
            // alike within itself, which is what gzip compresses best.
            let mut last = 0u32;
            body.clear();
            for &(doc, _, _) in &f.postings {
                varint(&mut body, u64::from(doc - last));
                last = doc;
            }
            for &(_, tf, _) in &f.postings {
                varint(&mut body, u64::from(tf));
            }
            body.extend(f.postings.iter().map(|&(_, _, norm)| norm));
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
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("t/{i}.bin"), gzip(s)))
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
        files.push((format!("f/{}.bin", f.key()), gzip(&out)));
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
                x: cut(&d.text, FRAGMENT_TEXT),
            };
            (
                format!("d/{id}.bin"),
                gzip(&serde_json::to_vec(&frag).unwrap_or_default()),
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
    };
    files.push((
        "meta.bin".into(),
        gzip(&serde_json::to_vec(&meta).unwrap_or_default()),
    ));
    let hash = files
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, (path, bytes)| {
            let h = crate::names::hash::fnv1a_continue(h, path.as_bytes());
            crate::names::hash::fnv1a_continue(h, bytes)
        });
    let hash = hash & 0xffff_ffff_ffff;
    let dir = format!("search/{hash:012x}");
    Ok(Export {
        meta: format!("/{dir}/meta.bin"),
        hash,
        files: files
            .into_iter()
            .map(|(p, b)| (format!("{dir}/{p}"), b))
            .collect(),
    })
}

/// The export of a site with nothing to search: a meta file with no documents and no shards.
fn empty(site: &Site) -> Export {
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
    };
    let bytes = gzip(&serde_json::to_vec(&meta).unwrap_or_default());
    let hash = crate::names::hash::fnv1a(&bytes) & 0xffff_ffff_ffff;
    let dir = format!("search/{hash:012x}");
    let mut files = vec![(format!("{dir}/meta.bin"), bytes)];
    // Facet files with every value empty, so the client's counts still load.
    for f in Facet::ALL {
        let mut out = Vec::new();
        for _ in f.values(site) {
            out.extend([0, 0]);
        }
        files.push((format!("{dir}/f/{}.bin", f.key()), gzip(&out)));
    }
    Export {
        meta: format!("/{dir}/meta.bin"),
        files,
        hash,
    }
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
