//! The tantivy index that answers `ntg search`: made from a build's search state the first
//! time the build is searched, in one segment so that a document's id is its position in
//! the build's document order, and kept in the build's index folder beside the site (not in
//! the output).

use super::analysed::BODY;
use super::analyzer;
use crate::join::facets::Facet;
use std::path::Path;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager, WhitespaceTokenizer};
use tantivy::{Index, TantivyDocument};

/// The tokenizer of the body field, which the index is given already analysed (each term as
/// often as it occurs, between spaces): analysing is most of indexing, and a build that
/// kept a document's analysis need not do it again. Terms are alphanumeric, so splitting at
/// spaces gives them back exactly.
const ANALYSED: &str = "ntg-analysed";

/// How much more a word in the title counts than one in the body. A power of two, so that
/// scaling a score by it is exact in f32 whichever way it is applied, and the browser's
/// arithmetic can follow tantivy's to the last bit.
pub const TITLE_BOOST: f32 = 2.0;

/// The index's fields.
#[derive(Clone, Copy)]
pub struct Fields {
    pub title: Field,
    pub body: Field,
    pub url: Field,
    pub facets: [Field; Facet::ALL.len()],
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        let title = b.add_text_field("title", text(analyzer::NAME).set_stored());
        let body = b.add_text_field("body", text(ANALYSED));
        let url = b.add_text_field("url", STRING | STORED);
        let facets = Facet::ALL.map(|f| b.add_text_field(f.key(), STRING));
        (
            b.build(),
            Fields {
                title,
                body,
                url,
                facets,
            },
        )
    }

    pub fn of(index: &Index) -> tantivy::Result<Fields> {
        let schema = index.schema();
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            title: get("title")?,
            body: get("body")?,
            url: get("url")?,
            facets: Facet::ALL
                .map(|f| get(f.key()))
                .into_iter()
                .collect::<Result<Vec<_>, _>>()?
                .try_into()
                .map_err(|_| tantivy::TantivyError::SchemaError("facet fields".into()))?,
        })
    }

    /// The two text fields with their boosts, in the order scores are summed.
    pub fn text(&self) -> [(Field, f32); 2] {
        [(self.title, TITLE_BOOST), (self.body, 1.0)]
    }
}

/// Registers the tokenizers the schema names.
fn register(tokenizers: &TokenizerManager) {
    tokenizers.register(analyzer::NAME, analyzer::analyzer());
    tokenizers.register(ANALYSED, TextAnalyzer::from(WhitespaceTokenizer::default()));
}

/// The folder, in a build's index folder, of the tantivy index made from its state.
const MADE: &str = "tantivy";

/// Opens the tantivy index of the build whose index folder is `dir`, making it from the
/// build's search state the first time it is asked for. A build leaves only the state:
/// most builds are never searched from the command line, and making the index was a third
/// of a rebuild's time. The index is made in a folder of this process and put in place by
/// one rename, so a search stopped while making it leaves nothing a later one would trust;
/// where the folder cannot be written, the index is made in memory for this search.
pub fn open(dir: &Path) -> Result<(Index, Fields), String> {
    let made = dir.join(MADE);
    let opened = |index: Index| -> Result<(Index, Fields), String> {
        register(index.tokenizers());
        let fields =
            Fields::of(&index).map_err(|e| format!("cannot open the search index: {e}"))?;
        Ok((index, fields))
    };
    let open_made = || {
        Index::open_in_dir(&made)
            .map_err(|e| format!("cannot open the search index at {}: {e}", made.display()))
            .and_then(opened)
    };
    if made.join("meta.json").is_file() {
        return open_made();
    }
    let state = super::reuse::read(dir).ok_or_else(|| {
        format!(
            "the search state at {} is missing, damaged or of another version of ntg: run `ntg build` again",
            dir.join(super::reuse::FILE).display()
        )
    })?;
    let cannot = |e: tantivy::TantivyError| format!("cannot make the search index: {e}");
    let new = dir.join(format!("{MADE}.new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&new);
    if std::fs::create_dir(&new).is_err() {
        let index = make(tantivy::directory::RamDirectory::create(), &state).map_err(cannot)?;
        return opened(index);
    }
    let written = tantivy::directory::MmapDirectory::open(&new)
        .map_err(tantivy::TantivyError::from)
        .and_then(|d| make(d, &state));
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&new);
        return Err(cannot(e));
    }
    // Another search may have put its index in place first: it is made from the same state.
    if std::fs::rename(&new, &made).is_err() {
        let _ = std::fs::remove_dir_all(&new);
    }
    open_made()
}

/// Makes the index of the documents `state` keeps, in its order (document `i` gets id `i`),
/// in `directory`.
fn make(
    directory: impl Into<Box<dyn tantivy::Directory>>,
    state: &super::reuse::State,
) -> tantivy::Result<Index> {
    let (schema, fields) = Fields::schema();
    let tokenizers = TokenizerManager::default();
    register(&tokenizers);
    let builder = Index::builder().schema(schema).tokenizers(tokenizers);
    // One writer on one thread makes one segment whose doc ids follow insertion order; a
    // pool of writers would interleave documents differently on every run.
    let mut writer = builder.single_segment_index_writer(directory, 200_000_000)?;
    let mut body = String::new();
    for d in &state.order {
        let a = &state.docs[&d.analysis];
        body.clear();
        for &(t, tf) in &a.fields[BODY] {
            for _ in 0..tf {
                body.push_str(state.dict.term(t));
                body.push(' ');
            }
        }
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.title, &d.title);
        doc.add_text(fields.body, &body);
        doc.add_text(fields.url, &d.url);
        for (f, values) in Facet::ALL.iter().zip(&d.facets) {
            for v in values {
                doc.add_text(fields.facets[*f as usize], v);
            }
        }
        writer.add_document(doc)?;
    }
    writer.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysed::{Analysed, Dictionary, TEXT_FIELDS, analyse, key};
    use crate::search::doc::{Indexed, SearchDoc};
    use crate::search::export::Export;
    use tantivy::postings::Postings;
    use tantivy::{DocSet, TERMINATED};

    fn doc(title: &str, text: &str) -> SearchDoc {
        SearchDoc {
            url: format!("/x/{}/", title.len()),
            title: title.into(),
            summary: None,
            text: text.into(),
            type_label: "Case study",
            councils: Vec::new(),
            standing: Vec::new(),
            facets: Default::default(),
        }
    }

    /// Writes into `dir` the search state a build of `docs` would keep, as a build does.
    fn keep(dir: &Path, docs: &[SearchDoc]) -> Vec<Analysed> {
        let mut dict = Dictionary::default();
        let mut a = crate::search::analyzer::analyzer();
        let mut words = crate::search::analyzer::analyzer();
        let analysed: Vec<Analysed> = docs
            .iter()
            .map(|d| analyse(&mut a, d, true).intern(&mut dict, &mut words))
            .collect();
        let keys: Vec<u128> = docs.iter().map(|d| key(d, true)).collect();
        let listed: Vec<(u128, &Analysed)> = keys.iter().copied().zip(&analysed).collect();
        let order: Vec<Indexed> = docs
            .iter()
            .zip(&keys)
            .map(|(d, &k)| Indexed::of(d, k))
            .collect();
        let export = Export {
            files: Vec::new(),
            meta: String::new(),
            hash: 0,
            raw: Vec::new(),
        };
        crate::search::reuse::write(dir, 1, &export, &dict, &listed, &order).unwrap();
        analysed
    }

    /// The export's postings come from the analyses, the index's from what tantivy makes of
    /// the same documents kept in a build's state: they must agree term for term, frequency
    /// for frequency and norm for norm, or the browser would rank apart from `ntg search`.
    #[test]
    fn the_index_holds_what_the_analyses_say() {
        let docs = [
            doc(
                "Family learning",
                "Families learn together; the family LEARNS. Naïve cafés!",
            ),
            doc("", ""),
            doc("Carers & care", &"care carers caring ".repeat(70)),
        ];
        let dir = tempfile::tempdir().unwrap();
        let analysed = keep(dir.path(), &docs);
        let dict = crate::search::reuse::read(dir.path()).unwrap().dict;
        let (index, fields) = open(dir.path()).unwrap();
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        for (f, &(field, _)) in fields.text().iter().enumerate().take(TEXT_FIELDS) {
            let inv = segment.inverted_index(field).unwrap();
            let norms = segment.get_fieldnorms_reader(field).unwrap();
            let mut theirs = Vec::new();
            let mut stream = inv.terms().stream().unwrap();
            while stream.advance() {
                let term = String::from_utf8(stream.key().to_vec()).unwrap();
                let mut p = inv
                    .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
                    .unwrap();
                while p.doc() != TERMINATED {
                    theirs.push((term.clone(), p.doc(), p.term_freq()));
                    p.advance();
                }
            }
            let mut ours: Vec<(String, u32, u32)> = analysed
                .iter()
                .enumerate()
                .flat_map(|(d, a)| {
                    a.fields[f]
                        .iter()
                        .map(move |&(t, tf)| (t, d as u32, tf))
                        .collect::<Vec<_>>()
                })
                .map(|(t, d, tf)| (dict.term(t).to_string(), d, tf))
                .collect();
            ours.sort();
            assert!(!ours.is_empty());
            assert_eq!(ours, theirs, "field {f}");
            let lens: u64 = analysed.iter().map(|a| u64::from(a.len(f))).sum();
            assert_eq!(inv.total_num_tokens(), lens);
            for (d, a) in analysed.iter().enumerate() {
                assert_eq!(
                    norms.fieldnorm_id(d as u32),
                    tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id(a.len(f)),
                    "field {f} doc {d}"
                );
            }
        }
    }

    /// The first search makes the index and puts it in place; the next opens that one, even
    /// with the state gone; a search stopped while making one left a folder nothing trusts.
    #[test]
    fn the_first_search_makes_the_index_and_later_ones_open_it() {
        let dir = tempfile::tempdir().unwrap();
        keep(dir.path(), &[doc("Reading", "reading together")]);
        let stopped = dir.path().join(format!("{MADE}.new-1"));
        std::fs::create_dir(&stopped).unwrap();
        std::fs::write(stopped.join("meta.json"), "{").unwrap();
        assert!(!dir.path().join(MADE).exists());
        let (index, _) = open(dir.path()).unwrap();
        assert_eq!(index.reader().unwrap().searcher().num_docs(), 1);
        assert!(dir.path().join(MADE).join("meta.json").is_file());
        std::fs::remove_file(dir.path().join(crate::search::reuse::FILE)).unwrap();
        let (index, _) = open(dir.path()).unwrap();
        assert_eq!(index.reader().unwrap().searcher().num_docs(), 1);
    }

    /// A state cut short is refused with words that say what to do, and no index is made.
    #[test]
    fn a_damaged_state_is_refused_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        keep(dir.path(), &[doc("Reading", "reading together")]);
        let file = dir.path().join(crate::search::reuse::FILE);
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 3]).unwrap();
        let err = open(dir.path()).err().expect("a cut state is refused");
        assert!(err.contains("run `ntg build` again"), "{err}");
        assert!(!dir.path().join(MADE).exists());
    }
}
